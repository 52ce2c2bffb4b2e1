//! `pull`, `purge` and `publish` against a real HTTP server on 127.0.0.1 that answers as
//! `docs/API.md` describes — and, where a test says so, as a compromised host would.

mod common;
mod fake_api;

use std::fs;
use std::path::Path;

use common::{KEY_1, KEY_2, PUBLIC_1, Run, identity_file, keytool, run};
use fake_api::{FakeServer, sha256_hex};
use seal::{Field, FieldValue, Submission};

const CAMPAIGN: &str = "id = \"open-letter\"\n\
public_fields = [\"name\", \"organization_name\"]\n\
public_consent = \"consent_public\"\n";

const ID_1: &str = "10000000000000000000000000000001";
const ID_2: &str = "20000000000000000000000000000002";
const ID_3: &str = "30000000000000000000000000000003";
const ID_4: &str = "40000000000000000000000000000004";

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("sealform-organizer-")
        .tempdir()
        .unwrap()
}

/// A folder with the organizer's identity in `key.txt` (and a stranger's in `other.txt`).
fn with_keys() -> tempfile::TempDir {
    let dir = tmp();
    fs::write(dir.path().join("key.txt"), identity_file(KEY_1, PUBLIC_1)).unwrap();
    fs::write(
        dir.path().join("other.txt"),
        identity_file(KEY_2, common::PUBLIC_2),
    )
    .unwrap();
    dir
}

/// A signature to the test campaign, with `receipt` (the receipt as the signer was shown it).
fn signature(fields: &[(&str, FieldValue)], day: &str, receipt: Option<&str>) -> Submission {
    let submission = Submission::new(
        "open-letter".into(),
        sha256_hex(CAMPAIGN.as_bytes()),
        "en".into(),
        day.parse().unwrap(),
        fields
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    FieldValue::Text(t) => FieldValue::Text(t.clone()),
                    FieldValue::Choice(t) => FieldValue::Choice(t.clone()),
                    FieldValue::Choices(t) => FieldValue::Choices(t.clone()),
                    FieldValue::Consent(b) => FieldValue::Consent(*b),
                };
                Field::new(*name, value)
            })
            .collect(),
    );
    match receipt {
        Some(receipt) => submission.with_receipt(sha256_hex(receipt.as_bytes())),
        None => submission,
    }
}

/// A withdrawal receipt in its normal form: 32 characters of Crockford's base32.
fn receipt(n: u32) -> String {
    format!("RECEPT{n:026}")
}

fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_owned())
}

fn sealed(name: &str, receipt: &str) -> Vec<u8> {
    let submission = signature(
        &[
            ("name", text(name)),
            ("consent_public", FieldValue::Consent(true)),
        ],
        "2026-11-28",
        Some(receipt),
    );
    common::seal_to(&submission, PUBLIC_1)
}

fn keytool_run(dir: &Path, args: &[&str]) -> Run {
    run(dir, &mut keytool(dir, args))
}

fn pull(dir: &Path, servers: &[&FakeServer]) -> Run {
    let mut args = vec!["pull", "-i", "key.txt", "--vault", "vault"];
    for server in servers {
        args.extend(["--server", server.url.as_str()]);
    }
    keytool_run(dir, &args)
}

