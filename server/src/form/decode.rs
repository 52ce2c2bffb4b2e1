//! Form bytes → [`FormInput`]: a strict decode of the body, wiping every buffer that held
//! what a person typed.
//!
//! The body is decoded here rather than by `form_urlencoded::parse`, which decodes invalid
//! UTF-8 lossily (so it cannot be refused) and leaves its decoded copies in freed memory.

use std::fmt;

use zeroize::Zeroize;

use crate::campaign::{Campaign, FieldKind, HONEYPOT_FIELD, INTENT_FIELD, TOKEN_FIELD};

/// What the person typed, by field name, in the order the body sent it. Plaintext: not
/// `Clone`, prints as `FormInput(..redacted..)`, wiped on drop.
pub struct FormInput {
    values: Vec<(String, String)>,
}

impl FormInput {
    /// A form nobody has filled in yet.
    pub fn blank() -> FormInput {
        FormInput { values: Vec::new() }
    }

    /// Strict parse of an application/x-www-form-urlencoded body: bad escapes, invalid UTF-8,
    /// NUL bytes, a single-value field sent twice and unknown fields are a [`FormProblem`].
    /// Over-long values are not: they are kept and reported by [`super::validate`], so no
    /// text is lost.
    pub fn parse(body: &[u8], campaign: &Campaign) -> Result<FormInput, FormProblem> {
        let mut input = FormInput::blank();
        for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (raw_name, raw_value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let mut name = decode(raw_name)?;
            let kind = match campaign.field(&name) {
                Some(spec) => Some(spec.kind),
                None if name == TOKEN_FIELD || name == HONEYPOT_FIELD => None,
                None if name == INTENT_FIELD && campaign.testimony().is_some() => {
                    Some(FieldKind::SingleChoice)
                }
                None => {
                    let problem = FormProblem::UnknownField(shown_name(&name).map(str::to_owned));
                    name.zeroize();
                    return Err(problem);
                }
            };
            let mut value = decode(raw_value)?;
            let repeatable = kind == Some(FieldKind::MultiChoice);
            if !repeatable && input.get(&name).is_some() {
                value.zeroize();
                return Err(FormProblem::DuplicateField(name));
            }
            if kind == Some(FieldKind::LongText) && value.contains("\r\n") {
                // Browsers send a textarea's line breaks as CRLF; keep one kind of line break.
                // A lone CR is left for validation to refuse: it is a control character.
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

/// Why a body is not a form this campaign's page sends (→ 400). Never carries what a person
/// typed: a field name only when it is the campaign's own or looks like one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    /// A `%` escape is broken.
    BadEscape,
    /// The text is not UTF-8.
    NotUtf8,
    /// The text has a NUL byte.
    Nul,
    /// A single-value field (one of the campaign's, or the token or trap) came twice.
    DuplicateField(String),
    /// A field the form does not have came; its name when it is safe to repeat.
    UnknownField(Option<String>),
}

/// Decodes one name or value: `+` is a space, `%XX` a byte, the rest is taken as is; the
/// result must be UTF-8 without NUL. Buffers that held the bytes are wiped on every path.
fn decode(raw: &[u8]) -> Result<String, FormProblem> {
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
                        return Err(FormProblem::BadEscape);
                    }
                }
            }
            byte => bytes.push(byte),
        }
        i += 1;
    }
    if bytes.contains(&0) {
        bytes.zeroize();
        return Err(FormProblem::Nul);
    }
    String::from_utf8(bytes).map_err(|e| {
        e.into_bytes().zeroize();
        FormProblem::NotUtf8
    })
}

/// `text` with CRLF line breaks as LF, built in one buffer that never reallocates (so no
/// partial copy is left in freed memory).
fn lf_line_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.next_if_eq(&'\n').is_some() {
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
