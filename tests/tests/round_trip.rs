//! The whole path, with real parts: keys from the real key tool, the real server binary on a
//! loopback port with a real sled folder, a form sent as a browser sends it, then the server's
//! export opened by `sealform-keytool decrypt` and by the stock `age` CLI.

mod support;

use serde_json::Value;
use support::{
    Site, contains_bytes, files_below, form_token, html_unescape, option_values, tool_available,
};

/// A string that must never be found in clear on the host, in any form field.
const CANARY: &str = "canary-Zq7Xw3-testimony";

/// The loopback address the signing client connects from; it must never be logged or stored.
const CLIENT_ADDRESS: &str = "127.0.0.23";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(CLIENT_ADDRESS.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// The answers typed into the built-in campaign's form: every text field carries the canary.
fn answers(html: &str) -> Vec<(&'static str, String)> {
    let actions = option_values(html, "actions");
    let organization_types = option_values(html, "organization_type");
    vec![
        ("intent", "sign_and_share".into()),
        ("sign_as", "organization".into()),
        ("organization_name", format!("{CANARY} org «Butterfly»")),
        ("name", format!("{CANARY} Nguyễn Thị Mai")),
        ("email", "canary-zq7xw3@example.org".into()),
        ("postal_code", "M5V 2T6".into()),
        ("organization_type", organization_types[0].clone()),
        ("actions", actions[0].clone()),
        ("actions", actions[2].clone()),
        (
            "harm",
            format!(
                "{CANARY}\nمرحبا — 他们来了 👩🏽‍⚕️ <script>alert(1)</script> & \"quotes\"\nline three"
            ),
        ),
        ("comment", format!("{CANARY} =SUM(A1:A9)")),
        ("consent_public", "on".into()),
    ]
}

fn post_body(token: &str, answers: &[(&str, String)]) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("token", token);
    for (name, value) in answers {
        body.append_pair(name, value);
    }
    body.finish()
}

async fn get_form(client: &reqwest::Client, base: &str) -> String {
    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

async fn post_form(client: &reqwest::Client, base: &str, body: String) -> (u16, String) {
    let response = client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_signature_is_sealed_stored_and_opened_exactly_as_typed() {
    // Two organizers: each of them can open every record alone.
    let site = Site::new(2);
    let server = site.start_server(&["--min-form-secs", "0"]);
    let client = client();

    let html = get_form(&client, &server.base).await;
    let typed = answers(&html);

    // First a mistake: signing as an organization without its name. Everything comes back.
    let without_org: Vec<_> = typed
        .iter()
        .filter(|(name, _)| *name != "organization_name")
        .cloned()
        .collect();
    let (status, page) = post_form(
        &client,
        &server.base,
        post_body(&form_token(&html), &without_org),
    )
    .await;
    assert_eq!(status, 422);
    let shown = html_unescape(&page);
    for (name, value) in &without_org {
        assert!(
            shown.contains(value.as_str()),
            "the 422 page lost the value of {name}"
        );
    }

    // Then the real signature, with a fresh token from the 422 page.
    let (status, thanks) =
        post_form(&client, &server.base, post_body(&form_token(&page), &typed)).await;
    assert_eq!(status, 200, "{thanks}");
    assert!(
        !thanks.contains(CANARY),
        "the thank-you page echoes what was sent"
    );
    let after = get_form(&client, &server.base).await;
    assert!(after.contains('1'), "the page shows the signature count");

    let log = server.stop();
    assert!(
        !log.contains(CANARY),
        "the server logged submission content:\n{log}"
    );
    assert!(
        !log.contains(CLIENT_ADDRESS),
        "the server logged the client's address:\n{log}"
    );

    // Nothing in the data folder holds the canary in clear.
    for file in files_below(&site.data) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains_bytes(&bytes, CANARY.as_bytes()),
            "{} holds plaintext",
            file.display()
        );
        assert!(
            !contains_bytes(&bytes, b"canary-zq7xw3@example.org"),
            "{}",
            file.display()
        );
        assert!(
            !contains_bytes(&bytes, CLIENT_ADDRESS.as_bytes()),
            "{} holds the address",
            file.display()
        );
    }

    // Export with the server stopped, then open with the key tool: exactly what was typed.
    let records = site.export();
    assert_eq!(records.len(), 1);
    for organizer in 0..2 {
        let rows = site.decrypt_json(organizer);
        let row = &rows[0];
        assert_eq!(row["campaign"], "open-letter");
        assert_eq!(row["language"], "en");
        let fields = &row["fields"];
        for (name, value) in &typed {
            if *name == "actions" {
                continue;
            }
            let expected: Value = if *name == "consent_public" {
                Value::Bool(true)
            } else {
                Value::String(value.clone())
            };
            assert_eq!(fields[*name], expected, "{name}");
        }
        let actions: Vec<&str> = typed
            .iter()
            .filter(|(n, _)| *n == "actions")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(fields["actions"], serde_json::json!(actions));
        assert_eq!(fields["consent_contact"], Value::Bool(false));
        // The day it was received, never a time.
        let received = row["received"].as_str().unwrap();
        assert_eq!(received.len(), 10, "{received}");
    }

    // The stock age CLI opens the same file with an organizer's key.
    if tool_available("age", "--version", "age") {
        let output = std::process::Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&site.organizers[1].identity)
            .arg(&records[0])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let end = output
            .stdout
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(output.stdout.len());
        let json: Value = serde_json::from_slice(&output.stdout[..end]).unwrap();
        let harm = json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "harm")
            .unwrap();
        assert_eq!(
            harm["value"],
            typed.iter().find(|(n, _)| *n == "harm").unwrap().1
        );
    }
}

#[tokio::test]
async fn the_same_token_sent_twice_stores_one_record() {
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "0"]);
    let client = client();
    let html = get_form(&client, &server.base).await;
    let body = post_body(
        &form_token(&html),
        &[
            ("intent", "sign".into()),
            ("sign_as", "individual".into()),
            ("name", "Ana".into()),
        ],
    );
    for _ in 0..3 {
        let (status, _) = post_form(&client, &server.base, body.clone()).await;
        assert_eq!(status, 200);
    }
    server.stop();
    assert_eq!(site.export().len(), 1);
}
