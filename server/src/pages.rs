//! Every page the service shows, rendered from the askama templates in `templates/`, and every
//! sentence a person reads, in one table per language ([`Texts`]).
//!
//! The pages are plain server-side HTML: no JavaScript, no inline style, nothing loaded from
//! another site, no cookies. They work in a text browser, and with the page's Content Security
//! Policy `default-src 'none'; style-src 'self'` the one stylesheet is all a browser fetches.

use askama::Template;

use crate::campaign::{Campaign, FieldKind, FieldSpec};
use crate::form::{FieldError, FormInput, HONEYPOT_FIELD, TOKEN_FIELD};
use crate::token::TokenProblem;

/// The stylesheet, served at `/static/style.css`.
pub const STYLESHEET: &str = include_str!("../static/style.css");

/// What the form page shows: what was typed, what is wrong with it, and the form's token.
#[derive(Debug)]
pub struct FormView<'a> {
    /// The answers to show in the form again (blank for a fresh form).
    pub input: &'a FormInput,
    /// Problems to list at the top and next to each field.
    pub errors: &'a [FieldError],
    /// A message shown at the top, e.g. [`token_notice`].
    pub notice: Option<&'a str>,
    /// The form token for the hidden input.
    pub token: &'a str,
    /// How many have signed so far.
    pub signatures: u64,
}

/// Every sentence a person reads, in one language. To translate sealform, copy [`ENGLISH`],
/// translate it, and return it from [`texts`] for its language tag.
#[derive(Debug)]
pub struct Texts {
    /// The heading above the form.
    pub sign_heading: &'static str,
    /// "N people and organizations have signed".
    pub signatures: fn(u64) -> String,
    /// Said once above the form about what happens to the answers.
    pub privacy_note: &'static str,
    /// After the label of a field that must be answered.
    pub required_marker: &'static str,
    /// After the label of a field that must be answered in some cases: (question, option).
    pub required_if: fn(&str, &str) -> String,
    /// The send button.
    pub submit: &'static str,
    /// The label of the trap field people never see (but a text browser shows).
    pub honeypot_label: &'static str,
    /// The heading of the list of problems.
    pub error_summary_heading: &'static str,
    /// Put before the page title when the form has problems.
    pub error_title_prefix: &'static str,

    /// A required answer is blank.
    pub required: &'static str,
    /// A required single choice has nothing picked.
    pub choose_one: &'static str,
    /// A required multi choice has nothing picked.
    pub choose_at_least_one: &'static str,
    /// A choice that is not among the options arrived.
    pub not_an_option: &'static str,
    /// The e-mail address has no `@`, or spaces.
    pub bad_email: &'static str,
    /// The postal code has other characters than letters, digits, spaces, hyphens.
    pub bad_postal_code: &'static str,
    /// A checkbox sent something other than "on".
    pub bad_checkbox: &'static str,
    /// A consent box that must be ticked was not.
    pub must_tick: &'static str,
    /// (length, limit), both in characters.
    pub too_long: fn(usize, usize) -> String,

    /// A `%` escape in the body is broken.
    pub damaged_form: &'static str,
    /// The body is not UTF-8.
    pub not_utf8: &'static str,
    /// The body has a NUL byte.
    pub nul_byte: &'static str,
    /// A single-value field came twice: (field name).
    pub duplicate_field: fn(&str) -> String,
    /// A field the form does not have came: (its name, when it is safe to repeat).
    pub unknown_field: fn(Option<&str>) -> String,

    /// The form came without its token.
    pub token_missing: &'static str,
    /// The token is not one this server issued (or the server restarted).
    pub token_invalid: &'static str,
    /// The form was sent seconds after it was served.
    pub token_too_young: &'static str,
    /// The form was open for longer than a token lives.
    pub token_expired: &'static str,

    /// The page after a successful submission.
    pub thanks: Message,
    /// 400.
    pub bad_request: Message,
    /// 404.
    pub not_found: Message,
    /// 413.
    pub too_large: Message,
    /// 415.
    pub unsupported_media_type: Message,
    /// 500.
    pub server_error: Message,
    /// 405: a method the address does not take.
    pub method_not_allowed: Message,
    /// 408: the request took too long to arrive.
    pub timeout: Message,
    /// 503: too busy, or the store could not save.
    pub unavailable: Message,
    /// The title of the 429 page.
    pub rate_limited_title: &'static str,
    /// The 429 page's text: (seconds to wait).
    pub rate_limited: fn(u64) -> String,
    /// The link from a message page to the letter.
    pub home_link: &'static str,
}

