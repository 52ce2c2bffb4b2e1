//! Every page the service shows, rendered from the askama templates in `templates/`, with
//! every sentence from [`texts`] in the page's [`Language`].
//!
//! The pages are plain server-side HTML: no JavaScript, no inline style, nothing loaded from
//! another site, no cookies. They work in a text browser, and with the page's Content Security
//! Policy `default-src 'none'; style-src 'self'` the one stylesheet is all a browser fetches.
//! The language travels in the URL (`?lang=`): every link and the form's action carry it.

mod form;
mod language;
mod public;
mod texts;
mod words;

use askama::Template;

pub use form::{BlankForm, FormView, Notice};
pub use language::{Choice, Language};
pub use public::SIGNATORIES_PER_PAGE;
pub use texts::{Message, Texts, texts};

use crate::campaign::{Campaign, SupportResource};
use crate::receipt::Receipt;
use words::CampaignWords;

/// The stylesheet, served at `/static/style.css`.
pub const STYLESHEET: &str = include_str!("../../static/style.css");

/// What every page has around its content: `<html lang dir>`, the title, the skip link, the
/// "Leave quickly" link, the language menu, and the footer's privacy link and shared-device note.
struct Chrome {
    lang: &'static str,
    /// `?lang=<tag>` for the page's own links and form, when the address asked for it.
    lang_query: String,
    dir: &'static str,
    title: String,
    skip_link: &'static str,
    leave_quickly: &'static str,
    leave_quickly_url: String,
    languages_label: &'static str,
    menu: Vec<MenuItem>,
    privacy_link: &'static str,
    shared_device_note: &'static str,
}

/// One link of the language menu, named in its own language.
struct MenuItem {
    tag: &'static str,
    name: &'static str,
    current: bool,
}

impl Chrome {
    fn new(campaign: &Campaign, choice: Choice, title: String) -> Self {
        let language = choice.language;
        let t = language.texts();
        Self {
            lang: language.tag(),
            lang_query: choice.query(),
            dir: language.dir(),
            title,
            skip_link: t.skip_link,
            leave_quickly: t.leave_quickly,
            leave_quickly_url: campaign.leave_quickly_url().to_owned(),
            privacy_link: t.privacy_link,
            shared_device_note: t.shared_device_note,
            languages_label: t.languages_label,
            menu: Language::ALL
                .into_iter()
                .filter(|other| other.in_menu())
                .map(|other| MenuItem {
                    tag: other.tag(),
                    name: other.texts().language_name,
                    current: other == language,
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    chrome: Chrome,
    heading: &'a str,
    paragraphs: Vec<&'a str>,
    /// The withdrawal receipt (the thank-you page).
    receipt: Option<ReceiptView>,
    /// Places to turn to for help (the thank-you page).
    support: Option<SupportView<'a>>,
    home_link: Option<&'static str>,
}

/// What a message page may show after its paragraphs.
#[derive(Default)]
struct MessageContent<'a> {
    receipt: Option<ReceiptView>,
    support: Option<SupportView<'a>>,
}

/// The withdrawal receipt, with what it is for.
struct ReceiptView {
    heading: &'static str,
    code: String,
    body: &'static str,
    link: &'static str,
}

/// The campaign's support resources under their heading.
struct SupportView<'a> {
    heading: &'static str,
    resources: Vec<ResourceView<'a>>,
}

struct ResourceView<'a> {
    name: &'a str,
    reach: &'a str,
    languages: Option<String>,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage<'a> {
    chrome: Chrome,
    t: &'static texts::PrivacyTexts,
    organizers: &'a [String],
    kept: String,
    withdraw: String,
    withdraw_link: &'static str,
    device_note: &'static str,
    home_link: &'static str,
}

fn render(template: &impl Template) -> String {
    // Templates only write strings into a String, which cannot fail.
    template
        .render()
        .expect("rendering a template into a String cannot fail")
}

/// Where the receipt goes in the thank-you page rendered once: nothing a campaign or a
/// translation writes contains it.
const RECEIPT_MARK: &str = "sealformReceiptMark7f3a9c";

/// The thank-you page in one language, rendered once and cut where the receipt goes: every
/// submission's page is then one copy, not a rendering of the whole template.
#[derive(Debug)]
pub struct ThanksPage {
    before: String,
    after: String,
}

impl ThanksPage {
    /// The page showing `receipt`.
    pub fn page(&self, receipt: &Receipt) -> String {
        use std::fmt::Write;
        let code = receipt.grouped();
        let mut page = String::with_capacity(self.before.len() + code.len() + self.after.len());
        page.push_str(&self.before);
        // A receipt's characters need no escaping; escaped all the same, as the template did,
        // straight into the page.
        let Ok(escaped) = askama::filters::escape(code, askama::filters::Html);
        write!(page, "{escaped}").expect("writing into a String cannot fail");
        page.push_str(&self.after);
        page
    }
}

/// A campaign's pages in one language.
#[derive(Debug, Clone, Copy)]
pub struct Pages<'a> {
    campaign: &'a Campaign,
    choice: Choice,
}

