//! The keyboard alone, with JavaScript off: the first Tab reaches the skip link, which is then
//! visible and leads into the main content; every stop of Tab shows where the focus is; the
//! honeypot is never reached.

use super::support::Site;
use super::support::webdriver::{Browser, Element, Javascript, Key, Screen};
use super::{LANGUAGES, MIN_FORM_SECS, lang_query};

/// More stops than the letter page has (its links, the language menu and every option).
const MAX_TAB_STOPS: usize = 150;

#[tokio::test]
async fn the_first_tab_reaches_the_skip_link_and_every_focus_is_visible() {
    let Some(browser) = Browser::start_with(Javascript::Off).await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", MIN_FORM_SECS]);
    // A phone's width, where a skip link that appears has the least room.
    let screen = Screen::PHONE;
    browser.emulate(screen).await;

    for lang in LANGUAGES {
        let page = format!("{}/{}", server.base, lang_query(lang));
        browser.goto(&page).await;
        browser.press(Key::Tab).await;
        let first = browser.active_element().await;
        let skip = browser.find("#skip-link").await;
        assert!(
            Browser::same(&first, &skip),
            "{lang}: the first Tab reaches {}, not the skip link",
            describe(&browser, &first).await
        );
        assert!(
            browser.is_displayed(&skip).await,
            "{lang}: the focused skip link is hidden"
        );
        let (x, y, width, height) = browser.rect(&skip).await;
        assert!(
            x >= 0.0
                && y >= 0.0
                && width > 0.0
                && height > 0.0
                && x + width <= f64::from(screen.width),
            "{lang}: the focused skip link is off screen at ({x}, {y}), {width} × {height}"
        );
        assert_focus_visible(&browser, &skip, lang).await;

        // Enter follows it: the address ends in #main and the next Tab is inside <main>.
        browser.press(Key::Enter).await;
        assert!(
            browser.current_url().await.ends_with("#main"),
            "{lang}: Enter on the skip link did not follow it"
        );
        browser.press(Key::Tab).await;
        assert_eq!(
            browser.count("main :focus").await,
            1,
            "{lang}: after the skip link, Tab goes to {} instead of into the main content",
            describe(&browser, &browser.active_element().await).await
        );
    }

    // Tab through the whole letter page from the top.
    browser.goto(&format!("{}/?lang=en", server.base)).await;
    let body = browser.find("body").await;
    let mut unseen = Vec::new();
    let mut stops = 0;
    loop {
        browser.press(Key::Tab).await;
        let active = browser.active_element().await;
        if Browser::same(&active, &body) || (stops > 0 && is_skip_link(&browser, &active).await) {
            break;
        }
        stops += 1;
        assert!(
            stops <= MAX_TAB_STOPS,
            "Tab did not come round in {MAX_TAB_STOPS} stops"
        );
        let name = browser.attribute(&active, "name").await;
        assert_ne!(name.as_deref(), Some("website"), "Tab reaches the honeypot");
        if !focus_is_visible(&browser, &active).await {
            unseen.push(describe(&browser, &active).await);
        }
    }
    assert!(stops > 20, "only {stops} Tab stops on the letter page");
    assert!(
        unseen.is_empty(),
        "no visible focus indicator (outline or box-shadow) on:\n{}",
        unseen.join("\n")
    );
    browser.quit().await;
    server.stop();
}

async fn is_skip_link(browser: &Browser, element: &Element) -> bool {
    browser.attribute(element, "id").await.as_deref() == Some("skip-link")
}

/// Whether the focused element draws an outline or a box shadow (the stylesheet's
/// `:focus-visible` rule draws both).
async fn focus_is_visible(browser: &Browser, element: &Element) -> bool {
    let outline = browser.css_value(element, "outline-style").await;
    let width = browser.css_value(element, "outline-width").await;
    let shadow = browser.css_value(element, "box-shadow").await;
    (outline != "none" && width != "0px") || (shadow != "none" && !shadow.is_empty())
}

async fn assert_focus_visible(browser: &Browser, element: &Element, lang: &str) {
    assert!(
        focus_is_visible(browser, element).await,
        "{lang}: {} has no visible focus indicator",
        describe(browser, element).await
    );
}

/// The element as a person finds it in the page: its tag, id, name and text.
async fn describe(browser: &Browser, element: &Element) -> String {
    let tag = browser.tag_name(element).await;
    let id = browser.attribute(element, "id").await.unwrap_or_default();
    let name = browser.attribute(element, "name").await.unwrap_or_default();
    let text = browser.text_of(element).await;
    format!("<{tag} id={id:?} name={name:?}> {text:?}")
}
