//! Every route and every error status: the right page, and the security headers on all of them.

use std::time::Duration;

use sealform_server::pages::texts;

use crate::support::{
    TestServer, assert_security_headers, client, encode, limits, post_form, raw_exchange,
};

#[tokio::test]
async fn every_route_and_error_carries_the_security_headers() {
    let server = TestServer::start_with(|config| {
        config.body_limit = 1024;
        config.rate_limits = Some(limits(4, 100));
    })
    .await;
    let client = client();
    let t = texts("en");

    let get = |path: &'static str| client.get(server.url(path)).send();
    let front = get("/").await.unwrap();
    assert_eq!(front.status(), 200);
    assert_security_headers(&front, "GET /");
    assert!(front.text().await.unwrap().contains("name=\"token\""));

    let css = get("/static/style.css").await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert_ne!(
        css.headers()["cache-control"],
        "no-store",
        "the stylesheet may be cached"
    );
    assert_security_headers(&css, "the stylesheet");

    let health = get("/healthz").await.unwrap();
    assert_eq!(health.status(), 200);
    assert_security_headers(&health, "/healthz");
    assert_eq!(health.text().await.unwrap(), "ok");

    let missing = get("/nothing/here?name=x").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_security_headers(&missing, "404");
    assert!(missing.text().await.unwrap().contains(t.not_found.title));

    let wrong_method = get("/sign").await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_security_headers(&wrong_method, "405");

    // Four POSTs that reach the handler use the burst of four (a body over the limit is
    // refused before it, without using any); the fifth is limited.
    let not_a_form = client
        .post(server.url("/sign"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(not_a_form.status(), 415);
    assert_security_headers(&not_a_form, "415");
    assert!(
        not_a_form
            .text()
            .await
            .unwrap()
            .contains(t.unsupported_media_type.title)
    );

    let too_big = post_form(&client, &server, "harm=".to_owned() + &"a".repeat(2000)).await;
    assert_eq!(too_big.status(), 413);
    assert_security_headers(&too_big, "413");
    assert!(too_big.text().await.unwrap().contains(t.too_large.title));

    let unreadable = post_form(&client, &server, "name=%FF".into()).await;
    assert_eq!(unreadable.status(), 400);
    assert_security_headers(&unreadable, "400");

    let incomplete = post_form(&client, &server, encode(&[("name", "Ana")])).await;
    assert_eq!(incomplete.status(), 422);
    assert_security_headers(&incomplete, "422");
    let still_incomplete = post_form(&client, &server, encode(&[("name", "Ana")])).await;
    assert_eq!(still_incomplete.status(), 422);

    let limited = post_form(&client, &server, String::new()).await;
    assert_eq!(limited.status(), 429);
    assert_security_headers(&limited, "429");

    let front_again = get("/").await.unwrap();
    assert!(
        front_again
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "no HSTS unless served over TLS"
    );
    server.stop().await;
}

#[tokio::test]
async fn strict_transport_security_only_when_served_over_tls() {
    let server = TestServer::start_with(|config| config.tls_served = true).await;
    let client = client();
    for path in ["/", "/nothing", "/healthz"] {
        let response = client.get(server.url(path)).send().await.unwrap();
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=63072000; includeSubDomains",
            "{path}"
        );
        assert_security_headers(&response, path);
    }
    server.stop().await;
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_with_or_without_content_length() {
    let server = TestServer::start_with(|config| config.body_limit = 1024).await;
    let title = texts("en").too_large.title;

    let with_length = post_form(&client(), &server, "harm=".to_owned() + &"b".repeat(1100)).await;
    assert_eq!(with_length.status(), 413);
    assert!(with_length.text().await.unwrap().contains(title));

    // Chunked: no Content-Length, the stream itself goes past the limit.
    let chunk = format!("{:x}\r\n{}\r\n", 600, "c".repeat(600));
    let request = format!(
        "POST /sign HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nharm=\r\n{chunk}{chunk}0\r\n\r\n"
    );
    let answer = raw_exchange(server.address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(title), "{answer}");
    assert!(answer.contains("content-security-policy:"), "{answer}");

    // Just under the limit is read (and refused for what it is, not for its size).
    let under = post_form(&client(), &server, "harm=".to_owned() + &"d".repeat(1000)).await;
    assert_eq!(under.status(), 422);

    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}

#[tokio::test]
async fn only_url_encoded_forms_are_accepted() {
    let server = TestServer::start().await;
    let client = client();
    for content_type in [
        Some("multipart/form-data; boundary=x"),
        Some("text/plain"),
        Some("application/x-www-form-urlencoded; charset=iso-8859-1"),
        None,
    ] {
        let mut request = client.post(server.url("/sign")).body("name=Ana");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
    }
    let with_charset = client
        .post(server.url("/sign"))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body("name=Ana")
        .send()
        .await
        .unwrap();
    assert_eq!(with_charset.status(), 422);
    server.stop().await;
}

#[tokio::test]
async fn forms_no_browser_sends_get_400_and_store_nothing() {
    let server = TestServer::start().await;
    let client = client();
    let t = texts("en");
    for (body, reason) in [
        ("name=%FF%FE", t.not_utf8.to_owned()),
        ("name=Ana&colour=red", t.unknown_field(Some("colour"))),
        ("name=Ana&name=Bo", t.duplicate_field("name")),
    ] {
        let response = post_form(&client, &server, body.into()).await;
        assert_eq!(response.status(), 400, "{body}");
        let page = response.text().await.unwrap();
        assert!(page.contains(t.bad_request.title), "{body}");
        // The reason is shown; the typed value is not.
        assert!(page.contains(&reason), "{body}: {page}");
        assert!(!page.contains("Bo"), "{body}");
    }
    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}
