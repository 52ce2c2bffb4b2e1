//! The exact answers — status, headers and page — for a fixed set of requests, compared with
//! the ones committed under `tests/golden/`. A change to what a person sees shows up here as a
//! diff to review; a restructuring that should change nothing must leave them identical.
//!
//! The form token (random each run) and the `date` header are the only parts masked.
//! `SEALFORM_BLESS=1 cargo test -p sealform-server --test http golden` rewrites the files.

use std::path::PathBuf;

use crate::support::{TestServer, client, encode, fresh_token, limits, post_form, valid_form};

/// One answer as text: the status line, the headers in order (without `date`), a blank line,
/// the body with every form token replaced by `TOKEN` and every receipt by `RECEIPT`. A rate-limit wait depends on how fast
/// the test ran, so its number is masked too.
async fn transcript(response: reqwest::Response) -> String {
    let mut out = format!("{}\n", response.status());
    for (name, value) in response.headers() {
        match name.as_str() {
            "date" => {}
            "retry-after" => out.push_str("retry-after: N\n"),
            _ => out.push_str(&format!("{name}: {}\n", value.to_str().unwrap())),
        }
    }
    out.push('\n');
    let body = mask_tokens(&response.text().await.unwrap());
    out.push_str(&mask_wait(&body));
    out
}

fn mask_wait(page: &str) -> String {
    let marker = "end again in "; // "Send again in" or "send again in"
    match page.find(marker) {
        Some(at) => {
            let start = at + marker.len();
            let digits = page[start..]
                .find(|c: char| !c.is_ascii_digit() && c != ',')
                .unwrap_or(0);
            format!("{}N{}", &page[..start], &page[start + digits..])
        }
        None => page.to_owned(),
    }
}

fn mask_tokens(page: &str) -> String {
    let page = mask_after(page, "name=\"token\" value=\"", '"', "TOKEN");
    mask_after(
        &page,
        "<code id=\"receipt\" class=\"receipt-code\">",
        '<',
        "RECEIPT",
    )
}

/// `page` with what follows each `marker`, up to `end`, replaced by `mask`.
fn mask_after(page: &str, marker: &str, end: char, mask: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find(marker) {
        let start = at + marker.len();
        out.push_str(&rest[..start]);
        out.push_str(mask);
        let stop = start + rest[start..].find(end).unwrap();
        rest = &rest[stop..];
    }
    out.push_str(rest);
    out
}

/// Compares with (or, when blessing, writes) `tests/golden/<name>.txt`.
fn check(name: &str, actual: &str, mismatches: &mut Vec<String>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"));
    if std::env::var_os("SEALFORM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with SEALFORM_BLESS=1)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(|| "length".to_owned(), |i| format!("line {}", i + 1));
        mismatches.push(format!("{name}: differs at {line}"));
    }
}

#[tokio::test]
async fn answers_match_the_committed_pages() {
    let server = TestServer::start_with(|config| {
        config.body_limit = 4096;
        config.rate_limits = Some(limits(15, 100));
    })
    .await;
    let client = client();
    let mut mismatches = Vec::new();
    let get = |path: &'static str| client.get(server.url(path)).send();

    check(
        "get-front",
        &transcript(get("/").await.unwrap()).await,
        &mut mismatches,
    );
    let css = transcript(get("/static/style.css").await.unwrap()).await;
    check("get-style", &css, &mut mismatches);
    let health = transcript(get("/healthz").await.unwrap()).await;
    check("get-healthz", &health, &mut mismatches);
    let privacy = transcript(get("/privacy").await.unwrap()).await;
    check("get-privacy", &privacy, &mut mismatches);
    let missing = transcript(get("/nothing/here").await.unwrap()).await;
    check("get-404", &missing, &mut mismatches);
    check(
        "get-sign-405",
        &transcript(get("/sign").await.unwrap()).await,
        &mut mismatches,
    );

    let json = client
        .post(server.url("/sign"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    check("post-415", &transcript(json).await, &mut mismatches);

    let posts: Vec<(&str, Vec<u8>)> = vec![
        ("post-413", vec![b'a'; 5000]),
        ("post-400-utf8", b"name=%FF%FE".to_vec()),
        ("post-400-nul", b"name=a%00b".to_vec()),
        ("post-400-escape", b"name=a%G1".to_vec()),
        ("post-400-unknown", b"colour=blue".to_vec()),
        ("post-400-unknown-unsafe", b"a%20b%3Cc=1".to_vec()),
        ("post-400-duplicate", b"name=a&name=b".to_vec()),
        (
            "post-422-no-token",
            encode(&[
                ("intent", "sign"),
                ("sign_as", "individual"),
                ("name", "Mai <b>Tran</b>"),
            ])
            .into_bytes(),
        ),
        (
            "post-422-bad-token",
            encode(&[
                ("token", "abc"),
                ("name", "Mai"),
                ("comment", "line 1\r\nline 2"),
            ])
            .into_bytes(),
        ),
    ];
    for (name, body) in posts {
        let response = client
            .post(server.url("/sign"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        check(name, &transcript(response).await, &mut mismatches);
    }

    let token = fresh_token(&client, &server).await;
    // Answers with a problem in nearly every field; `harm` as given.
    let wrong_form = |harm: &str| {
        encode(&[
            ("token", &token),
            ("intent", "sign_and_share"),
            ("sign_as", "organization"),
            ("name", "Mai"),
            ("email", "not an address"),
            ("postal_code", "<b>"),
            ("organization_type", "cartel"),
            ("actions", "donate"),
            ("actions", "riot"),
            ("harm", harm),
            ("consent_contact", "yes"),
            ("website", ""),
        ])
    };
    // Over the 4 KiB body limit: the long answer is refused before validation.
    let too_long = post_form(&client, &server, wrong_form(&"ẞ".repeat(20_001))).await;
    check(
        "post-413-long",
        &transcript(too_long).await,
        &mut mismatches,
    );
    let invalid = post_form(&client, &server, wrong_form(&"ẞ".repeat(30))).await;
    check(
        "post-422-fields",
        &transcript(invalid).await,
        &mut mismatches,
    );

    let signed = post_form(&client, &server, valid_form(&token, "Mai Tran")).await;
    check("post-thanks", &transcript(signed).await, &mut mismatches);
    let again = post_form(&client, &server, valid_form(&token, "Mai Tran")).await;
    check(
        "post-thanks-again",
        &transcript(again).await,
        &mut mismatches,
    );
    let trap = encode(&[("token", &token), ("website", "http://spam.example")]);
    let trapped = post_form(&client, &server, trap).await;
    check("post-trap", &transcript(trapped).await, &mut mismatches);
    let counted = transcript(get("/").await.unwrap()).await;
    check("get-front-signed", &counted, &mut mismatches);

    // Thirteen forms reached the handler (bodies over the limit are refused before it); two
    // more use up the burst of fifteen.
    for _ in 0..2 {
        post_form(&client, &server, String::new()).await;
    }
    let limited = post_form(&client, &server, valid_form(&token, "Mai")).await;
    check("post-429", &transcript(limited).await, &mut mismatches);

    assert!(
        mismatches.is_empty(),
        "answers changed:\n{}",
        mismatches.join("\n")
    );
    server.stop().await;
}
