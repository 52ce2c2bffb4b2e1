//! Every kind of page — the letter, the letter with problems, thank-you, privacy, withdrawal, not found,
//! the busy (429) page and a closed letter — in English, Simplified Chinese and the
//! right-to-left test locale: zero axe-core violations of WCAG 2.2 A and AA in the light and the
//! dark colour scheme, the parts every page promises, and no sideways scrolling on a 320 px
//! phone or at 200 % zoom.
//!
//! Each test collects every problem it finds on every page and fails once at the end with the
//! whole list, so one run shows all there is to fix.

use serde_json::json;

use super::support::Site;
use super::support::webdriver::{Browser, Javascript, Screen};
use super::{LANGUAGES, WCAG_TAGS, click, lang_query, page_lang, type_into};

#[tokio::test]
async fn every_page_passes_axe_in_english() {
    every_page(LANGUAGES[0]).await;
}

#[tokio::test]
async fn every_page_passes_axe_in_simplified_chinese() {
    every_page(LANGUAGES[1]).await;
}

#[tokio::test]
async fn every_page_passes_axe_right_to_left() {
    every_page(LANGUAGES[2]).await;
}

async fn every_page(lang: &str) {
    let Some(browser) = Browser::start_with(Javascript::On).await else {
        return;
    };
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "0", "--no-rate-limit"]);
    let q = lang_query(lang);
    let mut problems = Vec::new();

    browser.goto(&format!("{}/{q}", server.base)).await;
    check_page(&browser, lang, "the letter page", &mut problems).await;
    check_form(&browser, lang, "the letter page", &mut problems).await;
    check_letter_direction(&browser, lang, &mut problems).await;

    // Sign and share, with every question left blank: the most problems at once. The
    // browser's own checks of `required` fields are switched off so the server's show.
    browser
        .execute(
            "document.getElementById('sign-form').noValidate = true;",
            json!([]),
        )
        .await;
    click(&browser, "#field-intent-1").await;
    browser.submit(&browser.find("#sign-submit").await).await;
    let label = "the letter page with problems";
    if browser.count("#error-summary").await == 0 {
        problems.push(format!("{label}: no #error-summary"));
    }
    check_page(&browser, lang, label, &mut problems).await;
    check_form(&browser, lang, label, &mut problems).await;

    browser.goto(&format!("{}/{q}", server.base)).await;
    sign_as_individual(&browser).await;
    check_heading(&browser, "the thank-you page", &mut problems).await;
    check_page(&browser, lang, "the thank-you page", &mut problems).await;

    browser.goto(&format!("{}/privacy{q}", server.base)).await;
    check_heading(&browser, "the privacy page", &mut problems).await;
    check_page(&browser, lang, "the privacy page", &mut problems).await;

    // Taking answers back: the form, the form with something that is not a receipt, and the
    // answer (the same whether or not a receipt matched).
    browser.goto(&format!("{}/withdraw{q}", server.base)).await;
    check_heading(&browser, "the withdrawal page", &mut problems).await;
    check_page(&browser, lang, "the withdrawal page", &mut problems).await;
    let receipt = browser.find("#field-receipt").await;
    browser.type_into(&receipt, "not a receipt").await;
    browser
        .submit(&browser.find("#withdraw-submit").await)
        .await;
    let label = "the withdrawal page with a problem";
    if browser.count("#error-receipt").await == 0 {
        problems.push(format!("{label}: no #error-receipt"));
    }
    check_page(&browser, lang, label, &mut problems).await;
    browser
        .execute(
            "document.getElementById('field-receipt').value = '';",
            json!([]),
        )
        .await;
    let receipt = browser.find("#field-receipt").await;
    browser
        .type_into(&receipt, "0000-1111-2222-3333-4444-5555-6666-7777")
        .await;
    browser
        .submit(&browser.find("#withdraw-submit").await)
        .await;
    check_heading(&browser, "after a withdrawal", &mut problems).await;
    check_page(&browser, lang, "after a withdrawal", &mut problems).await;

    browser
        .goto(&format!("{}/no-such-page{q}", server.base))
        .await;
    check_heading(&browser, "the not-found page", &mut problems).await;
    check_page(&browser, lang, "the not-found page", &mut problems).await;

    browser.quit().await;
    server.stop();
    assert!(
        problems.is_empty(),
        "{} problem(s) in {lang}:\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_busy_page_and_a_closed_letter_pass_axe() {
    let Some(browser) = Browser::start_with(Javascript::On).await else {
        return;
    };
    let mut problems = Vec::new();

    // One form per connection per hour: the second is refused with 429, answers kept.
    let site = Site::new(1);
    let server = site.start_server(&[
        "--min-form-secs",
        "0",
        "--rate-burst",
        "1",
        "--rate-refill-secs",
        "3600",
    ]);
    for lang in LANGUAGES {
        let q = lang_query(lang);
        if lang == LANGUAGES[0] {
            browser.goto(&format!("{}/{q}", server.base)).await;
            sign_as_individual(&browser).await;
        }
        browser.goto(&format!("{}/{q}", server.base)).await;
        sign_as_individual(&browser).await;
        let label = "the busy page (429)";
        if browser.count("#notice").await == 0 {
            problems.push(format!(
                "{label}, {lang}: no #notice says why nothing was saved"
            ));
        }
        let name = browser.find("#field-name").await;
        if browser.value_of(&name).await != "Ana Lima" {
            problems.push(format!("{label}, {lang}: the name typed is not kept"));
        }
        check_page(&browser, lang, label, &mut problems).await;
        check_form(&browser, lang, label, &mut problems).await;
    }
    server.stop();

    // The built-in letter, closed.
    let builtin = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/campaigns/open-letter.toml"
    ))
    .unwrap();
    let closed = match builtin.find("\nclosed = false") {
        Some(_) => builtin.replace("\nclosed = false", "\nclosed = true"),
        None => format!("closed = true\n{builtin}"),
    };
    let campaign = site.dir.path().join("closed.toml");
    std::fs::write(&campaign, closed).unwrap();
    let closed_site = Site::new(1);
    let server = closed_site.start_server(&["--campaign", campaign.to_str().unwrap()]);
    for lang in LANGUAGES {
        browser
            .goto(&format!("{}/{}", server.base, lang_query(lang)))
            .await;
        let label = "the closed letter";
        if browser.count("#campaign-closed").await != 1 || browser.count("form").await != 0 {
            problems.push(format!(
                "{label}, {lang}: expected #campaign-closed and no form"
            ));
        }
        check_page(&browser, lang, label, &mut problems).await;
    }
    browser.quit().await;
    server.stop();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Fills the form as an individual who only signs, and sends it.
