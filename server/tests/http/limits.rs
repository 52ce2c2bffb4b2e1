//! Rate limits per address and overall, trusted proxies, timeouts and the in-flight limit.

use std::time::Duration;

use sealform_server::pages::texts;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::support::{
    TestServer, assert_security_headers, client, client_from, limits, raw_exchange, read_for,
};

async fn post_empty(client: &reqwest::Client, server: &TestServer) -> reqwest::Response {
    post_empty_forwarded(client, server, None).await
}

async fn post_empty_forwarded(
    client: &reqwest::Client,
    server: &TestServer,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = client
        .post(server.url("/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("");
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_used_burst_gets_429_with_retry_after_and_pages_stay_open() {
    let server = TestServer::start_with(|config| config.rate_limits = Some(limits(3, 100))).await;
    let client = client();
    for _ in 0..3 {
        assert_ne!(post_empty(&client, &server).await.status(), 429);
    }
    let limited = post_empty(&client, &server).await;
    assert_eq!(limited.status(), 429);
    assert_security_headers(&limited, "429");
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=601).contains(&retry_after), "{retry_after}");
    assert!(limited.headers().get("x-ratelimit-after").is_none());
    let page = limited.text().await.unwrap();
    // The form comes back (here, empty, as it was sent) with a notice saying when to send.
    assert!(
        page.contains(&texts("en").rate_limited_notice(retry_after)),
        "{page}"
    );
    assert!(page.contains(&format!("{retry_after} seconds")), "{page}");
    assert!(page.contains("id=\"sign-form\""));
    // Only POST /sign is limited.
    for _ in 0..20 {
        assert_eq!(
            client.get(server.url("/")).send().await.unwrap().status(),
            200
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn one_address_is_limited_while_another_still_gets_through() {
    let server = TestServer::start_with(|config| config.rate_limits = Some(limits(2, 100))).await;
    let (first, second) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    for _ in 0..2 {
        assert_ne!(post_empty(&first, &server).await.status(), 429);
    }
    assert_eq!(post_empty(&first, &server).await.status(), 429);
    assert_ne!(post_empty(&second, &server).await.status(), 429);
    assert_ne!(post_empty(&second, &server).await.status(), 429);
    assert_eq!(post_empty(&second, &server).await.status(), 429);
    server.stop().await;
}

#[tokio::test]
async fn the_global_cap_holds_across_addresses() {
    let server = TestServer::start_with(|config| config.rate_limits = Some(limits(100, 3))).await;
    for address in ["127.0.0.2", "127.0.0.3", "127.0.0.4"] {
        assert_ne!(
            post_empty(&client_from(address), &server).await.status(),
            429
        );
    }
    let limited = post_empty(&client_from("127.0.0.5"), &server).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    server.stop().await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = Some(limits(2, 100));
        config.trusted_proxies = vec!["127.0.0.2".parse().unwrap()];
    })
    .await;
    let proxy = client_from("127.0.0.2");
    // Behind the proxy, each client has its own quota, read from the rightmost hop.
    for _ in 0..2 {
        let response = post_empty_forwarded(&proxy, &server, Some("9.9.9.9, 198.51.100.1")).await;
        assert_ne!(response.status(), 429);
    }
    let response = post_empty_forwarded(&proxy, &server, Some("8.8.8.8, 198.51.100.1")).await;
    assert_eq!(
        response.status(),
        429,
        "the left hop is the client's own claim"
    );
    let other = post_empty_forwarded(&proxy, &server, Some("198.51.100.2")).await;
    assert_ne!(other.status(), 429, "another client behind the proxy");

    // Anyone else's header is ignored: changing it every time does not escape the limit.
    let stranger = client_from("127.0.0.3");
    for (i, claimed) in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
        .into_iter()
        .enumerate()
    {
        let status = post_empty_forwarded(&stranger, &server, Some(claimed))
            .await
            .status();
        assert_eq!(status == 429, i == 2, "request {i} from an untrusted peer");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_slow_body_gets_408_with_its_page() {
    let server =
        TestServer::start_with(|config| config.request_timeout = Duration::from_secs(1)).await;
    let request = "POST /sign HTTP/1.1\r\nHost: test\r\n\
                   Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=A";
    let answer = raw_exchange(server.address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("content-security-policy:"), "{answer}");
    assert!(answer.contains("<html"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn slow_headers_are_cut_off() {
    let server = TestServer::start_with(|config| {
        config.header_read_timeout = Duration::from_millis(500);
    })
    .await;
    let started = std::time::Instant::now();
    let answer = raw_exchange(
        server.address,
        b"GET / HTTP/1.1\r\nHost: test\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "closed after the header timeout"
    );
    assert!(!answer.contains("200 OK"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn requests_over_the_in_flight_limit_get_a_busy_page() {
    let server = TestServer::start_with(|config| config.max_in_flight = 1).await;
    // One request holds the only slot while its body trickles in.
    let mut slow = TcpStream::connect(server.address).await.unwrap();
    slow.write_all(
        b"POST /sign HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\nname",
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let busy = client().get(server.url("/")).send().await.unwrap();
    assert_eq!(busy.status(), 503);
    assert_security_headers(&busy, "503");
    assert!(
        busy.text()
            .await
            .unwrap()
            .contains(texts("en").unavailable.title)
    );

    slow.write_all(b"=Ana").await.unwrap();
    let answer = read_for(&mut slow, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert_eq!(
        client().get(server.url("/")).send().await.unwrap().status(),
        200
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_holding_thousands_of_slow_connections_does_not_stop_another() {
    const FLOOD: usize = 2_000;
    let server = TestServer::start_with(|config| {
        // The flood stays open far longer than the test; only the per-client cap can help.
        config.header_read_timeout = Duration::from_secs(60);
        config.max_conns_per_client = Some(64);
    })
    .await;
    // The flood: 2,000 connections from one address at once, each sending a request line and
    // then nothing.
    let mut connecting = tokio::task::JoinSet::new();
    for _ in 0..FLOOD {
        let address = server.address;
        connecting.spawn(async move {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            let connect = tokio::time::timeout(Duration::from_secs(2), socket.connect(address));
            let mut stream = connect.await.ok()?.ok()?;
            stream.write_all(b"GET / HTTP/1.1\r\n").await.ok()?;
            Some(stream)
        });
    }
    let mut flood = Vec::with_capacity(FLOOD);
    while let Some(connected) = connecting.join_next().await {
        flood.extend(connected.unwrap());
    }
    assert!(
        flood.len() > 1_100,
        "the flood outnumbers the server's 1,024 connections ({})",
        flood.len()
    );

    let started = std::time::Instant::now();
    let other = client_from("127.0.0.3");
    let signing = async {
        let token = crate::support::fresh_token(&other, &server).await;
        crate::support::post_form(
            &other,
            &server,
            crate::support::valid_form(&token, "Still Heard"),
        )
        .await
        .status()
    };
    let signed = tokio::time::timeout(Duration::from_secs(3), signing).await;
    assert!(
        matches!(signed, Ok(status) if status == 200),
        "another address could not sign within 3 s while one address flooded ({:?})",
        started.elapsed()
    );
    drop(flood);
    server.stop().await;
}

#[tokio::test]
async fn oversized_request_headers_get_431_with_a_page_and_the_headers() {
    let server = TestServer::start().await;
    let client = client();
    let big = client
        .get(server.url("/"))
        .header("x-filler", "a".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), 431);
    assert_security_headers(&big, "431");
    assert!(
        big.text()
            .await
            .unwrap()
            .contains(texts("en").headers_too_large.title)
    );
    let hundred_kb = client
        .get(server.url("/"))
        .header("x-filler", "a".repeat(100 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(hundred_kb.status(), 431, "a 100 KB header is refused");
    let usual = client
        .get(server.url("/"))
        .header("x-filler", "a".repeat(8 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(usual.status(), 200);
    server.stop().await;
}
