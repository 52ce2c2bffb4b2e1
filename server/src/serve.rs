//! The accept loop: HTTP/1.1 over hyper, with what `axum::serve` does not offer: a time limit
//! on request headers (slowloris), a cap on open connections overall and per client, an onion
//! listener whose connections start with a PROXY line naming their Tor circuit, and a graceful
//! shutdown that lets requests in flight finish.
//!
//! The per-client cap keeps one address (or one Tor circuit) from holding every connection.
//! Reverse proxies are exempt: all their clients arrive from them, so they must cap their own
//! clients (the nginx site in `deploy/` does, with `limit_conn`).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::Error;
use crate::proxy_protocol::{self, ProxiedClient};

/// How the connections are handled.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// How long a client may take to send its request headers (and, on the onion listener, its
    /// PROXY line), or stay idle between requests.
    pub header_read_timeout: Duration,
    /// Open connections at once; the loop stops accepting while this many are open.
    pub max_connections: usize,
    /// Open connections one client (address, IPv6 /64, or Tor circuit) may hold; `None` for no
    /// cap (benchmarks).
    pub max_per_client: Option<usize>,
    /// Peers exempt from the per-client cap: the reverse proxies in front.
    pub trusted_proxies: Arc<[IpAddr]>,
    /// How long shutdown waits for requests in flight before it gives up on them.
    pub shutdown_grace: Duration,
}

/// Where a connection arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entrance {
    /// The public listener (or a reverse proxy in front of it).
    Public,
    /// The onion listener, behind the local Tor daemon.
    Onion,
}

/// What the per-client cap counts by: never an address itself beyond the connection's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ClientSlot {
    V4([u8; 4]),
    V6Prefix([u8; 8]),
    Circuit(u32),
    UnknownProxied,
}

impl ClientSlot {
    fn of_address(address: IpAddr) -> Self {
        match address.to_canonical() {
            IpAddr::V4(v4) => Self::V4(v4.octets()),
            IpAddr::V6(v6) => {
                let mut prefix = [0u8; 8];
                prefix.copy_from_slice(&v6.octets()[..8]);
                Self::V6Prefix(prefix)
            }
        }
    }

    fn of_proxied(client: ProxiedClient) -> Self {
        match client {
            ProxiedClient::Circuit(id) => Self::Circuit(id),
            ProxiedClient::Address(address) => Self::of_address(address),
            ProxiedClient::Unknown => Self::UnknownProxied,
        }
    }
}

/// Open connections per client, each entry dropped when its last connection closes.
#[derive(Debug, Default)]
struct PerClient {
    open: Mutex<HashMap<ClientSlot, usize>>,
}

/// A connection's place in [`PerClient`], given back when dropped.
struct ClientPermit {
    table: Arc<PerClient>,
    slot: ClientSlot,
}

impl PerClient {
    fn try_open(table: &Arc<Self>, slot: ClientSlot, cap: usize) -> Option<ClientPermit> {
        let mut open = table.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(slot).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(ClientPermit {
            table: Arc::clone(table),
            slot,
        })
    }
}

impl Drop for ClientPermit {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.slot) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.slot);
            }
        }
    }
}