fn record_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.join("vault/records"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn index(dir: &Path) -> String {
    fs::read_to_string(dir.join("vault/index.tsv")).unwrap_or_default()
}

fn downloads(server: &FakeServer) -> Vec<String> {
    server
        .state()
        .requests
        .iter()
        .filter(|request| request.starts_with("GET /organizer/records/"))
        .cloned()
        .collect()
}

#[test]
fn pull_fills_an_empty_vault_with_the_documented_layout() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let records = [
        sealed("Mai", &receipt(1)),
        sealed("Lin", &receipt(2)),
        sealed("Ana", &receipt(3)),
    ];
    for (id, bytes) in [ID_1, ID_2, ID_3].iter().zip(&records) {
        server.add_record(id, bytes.clone());
    }
    // Two records a page: the listing is followed to its end.
    server.state().page_size = 2;

    let pulled = pull(dir.path(), &[&server]);
    assert_eq!(pulled.code, 0, "{pulled:?}");
    assert_eq!(
        pulled.stdout,
        format!(
            "{}: 3 new records, 3 listed\nwithdrawals: 0 honoured now, 0 earlier, 0 matching no record in the vault\n",
            server.url
        )
    );
    assert_eq!(pulled.stderr, "");
    assert_eq!(
        record_files(dir.path()),
        [ID_1, ID_2, ID_3].map(|id| format!("{id}.age"))
    );
    for (id, bytes) in [ID_1, ID_2, ID_3].iter().zip(&records) {
        assert_eq!(
            &fs::read(dir.path().join(format!("vault/records/{id}.age"))).unwrap(),
            bytes
        );
    }
    let expected_index: String = [ID_1, ID_2, ID_3]
        .iter()
        .zip(&records)
        .map(|(id, bytes)| format!("{id}\t{}\t{}\n", sha256_hex(bytes), server.url))
        .collect();
    assert_eq!(index(dir.path()), expected_index);
    let version = sha256_hex(CAMPAIGN.as_bytes());
    assert_eq!(
        fs::read_to_string(dir.path().join(format!("vault/campaigns/{version}.toml"))).unwrap(),
        CAMPAIGN
    );
    #[cfg(unix)]
    assert_eq!(common::mode(&dir.path().join("vault")), 0o700);

    // The vault opens with decrypt as any folder of records does.
    let opened = keytool_run(
        dir.path(),
        &[
            "decrypt",
            "-i",
            "key.txt",
            "--format",
            "jsonl",
            "vault/records",
        ],
    );
    assert_eq!(opened.code, 0, "{opened:?}");
    assert_eq!(opened.stdout.lines().count(), 3);

    // A second pull downloads nothing.
    let again = pull(dir.path(), &[&server]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again
            .stdout
            .starts_with(&format!("{}: 0 new records, 3 listed\n", server.url))
    );
    assert_eq!(downloads(&server).len(), 3);
}

#[test]
fn an_interrupted_pull_leaves_no_partial_record_and_resumes() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    for (n, id) in [ID_1, ID_2, ID_3, ID_4].into_iter().enumerate() {
        server.add_record(id, sealed("Mai", &receipt(n as u32)));
    }
    // The connection is cut from the third download on.
    server.state().downloads_before_cut = Some(2);
    let cut = pull(dir.path(), &[&server]);
    assert_eq!(cut.code, 1, "{cut:?}");
    assert!(cut.stderr.contains("could not reach"), "{cut:?}");
    assert!(
        cut.stderr
            .ends_with("error: pulled 2 new records, with 2 problems (see above)\nwhat was saved is complete: run the command again to resume\n"),
        "{cut:?}"
    );
    assert_eq!(
        record_files(dir.path()),
        [format!("{ID_1}.age"), format!("{ID_2}.age")]
    );
    assert_eq!(index(dir.path()).lines().count(), 2);

    // What a crash would leave: a half-written temporary file, a record renamed into place
    // whose index line was never appended, and an index line cut mid-way.
    let records = dir.path().join("vault/records");
    fs::write(
        records.join(format!(".{ID_3}.age.tmp")),
        b"age-encryption.org/v1\nhalf",
    )
    .unwrap();
    let bytes_4 = server.state().records[ID_4].clone();
    fs::write(records.join(format!("{ID_4}.age")), &bytes_4).unwrap();
    let mut index_file = fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join("vault/index.tsv"))
        .unwrap();
    std::io::Write::write_all(&mut index_file, format!("{ID_4}\t12ab").as_bytes()).unwrap();

    server.state().downloads_before_cut = None;
    let resumed = pull(dir.path(), &[&server]);
    assert_eq!(resumed.code, 0, "{resumed:?}");
    assert!(
        resumed
            .stdout
            .starts_with(&format!("{}: 1 new record, 4 listed\n", server.url)),
        "{resumed:?}"
    );
    assert_eq!(
        record_files(dir.path()),
        [ID_1, ID_2, ID_3, ID_4].map(|id| format!("{id}.age"))
    );
    let index = index(dir.path());
    let ids: Vec<&str> = index.lines().map(|line| &line[..32]).collect();
    assert_eq!(ids, [ID_1, ID_2, ID_3, ID_4], "{index}");
    // Records 1 and 2 were downloaded once; after the cut (3 and 4 asked for, nothing
    // received), 3 was downloaded, and 4 checked in place, not downloaded again.
    assert_eq!(
        downloads(&server),
        [ID_1, ID_2, ID_3, ID_4, ID_3].map(|id| format!("GET /organizer/records/{id}"))
    );
}