impl<'a> Pages<'a> {
    /// The pages of `campaign`, with everything around its letter and questions in the
    /// chosen language.
    pub fn new(campaign: &'a Campaign, choice: Choice) -> Self {
        Self { campaign, choice }
    }

    /// The pages in the interface language closest to the campaign's own (English if none is).
    pub fn in_campaign_language(campaign: &'a Campaign) -> Self {
        let language = Language::closest(campaign.language()).unwrap_or(Language::English);
        Self::new(
            campaign,
            Choice {
                language,
                from_address: false,
            },
        )
    }

    /// Every sentence of these pages.
    pub fn texts(&self) -> &'static Texts {
        self.choice.language.texts()
    }

    /// The page after a successful submission: the person's withdrawal receipt and the
    /// campaign's support resources; never echoes what was sent.
    pub fn thanks(&self, receipt: &Receipt) -> String {
        self.thanks_page().page(receipt)
    }

    /// The thank-you page rendered once, to be given each receipt in turn: see [`ThanksPage`].
    pub fn thanks_page(&self) -> ThanksPage {
        let t = self.texts();
        let receipt = ReceiptView {
            heading: t.receipt_heading,
            code: RECEIPT_MARK.to_owned(),
            body: t.receipt_body,
            link: t.receipt_link,
        };
        let support = (!self.campaign.support().is_empty()).then(|| SupportView {
            heading: t.support_heading,
            resources: self
                .campaign
                .support()
                .iter()
                .map(|r: &SupportResource| ResourceView {
                    name: &r.name,
                    reach: &r.reach,
                    languages: r.languages.as_deref().map(|l| t.support_languages(l)),
                })
                .collect(),
        });
        let page = MessageContent {
            receipt: Some(receipt),
            support,
        };
        let marked = self.render_message(t.thanks.title, &[t.thanks.body], page, Some(t.home_link));
        let (before, after) = marked
            .split_once(RECEIPT_MARK)
            .expect("the thank-you page shows its receipt");
        ThanksPage {
            before: before.to_owned(),
            after: after.to_owned(),
        }
    }

    /// `/privacy`: who runs the letter, who can read the answers, what is kept and for how
    /// long (`retention_days`, when the server deletes old answers), how to take answers back,
    /// and shared devices — in plain words.
    pub fn privacy(&self, retention_days: Option<u32>) -> String {
        let t = self.texts();
        let organizers = self.campaign.organizers();
        let withdraw = match &organizers.contact {
            Some(contact) => t.withdraw_contact(contact),
            None => t.privacy.withdraw_no_contact.to_owned(),
        };
        let title = t.page_title(t.privacy.title, self.words().title().text);
        render(&PrivacyPage {
            chrome: self.chrome(title),
            t: &t.privacy,
            organizers: &organizers.names,
            kept: match retention_days {
                Some(days) => t.kept_days(days),
                None => t.privacy.kept_body.to_owned(),
            },
            withdraw,
            withdraw_link: t.withdraw.title,
            device_note: t.shared_device_note,
            home_link: t.home_link,
        })
    }

    /// The 410 page for a form sent to a closed campaign.
    pub fn closed(&self) -> String {
        let t = self.texts();
        self.message_page(t.campaign_closed.title, t.campaign_closed.body)
    }

    /// 400/404/413/415/500 pages: `title` says what happened, `message` what to do (see the
    /// [`Message`]s in [`Texts`]).
    pub fn message_page(&self, title: &str, message: &str) -> String {
        self.render_message(
            title,
            &[message],
            MessageContent::default(),
            Some(self.texts().home_link),
        )
    }

    /// The 429 page: "your text is still in the form: go back and send again in N seconds". It
    /// has no link to the letter, which would open an empty form.
    pub fn rate_limited(&self, retry_after_secs: u64) -> String {
        let t = self.texts();
        let body = t.rate_limited(retry_after_secs);
        self.render_message(
            t.rate_limited_title,
            &[&body],
            MessageContent::default(),
            None,
        )
    }

    fn render_message(
        &self,
        heading: &str,
        paragraphs: &[&str],
        content: MessageContent,
        home_link: Option<&'static str>,
    ) -> String {
        let title = self.texts().page_title(heading, self.words().title().text);
        render(&MessagePage {
            chrome: self.chrome(title),
            heading,
            paragraphs: paragraphs.to_vec(),
            receipt: content.receipt,
            support: content.support,
            home_link,
        })
    }

    fn words(&self) -> CampaignWords<'_> {
        CampaignWords::new(self.campaign, self.choice.language)
    }

    fn chrome(&self, title: String) -> Chrome {
        Chrome::new(self.campaign, self.choice, title)
    }
}