/// A page's title and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    /// The heading (and tab title).
    pub title: &'static str,
    /// What happened and what to do.
    pub body: &'static str,
}

/// English, the language sealform ships in.
pub static ENGLISH: Texts = Texts {
    sign_heading: "Sign the letter",
    signatures: |n| match n {
        1 => "1 person or organization has signed.".to_owned(),
        n => format!("{} people and organizations have signed.", grouped(n)),
    },
    privacy_note: "Your answers are encrypted as soon as they arrive: only the organizers can \
        read them. This page uses no cookies, no scripts and no trackers.",
    required_marker: "(required)",
    // The question is not repeated: it can be long, and it is just above.
    required_if: |_question, option| format!("(required if you chose \u{201c}{option}\u{201d})"),
    submit: "Send",
    honeypot_label: "Leave this empty",
    error_summary_heading: "Please check your answers",
    error_title_prefix: "Please check your answers: ",

    required: "Please answer this question.",
    choose_one: "Please choose one of the options.",
    choose_at_least_one: "Please tick at least one of the options.",
    not_an_option: "Please choose from the options shown (the form sent one it does not have).",
    bad_email: "This does not look like an email address: it needs one @ with something on \
        each side, and no spaces. You can also leave it empty.",
    bad_postal_code: "A postal code has only letters, digits, spaces and hyphens. You can also \
        leave it empty.",
    bad_checkbox: "This checkbox sent an unexpected value. Please tick or untick it again.",
    must_tick: "Please tick this box to continue.",
    too_long: |length, limit| {
        format!(
            "This answer is {} characters; the limit is {}. Please shorten it \u{2014} your text \
             is kept below.",
            grouped(length as u64),
            grouped(limit as u64)
        )
    },

    damaged_form: "The form\u{2019}s data was damaged on the way, so nothing was saved. Please go \
        back and press Send again.",
    not_utf8: "The form\u{2019}s text could not be read (it was not sent as UTF-8), so nothing \
        was saved. Please go back and send it again, if you can from an up-to-date browser.",
    nul_byte: "The form contained a character that cannot be saved (a NUL byte), so nothing \
        was saved. Please go back, remove any unusual characters you pasted, and send again.",
    duplicate_field: |name| {
        format!(
            "The form sent the field \u{201c}{name}\u{201d} twice, which happens when a browser \
             extension or an old copy of the page changes the form. Nothing was saved. Please go \
             back, reload the page, and fill it in again."
        )
    },
    unknown_field: |name| {
        let which = match name {
            Some(name) => format!("a field called \u{201c}{name}\u{201d}"),
            None => "a field".to_owned(),
        };
        format!(
            "The form sent {which} that this form does not have, which happens when a browser \
             extension or an old copy of the page changes the form. Nothing was saved. Please go \
             back, reload the page, and fill it in again."
        )
    },

    token_missing: "The form arrived without its security code, so nothing was saved yet. Your \
        answers are kept below \u{2014} please press Send again.",
    token_invalid: "This copy of the form is out of date (the site may have restarted), so \
        nothing was saved yet. Your answers are kept below \u{2014} please press Send again.",
    token_too_young: "Please wait a moment and press Send again \u{2014} your answers are kept.",
    token_expired: "This form was open for a long time, so it had to be refreshed and nothing \
        was saved yet. Your answers are kept below \u{2014} please press Send again.",

    thanks: Message {
        title: "Thank you",
        body: "Your answers arrived and were encrypted at once, so only the organizers of this \
            letter can read them. You can close this page now.",
    },
    bad_request: Message {
        title: "The form could not be read",
        body: "What arrived was not a form this site can read, so nothing was saved. Please go \
            back, reload the page, and try again.",
    },
    not_found: Message {
        title: "Page not found",
        body: "There is no page at this address. The letter and its form are on the front page.",
    },
    too_large: Message {
        title: "Your answers are too long to send",
        body: "Nothing was saved. Your text is still in the form: use your browser\u{2019}s Back \
            button, shorten the longest answer, and press Send again.",
    },
    unsupported_media_type: Message {
        title: "The form could not be read",
        body: "What arrived was not sent the way a web form is sent, so nothing was saved. \
            Please go back and press Send again from the form page.",
    },
    server_error: Message {
        title: "Something went wrong on our side",
        body: "Your answers were not saved. Your text is still in the form: use your browser\u{2019}s \
            Back button and press Send again in a few minutes.",
    },
    method_not_allowed: Message {
        title: "This address does not take that request",
        body: "Nothing was saved. The letter and its form are on the front page.",
    },
    timeout: Message {
        title: "Your answers took too long to arrive",
        body: "Nothing was saved; the connection was too slow. Your text is still in the form: \
            use your browser\u{2019}s Back button and press Send again.",
    },
    unavailable: Message {
        title: "Your answers could not be saved just now",
        body: "Nothing was saved: the server is very busy or has a problem. Your text is still \
            in the form: use your browser\u{2019}s Back button and press Send again in a minute.",
    },
    rate_limited_title: "Please wait a little",
    rate_limited: |seconds| {
        let wait = match seconds {
            0 | 1 => "1 second".to_owned(),
            n => format!("{} seconds", grouped(n)),
        };
        format!(
            "Many forms were sent from your connection in a short time, so this one was not \
             saved yet. Your text is still in the form: go back with your browser\u{2019}s Back \
             button and send again in {wait}."
        )
    },
    home_link: "Go to the letter",
};

