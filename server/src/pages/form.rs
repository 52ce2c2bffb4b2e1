//! The form page: the letter, the signature count and the form, with what was typed and what
//! needs attention when it comes back.

use askama::Template;

use super::texts::Texts;
use super::words::{CampaignWords, Words};
use super::{Chrome, Pages, render};
use crate::campaign::{
    Asked, Campaign, FieldKind, FieldSpec, HONEYPOT_FIELD, INTENT_FIELD, Intent, TOKEN_FIELD,
};
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
    /// Whether a public signatory list is published (the page then links to it).
    pub public_list: bool,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage<'a> {
    chrome: Chrome,
    t: &'static Texts,
    /// The note above the letter when it is shown in another language than the page's.
    letter_lang: Option<LetterLanguage>,
    letter_html: Words<'a>,
    heading: Words<'a>,
    /// `dir` for the campaign's words shown as first written.
    campaign_dir: &'static str,
    notice: Option<String>,
    errors: Vec<ErrorView<'a>>,
    signatures: String,
    /// The link to the public signatory list, when one is published.
    public_list_link: Option<&'static str>,
    closed: bool,
    token_field: &'static str,
    token: &'a str,
    honeypot_field: &'static str,
    parts: Vec<PartView<'a>>,
}

/// Stand-ins for the count and the token while a [`BlankForm`] is rendered: letters and digits
/// only, so escaping leaves them as they are, and nothing a campaign writes contains them.
const COUNT_MARK: &str = "sealformCountMark7f3a9c";
const TOKEN_MARK: &str = "sealformTokenMark7f3a9c";

/// `GET /`'s page rendered once, cut where the two things that change with every request go.
/// (A closed campaign's page has no token.)
#[derive(Debug)]
pub struct BlankForm {
    /// The page's text and the places of the count and the token, in page order.
    pieces: Vec<Piece>,
    texts: &'static Texts,
}

#[derive(Debug)]
enum Piece {
    Text(String),
    Count,
    Token,
}

impl BlankForm {
    /// Cuts `marked` at the first [`COUNT_MARK`] and the first [`TOKEN_MARK`].
    fn new(marked: &str, texts: &'static Texts) -> BlankForm {
        let mut places: Vec<(usize, &str, Piece)> =
            [(COUNT_MARK, Piece::Count), (TOKEN_MARK, Piece::Token)]
                .into_iter()
                .filter_map(|(mark, piece)| marked.find(mark).map(|at| (at, mark, piece)))
                .collect();
        places.sort_by_key(|(at, _, _)| *at);
        let mut pieces = Vec::new();
        let mut from = 0;
        for (at, mark, piece) in places {
            pieces.push(Piece::Text(marked[from..at].to_owned()));
            pieces.push(piece);
            from = at + mark.len();
        }
        pieces.push(Piece::Text(marked[from..].to_owned()));
        BlankForm { pieces, texts }
    }

    /// The page with `signatures` counted and `token` in the form: one copy of the page, where
    /// replacing each mark in turn copied it twice.
    pub fn page(&self, signatures: u64, token: &str) -> String {
        let count = self.texts.signatures(signatures);
        let Ok(count) = askama::filters::escape(count, askama::filters::Html);
        let count = count.to_string();
        let length = self.pieces.iter().map(|piece| match piece {
            Piece::Text(text) => text.len(),
            Piece::Count => count.len(),
            Piece::Token => token.len(),
        });
        let mut page = String::with_capacity(length.sum());
        for piece in &self.pieces {
            page.push_str(match piece {
                Piece::Text(text) => text,
                Piece::Count => &count,
                Piece::Token => token,
            });
        }
        page
    }
}

/// The letter's own language, when the page is in another.
struct LetterLanguage {
    /// Said above the letter: it and the questions are as the organizers wrote them.
    note: String,
}

/// A run of questions asked of the same people, under a heading when they are not everyone.
struct PartView<'a> {
    /// The group's element id.
    id: String,
    heading: Option<&'static str>,
    help: Option<&'static str>,
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
    /// `autocomplete` of a one-line input: its WCAG input purpose, or `off`.
    autocomplete: &'a str,
    label: &'a str,
    /// The label's language, when it is not the page's.
    lang: Option<&'a str>,
    help: Option<&'a str>,
    help_lang: Option<&'a str>,
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
    /// The store could not save: nothing was saved; send again in a minute.
    NotSaved,
    /// Too many forms came from this connection: send again after `retry_after_secs`.
    RateLimited {
        /// Seconds until this connection may send again.
        retry_after_secs: u64,
    },
}

