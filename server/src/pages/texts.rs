//! Every sentence a person reads, in one table per language, and the one place where typed
//! problems become words.

use crate::form::{AnswerProblem, FormProblem};
use crate::token::TokenProblem;

/// Every sentence a person reads, in one language. To translate sealform, copy [`ENGLISH`],
/// translate it, and return it from [`texts`] for its language tag.
#[derive(Debug)]
pub struct Texts {
    /// The heading above the form.
    pub sign_heading: &'static str,
    /// "N people and organizations have signed".
    pub signatures: fn(u64) -> String,
    /// Said once above the form about what happens to the answers.
    pub privacy_note: &'static str,
    /// After the label of a field that must be answered.
    pub required_marker: &'static str,
    /// After the label of a field that must be answered in some cases: (question, option).
    pub required_if: fn(&str, &str) -> String,
    /// The send button.
    pub submit: &'static str,
    /// The label of the trap field people never see (but a text browser shows).
    pub honeypot_label: &'static str,
    /// The heading of the list of problems.
    pub error_summary_heading: &'static str,
    /// Put before the page title when the form has problems.
    pub error_title_prefix: &'static str,

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
    /// (length, limit), both in characters.
    pub too_long: fn(usize, usize) -> String,

    /// A `%` escape in the body is broken.
    pub damaged_form: &'static str,
    /// The body is not UTF-8.
    pub not_utf8: &'static str,
    /// The body has a NUL byte.
    pub nul_byte: &'static str,
    /// A single-value field came twice: (field name).
    pub duplicate_field: fn(&str) -> String,
    /// A field the form does not have came: (its name, when it is safe to repeat).
    pub unknown_field: fn(Option<&str>) -> String,

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

    /// The page after a successful submission.
    pub thanks: Message,
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
    /// The 429 page's text: (seconds to wait).
    pub rate_limited: fn(u64) -> String,
    /// The link from a message page to the letter.
    pub home_link: &'static str,
}

/// A page's title and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    /// The heading (and tab title).
    pub title: &'static str,
    /// What happened and what to do.
    pub body: &'static str,
}

