//! Every sentence a person reads, and the one place where typed problems become words.
//!
//! The words are in Fluent files, `server/locales/<tag>.ftl`, built into the binary and parsed
//! once, the first time a page needs them. For each language, [`Texts`] holds every fixed
//! sentence looked up by message id (English when that language lacks one) and formats the
//! sentences that take arguments on demand. `server/tests/locales.rs` checks that every file
//! parses, has exactly English's message ids, and uses only English's variables; a unit test
//! below formats every message of every language.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::language::Language;
use crate::form::{AnswerProblem, FormProblem};
use crate::token::TokenProblem;

/// Every sentence a person reads, in one language. Fixed sentences are fields; sentences with
/// arguments are methods.
#[derive(Debug)]
pub struct Texts {
    language: Language,
    /// This language's name, written in itself (for the language menu).
    pub language_name: &'static str,
    /// The accessible name of the language menu.
    pub languages_label: &'static str,
    /// The first link of every page: to the main content.
    pub skip_link: &'static str,
    /// The link that leaves for an ordinary website.
    pub leave_quickly: &'static str,
    /// The link to the privacy page, on every page.
    pub privacy_link: &'static str,
    /// On private windows and shared devices, on every page.
    pub shared_device_note: &'static str,
    /// The heading above the form, when the campaign gives none.
    pub sign_heading: &'static str,
    /// Said once above the form about what happens to the answers.
    pub privacy_notice: &'static str,
    /// The link from that notice to the privacy page.
    pub privacy_notice_link: &'static str,
    /// The first question: what the person wants to do.
    pub intent_label: &'static str,
    /// Its explanation.
    pub intent_help: &'static str,
    /// The choice to sign.
    pub intent_sign: &'static str,
    /// The choice to sign and share what happened.
    pub intent_sign_and_share: &'static str,
    /// The choice to share only.
    pub intent_share: &'static str,
    /// The heading of the signers' part of the form.
    pub part_signature: &'static str,
    /// What the signers' part is for.
    pub part_signature_help: &'static str,
    /// The heading of the sharers' part of the form.
    pub part_testimony: &'static str,
    /// What the sharers' part is for.
    pub part_testimony_help: &'static str,
    /// After the label of a field that must be answered.
    pub required_marker: &'static str,
    /// After the label of a field that may be left blank.
    pub optional_marker: &'static str,
    /// After the label of the testimony: required of those who share.
    pub required_to_share: &'static str,
    /// Instead of the form, and for a form sent, when the campaign is closed (410).
    pub campaign_closed: Message,
    /// The send button.
    pub submit: &'static str,
    /// The label of the trap field people never see (but a text browser shows).
    pub honeypot_label: &'static str,
    /// The heading of the list of problems.
    pub error_summary_heading: &'static str,

    /// A required answer is blank.
    pub required: &'static str,
    /// A required single choice has nothing picked.
    pub choose_one: &'static str,
    /// A required multi choice has nothing picked.
    pub choose_at_least_one: &'static str,
    /// A choice that is not among the options arrived.
    pub not_an_option: &'static str,
    /// The answer holds a control character.
    pub control_character: &'static str,
    /// The e-mail address has no `@`, or spaces.
    pub bad_email: &'static str,
    /// The postal code has other characters than letters, digits, spaces, hyphens.
    pub bad_postal_code: &'static str,
    /// A checkbox sent something other than "on".
    pub bad_checkbox: &'static str,
    /// A consent box that must be ticked was not.
    pub must_tick: &'static str,
    /// The testimony was written by someone who chose only to sign.
    pub written_but_not_shared: &'static str,

    /// A `%` escape in the body is broken.
    pub damaged_form: &'static str,
    /// The body is not UTF-8.
    pub not_utf8: &'static str,
    /// The body has a NUL byte.
    pub nul_byte: &'static str,

    /// The form came without its token.
    pub token_missing: &'static str,
    /// The token is not one this server issued (or the server restarted).
    pub token_invalid: &'static str,
    /// The form was sent seconds after it was served.
    pub token_too_young: &'static str,
    /// The form was open for longer than a token lives.
    pub token_expired: &'static str,
    /// The same form was sent again with changed answers (409).
    pub resent_other_answers: &'static str,
    /// The server is short of disk space (503).
    pub short_of_space: &'static str,
    /// The store could not save (503).
    pub not_saved: &'static str,

