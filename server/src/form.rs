//! What a person sent: a strict parse of the form body into [`FormInput`], then [`validate`]
//! against the campaign into a [`seal::Submission`].
//!
//! Parsing refuses bodies no browser sends for this form (→ 400): bad percent-escapes, text
//! that is not UTF-8, NUL bytes, a field sent twice, a field the form does not have. Everything
//! a person can get wrong — a missing answer, an over-long text — is a [`FieldError`] from
//! [`validate`] instead (→ 422), and the form comes back with every answer still in it.
//!
//! The body is decoded here rather than by `form_urlencoded::parse`, which decodes invalid
//! UTF-8 lossily (so it cannot be refused) and leaves its decoded copies in freed memory.

use std::fmt;

use seal::{Day, Field, FieldValue, Submission};
use zeroize::Zeroize;

use crate::Error;
use crate::campaign::{Campaign, FieldKind, FieldSpec};
use crate::pages::texts;

/// The hidden input carrying the form token.
pub const TOKEN_FIELD: &str = "token";
/// A trap field hidden from people; bots fill it in.
pub const HONEYPOT_FIELD: &str = "website";

/// What the person typed, by field name, in the order the body sent it. Plaintext: not
/// `Clone`, prints as `FormInput(..redacted..)`, wiped on drop.
pub struct FormInput {
    values: Vec<(String, String)>,
}

/// A problem with one answer, said to the person next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name (its element id is `field-<name>`).
    pub field: String,
    /// What is wrong and what to do, without quoting the answer.
    pub message: String,
}

impl FormInput {
    /// A form nobody has filled in yet.
    pub fn blank() -> FormInput {
        FormInput { values: Vec::new() }
    }

    /// Strict parse of an application/x-www-form-urlencoded body. Invalid UTF-8, NUL bytes,
    /// duplicate single-value fields, unknown fields → Err(Error::BadForm(human reason)) (→ HTTP 400).
    /// Over-long values are NOT a parse error: they are kept and reported by validate (422), so no text is lost.
    pub fn parse(body: &[u8], campaign: &Campaign) -> Result<FormInput, Error> {
        let t = texts(campaign.language());
        let mut input = FormInput::blank();
        for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (raw_name, raw_value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let mut name = decode(raw_name).map_err(|p| Error::BadForm(p.message(t)))?;
            let kind = match campaign.field(&name) {
                Some(spec) => Some(spec.kind),
                None if name == TOKEN_FIELD || name == HONEYPOT_FIELD => None,
                None => {
                    let reason = (t.unknown_field)(shown_name(&name));
                    name.zeroize();
                    return Err(Error::BadForm(reason));
                }
            };
            let mut value = decode(raw_value).map_err(|p| Error::BadForm(p.message(t)))?;
            let repeatable = kind == Some(FieldKind::MultiChoice);
            if !repeatable && input.get(&name).is_some() {
                value.zeroize();
                return Err(Error::BadForm((t.duplicate_field)(&name)));
            }
            if kind == Some(FieldKind::LongText) && value.contains('\r') {
                // Browsers send a textarea's line breaks as CRLF; keep one kind of line break.
                let normalized = lf_line_breaks(&value);
                value.zeroize();
                value = normalized;
            }
            input.values.push((name, value));
        }
        Ok(input)
    }

    /// The form token sent with the form, if any.
    pub fn token(&self) -> Option<&str> {
        self.get(TOKEN_FIELD)
    }

    /// Whether the trap field hidden from people was filled in (a bot, most likely).
    pub fn honeypot_filled(&self) -> bool {
        self.get(HONEYPOT_FIELD).is_some_and(|v| !v.is_empty())
    }

    /// The value sent for `name` (the first one, for a multi choice); `None` if none was sent.
    /// Named to make reading plaintext a visible act.
    pub fn expose_value(&self, name: &str) -> Option<&str> {
        self.get(name)
    }

