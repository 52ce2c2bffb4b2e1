// What must hold for any form body, whatever its bytes: the `form` fuzz target
// (fuzz/fuzz_targets/form.rs) and the corpus replay test (server/tests/fuzz_corpus.rs) both
// `include!` this file, inside a module, so the two cannot drift apart. Items only: an included
// file cannot carry inner attributes or `//!` comments.
//
// Each check panics with what broke; a panic is what libFuzzer reports as a crash.

use seal::{Day, FieldValue, Submission};
use sealform_server::campaign::{
    Campaign, FieldKind, FieldSpec, HONEYPOT_FIELD, INTENT_FIELD, TOKEN_FIELD,
};
use sealform_server::form::{AnswerProblem, FieldProblem, FormInput, FormProblem, validate};
use sealform_server::pages::{self, FormView};

/// The day every checked submission is received on (2025-11-28; any fixed day would do).
const RECEIVED_DAYS_SINCE_EPOCH: i64 = 20_420;

/// A token of the real shape (80 hex digits); the form page only shows it.
const FORM_TOKEN: &str =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677";

/// Parses `body` as the form of `campaign`, validates it, renders what the person would see,
/// and checks every invariant on the way.
pub fn check_form(body: &[u8], campaign: &Campaign) {
    let expected = reference_parse(body, campaign);
    match FormInput::parse(body, campaign) {
        Err(problem) => {
            check_form_problem(&problem, campaign);
            assert_eq!(
                Err(&problem),
                expected.as_ref().map(|_| ()),
                "parse refused a body for another reason than the reference parser"
            );
            check_problem_page(&problem, campaign);
        }
        Ok(input) => {
            let pairs = match &expected {
                Ok(pairs) => pairs,
                Err(problem) => {
                    panic!("parse accepted a body the reference parser refuses: {problem:?}")
                }
            };
            check_values(&input, pairs, campaign);
            check_validated(&input, campaign);
        }
    }
}

/// A [`FormProblem`] repeats nothing a person typed: a name only when it is the campaign's own
/// (or the token or trap field), or looks like a plain field name.
fn check_form_problem(problem: &FormProblem, campaign: &Campaign) {
    match problem {
        FormProblem::DuplicateField(name) => {
            let spec = campaign.field(name);
            assert!(
                spec.is_some() || name == TOKEN_FIELD || name == HONEYPOT_FIELD,
                "DuplicateField names a field the form does not have: {name:?}"
            );
            assert!(
                spec.is_none_or(|s| s.kind != FieldKind::MultiChoice),
                "a multi choice sent twice was refused: {name:?}"
            );
        }
        FormProblem::UnknownField(Some(name)) => {
            assert!(
                is_plain_name(name),
                "UnknownField repeats something that is not a plain field name: {name:?}"
            );
            assert!(
                campaign.field(name).is_none() && name != TOKEN_FIELD && name != HONEYPOT_FIELD,
                "a known field was called unknown: {name:?}"
            );
        }
        FormProblem::UnknownField(None)
        | FormProblem::BadEscape
        | FormProblem::NotUtf8
        | FormProblem::Nul => {}
    }
}

/// What the 400 page shows for `problem` is escaped: it has exactly the markup of a message
/// page with a plain sentence.
fn check_problem_page(problem: &FormProblem, campaign: &Campaign) {
    let t = pages::texts(campaign.language());
    let page = pages::message_page(campaign, t.bad_request.title, &t.form_problem(problem));
    let plain = pages::message_page(campaign, t.bad_request.title, t.bad_request.body);
    assert_same_markup(&page, &plain, "the 400 page");
}

