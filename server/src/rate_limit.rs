//! Rate limits on `POST /sign`: one per client address and one across all of them.
//!
//! The per-address limiter never holds an address. Its key is an HMAC-SHA256 of the address
//! under a random key made at start-up and kept only in memory, cut to 16 bytes; IPv6 addresses
//! are first cut to their /64, since one household or phone usually holds a whole /64. After a
//! restart the old keys mean nothing, even to someone holding a memory dump of the old process.
//!
//! Behind a reverse proxy every request comes from the proxy, so the client is read from the
//! proxy's `X-Forwarded-For` (or, without one, `Forwarded`) header, but only when the request's
//! peer is a configured trusted proxy: anyone else could write any address there. The client is
//! the rightmost hop that is not itself a trusted proxy, since hops to its left were written by
//! the client and cannot be believed.
//!
//! On the onion listener every visitor arrives from the local Tor daemon; there the key is the
//! visitor's Tor circuit, from the PROXY line the daemon sends first ([`crate::proxy_protocol`]).
//!
//! The global limiter is a ceiling sized from what the server can store, not from normal
//! traffic: set low, anyone with enough addresses could keep it empty and refuse everyone.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, header};
use governor::clock::{Clock, DefaultClock, QuantaInstant};
use governor::middleware::NoOpMiddleware;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tower_governor::GovernorError;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::{GlobalKeyExtractor, KeyExtractor};
use zeroize::Zeroizing;

use crate::proxy_protocol::ProxiedClient;

/// The limits on `POST /sign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Submissions one address may send at once.
    pub burst: NonZeroU32,
    /// How long until an address that used its burst may send one more.
    pub refill: Duration,
    /// Submissions all addresses together may send at once.
    pub global_burst: NonZeroU32,
    /// Submissions per second all addresses together may send after that.
    pub global_per_sec: NonZeroU32,
}

/// The per-address limiter's configuration, shared by every clone of the layer.
pub type PerAddress = GovernorConfig<ClientKey, NoOpMiddleware>;
/// The global limiter's configuration.
pub type Global = GovernorConfig<GlobalKeyExtractor, NoOpMiddleware>;

/// Both limiters of a running server.
#[derive(Debug, Clone)]
pub struct Limiters {
    client_key: ClientKey,
    per_address: Arc<PerAddress>,
    global: Arc<Global>,
}

impl Limiters {
    /// Limiters for `limits`, believing forwarded addresses only from `trusted_proxies`.
    pub fn new(limits: &RateLimits, trusted_proxies: &[IpAddr]) -> Self {
        // Both are non-zero by type; the floor of one nanosecond keeps a huge rate valid.
        let refill = limits.refill.max(Duration::from_nanos(1));
        let global_period =
            (Duration::from_secs(1) / limits.global_per_sec.get()).max(Duration::from_nanos(1));
        let client_key = ClientKey::new(trusted_proxies);
        let per_address = GovernorConfigBuilder::default()
            .key_extractor(client_key.clone())
            .period(refill)
            .burst_size(limits.burst.get())
            .methods(vec![Method::POST])
            .finish();
        let global = GovernorConfigBuilder::default()
            .key_extractor(GlobalKeyExtractor)
            .period(global_period)
            .burst_size(limits.global_burst.get())
            .methods(vec![Method::POST])
            .finish();
        match (per_address, global) {
            (Some(per_address), Some(global)) => Self {
                client_key,
                per_address: Arc::new(per_address),
                global: Arc::new(global),
            },
            _ => unreachable!("burst sizes and periods are non-zero"),
        }
    }

    /// Takes one submission from `request`'s client's quota, then from the global one. When
    /// either is used up, nothing is taken from the global one and the answer says how many
    /// whole seconds to wait (at least 1). Called by the `POST /sign` handler, so that a
    /// refused form can come back with its answers.
    pub fn check<T>(&self, request: &Request<T>) -> Result<(), Limited> {
        let key = self
            .client_key
            .extract(request)
            .map_err(|_| Limited::NoClient)?;
        let wait = |negative: governor::NotUntil<QuantaInstant>| Limited::Wait {
            retry_after_secs: negative
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .saturating_add(1),
        };
        self.per_address.limiter().check_key(&key).map_err(wait)?;
        self.global.limiter().check_key(&()).map_err(wait)?;
        Ok(())
    }

