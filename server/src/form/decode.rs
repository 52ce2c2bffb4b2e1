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
            let mut name = decode(raw_name, LineBreaks::AsSent)?;
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
            // Browsers send a textarea's line breaks as CRLF; keep one kind of line break.
            let line_breaks = match kind {
                Some(FieldKind::LongText) => LineBreaks::CrlfToLf,
                _ => LineBreaks::AsSent,
            };
            let mut value = decode(raw_value, line_breaks)?;
            let repeatable = kind == Some(FieldKind::MultiChoice);
            if !repeatable && input.get(&name).is_some() {
                value.zeroize();
                return Err(FormProblem::DuplicateField(name));
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

/// What [`decode`] does with the line breaks of a value.
#[derive(Clone, Copy)]
enum LineBreaks {
    /// Leaves them as sent.
    AsSent,
    /// Turns each CRLF into LF. A lone CR is left for validation to refuse: it is a control
    /// character.
    CrlfToLf,
}

/// Marks a byte that is not a hex digit in [`HEX_DIGITS`].
const NOT_HEX: u8 = 0xFF;

/// The value of every byte as a hex digit, [`NOT_HEX`] if it is none. A table, because an
/// account in a non-Latin script is two thirds `%XX` escapes.
static HEX_DIGITS: [u8; 256] = {
    let mut digits = [NOT_HEX; 256];
    let mut i = 0;
    while i < 16 {
        digits[b"0123456789abcdef"[i] as usize] = i as u8;
        digits[b"0123456789ABCDEF"[i] as usize] = i as u8;
        i += 1;
    }
    digits
};

/// Decodes one name or value: `+` is a space, `%XX` a byte, the rest is taken as is; the
/// result must be UTF-8 without NUL. Buffers that held the bytes are wiped on every path.
fn decode(raw: &[u8], line_breaks: LineBreaks) -> Result<String, FormProblem> {
    let crlf_to_lf = matches!(line_breaks, LineBreaks::CrlfToLf);
    // Decoding only shrinks, so this never reallocates and leaves no copy behind.
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((&byte, after)) = rest.split_first() {
        rest = after;
        let decoded = match byte {
            b'+' => b' ',
            b'%' => {
                let (high, low) = match rest {
                    [high, low, ..] => (HEX_DIGITS[*high as usize], HEX_DIGITS[*low as usize]),
                    _ => (NOT_HEX, NOT_HEX),
                };
                if high == NOT_HEX || low == NOT_HEX {
                    bytes.zeroize();
                    return Err(FormProblem::BadEscape);
                }
                rest = &rest[2..];
                (high << 4) | low
            }
            byte => byte,
        };
        // CR and LF are never part of a longer UTF-8 sequence, so a CRLF is one on bytes as
        // on text: its CR, just pushed, becomes the LF.
        match bytes.last_mut() {
            Some(last) if crlf_to_lf && decoded == b'\n' && *last == b'\r' => *last = b'\n',
            _ => bytes.push(decoded),
        }
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

/// An unknown field's name, if it looks like a field name; anything else might be someone's
/// text that a broken client put in the wrong place, so it is not repeated.
fn shown_name(name: &str) -> Option<&str> {
    let plain = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    plain.then_some(name)
}