/// One problem, in words, for the summary and next to its field.
struct ErrorView<'a> {
    field: &'a str,
    /// The summary's line is `before`, the question, `after` (which says the problem).
    before: String,
    question: &'a str,
    /// The question's language, when it is not the page's.
    question_lang: Option<&'a str>,
    after: String,
    /// The problem alone, next to the question.
    message: String,
}

struct OptionView<'a> {
    id: String,
    value: &'a str,
    label: &'a str,
    lang: Option<&'a str>,
    checked: bool,
}

/// What the page needs to lay out one question: its label, help and options' words.
struct Question<'a> {
    name: &'a str,
    kind: FieldKind,
    label: Words<'a>,
    help: Option<Words<'a>>,
    options: Vec<(&'a str, Words<'a>)>,
    requirement: Option<String>,
    required_attr: bool,
    max_length: usize,
    autocomplete: &'a str,
}

impl<'a> Question<'a> {
    /// The intent question, in the page's words.
    fn intent(t: &'static Texts) -> Self {
        let label = |text| Words { text, lang: None };
        Self {
            name: INTENT_FIELD,
            kind: FieldKind::SingleChoice,
            label: label(t.intent_label),
            help: Some(label(t.intent_help)),
            options: Intent::ALL
                .into_iter()
                .map(|intent| {
                    let text = match intent {
                        Intent::Sign => t.intent_sign,
                        Intent::SignAndShare => t.intent_sign_and_share,
                        Intent::Share => t.intent_share,
                    };
                    (intent.value(), label(text))
                })
                .collect(),
            requirement: Some(t.required_marker.to_owned()),
            required_attr: true,
            max_length: 0,
            autocomplete: "off",
        }
    }

    /// One of the campaign's questions.
    fn of(
        spec: &'a FieldSpec,
        campaign: &'a Campaign,
        words: &CampaignWords<'a>,
        t: &'static Texts,
    ) -> Self {
        let is_testimony = campaign.testimony() == Some(spec.name.as_str());
        let requirement = if is_testimony {
            t.required_to_share.to_owned()
        } else if spec.required {
            t.required_marker.to_owned()
        } else if let Some(c) = &spec.required_when {
            let option = campaign
                .field(&c.field)
                .and_then(|question| {
                    let option = question.options.iter().find(|o| o.value == c.equals)?;
                    Some(words.option(question, option).text)
                })
                .unwrap_or(&c.equals);
            t.required_if(option)
        } else {
            t.optional_marker.to_owned()
        };
        Self {
            name: &spec.name,
            kind: spec.kind,
            label: words.label(spec),
            help: words.help(spec),
            options: spec
                .options
                .iter()
                .map(|o| (o.value.as_str(), words.option(spec, o)))
                .collect(),
            requirement: Some(requirement),
            // A checkbox in a group marked `required` would have to be ticked itself; "at
            // least one" is checked by the server only. A question asked of only some people
            // cannot be `required` in the browser either.
            required_attr: spec.required
                && spec.kind != FieldKind::MultiChoice
                && spec.asked == Asked::Everyone,
            max_length: spec.max_length,
            autocomplete: match spec.kind {
                FieldKind::Email => "email",
                FieldKind::PostalCode => "postal-code",
                FieldKind::ShortText => spec.autocomplete.as_deref().unwrap_or("off"),
                _ => "off",
            },
        }
    }