// The fuzz checks (fuzz/checks/) render pages through these, in the campaign's own language.

/// The letter and its form, in the campaign's language: see [`Pages::form`].
pub fn form_page(campaign: &Campaign, view: &FormView) -> String {
    Pages::in_campaign_language(campaign).form(view)
}

/// The thank-you page, in the campaign's language: see [`Pages::thanks`].
pub fn thanks_page(campaign: &Campaign, receipt: &Receipt) -> String {
    Pages::in_campaign_language(campaign).thanks(receipt)
}

/// A message page, in the campaign's language: see [`Pages::message_page`].
pub fn message_page(campaign: &Campaign, title: &str, message: &str) -> String {
    Pages::in_campaign_language(campaign).message_page(title, message)
}

/// The 429 page, in the campaign's language: see [`Pages::rate_limited`].
pub fn rate_limited_page(campaign: &Campaign, retry_after_secs: u64) -> String {
    Pages::in_campaign_language(campaign).rate_limited(retry_after_secs)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::texts::grouped;
    use super::*;
    use crate::campaign::FieldKind;
    use crate::form::{FormInput, validate};
    use crate::token::TokenProblem;

    const TOKEN: &str = "00112233445566778899aabbccddeeff0011223344556677";

    fn campaign() -> Campaign {
        Campaign::builtin()
    }

    fn blank_page(signatures: u64) -> String {
        let input = FormInput::blank();
        form_page(
            &campaign(),
            &FormView {
                input: &input,
                problems: &[],
                notice: None,
                token: TOKEN,
                signatures,
                public_list: false,
            },
        )
    }

    #[test]
    fn the_blank_form_rendered_once_is_the_page_rendered_each_time() {
        let open = campaign();
        let closed = Campaign::from_toml(
            "builtin",
            &open
                .source_text()
                .replace("closed = false", "closed = true"),
        )
        .unwrap();
        assert!(closed.closed());
        let input = FormInput::blank();
        for campaign in [&open, &closed] {
            for language in Language::ALL {
                for from_address in [false, true] {
                    for public_list in [false, true] {
                        let pages = Pages::new(
                            campaign,
                            Choice {
                                language,
                                from_address,
                            },
                        );
                        let view = FormView {
                            input: &input,
                            problems: &[],
                            notice: None,
                            token: TOKEN,
                            signatures: 12_345,
                            public_list,
                        };
                        assert_eq!(
                            pages.blank_form(public_list).page(12_345, TOKEN),
                            pages.form(&view),
                            "{language:?}, named in the address: {from_address}, list: {public_list}, closed: {}",
                            campaign.closed()
                        );
                    }
                }
            }
        }
    }

    fn body(pairs: &[(&str, &str)]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }

    /// What a browser reads back from an attribute value or text: entities decoded.
    fn unescape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let semi = rest[amp..].find(';').expect("entity ends with ;") + amp;
            let entity = &rest[amp + 1..semi];
            let ch = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap()
                }
                _ if entity.starts_with('#') => {
                    char::from_u32(entity[1..].parse().unwrap()).unwrap()
                }
                _ => panic!("unknown entity &{entity};"),
            };
            out.push(ch);
            rest = &rest[semi + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The attributes of the start tag whose `id` is `id`, as a browser parses them.
    fn tag_by_id(html: &str, id: &str) -> (String, Vec<(String, Option<String>)>) {
        let needle = format!(" id=\"{id}\"");
        let mut hits = html.match_indices(&needle);
        let (at, _) = hits
            .next()
            .unwrap_or_else(|| panic!("no element with id {id}"));
        assert!(hits.next().is_none(), "two elements with id {id}");
        let start = html[..at].rfind('<').unwrap();
        let end = at + html[at..].find('>').unwrap();
        let tag = &html[start + 1..end];
        let (name, mut rest) = tag.split_once(' ').unwrap();
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let name_end = rest.find([' ', '=']).unwrap_or(rest.len());
            let attr = rest[..name_end].to_owned();
            rest = &rest[name_end..];
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let close = quoted.find('"').unwrap();
                attrs.push((attr, Some(unescape(&quoted[..close]))));
                rest = &quoted[close + 1..];
            } else {
                attrs.push((attr, None));
            }
        }
        (name.to_owned(), attrs)
    }

    fn attr<'a>(attrs: &'a [(String, Option<String>)], name: &str) -> Option<&'a str> {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// The body a browser would send back from the rendered form (all but token and honeypot).
    fn resubmit(html: &str, campaign: &Campaign) -> Vec<(String, String)> {
        // A browser's input stream turns CRLF and a lone CR into LF before it parses anything.
        let html = &html.replace("\r\n", "\n").replace('\r', "\n");
        let mut pairs = Vec::new();
        for i in 0..3 {
            let (_, attrs) = tag_by_id(html, &format!("field-intent-{i}"));
            assert_eq!(attr(&attrs, "name"), Some("intent"));
            if attr(&attrs, "checked").is_some() {
                pairs.push((
                    "intent".to_owned(),
                    attr(&attrs, "value").unwrap().to_owned(),
                ));
            }
        }
        for spec in campaign.fields() {
            let id = format!("field-{}", spec.name);
            match spec.kind {
                FieldKind::SingleChoice | FieldKind::MultiChoice => {
                    for i in 0..spec.options.len() {
                        let (_, attrs) = tag_by_id(html, &format!("{id}-{i}"));
                        if attr(&attrs, "checked").is_some() {
                            pairs.push((
                                spec.name.clone(),
                                attr(&attrs, "value").unwrap().to_owned(),
                            ));
                        }
                    }
                }
                FieldKind::Consent => {
                    let (_, attrs) = tag_by_id(html, &id);
                    if attr(&attrs, "checked").is_some() {
                        pairs.push((spec.name.clone(), attr(&attrs, "value").unwrap().to_owned()));
                    }
                }
                FieldKind::LongText => {
                    let (tag, _) = tag_by_id(html, &id);
                    assert_eq!(tag, "textarea");
                    let open = html.find(&format!(" id=\"{id}\"")).unwrap();
                    let content_start = open + html[open..].find('>').unwrap() + 1;
                    let content_end =
                        content_start + html[content_start..].find("</textarea>").unwrap();
                    let content = &html[content_start..content_end];
                    // The HTML parser drops one newline right after <textarea>, and a form
                    // sends a textarea's line breaks as CRLF.
                    let content = content.strip_prefix('\n').unwrap_or(content);
                    pairs.push((spec.name.clone(), unescape(content).replace('\n', "\r\n")));
                }
                FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode => {
                    let (tag, attrs) = tag_by_id(html, &id);
                    assert_eq!(tag, "input");
                    let shown = single_line_value(spec.kind, attr(&attrs, "value").unwrap());
                    pairs.push((spec.name.clone(), shown));
                }
            }
        }
        pairs
    }

    /// What a text or email input holds once the browser has sanitized its value: no line
    /// breaks, and an email address without surrounding whitespace.
    fn single_line_value(kind: FieldKind, value: &str) -> String {
        let value: String = value
            .chars()
            .filter(|c| !matches!(c, '\r' | '\n'))
            .collect();
        match kind {
            FieldKind::Email => value
                .trim_matches(|c: char| c.is_ascii_whitespace())
                .to_owned(),
            _ => value,
        }
    }

    /// The one link to another site: "Leave quickly", followed only when clicked.
    const LEAVE_QUICKLY: &str = "<a id=\"leave-quickly\" class=\"leave-quickly\" href=\"https://www.wikipedia.org/\" rel=\"noreferrer\">";

    fn assert_self_contained(html: &str) {
        assert_eq!(
            html.matches(LEAVE_QUICKLY).count(),
            1,
            "the Leave quickly link"
        );
        let lower = html.replace(LEAVE_QUICKLY, "").to_lowercase();
        for banned in [
            "<script",
            "style=",
            "<style",
            "http://",
            "https://",
            "<img",
            "<iframe",
            "<object",
            "<embed",
            "javascript:",
            "onclick",
            "onload",
            "set-cookie",
            "//fonts",
        ] {
            assert!(!lower.contains(banned), "the page contains {banned}");
        }
        assert_eq!(lower.matches("<link").count(), 1);
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/static/style.css\">"));
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\" dir=\"ltr\">"));
    }

    #[test]
    fn the_form_page_is_plain_self_contained_html() {
        let html = blank_page(1234);
        assert_self_contained(&html);
        assert!(html.contains(campaign().letter_html()));
        assert!(html.contains("1,234 people and organizations have signed."));
        assert!(blank_page(1).contains("1 person or organization has signed."));
        assert!(html.contains(
            "<form id=\"sign-form\" method=\"post\" action=\"/sign\" accept-charset=\"UTF-8\""
        ));
        assert!(html.contains(&format!(
            "<input type=\"hidden\" name=\"token\" value=\"{TOKEN}\">"
        )));
        assert!(html.contains("<button type=\"submit\" id=\"sign-submit\">"));
        assert!(!html.contains("error-summary") && !html.contains("id=\"notice\""));
        for spec in campaign().fields() {
            let (tag, attrs) = tag_by_id(&html, &format!("field-{}", spec.name));
            assert!(
                html.contains(&format!("for=\"field-{}", spec.name)),
                "{} has no label",
                spec.name
            );
            match spec.kind {
                FieldKind::SingleChoice | FieldKind::MultiChoice => {
                    assert_eq!(tag, "fieldset");
                    for i in 0..spec.options.len() {
                        let (tag, attrs) = tag_by_id(&html, &format!("field-{}-{i}", spec.name));
                        assert_eq!(tag, "input");
                        let kind = if spec.kind == FieldKind::SingleChoice {
                            "radio"
                        } else {
                            "checkbox"
                        };
                        assert_eq!(attr(&attrs, "type"), Some(kind));
                        assert_eq!(attr(&attrs, "checked"), None);
                    }
                }
                FieldKind::LongText => {
                    assert_eq!(tag, "textarea");
                    assert_eq!(attr(&attrs, "maxlength"), Some("20000"));
                }
                FieldKind::Consent => {
                    assert_eq!(attr(&attrs, "type"), Some("checkbox"));
                    assert_eq!(attr(&attrs, "checked"), None, "consent is off by default");
                }
                FieldKind::Email => assert_eq!(attr(&attrs, "type"), Some("email")),
                FieldKind::ShortText | FieldKind::PostalCode => {
                    assert_eq!(attr(&attrs, "type"), Some("text"));
                    assert_eq!(
                        attr(&attrs, "maxlength"),
                        Some(&*spec.max_length.to_string())
                    );
                }
            }
            if spec.help.is_some() {
                assert_eq!(
                    attr(&attrs, "aria-describedby"),
                    Some(&*format!("help-{}", spec.name))
                );
            }
        }
        // `required` only where every person must answer: the intent. The rest depends on it.
        let required = |id: &str| attr(&tag_by_id(&html, id).1, "required").is_some();
        for i in 0..3 {
            assert!(required(&format!("field-intent-{i}")));
        }
        for id in [
            "field-name",
            "field-sign_as-0",
            "field-organization_name",
            "field-email",
            "field-actions-0",
            "field-harm",
        ] {
            assert!(!required(id), "{id}");
        }
        assert!(html.contains("(required if you chose \u{201c}Organization\u{201d})"));
        assert!(html.contains("(required if you chose \u{201c}Individual\u{201d})"));
        // Every optional question says so.
        for name in [
            "email",
            "postal_code",
            "organization_type",
            "actions",
            "comment",
            "consent_quote",
        ] {
            let label = html.split(&format!("for=\"field-{name}\"")).nth(1);
            let legend = html.split(&format!("id=\"field-{name}\"")).nth(1);
            let around = label.or(legend).unwrap();
            let marker = around.find("(optional)").unwrap_or(usize::MAX);
            let next = around
                .find("</label>")
                .into_iter()
                .chain(around.find("</legend>"))
                .min()
                .unwrap();
            assert!(marker < next, "{name} does not say it is optional");
        }
        // Input purposes for the contact fields; nothing remembered for the free texts.
        let autocomplete =
            |id: &str| attr(&tag_by_id(&html, id).1, "autocomplete").map(str::to_owned);
        assert_eq!(autocomplete("field-name").as_deref(), Some("name"));
        assert_eq!(autocomplete("field-email").as_deref(), Some("email"));
        assert_eq!(
            autocomplete("field-postal_code").as_deref(),
            Some("postal-code")
        );
        assert_eq!(
            autocomplete("field-organization_name").as_deref(),
            Some("organization")
        );
        assert_eq!(autocomplete("field-harm").as_deref(), Some("off"));
        assert_eq!(autocomplete("field-comment").as_deref(), Some("off"));
        // The parts: intent first, then the signers' questions, then the sharers'.
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
        assert!(at("id=\"field-intent\"") < at("id=\"part-signature\""));
        assert!(at("id=\"part-signature\"") < at("id=\"field-name\""));
        assert!(at("id=\"field-consent_contact\"") < at("id=\"part-testimony\""));
        assert!(at("id=\"part-testimony\"") < at("id=\"field-harm\""));
        assert!(at("id=\"field-consent_quote\"") < at("id=\"field-comment\""));
        // The form's heading is the original form's title, not a question.
        assert!(html.contains("<h2 id=\"sign-heading\">Stop the racist attacks against Asian massage parlours and sex workers</h2>"));
        // The honeypot is a hidden input: out of sight in every browser, text browsers and
        // screen readers included.
        assert!(html.contains("<input type=\"hidden\" name=\"website\" value=\"\">"));
        assert!(!html.contains("Leave this empty"));
        // Around every page.
        assert!(html.contains("<a id=\"skip-link\" class=\"skip-link\" href=\"#main\">"));
        assert!(html.contains("<main id=\"main\" tabindex=\"-1\">"));
        assert!(html.contains("<a id=\"privacy-link\" href=\"/privacy\">"));
        assert!(html.contains("id=\"privacy-notice\""));
        assert!(html.contains("id=\"shared-device-note\""));
    }

    #[test]
    fn the_stylesheet_loads_nothing_else() {
        let css = STYLESHEET.to_lowercase();
        for banned in ["url(", "@import", "@font-face", "http"] {
            assert!(!css.contains(banned), "{banned}");
        }
        assert!(css.contains(".hp {") && css.contains("left: -10000px"));
        assert!(css.contains(":focus-visible"));
    }

    #[test]
    fn a_failed_submission_comes_back_with_everything_typed_and_every_error() {
        let c = campaign();
        let long = format!(
            "</textarea><script>alert(\"x\")</script> & {}",
            "é".repeat(20_000)
        );
        let sent = body(&[
            ("intent", "sign_and_share"),
            ("sign_as", "organization"),
            ("organization_name", ""),
            ("name", "Mai \"Tran\" <b>'&amp;'</b>"),
            ("email", "not an email"),
            ("actions", "donate"),
            ("actions", "talk_to_media"),
            ("harm", &long),
            ("consent_contact", "on"),
        ]);
        let input = FormInput::parse(sent.as_bytes(), &c).unwrap();
        let errors = validate(&input, &c, "2026-11-28".parse().unwrap()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["organization_name", "email", "harm"]);
        let notice = "Please wait a moment and press Send again \u{2014} your answers are kept.";
        let html = form_page(
            &c,
            &FormView {
                input: &input,
                problems: &errors,
                notice: Some(Notice::Token(TokenProblem::TooYoung {
                    wait: std::time::Duration::from_secs(2),
                })),
                token: TOKEN,
                signatures: 0,
                public_list: false,
            },
        );
        assert_self_contained(&html);
        assert!(html.contains(&format!(
            "<div id=\"notice\" class=\"notice\" role=\"status\">\n<p>{notice}</p>"
        )));
        assert!(html.contains("<div id=\"error-summary\" class=\"error-summary\" role=\"alert\""));
        for e in &errors {
            // The summary names the question and links to it.
            let question = &c.field(&e.field).unwrap().label;
            let link = format!("<li><a href=\"#field-{}\">{question}: ", e.field);
            assert!(html.contains(&link), "{link}");
            let (_, attrs) = tag_by_id(&html, &format!("error-{}", e.field));
            assert_eq!(attr(&attrs, "class"), Some("error"));
            let (_, input_attrs) = tag_by_id(&html, &format!("field-{}", e.field));
            assert!(
                attr(&input_attrs, "aria-describedby")
                    .unwrap()
                    .contains(&format!("error-{}", e.field))
            );
        }
        assert!(html.contains("This answer is 20,041 characters; the limit is 20,000."));
        assert!(html.contains("<title>Please check your answers: "));
        // Everything typed is in the form again, exactly.
        let back = resubmit(&html, &c);
        let expected: Vec<(String, String)> = [
            ("intent", "sign_and_share"),
            ("sign_as", "organization"),
            ("organization_name", ""),
            ("name", "Mai \"Tran\" <b>'&amp;'</b>"),
            ("email", "not an email"),
            ("postal_code", ""),
            ("actions", "talk_to_media"),
            ("actions", "donate"),
            ("consent_contact", "on"),
            ("harm", &long),
            ("comment", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(back, expected);
        assert_eq!(html.matches("<script").count(), 0);
    }

    #[test]
    fn other_pages_say_what_happened_and_echo_nothing() {
        let c = campaign();
        let t = texts(c.language());
        let receipt = Receipt::random();
        let thanks = thanks_page(&c, &receipt);
        assert_self_contained(&thanks);
        assert!(thanks.contains("<h1 id=\"page-heading\">Thank you</h1>"));
        assert!(!thanks.contains("<form") && !thanks.contains("<input"));
        // The page rendered once shows each receipt where the template puts it, and only there.
        let code = format!(
            "<code id=\"receipt\" class=\"receipt-code\">{}</code>",
            receipt.grouped()
        );
        assert_eq!(thanks.matches(&code).count(), 1);
        assert_eq!(thanks.matches(&receipt.grouped()).count(), 1);
        assert!(!thanks.contains(RECEIPT_MARK));
        let other = Receipt::random();
        assert_eq!(
            thanks.replace(&receipt.grouped(), &other.grouped()),
            thanks_page(&c, &other)
        );

        for m in [
            t.bad_request,
            t.not_found,
            t.too_large,
            t.unsupported_media_type,
            t.server_error,
        ] {
            let html = message_page(&c, m.title, m.body);
            assert_self_contained(&html);
            assert!(html.contains(&format!("<h1 id=\"page-heading\">{}</h1>", m.title)));
            assert!(html.contains(&format!("<p>{}</p>", m.body)));
            assert!(html.contains("<p><a href=\"/\">"));
        }
        assert!(
            t.too_large.body.contains("still in the form")
                && t.too_large.body.contains("shorten the longest answer")
        );
        let escaped = message_page(&c, "<x>", "a & b");
        assert!(escaped.contains("&#60;x&#62;") && escaped.contains("a &#38; b"));

        let limited = rate_limited_page(&c, 42);
        assert_self_contained(&limited);
        assert!(limited.contains("Your text is still in the form"));
        assert!(limited.contains("send again in 42 seconds."));
        assert!(
            !limited.contains("<p><a href=\"/"),
            "a link to / would open an empty form"
        );
        assert!(rate_limited_page(&c, 1).contains("in 1 second."));
    }

    #[test]
    fn token_notices_and_grouping() {
        let c = campaign();
        assert!(
            texts(c.language())
                .token_problem(TokenProblem::TooYoung {
                    wait: std::time::Duration::from_secs(2)
                })
                .starts_with("Please wait a moment and press Send again")
        );
        for problem in [
            TokenProblem::Missing,
            TokenProblem::Invalid,
            TokenProblem::Expired,
        ] {
            assert!(
                texts(c.language())
                    .token_problem(problem)
                    .contains("answers are kept")
            );
        }
        assert_eq!(grouped(0, ','), "0");
        assert_eq!(grouped(999, ','), "999");
        assert_eq!(grouped(1_000, ','), "1,000");
        assert_eq!(grouped(20_512, ','), "20,512");
        assert_eq!(grouped(1_234_567, ','), "1,234,567");
        assert_eq!(grouped(1_234_567, '.'), "1.234.567");
        assert_eq!(Language::RtlTest.dir(), "rtl");
        assert_eq!(Language::TraditionalChinese.dir(), "ltr");
    }

    /// Text a person might type: anything but NUL (which the parser refuses), weighted towards
    /// what breaks HTML.
    fn typed(multiline: bool) -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => any::<char>().prop_filter("no NUL", |c| *c != '\0').prop_map(String::from),
            1 => Just("</textarea>".to_owned()),
            1 => Just("\"".to_owned()),
            1 => Just("'".to_owned()),
            1 => Just("&".to_owned()),
            1 => Just("&amp;".to_owned()),
            1 => Just("&#39;".to_owned()),
            1 => Just("<script>".to_owned()),
            1 => Just("\u{202e}\u{5d0}\u{5d1}".to_owned()),
            1 => Just("👩🏽‍⚕️".to_owned()),
            1 => Just(" ".to_owned()),
            1 => Just(if multiline { "\r\n" } else { "=" }.to_owned()),
            1 => Just(if multiline { "\n" } else { "+" }.to_owned()),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    fn choices(options: usize) -> impl Strategy<Value = Vec<bool>> {
        prop::collection::vec(any::<bool>(), options)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The re-rendered form gives back exactly what was typed.
        #[test]
        fn every_typed_value_round_trips_through_the_form_page(
            organization_name in typed(false),
            name in typed(false),
            email in typed(false),
            postal_code in typed(false),
            harm in typed(true),
            comment in typed(true),
            intent in 0usize..4,
            sign_as in 0usize..3,
            organization_type in 0usize..11,
            actions in choices(6),
            consents in choices(3),
        ) {
            let c = campaign();
            let option = |field: &str, i: usize| c.field(field).unwrap().options.get(i).map(|o| o.value.clone());
            let mut pairs: Vec<(String, String)> = Vec::new();
            for (field, value) in [
                ("organization_name", &organization_name),
                ("name", &name),
                ("email", &email),
                ("postal_code", &postal_code),
                ("harm", &harm),
                ("comment", &comment),
            ] {
                pairs.push((field.to_owned(), value.clone()));
            }
            if let Some(intent) = crate::campaign::Intent::ALL.get(intent) {
                pairs.push(("intent".to_owned(), intent.value().to_owned()));
            }
            for (field, i) in [("sign_as", sign_as), ("organization_type", organization_type)] {
                if let Some(value) = option(field, i) {
                    pairs.push((field.to_owned(), value));
                }
            }
            for (i, picked) in actions.iter().enumerate() {
                if *picked {
                    pairs.push(("actions".to_owned(), option("actions", i).unwrap()));
                }
            }
            for (field, ticked) in [("consent_public", consents[0]), ("consent_contact", consents[1]), ("consent_quote", consents[2])] {
                if ticked {
                    pairs.push((field.to_owned(), "on".to_owned()));
                }
            }
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let first = FormInput::parse(body(&refs).as_bytes(), &c).unwrap();
            let errors = validate(&first, &c, "2026-11-28".parse().unwrap()).err().unwrap_or_default();
            let html = form_page(&c, &FormView { input: &first, problems: &errors, notice: None, token: TOKEN, signatures: 7, public_list: false });

            let back = resubmit(&html, &c);
            let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let second = FormInput::parse(body(&refs).as_bytes(), &c).unwrap();
            prop_assert_eq!(first.expose_value("intent"), second.expose_value("intent"));
            for spec in c.fields() {
                // Compare what the person sees: a browser reads a lone CR in a textarea as a
                // line break (the server refuses lone CRs anyway), and a single-line input
                // cannot hold one.
                let seen = |value: &str| match spec.kind {
                    FieldKind::LongText => value.replace("\r\n", "\n").replace('\r', "\n"),
                    FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode => {
                        single_line_value(spec.kind, value)
                    }
                    _ => value.to_owned(),
                };
                let before: Vec<String> = first.expose_values(&spec.name).map(seen).collect();
                let after: Vec<String> = second.expose_values(&spec.name).map(seen).collect();
                prop_assert_eq!(before, after, "{}", spec.name);
            }
            prop_assert!(!html.to_lowercase().contains("<script"));
        }
    }
}
