//! The handlers: HTTP in, calls to [`crate::form`], [`crate::token`], [`seal`] and
//! [`crate::store`], HTML out. Each one only translates; the steps are plain functions below.
//!
//! Nothing here logs, or puts into an error, anything a person typed, their address or their
//! user agent. The request body is read into a buffer that is wiped when dropped.

use std::any::Any;
use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use axum::BoxError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError};
use seal::{Day, RecipientSetFingerprint, Submission};
use tower_governor::GovernorError;
use zeroize::Zeroizing;

use crate::Error;
use crate::campaign::Campaign;
use crate::config::Config;
use crate::form::{self, FieldError, FormInput};
use crate::pages::{self, FormView, Message, texts};
use crate::rate_limit::Limiters;
use crate::store::Store;
use crate::token::{TokenKey, TokenNonce, TokenProblem, UsedTokens};

const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// What every handler shares: the configuration, the store, the form-token key and replay
/// guard, and the rate limiters. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    config: Config,
    store: Store,
    fingerprint: RecipientSetFingerprint,
    token_key: TokenKey,
    used_tokens: UsedTokens,
    limiters: Option<Limiters>,
}

impl AppState {
    /// The state for a server with `config`, storing into `store`. Makes a fresh form-token key
    /// and, unless turned off, fresh rate limiters.
    pub fn new(config: Config, store: Store) -> Self {
        let limiters = config
            .rate_limits
            .map(|limits| Limiters::new(&limits, &config.trusted_proxies));
        Self {
            shared: Arc::new(Shared {
                fingerprint: config.recipients.fingerprint(),
                config,
                store,
                token_key: TokenKey::generate(),
                used_tokens: UsedTokens::new(),
                limiters,
            }),
        }
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The campaign served.
    pub fn campaign(&self) -> &Campaign {
        &self.shared.config.campaign
    }

    /// The rate limiters, unless turned off.
    pub fn limiters(&self) -> Option<&Limiters> {
        self.shared.limiters.as_ref()
    }

    /// Forgets used form tokens that have expired anyway, and rate-limit state of addresses
    /// whose quota is full again. Run periodically.
    pub fn forget_old(&self, now: SystemTime) {
        self.shared
            .used_tokens
            .prune(now, self.shared.config.token_policy.max_age);
        if let Some(limiters) = &self.shared.limiters {
            limiters.forget_idle();
            tracing::debug!(
                "rate limiter tracks {} addresses",
                limiters.tracked_addresses()
            );
        }
    }

    /// The form page. `token` is the one to embed; `None` issues a fresh one.
    fn form_html(
        &self,
        input: &FormInput,
        errors: &[FieldError],
        notice: Option<&str>,
        token: Option<&str>,
        now: SystemTime,
    ) -> String {
        let fresh;
        let token = match token {
            Some(token) => token,
            None => {
                fresh = self.shared.token_key.issue(now);
                &fresh
            }
        };
        pages::form_page(
            self.campaign(),
            &FormView {
                input,
                errors,
                notice,
                token,
                signatures: self.shared.store.signature_count(),
            },
        )
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("campaign", &self.campaign().id())
            .field("recipients", &self.shared.fingerprint)
            .finish_non_exhaustive()
    }
}

/// `GET /`: the letter and a blank form with a fresh token.
pub async fn form_page(State(state): State<AppState>) -> Response {
    let blank = FormInput::blank();
    html(
        StatusCode::OK,
        state.form_html(&blank, &[], None, None, SystemTime::now()),
    )
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

/// `GET /healthz`: for supervisors and load balancers.
pub async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok").into_response()
}

/// Any unknown address.
pub async fn not_found(State(state): State<AppState>) -> Response {
    message(&state, StatusCode::NOT_FOUND)
}

/// `POST /sign`: check, seal, store durably, thank. See [`check_submission`] for the order.
pub async fn sign(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if !is_form_urlencoded(parts.headers.get(header::CONTENT_TYPE)) {
        return message(&state, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let body = match read_body(body, expected_length(&parts.headers)).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return message(&state, StatusCode::PAYLOAD_TOO_LARGE),
        Err(BodyError::Broken) => return message(&state, StatusCode::BAD_REQUEST),
    };
    let now = SystemTime::now();
    match check_submission(&state, &body, now) {
        Checked::Trap => thanks(&state),
        Checked::BadForm(reason) => {
            let title = texts(state.campaign().language()).bad_request.title;
            html(
                StatusCode::BAD_REQUEST,
                pages::message_page(state.campaign(), title, &reason),
            )
        }
        Checked::Retry(page) => html_with_answers(StatusCode::UNPROCESSABLE_ENTITY, page),
        Checked::Ready { submission, nonce } => accept(&state, submission, nonce, now).await,
    }
}

/// What a form body turned out to be.
enum Checked {
    /// The trap field was filled: answer as if stored, store nothing.
    Trap,
    /// Not a form this campaign's page sends (→ 400), with the reason for the person.
    BadForm(String),
    /// The form again (→ 422): answers kept, problems marked, a fresh token.
    Retry(String),
    /// Valid, with a valid token.
    Ready {
        submission: Submission,
        nonce: TokenNonce,
    },
}

/// Parse, then the trap, then the token and the answers. A refused token and wrong answers
/// are shown together, so the person fixes everything at once.
fn check_submission(state: &AppState, body: &[u8], now: SystemTime) -> Checked {
    let campaign = state.campaign();
    let input = match FormInput::parse(body, campaign) {
        Ok(input) => input,
        Err(error) => return Checked::BadForm(error.to_string()),
    };
    if input.honeypot_filled() {
        return Checked::Trap;
    }
    let token = match input.token() {
        Some(token) => state
            .shared
            .token_key
            .verify(token, now, &state.config().token_policy),
        None => Err(TokenProblem::Missing),
    };
    match (token, form::validate(&input, campaign, Day::of(now))) {
        (Ok(nonce), Ok(submission)) => Checked::Ready { submission, nonce },
        (token, answers) => {
            let errors = answers.err().unwrap_or_default();
            // A token that is only too young stays: its age keeps counting from when the form
            // was first served, so "send again in a moment" works on the next press. Any other
            // problem gets a fresh token.
            let keep_token = match &token {
                Err(TokenProblem::TooYoung { .. }) => input.token(),
                _ => None,
            };
            let notice = token
                .err()
                .map(|problem| pages::token_notice(campaign, problem));
            Checked::Retry(state.form_html(&input, &errors, notice, keep_token, now))
        }
    }
}

/// Claims the token, then seals and stores. A token already claimed means the same form was
/// sent twice (a double click, a reload): thank again, store nothing. If saving fails the
/// token is released, so the person can go back and send the very same form again.
async fn accept(
    state: &AppState,
    submission: Submission,
    nonce: TokenNonce,
    now: SystemTime,
) -> Response {
    if !state.shared.used_tokens.claim(nonce, now) {
        return thanks(state);
    }
    // In its own task: if the request is cut short (a timeout, the client leaving), the record
    // is still stored or the token released, never neither.
    let task_state = state.clone();
    let saved = tokio::spawn(async move {
        let saved = seal_and_store(&task_state, submission).await;
        if saved.is_err() {
            task_state.shared.used_tokens.release(nonce);
        }
        saved
    })
    .await
    .unwrap_or_else(|_| Err(Error::Seal("the sealing task stopped".into())));
    match saved {
        Ok(()) => thanks(state),
        Err(error @ Error::Seal(_)) => {
            tracing::error!("submission not saved: {error}");
            message(state, StatusCode::INTERNAL_SERVER_ERROR)
        }
        Err(error) => {
            tracing::error!("submission not saved: {error}");
            message(state, StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// Seals on a blocking thread (age's X25519 and ChaCha20 are CPU work), then stores; returns
/// once the record is on disk.
async fn seal_and_store(state: &AppState, submission: Submission) -> Result<(), Error> {
    let sealing = state.clone();
    let record =
        tokio::task::spawn_blocking(move || seal::seal(&submission, &sealing.config().recipients))
            .await
            .map_err(|_| Error::Seal("the sealing task stopped".into()))?
            .map_err(|e| Error::Seal(e.to_string()))?;
    state
        .shared
        .store
        .put(record, state.shared.fingerprint)
        .await
        .map(drop)
}

/// Whether a Content-Type is `application/x-www-form-urlencoded`, alone or with a UTF-8
/// `charset` (what browsers send for this form).
pub fn is_form_urlencoded(content_type: Option<&HeaderValue>) -> bool {
    let Some(Ok(value)) = content_type.map(HeaderValue::to_str) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, value)) => {
                name.trim().eq_ignore_ascii_case("charset")
                    && value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            None => parameter.trim().is_empty(),
        })
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// It is longer than the body limit (→ 413).
    TooLarge,
    /// The connection broke or the framing was invalid (→ 400).
    Broken,
}

/// The Content-Length, when given and readable.
fn expected_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Reads a whole body into a buffer that is wiped when dropped. The buffer never reallocates
/// in place: growing it copies into a new buffer and wipes the old one, so no copy of the form
/// is left behind in freed memory by this function. The body limit is the
/// `RequestBodyLimitLayer` in [`crate::routes`]; its error is recognized here.
pub async fn read_body(
    mut body: Body,
    expected_length: Option<usize>,
) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    const FIRST_CAPACITY: usize = 16 * 1024;
    let mut buffer = Zeroizing::new(Vec::with_capacity(
        expected_length.unwrap_or(FIRST_CAPACITY),
    ));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| {
            if is_length_limit(&error) {
                BodyError::TooLarge
            } else {
                BodyError::Broken
            }
        })?;
        if let Ok(data) = frame.into_data() {
            append_wiping(&mut buffer, &data);
        }
    }
    Ok(buffer)
}