    /// The page after a successful submission.
    pub thanks: Message,
    /// The heading above the withdrawal receipt on the thank-you page.
    pub receipt_heading: &'static str,
    /// What the receipt is for, and to keep it safe or not at all.
    pub receipt_body: &'static str,
    /// The link from the receipt to the withdrawal page.
    pub receipt_link: &'static str,
    /// The heading above the campaign's support resources.
    pub support_heading: &'static str,
    /// The withdrawal page.
    pub withdraw: WithdrawTexts,
    /// The public list of signatories.
    pub signatories: SignatoriesTexts,
    /// The privacy page.
    pub privacy: PrivacyTexts,
    /// 400.
    pub bad_request: Message,
    /// 404.
    pub not_found: Message,
    /// 413.
    pub too_large: Message,
    /// 415.
    pub unsupported_media_type: Message,
    /// 500.
    pub server_error: Message,
    /// 405: a method the address does not take.
    pub method_not_allowed: Message,
    /// 431: the request's headers are too large.
    pub headers_too_large: Message,
    /// 408: the request took too long to arrive.
    pub timeout: Message,
    /// 503: too busy, or the store could not save.
    pub unavailable: Message,
    /// The title of the 429 page.
    pub rate_limited_title: &'static str,
    /// The link from a message page to the letter.
    pub home_link: &'static str,
}

/// The privacy page's fixed sentences; the ones with the campaign's words are methods of
/// [`Texts`].
#[derive(Debug)]
pub struct PrivacyTexts {
    /// The page's heading.
    pub title: &'static str,
    /// Who runs the letter.
    pub organizers_heading: &'static str,
    /// Before the list of organizers.
    pub organizers: &'static str,
    /// When the campaign names no organizers.
    pub organizers_unnamed: &'static str,
    /// Who can read the answers.
    pub readers_heading: &'static str,
    /// Only the organizers' keys; not the host.
    pub readers_body: &'static str,
    /// What is kept.
    pub stored_heading: &'static str,
    /// Sealed answers and the day; never the address, device or time.
    pub stored_body: &'static str,
    /// Public listing and quotes only with consent.
    pub public_body: &'static str,
    /// How long it is kept.
    pub kept_heading: &'static str,
    /// Until the organizers delete it.
    pub kept_body: &'static str,
    /// Taking back what was sent.
    pub withdraw_heading: &'static str,
    /// When the campaign gives no contact.
    pub withdraw_no_contact: &'static str,
    /// How to take answers back with the receipt.
    pub withdraw_receipt: &'static str,
    /// Shared devices.
    pub device_heading: &'static str,
    /// What "Leave quickly" does.
    pub leave_body: &'static str,
}

/// The withdrawal page's sentences.
#[derive(Debug)]
pub struct WithdrawTexts {
    /// The page's heading.
    pub title: &'static str,
    /// What happens.
    pub body: &'static str,
    /// The receipt field's label.
    pub label: &'static str,
    /// What a receipt looks like.
    pub help: &'static str,
    /// The button.
    pub submit: &'static str,
    /// The answer, the same whether the receipt matched or not.
    pub done: Message,
    /// Something that is not a receipt was typed.
    pub bad: &'static str,
}

/// The public signatory list's sentences.
#[derive(Debug)]
pub struct SignatoriesTexts {
    /// The page's heading.
    pub title: &'static str,
    /// Who is listed.
    pub intro: &'static str,
    /// The link from the letter page.
    pub link: &'static str,
    /// To the previous page of the list.
    pub previous: &'static str,
    /// To the next page of the list.
    pub next: &'static str,
}

/// A page's title and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    /// The heading (and tab title).
    pub title: &'static str,
    /// What happened and what to do.
    pub body: &'static str,
}

/// One language's messages. The concurrent bundle, because the pages render on many threads.
type Bundle = FluentBundle<FluentResource>;

/// Every language's bundle, in the order of [`Language::ALL`], parsed once.
static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| Language::ALL.map(bundle).into());

