//! The campaign file: TOML parsed into spanned raw values, then every rule checked, so that a
//! mistake is reported with its line and a reason that says how to fix it.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Campaign, ChoiceOption, Condition, FieldKind, FieldSpec, HONEYPOT_FIELD, MAX_LENGTH_LIMIT,
    TOKEN_FIELD, letter,
};
use crate::Error;

/// Checks the campaign in `text`; `source` names it in errors (usually its path).
pub(super) fn parse(source: &str, text: &str) -> Result<Campaign, Error> {
    let fail = |span: Range<usize>, reason: String| Error::Campaign {
        path: PathBuf::from(source),
        line: line_of(text, span.start),
        reason,
    };
    let raw: RawCampaign = toml::from_str(text)
        .map_err(|e| fail(e.span().unwrap_or(0..0), e.message().trim_end().to_owned()))?;
    raw.check(text).map_err(|(span, reason)| fail(span, reason))
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The byte offset where 1-based `line` of `text` starts.
fn start_of_line(text: &str, line: usize) -> usize {
    match line.checked_sub(2) {
        None => 0,
        Some(newlines) => text
            .match_indices('\n')
            .nth(newlines)
            .map_or(text.len(), |(i, _)| i + 1),
    }
}

/// A problem found after parsing: where (a byte range of the file) and what.
type Problem = (Range<usize>, String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    id: Spanned<String>,
    title: Spanned<String>,
    language: Spanned<String>,
    letter: Spanned<String>,
    #[serde(default)]
    public_fields: Vec<Spanned<String>>,
    public_consent: Option<Spanned<String>>,
    fields: Spanned<Vec<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: Spanned<String>,
    kind: FieldKind,
    label: Spanned<String>,
    help: Option<String>,
    #[serde(default)]
    required: bool,
    required_when: Option<Spanned<Condition>>,
    options: Option<Spanned<Vec<ChoiceOption>>>,
    max_length: Option<Spanned<usize>>,
}

impl RawCampaign {
    fn check(self, text: &str) -> Result<Campaign, Problem> {
        let id = self.id.get_ref();
        let id_ok = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-');
        if !id_ok {
            return Err((
                self.id.span(),
                format!(
                    "the id \"{id}\" must be 1 to 64 lowercase letters, digits or hyphens, \
                     not starting with a hyphen (it names the campaign in every record)"
                ),
            ));
        }
        if self.title.get_ref().trim().is_empty() {
            return Err((self.title.span(), "the title is empty".into()));
        }
        let language = self.language.get_ref();
        let language_ok = (1..=35).contains(&language.len())
            && language.starts_with(|c: char| c.is_ascii_alphabetic())
            && language
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !language_ok {
            return Err((
                self.language.span(),
                format!(
                    "the language \"{language}\" is not a language tag such as \"en\" or \"zh-Hant\""
                ),
            ));
        }
        let letter_html = render_letter(&self.letter, text)?;

        let fields_span = self.fields.span();
        let raw_fields = self.fields.into_inner();
        if raw_fields.is_empty() {
            return Err((
                fields_span,
                "the form has no fields: add [[fields]] tables".into(),
            ));
        }
        let mut fields: Vec<FieldSpec> = Vec::with_capacity(raw_fields.len());
        let mut conditions = Vec::new();
        for raw in raw_fields {
            let name_span = raw.name.span();
            let (field, condition) = raw.check()?;
            if fields.iter().any(|f| f.name == field.name) {
                return Err((
                    name_span,
                    format!(
                        "there are two fields called \"{}\": give each a different name",
                        field.name
                    ),
                ));
            }
            if let Some(condition) = condition {
                conditions.push((fields.len(), condition));
            }
            fields.push(field);
        }
        for (index, condition) in conditions {
            let (span, condition) = (condition.span(), condition.into_inner());
            let Some(target) = fields.iter().find(|f| f.name == condition.field) else {
                return Err((
                    span,
                    format!(
                        "required_when names the field \"{}\", which this form does not have",
                        condition.field
                    ),
                ));
            };
            if target.name == fields[index].name {
                return Err((span, "a field cannot be required_when itself".into()));
            }
            if target.kind != FieldKind::SingleChoice {
                return Err((
                    span,
                    format!(
                        "required_when can only depend on a single_choice field, and \"{}\" is not one",
                        target.name
                    ),
                ));
            }
            if !target.options.iter().any(|o| o.value == condition.equals) {
                return Err((
                    span,
                    format!(
                        "required_when: \"{}\" is not one of the option values of \"{}\"",
                        condition.equals, target.name
                    ),
                ));
            }
            fields[index].required_when = Some(condition);
        }

        let mut public_fields: Vec<String> = Vec::with_capacity(self.public_fields.len());
        for entry in &self.public_fields {
            let name = entry.get_ref();
            match fields.iter().find(|f| &f.name == name) {
                None => {
                    return Err((
                        entry.span(),
                        format!("public_fields names \"{name}\", which this form does not have"),
                    ));
                }
                Some(f) if f.kind == FieldKind::Consent => {
                    return Err((
                        entry.span(),
                        format!(
                            "public_fields names \"{name}\", a consent box: list answers, not consents"
                        ),
                    ));
                }
                Some(_) if public_fields.contains(name) => {
                    return Err((
                        entry.span(),
                        format!("public_fields names \"{name}\" twice"),
                    ));
                }
                Some(_) => public_fields.push(name.clone()),
            }
        }
        let public_consent = match (self.public_consent, public_fields.is_empty()) {
            (None, true) => None,
            (None, false) => {
                return Err((
                    self.public_fields[0].span(),
                    "public_fields needs public_consent = \"<a consent field>\": \
                     nothing is public unless the person agreed"
                        .into(),
                ));
            }
            (Some(consent), true) => {
                return Err((
                    consent.span(),
                    "public_consent is set but public_fields is empty: list the fields it makes public"
                        .into(),
                ));
            }
            (Some(consent), false) => {
                let name = consent.get_ref();
                match fields.iter().find(|f| &f.name == name) {
                    Some(f) if f.kind == FieldKind::Consent => Some(name.clone()),
                    Some(_) => {
                        return Err((
                            consent.span(),
                            format!(
                                "public_consent names \"{name}\", which is not a consent field"
                            ),
                        ));
                    }
                    None => {
                        return Err((
                            consent.span(),
                            format!(
                                "public_consent names \"{name}\", which this form does not have"
                            ),
                        ));
                    }
                }
            }
        };

        Ok(Campaign {
            id: self.id.into_inner(),
            title: self.title.into_inner(),
            language: self.language.into_inner(),
            letter_html,
            fields,
            public_fields,
            public_consent,
        })
    }
}

impl RawField {
    /// Checks what one field can check alone; `required_when` is checked against the others
    /// by the caller.
    fn check(self) -> Result<(FieldSpec, Option<Spanned<Condition>>), Problem> {
        let name_span = self.name.span();
        let name = self.name.into_inner();
        let name_ok = (1..=64).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err((
                name_span,
                format!(
                    "the field name \"{name}\" must be 1 to 64 lowercase letters, digits or _, \
                     starting with a letter"
                ),
            ));
        }
        if name == TOKEN_FIELD || name == HONEYPOT_FIELD {
            return Err((
                name_span,
                format!("the field name \"{name}\" is reserved by sealform: choose another"),
            ));
        }
        if self.label.get_ref().trim().is_empty() {
            return Err((
                self.label.span(),
                format!("the field \"{name}\" has an empty label"),
            ));
        }
        if self.required && self.required_when.is_some() {
            return Err((
                name_span,
                format!(
                    "the field \"{name}\" has both required = true and required_when: keep one"
                ),
            ));
        }

        let options = match (self.kind.is_choice(), self.options) {
            (true, None) => {
                return Err((
                    name_span,
                    format!(
                        "the choice field \"{name}\" has no options: add options = [{{ value = \"…\", label = \"…\" }}]"
                    ),
                ));
            }
            (false, Some(options)) => {
                return Err((
                    options.span(),
                    format!("the field \"{name}\" is not a choice, so it cannot have options"),
                ));
            }
            (false, None) => Vec::new(),
            (true, Some(options)) => {
                let span = options.span();
                let options = options.into_inner();
                check_options(&name, &options).map_err(|reason| (span, reason))?;
                options
            }
        };

        let max_length = match (self.kind.is_text(), self.max_length) {
            (true, None) => self.kind.default_max_length(),
            (true, Some(max)) => {
                let (span, max) = (max.span(), max.into_inner());
                if max == 0 || max > MAX_LENGTH_LIMIT {
                    return Err((
                        span,
                        format!(
                            "max_length of \"{name}\" is {max}; it must be between 1 and {MAX_LENGTH_LIMIT}"
                        ),
                    ));
                }
                max
            }
            (false, Some(max)) => {
                return Err((
                    max.span(),
                    format!(
                        "the field \"{name}\" is not a text field, so it cannot have max_length"
                    ),
                ));
            }
            (false, None) => 0,
        };

        Ok((
            FieldSpec {
                name,
                kind: self.kind,
                label: self.label.into_inner(),
                help: self.help.filter(|h| !h.trim().is_empty()),
                required: self.required,
                required_when: None,
                options,
                max_length,
            },
            self.required_when,
        ))
    }
}

