//! [`AppError`]: every way a request can fail, as the person should hear it. A handler returns
//! one; [`with_error_page`] (in the outer layer of [`crate::routes`]) turns it, and any bare
//! error status from the layers (timeout, body limit, load shedding, panic, 405), into the
//! campaign's page, in the request's language ([`PageLanguage`]: `?lang=`, else
//! `Accept-Language`).

use std::any::Any;
use std::convert::Infallible;

use axum::BoxError;
use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::body::BodyError;
use crate::form::FormProblem;
use crate::pages::{Choice, Language, Message, Pages};
use crate::response::{HTML, OwnAnswer, html};
use crate::state::AppState;
use crate::submit::SubmitError;

/// A request that could not be served as asked. Carries nothing a person typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// The body is not `application/x-www-form-urlencoded` in UTF-8 (→ 415).
    UnsupportedMediaType,
    /// The body is longer than the body limit (→ 413).
    TooLarge,
    /// The connection broke or the body's framing was invalid (→ 400).
    BrokenBody,
    /// The body is not a form this campaign's page sends (→ 400, saying why).
    BadForm(FormProblem),
    /// Too many forms from this client, or from everyone (→ 429 with `Retry-After`).
    RateLimited {
        /// Whole seconds until sending again will work.
        retry_after_secs: u64,
    },
    /// Sealing failed; nothing was stored (→ 500).
    SealFailed,
    /// The campaign is closed: the form is no longer taken (→ 410).
    Closed,
    /// The store could not save a withdrawal (→ 503).
    Unavailable,
    /// There is no page at this address (→ 404).
    NotFound,
    /// The request line and headers are larger than the server reads (→ 431).
    HeadersTooLarge,
    /// Something that should not happen; the log says what (→ 500).
    Internal,
}

impl AppError {
    /// The status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BrokenBody | Self::BadForm(_) => StatusCode::BAD_REQUEST,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::SealFailed | Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Closed => StatusCode::GONE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        }
    }

    /// The campaign's page for this error.
    fn page(&self, pages: Pages) -> Response {
        let t = pages.texts();
        match self {
            Self::BadForm(problem) => html(
                self.status(),
                pages.message_page(t.bad_request.title, &t.form_problem(problem)),
            ),
            Self::Closed => html(self.status(), pages.closed()),
            Self::RateLimited { retry_after_secs } => {
                let mut response = html(self.status(), pages.rate_limited(*retry_after_secs));
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
                response
            }
            _ => message(pages, self.status()),
        }
    }
}

/// The error travels to [`with_error_page`] inside the response, which renders it.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<BodyError> for AppError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge => Self::TooLarge,
            BodyError::Broken => Self::BrokenBody,
        }
    }
}

impl From<SubmitError> for AppError {
    fn from(error: SubmitError) -> Self {
        match error {
            SubmitError::BadForm(problem) => Self::BadForm(problem),
            SubmitError::TooLarge => Self::TooLarge,
            SubmitError::Seal => Self::SealFailed,
        }
    }
}

/// The language a page is shown in, from the request: `?lang=<tag>` in the URL, else
/// `Accept-Language` (see [`Language::choose`]). Never refuses a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLanguage(pub Choice);

impl PageLanguage {
    /// The language of a request to `uri` with `headers`.
    pub fn of(uri: &Uri, headers: &HeaderMap) -> Self {
        let asked = uri.query().and_then(|query| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "lang")
                .map(|(_, tag)| tag)
        });
        let accept_language = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        Self(Language::choose(asked.as_deref(), accept_language))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLanguage {
    type Rejection = Infallible;

    /// The language the outer layer already chose (`routes`), else the request's own.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts
            .extensions
            .get::<Self>()
            .copied()
            .unwrap_or_else(|| Self::of(&parts.uri, &parts.headers)))
    }
}

/// Gives an error response that carries no page of its own the campaign's page, in the
/// request's language (`choice`): an [`AppError`]'s, or the one for its status (keeping its
/// headers, e.g. `Allow`). Any other response is left as it is.
pub fn with_error_page(state: &AppState, choice: Choice, response: Response) -> Response {
    let pages = Pages::new(state.campaign(), choice);
    if let Some(error) = response.extensions().get::<AppError>() {
        return error.page(pages);
    }
    let status = response.status();
    let has_page = response.headers().get(header::CONTENT_TYPE) == Some(&HTML)
        || response.extensions().get::<OwnAnswer>().is_some();
    if has_page || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let Message { title, body } = message_for(pages, status);
    parts.headers.insert(header::CONTENT_TYPE, HTML);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(pages.message_page(title, body)))
}

/// The panic catcher's answer: a bare 500 (which [`with_error_page`] turns into the plain error
/// page). The panic's message is not looked at: it could quote anything.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked; answered 500");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The load shedder's answer when every slot is busy: a bare 503.
pub async fn overloaded(_: BoxError) -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

/// The message for an error status.
fn message_for(pages: Pages, status: StatusCode) -> Message {
    let t = pages.texts();
    match status {
        StatusCode::BAD_REQUEST => t.bad_request,
        StatusCode::NOT_FOUND => t.not_found,
        StatusCode::METHOD_NOT_ALLOWED => t.method_not_allowed,
        StatusCode::REQUEST_TIMEOUT => t.timeout,
        StatusCode::PAYLOAD_TOO_LARGE => t.too_large,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => t.unsupported_media_type,
        StatusCode::SERVICE_UNAVAILABLE => t.unavailable,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => t.headers_too_large,
        _ => t.server_error,
    }
}

fn message(pages: Pages, status: StatusCode) -> Response {
    let Message { title, body } = message_for(pages, status);
    html(status, pages.message_page(title, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::Campaign;

    #[test]
    fn the_panic_answer_says_nothing() {
        let response = panic_response(Box::new("secret testimony"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get(header::CONTENT_TYPE).is_none());
    }

    #[test]
    fn every_error_is_answered_with_its_status_and_travels_with_it() {
        let errors = [
            (AppError::UnsupportedMediaType, 415),
            (AppError::TooLarge, 413),
            (AppError::BrokenBody, 400),
            (AppError::BadForm(FormProblem::Nul), 400),
            (
                AppError::RateLimited {
                    retry_after_secs: 3,
                },
                429,
            ),
            (AppError::SealFailed, 500),
            (AppError::Closed, 410),
            (AppError::Unavailable, 503),
            (AppError::NotFound, 404),
            (AppError::Internal, 500),
            (AppError::HeadersTooLarge, 431),
        ];
        for (error, status) in errors {
            let response = error.clone().into_response();
            assert_eq!(response.status().as_u16(), status, "{error:?}");
            assert_eq!(response.extensions().get::<AppError>(), Some(&error));
        }
    }

    #[test]
    fn a_rate_limit_page_says_when_to_send_again() {
        let response = AppError::RateLimited {
            retry_after_secs: 42,
        }
        .page(Pages::in_campaign_language(&Campaign::builtin()));
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
        assert_eq!(response.headers()[header::CONTENT_TYPE], HTML);
    }
}
