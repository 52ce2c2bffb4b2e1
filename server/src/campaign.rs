//! A campaign: the letter people sign and the form they fill in, read from one TOML file.
//!
//! Any group can run its own sign-on letter by writing such a file; `campaigns/open-letter.toml`
//! is the built-in one and doubles as the documented example. A file is checked completely when
//! it is loaded — TOML syntax, then every rule below — and a bad one is refused with the line
//! and the reason, so a mistake shows at start-up and never on the hot path.
//!
//! ```toml
//! id = "open-letter"                      # names the campaign in every sealed record
//! title = "…"                             # the page's title and heading
//! language = "en"                         # BCP 47 tag: the page's `lang` and the records' `lang`
//! public_fields = ["name"]                # may be listed publicly, but only …
//! public_consent = "consent_public"       # … when this consent box was ticked
//! letter = """
//! The letter, in Markdown. Raw HTML is shown as text; images are refused.
//! """
//!
//! [[fields]]                              # one table per question, in the form's order
//! name = "sign_as"                        # lowercase letters, digits and _; the element id is field-<name>
//! kind = "single_choice"                  # single_choice, multi_choice, short_text, email,
//!                                         # postal_code, long_text or consent
//! label = "Sign as"
//! help = "…"                              # optional
//! required = true                         # optional, default false
//! required_when = { field = "sign_as", equals = "organization" }   # optional
//! options = [{ value = "individual", label = "Individual" }]      # choice kinds only
//! max_length = 200                        # text kinds only; defaults per kind
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde::Deserialize;
use toml::Spanned;

use crate::Error;
use crate::form::{HONEYPOT_FIELD, TOKEN_FIELD};

/// The name the built-in campaign's errors are reported under.
const BUILTIN_SOURCE: &str = "campaigns/open-letter.toml (built in)";
const BUILTIN_TOML: &str = include_str!("../campaigns/open-letter.toml");

/// The largest `max_length` a field may declare, in characters. Longer answers would not fit
/// the request body limit a sane deployment sets, and nobody types more into a web form.
pub const MAX_LENGTH_LIMIT: usize = 100_000;

/// How many bytes one character can take once a browser has percent-encoded it: four UTF-8
/// bytes, each as `%XX`. A line break (counted as one character) is sent as `%0D%0A`, six.
const ENCODED_BYTES_PER_CHAR: usize = 12;

/// A campaign, checked and ready to serve. Holds no submission data.
#[derive(Debug, Clone)]
pub struct Campaign {
    id: String,
    title: String,
    language: String,
    letter_html: String,
    fields: Vec<FieldSpec>,
    public_fields: Vec<String>,
    public_consent: Option<String>,
}

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The form field's name, also its element id `field-<name>` and its name in records.
    pub name: String,
    /// What kind of input it is.
    pub kind: FieldKind,
    /// The question, as the person reads it.
    pub label: String,
    /// An explanation shown under the question.
    pub help: Option<String>,
    /// Whether it must always be answered.
    pub required: bool,
    /// Whether it must be answered when another field has a given value.
    pub required_when: Option<Condition>,
    /// The choices of a single or multi choice; empty for the other kinds.
    pub options: Vec<ChoiceOption>,
    /// For text kinds, the longest answer accepted, in characters; 0 for the other kinds.
    pub max_length: usize,
}

/// The kinds of question a form can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Pick one option (radio buttons).
    SingleChoice,
    /// Pick any number of options (checkboxes).
    MultiChoice,
    /// One line of text.
    ShortText,
    /// An e-mail address.
    Email,
    /// A postal code.
    PostalCode,
    /// Several paragraphs of text.
    LongText,
    /// One checkbox, off unless ticked.
    Consent,
}

/// "Required when the field `field` has the value `equals`".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The name of a single-choice field.
    pub field: String,
    /// One of that field's option values.
    pub equals: String,
}

/// One option of a choice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What the form sends and records keep; stable even when the label is reworded.
    pub value: String,
    /// What the person reads.
    pub label: String,
}

