//! Several instances of one site: with one form-token key file they accept one another's forms;
//! the file is made private, and one that others can open stops the start.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use age::x25519;
use sealform_server::pages::texts;
use tokio::net::TcpListener;

use crate::support::{TestServer, client, config, fresh_token, post_form, valid_form};

/// A server whose form-token key is in `key_file`.
async fn start_sharing(key_file: &Path) -> TestServer {
    let key_file = key_file.to_path_buf();
    TestServer::start_with(|config| config.token_key_file = Some(key_file)).await
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn a_form_served_by_one_instance_is_accepted_by_another_sharing_the_key_file() {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("token.key");
    let a = start_sharing(&key_file).await;
    let client = client();
    let token = fresh_token(&client, &a).await;
    let b = start_sharing(&key_file).await;
    assert_ne!(a.dir.path(), b.dir.path(), "each has its own data folder");

    let response = post_form(&client, &b, valid_form(&token, "Ana Lima")).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains(texts("en").thanks.title), "{page}");
    // A double click that reaches the same instance is thanked again and stored once.
    let again = post_form(&client, &b, valid_form(&token, "Ana Lima")).await;
    assert_eq!(again.status(), 200);

    let (stored_by_a, _) = a.stop().await;
    let (stored_by_b, _) = b.stop().await;
    assert!(stored_by_a.is_empty());
    assert_eq!(stored_by_b.len(), 1, "stored where it was sent, once");
}

#[tokio::test]
async fn without_a_shared_key_file_another_instance_refuses_the_form_as_invalid() {
    let keys = tempfile::tempdir().unwrap();
    let a = start_sharing(&keys.path().join("a.key")).await;
    let b = start_sharing(&keys.path().join("b.key")).await;
    let c = TestServer::start().await;
    let client = client();
    let token = fresh_token(&client, &a).await;
    for other in [&b, &c] {
        let response = post_form(&client, other, valid_form(&token, "Ana Lima")).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains(texts("en").token_invalid), "{page}");
        assert!(page.contains("value=\"Ana Lima\""), "the answers come back");
    }
    for server in [a, b, c] {
        let (records, _) = server.stop().await;
        assert!(records.is_empty());
    }
}

#[tokio::test]
async fn a_missing_key_file_is_made_private_and_forms_outlive_a_restart() {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("token.key");
    let first = start_sharing(&key_file).await;
    let client = client();
    let token = fresh_token(&client, &first).await;
    assert_eq!(mode_of(&key_file), 0o600);
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(key.len(), 65);
    first.stop().await;

    let restarted = start_sharing(&key_file).await;
    let response = post_form(&client, &restarted, valid_form(&token, "Ana Lima")).await;
    assert_eq!(response.status(), 200, "a form opened before the restart");
    let (records, _) = restarted.stop().await;
    assert_eq!(records.len(), 1);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key, "kept");
}

/// Starts the library's `run` with `key_file` and returns what it stopped with.
async fn start_error(key_file: PathBuf, data_dir: &Path) -> String {
    let mut config = config(data_dir, &x25519::Identity::generate());
    config.token_key_file = Some(key_file);
    let listener = TcpListener::bind(config.listen).await.unwrap();
    let run = sealform_server::run(config, listener, std::future::pending());
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("a refused start returns at once")
        .expect_err("the start is refused")
        .to_string()
}

#[tokio::test]
async fn a_key_file_others_can_read_stops_the_start_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("token.key");
    let digits = "5a".repeat(32);
    std::fs::write(&key_file, format!("{digits}\n")).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let data_dir = dir.path().join("data");

    let error = start_error(key_file.clone(), &data_dir).await;
    assert!(error.contains("form-token key file"), "{error}");
    assert!(error.contains("mode 644"), "{error}");
    assert!(
        error.contains(&format!("run: chmod 600 {}", key_file.display())),
        "{error}"
    );
    assert!(!error.contains(&digits), "never the key: {error}");
    assert!(
        !data_dir.exists(),
        "nothing is made before the key is usable"
    );

    std::fs::write(&key_file, "not a key\n").unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let error = start_error(key_file, &data_dir).await;
    assert!(error.contains("does not hold a key"), "{error}");
    assert!(!error.contains("not a key"), "never the content: {error}");
}
