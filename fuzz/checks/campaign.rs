// What must hold for any campaign file, whatever its text: the `campaign` fuzz target
// (fuzz/fuzz_targets/campaign.rs) and the corpus replay test (server/tests/fuzz_corpus.rs) both
// `include!` this file, next to `form.rs` (whose checks it reuses), inside a module. Items
// only: an included file cannot carry inner attributes or `//!` comments.

use sealform_server::campaign::Error;
use sealform_server::campaign::MAX_LENGTH_LIMIT;

/// The name campaign files are checked under.
const CAMPAIGN_SOURCE: &str = "fuzz.toml";

/// The largest worst-case form body built to check [`Campaign::max_form_bytes`]; beyond it
/// the check would only slow fuzzing down.
const LARGEST_BODY_BUILT: usize = 2 * 1024 * 1024;

/// The tags a letter may hold: what CommonMark without extensions renders to. Raw HTML in the
/// Markdown must come out as text, so no other tag can appear.
const LETTER_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
];

/// Loads `text` as a campaign file: a refusal is an `Error::Campaign` on a line of the text;
/// a campaign that loads keeps every rule, renders, and handles the forms it allows.
pub fn check_campaign(text: &str) {
    match Campaign::from_toml(CAMPAIGN_SOURCE, text) {
        Err(Error::Campaign { path, line, reason }) => {
            assert_eq!(path.to_str(), Some(CAMPAIGN_SOURCE));
            let lines = text.matches('\n').count() + 1;
            assert!(
                (1..=lines).contains(&line),
                "the error is on line {line}, but the text has {lines} line(s): {reason}"
            );
            assert!(!reason.trim().is_empty(), "an error without a reason");
        }
        Err(other) => panic!("a campaign text was refused with another error: {other:?}"),
        Ok(campaign) => check_loaded(&campaign),
    }
}

fn check_loaded(campaign: &Campaign) {
    check_rules(campaign);
    check_letter(campaign.letter_html());

    let t = pages::texts(campaign.language());
    let blank = form_page(campaign, &FormInput::blank(), &[]);
    assert!(
        blank.contains(campaign.letter_html()),
        "the letter is not on its page"
    );
    pages::thanks_page(campaign, &sealform_server::receipt::Receipt::random());
    pages::message_page(campaign, t.bad_request.title, t.bad_request.body);
    pages::rate_limited_page(campaign, 61);

    // Limits hold for the longest answers a browser can send, and forms of every shape parse.
    let limit = campaign.max_form_bytes();
    if limit <= LARGEST_BODY_BUILT {
        let body = longest_form(campaign);
        assert!(
            body.len() <= limit,
            "a browser can send {} bytes within every max_length, but max_form_bytes() is {limit}",
            body.len()
        );
        check_form(body.as_bytes(), campaign);
    }
    check_form(b"", campaign);
    check_form(shortest_answers(campaign).as_bytes(), campaign);
}

/// A loaded campaign keeps every rule its file is checked against.
fn check_rules(campaign: &Campaign) {
    let id = campaign.id();
    assert!(
        (1..=64).contains(&id.len())
            && !id.starts_with('-')
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "bad id {id:?}"
    );
    assert!(!campaign.title().trim().is_empty(), "empty title");
    let language = campaign.language();
    assert!(
        (1..=35).contains(&language.len())
            && language.starts_with(|c: char| c.is_ascii_alphabetic())
            && language
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "bad language tag {language:?}"
    );
    let fields = campaign.fields();
    assert!(!fields.is_empty(), "a form without fields");
    for (i, spec) in fields.iter().enumerate() {
        let name = &spec.name;
        assert!(
            (1..=64).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "bad field name {name:?}"
        );
        assert!(
            name != TOKEN_FIELD && name != HONEYPOT_FIELD,
            "reserved name {name:?}"
        );
        assert!(
            !fields[..i].iter().any(|f| &f.name == name),
            "two fields {name:?}"
        );
        assert!(!spec.label.trim().is_empty(), "{name}: empty label");
        if spec.kind.is_text() {
            assert!(
                (1..=MAX_LENGTH_LIMIT).contains(&spec.max_length),
                "{name}: max_length"
            );
        } else {
            assert_eq!(spec.max_length, 0, "{name}: max_length on a non-text field");
        }
        if spec.kind.is_choice() {
            assert!(!spec.options.is_empty(), "{name}: a choice without options");
        } else {
            assert!(spec.options.is_empty(), "{name}: options on a non-choice");
        }
        for (j, option) in spec.options.iter().enumerate() {
            let value = &option.value;
            assert!(
                (1..=200).contains(&value.len())
                    && value.trim() == value
                    && !value.chars().any(char::is_control),
                "{name}: bad option value {value:?}"
            );
            assert!(
                !option.label.trim().is_empty(),
                "{name}: empty option label"
            );
            assert!(
                !spec.options[..j].iter().any(|o| &o.value == value),
                "{name}: twice {value:?}"
            );
        }
        if let Some(condition) = &spec.required_when {
            assert!(!spec.required, "{name}: required and required_when");
            let target = campaign
                .field(&condition.field)
                .unwrap_or_else(|| panic!("{name}: required_when names no field"));
            assert!(target.name != *name, "{name}: required_when itself");
            assert_eq!(
                target.kind,
                FieldKind::SingleChoice,
                "{name}: required_when target"
            );
            assert!(
                is_option(target, &condition.equals),
                "{name}: required_when value"
            );
        }
    }
    let public = campaign.public_fields();
    for (i, name) in public.iter().enumerate() {
        let spec = campaign
            .field(name)
            .unwrap_or_else(|| panic!("public field {name:?} is not a field"));
        assert_ne!(
            spec.kind,
            FieldKind::Consent,
            "public field {name:?} is a consent"
        );
        assert!(!public[..i].contains(name), "public field {name:?} twice");
    }
    match campaign.public_consent() {
        None => assert!(public.is_empty(), "public fields without a consent"),
        Some(consent) => {
            assert!(!public.is_empty(), "a public consent without public fields");
            let spec = campaign
                .field(consent)
                .expect("the public consent is a field");
            assert_eq!(
                spec.kind,
                FieldKind::Consent,
                "the public consent is not a consent"
            );
        }
    }
}