/// The sentences for `language`. Only English ships; a translation adds a table and a `match`
/// on the language tag here.
pub fn texts(_language: &str) -> &'static Texts {
    &ENGLISH
}

/// The notice to show above the form when its token was refused.
pub fn token_notice(campaign: &Campaign, problem: TokenProblem) -> &'static str {
    let t = texts(campaign.language());
    match problem {
        TokenProblem::Missing => t.token_missing,
        TokenProblem::Invalid => t.token_invalid,
        TokenProblem::TooYoung { .. } => t.token_too_young,
        TokenProblem::Expired => t.token_expired,
    }
}

/// `1234567` → `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The writing direction of a language tag's script.
fn direction(language: &str) -> &'static str {
    let primary = language.split('-').next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "ar" | "ckb" | "dv" | "fa" | "he" | "ps" | "sd" | "ug" | "ur" | "yi" => "rtl",
        _ => "ltr",
    }
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage<'a> {
    lang: &'a str,
    dir: &'static str,
    title: String,
    t: &'static Texts,
    letter_html: &'a str,
    notice: Option<&'a str>,
    errors: &'a [FieldError],
    signatures: String,
    token_field: &'static str,
    token: &'a str,
    honeypot_field: &'static str,
    fields: Vec<FieldView<'a>>,
}

/// One question, ready for the template.
struct FieldView<'a> {
    name: &'a str,
    /// Radio buttons or checkboxes in a fieldset.
    group: bool,
    /// A single consent checkbox.
    checkbox: bool,
    /// A textarea.
    multiline: bool,
    /// `type` of the `<input>`s.
    input_type: &'static str,
    label: &'a str,
    help: Option<&'a str>,
    requirement: Option<String>,
    required_attr: bool,
    max_length: usize,
    value: &'a str,
    checked: bool,
    options: Vec<OptionView<'a>>,
    error: Option<String>,
    described_by: String,
}

struct OptionView<'a> {
    id: String,
    value: &'a str,
    label: &'a str,
    checked: bool,
}

