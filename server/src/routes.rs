//! The one map of the service: every route, and every layer around them.
//!
//! ```text
//! GET  /                  the letter and the form          handlers::form_page
//! POST /sign              a filled-in form                 handlers::sign → submit::submit
//!                           body limit; in the handler: closed campaign (410), per-address
//!                           then global rate limit (429, the form with its answers),
//!                           body::read_body (enforces the body limit again)
//! GET  /privacy           who reads the answers, and how   handlers::privacy
//! GET  /withdraw          the receipt form                 handlers::withdraw_form
//! POST /withdraw          a receipt: withdrawn, or not     handlers::withdraw (rate-limited)
//! GET  /signatories       the published list, paged        handlers::signatories
//! /organizer/…            the organizer API (docs/API.md)  organizer::*
//! GET  /static/style.css  the stylesheet (may be cached)   handlers::stylesheet
//! GET  /healthz           "ok", for supervisors            handlers::healthz
//! anything else           404 page                         handlers::not_found
//!
//! around every route, outermost first (the first five are one layer, `around_every_request`):
//!   request log (method, route, status, latency; no address, no URI, no time of day)
//!   security headers (also on every error page)
//!   Onion-Location on clear-web pages, when an onion address is configured
//!   error pages: an AppError's, or one for a bare error status (408, 413, 405, 500, 503),
//!   in the request's language (?lang=, else Accept-Language; no cookie)
//!   request headers over 16 KiB (→ 431; hyper itself answers a bare 431 above its own
//!   limit of about 400 KiB or 100 headers, and a bare 400 for what it cannot parse)
//!   panic catcher (→ plain 500)
//!   load shedding at the in-flight limit (→ 503)
//!   request timeout (→ 408)
//! ```
//!
//! The header timeout and the connection cap are in [`crate::serve`], below HTTP routing.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::app_error::{self, AppError, PageLanguage};
use crate::handlers;
use crate::organizer;
use crate::proxy_protocol::ProxiedClient;
use crate::state::AppState;

/// The pages' Content Security Policy: the stylesheet from this site, forms posted only here,
/// no scripts, no frames, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Denies every powerful browser feature to the page.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
     publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), \
     xr-spatial-tracking=(), interest-cohort=(), browsing-topics=()";

/// Two years, subdomains included; sent only when the site is served over TLS.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// The service for `state`: every route with every layer.
pub fn app(state: AppState) -> Router {
    let config = state.config();
    // The rate limits are checked in the handler, so that a refused form comes back with its
    // answers.
    let sign = post(handlers::sign).route_layer(RequestBodyLimitLayer::new(config.body_limit));
    let routes = Router::new()
        .route("/", get(handlers::form_page))
        .route("/sign", sign)
        .route("/privacy", get(handlers::privacy))
        .route(
            "/withdraw",
            get(handlers::withdraw_form).post(handlers::withdraw),
        )
        .route("/signatories", get(handlers::signatories))
        .merge(organizer_routes())
        .route("/static/style.css", get(handlers::stylesheet))
        .route("/healthz", get(handlers::healthz))
        .fallback(handlers::not_found);
    with_common_layers(routes, state)
}

/// The organizer API (`docs/API.md`). Bodies up to 16 MiB: a signatory list can be long.
fn organizer_routes() -> Router<AppState> {
    Router::new()
        .route("/organizer/challenge", post(organizer::challenge))
        .route("/organizer/session", post(organizer::session))
        .route("/organizer/records", get(organizer::records))
        .route("/organizer/records/{id}", get(organizer::record))
        .route("/organizer/purge", post(organizer::purge))
        .route("/organizer/campaign", get(organizer::campaign))
        .route("/organizer/withdrawals", get(organizer::withdrawals))
        .route(
            "/organizer/signatories",
            put(organizer::publish).delete(organizer::unpublish),
        )
        .layer(DefaultBodyLimit::max(ORGANIZER_BODY_LIMIT))
}