/// Every language's fixed sentences, in the order of [`Language::ALL`], looked up once.
static TEXTS: LazyLock<Vec<Texts>> = LazyLock::new(|| Language::ALL.map(Texts::new).into());

fn bundle(language: Language) -> Bundle {
    let id = language
        .tag()
        .parse()
        .expect("every language tag is a valid identifier");
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Fluent wraps each argument in invisible isolation marks by default. The arguments here
    // are numbers, field names and the campaign's own words, and the pages set `dir` on
    // `<html>`; the marks would only show up as stray characters in text browsers.
    bundle.set_use_isolating(false);
    if language == Language::RtlTest {
        bundle.set_transform(Some(right_to_left));
    }
    // A syntax error fails `tests/locales.rs`; at run time the messages that did parse are
    // used, and any missing one falls back to English.
    let resource = FluentResource::try_new(language.source().to_owned())
        .unwrap_or_else(|(resource, _errors)| resource);
    bundle
        .add_resource(resource)
        .expect("one resource per bundle cannot clash with another");
    bundle
}

/// The pseudo-locale's text: every run forced right to left (U+202E … U+202C), so a page
/// that lays out correctly right to left reads as mirrored English.
fn right_to_left(text: &str) -> Cow<'_, str> {
    Cow::Owned(format!("\u{202e}{text}\u{202c}"))
}

/// Message `id` in `language` (in English if `language` lacks it), with `args`. Returns the
/// Fluent errors alongside, for the tests; pages show whatever could be formatted.
fn format_checked(
    language: Language,
    id: &str,
    args: Option<&FluentArgs>,
) -> (String, Vec<String>) {
    let english = &BUNDLES[Language::English as usize];
    let own = &BUNDLES[language as usize];
    let found = [own, english].into_iter().find_map(|bundle| {
        let pattern = bundle.get_message(id)?.value()?;
        Some((bundle, pattern))
    });
    let Some((bundle, pattern)) = found else {
        return (id.to_owned(), vec![format!("no message {id}")]);
    };
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned();
    let errors = errors.iter().map(|e| format!("{id}: {e}")).collect();
    (text, errors)
}

fn format(language: Language, id: &str, args: Option<&FluentArgs>) -> String {
    format_checked(language, id, args).0
}

/// Keeps a sentence for the life of the program. Called only while [`TEXTS`] is built, once
/// per message and language, so the memory is bounded like the Fluent sources themselves;
/// it lets the tables hand out `&'static str` like the built-in tables they replaced.
fn keep(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A number as an argument: `count` the plain number (for choosing a plural form), `shown`
/// the number grouped the way `language` writes it.
fn number_args(language: Language, n: u64) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    args.set("count", FluentValue::from(n));
    args.set("shown", grouped(n, language.digit_group_separator()));
    args
}

