//! Campaign files: the built-in letter against the seed, and every rule a file is checked
//! against, each refusal naming its line.

use std::path::PathBuf;

use sealform_server::campaign::Error;
use sealform_server::campaign::*;

/// The original sign-on form's text, as copied from the web, that the built-in campaign
/// transcribes.
const SEED: &str = include_str!("../campaigns/seed/open-letter.txt");

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

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
            "consent_public",
            "consent_contact",
            "harm",
            "consent_quote",
            "comment"
        ]
    );
    // The seed form's title is the form's heading, not a question.
    let title = "Stop the racist attacks against Asian massage parlours and sex workers";
    assert!(SEED.lines().any(|l| l.trim() == title));
    assert_eq!(c.form_title(), Some(title));
    // Each question keeps the seed's wording exactly, but for the stray space before "?".
    for (name, seed_question) in [
        ("sign_as", "Please select"),
        ("organization_name", "Organization Name"),
        ("name", "Your Name"),
        ("email", "Email Address"),
        ("postal_code", "Postal Code"),
        ("organization_type", "Types of organization"),
        (
            "actions",
            "Are you interested to take the following action ?",
        ),
        (
            "harm",
            "Do you know any harm which is caused by anti-trafficking organization ? (Please share)",
        ),
        ("comment", "Any comment"),
    ] {
        assert!(
            SEED.lines().any(|l| l.trim() == seed_question),
            "{seed_question}"
        );
        assert_eq!(
            c.field(name).unwrap().label,
            seed_question.replace(" ?", "?")
        );
    }
    // The seed lists no choices: the file says the ones it has were written for sealform, and
    // no longer claims to be a verbatim copy.
    let file = include_str!("../campaigns/open-letter.toml");
    assert!(!file.to_lowercase().contains("verbatim"));
    for name in ["sign_as", "organization_type", "actions"] {
        let table = file
            .split("[[fields]]")
            .find(|t| t.contains(&format!("name = \"{name}\"")))
            .unwrap();
        assert!(
            table.contains("# Written for sealform (the original lists no choices)."),
            "{name}"
        );
    }
    // Sharing needs no name: the testimony and its consent are asked of sharers, the
    // identifying questions of signers only; the organizers the seed names, no contact made up.
    assert_eq!(c.testimony(), Some("harm"));
    for name in [
        "sign_as",
        "organization_name",
        "name",
        "email",
        "postal_code",
        "consent_public",
    ] {
        assert_eq!(c.field(name).unwrap().asked, Asked::Signers, "{name}");
    }
    assert_eq!(c.field("harm").unwrap().asked, Asked::Sharers);
    assert_eq!(c.field("consent_quote").unwrap().asked, Asked::Sharers);
    assert_eq!(c.field("comment").unwrap().asked, Asked::Everyone);
    assert_eq!(
        c.organizers().names,
        [
            "Butterfly (Asian and Migrant Sex Workers Support Network)",
            "HIV Legal Network"
        ]
    );
    assert_eq!(c.organizers().contact, None);
    assert!(c.support().is_empty());
    assert!(!c.closed());
    assert_eq!(c.version(), sha256_hex(file));
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
    assert_eq!(
        c.field("name").unwrap().required_when,
        Some(Condition {
            field: "sign_as".into(),
            equals: "individual".into()
        })
    );
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

/// A valid campaign with top-level keys `top` after the header, then `extra`.
fn with_top(top: &str, extra: &str) -> String {
    format!(
        "id = \"t\"\ntitle = \"T\"\nlanguage = \"en\"\n{top}\nletter = \"\"\"\nDear all.\n\"\"\"\n{extra}"
    )
}

const SHARING_FIELDS: &str = "\
[[fields]]
name = \"name\"
kind = \"short_text\"
label = \"Name\"
required = true
asked = \"signers\"
autocomplete = \"name\"

[[fields]]
name = \"story\"
kind = \"long_text\"
label = \"What happened?\"
";

