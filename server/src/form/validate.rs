//! Decoded fields → a [`Submission`], or every problem at once, typed: the pages say them in
//! the reader's language, next to the field.

use seal::{Day, Field, FieldValue, Submission};

use super::FormInput;
use crate::campaign::{Campaign, FieldKind, FieldSpec, INTENT_FIELD, Intent};

/// A problem with one answer, shown next to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name (its element id is `field-<name>`).
    pub field: String,
    /// What is wrong.
    pub problem: AnswerProblem,
}

/// What can be wrong with one answer. None of them carries the answer itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required answer is blank.
    Required,
    /// A required single choice has nothing picked.
    ChooseOne,
    /// A required multi choice has nothing picked.
    ChooseAtLeastOne,
    /// A choice that is not among the options arrived.
    NotAnOption,
    /// The answer holds a control character (C0 or C1: escape sequences, bells, a lone carriage
    /// return…), which could act on an organizer's terminal or spreadsheet. Tab is allowed, and
    /// line breaks in multi-line answers.
    ControlCharacter,
    /// The e-mail address has no `@` with something on each side, or has spaces.
    BadEmail,
    /// The postal code has other characters than letters, digits, spaces and hyphens.
    BadPostalCode,
    /// A checkbox sent something other than "on".
    BadCheckbox,
    /// A consent box that must be ticked was not.
    MustTick,
    /// The testimony was written, but the person chose only to sign: it would not be sent.
    WrittenButNotShared,
    /// The text is longer than the field allows, both counted in characters.
    TooLong {
        /// The answer's length.
        length: usize,
        /// The field's limit.
        limit: usize,
    },
}

/// Checks every field against the campaign; all problems at once.
///
/// When the campaign has a testimony field, the person's [`Intent`] (the first question) decides
/// which questions are asked: answers to the others are not kept (someone who only shares keeps
/// nothing identifying), except that a testimony written by someone who chose only to sign is
/// pointed out rather than dropped. The record then starts with the intent.
pub fn validate(
    input: &FormInput,
    campaign: &Campaign,
    received: Day,
) -> Result<Submission, Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let mut fields = Vec::with_capacity(campaign.fields().len() + 1);
    let intent = match campaign.testimony() {
        None => None,
        Some(_) => {
            let (value, intent, problem) = check_intent(input);
            if let Some(problem) = problem {
                errors.push(FieldProblem {
                    field: INTENT_FIELD.to_owned(),
                    problem,
                });
            }
            fields.push(Field::new(INTENT_FIELD, value));
            intent
        }
    };
    for spec in campaign.fields() {
        let asked = intent.is_none_or(|intent| spec.asked.includes(intent));
        let is_testimony = campaign.testimony() == Some(spec.name.as_str());
        // Until the person says what they want to do, what they must answer is unknown.
        let knows_what_is_asked = campaign.testimony().is_none() || intent.is_some();
        let required = asked
            && knows_what_is_asked
            && (spec.required
                || (is_testimony && intent.is_some_and(Intent::shares))
                || spec
                    .required_when
                    .as_ref()
                    .is_some_and(|c| input.expose_value(&c.field) == Some(c.equals.as_str())));
        let (value, problem) = check_field(input, spec, required);
        let (value, problem) = match (asked, is_testimony) {
            (true, _) => (value, problem),
            (false, true) if !is_blank(&value) => (value, Some(AnswerProblem::WrittenButNotShared)),
            (false, _) => (blank(spec.kind), None),
        };
        if let Some(problem) = problem {
            errors.push(FieldProblem {
                field: spec.name.clone(),
                problem,
            });
        }
        fields.push(Field::new(spec.name.clone(), value));
    }
    if errors.is_empty() {
        Ok(Submission::new(
            campaign.id().to_owned(),
            campaign.version().to_owned(),
            campaign.language().to_owned(),
            received,
            fields,
        ))
    } else {
        // `fields` is dropped here, and each Field wipes its value.
        Err(errors)
    }
}

