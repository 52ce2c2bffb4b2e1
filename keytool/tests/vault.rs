//! `decrypt --vault` and `report` on a vault built by hand, as `pull` keeps one: records sealed
//! with the seal crate to a real age identity, the campaign file under `campaigns/<sha256>.toml`,
//! `index.tsv`, and a `withdrawn.tsv` naming one record whose file is still there.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use seal::{Field, FieldValue, Submission};
use sha2::Digest;

/// A campaign with every kind of question the report charts, a French translation, and an option
/// label with characters HTML must escape.
const CAMPAIGN: &str = r#"
id = "open-letter"
title = "Open letter"
language = "en"
testimony = "harm"
letter = "Dear all."

[[fields]]
name = "sign_as"
kind = "single_choice"
label = "Please select"
asked = "signers"
options = [{ value = "individual", label = "Individual" }, { value = "organization", label = "Organization" }]

[[fields]]
name = "name"
kind = "short_text"
label = "Your Name"
asked = "signers"

[[fields]]
name = "organization_type"
kind = "single_choice"
label = "Types of organization"
asked = "signers"
options = [
  { value = "sex_worker_led", label = "Sex worker-led & \"peer\" groups" },
  { value = "migrant", label = "Migrant rights" },
  { value = "other", label = "Other" },
]

[[fields]]
name = "actions"
kind = "multi_choice"
label = "Are you interested to take the following action?"
asked = "signers"
options = [{ value = "share", label = "Share the letter" }, { value = "meeting", label = "Come to a meeting" }]

[[fields]]
name = "consent_public"
kind = "consent"
label = "List my name publicly"
asked = "signers"

[[fields]]
name = "harm"
kind = "long_text"
label = "What happened?"

[[fields]]
name = "consent_quote"
kind = "consent"
label = "You may quote what I shared"
asked = "sharers"

[translations.fr]
title = "Lettre ouverte"

[translations.fr.fields.sign_as]
label = "Veuillez choisir"
options = { individual = "Individu", organization = "Organisation" }

[translations.fr.fields.harm]
label = "Que s'est-il passé ?"
"#;

/// A testimony that tries everything: markup, a script, both quotes, a right-to-left override,
/// terminal controls and a NUL.
const HOSTILE: &str = "<script>alert(\"x\")</script> 'single' \"double\" \u{202e}evil.exe \x1b[2J\x07\0 & <img src=x onerror=alert(1)>";

const ID_D: &str = "d0d0d0d0000000000000000000000ddd";
const ID_E: &str = "e0e0e0e0000000000000000000000eee";

fn version_of(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn record(version: &str, day: &str, fields: Vec<(&str, FieldValue)>) -> Submission {
    Submission::new(
        "open-letter".into(),
        version.to_owned(),
        "en".into(),
        day.parse().unwrap(),
        fields
            .into_iter()
            .map(|(name, value)| Field::new(name, value))
            .collect(),
    )
}

fn choice(value: &str) -> FieldValue {
    FieldValue::Choice(value.to_owned())
}

fn choices(values: &[&str]) -> FieldValue {
    FieldValue::Choices(values.iter().map(|v| (*v).to_owned()).collect())
}

/// Every field of the campaign, in its order, as the server seals them for `intent`.
#[allow(
    clippy::too_many_arguments,
    reason = "one argument per question of the form"
)]
fn answers(
    intent: &str,
    sign_as: &str,
    name: &str,
    organization_type: &str,
    actions: &[&str],
    public: bool,
    harm: &str,
    quote: bool,
) -> Vec<(&'static str, FieldValue)> {
    vec![
        ("intent", choice(intent)),
        ("sign_as", choice(sign_as)),
        ("name", text(name)),
        ("organization_type", choice(organization_type)),
        ("actions", choices(actions)),
        ("consent_public", FieldValue::Consent(public)),
        ("harm", text(harm)),
        ("consent_quote", FieldValue::Consent(quote)),
    ]
}

