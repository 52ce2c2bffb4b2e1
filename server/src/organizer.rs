//! The organizer API (`/organizer/…`, described in `docs/API.md`): organizers sign in by
//! proving they hold an identity the server seals to ([`crate::gate`]), then list and fetch records,
//! delete the ones their vault holds, read withdrawal markers, and publish the signatory list.
//! The handlers only translate; the work is in [`crate::gate`], [`crate::store`] and
//! [`crate::public_list`]. Answers are JSON and never cached.

use std::time::{Instant, SystemTime};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use seal::RecordId;
use serde::Deserialize;
use serde_json::json;

use crate::gate::SESSION_LIFETIME;
use crate::public_list::{self, PublishProblem, Signatory};
use crate::rate_limit::Limited;
use crate::receipt::lowercase_hex;
use crate::response::OwnAnswer;
use crate::state::AppState;

/// The most records one listing gives.
const MAX_LISTED: usize = 1000;
/// How long withdrawal markers are kept, in days.
pub const WITHDRAWAL_MARKER_DAYS: u32 = 90;

/// What went wrong with an organizer request, as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No valid session, or a wrong challenge answer: always the same answer (401).
    NotSignedIn,
    /// The body or a parameter is not what the API describes (400).
    BadRequest(&'static str),
    /// No such record on this host (404).
    NoSuchRecord,
    /// A signatory carries a field the campaign does not make public, or a bad value (422).
    NotPublishable(String),
    /// Too many sign-in attempts from this client (429).
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The store could not do it; nothing changed (503).
    Unavailable,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Self::NotSignedIn => (StatusCode::UNAUTHORIZED, "not signed in".to_owned()),
            Self::BadRequest(what) => (StatusCode::BAD_REQUEST, (*what).to_owned()),
            Self::NoSuchRecord => (StatusCode::NOT_FOUND, "no such record".to_owned()),
            Self::NotPublishable(what) => (StatusCode::UNPROCESSABLE_ENTITY, what.clone()),
            Self::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too many attempts: wait and try again".to_owned(),
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "the store could not do this now; nothing changed".to_owned(),
            ),
        };
        let mut response = api_json(status, json!({ "error": message }));
        if let Self::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

impl From<crate::Error> for ApiError {
    fn from(error: crate::Error) -> Self {
        tracing::error!("organizer request failed: {error}");
        Self::Unavailable
    }
}

/// A JSON answer that is never cached, and that the error-page layer leaves as it is.
fn api_json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.extensions_mut().insert(OwnAnswer);
    response
}

/// A request from a signed-in organizer: extracting it checks the session.
#[derive(Debug, Clone, Copy)]
pub struct Organizer;

impl FromRequestParts<AppState> for Organizer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ApiError::NotSignedIn)?;
        match state.gate().is_open(token, Instant::now()) {
            true => Ok(Organizer),
            false => Err(ApiError::NotSignedIn),
        }
    }
}

/// The per-client rate limit, as for signing.
fn check_rate<T>(state: &AppState, request: &axum::http::Request<T>) -> Result<(), ApiError> {
    match state.limiters().map(|limiters| limiters.check(request)) {
        None | Some(Ok(())) => Ok(()),
        Some(Err(Limited::Wait { retry_after_secs })) => {
            Err(ApiError::RateLimited { retry_after_secs })
        }
        Some(Err(Limited::NoClient)) => Err(ApiError::Unavailable),
    }
}

/// `POST /organizer/challenge`: a challenge sealed to the configured recipients.
pub async fn challenge(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    check_rate(&state, &request)?;
    let sealed = state
        .gate()
        .challenge(&state.config().recipients, Instant::now())?;
    Ok(api_json(StatusCode::OK, json!({ "challenge": sealed })))
}

#[derive(Deserialize)]
struct Answer {
    answer: String,
}