    /// The question with what was typed and what is wrong with it.
    fn view(self, input: &'a FormInput, errors: &[ErrorView<'a>]) -> FieldView<'a> {
        let name = self.name;
        let messages: Vec<&str> = errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.as_str())
            .collect();
        let error = (!messages.is_empty()).then(|| messages.join(" "));
        let mut described_by = Vec::new();
        if self.help.is_some() {
            described_by.push(format!("help-{name}"));
        }
        if error.is_some() {
            described_by.push(format!("error-{name}"));
        }
        let options = self
            .options
            .into_iter()
            .enumerate()
            .map(|(i, (value, label))| OptionView {
                id: format!("field-{name}-{i}"),
                value,
                label: label.text,
                lang: label.lang,
                checked: input.expose_values(name).any(|v| v == value),
            })
            .collect();
        let value = input.expose_value(name).unwrap_or("");
        FieldView {
            name,
            group: self.kind.is_choice(),
            checkbox: self.kind == FieldKind::Consent,
            multiline: self.kind == FieldKind::LongText,
            input_type: match self.kind {
                FieldKind::SingleChoice => "radio",
                FieldKind::MultiChoice | FieldKind::Consent => "checkbox",
                FieldKind::Email => "email",
                FieldKind::ShortText | FieldKind::PostalCode | FieldKind::LongText => "text",
            },
            autocomplete: self.autocomplete,
            label: self.label.text,
            lang: self.label.lang,
            help: self.help.map(|h| h.text),
            help_lang: self.help.and_then(|h| h.lang),
            requirement: self.requirement,
            required_attr: self.required_attr,
            max_length: self.max_length,
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
    /// problem (a summary naming each question and linking to it, and a message by the
    /// question). A closed campaign shows the letter with a notice instead of the form.
    pub fn form(&self, view: &FormView) -> String {
        self.form_with_count(view, self.texts().signatures(view.signatures))
    }

    /// The blank form of `GET /`, rendered once: what changes from one request to the next
    /// (the count and the token) is put in by [`BlankForm::page`]. The page is the same bytes
    /// [`Pages::form`] makes for a blank view.
    pub fn blank_form(&self, public_list: bool) -> BlankForm {
        let blank = FormInput::blank();
        let page = self.form_with_count(
            &FormView {
                input: &blank,
                problems: &[],
                notice: None,
                token: TOKEN_MARK,
                signatures: 0,
                public_list,
            },
            COUNT_MARK.to_owned(),
        );
        BlankForm::new(&page, self.texts())
    }

    fn form_with_count(&self, view: &FormView, signatures: String) -> String {
        let (campaign, t) = (self.campaign, self.texts());
        let words = CampaignWords::new(campaign, self.choice.language);
        let mut questions: Vec<(Asked, Question)> = Vec::new();
        if campaign.testimony().is_some() {
            questions.push((Asked::Everyone, Question::intent(t)));
        }
        for spec in campaign.fields() {
            questions.push((spec.asked, Question::of(spec, campaign, &words, t)));
        }
        let errors: Vec<ErrorView> = view
            .problems
            .iter()
            .map(|p| {
                let message = t.answer_problem(p.problem);
                let question = questions.iter().find(|(_, q)| q.name == p.field).map_or(
                    Words {
                        text: &p.field,
                        lang: None,
                    },
                    |(_, q)| q.label,
                );
                let (before, after) = t.error_summary_item(&message);
                ErrorView {
                    field: &p.field,
                    before,
                    question: question.text,
                    question_lang: question.lang,
                    after,
                    message,
                }
            })
            .collect();
        let mut parts: Vec<PartView> = Vec::new();
        for (asked, question) in questions {
            let field = question.view(view.input, &errors);
            let (base_id, heading, help) = match asked {
                Asked::Everyone => ("part-everyone", None, None),
                Asked::Signers => (
                    "part-signature",
                    Some(t.part_signature),
                    Some(t.part_signature_help),
                ),
                Asked::Sharers => (
                    "part-testimony",
                    Some(t.part_testimony),
                    Some(t.part_testimony_help),
                ),
            };
            match parts.last_mut() {
                Some(part) if part.id.starts_with(base_id) => part.fields.push(field),
                _ => {
                    // A campaign may ask the same people again later: keep ids unique.
                    let earlier = parts.iter().filter(|p| p.id.starts_with(base_id)).count();
                    let id = match earlier {
                        0 => base_id.to_owned(),
                        n => format!("{base_id}-{}", n + 1),
                    };
                    parts.push(PartView {
                        id,
                        heading,
                        help,
                        fields: vec![field],
                    });
                }
            }
        }
        let title = words.title().text;
        let title = if errors.is_empty() {
            title.to_owned()
        } else {
            t.error_title(title)
        };
        let letter_lang = words.letter_untranslated().then(|| {
            let theirs = super::Language::closest(campaign.language());
            LetterLanguage {
                note: t.campaign_language_note(
                    theirs.map_or(campaign.language(), |theirs| theirs.texts().language_name),
                ),
            }
        });
        render(&FormPage {
            chrome: self.chrome(title),
            t,
            letter_lang,
            letter_html: words.letter_html(),
            campaign_dir: words.original_dir(),
            heading: words.form_title().unwrap_or(Words {
                text: t.sign_heading,
                lang: None,
            }),
            notice: view.notice.map(|notice| match notice {
                Notice::Token(problem) => t.token_problem(problem).to_owned(),
                Notice::ResentWithOtherAnswers => t.resent_other_answers.to_owned(),
                Notice::ShortOfSpace => t.short_of_space.to_owned(),
                Notice::NotSaved => t.not_saved.to_owned(),
                Notice::RateLimited { retry_after_secs } => t.rate_limited_notice(retry_after_secs),
            }),
            signatures,
            public_list_link: view.public_list.then_some(t.signatories.link),
            closed: campaign.closed(),
            token_field: TOKEN_FIELD,
            token: view.token,
            honeypot_field: HONEYPOT_FIELD,
            parts,
            errors,
        })
    }
}
