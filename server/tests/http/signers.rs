//! What signers and sharers meet over HTTP: sharing without signing (nothing identifying kept,
//! the count unchanged), the privacy page, support resources after sending, a closed letter,
//! and a rate-limited form that comes back with its answers and a fresh token.

use seal::FieldValue;
use sealform_server::campaign::Campaign;
use sealform_server::pages::texts;

use crate::support::{
    TestServer, client, encode, fresh_token, get_text, limits, post_form, token_in, valid_form,
};

/// The built-in campaign with `replace` applied to its file.
fn builtin_with(replace: &[(&str, &str)]) -> Campaign {
    let mut text = include_str!("../../campaigns/open-letter.toml").to_owned();
    for (from, to) in replace {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    Campaign::from_toml("test campaign", &text).unwrap()
}

fn count_in(page: &str) -> String {
    let start = page.find("id=\"signature-count\"").unwrap();
    let text = &page[start..];
    text[text.find('>').unwrap() + 1..text.find("</p>").unwrap()].to_owned()
}

#[tokio::test]
async fn sharing_without_signing_keeps_nothing_identifying_and_is_not_counted() {
    let server = TestServer::start().await;
    let client = client();
    let account = "They took our phones. 他们拿走了我们的手机。";
    let token = fresh_token(&client, &server).await;
    let shared = post_form(
        &client,
        &server,
        encode(&[
            ("token", &token),
            ("intent", "share"),
            ("name", "typed before choosing"),
            ("email", "mai@example.org"),
            ("harm", account),
            ("consent_quote", "on"),
        ]),
    )
    .await;
    assert_eq!(shared.status(), 200);
    let front = client.get(server.url("/")).send().await.unwrap();
    let page = front.text().await.unwrap();
    assert_eq!(count_in(&page), "0 people and organizations have signed.");

    let token = fresh_token(&client, &server).await;
    let signed = post_form(&client, &server, valid_form(&token, "Mai")).await;
    assert_eq!(signed.status(), 200);
    let page = get_text(&client, &server, "/").await;
    assert_eq!(count_in(&page), "1 person or organization has signed.");

    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 2);
    let share = records
        .iter()
        .find(|r| r.expose_field("intent") == Some(&FieldValue::Choice("share".into())))
        .unwrap();
    assert_eq!(
        share.expose_field("harm"),
        Some(&FieldValue::Text(account.into()))
    );
    assert_eq!(
        share.expose_field("consent_quote"),
        Some(&FieldValue::Consent(true))
    );
    for name in ["name", "email"] {
        assert_eq!(
            share.expose_field(name),
            Some(&FieldValue::Text(String::new())),
            "{name}"
        );
    }
    assert_eq!(
        share.campaign_version(),
        Some(Campaign::builtin().version())
    );
}

#[tokio::test]
async fn the_privacy_page_says_who_reads_what_and_how_to_take_it_back() {
    let server = TestServer::start().await;
    let client = client();
    let t = texts("en");
    let page = get_text(&client, &server, "/privacy").await;
    for words in [
        t.privacy.title,
        t.privacy.readers_body,
        t.privacy.stored_body,
        t.privacy.kept_body,
        t.privacy.withdraw_no_contact,
        t.shared_device_note,
        "Butterfly (Asian and Migrant Sex Workers Support Network)",
        "HIV Legal Network",
    ] {
        assert!(page.contains(words), "{words}");
    }
    // Linked from every page, in the page's language.
    let front = client.get(server.url("/?lang=fr")).send().await.unwrap();
    let front = front.text().await.unwrap();
    assert!(front.contains("<a id=\"privacy-link\" href=\"/privacy?lang=fr\">"));
    let missing = client.get(server.url("/nothing")).send().await.unwrap();
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("id=\"privacy-link\"")
    );
    server.stop().await;

    // A campaign with a contact says how to reach it.
    let server = TestServer::start_with(|config| {
        config.campaign = builtin_with(&[(
            "  \"HIV Legal Network\",\n]",
            "  \"HIV Legal Network\",\n]\ncontact = \"letter@example.org\"",
        )]);
    })
    .await;
    let page = get_text(&client, &server, "/privacy").await;
    assert!(page.contains(&t.withdraw_contact("letter@example.org")));
    server.stop().await;

    // With retention set, the page says how long answers stay; and it links to /withdraw.
    let server = TestServer::start_with(|config| config.delete_after_days = Some(30)).await;
    let page = get_text(&client, &server, "/privacy").await;
    assert!(page.contains(&t.kept_days(30)), "{page}");
    assert!(!page.contains(t.privacy.kept_body));
    assert!(page.contains("<a href=\"/withdraw\">"));
    assert!(page.contains(t.privacy.withdraw_receipt));
    server.stop().await;
}