/// Whether a validated submission counts as a signature: every submission does, except one
/// from a person who only shared what happened.
pub fn is_signature(submission: &Submission) -> bool {
    match submission.expose_field(INTENT_FIELD) {
        Some(FieldValue::Choice(value)) => Intent::from_value(value).is_none_or(Intent::signs),
        _ => true,
    }
}

/// The intent's value for the record, the intent, and what is wrong with it.
fn check_intent(input: &FormInput) -> (FieldValue, Option<Intent>, Option<AnswerProblem>) {
    match input.expose_value(INTENT_FIELD).filter(|v| !v.is_empty()) {
        None => (
            FieldValue::Choice(String::new()),
            None,
            Some(AnswerProblem::ChooseOne),
        ),
        Some(value) => match Intent::from_value(value) {
            Some(intent) => (FieldValue::Choice(value.to_owned()), Some(intent), None),
            None => (
                FieldValue::Choice(String::new()),
                None,
                Some(AnswerProblem::NotAnOption),
            ),
        },
    }
}

/// The value a question not asked of this person is recorded with.
fn blank(kind: FieldKind) -> FieldValue {
    match kind {
        FieldKind::SingleChoice => FieldValue::Choice(String::new()),
        FieldKind::MultiChoice => FieldValue::Choices(Vec::new()),
        FieldKind::Consent => FieldValue::Consent(false),
        FieldKind::ShortText | FieldKind::Email | FieldKind::PostalCode | FieldKind::LongText => {
            FieldValue::Text(String::new())
        }
    }
}

fn is_blank(value: &FieldValue) -> bool {
    match value {
        FieldValue::Text(text) | FieldValue::Choice(text) => text.is_empty(),
        FieldValue::Choices(choices) => choices.is_empty(),
        FieldValue::Consent(ticked) => !ticked,
    }
}

/// One field's value for the record, and what is wrong with it, if anything.
fn check_field(
    input: &FormInput,
    spec: &FieldSpec,
    required: bool,
) -> (FieldValue, Option<AnswerProblem>) {
    let sent = input.expose_value(&spec.name);
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
            let multiline = spec.kind == FieldKind::LongText;
            let problem = if value.is_empty() {
                required.then_some(AnswerProblem::Required)
            } else if value.chars().any(|c| is_refused_control(c, multiline)) {
                Some(AnswerProblem::ControlCharacter)
            } else if length > spec.max_length {
                Some(AnswerProblem::TooLong {
                    length,
                    limit: spec.max_length,
                })
            } else if spec.kind == FieldKind::Email && !looks_like_email(value) {
                Some(AnswerProblem::BadEmail)
            } else if spec.kind == FieldKind::PostalCode && !looks_like_postal_code(value) {
                Some(AnswerProblem::BadPostalCode)
            } else {
                None
            };
            (FieldValue::Text(value.to_owned()), problem)
        }
        FieldKind::SingleChoice => match sent.filter(|v| !v.is_empty()) {
            None => (
                FieldValue::Choice(String::new()),
                required.then_some(AnswerProblem::ChooseOne),
            ),
            Some(v) if spec.options.iter().any(|o| o.value == v) => {
                (FieldValue::Choice(v.to_owned()), None)
            }
            Some(_) => (
                FieldValue::Choice(String::new()),
                Some(AnswerProblem::NotAnOption),
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
                Some(AnswerProblem::NotAnOption)
            } else if required && chosen.is_empty() {
                Some(AnswerProblem::ChooseAtLeastOne)
            } else {
                None
            };
            (FieldValue::Choices(chosen), problem)
        }
        FieldKind::Consent => match sent {
            None => (
                FieldValue::Consent(false),
                required.then_some(AnswerProblem::MustTick),
            ),
            Some("on") => (FieldValue::Consent(true), None),
            Some(_) => (FieldValue::Consent(false), Some(AnswerProblem::BadCheckbox)),
        },
    }
}

/// Whether `c` is a control character refused in an answer: every C0 and C1 control and DEL,
/// except tab, and line feed in multi-line answers (their CRLF breaks are LF by now).
fn is_refused_control(c: char, multiline: bool) -> bool {
    c.is_control() && c != '\t' && !(multiline && c == '\n')
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