/// The letter's HTML holds only the tags Markdown makes, no image, and links only to
/// http(s), mailto or relative addresses, as a browser reads them.
fn check_letter(html: &str) {
    assert!(!html.trim().is_empty(), "an empty letter");
    for (at, _) in html.match_indices('<') {
        let rest = html[at + 1..].strip_prefix('/').unwrap_or(&html[at + 1..]);
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let tag = &rest[..end];
        assert!(
            LETTER_TAGS.contains(&tag),
            "the letter has a <{tag}> tag: raw HTML or an image got through"
        );
    }
    for (at, _) in html.match_indices(" href=\"") {
        let value = &html[at + 7..];
        let href = &value[..value.find('"').expect("an href ends with a quote")];
        let href = href
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        if let Some(scheme) = url_scheme(&href) {
            assert!(
                ["http", "https", "mailto"].contains(&scheme.as_str()),
                "the letter links to a {scheme}: address"
            );
        }
    }
}

/// The scheme a browser finds in `href`: it strips C0 controls and spaces at the ends and
/// drops tabs and line breaks anywhere (<https://url.spec.whatwg.org/#concept-basic-url-parser>).
fn url_scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The longest body a browser sends for this form while keeping to every `max_length`: every
/// text answer at its limit in characters that take the most bytes (four UTF-8 bytes, each sent
/// as `%XX`), the longest option of every single choice, every option of every multi choice,
/// every box ticked, a token, and the trap field empty.
fn longest_form(campaign: &Campaign) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for spec in campaign.fields() {
        let name = spec.name.as_str();
        match spec.kind {
            FieldKind::SingleChoice => {
                let longest = spec
                    .options
                    .iter()
                    .map(|o| o.value.as_str())
                    .max_by_key(|v| v.len());
                body.append_pair(name, longest.unwrap_or(""));
            }
            FieldKind::MultiChoice => {
                for option in &spec.options {
                    body.append_pair(name, &option.value);
                }
            }
            FieldKind::Consent => {
                body.append_pair(name, "on");
            }
            _ => {
                body.append_pair(name, &"\u{10ffff}".repeat(spec.max_length));
            }
        }
    }
    body.append_pair(TOKEN_FIELD, FORM_TOKEN);
    body.append_pair(HONEYPOT_FIELD, "");
    body.finish()
}

/// A body with a short, plain answer to every question: the first option, a ticked box, and
/// text that fits every text kind.
fn shortest_answers(campaign: &Campaign) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for spec in campaign.fields() {
        let name = spec.name.as_str();
        match spec.kind {
            FieldKind::SingleChoice | FieldKind::MultiChoice => {
                body.append_pair(name, &spec.options[0].value);
            }
            FieldKind::Consent => {
                body.append_pair(name, "on");
            }
            FieldKind::Email => {
                body.append_pair(name, "a@b");
            }
            _ => {
                body.append_pair(name, "1");
            }
        }
    }
    body.append_pair(TOKEN_FIELD, FORM_TOKEN);
    body.finish()
}
