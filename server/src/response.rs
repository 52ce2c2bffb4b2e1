//! HTML responses: a page with its content type, and a page that carries a person's answers
//! and is wiped once sent.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zeroize::Zeroizing;

/// The content type of every page.
pub const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// Marks a response whose error status carries its own answer for machines (`/healthz`), which
/// the error-page layer must leave as it is.
#[derive(Debug, Clone, Copy)]
pub struct OwnAnswer;

/// A page with `status`.
pub fn html(status: StatusCode, page: String) -> Response {
    (status, [(header::CONTENT_TYPE, HTML)], page).into_response()
}

/// A page that shows what a person typed: its bytes are wiped once the response is sent and
/// dropped, instead of lingering in freed memory.
pub fn html_with_answers(status: StatusCode, page: String) -> Response {
    let wiped_on_drop = Bytes::from_owner(Zeroizing::new(page.into_bytes()));
    (
        status,
        [(header::CONTENT_TYPE, HTML)],
        Body::from(wiped_on_drop),
    )
        .into_response()
}