impl<'a> FieldView<'a> {
    fn new(
        spec: &'a FieldSpec,
        campaign: &'a Campaign,
        view: &FormView<'a>,
        t: &'static Texts,
    ) -> Self {
        let input = view.input;
        let name = spec.name.as_str();
        let messages: Vec<&str> = view
            .errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.as_str())
            .collect();
        let error = (!messages.is_empty()).then(|| messages.join(" "));
        let mut described_by = Vec::new();
        if spec.help.is_some() {
            described_by.push(format!("help-{name}"));
        }
        if error.is_some() {
            described_by.push(format!("error-{name}"));
        }
        let requirement = if spec.required {
            Some(t.required_marker.to_owned())
        } else {
            spec.required_when.as_ref().and_then(|c| {
                let question = campaign.field(&c.field)?;
                let option = question.options.iter().find(|o| o.value == c.equals)?;
                Some((t.required_if)(&question.label, &option.label))
            })
        };
        let options = spec
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| OptionView {
                id: format!("field-{name}-{i}"),
                value: &o.value,
                label: &o.label,
                checked: input.expose_values(name).any(|v| v == o.value),
            })
            .collect();
        let value = input.expose_value(name).unwrap_or("");
        Self {
            name,
            group: spec.kind.is_choice(),
            checkbox: spec.kind == FieldKind::Consent,
            multiline: spec.kind == FieldKind::LongText,
            input_type: match spec.kind {
                FieldKind::SingleChoice => "radio",
                FieldKind::MultiChoice | FieldKind::Consent => "checkbox",
                FieldKind::Email => "email",
                FieldKind::ShortText | FieldKind::PostalCode | FieldKind::LongText => "text",
            },
            label: &spec.label,
            help: spec.help.as_deref(),
            requirement,
            // A checkbox in a group marked `required` would have to be ticked itself; "at
            // least one" is checked by the server only.
            required_attr: spec.required && spec.kind != FieldKind::MultiChoice,
            max_length: spec.max_length,
            value,
            checked: value == "on",
            options,
            error,
            described_by: described_by.join(" "),
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    lang: &'a str,
    dir: &'static str,
    title: &'a str,
    heading: &'a str,
    paragraphs: Vec<&'a str>,
    home_link: Option<&'static str>,
}

fn render(template: &impl Template) -> String {
    // Templates only write strings into a String, which cannot fail.
    template
        .render()
        .expect("rendering a template into a String cannot fail")
}

/// GET / and 422 re-render (error summary linking to each field + message by the field).
pub fn form_page(campaign: &Campaign, view: &FormView) -> String {
    let t = texts(campaign.language());
    let title = if view.errors.is_empty() {
        campaign.title().to_owned()
    } else {
        format!("{}{}", t.error_title_prefix, campaign.title())
    };
    render(&FormPage {
        lang: campaign.language(),
        dir: direction(campaign.language()),
        title,
        t,
        letter_html: campaign.letter_html(),
        notice: view.notice,
        errors: view.errors,
        signatures: (t.signatures)(view.signatures),
        token_field: TOKEN_FIELD,
        token: view.token,
        honeypot_field: HONEYPOT_FIELD,
        fields: campaign
            .fields()
            .iter()
            .map(|spec| FieldView::new(spec, campaign, view, t))
            .collect(),
    })
}

/// The page after a successful submission; never echoes what was sent.
pub fn thanks_page(campaign: &Campaign) -> String {
    let t = texts(campaign.language());
    message(
        campaign,
        t.thanks.title,
        &[t.thanks.body],
        Some(t.home_link),
    )
}

/// 400/404/413/415/500 pages: `title` says what happened, `message` what to do (see the
/// [`Message`]s in [`Texts`]).
pub fn message_page(campaign: &Campaign, title: &str, message: &str) -> String {
    let t = texts(campaign.language());
    self::message(campaign, title, &[message], Some(t.home_link))
}

/// The 429 page: "your text is still in the form: go back and send again in N seconds". It
/// has no link to the letter, which would open an empty form.
pub fn rate_limited_page(campaign: &Campaign, retry_after_secs: u64) -> String {
    let t = texts(campaign.language());
    let body = (t.rate_limited)(retry_after_secs);
    message(campaign, t.rate_limited_title, &[&body], None)
}