impl FieldKind {
    /// Whether the answer is typed text (as opposed to a choice or a checkbox).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Self::ShortText | Self::Email | Self::PostalCode | Self::LongText
        )
    }

    /// Whether the answer is picked from `options`.
    pub fn is_choice(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultiChoice)
    }

    /// The length limit a text field gets when its file gives none.
    fn default_max_length(self) -> usize {
        match self {
            Self::ShortText => 200,
            Self::Email => 254,
            Self::PostalCode => 16,
            Self::LongText => 20_000,
            Self::SingleChoice | Self::MultiChoice | Self::Consent => 0,
        }
    }
}

static BUILTIN: LazyLock<Campaign> = LazyLock::new(|| {
    Campaign::from_toml(BUILTIN_SOURCE, BUILTIN_TOML)
        .unwrap_or_else(|e| panic!("the built-in campaign is invalid: {e}"))
});

impl Campaign {
    /// The seed open letter, from `campaigns/open-letter.toml`, parsed once.
    pub fn builtin() -> Campaign {
        BUILTIN.clone()
    }

    /// Reads and checks the campaign file at `path`.
    pub fn load(path: &Path) -> Result<Campaign, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::CampaignRead {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        Self::from_toml(&path.display().to_string(), &text)
    }

    /// Checks the campaign in `text`; `source` names it in errors (usually its path).
    pub fn from_toml(source: &str, text: &str) -> Result<Campaign, Error> {
        let fail = |span: Range<usize>, reason: String| Error::Campaign {
            path: PathBuf::from(source),
            line: line_of(text, span.start),
            reason,
        };
        let raw: RawCampaign = toml::from_str(text)
            .map_err(|e| fail(e.span().unwrap_or(0..0), e.message().trim_end().to_owned()))?;
        raw.check(text).map_err(|(span, reason)| fail(span, reason))
    }

    /// The campaign's id, written into every record.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The page's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The BCP 47 language tag of the letter and form, e.g. `en`.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The letter as HTML, rendered once at load from the campaign's Markdown; any raw HTML in
    /// the Markdown was escaped, so it is safe to insert as is.
    pub fn letter_html(&self) -> &str {
        &self.letter_html
    }

    /// The form's questions, in order.
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    /// The question called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields that may be published (e.g. a signatory list) when the person ticked
    /// [`Campaign::public_consent`].
    pub fn public_fields(&self) -> &[String] {
        &self.public_fields
    }

    /// The consent field that makes [`Campaign::public_fields`] publishable; `None` when the
    /// campaign publishes nothing.
    pub fn public_consent(&self) -> Option<&str> {
        self.public_consent.as_deref()
    }

    /// The largest form body a browser can send for this campaign while keeping to every
    /// `max_length`. A request body limit at least this big never refuses a valid answer.
    pub fn max_form_bytes(&self) -> usize {
        let overhead = |name: &str| name.len() + 2; // `name=` and `&`
        let fields: usize = self
            .fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::MultiChoice => f
                    .options
                    .iter()
                    .map(|o| overhead(&f.name) + o.value.len() * 3)
                    .sum(),
                FieldKind::SingleChoice => {
                    let longest = f.options.iter().map(|o| o.value.len()).max();
                    overhead(&f.name) + longest.unwrap_or(0) * 3
                }
                FieldKind::Consent => overhead(&f.name) + 2,
                _ => overhead(&f.name) + f.max_length * ENCODED_BYTES_PER_CHAR,
            })
            .sum();
        // The token (80 hex digits) and a honeypot a person never fills.
        fields + overhead(TOKEN_FIELD) + 80 + overhead(HONEYPOT_FIELD)
    }
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