/// `POST /organizer/session`: the opened challenge back; a session if it was right.
pub async fn session(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    check_rate(&state, &request)?;
    let body = axum::body::to_bytes(request.into_body(), 4096)
        .await
        .map_err(|_| ApiError::BadRequest("the body is not a sign-in answer"))?;
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("the body is not a sign-in answer"))?;
    let session = state
        .gate()
        .answer(&answer.answer, Instant::now())
        .ok_or(ApiError::NotSignedIn)?;
    Ok(api_json(
        StatusCode::OK,
        json!({ "session": session, "expires_in_secs": SESSION_LIFETIME.as_secs() }),
    ))
}

/// `?after=&limit=` of a record listing.
#[derive(Debug, Deserialize)]
pub struct Page {
    after: Option<String>,
    limit: Option<usize>,
}

fn record_id(text: &str) -> Result<RecordId, ApiError> {
    lowercase_hex(text)
        .map(RecordId::from_bytes)
        .ok_or(ApiError::BadRequest(
            "a record id is 32 lowercase hex digits",
        ))
}

fn sha256(text: &str) -> Result<[u8; 32], ApiError> {
    lowercase_hex(text).ok_or(ApiError::BadRequest("a hash is 64 lowercase hex digits"))
}

/// `GET /organizer/records`: records in id order, a page at a time.
pub async fn records(
    _: Organizer,
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<Response, ApiError> {
    let after = page.after.as_deref().map(record_id).transpose()?;
    let limit = page.limit.unwrap_or(MAX_LISTED).clamp(1, MAX_LISTED);
    let listed = state.store().list(after, limit)?;
    let next_after = (listed.len() == limit).then(|| listed.last().map(|r| r.id.to_string()));
    let records: Vec<_> = listed
        .iter()
        .map(|r| {
            json!({
                "id": r.id.to_string(),
                "sha256": hex::encode(r.sha256),
                "size": r.size,
                "recipients": r.recipients.to_string(),
            })
        })
        .collect();
    let mut body = json!({ "records": records });
    if let Some(Some(next)) = next_after {
        body["next_after"] = json!(next);
    }
    Ok(api_json(StatusCode::OK, body))
}

/// `GET /organizer/records/{id}`: one record's bytes.
pub async fn record(
    _: Organizer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = record_id(&id)?;
    let bytes = state.store().get(id)?.ok_or(ApiError::NoSuchRecord)?;
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response();
    response.extensions_mut().insert(OwnAnswer);
    Ok(response)
}

#[derive(Deserialize)]
struct PurgeRequest {
    records: Vec<PurgeItem>,
}

#[derive(Deserialize)]
struct PurgeItem {
    id: String,
    sha256: String,
}

/// `POST /organizer/purge`: deletes the listed records whose bytes still match.
pub async fn purge(
    _: Organizer,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: PurgeRequest = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("the body is not a purge request"))?;
    let wanted = request
        .records
        .iter()
        .map(|item| Ok((record_id(&item.id)?, sha256(&item.sha256)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let asked: Vec<RecordId> = wanted.iter().map(|(id, _)| *id).collect();
    let deleted = state.store().purge(wanted).await?;
    let kept: Vec<String> = asked
        .iter()
        .filter(|id| !deleted.contains(id))
        .map(ToString::to_string)
        .collect();
    let deleted: Vec<String> = deleted.iter().map(ToString::to_string).collect();
    tracing::info!("purge: {} record(s) deleted", deleted.len());
    Ok(api_json(
        StatusCode::OK,
        json!({ "deleted": deleted, "kept": kept }),
    ))
}

/// `GET /organizer/campaign`: the campaign file the server runs, and its version.
pub async fn campaign(_: Organizer, State(state): State<AppState>) -> Response {
    let campaign = state.campaign();
    api_json(
        StatusCode::OK,
        json!({ "version": campaign.version(), "toml": campaign.source_text() }),
    )
}

/// `GET /organizer/withdrawals`: every withdrawal marker kept.
pub async fn withdrawals(
    _: Organizer,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let markers: Vec<_> = state
        .store()
        .withdrawals()?
        .into_iter()
        .map(|m| {
            let day = seal::Day::from_days_since_epoch(i64::from(m.day));
            json!({ "receipt": m.receipt, "day": day.to_string() })
        })
        .collect();
    Ok(api_json(StatusCode::OK, json!({ "withdrawals": markers })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    signatories: Vec<Signatory>,
}

/// `PUT /organizer/signatories`: replaces the published list.
pub async fn publish(
    _: Organizer,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: PublishRequest = serde_json::from_slice(&body)
        .map_err(|_| ApiError::BadRequest("the body is not a signatory list"))?;
    let entries =
        public_list::check(request.signatories, state.campaign()).map_err(|p| match p {
            PublishProblem::NotPublic(name) => {
                ApiError::NotPublishable(format!("the campaign does not make \"{name}\" public"))
            }
            PublishProblem::BadValue(name) => ApiError::NotPublishable(format!(
                "an answer to \"{name}\" is too long or holds control characters"
            )),
            PublishProblem::BadReceipt => {
                ApiError::BadRequest("a receipt is 64 lowercase hex digits")
            }
        })?;
    let count = entries.len();
    state.store().set_signatories(entries).await?;
    state
        .public_list()
        .refresh(state.store(), state.campaign())?;
    tracing::info!("published a list of {count} signatories");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /organizer/signatories`: unpublishes the list.
pub async fn unpublish(_: Organizer, State(state): State<AppState>) -> Result<Response, ApiError> {
    state.store().set_signatories(Vec::new()).await?;
    state
        .public_list()
        .refresh(state.store(), state.campaign())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes what retention says to: records older than the configured days (by whole weeks)
/// and withdrawal markers older than [`WITHDRAWAL_MARKER_DAYS`]. Logs the counts.
pub async fn apply_retention(state: &AppState, now: SystemTime) {
    let today = day_number(now);
    let before_week = state
        .config()
        .delete_after_days
        .map(|days| first_kept_week(today, days));
    let before_day = u32::try_from(today - i64::from(WITHDRAWAL_MARKER_DAYS)).unwrap_or(0);
    match state.store().forget(before_week, before_day).await {
        Ok((0, 0)) => {}
        Ok((records, markers)) => tracing::info!(
            "retention: deleted {records} record(s) and {markers} withdrawal marker(s)"
        ),
        Err(error) => tracing::error!("retention failed: {error}"),
    }
}

/// The first week (as [`crate::store::week_of`] counts) whose records are kept on day `today`
/// when records are deleted `days` after they arrive. A week's last day (Sunday) is day
/// 7·week + 3: a week is forgotten once all of it is at least `days` old.
fn first_kept_week(today: i64, days: u32) -> u32 {
    u32::try_from((today - 3 - i64::from(days)).div_euclid(7) + 1).unwrap_or(0)
}

/// Days since 1970-01-01, as the store counts them.
pub fn day_number(now: SystemTime) -> i64 {
    now.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| (since.as_secs() / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::store::week_of;

    #[test]
    fn retention_forgets_whole_weeks_once_every_day_of_them_is_old_enough() {
        let day = |n: u64| UNIX_EPOCH + Duration::from_secs(n * 86_400 + 3600);
        // 2026-11-30 is a Monday: day 20,787.
        let monday = 20_787;
        let week = week_of(day(monday));
        assert_eq!(
            week_of(day(monday + 6)),
            week,
            "Monday to Sunday is one week"
        );
        assert_eq!(week_of(day(monday - 1)), week - 1);
        let sunday = i64::from(monday as u32 + 6);
        // 30 days after that week's Sunday, the week is forgotten; a day earlier it is not.
        assert_eq!(first_kept_week(sunday + 30, 30), week + 1);
        assert_eq!(first_kept_week(sunday + 29, 30), week);
        assert_eq!(first_kept_week(5, 30), 0, "nothing before 1970 to forget");
    }
}
