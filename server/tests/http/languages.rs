//! The page's language over real HTTP: chosen from `Accept-Language`, overridden by `?lang=`
//! (which the page's form and links then carry on), kept through a validation error and on
//! every error page, right to left when asked, and never remembered in a cookie.

use sealform_server::pages::{Language, texts};

use super::support::{TestServer, client, encode, token_in, valid_form};

/// GETs `path` with an optional `Accept-Language`; checks that no cookie is set.
async fn get(server: &TestServer, path: &str, accept: Option<&str>) -> (u16, String) {
    let mut request = client().get(server.url(path));
    if let Some(accept) = accept {
        request = request.header("accept-language", accept);
    }
    let response = request.send().await.unwrap();
    answer(response, path).await
}

/// POSTs a form body to `path` with an optional `Accept-Language`; checks that no cookie is set.
async fn post(
    server: &TestServer,
    path: &str,
    accept: Option<&str>,
    body: String,
) -> (u16, String) {
    let mut request = client()
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(accept) = accept {
        request = request.header("accept-language", accept);
    }
    let response = request.send().await.unwrap();
    answer(response, path).await
}

async fn answer(response: reqwest::Response, what: &str) -> (u16, String) {
    assert!(
        response.headers().get("set-cookie").is_none(),
        "{what} sets a cookie"
    );
    (response.status().as_u16(), response.text().await.unwrap())
}

fn html_start(tag: &str, dir: &str) -> String {
    format!("<!doctype html>\n<html lang=\"{tag}\" dir=\"{dir}\">")
}