#[test]
fn a_hostile_server_cannot_name_a_file_outside_the_vault() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let good = sealed("Mai", &receipt(1));
    server.add_record(ID_1, good.clone());
    for hostile in [
        "../escaped",
        "../../../../../../tmp/sealform-escaped",
        "/tmp/sealform-absolute",
        "..%2Fescaped",
        "3f9c1a2b0000000000000000000000A1",
        "3f9c1a2b00000000000000000000000a\n",
        "3f9c1a2b000000000000000000000\u{0}aa",
        "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}",
        "records/../../index",
        "",
    ] {
        server.add_record(hostile, good.clone());
    }
    let pulled = pull(dir.path(), &[&server]);
    assert_eq!(pulled.code, 1, "{pulled:?}");
    assert_eq!(record_files(dir.path()), [format!("{ID_1}.age")]);
    let mut top: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["key.txt", "other.txt", "vault"]);
    assert!(!Path::new("/tmp/sealform-escaped").exists());
    assert!(!Path::new("/tmp/sealform-absolute").exists());
    // Only the real record was asked for; every other id was refused before any request.
    assert_eq!(
        downloads(&server),
        [format!("GET /organizer/records/{ID_1}")]
    );
    assert_eq!(
        pulled.stderr.matches("is not a record id").count(),
        10,
        "{}",
        pulled.stderr
    );
    assert!(!pulled.stderr.contains('\u{1b}'), "{}", pulled.stderr);
    assert!(
        pulled
            .stderr
            .contains("\"\\u{1b}[2J\\u{1b}]52;c;ZXZpbA==\\u{7}\" is not a record id"),
        "{}",
        pulled.stderr
    );
}

#[test]
fn a_record_that_does_not_match_its_listed_hash_is_refused() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    server.add_record(ID_1, sealed("Mai", &receipt(1)));
    server.add_record(ID_2, sealed("Lin", &receipt(2)));
    server
        .state()
        .listed_hash
        .insert(ID_2.to_owned(), sha256_hex(b"other bytes"));
    // Not an age file at all, listed with its true hash.
    server.add_record(ID_3, b"GIF89a not a record".to_vec());

    let pulled = pull(dir.path(), &[&server]);
    assert_eq!(pulled.code, 1, "{pulled:?}");
    assert_eq!(record_files(dir.path()), [format!("{ID_1}.age")]);
    assert!(
        pulled.stderr.contains(&format!(
            "error: record {ID_2} from {} was refused: its SHA-256 is not the one it was listed with; it was not saved\n",
            server.url
        )),
        "{}",
        pulled.stderr
    );
    assert!(
        pulled.stderr.contains(&format!(
            "error: record {ID_3} from {} was refused: it is not a well-formed age file; it was not saved\n",
            server.url
        )),
        "{}",
        pulled.stderr
    );
    assert!(!index(dir.path()).contains(ID_2));
}

#[test]
fn two_servers_pull_into_one_vault() {
    let dir = with_keys();
    let first = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let second = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let shared = sealed("Lin", &receipt(2));
    first.add_record(ID_1, sealed("Mai", &receipt(1)));
    first.add_record(ID_2, shared.clone());
    second.add_record(ID_2, shared);
    second.add_record(ID_3, sealed("Ana", &receipt(3)));

    let pulled = pull(dir.path(), &[&first, &second]);
    assert_eq!(pulled.code, 0, "{pulled:?}");
    assert_eq!(
        pulled.stdout,
        format!(
            "{}: 2 new records, 2 listed\n{}: 1 new record, 2 listed\nwithdrawals: 0 honoured now, 0 earlier, 0 matching no record in the vault\n",
            first.url, second.url
        )
    );
    assert_eq!(
        record_files(dir.path()),
        [ID_1, ID_2, ID_3].map(|id| format!("{id}.age"))
    );
    let index = index(dir.path());
    let servers: Vec<&str> = index
        .lines()
        .map(|line| line.rsplit('\t').next().unwrap())
        .collect();
    assert_eq!(servers, [&first.url, &first.url, &second.url]);
    assert_eq!(
        downloads(&second),
        [format!("GET /organizer/records/{ID_3}")]
    );
}

