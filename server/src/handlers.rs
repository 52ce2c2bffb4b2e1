//! The handlers: HTTP in, calls to [`crate::body`] and [`crate::submit`], pages out. Each one
//! only translates; failures are [`AppError`]s, which [`crate::app_error::with_error_page`] turns
//! into pages.
//!
//! Nothing here logs, or puts into an error, anything a person typed, their address or their
//! user agent.

use std::time::SystemTime;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app_error::{AppError, PageLanguage};
use crate::body;
use crate::form::{FieldProblem, FormInput};
use crate::pages::{self, FormView, Notice, Pages};
use zeroize::Zeroizing;

use crate::organizer;
use crate::rate_limit::Limited;
use crate::receipt::Receipt;
use crate::response::{OwnAnswer, html, html_with_answers};
use crate::state::AppState;
use crate::submit::{self, Outcome};

/// `GET /`: the letter and a blank form with a fresh token.
pub async fn form_page(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
) -> Response {
    let token = state.token_key().issue(SystemTime::now());
    let public_list = !state.public_list().shown().is_empty();
    let page = state
        .blank_form(choice, public_list)
        .page(state.store().signature_count(), &token);
    html(StatusCode::OK, page)
}

/// `GET /static/style.css`: the one stylesheet; it may be cached, unlike the pages.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        pages::STYLESHEET,
    )
        .into_response()
}

/// `GET /healthz`: for supervisors and load balancers; 503 with the reason when the server
/// cannot store submissions.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
    if submit::short_of_space(&state) {
        let free_mib = state.store().free_bytes().unwrap_or(0) / (1024 * 1024);
        let reserve_mib = state.config().disk_reserve_bytes / (1024 * 1024);
        let reason = format!(
            "low disk space: {free_mib} MiB free, below the reserve of {reserve_mib} MiB; \
             new submissions are refused until space is freed"
        );
        let mut response = (StatusCode::SERVICE_UNAVAILABLE, plain, reason).into_response();
        response.extensions_mut().insert(OwnAnswer);
        return response;
    }
    (plain, "ok").into_response()
}

/// `GET /privacy`: who runs the letter and reads the answers, what is kept, how to take it back.
pub async fn privacy(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
) -> Response {
    html(
        StatusCode::OK,
        Pages::new(state.campaign(), choice).privacy(state.config().delete_after_days),
    )
}

/// `GET /withdraw`: the form that takes a receipt.
pub async fn withdraw_form(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
) -> Response {
    html(
        StatusCode::OK,
        Pages::new(state.campaign(), choice).withdraw("", false),
    )
}

