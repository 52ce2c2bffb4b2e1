//! A signer and a person who only shares what happened, each in a browser with JavaScript off
//! and on: a mistake loses nothing, the thank-you page echoes nothing, the count counts
//! signatures only, and the organizers read exactly what was typed — and nothing identifying
//! from the person who only shared.

use serde_json::Value;

use super::support::Site;
use super::support::webdriver::{Browser, Javascript};
use super::{MIN_FORM_SECS, click, let_the_form_age, send, text, ticked, type_into, value};

#[tokio::test]
async fn a_signer_and_a_witness_with_javascript_off() {
    signer_and_witness(Javascript::Off).await;
}

#[tokio::test]
async fn a_signer_and_a_witness_with_javascript_on() {
    signer_and_witness(Javascript::On).await;
}

/// Many scripts, a line break, an emoji sequence, and markup that must stay text.
const COMMENT: &str = "First line — مرحبا\nSecond line: 他们来了 👩🏽‍⚕️ & <b>not bold</b>";
const TESTIMONY: &str = "They came on a Tuesday — 星期二.\nThey took our phones. <i>Nobody</i> \
                         was charged; two of us were deported.";

async fn signer_and_witness(javascript: Javascript) {
    let Some(browser) = Browser::start_with(javascript).await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", MIN_FORM_SECS]);
    let home = format!("{}/", server.base);

    browser.goto(&home).await;
    let page = browser.page_text().await;
    assert!(page.contains("We cannot tolerate it anymore"), "{page}");
    assert!(page.contains("HIV Legal Network"), "{page}");
    assert!(browser.count("article.letter").await == 1);
    assert!(browser.count("#privacy-notice").await == 1, "{page}");
    let count_before = text(&browser, "#signature-count").await;
    // The honeypot is in the page but nobody sees it.
    let trap = browser.find("input[name=website]").await;
    assert!(!browser.is_displayed(&trap).await);

    // Sign for an organization but forget its name.
    click(&browser, "#field-intent-0").await;
    click(&browser, "input[name=sign_as][value=organization]").await;
    type_into(&browser, "#field-name", "Mai Nguyễn").await;
    type_into(&browser, "#field-email", "mai@example.org").await;
    type_into(&browser, "#field-postal_code", "M5V 2T6").await;
    click(
        &browser,
        "input[name=organization_type][value=sex_worker_led]",
    )
    .await;
    click(&browser, "input[name=actions][value=share_social_media]").await;
    click(&browser, "input[name=actions][value=join_meeting]").await;
    click(&browser, "#field-consent_public").await;
    type_into(&browser, "#field-comment", COMMENT).await;
    let_the_form_age().await;
    send(&browser).await;

    // The same form comes back: a summary whose link names the question, a message at the
    // field, and every answer kept.
    let summary = browser.find("#error-summary").await;
    assert!(browser.is_displayed(&summary).await);
    let summary_text = browser.text_of(&summary).await;
    let link = browser
        .try_find("#error-summary a[href='#field-organization_name']")
        .await
        .unwrap_or_else(|| panic!("no link to the field in: {summary_text}"));
    let link_text = browser.text_of(&link).await;
    assert!(
        link_text.to_lowercase().contains("organization name"),
        "the summary's link does not name the question: {link_text:?}"
    );
    assert_eq!(browser.count("#error-organization_name").await, 1);
    assert!(ticked(&browser, "#field-intent-0").await);
    assert!(!ticked(&browser, "#field-intent-1").await);
    assert!(!ticked(&browser, "#field-intent-2").await);
    assert!(ticked(&browser, "input[name=sign_as][value=organization]").await);
    assert_eq!(value(&browser, "#field-name").await, "Mai Nguyễn");
    assert_eq!(value(&browser, "#field-email").await, "mai@example.org");
    assert_eq!(value(&browser, "#field-postal_code").await, "M5V 2T6");
    assert!(
        ticked(
            &browser,
            "input[name=organization_type][value=sex_worker_led]"
        )
        .await
    );
    assert!(ticked(&browser, "input[name=actions][value=share_social_media]").await);
    assert!(ticked(&browser, "input[name=actions][value=join_meeting]").await);
    assert!(!ticked(&browser, "input[name=actions][value=donate]").await);
    assert!(ticked(&browser, "#field-consent_public").await);
    assert!(!ticked(&browser, "#field-consent_contact").await);
    assert_eq!(value(&browser, "#field-comment").await, COMMENT);
    assert_eq!(value(&browser, "#field-harm").await, "");

    // Fix the mistake and send.
    type_into(&browser, "#field-organization_name", "Butterfly").await;
    let_the_form_age().await;
    send(&browser).await;
    let thanks = browser.page_text().await;
    assert_eq!(browser.count("h1#page-heading").await, 1, "{thanks}");
    assert!(thanks.to_lowercase().contains("thank"), "{thanks}");
    for typed in [
        "Mai Nguyễn",
        "mai@example.org",
        "M5V 2T6",
        "Butterfly",
        "مرحبا",
    ] {
        assert!(
            !thanks.contains(typed),
            "the thank-you page echoes {typed:?}"
        );
    }
    assert!(browser.current_url().await.ends_with("/sign"));

    // The count counts the signature.
    browser.goto(&home).await;
    let count_signed = text(&browser, "#signature-count").await;
    assert_ne!(count_signed, count_before, "the signature was not counted");
    assert!(count_signed.contains('1'), "{count_signed}");

    // Someone who only shares what happened. They had started typing their name and email
    // in the signature part before choosing: nothing of it may be kept.
    type_into(&browser, "#field-name", "Lin Wei").await;
    type_into(&browser, "#field-email", "lin@example.org").await;
    click(&browser, "#field-intent-2").await;
    type_into(&browser, "#field-harm", TESTIMONY).await;
    click(&browser, "#field-consent_quote").await;
    let_the_form_age().await;
    send(&browser).await;
    let thanks = browser.page_text().await;
    assert_eq!(
        browser.count("#error-summary").await,
        0,
        "sharing only was refused: {thanks}"
    );
    assert_eq!(browser.count("h1#page-heading").await, 1, "{thanks}");
    for typed in ["Lin Wei", "lin@example.org", "Tuesday"] {
        assert!(
            !thanks.contains(typed),
            "the thank-you page echoes {typed:?}"
        );
    }

    // Sharing is not signing: the count stays.
    browser.goto(&home).await;
    assert_eq!(
        text(&browser, "#signature-count").await,
        count_signed,
        "a testimony was counted as a signature"
    );
    browser.quit().await;
    server.stop();

    // The organizers read exactly what was typed, and nothing the sharer did not share.
    assert_eq!(site.export().len(), 2);
    let rows = site.decrypt_json(0);
    let rows = rows.as_array().expect("a list of records");
    let (signer, sharer) = match rows.iter().position(|row| is_empty(&row["fields"]["harm"])) {
        Some(0) => (&rows[0]["fields"], &rows[1]["fields"]),
        Some(1) => (&rows[1]["fields"], &rows[0]["fields"]),
        _ => panic!("expected one record with a testimony and one without: {rows:#?}"),
    };
    if !signer["intent"].is_null() {
        assert_eq!(signer["intent"], "sign");
        assert_eq!(sharer["intent"], "share");
    }
    assert_eq!(signer["sign_as"], "organization");
    assert_eq!(signer["organization_name"], "Butterfly");
    assert_eq!(signer["name"], "Mai Nguyễn");
    assert_eq!(signer["email"], "mai@example.org");
    assert_eq!(signer["postal_code"], "M5V 2T6");
    assert_eq!(signer["organization_type"], "sex_worker_led");
    assert_eq!(
        signer["actions"],
        serde_json::json!(["share_social_media", "join_meeting"])
    );
    assert_eq!(signer["consent_public"], true);
    assert_eq!(signer["consent_contact"], false);
    assert_eq!(signer["comment"], COMMENT);

    assert_eq!(sharer["harm"], TESTIMONY);
    assert_eq!(sharer["consent_quote"], true);
    for field in [
        "sign_as",
        "organization_name",
        "name",
        "email",
        "postal_code",
        "organization_type",
        "actions",
        "consent_public",
        "consent_contact",
    ] {
        assert!(
            is_empty(&sharer[field]),
            "a share-only record keeps {field} = {}",
            sharer[field]
        );
    }
}

/// Whether an answer in a decrypted record is blank: absent, empty text, no choice, unticked.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(ticked) => !ticked,
        _ => false,
    }
}