#[test]
fn the_sharing_choice_the_organizers_and_the_closed_state_load() {
    let c = Campaign::from_toml(
        "t",
        &with_top(
            "testimony = \"story\"\nclosed = true\nform_title = \"Sign here\"\nleave_quickly_url = \"https://weather.example/\"",
            &format!(
                "[organizers]\nnames = [\"Group A\"]\ncontact = \"write@example.org\"\n\n\
                 [[support]]\nname = \"Line\"\nreach = \"Call 1\"\nlanguages = \"English\"\n\n\
                 {SHARING_FIELDS}\n\
                 [translations.fr]\ntitle = \"Titre\"\nletter = \"Chers tous.\"\n\
                 [translations.fr.fields.story]\nlabel = \"Que s’est-il passé ?\"\n"
            ),
        ),
    )
    .unwrap();
    assert_eq!(c.testimony(), Some("story"));
    assert_eq!(c.field("story").unwrap().asked, Asked::Sharers);
    assert_eq!(
        c.field("name").unwrap().autocomplete.as_deref(),
        Some("name")
    );
    assert!(c.closed());
    assert_eq!(c.form_title(), Some("Sign here"));
    assert_eq!(c.leave_quickly_url(), "https://weather.example/");
    assert_eq!(c.organizers().contact.as_deref(), Some("write@example.org"));
    assert_eq!(c.support()[0].languages.as_deref(), Some("English"));
    let fr = c.translation("fr").unwrap();
    assert_eq!(fr.letter_html.as_deref(), Some("<p>Chers tous.</p>\n"));
    assert_eq!(
        fr.fields["story"].label.as_deref(),
        Some("Que s’est-il passé ?")
    );
    // Another file, another version; the same file, the same version.
    let again = Campaign::from_toml("t", &with(GOOD_FIELDS)).unwrap();
    assert_eq!(
        again.version(),
        Campaign::from_toml("u", &with(GOOD_FIELDS))
            .unwrap()
            .version()
    );
    assert_ne!(again.version(), c.version());
    assert_eq!(c.version().len(), 64);
}

#[test]
fn the_new_keys_refuse_mistakes_with_a_reason() {
    let cases: Vec<(String, &str)> = vec![
        (
            with_top("testimony = \"name\"", SHARING_FIELDS),
            "not a long_text",
        ),
        (
            with_top("testimony = \"nothing\"", SHARING_FIELDS),
            "does not have",
        ),
        (with(SHARING_FIELDS), "sets asked, which needs testimony"),
        (
            with_top(
                "testimony = \"story\"",
                &SHARING_FIELDS.replace(
                    "label = \"What happened?\"",
                    "label = \"W\"\nrequired = true",
                ),
            ),
            "required exactly when a person shares",
        ),
        (
            with_top(
                "testimony = \"story\"",
                &SHARING_FIELDS.replace("autocomplete = \"name\"", "autocomplete = \"cc-number\""),
            ),
            "not one of",
        ),
        (
            with(
                "[[fields]]\nname = \"e\"\nkind = \"email\"\nlabel = \"E\"\nautocomplete = \"email\"\n",
            ),
            "only a short_text",
        ),
        (
            with("[[fields]]\nname = \"intent\"\nkind = \"short_text\"\nlabel = \"I\"\n"),
            "reserved",
        ),
        (
            with_top("leave_quickly_url = \"javascript:alert(1)\"", GOOD_FIELDS),
            "https://",
        ),
        (
            with_top(
                "leave_quickly_url = \"https://x.example/\\\"onclick\"",
                GOOD_FIELDS,
            ),
            "https://",
        ),
        (
            with_top("form_title = \" \"", GOOD_FIELDS),
            "form_title is empty",
        ),
        (
            with(&format!("[organizers]\nnames = [\"\"]\n\n{GOOD_FIELDS}")),
            "empty name",
        ),
        (
            with(&format!(
                "[[support]]\nname = \"Line\"\nreach = \" \"\n\n{GOOD_FIELDS}"
            )),
            "how to reach",
        ),
        (
            with(&format!(
                "{GOOD_FIELDS}\n[translations.fr.fields.nothing]\nlabel = \"X\"\n"
            )),
            "does not have",
        ),
        (
            with(&format!(
                "{GOOD_FIELDS}\n[translations.fr.fields.sign_as]\noptions = {{ nobody = \"X\" }}\n"
            )),
            "the option \"nobody\"",
        ),
        (
            with(&format!(
                "{GOOD_FIELDS}\n[translations.\"f r\"]\ntitle = \"X\"\n"
            )),
            "not a language tag",
        ),
    ];
    for (text, expected) in cases {
        let (_, reason) = line_and_reason(&text);
        assert!(reason.contains(expected), "{expected}: {reason}\n{text}");
    }
}