#[test]
fn a_withdrawal_deletes_only_the_record_whose_sealed_receipt_it_matches() {
    let dir = with_keys();
    let first = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let second = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let withdrawn = sealed("Lin", &receipt(2));
    first.add_record(ID_1, sealed("Mai", &receipt(1)));
    first.add_record(ID_2, withdrawn.clone());
    second.add_record(ID_2, withdrawn);
    second.add_record(ID_3, sealed("Ana", &receipt(3)));
    let pulled = pull(dir.path(), &[&first, &second]);
    assert_eq!(pulled.code, 0, "{pulled:?}");

    // A compromised host makes up withdrawals: an id, the receipt hash it could learn (the
    // published list carries it), a receipt one character off, a made-up one. None deletes.
    let mut one_off = receipt(1);
    one_off.replace_range(10..11, "Z");
    first.state().withdrawals = vec![
        (ID_1.to_owned(), "2026-11-29".to_owned()),
        (sha256_hex(receipt(1).as_bytes()), "2026-11-29".to_owned()),
        (one_off, "2026-11-29".to_owned()),
        (receipt(99), "2026-11-29".to_owned()),
    ];
    let forged = pull(dir.path(), &[&first, &second]);
    assert_eq!(forged.code, 0, "{forged:?}");
    assert!(
        forged.stdout.ends_with(
            "withdrawals: 0 honoured now, 0 earlier, 4 matching no record in the vault\n"
        ),
        "{forged:?}"
    );
    assert_eq!(record_files(dir.path()).len(), 3);
    assert!(!dir.path().join("vault/withdrawn.tsv").exists());

    // The signer's own receipt, posted to the first server as typed (lowercase, in groups),
    // withdraws the record everywhere.
    let typed: String = receipt(2)
        .to_lowercase()
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8(group.to_vec()).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    first
        .state()
        .withdrawals
        .push((typed, "2026-11-30".to_owned()));
    let honoured = pull(dir.path(), &[&first, &second]);
    assert_eq!(honoured.code, 0, "{honoured:?}");
    assert_eq!(
        honoured.stdout,
        format!(
            "{first}: 0 new records, 2 listed\n{second}: 0 new records, 2 listed\n\
             withdrawals: 1 honoured now, 0 earlier, 4 matching no record in the vault\n\
             {first}: deleted 1 record withdrawn there\n{second}: deleted 1 record withdrawn there\n",
            first = first.url,
            second = second.url
        )
    );
    assert_eq!(
        record_files(dir.path()),
        [format!("{ID_1}.age"), format!("{ID_3}.age")]
    );
    assert!(!index(dir.path()).contains(ID_2));
    assert_eq!(
        fs::read_to_string(dir.path().join("vault/withdrawn.tsv")).unwrap(),
        format!(
            "{ID_2}\t{}\t2026-11-30\n",
            sha256_hex(receipt(2).as_bytes())
        )
    );
    assert!(!first.state().records.contains_key(ID_2));
    assert!(!second.state().records.contains_key(ID_2));

    // A server that lists it again (restored from a backup) never gets it downloaded again.
    let before = downloads(&first).len();
    first.add_record(ID_2, sealed("Lin", &receipt(2)));
    let again = pull(dir.path(), &[&first]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(downloads(&first).len(), before);
    assert!(again.stdout.contains("1 earlier"), "{again:?}");
    assert!(!first.state().records.contains_key(ID_2));
}

#[test]
fn purge_lists_only_records_the_vault_holds_unchanged() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    for (n, id) in [ID_1, ID_2, ID_3].into_iter().enumerate() {
        server.add_record(id, sealed("Mai", &receipt(n as u32)));
    }
    assert_eq!(pull(dir.path(), &[&server]).code, 0);
    // One record changed in the vault, one gone from it, one signed after the pull.
    fs::write(
        dir.path().join(format!("vault/records/{ID_2}.age")),
        b"age-encryption.org/v1\nchanged",
    )
    .unwrap();
    fs::remove_file(dir.path().join(format!("vault/records/{ID_3}.age"))).unwrap();
    server.add_record(ID_4, sealed("Bo", &receipt(4)));

    let purged = keytool_run(
        dir.path(),
        &[
            "purge",
            "--server",
            &server.url,
            "-i",
            "key.txt",
            "--vault",
            "vault",
        ],
    );
    assert_eq!(purged.code, 1, "{purged:?}");
    assert_eq!(
        purged.stdout,
        format!(
            "{}: deleted 1 record, kept 0\n  deleted {ID_1}\n",
            server.url
        )
    );
    assert!(
        purged.stderr.contains(&format!(
            "error: vault/records/{ID_2}.age no longer matches the SHA-256 index.tsv recorded when it was pulled; it was left out\n"
        )),
        "{}",
        purged.stderr
    );
    assert!(purged.stderr.contains(&format!("vault/records/{ID_3}.age")));
    let left: Vec<String> = server.state().records.keys().cloned().collect();
    assert_eq!(left, [ID_2, ID_3, ID_4]);
}