/// Renders the letter's Markdown. Raw HTML becomes text; images (which would load from another
/// site) and links other than http(s), mailto or relative ones are refused.
fn render_letter(letter: &Spanned<String>, text: &str) -> Result<String, Problem> {
    let markdown = letter.get_ref();
    if markdown.trim().is_empty() {
        return Err((letter.span(), "the letter is empty".into()));
    }
    // Where a problem in the Markdown is, in the file: the letter's first line plus the lines
    // before it inside the letter (exact for the usual `letter = '''` + newline layout, where
    // TOML drops the newline after the opening quotes).
    let at = |offset: usize| {
        let span = letter.span();
        let raw = &text[span.start..span.end.min(text.len())];
        let dropped_newline = ["\"\"\"\n", "'''\n", "\"\"\"\r\n", "'''\r\n"]
            .iter()
            .any(|opening| raw.starts_with(opening));
        let lines_before = markdown.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let line = line_of(text, span.start) + lines_before + usize::from(dropped_newline);
        let start = start_of_line(text, line);
        start..start
    };
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(markdown, Options::empty()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { .. }) => {
                return Err((
                    at(range.start),
                    "the letter has an image; images would load from another site, so sealform \
                     does not show them: remove it"
                        .into(),
                ));
            }
            Event::Start(Tag::Link { dest_url, .. }) if !link_allowed(dest_url) => {
                return Err((
                    at(range.start),
                    format!(
                        "the letter links to \"{dest_url}\"; only https://, http://, mailto: and \
                         relative links are allowed"
                    ),
                ));
            }
            _ => {}
        }
        events.push(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        });
    }
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