/// The vault, as `vault/` in `dir`, with `key1.txt` beside it. Records (by file name):
/// A signs as an individual; B signs and shares for an organization; C (withdrawn) signs and
/// shares; D only shares, hostile text; E names a campaign version the vault does not hold.
fn with_vault(dir: &Path) {
    write(&dir.join("key1.txt"), identity_file(KEY_1, PUBLIC_1));
    let vault = dir.join("vault");
    fs::create_dir_all(vault.join("records")).unwrap();
    fs::create_dir_all(vault.join("campaigns")).unwrap();
    let version = version_of(CAMPAIGN);
    write(
        &vault.join("campaigns").join(format!("{version}.toml")),
        CAMPAIGN,
    );
    let records = [
        (
            ID_A,
            record(
                &version,
                "2026-11-28",
                answers(
                    "sign",
                    "individual",
                    "Mai",
                    "",
                    &["share", "meeting"],
                    true,
                    "",
                    false,
                ),
            ),
        ),
        (
            ID_B,
            record(
                &version,
                "2026-11-28",
                answers(
                    "sign_and_share",
                    "organization",
                    "Nail salon collective",
                    "sex_worker_led",
                    &["meeting"],
                    false,
                    "They raided us at night.\nTwice.",
                    true,
                ),
            ),
        ),
        (
            ID_C,
            record(
                &version,
                "2026-11-29",
                answers(
                    "sign_and_share",
                    "individual",
                    "Withdrawn Person",
                    "",
                    &["share"],
                    true,
                    "WITHDRAWN TESTIMONY",
                    true,
                ),
            ),
        ),
        (
            ID_D,
            record(
                &version,
                "2026-11-30",
                answers("share", "", "", "", &[], false, HOSTILE, false),
            ),
        ),
        (
            ID_E,
            record(
                &version_of("a campaign file this vault never saw"),
                "2026-11-29",
                vec![
                    ("intent", choice("sign")),
                    ("sign_as", choice("individual")),
                    ("name", text("Old Form")),
                    ("actions", choices(&["share"])),
                    ("consent_public", FieldValue::Consent(true)),
                ],
            ),
        ),
    ];
    let mut index = String::new();
    for (id, submission) in &records {
        let sealed = seal_to(submission, PUBLIC_1);
        index.push_str(&format!(
            "{id}\t{}\thttps://letter.example\n",
            hex::encode(sha2::Sha256::digest(&sealed))
        ));
        write(&vault.join("records").join(format!("{id}.age")), sealed);
    }
    write(&vault.join("index.tsv"), index);
    write(
        &vault.join("withdrawn.tsv"),
        format!("{ID_C}\t{}\t2026-12-01\n", "5".repeat(64)),
    );
}

/// The warning for record E.
const MISSING_WARNING: &str = "warning: 1 record is shown as codes, under field names (1 record names a campaign version that vault/campaigns does not hold)\n\
if you have the campaign file a record was filled in on, copy it into vault/campaigns as <its SHA-256>.toml\n";

fn csv_rows(stdout: &str) -> Vec<Vec<String>> {
    let body = stdout.strip_prefix('\u{feff}').expect("a byte order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|row| row.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn decrypt_vault(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["decrypt", "-i", "key1.txt", "--vault", "vault"];
    args.extend_from_slice(extra);
    run(dir, &mut keytool(dir, &args))
}

#[test]
fn decrypt_vault_csv_reads_as_the_form_and_leaves_out_the_withdrawn_record() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let out = decrypt_vault(dir.path(), &[]);
    assert_eq!((out.code, out.stderr.as_str()), (0, MISSING_WARNING));
    assert!(!out.stdout.contains("Withdrawn") && !out.stdout.contains(ID_C));
    let rows = csv_rows(&out.stdout);
    let expected: Vec<Vec<&str>> = vec![
        vec![
            "record",
            "campaign",
            "language",
            "received",
            "intent",
            "Please select",
            "Your Name",
            "Types of organization",
            "Are you interested to take the following action?",
            "List my name publicly",
            "What happened?",
            "You may quote what I shared",
        ],
        vec![
            ID_A,
            "open-letter",
            "en",
            "2026-11-28",
            "Sign",
            "Individual",
            "Mai",
            "",
            "Share the letter; Come to a meeting",
            "yes",
            "",
            "no",
        ],
        vec![
            ID_B,
            "open-letter",
            "en",
            "2026-11-28",
            "Sign and share",
            "Organization",
            "Nail salon collective",
            "Sex worker-led & \"peer\" groups",
            "Come to a meeting",
            "no",
            "They raided us at night.\nTwice.",
            "yes",
        ],
        vec![
            ID_D,
            "open-letter",
            "en",
            "2026-11-30",
            "Share only",
            "",
            "",
            "",
            "",
            "no",
            HOSTILE,
            "no",
        ],
        // No campaign file: the codes, as without --vault.
        vec![
            ID_E,
            "open-letter",
            "en",
            "2026-11-29",
            "sign",
            "individual",
            "Old Form",
            "",
            "share",
            "yes",
            "",
            "",
        ],
    ];
    assert_eq!(rows, expected);
}