/// Serves `app` on `listener`, and on `onion` (connections from the local Tor daemon, each
/// starting with a PROXY line) if given, until `shutdown` completes; then stops accepting, lets
/// the requests in flight finish (closing idle connections at once) and returns.
pub async fn serve(
    app: Router,
    listener: TcpListener,
    onion: Option<TcpListener>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = Arc::new(PerClient::default());
    let mut accept_errors = AcceptErrorLog::default();
    tokio::pin!(shutdown);

    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&open).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (accepted, entrance) = tokio::select! {
            accepted = listener.accept() => (accepted, Entrance::Public),
            accepted = accept_onion(onion.as_ref()) => (accepted, Entrance::Onion),
            () = &mut shutdown => break,
        };
        let (mut stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                accept_errors.pause_after(&error).await;
                continue;
            }
        };
        // Small pages and forms: send them without waiting for more to batch.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!("could not set TCP_NODELAY: {error}");
        }
        let app = app.clone();
        let limits = limits.clone();
        let per_client = Arc::clone(&per_client);
        let http = http.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let proxied = match entrance {
                Entrance::Public => None,
                Entrance::Onion => {
                    match proxy_protocol::read_line(&mut stream, limits.header_read_timeout).await {
                        Ok(client) => Some(client),
                        // No valid PROXY line: not from the Tor daemon as configured. Drop it.
                        Err(_) => return,
                    }
                }
            };
            let slot = match proxied {
                Some(client) => Some(ClientSlot::of_proxied(client)),
                None if limits.trusted_proxies.contains(&peer.ip().to_canonical()) => None,
                None => Some(ClientSlot::of_address(peer.ip())),
            };
            let client_permit = match (slot, limits.max_per_client) {
                (Some(slot), Some(cap)) => match PerClient::try_open(&per_client, slot, cap) {
                    Some(permit) => Some(permit),
                    // This client holds its share already: close at once, before reading.
                    None => return,
                },
                _ => None,
            };
            let service =
                TowerToHyperService::new(app.map_request(move |mut request: Request<Incoming>| {
                    // Who is asking, for the rate limiter only; nothing logs or keeps it.
                    let extensions = request.extensions_mut();
                    extensions.insert(ConnectInfo::<SocketAddr>(peer));
                    if let Some(client) = proxied {
                        extensions.insert(client);
                    }
                    request
                }));
            let connection = watcher.watch(http.serve_connection(TokioIo::new(stream), service));
            // Errors here are clients going away or too slow; nothing to act on or to log.
            let _ = connection.await;
            drop(client_permit);
            drop(permit);
        });
    }

    drop(listener);
    drop(onion);
    tracing::info!("shutting down: finishing the requests in flight");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(
                "some requests were still running after {} s; stopping anyway",
                limits.shutdown_grace.as_secs()
            );
        }
    }
}

/// Accepts on the onion listener, or never if there is none.
async fn accept_onion(onion: Option<&TcpListener>) -> io::Result<(TcpStream, SocketAddr)> {
    match onion {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

/// How often at most the accept loop says it cannot accept: a flood that exhausts file
/// descriptors would otherwise write a line per refused connection.
const ACCEPT_ERROR_LOG_EVERY: Duration = Duration::from_secs(10);

/// The accept errors since the last line logged.
#[derive(Debug, Default)]
struct AcceptErrorLog {
    last_logged: Option<Instant>,
    since: u64,
}

impl AcceptErrorLog {
    /// Accept fails when the process is out of file descriptors or memory; waiting a moment
    /// lets connections close instead of spinning. Per-connection errors need no pause.
    async fn pause_after(&mut self, error: &io::Error) {
        match error.kind() {
            io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted => {}
            _ => {
                self.since += 1;
                let due = self
                    .last_logged
                    .is_none_or(|at| at.elapsed() >= ACCEPT_ERROR_LOG_EVERY);
                if due {
                    tracing::warn!(
                        "cannot accept connections: {error} ({} time(s) since the last such \
                         line); pausing 100 ms after each",
                        self.since
                    );
                    self.last_logged = Some(Instant::now());
                    self.since = 0;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// A future that completes on SIGTERM (what supervisors send) or SIGINT (Ctrl-C). The handlers
/// are installed by this call, before anything is served, so a signal that arrives as soon as
/// the server says it is listening still stops it gracefully. Call inside the runtime.
pub fn shutdown_signal() -> Result<impl Future<Output = ()>, Error> {
    let install = |kind: SignalKind| signal(kind).map_err(|e| Error::Signals(e.to_string()));
    let mut terminate = install(SignalKind::terminate())?;
    let mut interrupt = install(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}