async fn sign_as_individual(browser: &Browser) {
    click(browser, "#field-intent-0").await;
    click(browser, "input[name=sign_as][value=individual]").await;
    type_into(browser, "#field-name", "Ana Lima").await;
    browser.submit(&browser.find("#sign-submit").await).await;
}

/// A page that is not the form has one `h1#page-heading`.
async fn check_heading(browser: &Browser, label: &str, problems: &mut Vec<String>) {
    if browser.count("h1#page-heading").await != 1 {
        let text = browser.page_text().await;
        problems.push(format!(
            "{label}: no h1#page-heading; the page says:\n{text}\n"
        ));
    }
}

/// Everything every page must pass: its parts (language, skip link, leave quickly, language
/// menu, privacy link, shared-device note), nothing from elsewhere and no cookie, axe-core in
/// the light scheme on a desktop and in the dark scheme on a phone, and no sideways scrolling
/// on a 320 px phone or at 200 % zoom.
async fn check_page(browser: &Browser, lang: &str, page: &str, problems: &mut Vec<String>) {
    let label = format!("{page}, {lang}");
    check_parts(browser, lang, &label, problems).await;

    let outside = browser
        .execute(
            "return {
               cookie: document.cookie,
               scripts: document.scripts.length,
               foreign: performance.getEntriesByType('resource').map(e => e.name)
                 .concat([...document.querySelectorAll('[src], link[href]')]
                   .map(e => e.src || e.href))
                 .filter(u => !u.startsWith(location.origin + '/')),
             };",
            json!([]),
        )
        .await;
    if outside["cookie"] != "" || outside["scripts"] != 0 || outside["foreign"] != json!([]) {
        problems.push(format!(
            "{label}: the page should have no cookie, no script and nothing from elsewhere: \
             {outside}"
        ));
    }

    for (scheme, screen) in [("light", Screen::DESKTOP), ("dark", Screen::PHONE)] {
        browser.emulate(screen).await;
        browser.prefer_dark(scheme == "dark").await;
        for violation in browser.axe(&WCAG_TAGS).await {
            problems.push(format!(
                "{label}, {scheme} scheme, {} px wide: {violation}",
                screen.width
            ));
        }
    }
    browser.prefer_dark(false).await;

    for screen in [Screen::NARROW_PHONE, Screen::DESKTOP_ZOOMED_200] {
        browser.emulate(screen).await;
        let layout = browser
            .execute(
                "const width = document.documentElement.clientWidth;
                 const wide = [];
                 for (const e of document.body.querySelectorAll('*')) {
                   if (e.closest('.hp')) continue;  // the honeypot is off screen on purpose
                   const r = e.getBoundingClientRect();
                   if (r.width === 0 || r.height === 0) continue;
                   if (r.right > width + 0.5 || r.left < -0.5) {
                     wide.push(e.outerHTML.slice(0, 120) + ` (${Math.round(r.left)} to ${Math.round(r.right)} px)`);
                   }
                 }
                 return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};",
                json!([]),
            )
            .await;
        let scroll_width = layout["scrollWidth"].as_u64().unwrap();
        let width = layout["width"].as_u64().unwrap();
        if scroll_width > u64::from(screen.width) || layout["wide"] != json!([]) {
            problems.push(format!(
                "{label}, {} px wide at {} × zoom: the page is {scroll_width} px wide for a \
                 {width} px screen; elements past its edges: {:#}",
                screen.width, screen.scale, layout["wide"]
            ));
        }
    }
    browser.emulate(Screen::DESKTOP).await;
}