#[test]
fn decrypt_vault_lang_shows_the_campaigns_own_translation() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let out = decrypt_vault(dir.path(), &["--lang", "fr"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, MISSING_WARNING));
    let rows = csv_rows(&out.stdout);
    // Translated where the campaign has it, as first written where it does not.
    assert_eq!(
        rows[0][4..],
        [
            "intent",
            "Veuillez choisir",
            "Your Name",
            "Types of organization",
            "Are you interested to take the following action?",
            "List my name publicly",
            "Que s'est-il passé ?",
            "You may quote what I shared",
        ]
    );
    assert_eq!(rows[1][5], "Individu");
    assert_eq!(rows[2][5], "Organisation");
    assert_eq!(rows[2][7], "Sex worker-led & \"peer\" groups");

    // A language the campaign does not speak: as first written, with a warning.
    let out = decrypt_vault(dir.path(), &["--lang", "de"]);
    assert_eq!(out.code, 0);
    let version = version_of(CAMPAIGN);
    assert_eq!(
        out.stderr,
        format!(
            "warning: campaign \"open-letter\" (version {}) has no translation into \"de\": its questions are shown as first written (en)\n{MISSING_WARNING}",
            &version[..12]
        )
    );
    assert_eq!(csv_rows(&out.stdout)[0][5], "Please select");
}

#[test]
fn decrypt_vault_json_keeps_the_codes_and_adds_labels() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let out = decrypt_vault(dir.path(), &["--format", "json"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, MISSING_WARNING));
    assert!(!out.stdout.contains("Withdrawn") && !out.stdout.contains(ID_C));
    let objects: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<&str> = objects
        .iter()
        .map(|o| o["record"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [ID_A, ID_B, ID_D, ID_E]);

    let b = &objects[1];
    assert_eq!(b["campaign_version"], version_of(CAMPAIGN));
    assert_eq!(b["fields"]["sign_as"], "organization");
    assert_eq!(b["fields"]["actions"], serde_json::json!(["meeting"]));
    assert_eq!(
        b["labels"],
        serde_json::json!({
            "sign_as": "Please select",
            "name": "Your Name",
            "organization_type": "Types of organization",
            "actions": "Are you interested to take the following action?",
            "consent_public": "List my name publicly",
            "harm": "What happened?",
            "consent_quote": "You may quote what I shared",
        })
    );
    assert_eq!(
        b["option_labels"],
        serde_json::json!({
            "intent": {"sign_and_share": "Sign and share"},
            "sign_as": {"organization": "Organization"},
            "organization_type": {"sex_worker_led": "Sex worker-led & \"peer\" groups"},
            "actions": {"meeting": "Come to a meeting"},
        })
    );
    // The hostile testimony reads back exactly.
    assert_eq!(objects[2]["fields"]["harm"], HOSTILE);
    // Without its campaign file: the codes only, as without --vault.
    let e = objects[3].as_object().unwrap();
    let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "campaign",
            "campaign_version",
            "fields",
            "language",
            "received",
            "record"
        ]
    );

    // French labels in JSON too.
    let out = decrypt_vault(dir.path(), &["--format", "jsonl", "--lang", "fr"]);
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["labels"]["sign_as"], "Veuillez choisir");
    assert_eq!(first["option_labels"]["sign_as"]["individual"], "Individu");
}

#[test]
fn decrypt_vault_flags_are_checked_and_a_folder_without_records_is_not_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    // --vault replaces the inputs; --lang needs --vault.
    let both = decrypt_vault(dir.path(), &["vault/records"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    let lang_alone = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["decrypt", "-i", "key1.txt", "--lang", "fr", "vault/records"],
        ),
    );
    assert_eq!(lang_alone.code, 2, "{}", lang_alone.stderr);
    assert!(
        lang_alone
            .stderr
            .contains("'--lang <TAG>' cannot be used with '[INPUT]...'")
    );

    fs::create_dir(dir.path().join("empty")).unwrap();
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["decrypt", "-i", "key1.txt", "--vault", "empty"],
        ),
    );
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: empty is not a vault: it has no records folder\nmake one with `sealform-keytool pull --vault DIR`, or give an export folder without --vault\n".into(),
        }
    );

    // A withdrawal list that cannot be read stops everything: nothing is shown.
    write(
        &dir.path().join("vault/withdrawn.tsv"),
        format!("{ID_C}\tx\t2026-12-01\nnot an id\n"),
    );
    let out = decrypt_vault(dir.path(), &[]);
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: vault/withdrawn.tsv is not what the key tool writes in a vault: line 2 does not have three tab-separated fields\nrestore the vault from a backup, or pull into a new folder\n".into(),
        }
    );
}