fn append_wiping(buffer: &mut Zeroizing<Vec<u8>>, data: &[u8]) {
    let needed = buffer.len() + data.len();
    if needed > buffer.capacity() {
        let mut grown = Zeroizing::new(Vec::with_capacity(needed.max(buffer.capacity() * 2)));
        grown.extend_from_slice(buffer);
        // Assigning drops (and so wipes) the old buffer.
        *buffer = grown;
    }
    buffer.extend_from_slice(data);
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(error) = cause {
        if error.is::<LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// The answer to a limited request: 429, `Retry-After` in whole seconds (rounded up), and a
/// page saying the text is still in the form. The governor's own headers are not passed on.
pub fn rate_limited(state: &AppState, error: GovernorError) -> Response {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            // `wait_time` is rounded down; one more second is always enough.
            let retry_after = wait_time.saturating_add(1);
            let mut response = html(
                StatusCode::TOO_MANY_REQUESTS,
                pages::rate_limited_page(state.campaign(), retry_after),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        GovernorError::UnableToExtractKey => {
            tracing::error!("the rate limiter found no peer address on a request");
            message(state, StatusCode::INTERNAL_SERVER_ERROR)
        }
        GovernorError::Other { code, .. } => message(state, code),
    }
}

/// Gives responses that carry no page of their own (from the timeout, the body limit, the load
/// shedder, the panic catcher, axum's 405) the campaign's page for their status, keeping
/// their headers (e.g. `Allow`).
pub async fn pages_for_bare_errors(State(state): State<AppState>, response: Response) -> Response {
    let status = response.status();
    let has_page = response.headers().get(header::CONTENT_TYPE) == Some(&HTML);
    if has_page || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let Message { title, body } = message_for(state.campaign(), status);
    parts.headers.insert(header::CONTENT_TYPE, HTML);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(
        parts,
        Body::from(pages::message_page(state.campaign(), title, body)),
    )
}

/// The panic catcher's answer: a bare 500 (which [`pages_for_bare_errors`] turns into the
/// plain error page). The panic's message is not looked at: it could quote anything.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked; answered 500");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The load shedder's answer when every slot is busy: a bare 503.
pub async fn overloaded(_: BoxError) -> StatusCode {
    StatusCode::SERVICE_UNAVAILABLE
}

/// The campaign's message for an error status.
fn message_for(campaign: &Campaign, status: StatusCode) -> Message {
    let t = texts(campaign.language());
    match status {
        StatusCode::BAD_REQUEST => t.bad_request,
        StatusCode::NOT_FOUND => t.not_found,
        StatusCode::METHOD_NOT_ALLOWED => t.method_not_allowed,
        StatusCode::REQUEST_TIMEOUT => t.timeout,
        StatusCode::PAYLOAD_TOO_LARGE => t.too_large,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => t.unsupported_media_type,
        StatusCode::SERVICE_UNAVAILABLE => t.unavailable,
        _ => t.server_error,
    }
}

fn message(state: &AppState, status: StatusCode) -> Response {
    let Message { title, body } = message_for(state.campaign(), status);
    html(status, pages::message_page(state.campaign(), title, body))
}

fn thanks(state: &AppState) -> Response {
    html(StatusCode::OK, pages::thanks_page(state.campaign()))
}

fn html(status: StatusCode, page: String) -> Response {
    (status, [(header::CONTENT_TYPE, HTML)], page).into_response()
}

/// A page that shows what a person typed: its bytes are wiped once the response is sent and
/// dropped, instead of lingering in freed memory.
fn html_with_answers(status: StatusCode, page: String) -> Response {
    let wiped_on_drop = Bytes::from_owner(Zeroizing::new(page.into_bytes()));
    (
        status,
        [(header::CONTENT_TYPE, HTML)],
        Body::from(wiped_on_drop),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_urlencoded_forms_in_utf8_are_accepted() {
        let accepts =
            |value: &str| is_form_urlencoded(Some(&HeaderValue::from_str(value).unwrap()));
        assert!(accepts("application/x-www-form-urlencoded"));
        assert!(accepts("Application/X-WWW-Form-URLEncoded ; charset=UTF-8"));
        assert!(accepts(
            "application/x-www-form-urlencoded;charset=\"utf-8\""
        ));
        assert!(!accepts(
            "application/x-www-form-urlencoded; charset=iso-8859-1"
        ));
        assert!(!accepts("application/x-www-form-urlencoded; boundary=x"));
        assert!(!accepts("multipart/form-data; boundary=x"));
        assert!(!accepts("application/json"));
        assert!(!accepts("text/plain"));
        assert!(!is_form_urlencoded(None));
    }

    #[test]
    fn a_growing_buffer_keeps_every_piece() {
        let mut buffer = Zeroizing::new(Vec::with_capacity(10));
        for i in 0..100u8 {
            append_wiping(&mut buffer, &[i; 1000]);
        }
        assert_eq!(buffer.len(), 100_000);
        assert!(
            buffer
                .chunks(1000)
                .enumerate()
                .all(|(i, c)| c.iter().all(|&b| usize::from(b) == i))
        );
    }

    #[tokio::test]
    async fn reads_a_whole_body() {
        let read = read_body(Body::from(vec![7u8; 5000]), None).await.unwrap();
        assert_eq!(&read[..], &[7u8; 5000][..]);
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_too_large() {
        let limited = http_body_util::Limited::new(Body::from(vec![1u8; 2000]), 1000);
        assert_eq!(
            read_body(Body::new(limited), None).await.unwrap_err(),
            BodyError::TooLarge
        );
    }

    #[test]
    fn the_panic_answer_says_nothing() {
        let response = panic_response(Box::new("secret testimony"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get(header::CONTENT_TYPE).is_none());
    }
}