/// The parts every page has, whatever it says.
async fn check_parts(browser: &Browser, lang: &str, label: &str, problems: &mut Vec<String>) {
    let mut problem = |text: String| problems.push(format!("{label}: {text}"));
    let html = browser.find("html").await;
    let found_lang = page_lang(browser).await;
    if found_lang != lang {
        problem(format!("<html lang=\"{found_lang}\">, expected {lang}"));
    }
    let dir = browser.attribute(&html, "dir").await.unwrap_or_default();
    let expected_dir = if lang == "ar-XB" { "rtl" } else { "ltr" };
    if dir != expected_dir {
        problem(format!("<html dir=\"{dir}\">, expected {expected_dir}"));
    }

    match browser.try_find("#skip-link").await {
        Some(skip) if browser.attribute(&skip, "href").await.as_deref() == Some("#main") => {}
        _ => problem("no skip link #skip-link to #main".into()),
    }
    if browser.count("main#main").await != 1 {
        problem("no <main id=\"main\">".into());
    }

    match browser.try_find("#leave-quickly").await {
        Some(leave) => {
            let href = browser.attribute(&leave, "href").await.unwrap_or_default();
            let rel = browser.attribute(&leave, "rel").await.unwrap_or_default();
            if !browser.is_displayed(&leave).await {
                problem("#leave-quickly is not visible".into());
            }
            if !href.starts_with("https://") || href.contains("127.0.0.1") {
                problem(format!(
                    "#leave-quickly goes to {href:?}, not a site elsewhere"
                ));
            }
            if !rel.split_whitespace().any(|r| r == "noreferrer") {
                problem(format!(
                    "#leave-quickly has rel={rel:?}, without noreferrer"
                ));
            }
        }
        None => problem("no #leave-quickly link".into()),
    }

    for tag in LANGUAGES.iter().take(2) {
        let link = format!("nav.languages a[href='/?lang={tag}']");
        if browser.count(&link).await != 1 {
            problem(format!("the language menu has no plain link {link}"));
        }
    }

    match browser.try_find("#privacy-link").await {
        Some(privacy) => {
            let href = browser
                .attribute(&privacy, "href")
                .await
                .unwrap_or_default();
            if href != format!("/privacy?lang={lang}") {
                problem(format!(
                    "#privacy-link goes to {href:?}, expected /privacy?lang={lang}"
                ));
            }
        }
        None => problem("no #privacy-link".into()),
    }

    match browser.try_find("#shared-device-note").await {
        Some(note)
            if browser.is_displayed(&note).await
                && !browser.text_of(&note).await.trim().is_empty() => {}
        _ => problem("no visible #shared-device-note".into()),
    }
}

