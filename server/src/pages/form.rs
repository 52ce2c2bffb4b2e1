//! The form page: the letter, the signature count and the form, with what was typed and what
//! needs attention when it comes back.

use askama::Template;

use super::texts::Texts;
use super::{Chrome, Language, Pages, render};
use crate::campaign::{Campaign, FieldKind, FieldSpec, HONEYPOT_FIELD, TOKEN_FIELD};
use crate::form::{FieldProblem, FormInput};
use crate::token::TokenProblem;

/// What the form page shows: what was typed, what is wrong with it, and the form's token.
#[derive(Debug)]
pub struct FormView<'a> {
    /// The answers to show in the form again (blank for a fresh form).
    pub input: &'a FormInput,
    /// Problems to list at the top and next to each field.
    pub problems: &'a [FieldProblem],
    /// What to say at the top, if anything.
    pub notice: Option<Notice>,
    /// The form token for the hidden input.
    pub token: &'a str,
    /// How many have signed so far.
    pub signatures: u64,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage<'a> {
    chrome: Chrome,
    t: &'static Texts,
    /// The campaign's language, when it is not the page's: on the letter, with a note.
    letter_lang: Option<LetterLanguage<'a>>,
    letter_html: &'a str,
    notice: Option<&'a str>,
    errors: Vec<ErrorView<'a>>,
    signatures: String,
    token_field: &'static str,
    token: &'a str,
    honeypot_field: &'static str,
    fields: Vec<FieldView<'a>>,
}

/// The letter's own language, when the page is in another.
struct LetterLanguage<'a> {
    /// Its tag, for `lang` on the letter.
    tag: &'a str,
    /// Said above the letter: it and the questions are as the organizers wrote them.
    note: String,
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

/// A message above the form when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The form's token was refused.
    Token(TokenProblem),
    /// The same form was sent before with other answers: those were received, these were not.
    ResentWithOtherAnswers,
    /// The server is short of disk space: nothing was saved; send again later.
    ShortOfSpace,
}

/// One problem, in words, for the summary and next to its field.
struct ErrorView<'a> {
    field: &'a str,
    message: String,
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
        errors: &[ErrorView<'a>],
        t: &'static Texts,
    ) -> Self {
        let input = view.input;
        let name = spec.name.as_str();
        let messages: Vec<&str> = errors
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
                Some(t.required_if(&option.label))
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

impl Pages<'_> {
    /// The letter and its form: blank for `GET /`, or again with every answer and every
    /// problem (a summary linking to each field, and a message by the field).
    pub fn form(&self, view: &FormView) -> String {
        let (campaign, t) = (self.campaign, self.texts());
        let errors: Vec<ErrorView> = view
            .problems
            .iter()
            .map(|p| ErrorView {
                field: &p.field,
                message: t.answer_problem(p.problem),
            })
            .collect();
        let title = if errors.is_empty() {
            campaign.title().to_owned()
        } else {
            t.error_title(campaign.title())
        };
        let letter_lang = match Language::closest(campaign.language()) {
            Some(theirs) if theirs == self.choice.language => None,
            theirs => Some(LetterLanguage {
                tag: campaign.language(),
                note: t.campaign_language_note(
                    theirs.map_or(campaign.language(), |theirs| theirs.texts().language_name),
                ),
            }),
        };
        render(&FormPage {
            chrome: Chrome::new(self.choice, title),
            t,
            letter_lang,
            letter_html: campaign.letter_html(),
            notice: view.notice.map(|notice| match notice {
                Notice::Token(problem) => t.token_problem(problem),
                Notice::ResentWithOtherAnswers => t.resent_other_answers,
                Notice::ShortOfSpace => t.short_of_space,
            }),
            signatures: t.signatures(view.signatures),
            token_field: TOKEN_FIELD,
            token: view.token,
            honeypot_field: HONEYPOT_FIELD,
            fields: campaign
                .fields()
                .iter()
                .map(|spec| FieldView::new(spec, campaign, view, &errors, t))
                .collect(),
            errors,
        })
    }
}