fn link_allowed(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        || !lower
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original sign-on form's text, as copied from the web, that the built-in campaign
    /// transcribes.
    const SEED: &str = include_str!("../campaigns/seed/open-letter.txt");

    fn line_and_reason(text: &str) -> (usize, String) {
        match Campaign::from_toml("test.toml", text) {
            Err(Error::Campaign { line, reason, path }) => {
                assert_eq!(path, PathBuf::from("test.toml"));
                (line, reason)
            }
            other => panic!("expected a campaign error, got {other:?}"),
        }
    }

    /// A valid campaign with `extra` appended; the header takes lines 1–6.
    fn with(extra: &str) -> String {
        format!(
            "id = \"t\"\ntitle = \"T\"\nlanguage = \"en\"\nletter = \"\"\"\nDear all.\n\"\"\"\n{extra}"
        )
    }

    const GOOD_FIELDS: &str = "\
[[fields]]
name = \"sign_as\"
kind = \"single_choice\"
label = \"Sign as\"
required = true
options = [{ value = \"individual\", label = \"Individual\" }, { value = \"organization\", label = \"Organization\" }]

[[fields]]
name = \"organization_name\"
kind = \"short_text\"
label = \"Organization\"
required_when = { field = \"sign_as\", equals = \"organization\" }
";

    #[test]
    fn builtin_has_every_seed_question_in_order() {
        let c = Campaign::builtin();
        assert_eq!(c.id(), "open-letter");
        assert_eq!(c.language(), "en");
        let names: Vec<&str> = c.fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "sign_as",
                "organization_name",
                "name",
                "email",
                "postal_code",
                "organization_type",
                "actions",
                "harm",
                "comment",
                "consent_public",
                "consent_contact"
            ]
        );
        // Each question of the seed form, and the field that asks it (reworded only to read
        // well: "Types of organization" → "Type of organization").
        let text_of = |name: &str| {
            let f = c.field(name).unwrap();
            format!("{} {}", f.label, f.help.as_deref().unwrap_or("")).to_lowercase()
        };
        for (name, seed_question, words) in [
            (
                "sign_as",
                "Stop the racist attacks against Asian massage parlours and sex workers",
                "stop the racist attacks against asian massage parlours and sex workers",
            ),
            ("sign_as", "Please select", "please select"),
            (
                "organization_name",
                "Organization Name",
                "organization name",
            ),
            ("name", "Your Name", "your name"),
            ("email", "Email Address", "email address"),
            ("postal_code", "Postal Code", "postal code"),
            (
                "organization_type",
                "Types of organization",
                "type of organization",
            ),
            (
                "actions",
                "Are you interested to take the following action ?",
                "the following action",
            ),
            (
                "harm",
                "Do you know any harm which is caused by anti-trafficking organization ? (Please share)",
                "do you know any harm which is caused by anti-trafficking organization",
            ),
            (
                "harm",
                "Do you know any harm which is caused by anti-trafficking organization ? (Please share)",
                "(please share)",
            ),
            ("comment", "Any comment", "any comment"),
        ] {
            assert!(
                SEED.lines().any(|l| l.trim() == seed_question),
                "{seed_question}"
            );
            assert!(text_of(name).contains(words), "{name}: {}", text_of(name));
        }
        let kinds = |name: &str| c.field(name).unwrap().kind;
        assert_eq!(kinds("sign_as"), FieldKind::SingleChoice);
        assert_eq!(kinds("email"), FieldKind::Email);
        assert_eq!(kinds("postal_code"), FieldKind::PostalCode);
        assert_eq!(kinds("actions"), FieldKind::MultiChoice);
        assert_eq!(kinds("harm"), FieldKind::LongText);
        assert_eq!(kinds("consent_public"), FieldKind::Consent);
        assert_eq!(kinds("consent_contact"), FieldKind::Consent);
        let sign_as = c.field("sign_as").unwrap();
        assert!(sign_as.required);
        let labels: Vec<&str> = sign_as.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, ["Individual", "Organization"]);
        assert_eq!(
            c.field("organization_name").unwrap().required_when,
            Some(Condition {
                field: "sign_as".into(),
                equals: "organization".into()
            })
        );
        assert!(c.field("name").unwrap().required);
        assert!(!c.field("email").unwrap().required);
        let harm_help = c.field("harm").unwrap().help.as_deref().unwrap();
        assert!(harm_help.contains("encrypted") && harm_help.contains("only the organizers"));
        assert!(c.field("organization_type").unwrap().options.len() >= 8);
        assert!(c.field("actions").unwrap().options.len() >= 5);
        assert_eq!(c.public_fields(), ["name", "organization_name"]);
        assert_eq!(c.public_consent(), Some("consent_public"));
        let max = |name: &str| c.field(name).unwrap().max_length;
        assert_eq!(
            (max("name"), max("email"), max("postal_code"), max("harm")),
            (200, 254, 16, 20_000)
        );
    }

    #[test]
    fn builtin_letter_is_the_seed_letter_verbatim() {
        let html = Campaign::builtin().letter_html().to_owned();
        let seed_letter = SEED.split("Sign in to Google").next().unwrap();
        let mut parts = 0;
        // The seed's heading was laid out with runs of "no-break space, space" between its
        // sentences; the letter keeps the sentences.
        for part in seed_letter
            .lines()
            .flat_map(|line| line.split("\u{a0} "))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            assert!(html.contains(part), "the letter lacks: {part}");
            parts += 1;
        }
        // Heading (3 parts), 5 paragraphs, "For more information:" and 2 organizations.
        assert_eq!(parts, 11);
        assert!(
            html.starts_with("<h1>Open letter: “We cannot tolerate it anymore!"),
            "{html}"
        );
        for chrome in ["Google", "Clear selection", "passwords", "Report Abuse"] {
            assert!(!html.contains(chrome), "{chrome}");
        }
    }

    #[test]
    fn a_good_file_loads() {
        let c = Campaign::from_toml("t", &with(GOOD_FIELDS)).unwrap();
        assert_eq!(c.fields().len(), 2);
        assert_eq!(c.fields()[1].max_length, 200);
        assert_eq!(c.letter_html(), "<p>Dear all.</p>\n");
        assert!(c.public_fields().is_empty());
    }

    #[test]
    fn toml_syntax_errors_name_their_line() {
        let (line, reason) = line_and_reason(&with("[[fields]]\nname = \"x\nkind = \"email\"\n"));
        assert_eq!(line, 8, "{reason}");
        let (line, reason) = line_and_reason(&with(&format!(
            "{GOOD_FIELDS}\n[[fields]]\nname = \"x\"\nkind = \"telephone\"\nlabel = \"X\"\n"
        )));
        assert_eq!(line, 22, "{reason}");
        assert!(
            reason.contains("telephone") || reason.contains("variant"),
            "{reason}"
        );
        let (line, reason) = line_and_reason(&with(
            "[[fields]]\nname = \"x\"\nkind = \"email\"\nlable = \"X\"\n",
        ));
        assert_eq!(line, 10, "{reason}");
        assert!(reason.contains("lable"), "{reason}");
        // A missing key: the table that lacks it.
        let (line, reason) = line_and_reason(&with(&format!(
            "{GOOD_FIELDS}\n[[fields]]\nname = \"x\"\nkind = \"email\"\n"
        )));
        assert!(reason.contains("label"), "{reason}");
        assert_eq!(line, 20, "{reason}");
        // A value of the wrong type.
        let (line, reason) = line_and_reason(&with(
            "[[fields]]\nname = \"x\"\nkind = \"email\"\nlabel = \"X\"\nrequired = \"yes\"\n",
        ));
        assert_eq!(line, 11, "{reason}");
        let (line, reason) = line_and_reason(&with(
            "[[fields]]\nname = \"x\"\nkind = \"email\"\nlabel = \"X\"\nmax_length = -5\n",
        ));
        assert_eq!(line, 11, "{reason}");
    }

    #[test]
    fn semantic_errors_name_the_offending_line() {
        let cases: &[(&str, usize, &str)] = &[
            // A duplicate name: the second `name = ` line.
            (
                "[[fields]]\nname = \"a\"\nkind = \"email\"\nlabel = \"A\"\n\n[[fields]]\nname = \"a\"\nkind = \"email\"\nlabel = \"B\"\n",
                13,
                "two fields",
            ),
            (
                "[[fields]]\nname = \"token\"\nkind = \"short_text\"\nlabel = \"T\"\n",
                8,
                "reserved",
            ),
            (
                "[[fields]]\nname = \"website\"\nkind = \"short_text\"\nlabel = \"T\"\n",
                8,
                "reserved",
            ),
            (
                "[[fields]]\nname = \"Bad-Name\"\nkind = \"short_text\"\nlabel = \"T\"\n",
                8,
                "lowercase",
            ),
            (
                "[[fields]]\nname = \"c\"\nkind = \"single_choice\"\nlabel = \"C\"\n",
                8,
                "no options",
            ),
            (
                "[[fields]]\nname = \"c\"\nkind = \"multi_choice\"\nlabel = \"C\"\noptions = []\n",
                11,
                "empty options",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"short_text\"\nlabel = \"T\"\noptions = [{ value = \"a\", label = \"A\" }]\n",
                11,
                "not a choice",
            ),
            (
                "[[fields]]\nname = \"c\"\nkind = \"single_choice\"\nlabel = \"C\"\noptions = [{ value = \"a\", label = \"A\" }, { value = \"a\", label = \"B\" }]\n",
                11,
                "two options",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"long_text\"\nlabel = \"T\"\nmax_length = 0\n",
                11,
                "between 1",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"long_text\"\nlabel = \"T\"\nmax_length = 10000000\n",
                11,
                "between 1",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"consent\"\nlabel = \"T\"\nmax_length = 5\n",
                11,
                "not a text",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"consent\"\nlabel = \" \"\n",
                10,
                "empty label",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"short_text\"\nlabel = \"T\"\nrequired_when = { field = \"nope\", equals = \"x\" }\n",
                11,
                "does not have",
            ),
            (
                "[[fields]]\nname = \"t\"\nkind = \"short_text\"\nlabel = \"T\"\nrequired = true\nrequired_when = { field = \"t\", equals = \"x\" }\n",
                8,
                "keep one",
            ),
            ("fields = []\n", 7, "no fields"),
        ];
        for (extra, want_line, want_reason) in cases {
            let (line, reason) = line_and_reason(&with(extra));
            assert!(reason.contains(want_reason), "{extra}: {reason}");
            assert_eq!(line, *want_line, "{extra}: {reason}");
        }
    }

    #[test]
    fn required_when_must_point_at_an_option_of_a_single_choice() {
        let bad_value = GOOD_FIELDS.replace("equals = \"organization\"", "equals = \"company\"");
        let (line, reason) = line_and_reason(&with(&bad_value));
        assert_eq!(line, 18, "{reason}");
        assert!(reason.contains("company"), "{reason}");

        let on_text = format!(
            "{GOOD_FIELDS}\n[[fields]]\nname = \"x\"\nkind = \"short_text\"\nlabel = \"X\"\nrequired_when = {{ field = \"organization_name\", equals = \"a\" }}\n"
        );
        let (line, reason) = line_and_reason(&with(&on_text));
        assert_eq!(line, 24, "{reason}");
        assert!(reason.contains("single_choice"), "{reason}");
    }

    #[test]
    fn public_fields_must_exist_and_need_a_consent() {
        let header = "id = \"t\"\ntitle = \"T\"\nlanguage = \"en\"\nletter = \"x\"\n";
        let consent = "[[fields]]\nname = \"ok\"\nkind = \"consent\"\nlabel = \"OK\"\n";
        let text = format!(
            "{header}public_fields = [\"sign_as\", \"ghost\"]\npublic_consent = \"ok\"\n{GOOD_FIELDS}{consent}"
        );
        let (line, reason) = line_and_reason(&text);
        assert_eq!(line, 5, "{reason}");
        assert!(reason.contains("ghost"), "{reason}");

        let text = format!("{header}public_fields = [\"sign_as\"]\n{GOOD_FIELDS}");
        let (line, reason) = line_and_reason(&text);
        assert_eq!(line, 5, "{reason}");
        assert!(reason.contains("public_consent"), "{reason}");

        let text = format!(
            "{header}public_fields = [\"sign_as\"]\npublic_consent = \"organization_name\"\n{GOOD_FIELDS}"
        );
        let (line, reason) = line_and_reason(&text);
        assert_eq!(line, 6, "{reason}");
        assert!(reason.contains("not a consent"), "{reason}");

        let text = format!(
            "{header}public_fields = [\"sign_as\"]\npublic_consent = \"ok\"\n{GOOD_FIELDS}{consent}"
        );
        let c = Campaign::from_toml("t", &text).unwrap();
        assert_eq!(c.public_consent(), Some("ok"));
    }

    #[test]
    fn top_level_values_are_checked() {
        let text = with(GOOD_FIELDS);
        for (from, to, line, reason) in [
            ("id = \"t\"", "id = \"Open Letter\"", 1, "lowercase"),
            ("title = \"T\"", "title = \"\"", 2, "title"),
            (
                "language = \"en\"",
                "language = \"en_CA!\"",
                3,
                "language tag",
            ),
        ] {
            let (got_line, got_reason) = line_and_reason(&text.replace(from, to));
            assert_eq!(got_line, line, "{got_reason}");
            assert!(got_reason.contains(reason), "{got_reason}");
        }
    }

    #[test]
    fn letter_html_escapes_raw_html_and_refuses_images_and_script_links() {
        let text = with(GOOD_FIELDS).replace(
            "Dear all.",
            "Dear <b>all</b>.\n\n<script>alert(1)</script>\n\n[us](https://example.org)",
        );
        let c = Campaign::from_toml("t", &text).unwrap();
        let html = c.letter_html();
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;") && html.contains("&lt;b&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.org\">us</a>"),
            "{html}"
        );

        let image =
            with(GOOD_FIELDS).replace("Dear all.", "Dear all.\n\n![x](https://t.example/p.png)");
        let (line, reason) = line_and_reason(&image);
        assert_eq!(line, 7, "{reason}");
        assert!(reason.contains("image"), "{reason}");

        let js = with(GOOD_FIELDS).replace("Dear all.", "[x](javascript:alert(1))");
        let (line, reason) = line_and_reason(&js);
        assert_eq!(line, 5, "{reason}");
        assert!(reason.contains("javascript:"), "{reason}");
    }

    #[test]
    fn load_reports_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            with("[[fields]]\nname = \"token\"\nkind = \"email\"\nlabel = \"x\"\n"),
        )
        .unwrap();
        let err = Campaign::load(&path).unwrap_err();
        let printed = err.to_string();
        assert!(
            printed.starts_with(&format!("{}, line 8: ", path.display())),
            "{printed}"
        );
        assert!(matches!(
            Campaign::load(&dir.path().join("missing.toml")),
            Err(Error::CampaignRead { .. })
        ));
    }

    #[test]
    fn max_form_bytes_covers_the_longest_answers() {
        let c = Campaign::builtin();
        assert!(c.max_form_bytes() > 2 * 20_000 * 12);
        assert!(c.max_form_bytes() < 1_000_000);
    }
}