    /// Every value sent for `name`, in the order sent (several for a multi choice).
    /// Named to make reading plaintext a visible act.
    pub fn expose_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Drop for FormInput {
    fn drop(&mut self) {
        for (name, value) in &mut self.values {
            name.zeroize();
            value.zeroize();
        }
    }
}

impl fmt::Debug for FormInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FormInput(..redacted..)")
    }
}

/// Why a name or value could not be decoded.
enum DecodeProblem {
    BadEscape,
    NotUtf8,
    Nul,
}

impl DecodeProblem {
    fn message(&self, t: &crate::pages::Texts) -> String {
        match self {
            Self::BadEscape => t.damaged_form,
            Self::NotUtf8 => t.not_utf8,
            Self::Nul => t.nul_byte,
        }
        .to_owned()
    }
}

/// Decodes one name or value: `+` is a space, `%XX` a byte, the rest is taken as is; the
/// result must be UTF-8 without NUL. Buffers that held the bytes are wiped on every path.
fn decode(raw: &[u8]) -> Result<String, DecodeProblem> {
    // Decoding only shrinks, so this never reallocates and leaves no copy behind.
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = |at: usize| raw.get(at).and_then(|&b| (b as char).to_digit(16));
                match (hex(i + 1), hex(i + 2)) {
                    (Some(high), Some(low)) => {
                        bytes.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => {
                        bytes.zeroize();
                        return Err(DecodeProblem::BadEscape);
                    }
                }
            }
            byte => bytes.push(byte),
        }
        i += 1;
    }
    if bytes.contains(&0) {
        bytes.zeroize();
        return Err(DecodeProblem::Nul);
    }
    String::from_utf8(bytes).map_err(|e| {
        e.into_bytes().zeroize();
        DecodeProblem::NotUtf8
    })
}

/// `text` with CRLF and lone CR line breaks as LF, built in one buffer that never reallocates
/// (so no partial copy is left in freed memory).
fn lf_line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// An unknown field's name, if it looks like a field name; anything else might be someone's
/// text that a broken client put in the wrong place, so it is not repeated.
fn shown_name(name: &str) -> Option<&str> {
    let plain = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    plain.then_some(name)
}

/// Checks every field against the campaign; all problems at once.
pub fn validate(
    input: &FormInput,
    campaign: &Campaign,
    received: Day,
) -> Result<Submission, Vec<FieldError>> {
    let t = texts(campaign.language());
    let mut errors = Vec::new();
    let mut fields = Vec::with_capacity(campaign.fields().len());
    for spec in campaign.fields() {
        let required = spec.required
            || spec
                .required_when
                .as_ref()
                .is_some_and(|c| input.get(&c.field) == Some(c.equals.as_str()));
        let (value, problem) = check_field(input, spec, required, t);
        if let Some(message) = problem {
            errors.push(FieldError {
                field: spec.name.clone(),
                message,
            });
        }
        fields.push(Field::new(spec.name.clone(), value));
    }
    if errors.is_empty() {
        Ok(Submission::new(
            campaign.id().to_owned(),
            campaign.language().to_owned(),
            received,
            fields,
        ))
    } else {
        // `fields` is dropped here, and each Field wipes its value.
        Err(errors)
    }
}