/// English, the language sealform ships in.
pub static ENGLISH: Texts = Texts {
    sign_heading: "Sign the letter",
    signatures: |n| match n {
        1 => "1 person or organization has signed.".to_owned(),
        n => format!("{} people and organizations have signed.", grouped(n)),
    },
    privacy_note: "Your answers are encrypted as soon as they arrive: only the organizers can \
        read them. This page uses no cookies, no scripts and no trackers.",
    required_marker: "(required)",
    // The question is not repeated: it can be long, and it is just above.
    required_if: |_question, option| format!("(required if you chose \u{201c}{option}\u{201d})"),
    submit: "Send",
    honeypot_label: "Leave this empty",
    error_summary_heading: "Please check your answers",
    error_title_prefix: "Please check your answers: ",

    required: "Please answer this question.",
    choose_one: "Please choose one of the options.",
    choose_at_least_one: "Please tick at least one of the options.",
    not_an_option: "Please choose from the options shown (the form sent one it does not have).",
    control_character: "This answer contains an invisible control character (often from text \
        copied elsewhere, or a line break in a one-line answer), which cannot be saved. Please \
        delete and retype the part you pasted \u{2014} the rest of your text is kept below.",
    bad_email: "This does not look like an email address: it needs one @ with something on \
        each side, and no spaces. You can also leave it empty.",
    bad_postal_code: "A postal code has only letters, digits, spaces and hyphens. You can also \
        leave it empty.",
    bad_checkbox: "This checkbox sent an unexpected value. Please tick or untick it again.",
    must_tick: "Please tick this box to continue.",
    too_long: |length, limit| {
        format!(
            "This answer is {} characters; the limit is {}. Please shorten it \u{2014} your text \
             is kept below.",
            grouped(length as u64),
            grouped(limit as u64)
        )
    },

    damaged_form: "The form\u{2019}s data was damaged on the way, so nothing was saved. Please go \
        back and press Send again.",
    not_utf8: "The form\u{2019}s text could not be read (it was not sent as UTF-8), so nothing \
        was saved. Please go back and send it again, if you can from an up-to-date browser.",
    nul_byte: "The form contained a character that cannot be saved (a NUL byte), so nothing \
        was saved. Please go back, remove any unusual characters you pasted, and send again.",
    duplicate_field: |name| {
        format!(
            "The form sent the field \u{201c}{name}\u{201d} twice, which happens when a browser \
             extension or an old copy of the page changes the form. Nothing was saved. Please go \
             back, reload the page, and fill it in again."
        )
    },
    unknown_field: |name| {
        let which = match name {
            Some(name) => format!("a field called \u{201c}{name}\u{201d}"),
            None => "a field".to_owned(),
        };
        format!(
            "The form sent {which} that this form does not have, which happens when a browser \
             extension or an old copy of the page changes the form. Nothing was saved. Please go \
             back, reload the page, and fill it in again."
        )
    },

    token_missing: "The form arrived without its security code, so nothing was saved yet. Your \
        answers are kept below \u{2014} please press Send again.",
    token_invalid: "This copy of the form is out of date (the site may have restarted), so \
        nothing was saved yet. Your answers are kept below \u{2014} please press Send again.",
    token_too_young: "Please wait a moment and press Send again \u{2014} your answers are kept.",
    short_of_space: "Your answers could not be saved just now: the server is short of storage \
        space. Nothing was saved. Your answers are kept below \u{2014} please press Send again \
        later (in an hour, or tomorrow), and keep this page open until then.",
    resent_other_answers: "This form was already sent, and the answers sent then were \
        received. The changed answers below were not saved. If you want them saved too, press \
        Send again: that adds a second, separate submission.",
    token_expired: "This form was open for a long time, so it had to be refreshed and nothing \
        was saved yet. Your answers are kept below \u{2014} please press Send again.",

    thanks: Message {
        title: "Thank you",
        body: "Your answers arrived and were encrypted at once, so only the organizers of this \
            letter can read them. You can close this page now.",
    },
    bad_request: Message {
        title: "The form could not be read",
        body: "What arrived was not a form this site can read, so nothing was saved. Please go \
            back, reload the page, and try again.",
    },
    not_found: Message {
        title: "Page not found",
        body: "There is no page at this address. The letter and its form are on the front page.",
    },
    too_large: Message {
        title: "Your answers are too long to send",
        body: "Nothing was saved. Your text is still in the form: use your browser\u{2019}s Back \
            button, shorten the longest answer, and press Send again.",
    },
    unsupported_media_type: Message {
        title: "The form could not be read",
        body: "What arrived was not sent the way a web form is sent, so nothing was saved. \
            Please go back and press Send again from the form page.",
    },
    server_error: Message {
        title: "Something went wrong on our side",
        body: "Your answers were not saved. Your text is still in the form: use your browser\u{2019}s \
            Back button and press Send again in a few minutes.",
    },
    method_not_allowed: Message {
        title: "This address does not take that request",
        body: "Nothing was saved. The letter and its form are on the front page.",
    },
    headers_too_large: Message {
        title: "Your browser sent more than this site reads",
        body: "Nothing was saved: the request carried too much extra information (very large \
            cookies or headers, often from a browser extension). Your text is still in the form: \
            go back and send again, or use a private window.",
    },
    timeout: Message {
        title: "Your answers took too long to arrive",
        body: "Nothing was saved; the connection was too slow. Your text is still in the form: \
            use your browser\u{2019}s Back button and press Send again.",
    },
    unavailable: Message {
        title: "Your answers could not be saved just now",
        body: "Nothing was saved: the server is very busy or has a problem. Your text is still \
            in the form: use your browser\u{2019}s Back button and press Send again in a minute.",
    },
    rate_limited_title: "Please wait a little",
    rate_limited: |seconds| {
        let wait = match seconds {
            0 | 1 => "1 second".to_owned(),
            n => format!("{} seconds", grouped(n)),
        };
        format!(
            "Many forms were sent from your connection in a short time, so this one was not \
             saved yet. Your text is still in the form: go back with your browser\u{2019}s Back \
             button and send again in {wait}."
        )
    },
    home_link: "Go to the letter",
};

/// The sentences for `language`. Only English ships; a translation adds a table and a `match`
/// on the language tag here.
pub fn texts(_language: &str) -> &'static Texts {
    &ENGLISH
}

impl Texts {
    /// What to tell the person about a form body that could not be read (the 400 page).
    pub fn form_problem(&self, problem: &FormProblem) -> String {
        match problem {
            FormProblem::BadEscape => self.damaged_form.to_owned(),
            FormProblem::NotUtf8 => self.not_utf8.to_owned(),
            FormProblem::Nul => self.nul_byte.to_owned(),
            FormProblem::DuplicateField(name) => (self.duplicate_field)(name),
            FormProblem::UnknownField(name) => (self.unknown_field)(name.as_deref()),
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
            AnswerProblem::TooLong { length, limit } => (self.too_long)(length, limit),
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

/// `1234567` → `1,234,567`.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