/// Every value the input holds is what the body sent, in order: CRLF line breaks become LF in
/// long text, nothing else changes.
fn check_values(input: &FormInput, pairs: &[(String, String)], campaign: &Campaign) {
    let mut names: Vec<&str> = campaign.fields().iter().map(|f| f.name.as_str()).collect();
    names.extend([TOKEN_FIELD, HONEYPOT_FIELD]);
    for name in names {
        let long_text = campaign
            .field(name)
            .is_some_and(|f| f.kind == FieldKind::LongText);
        let expected: Vec<String> = pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| {
                if long_text {
                    v.replace("\r\n", "\n")
                } else {
                    v.clone()
                }
            })
            .collect();
        let got: Vec<&str> = input.expose_values(name).collect();
        assert_eq!(
            got, expected,
            "the values of {name:?} are not what was sent"
        );
        assert_eq!(
            input.expose_value(name),
            expected.first().map(String::as_str)
        );
    }
    assert_eq!(
        input.token(),
        pairs
            .iter()
            .find(|(n, _)| n == TOKEN_FIELD)
            .map(|(_, v)| v.as_str())
    );
    assert_eq!(
        input.honeypot_filled(),
        pairs
            .iter()
            .any(|(n, v)| n == HONEYPOT_FIELD && !v.is_empty())
    );
}

fn check_validated(input: &FormInput, campaign: &Campaign) {
    let received = Day::from_days_since_epoch(RECEIVED_DAYS_SINCE_EPOCH);
    match validate(input, campaign, received) {
        Ok(submission) => {
            check_submission(&submission, input, campaign, received);
            check_resubmission(&submission, campaign, received);
            check_form_page(input, &[], campaign);
        }
        Err(problems) => {
            check_field_problems(&problems, input, campaign);
            check_form_page(input, &problems, campaign);
        }
    }
}

/// A validated submission keeps to every rule of its campaign.
fn check_submission(submission: &Submission, input: &FormInput, campaign: &Campaign, day: Day) {
    assert_eq!(submission.campaign(), campaign.id());
    assert_eq!(submission.language(), campaign.language());
    assert_eq!(submission.received(), day);
    let fields = submission.expose_fields();
    assert_eq!(
        fields.len(),
        campaign.fields().len(),
        "one field per question"
    );
    for (field, spec) in fields.iter().zip(campaign.fields()) {
        assert_eq!(field.name(), spec.name, "fields keep the form's order");
        let name = &spec.name;
        let sent = input.expose_value(name);
        let required = spec.required
            || spec
                .required_when
                .as_ref()
                .is_some_and(|c| input.expose_value(&c.field) == Some(c.equals.as_str()));
        match (spec.kind, field.expose_value()) {
            (kind, FieldValue::Text(text)) if kind.is_text() => {
                let multiline = kind == FieldKind::LongText;
                assert!(
                    text.chars()
                        .all(|c| !c.is_control() || c == '\t' || (multiline && c == '\n')),
                    "{name}: a control character other than tab (or LF in long text) was accepted"
                );
                assert!(
                    text.chars().count() <= spec.max_length,
                    "{name}: longer than max_length {} was accepted",
                    spec.max_length
                );
                let sent = sent.unwrap_or("");
                let expected = if sent.trim().is_empty() {
                    ""
                } else if multiline {
                    sent
                } else {
                    sent.trim()
                };
                assert_eq!(text, expected, "{name}: the answer is not what was sent");
                assert!(!(required && text.is_empty()), "{name}: required but empty");
                if !text.is_empty() && kind == FieldKind::Email {
                    let (local, domain) = text.split_once('@').expect("an e-mail has an @");
                    assert!(!local.is_empty() && !domain.is_empty() && !domain.contains('@'));
                    assert!(
                        !text.chars().any(char::is_whitespace),
                        "{name}: spaces accepted"
                    );
                }
                if kind == FieldKind::PostalCode {
                    assert!(
                        text.chars()
                            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-'),
                        "{name}: not a postal code"
                    );
                }
            }
            (FieldKind::SingleChoice, FieldValue::Choice(choice)) => {
                if choice.is_empty() {
                    assert!(!required, "{name}: required choice left empty");
                    assert!(
                        sent.is_none_or(str::is_empty),
                        "{name}: the choice was lost"
                    );
                } else {
                    assert!(is_option(spec, choice), "{name}: not an option: accepted");
                    assert_eq!(sent, Some(choice.as_str()));
                }
            }
            (FieldKind::MultiChoice, FieldValue::Choices(choices)) => {
                let in_form_order: Vec<&str> = spec
                    .options
                    .iter()
                    .map(|o| o.value.as_str())
                    .filter(|v| choices.iter().any(|c| c == v))
                    .collect();
                assert_eq!(
                    choices.iter().map(String::as_str).collect::<Vec<_>>(),
                    in_form_order,
                    "{name}: choices must be options, each once, in the form's order"
                );
                assert!(
                    !(required && choices.is_empty()),
                    "{name}: required but none"
                );
                for picked in input.expose_values(name).filter(|v| !v.is_empty()) {
                    assert!(
                        choices.iter().any(|c| c == picked),
                        "{name}: a pick was lost"
                    );
                }
            }
            (FieldKind::Consent, FieldValue::Consent(ticked)) => {
                assert_eq!(
                    *ticked,
                    sent == Some("on"),
                    "{name}: the box is not as sent"
                );
                assert!(!required || *ticked, "{name}: must be ticked");
            }
            (kind, _) => panic!("{name}: a {kind:?} question got a value of another kind"),
        }
    }
}

