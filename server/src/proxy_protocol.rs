//! The PROXY protocol (version 1, text) line that the local Tor daemon sends first on each
//! connection to the onion listener when its onion service has
//! `HiddenServiceExportCircuitID haproxy`: it tells one Tor circuit from another, where
//! every onion visitor otherwise arrives from 127.0.0.1.
//!
//! Tor writes `PROXY TCP6 fc00:dead:beef:4dad::AABB:CCDD ::1 <port> <port>\r\n`, the circuit's
//! 32-bit id in the low bits of the source address. The line is only ever used to key limits:
//! nothing here logs or keeps it. See <https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt>.

use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// The longest v1 line, CRLF included, as the specification fixes it.
pub const MAX_LINE: usize = 107;

/// The /64 prefix Tor puts circuit ids under.
const TOR_CIRCUIT_PREFIX: [u16; 4] = [0xfc00, 0xdead, 0xbeef, 0x4dad];

/// Who a proxied connection is from, as the limits see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxiedClient {
    /// A Tor circuit, by its id.
    Circuit(u32),
    /// Another proxy's client address (`PROXY TCP4`/`TCP6` from something other than Tor).
    Address(IpAddr),
    /// `PROXY UNKNOWN`: the proxy could not say; all such connections share one key.
    Unknown,
}

/// Why a connection's first line was refused; the connection is then closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyLineProblem {
    /// It did not arrive in time, or the connection closed first.
    Missing,
    /// It is longer than [`MAX_LINE`] without a CRLF.
    TooLong,
    /// It is not a PROXY v1 line.
    Malformed,
}

/// Reads the PROXY line at the start of `stream`, one byte at a time so that nothing of the
/// HTTP request behind it is consumed, within `timeout`.
pub async fn read_line(
    stream: &mut TcpStream,
    timeout: Duration,
) -> Result<ProxiedClient, ProxyLineProblem> {
    let read = async {
        let mut line = Vec::with_capacity(MAX_LINE);
        loop {
            let byte = stream
                .read_u8()
                .await
                .map_err(|_| ProxyLineProblem::Missing)?;
            line.push(byte);
            if line.ends_with(b"\r\n") {
                return parse_line(&line);
            }
            if line.len() >= MAX_LINE {
                return Err(ProxyLineProblem::TooLong);
            }
        }
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(ProxyLineProblem::Missing))
}

/// Parses one PROXY v1 line, CRLF included.
pub fn parse_line(line: &[u8]) -> Result<ProxiedClient, ProxyLineProblem> {
    if line.len() > MAX_LINE {
        return Err(ProxyLineProblem::TooLong);
    }
    let text = std::str::from_utf8(line)
        .ok()
        .and_then(|text| text.strip_suffix("\r\n"))
        .filter(|text| !text.contains(['\r', '\n']))
        .ok_or(ProxyLineProblem::Malformed)?;
    let mut parts = text.split(' ');
    if parts.next() != Some("PROXY") {
        return Err(ProxyLineProblem::Malformed);
    }
    let family = parts.next().ok_or(ProxyLineProblem::Malformed)?;
    if family == "UNKNOWN" {
        // Anything may follow UNKNOWN, and it is ignored.
        return Ok(ProxiedClient::Unknown);
    }
    let fields: Vec<&str> = parts.collect();
    let [source, destination, source_port, destination_port] = fields[..] else {
        return Err(ProxyLineProblem::Malformed);
    };
    // The destination is checked for form, then not needed.
    let (source, _destination): (IpAddr, IpAddr) = match family {
        "TCP4" => (
            IpAddr::V4(source.parse().map_err(|_| ProxyLineProblem::Malformed)?),
            IpAddr::V4(
                destination
                    .parse()
                    .map_err(|_| ProxyLineProblem::Malformed)?,
            ),
        ),
        "TCP6" => (
            IpAddr::V6(source.parse().map_err(|_| ProxyLineProblem::Malformed)?),
            IpAddr::V6(
                destination
                    .parse()
                    .map_err(|_| ProxyLineProblem::Malformed)?,
            ),
        ),
        _ => return Err(ProxyLineProblem::Malformed),
    };
    for port in [source_port, destination_port] {
        // Decimal, no sign, no leading zero (the specification's form).
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && !(port.len() > 1 && port.starts_with('0'))
            && port.parse::<u16>().is_ok();
        if !valid {
            return Err(ProxyLineProblem::Malformed);
        }
    }
    Ok(match source {
        IpAddr::V6(v6) => tor_circuit(v6).map_or(ProxiedClient::Address(source), |circuit| {
            ProxiedClient::Circuit(circuit)
        }),
        IpAddr::V4(_) => ProxiedClient::Address(source),
    })
}

/// The circuit id in one of Tor's `fc00:dead:beef:4dad::/64` source addresses.
fn tor_circuit(address: Ipv6Addr) -> Option<u32> {
    let segments = address.segments();
    (segments[..4] == TOR_CIRCUIT_PREFIX && segments[4..6] == [0, 0])
        .then(|| (u32::from(segments[6]) << 16) | u32::from(segments[7]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_tor_sends() {
        assert_eq!(
            parse_line(b"PROXY TCP6 fc00:dead:beef:4dad::0:1f ::1 65535 443\r\n"),
            Ok(ProxiedClient::Circuit(0x1f))
        );
        assert_eq!(
            parse_line(b"PROXY TCP6 fc00:dead:beef:4dad::ab:cdef ::1 1 80\r\n"),
            Ok(ProxiedClient::Circuit(0x00ab_cdef))
        );
        assert_eq!(
            parse_line(b"PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\n"),
            Ok(ProxiedClient::Address("192.0.2.7".parse().unwrap()))
        );
        assert_eq!(
            parse_line(b"PROXY UNKNOWN whatever\r\n"),
            Ok(ProxiedClient::Unknown)
        );
    }

    #[test]
    fn refuses_anything_else() {
        for line in [
            &b"GET / HTTP/1.1\r\n"[..],
            b"PROXY TCP6 fc00:dead:beef:4dad::1 ::1 65535 443\n",
            b"PROXY TCP6 fc00:dead:beef:4dad::1 ::1 65535\r\n",
            b"PROXY TCP4 fc00::1 ::1 1 2\r\n",
            b"PROXY TCP6 192.0.2.1 ::1 1 2\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 65536 2\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 01 2\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 +1 2\r\n",
            b"PROXY TCP4  192.0.2.1 192.0.2.2 1 2\r\n",
            b"PROXY UDP4 192.0.2.1 192.0.2.2 1 2\r\n",
            b"proxy TCP4 192.0.2.1 192.0.2.2 1 2\r\n",
            b"PROXY TCP4 192.0.2.1 192.0.2.2 1 2 3\r\n",
            b"PROXY TCP4 192.0.2.1\r192.0.2.2 1 2\r\n",
            b"PROXY TCP4 \xff 192.0.2.2 1 2\r\n",
        ] {
            assert_eq!(
                parse_line(line),
                Err(ProxyLineProblem::Malformed),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        let long = format!("PROXY UNKNOWN {}\r\n", "x".repeat(MAX_LINE));
        assert_eq!(parse_line(long.as_bytes()), Err(ProxyLineProblem::TooLong));
    }
}