#[test]
fn publish_shows_merges_and_uploads_only_consenting_public_fields() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    let person = |name: &str, email: &str, consent: bool, day: &str, receipt: &str| {
        signature(
            &[
                ("sign_as", FieldValue::Choice("individual".into())),
                ("name", text(name)),
                ("email", text(email)),
                ("postal_code", text("H2X 1Y4")),
                ("consent_public", FieldValue::Consent(consent)),
            ],
            day,
            Some(receipt),
        )
    };
    let organization = |org: &str, day: &str, receipt: &str| {
        signature(
            &[
                ("sign_as", FieldValue::Choice("organization".into())),
                ("organization_name", text(org)),
                ("email", text("info@example.org")),
                ("consent_public", FieldValue::Consent(true)),
            ],
            day,
            Some(receipt),
        )
    };
    let submissions = [
        person(
            "Mai Tran",
            "mai@example.org",
            true,
            "2026-11-28",
            &receipt(1),
        ),
        // The same person again, spelled differently: merged, the newer kept.
        person(
            "mai  TRAN",
            "Mai@Example.org ",
            true,
            "2026-11-30",
            &receipt(2),
        ),
        person("Lin", "lin@example.org", false, "2026-11-28", &receipt(3)),
        person("Zed \u{1b}[2J\u{202e}", "", true, "2026-11-29", &receipt(4)),
        organization("Butterfly", "2026-11-28", &receipt(5)),
        organization(" butterfly ", "2026-11-29", &receipt(6)),
        // No receipt (sealed before receipts): a withdrawal could not remove it.
        signature(
            &[
                ("name", text("Old")),
                ("consent_public", FieldValue::Consent(true)),
            ],
            "2026-11-01",
            None,
        ),
    ];
    let ids = [
        ID_1,
        ID_2,
        ID_3,
        ID_4,
        "50000000000000000000000000000005",
        "60000000000000000000000000000006",
        "70000000000000000000000000000007",
    ];
    for (id, submission) in ids.iter().zip(&submissions) {
        server.add_record(id, common::seal_to(submission, PUBLIC_1));
    }
    assert_eq!(pull(dir.path(), &[&server]).code, 0);

    let shown = keytool_run(
        dir.path(),
        &["publish", "-i", "key.txt", "--vault", "vault", "--dry-run"],
    );
    assert_eq!(
        shown,
        common::ok(
            "7 records in the vault: 1 did not agree to be listed; 2 merged as near-duplicates (same name and e-mail, or same organization name); 1 sealed without a withdrawal receipt, so not listed (a withdrawal could not remove them)\n\
             the signatory list (3 signatories):\n\
             \x20 organization_name: butterfly\n\
             \x20 name: mai  TRAN\n\
             \x20 name: Zed \\u{1b}[2J\\u{202e}\n\
             dry run: nothing was uploaded\n"
        )
    );
    assert!(server.state().signatories.is_none());

    // Without a terminal, it will not upload unasked.
    let unasked = keytool_run(
        dir.path(),
        &[
            "publish",
            "--server",
            &server.url,
            "-i",
            "key.txt",
            "--vault",
            "vault",
        ],
    );
    assert_eq!(unasked.code, 1, "{unasked:?}");
    assert!(
        unasked
            .stderr
            .contains("pass --yes to publish without asking")
    );
    assert!(server.state().signatories.is_none());

    let published = keytool_run(
        dir.path(),
        &[
            "publish",
            "--server",
            &server.url,
            "-i",
            "key.txt",
            "--vault",
            "vault",
            "--yes",
        ],
    );
    assert_eq!(published.code, 0, "{published:?}");
    assert!(
        published.stdout.ends_with(&format!(
            "{0}: published 3 signatories (shown at {0}/signatories)\n",
            server.url
        )),
        "{published:?}"
    );
    assert_eq!(
        server.state().signatories.clone().unwrap(),
        serde_json::json!({"signatories": [
            {"fields": {"organization_name": "butterfly"}, "receipt": sha256_hex(receipt(6).as_bytes())},
            {"fields": {"name": "mai  TRAN"}, "receipt": sha256_hex(receipt(2).as_bytes())},
            {"fields": {"name": "Zed \u{1b}[2J\u{202e}"}, "receipt": sha256_hex(receipt(4).as_bytes())},
        ]})
    );

    let cleared = keytool_run(
        dir.path(),
        &[
            "publish",
            "--server",
            &server.url,
            "-i",
            "key.txt",
            "--clear",
        ],
    );
    assert_eq!(cleared.code, 0, "{cleared:?}");
    assert!(server.state().signatories.is_none());
    assert!(
        server
            .state()
            .requests
            .contains(&"DELETE /organizer/signatories".to_owned())
    );
}

