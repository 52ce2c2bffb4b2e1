//! sealform's web service: serves a campaign's letter and form, seals every submission to the
//! organizers' age public keys before anything touches disk, and stores only ciphertext.
//!
//! Data flows one way: form bytes → [`form::FormInput`] → validated [`seal::Submission`] →
//! sealed record → [`store::Store`] (durable) → thank-you page; [`submit`] is that flow, with
//! no HTTP in it. `docs/ARCHITECTURE.md` maps the modules and where each kind of change goes.
//!
//! [`app`] is the service (every route and layer, in [`routes`]); [`run`] serves it on a
//! listener until a shutdown signal. The binary only parses its arguments and calls them.

pub mod app_error;
pub mod body;
pub use sealform_campaign as campaign;
pub mod config;
pub mod demo;
pub mod error;
pub mod form;
pub mod gate;
pub mod handlers;
pub mod organizer;
pub mod pages;
pub mod process;
pub mod proxy_protocol;
pub mod public_list;
pub mod rate_limit;
pub mod receipt;
pub mod response;
pub mod routes;
pub mod serve;
pub mod settings;
pub mod state;
pub mod store;
pub mod submit;
pub mod token;

use std::future::Future;
use std::io::Write;
use std::time::{Duration, SystemTime};

use tokio::net::TcpListener;

pub use config::Config;
pub use error::Error;
pub use routes::app;
pub use state::AppState;

use serve::ConnectionLimits;
use store::Store;

/// How often used tokens and idle rate-limit entries are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);
/// How often records past their retention, and old withdrawal markers, are deleted.
const RETENTION_EVERY: Duration = Duration::from_secs(60 * 60);

/// Opens the store, serves [`app`] on `listener` until `shutdown` completes, lets the requests
/// in flight finish, then flushes and closes the store. Prints `listening on http://ADDR`
/// once ready (with port 0, the port picked).
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<(), Error> {
    let address = listener.local_addr().map_err(|e| Error::Listen {
        address: config.listen.to_string(),
        reason: e.to_string(),
    })?;
    let onion = match config.onion_listen {
        Some(onion_address) => {
            Some(
                TcpListener::bind(onion_address)
                    .await
                    .map_err(|e| Error::Listen {
                        address: onion_address.to_string(),
                        reason: e.to_string(),
                    })?,
            )
        }
        None => None,
    };
    // Before the data folder is made: a key file to fix must not leave one behind.
    let token_key = state::token_key_for(&config)?;
    let store = Store::open(&config.data_dir)?;
    describe(&config);
    let limits = ConnectionLimits {
        header_read_timeout: config.header_read_timeout,
        max_connections: config.max_connections,
        max_per_client: config.max_conns_per_client,
        trusted_proxies: config
            .trusted_proxies
            .iter()
            .map(|ip| ip.to_canonical())
            .collect(),
        // Every request ends within the request timeout; a little more for the answer.
        shutdown_grace: config.request_timeout + Duration::from_secs(5),
    };
    let state = AppState::with_token_key(config, store.clone(), token_key)?;
    let forgetting = tokio::spawn(forget_old_periodically(state.clone()));

    // For people and for scripts; a closed stdout must not stop the server.
    if let Some(onion) = &onion
        && let Ok(onion_address) = onion.local_addr()
    {
        let _ = writeln!(
            std::io::stdout(),
            "onion listener (PROXY protocol) on {onion_address}"
        );
    }
    let _ = writeln!(std::io::stdout(), "listening on http://{address}");
    serve::serve(app(state), listener, onion, limits, shutdown).await;

    forgetting.abort();
    store.close().await?;
    tracing::info!("stopped; every acknowledged record is on disk");
    Ok(())
}

/// Logs what the server runs with: nothing secret, nothing about anyone who signs.
fn describe(config: &Config) {
    tracing::info!(
        "campaign \"{}\", sealing to {} organizer key(s), recipient set {}",
        config.campaign.id(),
        config.recipients.keys().len(),
        config.recipients.fingerprint()
    );
    match &config.rate_limits {
        Some(limits) => tracing::info!(
            "rate limits on POST /sign: {} per address, then one every {} s; {} overall, then {} per second",
            limits.burst,
            limits.refill.as_secs_f64(),
            limits.global_burst,
            limits.global_per_sec
        ),
        None => tracing::warn!(
            "rate limiting is OFF (--no-rate-limit): anyone can flood the store; \
             use this only for benchmarks on a private network"
        ),
    }
    let longest_form = config.campaign.max_form_bytes();
    if config.body_limit < longest_form {
        tracing::warn!(
            "the body limit ({} bytes) is below the longest form this campaign allows \
             ({longest_form} bytes): very long answers, above all in non-Latin scripts, will be \
             refused with 413; raise --body-limit to {longest_form} to accept every valid answer",
            config.body_limit
        );
    }
    // A record is the form's text padded by at most an eighth, plus age's headers.
    let largest_record = config.body_limit + config.body_limit / 8 + 64 * 1024;
    if largest_record > store::MAX_RECORD_BYTES {
        tracing::warn!(
            "the body limit ({} bytes) lets through forms whose records can be over the store's \
             limit of {} bytes; such forms will be refused with 413",
            config.body_limit,
            store::MAX_RECORD_BYTES
        );
    }
    match config.max_conns_per_client {
        Some(cap) => tracing::info!("at most {cap} open connections per client"),
        None => tracing::warn!("no cap on connections per client (--no-rate-limit)"),
    }
    if !config.trusted_proxies.is_empty() {
        tracing::info!(
            "believing X-Forwarded-For / Forwarded only from {} trusted proxy address(es)",
            config.trusted_proxies.len()
        );
    }
}

async fn forget_old_periodically(state: AppState) {
    let mut ticks = tokio::time::interval(FORGET_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_retention: Option<std::time::Instant> = None;
    loop {
        ticks.tick().await;
        let now = SystemTime::now();
        state.forget_old(now);
        // Retention and old withdrawal markers: at start, then hourly.
        if last_retention.is_none_or(|at| at.elapsed() >= RETENTION_EVERY) {
            last_retention = Some(std::time::Instant::now());
            organizer::apply_retention(&state, now).await;
        }
    }
}