    /// Drops the state of addresses whose quota is full again, so the table does not grow
    /// with every address ever seen. Run periodically.
    pub fn forget_idle(&self) {
        let limiter = self.per_address.limiter();
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }

    /// How many addresses the per-address limiter is tracking now.
    pub fn tracked_addresses(&self) -> usize {
        self.per_address.limiter().len()
    }
}

/// Why [`Limiters::check`] refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// The client's quota or the global one is used up for this long.
    Wait {
        /// Whole seconds until the quota allows one more, at least 1.
        retry_after_secs: u64,
    },
    /// The request has no client to key by (a server wiring mistake, never a client's doing).
    NoClient,
}

/// Keys the per-address limiter by a keyed hash of the client's address (see the module doc).
#[derive(Clone)]
pub struct ClientKey {
    secret: Arc<Zeroizing<[u8; 32]>>,
    trusted_proxies: Arc<[IpAddr]>,
}

impl ClientKey {
    /// A key extractor with a fresh random hash key.
    pub fn new(trusted_proxies: &[IpAddr]) -> Self {
        let mut secret = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(&mut secret[..]);
        Self {
            secret: Arc::new(secret),
            trusted_proxies: trusted_proxies.iter().map(|ip| ip.to_canonical()).collect(),
        }
    }

    /// The limiter's key for a client address: HMAC-SHA256 of its /32 (IPv4) or /64 (IPv6)
    /// prefix, first 16 bytes.
    pub fn key_of(&self, address: IpAddr) -> Option<[u8; 16]> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret[..]).ok()?;
        match address.to_canonical() {
            IpAddr::V4(v4) => {
                mac.update(b"v4");
                mac.update(&v4.octets());
            }
            IpAddr::V6(v6) => {
                mac.update(b"v6/64");
                mac.update(&v6.octets()[..8]);
            }
        }
        let digest = mac.finalize().into_bytes();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        Some(key)
    }
}

impl ClientKey {
    /// The limiter's key for a client behind the onion listener's PROXY line.
    pub fn key_of_proxied(&self, client: ProxiedClient) -> Option<[u8; 16]> {
        match client {
            ProxiedClient::Address(address) => self.key_of(address),
            ProxiedClient::Circuit(id) => self.key_of_bytes(b"tor circuit", &id.to_be_bytes()),
            ProxiedClient::Unknown => self.key_of_bytes(b"unknown proxied", &[]),
        }
    }

    fn key_of_bytes(&self, label: &[u8], bytes: &[u8]) -> Option<[u8; 16]> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret[..]).ok()?;
        mac.update(label);
        mac.update(bytes);
        let digest = mac.finalize().into_bytes();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        Some(key)
    }
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKey")
            .field("secret", &"..redacted..")
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

impl KeyExtractor for ClientKey {
    type Key = [u8; 16];

    fn extract<T>(&self, request: &Request<T>) -> Result<Self::Key, GovernorError> {
        // From the onion listener: the Tor circuit (or the PROXY line's address) is the client;
        // forwarded-address headers there are anyone's to write, and are not read.
        if let Some(client) = request.extensions().get::<ProxiedClient>() {
            return self
                .key_of_proxied(*client)
                .ok_or(GovernorError::UnableToExtractKey);
        }
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .ok_or(GovernorError::UnableToExtractKey)?
            .0
            .ip();
        let client = client_address(peer, request.headers(), &self.trusted_proxies);
        self.key_of(client).ok_or(GovernorError::UnableToExtractKey)
    }
}

/// The address a request is limited by: the peer, or, when the peer is a trusted proxy, the
/// rightmost forwarded hop that is not a trusted proxy. A hop that cannot be read stops the
/// walk, and the peer is used: the proxy's own view of its client is then unknown.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted_proxies.contains(&ip.to_canonical());
    if !is_trusted(&peer) {
        return peer;
    }
    for hop in forwarded_hops(headers).into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(&ip) => continue,
            Some(ip) => return ip.to_canonical(),
            None => break,
        }
    }
    peer
}