/// One field's value for the record, and what is wrong with it, if anything.
fn check_field(
    input: &FormInput,
    spec: &FieldSpec,
    required: bool,
    t: &crate::pages::Texts,
) -> (FieldValue, Option<String>) {
    let sent = input.get(&spec.name);
    match spec.kind {
        FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode | FieldKind::LongText => {
            let raw = sent.unwrap_or("");
            // Long text keeps its layout; one-line answers lose stray spaces at the ends.
            let value = if raw.trim().is_empty() {
                ""
            } else if spec.kind == FieldKind::LongText {
                raw
            } else {
                raw.trim()
            };
            let length = value.chars().count();
            let problem = if value.is_empty() {
                required.then(|| t.required.to_owned())
            } else if length > spec.max_length {
                Some((t.too_long)(length, spec.max_length))
            } else if spec.kind == FieldKind::Email && !looks_like_email(value) {
                Some(t.bad_email.to_owned())
            } else if spec.kind == FieldKind::PostalCode && !looks_like_postal_code(value) {
                Some(t.bad_postal_code.to_owned())
            } else {
                None
            };
            (FieldValue::Text(value.to_owned()), problem)
        }
        FieldKind::SingleChoice => match sent.filter(|v| !v.is_empty()) {
            None => (
                FieldValue::Choice(String::new()),
                required.then(|| t.choose_one.to_owned()),
            ),
            Some(v) if spec.options.iter().any(|o| o.value == v) => {
                (FieldValue::Choice(v.to_owned()), None)
            }
            Some(_) => (
                FieldValue::Choice(String::new()),
                Some(t.not_an_option.to_owned()),
            ),
        },
        FieldKind::MultiChoice => {
            let mut picked: Vec<&str> = input.expose_values(&spec.name).collect();
            picked.retain(|v| !v.is_empty());
            let chosen: Vec<String> = spec
                .options
                .iter()
                .filter(|o| picked.contains(&o.value.as_str()))
                .map(|o| o.value.clone())
                .collect();
            let problem = if picked
                .iter()
                .any(|v| !spec.options.iter().any(|o| o.value == *v))
            {
                Some(t.not_an_option.to_owned())
            } else if required && chosen.is_empty() {
                Some(t.choose_at_least_one.to_owned())
            } else {
                None
            };
            (FieldValue::Choices(chosen), problem)
        }
        FieldKind::Consent => match sent {
            None => (
                FieldValue::Consent(false),
                required.then(|| t.must_tick.to_owned()),
            ),
            Some("on") => (FieldValue::Consent(true), None),
            Some(_) => (FieldValue::Consent(false), Some(t.bad_checkbox.to_owned())),
        },
    }
}