/// The answers of a validated submission, sent again as a browser would send them, validate
/// to the very same submission (the form shown again must never refuse what it accepted).
fn check_resubmission(submission: &Submission, campaign: &Campaign, day: Day) {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for field in submission.expose_fields() {
        match field.expose_value() {
            FieldValue::Text(text) => {
                body.append_pair(field.name(), &text.replace('\n', "\r\n"));
            }
            FieldValue::Choice(choice) => {
                body.append_pair(field.name(), choice);
            }
            FieldValue::Choices(choices) => {
                for choice in choices {
                    body.append_pair(field.name(), choice);
                }
            }
            FieldValue::Consent(true) => {
                body.append_pair(field.name(), "on");
            }
            FieldValue::Consent(false) => {}
        }
    }
    body.append_pair(TOKEN_FIELD, FORM_TOKEN);
    let body = body.finish();
    let input = FormInput::parse(body.as_bytes(), campaign)
        .unwrap_or_else(|p| panic!("a validated submission, sent again, is refused: {p:?}"));
    let again = validate(&input, campaign, day)
        .unwrap_or_else(|p| panic!("a validated submission, sent again, is invalid: {p:?}"));
    let values = |s: &Submission| {
        s.expose_fields()
            .iter()
            .map(|f| (f.name().to_owned(), describe(f.expose_value())))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        values(&again),
        values(submission),
        "sent again, the answers changed"
    );
}

/// A field value as plain data, to compare (`FieldValue` prints redacted).
fn describe(value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => format!("text {text:?}"),
        FieldValue::Choice(choice) => format!("choice {choice:?}"),
        FieldValue::Choices(choices) => format!("choices {choices:?}"),
        FieldValue::Consent(ticked) => format!("consent {ticked}"),
    }
}

/// Problems name the campaign's own fields, once each, with a problem that fits the kind.
fn check_field_problems(problems: &[FieldProblem], input: &FormInput, campaign: &Campaign) {
    assert!(!problems.is_empty(), "validation failed without saying why");
    for (i, problem) in problems.iter().enumerate() {
        let name = &problem.field;
        assert!(
            !problems[..i].iter().any(|p| &p.field == name),
            "two problems for {name:?}"
        );
        if name == INTENT_FIELD {
            assert!(
                campaign.testimony().is_some(),
                "a problem with the intent on a form that does not ask it"
            );
            assert!(
                matches!(problem.problem, AnswerProblem::ChooseOne | AnswerProblem::NotAnOption),
                "intent: {:?}",
                problem.problem
            );
            continue;
        }
        let spec = campaign
            .field(name)
            .unwrap_or_else(|| panic!("a problem names a field the form does not have: {name:?}"));
        let kind = spec.kind;
        let fits = match problem.problem {
            AnswerProblem::Required | AnswerProblem::ControlCharacter => kind.is_text(),
            AnswerProblem::TooLong { length, limit } => {
                let sent = input.expose_value(name).unwrap_or("");
                kind.is_text()
                    && limit == spec.max_length
                    && length > limit
                    && length <= sent.chars().count()
            }
            AnswerProblem::BadEmail => kind == FieldKind::Email,
            AnswerProblem::BadPostalCode => kind == FieldKind::PostalCode,
            AnswerProblem::ChooseOne => kind == FieldKind::SingleChoice,
            AnswerProblem::ChooseAtLeastOne => kind == FieldKind::MultiChoice,
            AnswerProblem::NotAnOption => kind.is_choice(),
            AnswerProblem::BadCheckbox | AnswerProblem::MustTick => kind == FieldKind::Consent,
            AnswerProblem::WrittenButNotShared => {
                campaign.testimony() == Some(name.as_str())
                    && input.expose_value(INTENT_FIELD) == Some("sign")
            }
        };
        assert!(
            fits,
            "{name}: {:?} does not fit a {kind:?} question",
            problem.problem
        );
    }
}

