//! A reader picks Simplified Chinese from the language menu and stays in it: through a mistake,
//! the form's address and the links keep `?lang=zh-Hans`, and no cookie is needed for it.

use super::support::Site;
use super::support::webdriver::{Browser, Javascript};
use super::{MIN_FORM_SECS, click, let_the_form_age, page_lang, send, type_into, value};

#[tokio::test]
async fn a_reader_who_picks_chinese_stays_in_chinese_through_a_mistake() {
    let Some(browser) = Browser::start_with(Javascript::Off).await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", MIN_FORM_SECS]);

    browser.goto(&format!("{}/?lang=en", server.base)).await;
    assert_eq!(page_lang(&browser).await, "en");
    let old_body = browser.find("body").await;
    click(&browser, "nav.languages a[href='/?lang=zh-Hans']").await;
    browser.await_next_page(&old_body).await;
    assert!(browser.current_url().await.ends_with("/?lang=zh-Hans"));
    assert_eq!(page_lang(&browser).await, "zh-Hans");
    assert_chinese_form(&browser).await;

    // A mistake only the server sees (the browser checks `required` fields itself): an
    // organization without its name.
    click(&browser, "#field-intent-0").await;
    click(&browser, "input[name=sign_as][value=organization]").await;
    type_into(&browser, "#field-name", "陈小红").await;
    let_the_form_age().await;
    send(&browser).await;

    assert_eq!(
        page_lang(&browser).await,
        "zh-Hans",
        "the page with the problems is no longer in Chinese"
    );
    let summary = browser.find("#error-summary").await;
    let summary_text = browser.text_of(&summary).await;
    assert!(
        summary_text.chars().any(is_han),
        "the summary is not in Chinese: {summary_text}"
    );
    assert_eq!(
        browser
            .count("#error-summary a[href='#field-organization_name']")
            .await,
        1
    );
    assert_eq!(value(&browser, "#field-name").await, "陈小红");
    assert_chinese_form(&browser).await;
    browser.quit().await;
    server.stop();
}

/// The form posts back in Chinese, and the privacy link leads to the Chinese privacy page.
async fn assert_chinese_form(browser: &Browser) {
    let form = browser.find("form#sign-form").await;
    assert_eq!(
        browser.attribute(&form, "action").await.as_deref(),
        Some("/sign?lang=zh-Hans")
    );
    assert_eq!(
        browser
            .attribute(&form, "method")
            .await
            .map(|m| m.to_lowercase())
            .as_deref(),
        Some("post")
    );
    let privacy = browser.find("#privacy-link").await;
    assert_eq!(
        browser.attribute(&privacy, "href").await.as_deref(),
        Some("/privacy?lang=zh-Hans")
    );
}

/// Whether `c` is a CJK unified ideograph (the common block), as Chinese text has.
fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}