#[tokio::test]
async fn accept_language_chooses_the_page_language() {
    let server = TestServer::start().await;
    let (status, page) = get(&server, "/", Some("zh-Hant,zh;q=0.9")).await;
    assert_eq!(status, 200);
    let t = texts("zh-Hant");
    assert!(page.starts_with(&html_start("zh-Hant", "ltr")), "{page}");
    for words in [
        t.sign_heading,
        t.submit,
        t.privacy_notice,
        t.languages_label,
    ] {
        assert!(page.contains(words), "{words}");
    }
    assert!(page.contains("已有 0 位個人和團體簽署。"));
    assert!(page.contains(
        "<a href=\"/?lang=zh-Hant\" lang=\"zh-Hant\" hreflang=\"zh-Hant\" aria-current=\"true\">繁體中文</a>"
    ));
    assert_eq!(page.matches("aria-current").count(), 1);
    // Every language is in the menu, named in itself.
    for (tag, name) in [
        ("en", "English"),
        ("fr", "Français"),
        ("zh-Hans", "简体中文"),
        ("ko", "한국어"),
        ("th", "ไทย"),
        ("vi", "Tiếng Việt"),
        ("es", "Español"),
    ] {
        let link = format!("<a href=\"/?lang={tag}\" lang=\"{tag}\" hreflang=\"{tag}\">{name}</a>");
        assert!(page.contains(&link), "{link}");
    }
    // The letter and questions stay as the campaign wrote them, marked and said so.
    assert!(page.contains("<article class=\"letter\" lang=\"en\" dir=\"ltr\">"));
    assert!(page.contains(&t.campaign_language_note("English")));
    // A language from Accept-Language stays out of the addresses: the next request carries
    // the same header.
    assert!(page.contains("action=\"/sign\""));

    // Other ways of asking for Chinese; and English when nothing matches or nothing is asked.
    for (accept, tag) in [
        ("zh-TW", "zh-Hant"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"),
        ("de-DE,vi;q=0.8", "vi"),
        ("de", "en"),
        ("", "en"),
    ] {
        let (_, page) = get(&server, "/", Some(accept)).await;
        assert!(page.starts_with(&html_start(tag, "ltr")), "{accept}");
    }
    let (_, english) = get(&server, "/", None).await;
    assert!(english.starts_with(&html_start("en", "ltr")));
    assert!(
        !english.contains("id=\"letter-language\""),
        "no note when the letter is in the page's language"
    );
    server.stop().await;
}

#[tokio::test]
async fn lang_in_the_url_overrides_accept_language() {
    let server = TestServer::start().await;
    let (status, page) = get(&server, "/?lang=ko", Some("fr")).await;
    assert_eq!(status, 200);
    assert!(page.starts_with(&html_start("ko", "ltr")));
    assert!(page.contains(texts("ko").sign_heading));
    assert!(page.contains("action=\"/sign?lang=ko\""));
    // An unknown or empty ?lang= is not an error: Accept-Language decides.
    for path in [
        "/?lang=tlh",
        "/?lang=",
        "/?lang=%FF",
        "/?other=1&lang=en-XX",
    ] {
        let (status, page) = get(&server, path, Some("fr")).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.starts_with(&html_start("fr", "ltr")), "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_validation_error_from_a_french_page_comes_back_in_french_with_every_value_kept() {
    let server = TestServer::start().await;
    let (_, page) = get(&server, "/?lang=fr", Some("en")).await;
    let token = token_in(&page);
    let body = encode(&[
        ("token", &token),
        ("intent", "sign_and_share"),
        ("sign_as", "organization"),
        ("organization_name", ""),
        ("name", "Ana Ça 我们"),
        ("email", "pas une adresse"),
        ("postal_code", "H2X 1Y4"),
        ("actions", "talk_to_media"),
        ("actions", "donate"),
        ("harm", "Ils sont venus la nuit. Ça suffit."),
        ("comment", "Merci à vous"),
        ("consent_contact", "on"),
        ("website", ""),
    ]);
    // The browser sends the English Accept-Language it always sends; the action's ?lang= wins.
    let (status, page) = post(&server, "/sign?lang=fr", Some("en"), body).await;
    assert_eq!(status, 422);
    let t = texts("fr");
    assert!(page.starts_with(&html_start("fr", "ltr")));
    assert!(page.contains(t.error_summary_heading));
    assert!(
        page.contains(t.required),
        "the organization's name is required"
    );
    assert!(page.contains(&format!("<title>{}", t.error_title(""))));
    assert!(page.contains("Cela ne ressemble pas à une adresse e-mail"));
    assert!(page.contains("action=\"/sign?lang=fr\""));
    for kept in [
        "value=\"organization\" checked",
        "value=\"Ana Ça 我们\"",
        "value=\"pas une adresse\"",
        "value=\"H2X 1Y4\"",
        "value=\"talk_to_media\" checked",
        "value=\"donate\" checked",
        ">\nIls sont venus la nuit. Ça suffit.</textarea>",
        ">\nMerci à vous</textarea>",
        "name=\"consent_contact\" value=\"on\" checked",
    ] {
        assert!(page.contains(kept), "{kept} is not kept");
    }

    // The thank-you page follows the language too.
    let (_, page) = get(&server, "/?lang=vi", None).await;
    let (status, thanks) = post(
        &server,
        "/sign?lang=vi",
        None,
        valid_form(&token_in(&page), "Lan"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(thanks.starts_with(&html_start("vi", "ltr")));
    assert!(thanks.contains(texts("vi").thanks.title));
    assert!(thanks.contains("<a href=\"/?lang=vi\">"));
    server.stop().await;
}

#[tokio::test]
async fn the_right_to_left_test_locale_sets_dir_rtl_and_stays_out_of_the_menu() {
    let server = TestServer::start().await;
    let (status, page) = get(&server, "/?lang=ar-XB", None).await;
    assert_eq!(status, 200);
    assert!(page.starts_with(&html_start("ar-XB", "rtl")));
    assert!(page.contains(Language::RtlTest.texts().sign_heading));
    assert!(page.contains("action=\"/sign?lang=ar-XB\""));
    assert!(!page.contains("hreflang=\"ar-XB\""));
    assert!(!page.contains("aria-current"));
    let (status, missing) = get(&server, "/nothing?lang=ar-XB", None).await;
    assert_eq!(status, 404);
    assert!(missing.starts_with(&html_start("ar-XB", "rtl")));
    // Asking for Arabic does not get the pseudo-locale.
    let (_, page) = get(&server, "/", Some("ar")).await;
    assert!(page.starts_with(&html_start("en", "ltr")));
    server.stop().await;
}

#[tokio::test]
async fn error_pages_follow_the_language() {
    let server = TestServer::start_with(|config| config.body_limit = 1024).await;
    let (status, page) = get(&server, "/nothing?lang=th", Some("fr")).await;
    assert_eq!(status, 404);
    assert!(page.starts_with(&html_start("th", "ltr")));
    assert!(page.contains(texts("th").not_found.title));
    assert!(page.contains("<p><a href=\"/?lang=th\">"));
    let (status, page) = get(&server, "/nothing", Some("vi-VN,vi;q=0.9")).await;
    assert_eq!(status, 404);
    assert!(page.contains(texts("vi").not_found.body));

    let long = "harm=".to_owned() + &"b".repeat(1100);
    let (status, page) = post(&server, "/sign?lang=es", Some("ko"), long.clone()).await;
    assert_eq!(status, 413);
    assert!(page.starts_with(&html_start("es", "ltr")));
    assert!(page.contains(texts("es").too_large.title));
    let (status, page) = post(&server, "/sign", Some("ko"), long).await;
    assert_eq!(status, 413);
    assert!(page.contains(texts("ko").too_large.body));

    let (status, page) = get(&server, "/sign?lang=zh-Hans", None).await;
    assert_eq!(status, 405);
    assert!(page.contains(texts("zh-Hans").method_not_allowed.title));
    let (status, page) = post(&server, "/sign?lang=fr", None, "name=Ana&name=Bo".into()).await;
    assert_eq!(status, 400);
    assert!(page.contains(&texts("fr").duplicate_field("name")));
    server.stop().await;
}

#[tokio::test]
async fn the_letter_page_and_its_stylesheet_stay_under_30_kb_in_every_language() {
    let server = TestServer::start().await;
    let (_, css) = get(&server, "/static/style.css", None).await;
    for language in Language::ALL {
        let (_, page) = get(&server, &format!("/?lang={}", language.tag()), None).await;
        let total = page.len() + css.len();
        assert!(total < 30 * 1024, "{}: {total} bytes", language.tag());
    }
    server.stop().await;
}

/// The built-in campaign with a French translation of its title, letter, one question and the
/// options of another.
fn campaign_with_french() -> sealform_server::campaign::Campaign {
    let text = format!(
        "{}\n[translations.fr]\ntitle = \"Lettre ouverte\"\nletter = \"Nous ne pouvons plus le tolérer.\"\n\
         [translations.fr.fields.name]\nlabel = \"Votre nom\"\n\
         [translations.fr.fields.sign_as]\noptions = {{ individual = \"À titre individuel\" }}\n",
        include_str!("../../campaigns/open-letter.toml")
    );
    sealform_server::campaign::Campaign::from_toml("french", &text).unwrap()
}

#[tokio::test]
async fn a_campaigns_own_translation_is_shown_piece_by_piece_with_its_language_marked() {
    let server = TestServer::start_with(|config| config.campaign = campaign_with_french()).await;
    let (status, page) = get(&server, "/?lang=fr", None).await;
    assert_eq!(status, 200);
    assert!(page.contains("<title>Lettre ouverte</title>"));
    assert!(page.contains("<article class=\"letter\">\n<p>Nous ne pouvons plus le tolérer.</p>"));
    assert!(
        !page.contains("id=\"letter-language\""),
        "the letter is translated"
    );
    assert!(page.contains("<label for=\"field-name\"><span>Votre nom</span>"));
    assert!(page.contains("<label for=\"field-sign_as-0\">À titre individuel</label>"));
    // What the organizers did not translate is shown as written, marked as English.
    assert!(
        page.contains(
            "<label for=\"field-sign_as-1\" lang=\"en\" dir=\"ltr\">Organization</label>"
        )
    );
    assert!(
        page.contains(
            "<label for=\"field-email\"><span lang=\"en\" dir=\"ltr\">Email Address</span>"
        )
    );
    assert!(
        page.contains("<h2 id=\"sign-heading\" lang=\"en\" dir=\"ltr\">Stop the racist attacks")
    );
    // In English, the original; in Korean, the original with its language marked and a note.
    let (_, english) = get(&server, "/?lang=en", None).await;
    assert!(english.contains("<label for=\"field-name\"><span>Your Name</span>"));
    let (_, korean) = get(&server, "/?lang=ko", None).await;
    assert!(korean.contains("<article class=\"letter\" lang=\"en\" dir=\"ltr\">"));
    assert!(korean.contains("id=\"letter-language\""));
    // The error summary marks the question's own language inside the page's sentence.
    let (status, problems) = post(
        &server,
        "/sign?lang=ko",
        None,
        encode(&[("intent", "share")]),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        problems.contains(
            "<li><a href=\"#field-harm\"><span lang=\"en\" dir=\"ltr\">Do you know any harm"
        ),
        "{problems}"
    );
    server.stop().await;
}
