//! Form bodies: decoded strictly (what no browser sends is refused, and the 400 page says why
//! without quoting any answer), then validated against the built-in campaign (every problem
//! at once, and every answer kept).

use proptest::prelude::*;
use seal::{Day, FieldValue};
use sealform_server::campaign::Campaign;
use sealform_server::form::{AnswerProblem, FormInput, is_signature, validate};
use sealform_server::pages::texts;
fn campaign() -> Campaign {
    Campaign::builtin()
}

fn day() -> Day {
    "2026-11-28".parse().unwrap()
}

fn body(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

fn parse(pairs: &[(&str, &str)]) -> FormInput {
    FormInput::parse(body(pairs).as_bytes(), &campaign()).unwrap()
}

/// What the 400 page says about `body`.
fn bad_form(body: &[u8]) -> String {
    match FormInput::parse(body, &campaign()) {
        Err(problem) => texts("en").form_problem(&problem),
        Ok(input) => panic!("expected a form problem, got {input:?}"),
    }
}

fn errors(input: &FormInput) -> Vec<(String, String)> {
    match validate(input, &campaign(), day()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| (e.field, texts("en").answer_problem(e.problem)))
            .collect(),
    }
}

fn error_fields(input: &FormInput) -> Vec<String> {
    errors(input).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn parses_what_a_browser_sends() {
    let input = FormInput::parse(
        b"sign_as=individual&name=Mai+Tran&actions=talk_to_media&actions=donate&harm=line+1%0D%0Aline+2\
          &consent_public=on&token=abc&website=",
        &campaign(),
    )
    .unwrap();
    assert_eq!(input.expose_value("name"), Some("Mai Tran"));
    assert_eq!(input.expose_value("harm"), Some("line 1\nline 2"));
    let breaks = parse(&[("comment", "a\r\nb\rc\n\r\nd\r\r\ne\r")]);
    // CRLF (what browsers send) becomes LF; a lone CR stays, for validation to refuse.
    assert_eq!(breaks.expose_value("comment"), Some("a\nb\rc\n\nd\r\ne\r"));
    // Only long text is rewritten.
    assert_eq!(
        parse(&[("name", "a\r\nb")]).expose_value("name"),
        Some("a\r\nb")
    );
    assert_eq!(
        input.expose_values("actions").collect::<Vec<_>>(),
        ["talk_to_media", "donate"]
    );
    assert_eq!(input.token(), Some("abc"));
    assert!(!input.honeypot_filled());
    assert_eq!(input.expose_value("email"), None);
    assert_eq!(format!("{input:?}"), "FormInput(..redacted..)");

    let utf8 = parse(&[("name", "阮氏梅 🌸 &=+%")]);
    assert_eq!(utf8.expose_value("name"), Some("阮氏梅 🌸 &=+%"));
    assert!(parse(&[("website", "http://spam")]).honeypot_filled());
    assert_eq!(FormInput::parse(b"", &campaign()).unwrap().token(), None);
}

#[test]
fn refuses_invalid_utf8_nul_and_bad_escapes() {
    let reason = bad_form(b"name=%FF%FE&sign_as=individual");
    assert!(reason.contains("UTF-8"), "{reason}");
    let reason = bad_form(b"name=\xC3\x28");
    assert!(reason.contains("UTF-8"), "{reason}");
    let reason = bad_form(b"comment=a%00b");
    assert!(reason.contains("NUL"), "{reason}");
    let reason = bad_form(b"comment=50%25+or+50%");
    assert!(reason.contains("damaged"), "{reason}");
    let reason = bad_form(b"comment=%zz");
    assert!(reason.contains("damaged"), "{reason}");
    // An escape cut short at the end of the body, or by the next field.
    for cut in [
        &b"comment=ab%4"[..],
        b"comment=%",
        b"comment=%4&name=x",
        b"name=%e9%",
    ] {
        let reason = bad_form(cut);
        assert!(reason.contains("damaged"), "{reason}");
    }
}

/// `text` urlencoded with each byte escaped as `how` says (cycled): 0 as it is where that is
/// allowed, 1 as `%XX`, 2 as `%xx`, 3 a space as `+`.
fn escaped(text: &str, how: &[u8]) -> String {
    let mut out = String::new();
    for (i, byte) in text.bytes().enumerate() {
        let how = how.get(i % how.len().max(1)).copied().unwrap_or(0);
        match (how, byte) {
            (3, b' ') => out.push('+'),
            (0, b'!'..=b'~') if !b"%&+=".contains(&byte) => out.push(char::from(byte)),
            (2, _) => out.push_str(&format!("%{byte:02x}")),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

proptest! {
    /// However a client escapes a value (bytes left as they are, escaped in upper or lower
    /// case, spaces as `+`, in any mix), it decodes to exactly what was typed.
    #[test]
    fn every_escaping_decodes_to_what_was_typed(
        text in "[^\u{0}]{0,48}",
        how in prop::collection::vec(0u8..4, 0..16),
    ) {
        let body = format!("name={}&comment={}", escaped(&text, &how), escaped(&text, &how));
        let input = FormInput::parse(body.as_bytes(), &campaign()).unwrap();
        prop_assert_eq!(input.expose_value("name"), Some(text.as_str()));
        // A long answer's CRLF line breaks become LF.
        let lf = text.replace("\r\n", "\n");
        prop_assert_eq!(input.expose_value("comment"), Some(lf.as_str()));
    }
}

#[test]
fn refuses_duplicates_except_for_multi_choice() {
    let reason = bad_form(b"name=a&name=b");
    assert!(reason.contains("\u{201c}name\u{201d} twice"), "{reason}");
    let reason = bad_form(b"token=a&token=b");
    assert!(reason.contains("token"), "{reason}");
    let reason = bad_form(b"consent_public=on&consent_public=on");
    assert!(reason.contains("consent_public"), "{reason}");
    let reason = bad_form(b"sign_as=individual&sign_as=organization");
    assert!(reason.contains("sign_as"), "{reason}");
    assert!(FormInput::parse(b"actions=donate&actions=donate", &campaign()).is_ok());
}

#[test]
fn refuses_unknown_fields_without_quoting_text() {
    let reason = bad_form(b"name=a&password=b");
    assert!(reason.contains("\u{201c}password\u{201d}"), "{reason}");
    let reason = bad_form("my+secret+story=x".as_bytes());
    assert!(!reason.contains("secret"), "{reason}");
    let reason = bad_form(b"%3Cb%3E=x");
    assert!(!reason.contains("<b>"), "{reason}");
}

#[test]
fn bad_form_messages_never_contain_values() {
    for body in [
        &b"name=SECRETVALUE&name=SECRETVALUE"[..],
        b"harm=SECRETVALUE%00",
        b"harm=SECRETVALUE%FF",
        b"harm=SECRETVALUE%G1",
    ] {
        assert!(!bad_form(body).contains("SECRETVALUE"));
    }
}

#[test]
fn a_complete_answer_becomes_a_submission_in_field_order() {
    let input = parse(&[
        ("consent_public", "on"),
        ("intent", "sign_and_share"),
        ("name", "  Mai  "),
        ("sign_as", "individual"),
        ("actions", "donate"),
        ("actions", "share_social_media"),
        ("harm", "  first line\nsecond  "),
        ("email", "mai@example.org"),
        ("postal_code", "M5V 2T6"),
    ]);
    let submission = validate(&input, &campaign(), day()).unwrap();
    assert_eq!(submission.campaign(), "open-letter");
    assert_eq!(submission.language(), "en");
    assert_eq!(submission.received(), day());
    let names: Vec<&str> = submission
        .expose_fields()
        .iter()
        .map(|f| f.name())
        .collect();
    let c = campaign();
    let expected: Vec<&str> = ["intent"]
        .into_iter()
        .chain(c.fields().iter().map(|f| f.name.as_str()))
        .collect();
    assert_eq!(names, expected);
    assert_eq!(submission.campaign_version(), Some(c.version()));
    let value = |name| submission.expose_field(name).unwrap();
    assert_eq!(
        value("intent"),
        &FieldValue::Choice("sign_and_share".into())
    );
    assert_eq!(value("name"), &FieldValue::Text("Mai".into()));
    assert_eq!(value("organization_name"), &FieldValue::Text(String::new()));
    assert_eq!(
        value("organization_type"),
        &FieldValue::Choice(String::new())
    );
    assert_eq!(
        value("actions"),
        &FieldValue::Choices(vec!["share_social_media".into(), "donate".into()])
    );
    assert_eq!(
        value("harm"),
        &FieldValue::Text("  first line\nsecond  ".into())
    );
    assert_eq!(value("comment"), &FieldValue::Text(String::new()));
    assert_eq!(value("consent_public"), &FieldValue::Consent(true));
    assert_eq!(value("consent_contact"), &FieldValue::Consent(false));
}

#[test]
fn required_and_required_when() {
    // Nothing chosen: only the choice of what to do is asked for, as the rest depends on it.
    assert_eq!(error_fields(&FormInput::blank()), ["intent"]);
    assert_eq!(error_fields(&parse(&[("intent", "sign")])), ["sign_as"]);
    let nameless = parse(&[("intent", "sign"), ("sign_as", "individual")]);
    assert_eq!(error_fields(&nameless), ["name"]);
    let individual = parse(&[
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", "Mai"),
    ]);
    assert!(error_fields(&individual).is_empty());
    // For an organization, its name is needed and a person's name is not.
    let organization = parse(&[
        ("intent", "sign"),
        ("sign_as", "organization"),
        ("name", "Mai"),
    ]);
    assert_eq!(error_fields(&organization), ["organization_name"]);
    let only_organization = parse(&[
        ("intent", "sign"),
        ("sign_as", "organization"),
        ("organization_name", "Butterfly"),
    ]);
    assert!(error_fields(&only_organization).is_empty());
    let blank_org = parse(&[
        ("intent", "sign"),
        ("sign_as", "organization"),
        ("name", "Mai"),
        ("organization_name", "   "),
    ]);
    let errs = errors(&blank_org);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].1.contains("answer"), "{errs:?}");
    let with_org = parse(&[
        ("intent", "sign"),
        ("sign_as", "organization"),
        ("name", "Mai"),
        ("organization_name", "Butterfly"),
    ]);
    assert!(error_fields(&with_org).is_empty());
}

#[test]
fn choices_must_be_options() {
    let input = parse(&[
        ("intent", "sign"),
        ("sign_as", "robot"),
        ("name", "Mai"),
        ("organization_type", "cartel"),
        ("actions", "donate"),
        ("actions", "riot"),
    ]);
    assert_eq!(
        error_fields(&input),
        ["sign_as", "organization_type", "actions"]
    );
    let messages = errors(&input);
    assert!(
        messages
            .iter()
            .all(|(_, m)| !m.contains("robot") && !m.contains("cartel") && !m.contains("riot"))
    );
}

#[test]
fn email_postal_code_and_consent_shapes() {
    let base = [
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", "Mai"),
    ];
    let check = |extra: (&str, &str)| {
        let mut pairs = base.to_vec();
        pairs.push(extra);
        error_fields(&parse(&pairs))
    };
    for good in [
        "a@b",
        "mai.tran+letters@example.org",
        "用户@例子.中国",
        " a@b.ca ",
    ] {
        assert!(check(("email", good)).is_empty(), "{good}");
    }
    for bad in [
        "mai",
        "@example.org",
        "mai@",
        "mai tran@example.org",
        "a@b@c",
    ] {
        assert_eq!(check(("email", bad)), ["email"], "{bad}");
    }
    for good in ["M5V 2T6", "10001", "75008", "1010-12", "SW1A 1AA"] {
        assert!(check(("postal_code", good)).is_empty(), "{good}");
    }
    for bad in ["M5V;2T6", "<b>", "12345678901234567"] {
        assert_eq!(check(("postal_code", bad)), ["postal_code"], "{bad}");
    }
    assert!(check(("consent_contact", "on")).is_empty());
    assert_eq!(check(("consent_contact", "yes")), ["consent_contact"]);
}

#[test]
fn over_long_text_is_reported_and_kept() {
    let long = "ẞ".repeat(20_512);
    let input = parse(&[
        ("intent", "sign_and_share"),
        ("sign_as", "individual"),
        ("name", "Mai"),
        ("harm", &long),
    ]);
    let errs = errors(&input);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, "harm");
    assert_eq!(
        errs[0].1,
        "This answer is 20,512 characters; the limit is 20,000. Please shorten it \u{2014} your text is kept below."
    );
    // The answer is still there for the form to show again.
    assert_eq!(input.expose_value("harm"), Some(long.as_str()));

    // Exactly at the limit is fine, counted in characters, not bytes.
    let at_limit = "ẞ".repeat(20_000);
    let input = parse(&[
        ("intent", "sign_and_share"),
        ("sign_as", "individual"),
        ("name", "Mai"),
        ("harm", &at_limit),
    ]);
    assert!(error_fields(&input).is_empty());
    // CRLF line breaks count once.
    let crlf = "a\r\n".repeat(10_000);
    let input = parse(&[
        ("intent", "sign_and_share"),
        ("sign_as", "individual"),
        ("name", "Mai"),
        ("harm", &crlf),
    ]);
    assert!(error_fields(&input).is_empty());
}

#[test]
fn control_characters_are_refused_and_kept_except_tab_and_line_breaks() {
    let problems = |extra: (&str, &str)| {
        let intent = if extra.0 == "harm" {
            "sign_and_share"
        } else {
            "sign"
        };
        let mut pairs = vec![("intent", intent), ("sign_as", "individual")];
        if extra.0 != "name" {
            pairs.push(("name", "Mai"));
        }
        pairs.push(extra);
        let input = parse(&pairs);
        let value = input.expose_value(extra.0).map(str::to_owned);
        (errors(&input), value)
    };
    let control = texts("en").answer_problem(AnswerProblem::ControlCharacter);
    for hostile in [
        "\u{1b}]52;c;ZXZpbA==\u{7}",
        "\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}",
        "clear \u{1b}[2J",
        "hidden \u{1b}[8m text",
        "bell \u{7}",
        "C1 \u{9b}31m",
        "DEL \u{7f}",
        "lone\rreturn",
    ] {
        for field in ["harm", "comment", "name", "organization_name"] {
            let (errors, kept) = problems((field, hostile));
            assert_eq!(
                errors,
                [(field.to_owned(), control.clone())],
                "{field} {hostile:?}"
            );
            assert_eq!(
                kept.as_deref(),
                Some(hostile),
                "the answer is kept to show again"
            );
        }
    }
    // Line breaks are for multi-line answers only; tab is fine everywhere.
    assert!(
        problems(("harm", "line 1\r\nline 2\n\tindented"))
            .0
            .is_empty()
    );
    assert_eq!(problems(("name", "Mai\r\nTran")).0.len(), 1);
    assert_eq!(problems(("name", "Mai\nTran")).0.len(), 1);
    assert!(problems(("name", "Mai\tTran")).0.is_empty());
}

#[test]
fn sharing_needs_only_the_account_and_keeps_nothing_identifying() {
    let account = "They came at night.";
    // Only sharing: the account is enough, and answers to the signers' questions, typed
    // before the person chose, are not kept.
    let shared = parse(&[
        ("intent", "share"),
        ("harm", account),
        ("name", "Mai"),
        ("email", "mai@example.org"),
        ("sign_as", "individual"),
        ("consent_public", "on"),
        ("consent_quote", "on"),
        ("comment", "thank you"),
    ]);
    let submission = validate(&shared, &campaign(), day()).unwrap();
    assert!(!is_signature(&submission));
    let value = |name| submission.expose_field(name).unwrap();
    assert_eq!(value("intent"), &FieldValue::Choice("share".into()));
    assert_eq!(value("harm"), &FieldValue::Text(account.into()));
    assert_eq!(value("consent_quote"), &FieldValue::Consent(true));
    assert_eq!(value("comment"), &FieldValue::Text("thank you".into()));
    for name in ["name", "email", "organization_name", "postal_code"] {
        assert_eq!(value(name), &FieldValue::Text(String::new()), "{name}");
    }
    assert_eq!(value("sign_as"), &FieldValue::Choice(String::new()));
    assert_eq!(value("consent_public"), &FieldValue::Consent(false));

    // Sharing without an account, or signing and sharing without one.
    assert_eq!(error_fields(&parse(&[("intent", "share")])), ["harm"]);
    let signing_sharer = parse(&[("intent", "sign_and_share"), ("sign_as", "individual")]);
    assert_eq!(error_fields(&signing_sharer), ["name", "harm"]);

    // Only signing, yet an account was written: pointed out, never dropped.
    let signer = parse(&[
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", "Mai"),
        ("harm", account),
        ("consent_quote", "on"),
    ]);
    let errs = errors(&signer);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "harm");
    assert!(
        errs[0]
            .1
            .contains("Sign the letter and share what happened"),
        "{errs:?}"
    );
    assert_eq!(signer.expose_value("harm"), Some(account));

    // Signing keeps the signature and counts it; the sharers' consent is not kept.
    let signer = parse(&[
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", "Mai"),
        ("consent_quote", "on"),
    ]);
    let submission = validate(&signer, &campaign(), day()).unwrap();
    assert!(is_signature(&submission));
    assert_eq!(
        submission.expose_field("consent_quote"),
        Some(&FieldValue::Consent(false))
    );

    // An intent the form does not offer.
    assert_eq!(
        errors(&parse(&[("intent", "lurk")])),
        [(
            "intent".to_owned(),
            texts("en").answer_problem(AnswerProblem::NotAnOption)
        )]
    );
}
