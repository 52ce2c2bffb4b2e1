//! Hostile requests, table-driven: each gets its exact status, nothing is stored, and the
//! server stays healthy after every one.

use std::time::Duration;

use sealform_server::campaign::{Campaign, FieldKind};

use crate::support::{TestServer, client_without_reuse, encode, fresh_token, raw_exchange};

/// A request to send, and the status it must get.
struct Case {
    what: &'static str,
    method: &'static str,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    extra_header: Option<(&'static str, String)>,
    expected: u16,
}

fn post(what: &'static str, body: impl Into<Vec<u8>>, expected: u16) -> Case {
    Case {
        what,
        method: "POST",
        path: "/sign".into(),
        content_type: Some("application/x-www-form-urlencoded"),
        body: body.into(),
        extra_header: None,
        expected,
    }
}

fn request(what: &'static str, method: &'static str, path: String, expected: u16) -> Case {
    Case {
        what,
        method,
        path,
        content_type: None,
        body: Vec::new(),
        extra_header: None,
        expected,
    }
}

/// A valid form for the built-in campaign with every text field at its limit in 4-byte
/// characters, every choice picked and every box ticked.
fn everything_at_its_limit(token: &str) -> String {
    let campaign = Campaign::builtin();
    let mut pairs: Vec<(String, String)> = vec![
        ("token".into(), token.into()),
        ("intent".into(), "sign_and_share".into()),
    ];
    for field in campaign.fields() {
        let name = field.name.clone();
        match field.kind {
            FieldKind::ShortText | FieldKind::LongText => {
                pairs.push((name, "𝄞".repeat(field.max_length)));
            }
            FieldKind::Email => {
                let local = "𝄞".repeat(field.max_length - 4);
                pairs.push((name, format!("{local}@x.y")));
            }
            FieldKind::PostalCode => pairs.push((name, "9".repeat(field.max_length))),
            FieldKind::SingleChoice => {
                let value = if name == "sign_as" {
                    "organization".to_owned()
                } else {
                    field.options[0].value.clone()
                };
                pairs.push((name, value));
            }
            FieldKind::MultiChoice => {
                for option in &field.options {
                    pairs.push((name.clone(), option.value.clone()));
                }
            }
            FieldKind::Consent => pairs.push((name, "on".into())),
        }
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    encode(&refs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_their_exact_status_and_store_nothing() {
    let body_limit = Campaign::builtin().max_form_bytes();
    let server = TestServer::start_with(|config| config.body_limit = body_limit).await;
    let client = client_without_reuse();
    let token = fresh_token(&client, &server).await;
    let answered = |pairs: &[(&str, &str)]| {
        let mut all = vec![
            ("token", token.as_str()),
            ("intent", "sign_and_share"),
            ("sign_as", "individual"),
        ];
        all.extend_from_slice(pairs);
        encode(&all)
    };

    let mut cases = vec![
        post("one byte over the limit", vec![b'a'; body_limit + 1], 413),
        post("100 MB", vec![b'a'; 100 * 1024 * 1024], 413),
        post("invalid UTF-8", "name=%C3%28", 400),
        post("raw invalid UTF-8", b"name=\xff\xfe".to_vec(), 400),
        post("a NUL byte", "name=a%00b", 400),
        post("a broken escape", "name=%4", 400),
        post(
            "an escape sequence in a name",
            answered(&[("name", "\u{1b}]52;c;ZXZpbA==\u{7}")]),
            422,
        ),
        post(
            "C1 in a testimony",
            answered(&[("name", "Mai"), ("harm", "a\u{9b}2J")]),
            422,
        ),
        post(
            "CR in a one-line answer",
            answered(&[("name", "Mai\rTran")]),
            422,
        ),
        post(
            "LF in a one-line answer",
            answered(&[("name", "Mai\nTran")]),
            422,
        ),
        post(
            "a lone CR in a testimony",
            answered(&[("name", "Mai"), ("harm", "a\rb")]),
            422,
        ),
        post(
            "10,000 unknown fields",
            (0..10_000)
                .map(|n| format!("f{n}=1"))
                .collect::<Vec<_>>()
                .join("&"),
            400,
        ),
        post("a duplicate field", "name=a&name=b", 400),
        post("an unknown field", "password=hunter2", 400),
        post(
            "a choice that is not an option",
            answered(&[("name", "Mai"), ("organization_type", "cartel")]),
            422,
        ),
        request("PUT on /sign", "PUT", "/sign".into(), 405),
        request("DELETE on /sign", "DELETE", "/sign".into(), 405),
        request("PATCH on /", "PATCH", "/".into(), 405),
        request(
            "POST on the stylesheet",
            "POST",
            "/static/style.css".into(),
            405,
        ),
        request(
            "an overlong URL",
            "GET",
            format!("/{}", "a".repeat(20 * 1024)),
            431,
        ),
        request("a dot-dot path", "GET", "/static/../Cargo.toml".into(), 404),
        request(
            "an encoded dot-dot path",
            "GET",
            "/static/%2e%2e/%2e%2e/etc/passwd".into(),
            404,
        ),
        request(
            "a path below the stylesheet",
            "GET",
            "/static/style.css/../../src/lib.rs".into(),
            404,
        ),
        request(
            "another static file",
            "GET",
            "/static/templates/base.html".into(),
            404,
        ),
    ];
    for content_type in [
        "application/json",
        "multipart/form-data; boundary=x",
        "text/plain",
    ] {
        cases.push(Case {
            content_type: Some(content_type),
            ..post("a wrong content type", answered(&[("name", "Mai")]), 415)
        });
    }
    cases.push(Case {
        content_type: None,
        ..post("no content type", answered(&[("name", "Mai")]), 415)
    });
    cases.push(Case {
        extra_header: Some(("x-filler", "a".repeat(20 * 1024))),
        ..request("overlong headers", "GET", "/".into(), 431)
    });

    for case in cases {
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).unwrap();
        let mut builder = client.request(method, server.url(&case.path));
        if let Some(content_type) = case.content_type {
            builder = builder.header("content-type", content_type);
        }
        if let Some((name, value)) = &case.extra_header {
            builder = builder.header(*name, value);
        }
        let status = match builder.body(case.body).send().await {
            Ok(response) => response.status().as_u16(),
            // A server may close the connection while a huge body is still being sent, after
            // answering; reqwest then reports the broken write instead of the answer.
            Err(error) if case.expected == 413 && error.is_request() => 413,
            Err(error) => panic!("{}: {error}", case.what),
        };
        assert_eq!(status, case.expected, "{}", case.what);
        let health = client.get(server.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200, "healthy after {}", case.what);
    }

    // Chunked without a length: the limit holds while reading, whatever was announced.
    let chunk = "a".repeat(64 * 1024);
    let mut chunked = String::from(
        "POST /sign HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    for _ in 0..(body_limit / chunk.len() + 2) {
        chunked.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    chunked.push_str("0\r\n\r\n");
    let answer = raw_exchange(server.address, chunked.as_bytes(), Duration::from_secs(10)).await;
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(200)]
    );

    // And the largest valid form of all goes through.
    let biggest = everything_at_its_limit(&token);
    assert!(biggest.len() <= body_limit);
    let response = client
        .post(server.url("/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(biggest)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 1, "only the valid form was stored");
}
