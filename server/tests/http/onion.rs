//! The onion listener: every visitor arrives from the local Tor daemon, and the PROXY line the
//! daemon sends first tells their circuits apart. One circuit flooding does not stop another;
//! a connection without a PROXY line is dropped; the clear-web site points Tor Browser to the
//! onion address.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{TestServer, client, encode, limits, token_in};

const ONION: &str = "sealformexampleaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion";

/// A free loopback port for the onion listener (bound, read, released).
fn free_port() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap()
}

/// One request over a new connection that starts with `proxy_line`, as Tor sends it.
async fn via_tor(onion: SocketAddr, proxy_line: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(onion).await.unwrap();
    stream.write_all(proxy_line.as_bytes()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn circuit(id: u32) -> String {
    format!(
        "PROXY TCP6 fc00:dead:beef:4dad::{:x}:{:x} ::1 65535 80\r\n",
        id >> 16,
        id & 0xffff
    )
}

fn get_front() -> String {
    "GET / HTTP/1.1\r\nHost: x.onion\r\nConnection: close\r\n\r\n".into()
}

fn post(body: &str) -> String {
    format!(
        "POST /sign HTTP/1.1\r\nHost: x.onion\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         X-Forwarded-For: 192.0.2.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn one_tor_circuit_flooding_does_not_stop_another() {
    let onion = free_port();
    let server = TestServer::start_with(|config| {
        config.onion_listen = Some(onion);
        config.rate_limits = Some(limits(3, 1_000));
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Circuit 7 floods: after its burst of three it is limited, even with a forged header.
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let answer = via_tor(onion, &circuit(7), &post("")).await;
        statuses.push(answer.lines().next().unwrap_or("").to_owned());
    }
    assert!(
        statuses.iter().skip(3).all(|s| s.contains("429")),
        "{statuses:?}"
    );

    // Circuit 8, from the same 127.0.0.1, still signs.
    let page = via_tor(onion, &circuit(8), &get_front()).await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        !page.to_ascii_lowercase().contains("onion-location"),
        "no Onion-Location on the onion itself"
    );
    let body = encode(&[
        ("token", &token_in(&page)),
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", "Via Tor"),
    ]);
    let signed = via_tor(onion, &circuit(8), &post(&body)).await;
    assert!(signed.starts_with("HTTP/1.1 200"), "{signed}");

    // Without a PROXY line, nothing is answered at all.
    let bare = via_tor(onion, "", &get_front()).await;
    assert!(bare.is_empty(), "{bare}");
    let forged = via_tor(onion, "PROXY TCP4 nonsense\r\n", &get_front()).await;
    assert!(forged.is_empty(), "{forged}");

    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 1);
}

#[tokio::test]
async fn the_clear_web_site_points_tor_browser_to_the_onion_address() {
    let server = TestServer::start_with(|config| {
        config.onion_address = Some(ONION.into());
    })
    .await;
    let page = client().get(server.url("/?lang=en")).send().await.unwrap();
    assert_eq!(
        page.headers()["onion-location"],
        format!("http://{ONION}/?lang=en").as_str()
    );
    let css = client()
        .get(server.url("/static/style.css"))
        .send()
        .await
        .unwrap();
    assert!(css.headers().get("onion-location").is_none(), "pages only");
    server.stop().await;
}
