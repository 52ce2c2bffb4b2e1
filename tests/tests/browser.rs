//! The pages in a real browser: headless Chromium with JavaScript switched off (as in Tor
//! Browser's "safest" level), driven through chromedriver as a person would use the form.

mod support;

use support::Site;
use support::webdriver::Browser;

#[tokio::test]
async fn a_person_signs_with_javascript_off_and_a_mistake_loses_nothing() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "1"]);

    browser.goto(&format!("{}/", server.base)).await;
    let text = browser.page_text().await;
    assert!(text.contains("We cannot tolerate it anymore"), "{text}");
    assert!(text.contains("HIV Legal Network"));
    assert!(
        text.contains("encrypted"),
        "the testimony field says it is encrypted"
    );
    // The honeypot is in the page but nobody sees it.
    let trap = browser.find("input[name=website]").await;
    assert!(!browser.is_displayed(&trap).await);

    // Sign as an organization but forget its name; type a long, many-script testimony.
    let testimony = "First line — مرحبا\nSecond line: 他们来了 👩🏽‍⚕️ & <b>not bold</b>";
    browser
        .click(
            &browser
                .find("input[name=sign_as][value=organization]")
                .await,
        )
        .await;
    browser
        .type_into(&browser.find("#field-name").await, "Mai Nguyễn")
        .await;
    browser
        .type_into(&browser.find("#field-email").await, "mai@example.org")
        .await;
    browser
        .type_into(&browser.find("#field-harm").await, testimony)
        .await;
    browser
        .click(&browser.find("input[name=actions]").await)
        .await;
    browser
        .click(&browser.find("#field-consent_public").await)
        .await;
    // The form token must be a moment old; a person takes longer than this anyway.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    browser.submit(&browser.find("#sign-submit").await).await;

    // The same form comes back: a summary linking to the field, and every answer kept.
    let summary = browser.find("#error-summary").await;
    assert!(browser.is_displayed(&summary).await);
    assert_eq!(
        browser
            .count("#error-summary a[href='#field-organization_name']")
            .await,
        1
    );
    assert_eq!(browser.count("#error-organization_name").await, 1);
    assert_eq!(
        browser.value_of(&browser.find("#field-harm").await).await,
        testimony
    );
    assert_eq!(
        browser.value_of(&browser.find("#field-name").await).await,
        "Mai Nguyễn"
    );
    assert_eq!(
        browser.value_of(&browser.find("#field-email").await).await,
        "mai@example.org"
    );
    assert!(
        browser
            .is_selected(
                &browser
                    .find("input[name=sign_as][value=organization]")
                    .await
            )
            .await
    );
    assert!(
        browser
            .is_selected(&browser.find("input[name=actions]").await)
            .await
    );
    assert!(
        browser
            .is_selected(&browser.find("#field-consent_public").await)
            .await
    );
    assert!(
        !browser
            .is_selected(&browser.find("#field-consent_contact").await)
            .await
    );

    // Fix the mistake and send.
    browser
        .type_into(&browser.find("#field-organization_name").await, "Butterfly")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    browser.submit(&browser.find("#sign-submit").await).await;
    let thanks = browser.page_text().await;
    assert!(thanks.to_lowercase().contains("thank"), "{thanks}");
    assert!(
        !thanks.contains("Mai Nguyễn"),
        "the thank-you page echoes the name"
    );
    assert!(browser.current_url().await.ends_with("/sign"));

    // The front page counts the signature.
    browser.goto(&format!("{}/", server.base)).await;
    assert!(browser.page_text().await.contains('1'));
    browser.quit().await;
    server.stop();

    // The organizer reads exactly what the person typed.
    assert_eq!(site.export().len(), 1);
    let rows = site.decrypt_json(0);
    let fields = &rows[0]["fields"];
    assert_eq!(fields["harm"], testimony);
    assert_eq!(fields["organization_name"], "Butterfly");
    assert_eq!(fields["sign_as"], "organization");
    assert_eq!(fields["consent_public"], true);
}