/// The largest organizer request body.
const ORGANIZER_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Wraps `routes` in the layers every route gets (see the module doc for the order).
/// Public so that tests can put the same layers around a route that panics.
pub fn with_common_layers(routes: Router<AppState>, state: AppState) -> Router {
    let config = state.config();
    let around = Around {
        headers: Arc::new(security_headers(config.tls_served)),
        onion_address: config.onion_address.as_deref().map(Arc::from),
        state: state.clone(),
    };
    routes
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(around, around_every_request))
                // The panic catcher's body type, back to axum's.
                .map_response(IntoResponse::into_response)
                .layer(CatchPanicLayer::custom(app_error::panic_response))
                .layer(HandleErrorLayer::new(app_error::overloaded))
                .layer(LoadShedLayer::new())
                .layer(GlobalConcurrencyLimitLayer::new(config.max_in_flight))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    config.request_timeout,
                )),
        )
        .with_state(state)
}

/// What the outer layer needs.
#[derive(Clone)]
struct Around {
    headers: Arc<HeaderMap>,
    onion_address: Option<Arc<str>>,
    state: AppState,
}

/// The outer layers of the module doc, from the request log to the header-size check, in one
/// layer: each layer of its own cost a copy of the service and a boxed future per request.
async fn around_every_request(
    State(around): State<Around>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = loggable_method(request.method());
    // A shared string: no copy per request.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let onion_location = onion_location(around.onion_address.as_deref(), &request);
    let PageLanguage(choice) = PageLanguage::of(request.uri(), request.headers());
    // The handlers' pages are in the same language: they need not choose it again.
    request.extensions_mut().insert(PageLanguage(choice));
    let response = if headers_too_large(&request) {
        AppError::HeadersTooLarge.into_response()
    } else {
        next.run(request).await
    };
    let mut response = app_error::with_error_page(&around.state, choice, response);
    if let Some(target) = onion_location
        && is_page(&response)
    {
        response
            .headers_mut()
            .insert(HeaderName::from_static("onion-location"), target);
    }
    add_security_headers(&around.headers, response.headers_mut());
    tracing::info!(
        method,
        route = route.as_ref().map_or("(no route)", MatchedPath::as_str),
        status = response.status().as_u16(),
        latency_ms = %format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    response
}

/// The headers every response carries. `Cache-Control: no-store` is the default for
/// responses that set none (every page); the stylesheet sets its own.
pub fn security_headers(tls_served: bool) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::CACHE_CONTROL, "no-store");
    if tls_served {
        set(header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY);
    }
    headers
}

/// Puts `headers` on a response (keeping its own `Cache-Control`) and takes off what must never
/// be sent.
fn add_security_headers(headers: &HeaderMap, out: &mut HeaderMap) {
    for (name, value) in headers.iter() {
        if name == header::CACHE_CONTROL && out.contains_key(header::CACHE_CONTROL) {
            continue;
        }
        out.insert(name.clone(), value.clone());
    }
    // Nothing here sets either, and nothing ever may.
    out.remove(header::SERVER);
    out.remove(header::SET_COOKIE);
}

/// The most request-line and header bytes a request may carry. Browsers send a few KiB; more
/// is a broken client or an attempt to make each connection cost memory.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

fn headers_too_large(request: &Request) -> bool {
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    // The request line as sent: an origin-form target (`/path?query`), or an absolute one.
    let uri = request.uri();
    let target_bytes = uri.scheme_str().map_or(0, |scheme| scheme.len() + 3)
        + uri
            .authority()
            .map_or(0, |authority| authority.as_str().len())
        + uri.path_and_query().map_or(0, |path| path.as_str().len());
    let line_bytes = target_bytes + request.method().as_str().len() + 12;
    header_bytes + line_bytes > MAX_HEADER_BYTES
}

/// The `Onion-Location` a page answering `request` gets: Tor Browser then knows the page is
/// also an onion service. Only on the clear-web entrance: the onion listener's requests carry
/// their PROXY line's client.
fn onion_location(onion_address: Option<&str>, request: &Request) -> Option<HeaderValue> {
    let onion = onion_address?;
    if request.extensions().get::<ProxiedClient>().is_some() {
        return None;
    }
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str());
    HeaderValue::try_from(format!("http://{onion}{path}")).ok()
}

fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"))
}

fn loggable_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}