impl Texts {
    /// The sentences of `language`.
    pub(super) fn of(language: Language) -> &'static Self {
        &TEXTS[language as usize]
    }

    fn new(language: Language) -> Self {
        let text = |id: &str| keep(format(language, id, None));
        let message = |page: &str| Message {
            title: text(&format!("{page}-title")),
            body: text(&format!("{page}-body")),
        };
        Self {
            language,
            language_name: text("language-name"),
            languages_label: text("languages-label"),
            skip_link: text("skip-link"),
            leave_quickly: text("leave-quickly"),
            privacy_link: text("privacy-link"),
            shared_device_note: text("shared-device-note"),
            sign_heading: text("sign-heading"),
            privacy_notice: text("privacy-notice"),
            privacy_notice_link: text("privacy-notice-link"),
            intent_label: text("intent-label"),
            intent_help: text("intent-help"),
            intent_sign: text("intent-sign"),
            intent_sign_and_share: text("intent-sign-and-share"),
            intent_share: text("intent-share"),
            part_signature: text("part-signature"),
            part_signature_help: text("part-signature-help"),
            part_testimony: text("part-testimony"),
            part_testimony_help: text("part-testimony-help"),
            required_marker: text("required-marker"),
            optional_marker: text("optional-marker"),
            required_to_share: text("required-to-share"),
            campaign_closed: message("campaign-closed"),
            submit: text("submit"),
            honeypot_label: text("honeypot-label"),
            error_summary_heading: text("error-summary-heading"),
            required: text("required"),
            choose_one: text("choose-one"),
            choose_at_least_one: text("choose-at-least-one"),
            not_an_option: text("not-an-option"),
            control_character: text("control-character"),
            bad_email: text("bad-email"),
            bad_postal_code: text("bad-postal-code"),
            bad_checkbox: text("bad-checkbox"),
            must_tick: text("must-tick"),
            written_but_not_shared: text("written-but-not-shared"),
            damaged_form: text("damaged-form"),
            not_utf8: text("not-utf8"),
            nul_byte: text("nul-byte"),
            token_missing: text("token-missing"),
            token_invalid: text("token-invalid"),
            token_too_young: text("token-too-young"),
            token_expired: text("token-expired"),
            resent_other_answers: text("resent-other-answers"),
            short_of_space: text("short-of-space"),
            not_saved: text("not-saved"),
            thanks: message("thanks"),
            support_heading: text("support-heading"),
            receipt_heading: text("receipt-heading"),
            receipt_body: text("receipt-body"),
            receipt_link: text("receipt-link"),
            withdraw: WithdrawTexts {
                title: text("withdraw-title"),
                body: text("withdraw-body"),
                label: text("withdraw-label"),
                help: text("withdraw-help"),
                submit: text("withdraw-submit"),
                done: message("withdraw-done"),
                bad: text("withdraw-bad"),
            },
            signatories: SignatoriesTexts {
                title: text("signatories-title"),
                intro: text("signatories-intro"),
                link: text("signatories-link"),
                previous: text("signatories-previous"),
                next: text("signatories-next"),
            },
            privacy: PrivacyTexts {
                title: text("privacy-title"),
                organizers_heading: text("privacy-organizers-heading"),
                organizers: text("privacy-organizers"),
                organizers_unnamed: text("privacy-organizers-unnamed"),
                readers_heading: text("privacy-readers-heading"),
                readers_body: text("privacy-readers-body"),
                stored_heading: text("privacy-stored-heading"),
                stored_body: text("privacy-stored-body"),
                public_body: text("privacy-public-body"),
                kept_heading: text("privacy-kept-heading"),
                kept_body: text("privacy-kept-body"),
                withdraw_heading: text("privacy-withdraw-heading"),
                withdraw_no_contact: text("privacy-withdraw-no-contact"),
                withdraw_receipt: text("privacy-withdraw-receipt"),
                device_heading: text("privacy-device-heading"),
                leave_body: text("privacy-leave-body"),
            },
            bad_request: message("bad-request"),
            not_found: message("not-found"),
            too_large: message("too-large"),
            unsupported_media_type: message("unsupported-media-type"),
            server_error: message("server-error"),
            method_not_allowed: message("method-not-allowed"),
            headers_too_large: message("headers-too-large"),
            timeout: message("timeout"),
            unavailable: message("unavailable"),
            rate_limited_title: text("rate-limited-title"),
            home_link: text("home-link"),
        }
    }

    fn format(&self, id: &str, args: &FluentArgs) -> String {
        format(self.language, id, Some(args))
    }

    /// "N people and organizations have signed", in the language's plural form.
    pub fn signatures(&self, count: u64) -> String {
        self.format("signatures", &number_args(self.language, count))
    }

    /// After the label of a field that must be answered when `option` is chosen elsewhere.
    /// The question is not repeated: it can be long, and it is just above.
    pub fn required_if(&self, option: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("option", option);
        self.format("required-if", &args)
    }

    /// The page title when the form comes back with problems.
    pub fn error_title(&self, campaign_title: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("title", campaign_title);
        self.format("error-title", &args)
    }

    /// The title of a message page: its heading and the campaign's title.
    pub fn page_title(&self, heading: &str, campaign_title: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("heading", heading);
        args.set("campaign", campaign_title);
        self.format("page-title", &args)
    }

    /// Said near the letter when it and its questions are in another language than the
    /// page: `language` is theirs, named in itself.
    pub fn campaign_language_note(&self, language: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("language", language);
        self.format("campaign-language-note", &args)
    }

    /// An answer of `length` characters over the `limit`.
    pub fn too_long(&self, length: usize, limit: usize) -> String {
        let separator = self.language.digit_group_separator();
        let mut args = FluentArgs::new();
        args.set("length", grouped(length as u64, separator));
        args.set("limit", grouped(limit as u64, separator));
        self.format("too-long", &args)
    }

    /// A single-value field came twice.
    pub fn duplicate_field(&self, name: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("name", name);
        self.format("duplicate-field", &args)
    }

    /// A field the form does not have came: its name, when it is safe to repeat.
    pub fn unknown_field(&self, name: Option<&str>) -> String {
        match name {
            Some(name) => {
                let mut args = FluentArgs::new();
                args.set("name", name);
                self.format("unknown-field-named", &args)
            }
            None => format(self.language, "unknown-field", None),
        }
    }

    /// One line of the error summary, around the question: the words before it and after it
    /// (with what is wrong with the answer), so that the page can mark the question with its
    /// own language.
    pub fn error_summary_item(&self, problem: &str) -> (String, String) {
        // A private-use character stands for the question; no message contains one.
        const QUESTION: &str = "\u{e000}";
        let mut args = FluentArgs::new();
        args.set("question", QUESTION);
        args.set("problem", problem);
        let line = self.format("error-summary-item", &args);
        match line.split_once(QUESTION) {
            Some((before, after)) => (before.to_owned(), after.to_owned()),
            None => (String::new(), line),
        }
    }

    /// How long answers stay on the server when retention is set to `days`.
    pub fn kept_days(&self, days: u32) -> String {
        let mut args = FluentArgs::new();
        args.set(
            "days",
            grouped(u64::from(days), self.language.digit_group_separator()),
        );
        self.format("privacy-kept-days", &args)
    }

    /// "Page 2 of 7" of the signatory list.
    pub fn signatories_page(&self, page: usize, pages: usize) -> String {
        let separator = self.language.digit_group_separator();
        let mut args = FluentArgs::new();
        args.set("page", grouped(page as u64, separator));
        args.set("pages", grouped(pages as u64, separator));
        self.format("signatories-page", &args)
    }

    /// The languages a support resource works in, as the campaign wrote them.
    pub fn support_languages(&self, languages: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("languages", languages);
        self.format("support-languages", &args)
    }

    /// How to take back what was sent: contact the organizers at `contact`.
    pub fn withdraw_contact(&self, contact: &str) -> String {
        let mut args = FluentArgs::new();
        args.set("contact", contact);
        self.format("privacy-withdraw-contact", &args)
    }

    /// The notice above a rate-limited form: send again in `seconds` (at least 1).
    pub fn rate_limited_notice(&self, seconds: u64) -> String {
        let seconds = seconds.max(1);
        let mut args = number_args(self.language, seconds);
        args.set("seconds", seconds);
        self.format("rate-limited-notice", &args)
    }

    /// The 429 page's text: send again in `seconds` (at least 1).
    pub fn rate_limited(&self, seconds: u64) -> String {
        let seconds = seconds.max(1);
        let mut args = number_args(self.language, seconds);
        args.set("seconds", seconds);
        self.format("rate-limited", &args)
    }
    /// What to tell the person about a form body that could not be read (the 400 page).
    pub fn form_problem(&self, problem: &FormProblem) -> String {
        match problem {
            FormProblem::BadEscape => self.damaged_form.to_owned(),
            FormProblem::NotUtf8 => self.not_utf8.to_owned(),
            FormProblem::Nul => self.nul_byte.to_owned(),
            FormProblem::DuplicateField(name) => self.duplicate_field(name),
            FormProblem::UnknownField(name) => self.unknown_field(name.as_deref()),
        }
    }

    /// What to tell the person next to an answer that needs attention.
    pub fn answer_problem(&self, problem: AnswerProblem) -> String {
        match problem {
            AnswerProblem::Required => self.required.to_owned(),
            AnswerProblem::ChooseOne => self.choose_one.to_owned(),
            AnswerProblem::ChooseAtLeastOne => self.choose_at_least_one.to_owned(),
            AnswerProblem::NotAnOption => self.not_an_option.to_owned(),
            AnswerProblem::ControlCharacter => self.control_character.to_owned(),
            AnswerProblem::BadEmail => self.bad_email.to_owned(),
            AnswerProblem::BadPostalCode => self.bad_postal_code.to_owned(),
            AnswerProblem::BadCheckbox => self.bad_checkbox.to_owned(),
            AnswerProblem::MustTick => self.must_tick.to_owned(),
            AnswerProblem::WrittenButNotShared => self.written_but_not_shared.to_owned(),
            AnswerProblem::TooLong { length, limit } => self.too_long(length, limit),
        }
    }

    /// The notice above the form when its token was refused.
    pub fn token_problem(&self, problem: TokenProblem) -> &'static str {
        match problem {
            TokenProblem::Missing => self.token_missing,
            TokenProblem::Invalid => self.token_invalid,
            TokenProblem::TooYoung { .. } => self.token_too_young,
            TokenProblem::Expired => self.token_expired,
        }
    }
}