/// `POST /withdraw`: a receipt. The answer is the same whether it matched or not, and so is the
/// work done (see [`crate::store::Store::withdraw`]); only something that is not a receipt at
/// all comes back, with what was typed.
pub async fn withdraw(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
    request: Request,
) -> Result<Response, AppError> {
    if let Some(Err(limited)) = state.limiters().map(|l| l.check(&request)) {
        return Err(match limited {
            Limited::Wait { retry_after_secs } => AppError::RateLimited { retry_after_secs },
            Limited::NoClient => AppError::Internal,
        });
    }
    let pages = Pages::new(state.campaign(), choice);
    let (parts, body) = request.into_parts();
    if !body::is_form_urlencoded(parts.headers.get(header::CONTENT_TYPE)) {
        return Err(AppError::UnsupportedMediaType);
    }
    let expected = body::expected_length(&parts.headers);
    let body = body::read_body(body, expected, WITHDRAW_BODY_LIMIT).await?;
    let typed = form_urlencoded::parse(&body)
        .find(|(name, _)| name == "receipt")
        .map(|(_, value)| Zeroizing::new(value.into_owned()))
        .unwrap_or_default();
    let Some(receipt) = Receipt::parse(&typed) else {
        let page = pages.withdraw(&typed, true);
        return Ok(html_with_answers(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let today = u32::try_from(organizer::day_number(SystemTime::now())).unwrap_or(0);
    state
        .store()
        .withdraw(receipt.as_str(), receipt.sha256(), today)
        .await
        .map_err(|error| {
            tracing::error!("a withdrawal was not saved: {error}");
            AppError::Unavailable
        })?;
    if let Err(error) = state.public_list().refresh(state.store(), state.campaign()) {
        tracing::error!("the public list was not refreshed after a withdrawal: {error}");
    }
    Ok(html(StatusCode::OK, pages.withdrawn()))
}

/// The largest withdrawal form: one receipt, however it was spaced.
const WITHDRAW_BODY_LIMIT: usize = 1024;

/// `?page=` of the public list.
#[derive(Debug, serde::Deserialize)]
pub struct ListPage {
    page: Option<usize>,
}

/// `GET /signatories`: the public list, a page at a time; 404 while none is published.
pub async fn signatories(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
    Query(page): Query<ListPage>,
) -> Result<Response, AppError> {
    let shown = state.public_list().shown();
    if shown.is_empty() {
        return Err(AppError::NotFound);
    }
    let pages = Pages::new(state.campaign(), choice);
    Ok(html(
        StatusCode::OK,
        pages.signatories(&shown, page.page.unwrap_or(1)),
    ))
}

/// Any unknown address.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `POST /sign`: a filled-in form, taken through [`submit::submit`].
/// The form's action carries the page's `?lang=` (if it had one), so what comes back is in the
/// same language. A rate-limited form comes back with its answers and a fresh token (429).
pub async fn sign(
    State(state): State<AppState>,
    PageLanguage(choice): PageLanguage,
    request: Request,
) -> Result<Response, AppError> {
    if state.campaign().closed() {
        return Err(AppError::Closed);
    }
    let limited = match state.limiters().map(|limiters| limiters.check(&request)) {
        None | Some(Ok(())) => None,
        Some(Err(Limited::Wait { retry_after_secs })) => Some(retry_after_secs),
        Some(Err(Limited::NoClient)) => {
            tracing::error!("the rate limiter found no client on a request");
            return Err(AppError::Internal);
        }
    };
    let pages = Pages::new(state.campaign(), choice);
    let (parts, body) = request.into_parts();
    if !body::is_form_urlencoded(parts.headers.get(header::CONTENT_TYPE)) {
        return Err(AppError::UnsupportedMediaType);
    }
    let expected = body::expected_length(&parts.headers);
    let body = body::read_body(body, expected, state.config().body_limit).await?;
    let now = SystemTime::now();
    if let Some(retry_after_secs) = limited {
        return Ok(rate_limited(&state, pages, &body, retry_after_secs, now));
    }
    Ok(match submit::submit(&state, &body, now).await? {
        Outcome::Stored(receipt) | Outcome::AlreadyStored(receipt) => {
            html(StatusCode::OK, state.thanks_page(choice).page(&receipt))
        }
        // The trap looks like a success, with a receipt that belongs to nothing.
        Outcome::Trapped => html(
            StatusCode::OK,
            state.thanks_page(choice).page(&Receipt::random()),
        ),
        Outcome::Retry(retry) => {
            let fresh;
            let token = match retry.token_to_keep() {
                Some(token) => token,
                None => {
                    fresh = state.token_key().issue(now);
                    &fresh
                }
            };
            let notice = retry.token_problem.map(Notice::Token);
            let page = render_form(&state, pages, &retry.input, &retry.problems, notice, token);
            html_with_answers(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Outcome::ShortOfSpace(input) => {
            // The token was not used: the very same form can be sent again later.
            let token = input.token().map(str::to_owned).unwrap_or_default();
            let notice = Some(Notice::ShortOfSpace);
            let page = render_form(&state, pages, &input, &[], notice, &token);
            html_with_answers(StatusCode::SERVICE_UNAVAILABLE, page)
        }
        Outcome::NotSaved(input) => {
            // The token was released: the very same form can be sent again.
            let token = input.token().map(str::to_owned).unwrap_or_default();
            let notice = Some(Notice::NotSaved);
            let page = render_form(&state, pages, &input, &[], notice, &token);
            html_with_answers(StatusCode::SERVICE_UNAVAILABLE, page)
        }
        Outcome::ResentWithOtherAnswers(input) => {
            let token = state.token_key().issue(now);
            let notice = Some(Notice::ResentWithOtherAnswers);
            let page = render_form(&state, pages, &input, &[], notice, &token);
            html_with_answers(StatusCode::CONFLICT, page)
        }
    })
}

/// The 429 answer: the form again with everything that was sent and a fresh token, or, for a
/// body that is not this campaign's form, the plain page. Nothing is checked or stored.
fn rate_limited(
    state: &AppState,
    pages: Pages,
    body: &[u8],
    retry_after_secs: u64,
    now: SystemTime,
) -> Response {
    let mut response = match FormInput::parse(body, state.campaign()) {
        Ok(input) if !input.honeypot_filled() => {
            let token = state.token_key().issue(now);
            let notice = Some(Notice::RateLimited { retry_after_secs });
            let page = render_form(state, pages, &input, &[], notice, &token);
            html_with_answers(StatusCode::TOO_MANY_REQUESTS, page)
        }
        _ => AppError::RateLimited { retry_after_secs }.into_response(),
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

fn render_form(
    state: &AppState,
    pages: Pages,
    input: &FormInput,
    problems: &[FieldProblem],
    notice: Option<Notice>,
    token: &str,
) -> String {
    pages.form(&FormView {
        input,
        problems,
        notice,
        token,
        signatures: state.store().signature_count(),
        public_list: !state.public_list().shown().is_empty(),
    })
}