/// The built-in letter and its questions are English: the letter's paragraphs, and help texts
/// shown in the campaign's language, run left to right whatever the page's direction, so their
/// last lines start at the left edge (on a right-to-left page, inherited `dir="rtl"` would set
/// them against the right edge, punctuation at the wrong end).
async fn check_letter_direction(browser: &Browser, lang: &str, problems: &mut Vec<String>) {
    let misplaced = browser
        .execute(
            "const out = [];
             for (const p of document.querySelectorAll('article.letter p, .sign p[lang=en]')) {
               const range = document.createRange();
               range.selectNodeContents(p);
               const boxes = [...range.getClientRects()].filter(r => r.width > 0);
               const bottom = Math.max(...boxes.map(r => r.bottom));
               const start = Math.min(...boxes.filter(r => bottom - r.bottom < 6).map(r => r.left));
               if (start - p.getBoundingClientRect().left > 1) out.push(p.textContent.slice(0, 60));
             }
             return out;",
            json!([]),
        )
        .await;
    if misplaced != json!([]) {
        problems.push(format!(
            "the letter page, {lang}: English paragraphs laid out right to left: {misplaced:#}"
        ));
    }
}

/// What the letter page's form promises: where it posts, the browser's autofill hints for
/// the signer's details (and none for what must not be remembered), and a honeypot nobody
/// sees or hears.
async fn check_form(browser: &Browser, lang: &str, page: &str, problems: &mut Vec<String>) {
    let label = format!("{page}, {lang}");
    let mut problem = |text: String| problems.push(format!("{label}: {text}"));
    let Some(form) = browser.try_find("form#sign-form").await else {
        problem("no form#sign-form".into());
        return;
    };
    let action = browser.attribute(&form, "action").await.unwrap_or_default();
    if action != format!("/sign?lang={lang}") {
        problem(format!("the form posts to {action:?}"));
    }
    for part in [
        "article.letter",
        "#signature-count",
        "#privacy-notice",
        "#part-signature",
        "#part-testimony",
    ] {
        if browser.count(part).await != 1 {
            problem(format!("no {part}"));
        }
    }
    for (field, hint) in [
        ("name", "name"),
        ("email", "email"),
        ("postal_code", "postal-code"),
        ("organization_name", "organization"),
        ("harm", "off"),
        ("comment", "off"),
    ] {
        match browser.try_find(&format!("#field-{field}")).await {
            Some(control) => {
                let found = browser.attribute(&control, "autocomplete").await;
                if found.as_deref() != Some(hint) {
                    problem(format!(
                        "#field-{field} has autocomplete={found:?}, expected {hint:?}"
                    ));
                }
            }
            None => problem(format!("no #field-{field}")),
        }
    }
    // A hidden input is neither seen, heard nor reached; a visible one must be put out of
    // sight, out of the accessibility tree, and out of the Tab order.
    let trap = browser.find("input[name=website]").await;
    let hidden_input = browser.attribute(&trap, "type").await.as_deref() == Some("hidden");
    if !hidden_input {
        if browser.is_displayed(&trap).await {
            problem("the honeypot input[name=website] is displayed".into());
        }
        if browser
            .count("[aria-hidden='true'] input[name=website]")
            .await
            != 1
        {
            problem("the honeypot input[name=website] is not inside aria-hidden=\"true\"".into());
        }
        if browser.attribute(&trap, "tabindex").await.as_deref() != Some("-1") {
            problem("the honeypot input[name=website] is reached with Tab (no tabindex=-1)".into());
        }
    }
}