/// The sentences for the language whose tag is `tag`, or the closest we have (`zh-TW` →
/// `zh-Hant`; English when none is close), as in `texts("en").thanks.title`.
pub fn texts(tag: &str) -> &'static Texts {
    Language::from_tag(tag)
        .or_else(|| Language::closest(tag))
        .unwrap_or(Language::English)
        .texts()
}

/// `1234567` → `1,234,567` (with `,` as the `separator`).
pub(super) fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use fluent_syntax::ast::Entry;

    use super::*;

    /// Every message of every language formats without a Fluent error, given the arguments
    /// the code passes (a missing message, a misspelt variable or a bad reference would show).
    #[test]
    fn every_message_of_every_language_formats() {
        let mut args = number_args(Language::English, 2);
        for (name, value) in [
            ("option", "Organization"),
            ("title", "Campaign"),
            ("heading", "Heading"),
            ("campaign", "Campaign"),
            ("language", "English"),
            ("length", "20,041"),
            ("limit", "20,000"),
            ("name", "colour"),
            ("question", "Your name"),
            ("problem", "Please answer this question."),
            ("contact", "letter@example.org"),
            ("languages", "English, 中文"),
            ("days", "90"),
            ("page", "2"),
            ("pages", "7"),
        ] {
            args.set(name, value);
        }
        args.set("seconds", 2);
        let english = FluentResource::try_new(Language::English.source().to_owned())
            .unwrap_or_else(|_| panic!("English does not parse"));
        let ids: Vec<&str> = english
            .entries()
            .filter_map(|entry| match entry {
                Entry::Message(message) => Some(message.id.name),
                _ => None,
            })
            .collect();
        assert!(ids.len() > 50, "{ids:?}");
        for language in Language::ALL {
            for id in &ids {
                let own = &BUNDLES[language as usize];
                assert!(own.has_message(id), "{} lacks {id}", language.tag());
                let (text, errors) = format_checked(language, id, Some(&args));
                assert!(errors.is_empty(), "{}: {errors:?}", language.tag());
                assert!(!text.trim().is_empty(), "{} {id} is empty", language.tag());
            }
        }
    }

    #[test]
    fn numbers_and_plurals_follow_the_language() {
        let en = Language::English.texts();
        assert_eq!(en.signatures(1), "1 person or organization has signed.");
        assert_eq!(en.signatures(0), "0 people and organizations have signed.");
        assert_eq!(
            en.signatures(1234),
            "1,234 people and organizations have signed."
        );
        assert!(en.rate_limited(0).ends_with("send again in 1 second."));
        assert!(
            en.rate_limited(1234)
                .ends_with("send again in 1,234 seconds.")
        );
        assert!(
            Language::French
                .texts()
                .signatures(1234)
                .starts_with("1\u{202f}234 ")
        );
        assert!(
            Language::Spanish
                .texts()
                .too_long(20_041, 20_000)
                .contains("20.041")
        );
        assert_eq!(texts("xx").thanks.title, "Thank you");
        assert_eq!(texts("zh-TW").submit, "送出");
        assert_eq!(texts("fr").language_name, "Français");
        let mirrored = Language::RtlTest.texts().submit;
        assert_eq!(mirrored, "\u{202e}Send\u{202c}");
    }
}
