//! The organizer API end to end, with real parts: keys from the real key tool, the real server
//! binary on a loopback port, signatures sent as a browser sends them, then `sealform-keytool
//! pull`, `publish`, a withdrawal by receipt, `purge`, and `pull` again.

mod support;

use std::path::Path;
use std::process::Output;

use support::{Organizer, Server, Site, form_token, run, workspace_bin};

fn keytool(args: &[&str]) -> Output {
    run("sealform-keytool", args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn record_files(vault: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(vault.join("records"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Signs the built-in letter as `name`, agreeing to be listed when `listed`; the receipt the
/// thank-you page shows.
async fn sign(client: &reqwest::Client, base: &str, name: &str, listed: bool) -> String {
    let page = client.get(format!("{base}/")).send().await.unwrap();
    let html = page.text().await.unwrap();
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (field, value) in [
        ("token", form_token(&html).as_str()),
        ("intent", "sign"),
        ("sign_as", "individual"),
        ("name", name),
        ("email", &format!("{}@example.org", name.to_lowercase())),
        ("consent_public", if listed { "on" } else { "" }),
    ] {
        if !value.is_empty() {
            body.append_pair(field, value);
        }
    }
    let response = client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let thanks = response.text().await.unwrap();
    assert_eq!(status, 200, "{thanks}");
    support::receipt_of(&thanks)
}

#[tokio::test]
async fn organizers_pull_publish_honour_a_withdrawal_and_purge() {
    assert!(workspace_bin("sealform-keytool").exists());
    let site = Site::new(1);
    let stranger = Organizer::new(site.dir.path(), "stranger");
    let server = site.start_server(&["--min-form-secs", "0", "--no-rate-limit"]);
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let key = site.organizers[0].identity.to_str().unwrap().to_owned();
    let vault = site.dir.path().join("vault");
    let vault_arg = vault.to_str().unwrap().to_owned();
    let pull = || keytool(&["pull", "--server", &base, "-i", &key, "--vault", &vault_arg]);

    let mut receipts = Vec::new();
    // Ana signs without agreeing to be listed.
    for (name, listed) in [("Mai", true), ("Lin", true), ("Ana", false)] {
        receipts.push(sign(&client, &base, name, listed).await);
    }

    // Pull: the three records, sealed, into the vault.
    let pulled = pull();
    assert!(pulled.status.success(), "{}", text(&pulled.stderr));
    assert_eq!(
        text(&pulled.stdout),
        format!(
            "{base}: 3 new records, 3 listed\n\
             withdrawals: 0 honoured now, 0 earlier, 0 matching no record in the vault\n"
        )
    );
    assert_eq!(record_files(&vault).len(), 3);
    let opened = keytool(&[
        "decrypt",
        "-i",
        &key,
        "--format",
        "json",
        vault.join("records").to_str().unwrap(),
    ]);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&opened.stdout).unwrap();
    let mut names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["fields"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Ana", "Lin", "Mai"]);

    // Publish: the names of those who agreed, only the public fields, on the server's public
    // page, which the letter now links to.
    let published = keytool(&[
        "publish", "--server", &base, "-i", &key, "--vault", &vault_arg, "--yes",
    ]);
    assert!(published.status.success(), "{}", text(&published.stderr));
    let public = client
        .get(format!("{base}/signatories"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in ["Mai", "Lin"] {
        assert!(public.contains(name), "{name} is not on the public list");
    }
    assert!(!public.contains("Ana"), "Ana did not agree to be listed");
    assert!(!public.contains("@example.org"), "an e-mail was published");
    let letter = client.get(format!("{base}/")).send().await.unwrap();
    assert!(
        letter
            .text()
            .await
            .unwrap()
            .contains("id=\"signatories-link\"")
    );

    // Lin withdraws with her receipt: the server deletes its copy and takes her off the list;
    // the next pull deletes the vault's copy, because the receipt matches the one sealed in it.
    let withdrawn = client
        .post(format!("{base}/withdraw"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("receipt={}", receipts[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 200);
    let honoured = pull();
    assert!(honoured.status.success(), "{}", text(&honoured.stderr));
    assert_eq!(
        text(&honoured.stdout),
        format!(
            "{base}: 0 new records, 2 listed\n\
             withdrawals: 1 honoured now, 0 earlier, 0 matching no record in the vault\n"
        )
    );
    assert_eq!(record_files(&vault).len(), 2);
    let withdrawn_tsv = std::fs::read_to_string(vault.join("withdrawn.tsv")).unwrap();
    assert_eq!(withdrawn_tsv.lines().count(), 1, "{withdrawn_tsv}");

    // Purge: the server deletes exactly what the vault holds.
    let purged = keytool(&[
        "purge", "--server", &base, "-i", &key, "--vault", &vault_arg,
    ]);
    assert!(purged.status.success(), "{}", text(&purged.stderr));
    assert!(
        text(&purged.stdout).starts_with(&format!("{base}: deleted 2 records, kept 0\n")),
        "{}",
        text(&purged.stdout)
    );

    // Pull again: nothing new, nothing listed.
    let again = pull();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).starts_with(&format!("{base}: 0 new records, 0 listed\n")),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(record_files(&vault).len(), 2);

    // Decrypt the vault: the two who remain, under the questions as the form showed them.
    let csv = keytool(&[
        "decrypt", "-i", &key, "--vault", &vault_arg, "--format", "csv",
    ]);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let csv = text(&csv.stdout);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("Your Name") && header.contains("Please select"),
        "{header}"
    );
    assert!(csv.contains("Mai") && csv.contains("Ana"), "{csv}");
    assert!(
        !csv.contains("Lin"),
        "a withdrawn record is decrypted: {csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");

    // The report counts them, and the public-listing consent exactly: 1 of 2.
    let report_path = site.dir.path().join("report.html");
    let report = keytool(&[
        "report",
        "-i",
        &key,
        "--vault",
        &vault_arg,
        "--out",
        report_path.to_str().unwrap(),
    ]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    let html = std::fs::read_to_string(&report_path).unwrap();
    assert!(html.contains("List my name / organization publicly as a signatory"));
    assert!(
        !html.contains("Mai") && !html.contains("@example.org"),
        "names in the report"
    );
    assert!(!html.contains("<script"));
    let summary = text(&report.stdout);
    assert!(
        summary.starts_with("2 submissions: 2 signatures, 0 share only\n"),
        "{summary}"
    );

    // A key the server does not seal to cannot sign in.
    let refused = keytool(&[
        "pull",
        "--server",
        &base,
        "-i",
        stranger.identity.to_str().unwrap(),
        "--vault",
        site.dir.path().join("stranger-vault").to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains(&format!(
            "error: {base} did not let this key in: this key is not one the server seals to, or the session expired\n"
        )),
        "{}",
        text(&refused.stderr)
    );
}

#[tokio::test]
async fn one_vault_gathers_two_instances_and_is_sealed_again_to_a_new_key() {
    let site = Site::new(1);
    let organizer = &site.organizers[0];
    let key = organizer.identity.to_str().unwrap().to_owned();
    let other_data = site.dir.path().join("other-data");
    let first = site.start_server(&["--min-form-secs", "0", "--no-rate-limit"]);
    let second = Server::start(&[
        "--data-dir",
        other_data.to_str().unwrap(),
        "--recipient",
        &organizer.recipient,
        "--min-form-secs",
        "0",
        "--no-rate-limit",
    ]);
    let client = reqwest::Client::new();
    sign(&client, &first.base, "Mai", true).await;
    sign(&client, &second.base, "Lin", true).await;
    sign(&client, &second.base, "Ana", false).await;

    let vault = site.dir.path().join("vault");
    let pulled = keytool(&[
        "pull",
        "--server",
        &first.base,
        "--server",
        &second.base,
        "-i",
        &key,
        "--vault",
        vault.to_str().unwrap(),
    ]);
    assert!(pulled.status.success(), "{}", text(&pulled.stderr));
    assert_eq!(record_files(&vault).len(), 3, "the union of both");
    let index = std::fs::read_to_string(vault.join("index.tsv")).unwrap();
    assert_eq!(
        index.lines().filter(|l| l.ends_with(&first.base)).count(),
        1,
        "{index}"
    );
    assert_eq!(
        index.lines().filter(|l| l.ends_with(&second.base)).count(),
        2,
        "{index}"
    );

    // The organizer's key is retired: the vault is sealed again to a successor's key, checked
    // with it, and opens with the successor's key alone. index.tsv keeps the hashes as pulled,
    // so purge still matches the servers' copies.
    let successor = Organizer::new(site.dir.path(), "successor");
    let resealed = keytool(&[
        "reseal",
        "--vault",
        vault.to_str().unwrap(),
        "-i",
        &key,
        "-i",
        successor.identity.to_str().unwrap(),
        "--recipient",
        &successor.recipient,
    ]);
    assert!(resealed.status.success(), "{}", text(&resealed.stderr));
    assert!(
        text(&resealed.stdout).starts_with("resealed 3 records to 1 key"),
        "{}",
        text(&resealed.stdout)
    );
    assert!(text(&resealed.stdout).contains("3 opened again with a new identity"));
    let old_key_only = keytool(&["decrypt", "-i", &key, "--vault", vault.to_str().unwrap()]);
    assert!(
        !old_key_only.status.success(),
        "the old key still opens the vault"
    );
    let opened = keytool(&[
        "decrypt",
        "-i",
        successor.identity.to_str().unwrap(),
        "--vault",
        vault.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&opened.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    for server in [&first.base, &second.base] {
        let purged = keytool(&[
            "purge",
            "--server",
            server,
            "-i",
            &key,
            "--vault",
            vault.to_str().unwrap(),
        ]);
        assert!(purged.status.success(), "{}", text(&purged.stderr));
        assert!(
            text(&purged.stdout).contains(", kept 0"),
            "{}",
            text(&purged.stdout)
        );
    }
    first.stop();
    second.stop();
}