#[test]
fn plain_http_is_refused_before_any_connection() {
    let dir = with_keys();
    for server in ["http://letter.example.org", "http://192.0.2.7:8080"] {
        let refused = keytool_run(
            dir.path(),
            &[
                "pull", "--server", server, "-i", "key.txt", "--vault", "vault",
            ],
        );
        assert_eq!(refused.code, 2, "{refused:?}");
        assert!(
            refused.stderr.contains("plain http:// is refused for")
                && refused
                    .stderr
                    .contains("use https://, or http:// only to this computer"),
            "{refused:?}"
        );
    }
    assert!(!dir.path().join("vault").exists());
}

#[test]
fn a_key_the_server_does_not_seal_to_cannot_sign_in() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    server.add_record(ID_1, sealed("Mai", &receipt(1)));
    let refused = keytool_run(
        dir.path(),
        &[
            "pull",
            "--server",
            &server.url,
            "-i",
            "other.txt",
            "--vault",
            "vault",
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains(&format!(
            "error: {} did not let this key in: this key is not one the server seals to, or the session expired\n",
            server.url
        )),
        "{}",
        refused.stderr
    );
    assert_eq!(
        server.state().requests,
        ["POST /organizer/challenge"],
        "no answer was sent"
    );
}

#[test]
fn a_record_passed_off_as_a_challenge_is_opened_but_never_sent_back() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    // The server's operator wants a testimony read: it sends the record, armored, as a
    // challenge, hoping the key tool sends back what it opens to.
    let record = sealed("Secret testimony", &receipt(1));
    let mut armored = Vec::new();
    {
        use std::io::Write;
        let mut writer =
            age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor)
                .unwrap();
        writer.write_all(&record).unwrap();
        writer.finish().unwrap();
    }
    server.state().forged_challenge = Some(String::from_utf8(armored).unwrap());
    let refused = keytool_run(
        dir.path(),
        &[
            "pull",
            "--server",
            &server.url,
            "-i",
            "key.txt",
            "--vault",
            "vault",
        ],
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("sent a sign-in challenge that is not what sealform sends (it does not hold 64 hex digits); nothing was sent back"),
        "{}",
        refused.stderr
    );
    assert_eq!(server.state().requests, ["POST /organizer/challenge"]);
}

#[cfg(unix)]
#[test]
fn publish_on_a_terminal_uploads_only_after_yes() {
    let dir = with_keys();
    let server = FakeServer::start(PUBLIC_1, CAMPAIGN);
    server.add_record(ID_1, sealed("Mai", &receipt(1)));
    assert_eq!(pull(dir.path(), &[&server]).code, 0);
    let args = [
        "publish",
        "--server",
        server.url.as_str(),
        "-i",
        "key.txt",
        "--vault",
        "vault",
    ];
    let Some((code, shown)) = common::run_on_terminal(dir.path(), &args, "n\n") else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains(&format!(
            "publish this list (1 signatory) on {}? [y/N]",
            server.url
        )),
        "{shown}"
    );
    assert!(shown.contains("nothing was uploaded"), "{shown}");
    assert!(server.state().signatories.is_none());

    let (code, shown) = common::run_on_terminal(dir.path(), &args, "y\n").unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("published 1 signatory"), "{shown}");
    assert_eq!(
        server.state().signatories.clone().unwrap()["signatories"][0]["fields"],
        serde_json::json!({"name": "Mai"})
    );
}
