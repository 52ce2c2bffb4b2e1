//! The pages in a real browser: headless Chromium driven through chromedriver as people use the
//! form — with JavaScript off (Tor Browser's "safest" level) and on, with a mouse and with the
//! keyboard alone, on a 320 px phone and at 200 % zoom, in English, Simplified Chinese and the
//! right-to-left test locale — checked with axe-core against WCAG 2.2 A and AA, and what the
//! organizers decrypt compared with what was typed.
//!
//! The letter page's screenshots in docs/screenshots/ come from this run: it writes them to
//! `target/tmp/screenshots/`; copy them over when the pages change (see `screenshots.rs`).

#[path = "../support/mod.rs"]
mod support;

mod accessibility;
mod keyboard;
mod language;
mod screenshots;
mod signing;

use std::time::Duration;

use support::webdriver::Browser;

/// The languages every page is checked in: English, Simplified Chinese (another script, whose
/// glyphs the fonts must have, and longer words per line) and `ar-XB`, the right-to-left test
/// locale.
const LANGUAGES: [&str; 3] = ["en", "zh-Hans", "ar-XB"];

/// axe-core's tags for the success criteria of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Servers in these tests are started with `--min-form-secs 1`: a form token is accepted a
/// second after the page was served. A person takes longer than that anyway.
const MIN_FORM_SECS: &str = "1";

/// Waits until a form page's token is old enough to be accepted.
async fn let_the_form_age() {
    tokio::time::sleep(Duration::from_millis(1200)).await;
}

/// The `?lang=` query for a language tag.
fn lang_query(lang: &str) -> String {
    format!("?lang={lang}")
}

/// Clicks the element matching `css`.
async fn click(browser: &Browser, css: &str) {
    browser.click(&browser.find(css).await).await;
}

/// Types `text` into the element matching `css`.
async fn type_into(browser: &Browser, css: &str, text: &str) {
    browser.type_into(&browser.find(css).await, text).await;
}

/// The value the browser holds for the form control matching `css`.
async fn value(browser: &Browser, css: &str) -> String {
    browser.value_of(&browser.find(css).await).await
}

/// Whether the checkbox or radio button matching `css` is ticked.
async fn ticked(browser: &Browser, css: &str) -> bool {
    browser.is_selected(&browser.find(css).await).await
}

/// Presses the form's Send button and waits for the page that answers. Fails at once, naming
/// the fields, if the browser itself would refuse to send because a field is marked `required`
/// (that would stop a person who answered everything the question needs).
async fn send(browser: &Browser) {
    let invalid = browser.count("#sign-form :invalid").await;
    assert_eq!(
        invalid,
        0,
        "the browser refuses to send the form: {invalid} control(s) are :invalid (a `required` \
         attribute on a question this answer does not need?)\n{}",
        browser.page_text().await
    );
    browser.submit(&browser.find("#sign-submit").await).await;
}

/// The visible text of the element matching `css`.
async fn text(browser: &Browser, css: &str) -> String {
    browser.text_of(&browser.find(css).await).await
}

/// The `lang` attribute of the page's root element.
async fn page_lang(browser: &Browser) -> String {
    let html = browser.find("html").await;
    browser.attribute(&html, "lang").await.unwrap_or_default()
}
