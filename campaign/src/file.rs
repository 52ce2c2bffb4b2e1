//! The campaign file: TOML parsed into spanned raw values, then every rule checked, so that a
//! mistake is reported with its line and a reason that says how to fix it.

use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use std::collections::BTreeMap;

use super::{
    AUTOCOMPLETE_TOKENS, Asked, Campaign, ChoiceOption, Condition, DEFAULT_LEAVE_QUICKLY_URL,
    FieldKind, FieldSpec, FieldTranslation, HONEYPOT_FIELD, INTENT_FIELD, MAX_LENGTH_LIMIT,
    Organizers, SupportResource, TOKEN_FIELD, Translation, letter, version_of,
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
    form_title: Option<Spanned<String>>,
    testimony: Option<Spanned<String>>,
    #[serde(default)]
    closed: bool,
    leave_quickly_url: Option<Spanned<String>>,
    letter: Spanned<String>,
    #[serde(default)]
    public_fields: Vec<Spanned<String>>,
    public_consent: Option<Spanned<String>>,
    organizers: Option<Spanned<Organizers>>,
    #[serde(default)]
    support: Vec<Spanned<SupportResource>>,
    #[serde(default)]
    translations: BTreeMap<String, Spanned<RawTranslation>>,
    fields: Spanned<Vec<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranslation {
    title: Option<String>,
    form_title: Option<String>,
    letter: Option<Spanned<String>>,
    #[serde(default)]
    fields: BTreeMap<String, FieldTranslation>,
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
    asked: Option<Spanned<Asked>>,
    autocomplete: Option<Spanned<String>>,
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
        if !is_language_tag(language) {
            return Err((
                self.language.span(),
                format!(
                    "the language \"{language}\" is not a language tag such as \"en\" or \"zh-Hant\""
                ),
            ));
        }
        let letter_html = render_letter(&self.letter, text)?;
        let form_title = match self.form_title {
            Some(title) if title.get_ref().trim().is_empty() => {
                return Err((
                    title.span(),
                    "form_title is empty: remove it or fill it in".into(),
                ));
            }
            title => title.map(Spanned::into_inner),
        };
        let leave_quickly_url = match self.leave_quickly_url {
            None => DEFAULT_LEAVE_QUICKLY_URL.to_owned(),
            Some(url) => {
                let (span, url) = (url.span(), url.into_inner());
                if !is_plain_https_url(&url) {
                    return Err((
                        span,
                        format!(
                            "leave_quickly_url \"{url}\" must be an https:// address of an \
                             ordinary website, without spaces or quotes"
                        ),
                    ));
                }
                url
            }
        };
        let organizers = match self.organizers {
            None => Organizers::default(),
            Some(organizers) => {
                let (span, organizers) = (organizers.span(), organizers.into_inner());
                let blank_name = organizers.names.iter().any(|n| n.trim().is_empty());
                let blank_contact = organizers
                    .contact
                    .as_ref()
                    .is_some_and(|c| c.trim().is_empty());
                if blank_name || blank_contact {
                    return Err((
                        span,
                        "[organizers] has an empty name or contact: fill it in or remove it".into(),
                    ));
                }
                organizers
            }
        };
        let mut support = Vec::with_capacity(self.support.len());
        for resource in self.support {
            let (span, resource) = (resource.span(), resource.into_inner());
            let blank_languages = resource
                .languages
                .as_ref()
                .is_some_and(|l| l.trim().is_empty());
            if resource.name.trim().is_empty()
                || resource.reach.trim().is_empty()
                || blank_languages
            {
                return Err((
                    span,
                    "a [[support]] entry needs a name and how to reach it (reach), and no empty values"
                        .into(),
                ));
            }
            support.push(resource);
        }

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

        let testimony = match self.testimony {
            None => {
                if let Some(field) = fields.iter().find(|f| f.asked != Asked::Everyone) {
                    return Err((
                        fields_span.clone(),
                        format!(
                            "the field \"{}\" sets asked, which needs testimony = \"<a long_text field>\" \
                             (without it, everyone is asked everything)",
                            field.name
                        ),
                    ));
                }
                None
            }
            Some(testimony) => {
                let (span, name) = (testimony.span(), testimony.into_inner());
                let Some(field) = fields.iter_mut().find(|f| f.name == name) else {
                    return Err((
                        span,
                        format!("testimony names \"{name}\", which this form does not have"),
                    ));
                };
                if field.kind != FieldKind::LongText {
                    return Err((
                        span,
                        format!("testimony names \"{name}\", which is not a long_text field"),
                    ));
                }
                if field.required || field.required_when.is_some() || field.asked == Asked::Signers
                {
                    return Err((
                        span,
                        format!(
                            "the testimony \"{name}\" is required exactly when a person shares: \
                             remove its required, required_when and asked"
                        ),
                    ));
                }
                field.asked = Asked::Sharers;
                Some(name)
            }
        };
        let translations = self
            .translations
            .into_iter()
            .map(|(language, translation)| check_translation(language, translation, &fields, text))
            .collect::<Result<Vec<_>, _>>()?;

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
            version: version_of(text),
            source_text: text.to_owned(),
            title: self.title.into_inner(),
            language: self.language.into_inner(),
            form_title,
            letter_html,
            fields,
            testimony,
            closed: self.closed,
            leave_quickly_url,
            organizers,
            support,
            translations,
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
        if [TOKEN_FIELD, HONEYPOT_FIELD, INTENT_FIELD].contains(&name.as_str()) {
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
        let autocomplete = match (self.kind, self.autocomplete) {
            (_, None) => None,
            (FieldKind::ShortText, Some(token))
                if AUTOCOMPLETE_TOKENS.contains(&token.get_ref().as_str()) =>
            {
                Some(token.into_inner())
            }
            (FieldKind::ShortText, Some(token)) => {
                return Err((
                    token.span(),
                    format!(
                        "autocomplete \"{}\" is not one of {}",
                        token.get_ref(),
                        AUTOCOMPLETE_TOKENS.join(", ")
                    ),
                ));
            }
            (_, Some(token)) => {
                return Err((
                    token.span(),
                    format!(
                        "only a short_text field takes autocomplete (e-mail and postal code \
                         fields have theirs already, and \"{name}\" is neither)"
                    ),
                ));
            }
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
                asked: self.asked.map(Spanned::into_inner).unwrap_or_default(),
                autocomplete,
            },
            self.required_when,
        ))
    }
}