/// The form shown again with what was typed has exactly the markup of the same form shown
/// blank with the same problems: every answer is escaped, in text and in attributes.
fn check_form_page(input: &FormInput, problems: &[FieldProblem], campaign: &Campaign) {
    let filled = form_page(campaign, input, problems);
    let blank = form_page(campaign, &FormInput::blank(), problems);
    assert_same_markup(&filled, &blank, "the form page");
}

/// The form page for `input` with `problems`, as `POST /sign` shows it again.
fn form_page(campaign: &Campaign, input: &FormInput, problems: &[FieldProblem]) -> String {
    pages::form_page(
        campaign,
        &FormView {
            input,
            problems,
            notice: None,
            token: FORM_TOKEN,
            signatures: 0,
            public_list: false,
        },
    )
}

/// `page` has as many of each character that can open or close markup as `plain`.
fn assert_same_markup(page: &str, plain: &str, what: &str) {
    for c in ['<', '>', '"', '\''] {
        assert_eq!(
            page.matches(c).count(),
            plain.matches(c).count(),
            "{what} has unescaped {c:?}: something typed became markup"
        );
    }
}

fn is_option(spec: &FieldSpec, value: &str) -> bool {
    spec.options.iter().any(|o| o.value == value)
}

/// A name the 400 page may repeat: 1 to 32 ASCII letters, digits, `_` or `-`.
fn is_plain_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An independent, deliberately plain parser of the same rules (`&`-separated pairs, `+` is a
/// space, `%XX` a byte, names checked before values are decoded, the first problem wins), to
/// compare `FormInput::parse` with: the pairs as sent, or the problem.
fn reference_parse(body: &[u8], campaign: &Campaign) -> Result<Vec<(String, String)>, FormProblem> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in body.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let name = reference_decode(name)?;
        let spec = campaign.field(&name);
        if spec.is_none() && name != TOKEN_FIELD && name != HONEYPOT_FIELD {
            let shown = is_plain_name(&name).then_some(name);
            return Err(FormProblem::UnknownField(shown));
        }
        let value = reference_decode(value)?;
        let repeatable = spec.is_some_and(|s| s.kind == FieldKind::MultiChoice);
        if !repeatable && pairs.iter().any(|(n, _)| *n == name) {
            return Err(FormProblem::DuplicateField(name));
        }
        pairs.push((name, value));
    }
    Ok(pairs)
}

fn reference_decode(raw: &[u8]) -> Result<String, FormProblem> {
    let mut bytes = Vec::new();
    let mut rest = raw;
    while let Some((&first, tail)) = rest.split_first() {
        rest = tail;
        match first {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = rest.get(..2).ok_or(FormProblem::BadEscape)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(FormProblem::BadEscape);
                }
                let hex = std::str::from_utf8(hex).expect("hex digits are ASCII");
                bytes.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
                rest = &rest[2..];
            }
            other => bytes.push(other),
        }
    }
    if bytes.contains(&0) {
        return Err(FormProblem::Nul);
    }
    String::from_utf8(bytes).map_err(|_| FormProblem::NotUtf8)
}