#[tokio::test]
async fn the_thank_you_page_lists_the_campaigns_support() {
    let server = TestServer::start_with(|config| {
        config.campaign = builtin_with(&[(
            "# The questions, in the order",
            "[[support]]\nname = \"Peer line\"\nreach = \"Call 555-0100\"\nlanguages = \"English, 中文\"\n\n# The questions, in the order",
        )]);
    })
    .await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    let thanks = post_form(&client, &server, valid_form(&token, "Mai")).await;
    assert_eq!(thanks.status(), 200);
    let page = thanks.text().await.unwrap();
    assert!(page.contains("<section id=\"support\""));
    assert!(page.contains("<strong>Peer line</strong> — Call 555-0100"));
    assert!(page.contains("Languages: English, 中文"));
    assert!(!page.contains("Mai"), "the thank-you page echoes nothing");
    server.stop().await;
}

#[tokio::test]
async fn a_closed_letter_stays_readable_and_takes_nothing() {
    let server = TestServer::start_with(|config| {
        config.campaign = builtin_with(&[("closed = false", "closed = true")]);
    })
    .await;
    let client = client();
    let t = texts("en");
    let front = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(front.status(), 200);
    let page = front.text().await.unwrap();
    assert!(page.contains("We cannot tolerate it anymore"));
    assert!(page.contains("id=\"campaign-closed\""));
    assert!(page.contains(t.campaign_closed.body));
    assert!(!page.contains("<form"), "no form on a closed letter");

    let sent = post_form(&client, &server, valid_form("any", "Mai")).await;
    assert_eq!(sent.status(), 410);
    let page = sent.text().await.unwrap();
    assert!(page.contains(t.campaign_closed.title));
    let (records, _) = server.stop().await;
    assert!(records.is_empty());
}

#[tokio::test]
async fn a_rate_limited_form_comes_back_with_its_answers_and_a_fresh_token() {
    let server = TestServer::start_with(|config| config.rate_limits = Some(limits(1, 100))).await;
    let client = client();
    let token = fresh_token(&client, &server).await;
    assert_eq!(
        post_form(&client, &server, valid_form(&token, "First"))
            .await
            .status(),
        200
    );
    let second = fresh_token(&client, &server).await;
    let answers = encode(&[
        ("token", &second),
        ("intent", "sign_and_share"),
        ("sign_as", "individual"),
        ("name", "Mai \"Tran\""),
        ("harm", "Line one\nline two <b>"),
        ("actions", "donate"),
    ]);
    let limited = post_form(&client, &server, answers).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page = limited.text().await.unwrap();
    assert!(page.contains(&texts("en").rate_limited_notice(retry_after)));
    assert!(page.contains("value=\"Mai &#34;Tran&#34;\""), "{page}");
    assert!(page.contains("Line one\nline two &#60;b&#62;</textarea>"));
    assert!(page.contains("value=\"donate\" checked"));
    assert!(page.contains("value=\"sign_and_share\" checked"));
    let fresh = token_in(&page);
    assert_ne!(fresh, second, "a fresh token");
    assert_ne!(fresh, token);
    let (records, _) = server.stop().await;
    assert_eq!(records.len(), 1, "the limited form was not stored");
}