/// One `@` with something on each side and no spaces: enough to catch a name typed in the
/// wrong box, without refusing addresses that are unusual but real.
fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// Letters, digits, spaces and hyphens: postal codes of every country, and nothing else.
fn looks_like_postal_code(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> Campaign {
        Campaign::builtin()
    }

    fn day() -> Day {
        "2026-11-28".parse().unwrap()
    }

    fn body(pairs: &[(&str, &str)]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        s.finish()
    }

    fn parse(pairs: &[(&str, &str)]) -> FormInput {
        FormInput::parse(body(pairs).as_bytes(), &campaign()).unwrap()
    }

    fn bad_form(body: &[u8]) -> String {
        match FormInput::parse(body, &campaign()) {
            Err(Error::BadForm(reason)) => reason,
            other => panic!("expected BadForm, got {other:?}"),
        }
    }

    fn errors(input: &FormInput) -> Vec<(String, String)> {
        match validate(input, &campaign(), day()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    fn error_fields(input: &FormInput) -> Vec<String> {
        errors(input).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn parses_what_a_browser_sends() {
        let input = FormInput::parse(
            b"sign_as=individual&name=Mai+Tran&actions=talk_to_media&actions=donate&harm=line+1%0D%0Aline+2\
              &consent_public=on&token=abc&website=",
            &campaign(),
        )
        .unwrap();
        assert_eq!(input.expose_value("name"), Some("Mai Tran"));
        assert_eq!(input.expose_value("harm"), Some("line 1\nline 2"));
        let breaks = parse(&[("comment", "a\r\nb\rc\n\r\nd\r")]);
        assert_eq!(breaks.expose_value("comment"), Some("a\nb\nc\n\nd\n"));
        // Only long text is rewritten.
        assert_eq!(
            parse(&[("name", "a\r\nb")]).expose_value("name"),
            Some("a\r\nb")
        );
        assert_eq!(
            input.expose_values("actions").collect::<Vec<_>>(),
            ["talk_to_media", "donate"]
        );
        assert_eq!(input.token(), Some("abc"));
        assert!(!input.honeypot_filled());
        assert_eq!(input.expose_value("email"), None);
        assert_eq!(format!("{input:?}"), "FormInput(..redacted..)");

        let utf8 = parse(&[("name", "阮氏梅 🌸 &=+%")]);
        assert_eq!(utf8.expose_value("name"), Some("阮氏梅 🌸 &=+%"));
        assert!(parse(&[("website", "http://spam")]).honeypot_filled());
        assert_eq!(FormInput::parse(b"", &campaign()).unwrap().token(), None);
    }

    #[test]
    fn refuses_invalid_utf8_nul_and_bad_escapes() {
        let reason = bad_form(b"name=%FF%FE&sign_as=individual");
        assert!(reason.contains("UTF-8"), "{reason}");
        let reason = bad_form(b"name=\xC3\x28");
        assert!(reason.contains("UTF-8"), "{reason}");
        let reason = bad_form(b"comment=a%00b");
        assert!(reason.contains("NUL"), "{reason}");
        let reason = bad_form(b"comment=50%25+or+50%");
        assert!(reason.contains("damaged"), "{reason}");
        let reason = bad_form(b"comment=%zz");
        assert!(reason.contains("damaged"), "{reason}");
    }

    #[test]
    fn refuses_duplicates_except_for_multi_choice() {
        let reason = bad_form(b"name=a&name=b");
        assert!(reason.contains("\u{201c}name\u{201d} twice"), "{reason}");
        let reason = bad_form(b"token=a&token=b");
        assert!(reason.contains("token"), "{reason}");
        let reason = bad_form(b"consent_public=on&consent_public=on");
        assert!(reason.contains("consent_public"), "{reason}");
        let reason = bad_form(b"sign_as=individual&sign_as=organization");
        assert!(reason.contains("sign_as"), "{reason}");
        assert!(FormInput::parse(b"actions=donate&actions=donate", &campaign()).is_ok());
    }

    #[test]
    fn refuses_unknown_fields_without_quoting_text() {
        let reason = bad_form(b"name=a&password=b");
        assert!(reason.contains("\u{201c}password\u{201d}"), "{reason}");
        let reason = bad_form("my+secret+story=x".as_bytes());
        assert!(!reason.contains("secret"), "{reason}");
        let reason = bad_form(b"%3Cb%3E=x");
        assert!(!reason.contains("<b>"), "{reason}");
    }

    #[test]
    fn bad_form_messages_never_contain_values() {
        for body in [
            &b"name=SECRETVALUE&name=SECRETVALUE"[..],
            b"harm=SECRETVALUE%00",
            b"harm=SECRETVALUE%FF",
            b"harm=SECRETVALUE%G1",
        ] {
            assert!(!bad_form(body).contains("SECRETVALUE"));
        }
    }

    #[test]
    fn a_complete_answer_becomes_a_submission_in_field_order() {
        let input = parse(&[
            ("consent_public", "on"),
            ("name", "  Mai  "),
            ("sign_as", "individual"),
            ("actions", "donate"),
            ("actions", "share_social_media"),
            ("harm", "  first line\nsecond  "),
            ("email", "mai@example.org"),
            ("postal_code", "M5V 2T6"),
        ]);
        let submission = validate(&input, &campaign(), day()).unwrap();
        assert_eq!(submission.campaign(), "open-letter");
        assert_eq!(submission.language(), "en");
        assert_eq!(submission.received(), day());
        let names: Vec<&str> = submission
            .expose_fields()
            .iter()
            .map(|f| f.name())
            .collect();
        let c = campaign();
        let expected: Vec<&str> = c.fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, expected);
        let value = |name| submission.expose_field(name).unwrap();
        assert_eq!(value("name"), &FieldValue::Text("Mai".into()));
        assert_eq!(value("organization_name"), &FieldValue::Text(String::new()));
        assert_eq!(
            value("organization_type"),
            &FieldValue::Choice(String::new())
        );
        assert_eq!(
            value("actions"),
            &FieldValue::Choices(vec!["share_social_media".into(), "donate".into()])
        );
        assert_eq!(
            value("harm"),
            &FieldValue::Text("  first line\nsecond  ".into())
        );
        assert_eq!(value("comment"), &FieldValue::Text(String::new()));
        assert_eq!(value("consent_public"), &FieldValue::Consent(true));
        assert_eq!(value("consent_contact"), &FieldValue::Consent(false));
    }

    #[test]
    fn required_and_required_when() {
        assert_eq!(error_fields(&FormInput::blank()), ["sign_as", "name"]);
        let individual = parse(&[("sign_as", "individual"), ("name", "Mai")]);
        assert!(error_fields(&individual).is_empty());
        let organization = parse(&[("sign_as", "organization"), ("name", "Mai")]);
        assert_eq!(error_fields(&organization), ["organization_name"]);
        let blank_org = parse(&[
            ("sign_as", "organization"),
            ("name", "Mai"),
            ("organization_name", "   "),
        ]);
        let errs = errors(&blank_org);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].1.contains("answer"), "{errs:?}");
        let with_org = parse(&[
            ("sign_as", "organization"),
            ("name", "Mai"),
            ("organization_name", "Butterfly"),
        ]);
        assert!(error_fields(&with_org).is_empty());
    }

    #[test]
    fn choices_must_be_options() {
        let input = parse(&[
            ("sign_as", "robot"),
            ("name", "Mai"),
            ("organization_type", "cartel"),
            ("actions", "donate"),
            ("actions", "riot"),
        ]);
        assert_eq!(
            error_fields(&input),
            ["sign_as", "organization_type", "actions"]
        );
        let messages = errors(&input);
        assert!(
            messages
                .iter()
                .all(|(_, m)| !m.contains("robot") && !m.contains("cartel") && !m.contains("riot"))
        );
    }

    #[test]
    fn email_postal_code_and_consent_shapes() {
        let base = [("sign_as", "individual"), ("name", "Mai")];
        let check = |extra: (&str, &str)| {
            let mut pairs = base.to_vec();
            pairs.push(extra);
            error_fields(&parse(&pairs))
        };
        for good in [
            "a@b",
            "mai.tran+letters@example.org",
            "用户@例子.中国",
            " a@b.ca ",
        ] {
            assert!(check(("email", good)).is_empty(), "{good}");
        }
        for bad in [
            "mai",
            "@example.org",
            "mai@",
            "mai tran@example.org",
            "a@b@c",
        ] {
            assert_eq!(check(("email", bad)), ["email"], "{bad}");
        }
        for good in ["M5V 2T6", "10001", "75008", "1010-12", "SW1A 1AA"] {
            assert!(check(("postal_code", good)).is_empty(), "{good}");
        }
        for bad in ["M5V;2T6", "<b>", "12345678901234567"] {
            assert_eq!(check(("postal_code", bad)), ["postal_code"], "{bad}");
        }
        assert!(check(("consent_contact", "on")).is_empty());
        assert_eq!(check(("consent_contact", "yes")), ["consent_contact"]);
    }

    #[test]
    fn over_long_text_is_reported_and_kept() {
        let long = "ẞ".repeat(20_512);
        let input = parse(&[("sign_as", "individual"), ("name", "Mai"), ("harm", &long)]);
        let errs = errors(&input);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, "harm");
        assert_eq!(
            errs[0].1,
            "This answer is 20,512 characters; the limit is 20,000. Please shorten it \u{2014} your text is kept below."
        );
        // The answer is still there for the form to show again.
        assert_eq!(input.expose_value("harm"), Some(long.as_str()));

        // Exactly at the limit is fine, counted in characters, not bytes.
        let at_limit = "ẞ".repeat(20_000);
        let input = parse(&[
            ("sign_as", "individual"),
            ("name", "Mai"),
            ("harm", &at_limit),
        ]);
        assert!(error_fields(&input).is_empty());
        // CRLF line breaks count once.
        let crlf = "a\r\n".repeat(10_000);
        let input = parse(&[("sign_as", "individual"), ("name", "Mai"), ("harm", &crlf)]);
        assert!(error_fields(&input).is_empty());
    }
}