/// The forwarded hops, left to right, from X-Forwarded-For, or else from Forwarded's `for=`.
/// `None` marks a hop that is not an IP address (`unknown`, `_hidden`, garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    const X_FORWARDED_FOR: &str = "x-forwarded-for";
    if headers.contains_key(X_FORWARDED_FOR) {
        return headers
            .get_all(X_FORWARDED_FOR)
            .iter()
            .flat_map(|value| match value.to_str() {
                Ok(text) => text.split(',').map(parse_hop).collect(),
                Err(_) => vec![None],
            })
            .collect();
    }
    headers
        .get_all(header::FORWARDED)
        .iter()
        .flat_map(|value| match value.to_str() {
            Ok(text) => text.split(',').map(forwarded_element_for).collect(),
            Err(_) => vec![None],
        })
        .collect()
}

/// The `for=` of one element of a `Forwarded` header (RFC 7239), e.g.
/// `for=192.0.2.60;proto=http;by=203.0.113.43` or `for="[2001:db8::17]:4711"`.
fn forwarded_element_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_hop(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// One hop: an IP address, optionally with a port (`192.0.2.1:80`, `[2001:db8::1]:80`), or an
/// IPv6 address in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn an_untrusted_peer_is_its_own_client_whatever_it_claims() {
        let claims = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &claims, &[ip("10.0.0.1")]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_rightmost_untrusted_hop() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client wrote the first entry itself; the proxies appended the rest.
        let chain = headers(&[
            ("x-forwarded-for", "1.1.1.1, 198.51.100.7"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &chain, &trusted),
            ip("198.51.100.7")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
        // A hop that is not an address: the proxy, not anything left of it.
        let garbage = headers(&[("x-forwarded-for", "198.51.100.7, nonsense")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &garbage, &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn reads_forwarded_when_there_is_no_x_forwarded_for() {
        let trusted = [ip("::1")];
        let forwarded = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http, For=\"[2001:db8:cafe::17]:4711\";by=x",
        )]);
        assert_eq!(
            client_address(ip("::1"), &forwarded, &trusted),
            ip("2001:db8:cafe::17")
        );
        let hidden = headers(&[("forwarded", "for=192.0.2.60, for=_hidden")]);
        assert_eq!(client_address(ip("::1"), &hidden, &trusted), ip("::1"));
    }

    #[test]
    fn ports_and_mapped_addresses_are_read() {
        assert_eq!(parse_hop("192.0.2.1:8080"), Some(ip("192.0.2.1")));
        assert_eq!(parse_hop("[2001:db8::1]:80"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("unknown"), None);
        // An IPv4 peer seen through a dual-stack socket is the same client.
        assert_eq!(
            client_address(ip("::ffff:192.0.2.1"), &HeaderMap::new(), &[]),
            ip("192.0.2.1")
        );
    }

    #[test]
    fn keys_are_keyed_hashes_per_ipv4_address_and_ipv6_slash_64() {
        let extractor = ClientKey::new(&[]);
        let key = |text: &str| extractor.key_of(ip(text)).unwrap();
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
        assert_eq!(key("192.0.2.1"), key("::ffff:192.0.2.1"));
        // Another process (another random key) gives unrelated keys.
        assert_ne!(
            ClientKey::new(&[]).key_of(ip("192.0.2.1")).unwrap(),
            key("192.0.2.1")
        );
        // The key is not the address bytes.
        assert!(!key("192.0.2.1").windows(4).any(|w| w == [192, 0, 2, 1]));
    }

    #[test]
    fn the_table_forgets_addresses_whose_quota_refilled() {
        let limits = RateLimits {
            burst: NonZeroU32::new(2).unwrap(),
            refill: Duration::from_millis(10),
            global_burst: NonZeroU32::new(2).unwrap(),
            global_per_sec: NonZeroU32::new(1).unwrap(),
        };
        let limiters = Limiters::new(&limits, &[]);
        let key = ClientKey::new(&[]).key_of(ip("192.0.2.1")).unwrap();
        assert!(limiters.per_address.limiter().check_key(&key).is_ok());
        assert_eq!(limiters.tracked_addresses(), 1);
        std::thread::sleep(Duration::from_millis(50));
        limiters.forget_idle();
        assert_eq!(limiters.tracked_addresses(), 0);
    }
}