/// A BCP 47-shaped tag: letters first, then letters, digits and hyphens.
fn is_language_tag(tag: &str) -> bool {
    (1..=35).contains(&tag.len())
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// An `https://` address with a host and nothing that could break out of an attribute.
fn is_plain_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && url.len() <= 200
            && url
                .chars()
                .all(|c| c.is_ascii_graphic() && !"\"'<>\\`".contains(c))
    })
}

/// Checks one `[translations.<tag>]` table against the form it translates.
fn check_translation(
    language: String,
    raw: Spanned<RawTranslation>,
    fields: &[FieldSpec],
    text: &str,
) -> Result<Translation, Problem> {
    let (span, raw) = (raw.span(), raw.into_inner());
    if !is_language_tag(&language) {
        return Err((
            span,
            format!(
                "[translations.{language}]: \"{language}\" is not a language tag such as \"fr\""
            ),
        ));
    }
    for (name, words) in &raw.fields {
        let Some(field) = fields.iter().find(|f| &f.name == name) else {
            return Err((
                span,
                format!(
                    "[translations.{language}] translates the field \"{name}\", which this form does not have"
                ),
            ));
        };
        if let Some(value) = words
            .options
            .keys()
            .find(|v| !field.options.iter().any(|o| &o.value == *v))
        {
            return Err((
                span,
                format!(
                    "[translations.{language}] translates the option \"{value}\" of \"{name}\", which it does not have"
                ),
            ));
        }
        let blank = words
            .label
            .iter()
            .chain(&words.help)
            .chain(words.options.values());
        if blank.into_iter().any(|w| w.trim().is_empty()) {
            return Err((
                span,
                format!(
                    "[translations.{language}] has an empty text for \"{name}\": fill it in or remove it"
                ),
            ));
        }
    }
    let letter_html = match &raw.letter {
        Some(letter) => Some(render_letter(letter, text)?),
        None => None,
    };
    Ok(Translation {
        language,
        title: raw.title.filter(|t| !t.trim().is_empty()),
        form_title: raw.form_title.filter(|t| !t.trim().is_empty()),
        letter_html,
        fields: raw.fields,
    })
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