#[test]
fn a_changed_campaign_file_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let version = version_of(CAMPAIGN);
    let path = dir
        .path()
        .join("vault/campaigns")
        .join(format!("{version}.toml"));
    // Reworded after it was pulled: same rules, another SHA-256.
    write(&path, CAMPAIGN.replace("Please select", "Choose"));
    let out = decrypt_vault(dir.path(), &[]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.starts_with(&format!(
            "warning: vault/campaigns/{version}.toml is not what the key tool writes in a vault: its SHA-256 is not its name\nrestore the vault from a backup, or pull into a new folder\n"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with(
            "warning: 4 records are shown as codes, under field names (1 record names a campaign version that vault/campaigns does not hold; 3 records name a campaign version whose file cannot be used)\n\
             if you have the campaign file a record was filled in on, copy it into vault/campaigns as <its SHA-256>.toml\n"
        ),
        "{}",
        out.stderr
    );
    let rows = csv_rows(&out.stdout);
    assert_eq!(rows[0][5], "sign_as");
    assert_eq!(rows[1][5], "individual");
}

/// Written to a file, a vault's first rows go out at once, under the headings the first
/// record's campaign gives. Here the first record names a campaign the vault does not hold, so
/// its headings are field names; the records after it, with the same fields, have the campaign,
/// whose questions head the export. The file is written again under those headings, and holds
/// exactly what standard output gets.
#[test]
fn decrypt_vault_to_a_file_rewrites_the_headings_a_later_record_words() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let vault = dir.path().join("vault");
    let first = "00000000000000000000000000000fff";
    let unknown_campaign = record(
        &version_of("another campaign file this vault never saw"),
        "2026-11-27",
        answers(
            "sign",
            "individual",
            "First",
            "",
            &["share"],
            true,
            "",
            false,
        ),
    );
    let sealed = seal_to(&unknown_campaign, PUBLIC_1);
    let mut index = fs::read_to_string(vault.join("index.tsv")).unwrap();
    index.insert_str(
        0,
        &format!(
            "{first}\t{}\thttps://letter.example\n",
            hex::encode(sha2::Sha256::digest(&sealed))
        ),
    );
    write(&vault.join("index.tsv"), index);
    write(&vault.join("records").join(format!("{first}.age")), sealed);

    let to_stdout = decrypt_vault(dir.path(), &[]);
    assert_eq!(to_stdout.code, 0, "{}", to_stdout.stderr);
    let rows = csv_rows(&to_stdout.stdout);
    assert_eq!(
        rows[0][5], "Please select",
        "the campaign's question heads the column"
    );
    assert_eq!(
        (rows[1][0].as_str(), rows[1][5].as_str()),
        (first, "individual")
    );

    let to_file = decrypt_vault(dir.path(), &["--out", "letter.csv"]);
    assert_eq!(
        (to_file.code, to_file.stderr.as_str()),
        (0, to_stdout.stderr.as_str())
    );
    assert!(
        fs::read(dir.path().join("letter.csv")).unwrap() == to_stdout.stdout.as_bytes(),
        "the file holds what standard output got"
    );
}

/// The numbers of the chart titled `title`: its `<desc>`.
fn chart_desc<'h>(html: &'h str, title: &str) -> &'h str {
    let title_at = html
        .find(&format!("\">{title}</title>"))
        .unwrap_or_else(|| panic!("no chart titled {title}"));
    let rest = &html[title_at..];
    let start = rest.find("<desc").unwrap();
    let start = start + rest[start..].find('>').unwrap() + 1;
    let end = rest.find("</desc>").unwrap();
    &rest[start..end]
}

