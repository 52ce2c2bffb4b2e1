//! POST /sign end to end: sealed and stored once, or the form back with everything typed.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use seal::FieldValue;
use sealform_server::pages::texts;
use sealform_server::serve::{ConnectionLimits, serve};
use sealform_server::store::Store;
use sealform_server::{AppState, app};
use tokio::net::TcpListener;

use crate::support::{
    TestServer, client, config, encode, fresh_token, post_form, token_in, valid_form,
};

#[tokio::test]
async fn a_valid_form_is_sealed_stored_and_thanked_without_echoing_it() {
    let server = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let response = post_form(&client, &server, valid_form(&token, "Ana Lima")).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains(texts("en").thanks.title));
    assert!(
        !page.contains("Ana Lima"),
        "the thank-you page never echoes"
    );
    assert!(
        !page.contains("我们受够了"),
        "the thank-you page never echoes"
    );

    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record.campaign(), "open-letter");
    assert_eq!(
        record.expose_field("name"),
        Some(&FieldValue::Text("Ana Lima".into()))
    );
    assert_eq!(
        record.expose_field("harm"),
        Some(&FieldValue::Text(
            "They came at night. Ça suffit. 我们受够了。".into()
        ))
    );
    assert_eq!(
        record.expose_field("actions"),
        Some(&FieldValue::Choices(vec![
            "share_social_media".into(),
            "talk_to_media".into()
        ]))
    );
    assert_eq!(
        record.expose_field("consent_contact"),
        Some(&FieldValue::Consent(true))
    );
}

#[tokio::test]
async fn missing_answers_bring_the_form_back_with_every_value() {
    let server = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let typed = [
        ("token", token.as_str()),
        ("intent", "sign_and_share"),
        ("sign_as", "organization"),
        ("organization_name", ""),
        ("name", ""),
        ("email", "ana@example.org"),
        ("postal_code", "H2X 1Y4"),
        ("organization_type", "sex_worker_led"),
        ("actions", "join_meeting"),
        (
            "harm",
            "Fined twice in one week.\nNo interpreter was offered.",
        ),
        ("comment", "Solidarité — 團結"),
        ("consent_public", "on"),
    ];
    let response = post_form(&client, &server, encode(&typed)).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    for (field, value) in &typed[5..] {
        if *field != "consent_public" {
            assert!(page.contains(value), "{field} kept: {value}");
        }
    }
    assert!(page.contains("value=\"organization\" checked"));
    assert!(page.contains("value=\"join_meeting\" checked"));
    assert!(page.contains("name=\"consent_public\" value=\"on\" checked"));
    // For an organization, its name is needed, and a person's name is not.
    assert!(
        page.contains("<li><a href=\"#field-organization_name\">Organization Name: "),
        "the summary names the question and links to it"
    );
    assert!(!page.contains("href=\"#field-name\""));
    assert_ne!(token_in(&page), token, "a fresh token");
    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}

#[tokio::test]
async fn a_refused_token_keeps_every_value_and_gives_a_token_to_send_again() {
    let server = TestServer::start_with(|config| {
        config.token_policy.min_age = Duration::from_secs(600);
    })
    .await;
    let client = client();
    let t = texts("en");
    let token = fresh_token(&client, &server).await;
    for (sent_token, notice) in [
        (Some(token.as_str()), t.token_too_young),
        (Some("not-a-token"), t.token_invalid),
        (None, t.token_missing),
    ] {
        let mut pairs = vec![
            ("intent", "sign_and_share"),
            ("sign_as", "individual"),
            ("name", "Mei"),
            ("harm", "Three raids this year."),
        ];
        if let Some(sent_token) = sent_token {
            pairs.push(("token", sent_token));
        }
        let response = post_form(&client, &server, encode(&pairs)).await;
        assert_eq!(response.status(), 422, "{notice}");
        let page = response.text().await.unwrap();
        assert!(page.contains(notice), "{notice}");
        assert!(page.contains("value=\"Mei\""), "{notice}");
        assert!(page.contains("Three raids this year."), "{notice}");
        if sent_token == Some(token.as_str()) {
            // Too young: the same token comes back, still ageing from when the form was served.
            assert_eq!(token_in(&page), token, "{notice}");
        } else {
            assert_ne!(token_in(&page), token, "{notice}");
        }
    }
    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}

#[tokio::test]
async fn the_same_form_sent_twice_is_stored_once() {
    let server = TestServer::start().await;
    let client = client();
    let body = valid_form(&fresh_token(&client, &server).await, "Double Click");
    for _ in 0..3 {
        let response = post_form(&client, &server, body.clone()).await;
        assert_eq!(response.status(), 200);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains(texts("en").thanks.title)
        );
    }
    let second = valid_form(&fresh_token(&client, &server).await, "Someone Else");
    assert_eq!(post_form(&client, &server, second).await.status(), 200);
    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 2);
}