fn check_options(name: &str, options: &[ChoiceOption]) -> Result<(), String> {
    if options.is_empty() {
        return Err(format!(
            "the choice field \"{name}\" has an empty options list"
        ));
    }
    for (i, option) in options.iter().enumerate() {
        let value = &option.value;
        if value.is_empty()
            || value.len() > 200
            || value.trim() != value
            || value.chars().any(char::is_control)
        {
            return Err(format!(
                "option {} of \"{name}\" has the value \"{value}\": a value must be 1 to 200 \
                 bytes, without control characters or spaces at either end",
                i + 1
            ));
        }
        if option.label.trim().is_empty() {
            return Err(format!("option {} of \"{name}\" has an empty label", i + 1));
        }
        if options[..i].iter().any(|o| &o.value == value) {
            return Err(format!(
                "two options of \"{name}\" have the value \"{value}\": values must differ"
            ));
        }
    }
    Ok(())
}

/// Renders the letter's Markdown ([`letter::render`]), placing a problem on its line of the
/// file.
fn render_letter(letter: &Spanned<String>, text: &str) -> Result<String, Problem> {
    let markdown = letter.get_ref();
    if markdown.trim().is_empty() {
        return Err((letter.span(), "the letter is empty".into()));
    }
    letter::render(markdown).map_err(|problem| {
        // The letter's first line plus the lines before the problem inside the letter (exact
        // for the usual `letter = '''` + newline layout, where TOML drops the newline after
        // the opening quotes).
        let span = letter.span();
        let raw = &text[span.start..span.end.min(text.len())];
        let dropped_newline = ["\"\"\"\n", "'''\n", "\"\"\"\r\n", "'''\r\n"]
            .iter()
            .any(|opening| raw.starts_with(opening));
        let lines_before = markdown.as_bytes()[..problem.offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let line = line_of(text, span.start) + lines_before + usize::from(dropped_newline);
        let start = start_of_line(text, line);
        (start..start, problem.reason)
    })
}
