//! The organizer API over real HTTP with real age keys: signing in by opening a sealed challenge,
//! every route refused without a session, records listed, fetched and purged by hash; receipts
//! on the thank-you page, withdrawal by receipt (the same answer for a wrong one), and the
//! public signatory list.

use std::io::Read;

use age::x25519;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{
    TestServer, client, encode, fresh_token, get_text, limits, post_form, valid_form,
};

/// Opens an armored challenge with `identity`.
fn open_challenge(armored: &str, identity: &x25519::Identity) -> Option<String> {
    let decryptor = age::Decryptor::new(age::armor::ArmoredReader::new(armored.as_bytes())).ok()?;
    let mut answer = String::new();
    decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .ok()?
        .read_to_string(&mut answer)
        .ok()?;
    Some(answer)
}

/// Signs in with `identity`; the session, or the status of the refusal.
async fn sign_in(server: &TestServer, identity: &x25519::Identity) -> Result<String, u16> {
    let client = client();
    let challenge: Value = client
        .post(server.url("/organizer/challenge"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
        .unwrap();
    let answer = open_challenge(challenge["challenge"].as_str().unwrap(), identity)
        .unwrap_or_else(|| "0".repeat(64));
    let response = client
        .post(server.url("/organizer/session"))
        .header("content-type", "application/json")
        .body(json!({ "answer": answer }).to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    match status {
        200 => Ok(body["session"].as_str().unwrap().to_owned()),
        _ => {
            assert_eq!(body, json!({ "error": "not signed in" }));
            Err(status)
        }
    }
}

async fn api(
    server: &TestServer,
    method: reqwest::Method,
    path: &str,
    session: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = client().request(method, server.url(path));
    if let Some(session) = session {
        request = request.bearer_auth(session);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    request.send().await.unwrap()
}

/// An organizer API call's JSON answer.
async fn api_json(
    server: &TestServer,
    method: reqwest::Method,
    path: &str,
    session: &str,
    body: Option<Value>,
) -> Value {
    let answer = api(server, method, path, Some(session), body).await;
    serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap()
}

/// The receipt shown on a thank-you page.
fn receipt_in(page: &str) -> String {
    let marker = "<code id=\"receipt\" class=\"receipt-code\">";
    let start = page.find(marker).expect("a receipt on the page") + marker.len();
    page[start..start + page[start..].find('<').unwrap()].to_owned()
}

fn normal(receipt: &str) -> String {
    receipt.replace('-', "")
}

#[tokio::test]
async fn every_organizer_route_needs_a_session_from_a_recipient_key() {
    let server = TestServer::start().await;
    let routes = [
        (reqwest::Method::GET, "/organizer/records"),
        (
            reqwest::Method::GET,
            "/organizer/records/00000000000000000000000000000000",
        ),
        (reqwest::Method::POST, "/organizer/purge"),
        (reqwest::Method::GET, "/organizer/campaign"),
        (reqwest::Method::GET, "/organizer/withdrawals"),
        (reqwest::Method::PUT, "/organizer/signatories"),
        (reqwest::Method::DELETE, "/organizer/signatories"),
    ];
    let stranger = x25519::Identity::generate();
    assert_eq!(
        sign_in(&server, &stranger).await,
        Err(401),
        "not a recipient"
    );
    let forged = "ab".repeat(32);
    for session in [None, Some(forged.as_str()), Some("not hex")] {
        for (method, path) in &routes {
            let response = api(&server, method.clone(), path, session, Some(json!({}))).await;
            assert_eq!(response.status(), 401, "{method} {path} with {session:?}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            assert_eq!(
                response
                    .bytes()
                    .await
                    .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
                    .unwrap(),
                json!({ "error": "not signed in" })
            );
        }
    }
    // The organizer's own key opens a session, once per challenge.
    let session = sign_in(&server, &server.identity).await.unwrap();
    assert_eq!(session.len(), 64);
    for (method, path) in &routes[..5] {
        let body = (*path == "/organizer/purge").then(|| json!({ "records": [] }));
        let response = api(&server, method.clone(), path, Some(&session), body).await;
        assert_ne!(response.status(), 401, "{method} {path}");
    }
    server.stop().await;
}

/// The statuses of `n` posts of `body` to `path` by a server whose limit is a burst of `burst`.
async fn statuses_under_a_limit(burst: u32, path: &str, body: &str, n: usize) -> Vec<u16> {
    let server =
        TestServer::start_with(|config| config.rate_limits = Some(limits(burst, 100))).await;
    let mut statuses = Vec::new();
    for _ in 0..n {
        let response = client()
            .post(server.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    server.stop().await;
    statuses
}

#[tokio::test]
async fn sign_in_and_withdrawal_attempts_are_rate_limited_like_signing() {
    let challenges = statuses_under_a_limit(3, "/organizer/challenge", "", 5).await;
    assert_eq!(challenges, [200, 200, 200, 429, 429]);
    let receipt = encode(&[("receipt", &"0".repeat(32))]);
    let withdrawals = statuses_under_a_limit(2, "/withdraw", &receipt, 4).await;
    assert_eq!(withdrawals, [200, 200, 429, 429]);
}

#[tokio::test]
async fn records_are_listed_fetched_and_purged_by_hash() {
    let server = TestServer::start().await;
    let client = client();
    for name in ["Ana", "Bo", "Chen"] {
        let token = fresh_token(&client, &server).await;
        assert_eq!(
            post_form(&client, &server, valid_form(&token, name))
                .await
                .status(),
            200
        );
    }
    let session = sign_in(&server, &server.identity).await.unwrap();
    let listing: Value = api_json(
        &server,
        reqwest::Method::GET,
        "/organizer/records?limit=2",
        &session,
        None,
    )
    .await;
    let first_page = listing["records"].as_array().unwrap().clone();
    assert_eq!(first_page.len(), 2);
    let after = listing["next_after"].as_str().unwrap();
    let rest: Value = api_json(
        &server,
        reqwest::Method::GET,
        &format!("/organizer/records?after={after}"),
        &session,
        None,
    )
    .await;
    let mut records = first_page;
    records.extend(rest["records"].as_array().unwrap().iter().cloned());
    assert_eq!(records.len(), 3);
    assert!(rest.get("next_after").is_none());

    // Each record's bytes match its listed hash and size, and open with the organizer's key.
    for record in &records {
        let id = record["id"].as_str().unwrap();
        let response = api(
            &server,
            reqwest::Method::GET,
            &format!("/organizer/records/{id}"),
            Some(&session),
            None,
        )
        .await;
        assert_eq!(
            response.headers()["content-type"],
            "application/octet-stream"
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(hex::encode(Sha256::digest(&bytes)), record["sha256"]);
        assert_eq!(bytes.len() as u64, record["size"].as_u64().unwrap());
        let opened = seal::open(&bytes, &[&server.identity as &dyn age::Identity]).unwrap();
        assert_eq!(opened.receipt().map(str::len), Some(64));
    }
    let campaign: Value = api_json(
        &server,
        reqwest::Method::GET,
        "/organizer/campaign",
        &session,
        None,
    )
    .await;
    let toml = campaign["toml"].as_str().unwrap();
    assert_eq!(
        campaign["version"],
        hex::encode(Sha256::digest(toml.as_bytes()))
    );
    assert!(toml.contains("id = \"open-letter\""));

    // Purge: one by its right hash, one with a wrong hash, one unknown id.
    let purged: Value = api_json(
        &server,
        reqwest::Method::POST,
        "/organizer/purge",
        &session,
        Some(json!({ "records": [
            { "id": records[0]["id"], "sha256": records[0]["sha256"] },
            { "id": records[1]["id"], "sha256": "0".repeat(64) },
            { "id": "f".repeat(32), "sha256": "0".repeat(64) },
        ]})),
    )
    .await;
    assert_eq!(purged["deleted"], json!([records[0]["id"]]));
    assert_eq!(purged["kept"], json!([records[1]["id"], "f".repeat(32)]));
    let gone = api(
        &server,
        reqwest::Method::GET,
        &format!("/organizer/records/{}", records[0]["id"].as_str().unwrap()),
        Some(&session),
        None,
    )
    .await;
    assert_eq!(gone.status(), 404);
    // Ids are checked before anything is looked up.
    for bad in ["../x", "ABCDEF00000000000000000000000000", "1234"] {
        let response = api(
            &server,
            reqwest::Method::GET,
            &format!("/organizer/records/{bad}"),
            Some(&session),
            None,
        )
        .await;
        assert!(matches!(response.status().as_u16(), 400 | 404), "{bad}");
    }
    // The count is of signatures given: a purge does not lower it.
    let front = get_text(&client, &server, "/").await;
    assert!(front.contains("3 people and organizations have signed."));
    let (stored, _) = server.stop().await;
    assert_eq!(stored.len(), 2);
}

#[tokio::test]
async fn a_receipt_withdraws_and_a_wrong_one_gets_the_same_answer() {
    let server = TestServer::start().await;
    let client = client();
    let mut receipts = Vec::new();
    for name in ["Ana", "Bo"] {
        let token = fresh_token(&client, &server).await;
        let body = valid_form(&token, name);
        let page = post_form(&client, &server, body.clone())
            .await
            .text()
            .await
            .unwrap();
        let receipt = receipt_in(&page);
        assert_eq!(receipt.len(), 39, "eight groups of four: {receipt}");
        // A double click shows the same receipt.
        let again = post_form(&client, &server, body)
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(receipt_in(&again), receipt);
        receipts.push(receipt);
    }
    assert_ne!(receipts[0], receipts[1]);

    let form = client.get(server.url("/withdraw")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("name=\"receipt\""));

    let post = |receipt: String| {
        let client = client.clone();
        let url = server.url("/withdraw");
        async move {
            let response = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(&[("receipt", &receipt)]))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    // Typed loosely: lower case, spaces for hyphens.
    let typed = receipts[0].to_lowercase().replace('-', " ");
    let (status, right) = post(typed).await;
    assert_eq!(status, 200);
    let wrong_receipt = "0000-1111-2222-3333-4444-5555-6666-7777".to_owned();
    let (status, wrong) = post(wrong_receipt.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(right, wrong, "the same answer whether or not it matched");
    // Not a receipt at all: the form again, with what was typed.
    let (status, not_one) = post("my name is Ana".into()).await;
    assert_eq!(status, 422);
    assert!(not_one.contains("value=\"my name is Ana\""));

    // The record is gone, the count went down, and both receipts are kept as markers.
    let front = get_text(&client, &server, "/").await;
    assert!(
        front.contains("1 person or organization has signed."),
        "{front}"
    );
    let session = sign_in(&server, &server.identity).await.unwrap();
    let markers: Value = api_json(
        &server,
        reqwest::Method::GET,
        "/organizer/withdrawals",
        &session,
        None,
    )
    .await;
    let mut kept: Vec<&str> = markers["withdrawals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["receipt"].as_str().unwrap())
        .collect();
    kept.sort_unstable();
    let mut expected = vec![normal(&receipts[0]), normal(&wrong_receipt)];
    expected.sort();
    assert_eq!(kept, expected);
    // Withdrawing again changes nothing more.
    let (status, _) = post(receipts[0].clone()).await;
    assert_eq!(status, 200);
    let front = get_text(&client, &server, "/").await;
    assert!(front.contains("1 person or organization has signed."));

    let (stored, _) = server.stop().await;
    assert_eq!(stored.len(), 1);
    // What remains is Bo's, whose sealed receipt hash is the hash of Bo's receipt.
    let expected = hex::encode(Sha256::digest(normal(&receipts[1]).as_bytes()));
    assert_eq!(stored[0].receipt(), Some(expected.as_str()));
}

#[tokio::test]
async fn the_published_list_shows_only_public_fields_and_loses_a_withdrawn_signer() {
    let server = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let page = post_form(&client, &server, valid_form(&token, "Ana"))
        .await
        .text()
        .await
        .unwrap();
    let receipt = normal(&receipt_in(&page));
    let hash = hex::encode(Sha256::digest(receipt.as_bytes()));
    let front = get_text(&client, &server, "/").await;
    assert!(
        !front.contains("id=\"signatories-link\""),
        "nothing published yet"
    );
    assert_eq!(
        client
            .get(server.url("/signatories"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let session = sign_in(&server, &server.identity).await.unwrap();
    // A field the campaign does not make public is refused.
    let refused = api(
        &server,
        reqwest::Method::PUT,
        "/organizer/signatories",
        Some(&session),
        Some(json!({ "signatories": [{ "fields": { "email": "a@b.c" }, "receipt": hash }] })),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let mut signatories = vec![
        json!({ "fields": { "name": "Ana <b>", "organization_name": "Butterfly" }, "receipt": hash }),
    ];
    for n in 0..60 {
        signatories.push(json!({ "fields": { "name": format!("Signer {n:02}") }, "receipt": format!("{n:064x}") }));
    }
    let published = api(
        &server,
        reqwest::Method::PUT,
        "/organizer/signatories",
        Some(&session),
        Some(json!({ "signatories": signatories })),
    )
    .await;
    assert_eq!(published.status(), 204);
    let front = get_text(&client, &server, "/").await;
    assert!(front.contains("<a id=\"signatories-link\" href=\"/signatories\">"));
    let first = get_text(&client, &server, "/signatories").await;
    assert!(
        first.contains("<li dir=\"auto\">Ana &#60;b&#62; — Butterfly</li>"),
        "{first}"
    );
    assert!(first.contains("Page 1 of 2"));
    assert!(first.contains("href=\"/signatories?page=2\""));
    let second = get_text(&client, &server, "/signatories?page=2").await;
    assert_eq!(second.matches("<li dir=\"auto\">").count(), 11);

    // Ana withdraws: off the list at once.
    let withdrawn = client
        .post(server.url("/withdraw"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("receipt", &receipt)]))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 200);
    let first = get_text(&client, &server, "/signatories").await;
    assert!(!first.contains("Ana"));
    // Unpublished: gone, and the letter no longer links to it.
    let cleared = api(
        &server,
        reqwest::Method::DELETE,
        "/organizer/signatories",
        Some(&session),
        None,
    )
    .await;
    assert_eq!(cleared.status(), 204);
    assert_eq!(
        client
            .get(server.url("/signatories"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    server.stop().await;
}