#[tokio::test]
async fn the_same_token_with_changed_answers_is_not_stored_and_says_so() {
    let server = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let first = post_form(&client, &server, valid_form(&token, "First Answer")).await;
    assert_eq!(first.status(), 200);

    // Back, a change, Send: the same token with other answers.
    let changed = post_form(&client, &server, valid_form(&token, "Changed Answer")).await;
    assert_eq!(changed.status(), 409);
    let page = changed.text().await.unwrap();
    assert!(page.contains(texts("en").resent_other_answers), "{page}");
    assert!(
        page.contains("value=\"Changed Answer\""),
        "the changed answers come back"
    );
    let fresh = token_in(&page);
    assert_ne!(fresh, token, "with a fresh token");

    // The very same first form again is still a double click.
    let again = post_form(&client, &server, valid_form(&token, "First Answer")).await;
    assert_eq!(again.status(), 200);

    // Sending the changed answers with the fresh token adds them as a second submission.
    let second = post_form(&client, &server, valid_form(&fresh, "Changed Answer")).await;
    assert_eq!(second.status(), 200);
    let (records, _) = server.stop().await;
    let mut names: Vec<String> = records
        .iter()
        .map(|r| match r.expose_field("name") {
            Some(FieldValue::Text(name)) => name.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    names.sort();
    assert_eq!(names, ["Changed Answer", "First Answer"]);
}

#[tokio::test]
async fn a_filled_trap_is_thanked_and_stores_nothing() {
    let server = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let body = valid_form(&token, "Bot").replace("website=", "website=http%3A%2F%2Fspam.example");
    let response = post_form(&client, &server, body).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains(texts("en").thanks.title)
    );
    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}

#[tokio::test]
async fn a_store_failure_says_not_saved_and_frees_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let config = config(&dir.path().join("data"), &identity);
    let store = Store::open(&config.data_dir).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router: Router = app(AppState::new(config, store.clone()).unwrap());
    let serving = tokio::spawn(serve(router, listener, None, connection_limits(), async {
        let _ = stopped.await;
    }));
    // The disk "fails": the store refuses every write from now on.
    store.close().await.unwrap();

    let client = client();
    let base = format!("http://{address}");
    let page = client
        .get(&base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = token_in(&page);
    let body = valid_form(&token, "Ana");
    for attempt in 0..2 {
        let response = client
            .post(format!("{base}/sign"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        // Not "thank you" the second time either: the token was given back.
        assert_eq!(response.status(), 503, "attempt {attempt}");
        let page = response.text().await.unwrap();
        // The form comes back with the answers and the same token, which was given back.
        assert!(page.contains(texts("en").not_saved), "attempt {attempt}");
        assert!(page.contains("value=\"Ana\""), "attempt {attempt}");
        assert_eq!(token_in(&page), token, "attempt {attempt}");
        assert!(!page.contains("closed"), "no internals: {page}");
    }
    stop.send(()).unwrap();
    serving.await.unwrap();
}

fn connection_limits() -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: Duration::from_secs(10),
        max_connections: 64,
        max_per_client: None,
        trusted_proxies: Vec::new().into(),
        shutdown_grace: Duration::from_secs(5),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_signatures_are_all_stored() {
    const PEOPLE: usize = 240;
    const AT_ONCE: usize = 24;
    let server = Arc::new(TestServer::start().await);
    let client = client();
    let started = std::time::Instant::now();
    let mut workers = Vec::new();
    for worker in 0..AT_ONCE {
        let (server, client) = (Arc::clone(&server), client.clone());
        workers.push(tokio::spawn(async move {
            for person in (worker..PEOPLE).step_by(AT_ONCE) {
                let token = fresh_token(&client, &server).await;
                let body = valid_form(&token, &format!("Person {person}"));
                assert_eq!(post_form(&client, &server, body).await.status(), 200);
            }
        }));
    }
    tokio::time::timeout(Duration::from_secs(120), async {
        for worker in workers {
            worker.await.unwrap();
        }
    })
    .await
    .expect("240 signatures within two minutes");
    let elapsed = started.elapsed();
    eprintln!(
        "{PEOPLE} signatures (GET + POST each), {AT_ONCE} at once: {:.2} s, {:.0} per second",
        elapsed.as_secs_f64(),
        PEOPLE as f64 / elapsed.as_secs_f64()
    );
    let server = Arc::into_inner(server).unwrap();
    let (records, _) = server.stop().await;
    assert_eq!(records.len(), PEOPLE);
    let mut names: Vec<String> = records
        .iter()
        .map(|r| match r.expose_field("name") {
            Some(FieldValue::Text(name)) => name.clone(),
            _ => panic!("a name"),
        })
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), PEOPLE, "every person once");
}