fn message(
    campaign: &Campaign,
    heading: &str,
    paragraphs: &[&str],
    home_link: Option<&'static str>,
) -> String {
    let title = format!("{heading} \u{2014} {}", campaign.title());
    render(&MessagePage {
        lang: campaign.language(),
        dir: direction(campaign.language()),
        title: &title,
        heading,
        paragraphs: paragraphs.to_vec(),
        home_link,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::form::validate;

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
                errors: &[],
                notice: None,
                token: TOKEN,
                signatures,
            },
        )
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
        let mut pairs = Vec::new();
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
                    // The HTML parser drops one newline right after <textarea>.
                    let content = content.strip_prefix('\n').unwrap_or(content);
                    pairs.push((spec.name.clone(), unescape(content)));
                }
                FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode => {
                    let (tag, attrs) = tag_by_id(html, &id);
                    assert_eq!(tag, "input");
                    pairs.push((spec.name.clone(), attr(&attrs, "value").unwrap().to_owned()));
                }
            }
        }
        pairs
    }

    fn assert_self_contained(html: &str) {
        let lower = html.to_lowercase();
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
        // `required` only where an answer is always needed.
        let required = |id: &str| attr(&tag_by_id(&html, id).1, "required").is_some();
        assert!(required("field-name"));
        assert!(required("field-sign_as-0"));
        assert!(
            !required("field-organization_name"),
            "required_when is not `required`"
        );
        assert!(!required("field-email"));
        assert!(!required("field-actions-0"));
        assert!(html.contains("(required if you chose \u{201c}Organization\u{201d})"));
        // The honeypot: a normal-looking input, hidden by a class, out of the tab order.
        let (_, trap) = tag_by_id(&html, "field-website");
        assert_eq!(attr(&trap, "name"), Some("website"));
        assert_eq!(attr(&trap, "tabindex"), Some("-1"));
        assert_eq!(attr(&trap, "autocomplete"), Some("off"));
        assert!(html.contains("<div class=\"hp\" aria-hidden=\"true\">\n<label for=\"field-website\">Leave this empty</label>"));
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
                errors: &errors,
                notice: Some(notice),
                token: TOKEN,
                signatures: 0,
            },
        );
        assert_self_contained(&html);
        assert!(html.contains(&format!(
            "<div id=\"notice\" class=\"notice\" role=\"status\">\n<p>{notice}</p>"
        )));
        assert!(html.contains("<div id=\"error-summary\" class=\"error-summary\" role=\"alert\""));
        for e in &errors {
            let link = format!("<li><a href=\"#field-{}\">", e.field);
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
            ("sign_as", "organization"),
            ("organization_name", ""),
            ("name", "Mai \"Tran\" <b>'&amp;'</b>"),
            ("email", "not an email"),
            ("postal_code", ""),
            ("actions", "talk_to_media"),
            ("actions", "donate"),
            ("harm", &long),
            ("comment", ""),
            ("consent_contact", "on"),
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
        let thanks = thanks_page(&c);
        assert_self_contained(&thanks);
        assert!(thanks.contains("<h1 id=\"page-heading\">Thank you</h1>"));
        assert!(!thanks.contains("<form") && !thanks.contains("<input"));

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
            assert!(html.contains("<a href=\"/\">"));
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
            !limited.contains("<a href=\"/\">"),
            "a link to / would open an empty form"
        );
        assert!(rate_limited_page(&c, 1).contains("in 1 second."));
    }

    #[test]
    fn token_notices_and_grouping() {
        let c = campaign();
        assert!(
            token_notice(
                &c,
                TokenProblem::TooYoung {
                    wait: std::time::Duration::from_secs(2)
                }
            )
            .starts_with("Please wait a moment and press Send again")
        );
        for problem in [
            TokenProblem::Missing,
            TokenProblem::Invalid,
            TokenProblem::Expired,
        ] {
            assert!(token_notice(&c, problem).contains("answers are kept"));
        }
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(20_512), "20,512");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("zh-Hant"), "ltr");
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
            sign_as in 0usize..3,
            organization_type in 0usize..11,
            actions in choices(6),
            consents in choices(2),
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
            for (field, ticked) in [("consent_public", consents[0]), ("consent_contact", consents[1])] {
                if ticked {
                    pairs.push((field.to_owned(), "on".to_owned()));
                }
            }
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let first = FormInput::parse(body(&refs).as_bytes(), &c).unwrap();
            let errors = validate(&first, &c, "2026-11-28".parse().unwrap()).err().unwrap_or_default();
            let html = form_page(&c, &FormView { input: &first, errors: &errors, notice: None, token: TOKEN, signatures: 7 });

            let back = resubmit(&html, &c);
            let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let second = FormInput::parse(body(&refs).as_bytes(), &c).unwrap();
            for spec in c.fields() {
                let before: Vec<&str> = first.expose_values(&spec.name).collect();
                let after: Vec<&str> = second.expose_values(&spec.name).collect();
                prop_assert_eq!(before, after, "{}", spec.name);
            }
            prop_assert!(!html.to_lowercase().contains("<script"));
        }
    }
}