#[test]
fn report_counts_the_vault_into_one_inert_private_html_file() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["report", "--vault", "vault", "-i", "key1.txt"],
        ),
    );
    assert_eq!(
        out,
        Run {
            code: 0,
            stdout: "4 submissions: 3 signatures, 1 share only\n\
                     received from 2026-11-28 to 2026-11-30\n\
                     1 withdrawn record left out\n\
                     2 testimonies not in the report (add --include-testimonies to include them)\n\
                     wrote report.html\n"
                .into(),
            stderr: MISSING_WARNING.into(),
        }
    );
    let path = dir.path().join("report.html");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let html = fs::read_to_string(&path).unwrap();

    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>Report: Open letter</title>"));
    for total in [
        "<dt>Submissions</dt><dd>4</dd>",
        "<dt>Signatures</dt><dd>3</dd>",
        "<dt>Share only</dt><dd>1</dd>",
    ] {
        assert!(html.contains(total), "{total}");
    }
    // Every chart from the campaign file, in the form's order, with its numbers.
    let charts = [
        (
            "What people chose",
            "Sign: 2; Sign and share: 1; Share only: 1",
        ),
        ("Please select", "Individual: 2; Organization: 1"),
        (
            "Types of organization",
            "Sex worker-led &amp; &quot;peer&quot; groups: 1; Migrant rights: 0; Other: 0; No answer: 1",
        ),
        (
            "Are you interested to take the following action?",
            "Share the letter: 2; Come to a meeting: 2",
        ),
        (
            "Consents",
            "List my name publicly: 2 of 3; You may quote what I shared: 1 of 2",
        ),
        (
            "Submissions per day",
            "2026-11-28: 2; 2026-11-29: 1; 2026-11-30: 1",
        ),
    ];
    for (title, numbers) in charts {
        assert_eq!(chart_desc(&html, title), numbers, "{title}");
    }
    let order: Vec<usize> = charts
        .iter()
        .map(|(title, _)| html.find(&format!("\">{title}</title>")).unwrap())
        .collect();
    assert!(order.is_sorted(), "charts in the form's order");
    // Accessible: each chart an image with a title first; each bar's label and number as text.
    assert_eq!(html.matches("<svg ").count(), charts.len());
    assert_eq!(html.matches("role=\"img\"").count(), charts.len());
    assert_eq!(
        html.matches("<svg ").count(),
        html.matches("\">\n<title id=\"chart-").count()
    );
    assert!(html.contains(">Come to a meeting</text>"));
    assert!(html.contains("class=\"count\""));
    assert!(html.contains(">2 of 3</text>"));

    // Testimonies: only how many.
    assert!(html.contains("What happened?</h3>\n<p class=\"note\">2 answers, not in this report"));
    assert!(!html.contains("They raided us"));
    assert!(!html.contains("alert"));
    // Nothing withdrawn, nothing that runs or loads, and no name or other text answer.
    for absent in [
        "Withdrawn",
        "WITHDRAWN",
        "Mai",
        "Old Form",
        "<script",
        "<img",
        "onerror",
    ] {
        assert!(!html.contains(absent), "{absent}");
    }
    assert!(!html.to_ascii_lowercase().contains("http"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("url("));
}

#[test]
fn report_with_testimonies_escapes_every_hostile_character() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "report",
                "--vault",
                "vault",
                "-i",
                "key1.txt",
                "--include-testimonies",
                "--out",
                "full.html",
            ],
        ),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "2 testimonies in the report: it holds plaintext testimony\nwrote full.html\n"
        )
    );
    let html = fs::read_to_string(dir.path().join("full.html")).unwrap();
    assert!(html.contains(
        "<blockquote class=\"testimony\" dir=\"auto\">They raided us at night.\nTwice.</blockquote>"
    ));
    assert!(html.contains(
        "<blockquote class=\"testimony\" dir=\"auto\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;single&#39; &quot;double&quot; \\u{202e}evil.exe \\u{1b}[2J\\u{7}\\u{0} &amp; &lt;img src=x onerror=alert(1)&gt;</blockquote>"
    ));
    assert!(!html.contains("WITHDRAWN"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.to_ascii_lowercase().contains("http"));
    // No control, bidirectional or invisible character reached the file.
    assert!(
        !html
            .chars()
            .any(|c| c != '\n' && sealform_keytool::escape::is_unsafe(c)),
    );
    #[cfg(unix)]
    assert_eq!(mode(&dir.path().join("full.html")), 0o600);
}

#[test]
fn report_never_replaces_a_file_without_force_and_speaks_the_translation() {
    let dir = tempfile::tempdir().unwrap();
    with_vault(dir.path());
    write(&dir.path().join("report.html"), "precious");
    let args = [
        "report", "--vault", "vault", "-i", "key1.txt", "--lang", "fr",
    ];
    let out = run(dir.path(), &mut keytool(dir.path(), &args));
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: report.html already exists\nchoose another --out path, or add --force to replace it\n".into(),
        }
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("report.html")).unwrap(),
        "precious"
    );

    let mut forced = args.to_vec();
    forced.push("--force");
    let out = run(dir.path(), &mut keytool(dir.path(), &forced));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = dir.path().join("report.html");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let html = fs::read_to_string(&path).unwrap();
    assert!(html.contains("<title>Report: Lettre ouverte</title>"));
    assert_eq!(
        chart_desc(&html, "Veuillez choisir"),
        "Individu: 2; Organisation: 1"
    );
    assert!(html.contains("<h2 id=\"chart-1-heading\" lang=\"fr\">Veuillez choisir</h2>"));
}
