//! A nearly full disk: the data folder on a small file system made by the test (a tmpfs).
//! Below the free-space reserve a submission gets a 503 page that keeps every answer, `/healthz`
//! says why, nothing is stored, the server stays up, and signing resumes once space is freed.
//! A data folder that is read-only or gone, a broken campaign file and an unreadable recipients
//! file are refused at start with a clear message, never a panic.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Site, form_token, html_unescape, run};

/// A tmpfs of `mib` MiB mounted at `at`, unmounted when dropped.
struct SmallDisk {
    at: PathBuf,
}

impl SmallDisk {
    fn mount(at: &Path, mib: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mib}m,mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs as root and must be able to mount a tmpfs"
            );
            eprintln!("skipping: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(SmallDisk {
            at: at.to_path_buf(),
        })
    }

    fn free_bytes(&self) -> u64 {
        let output = Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(&self.at)
            .output()
            .unwrap();
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

/// Writes `path` until the file system refuses another byte.
fn fill_completely(path: &Path) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    for chunk in [1024 * 1024, 4096, 1] {
        while file.write_all(&vec![0u8; chunk]).is_ok() {}
    }
}

async fn sign(client: &reqwest::Client, base: &str, token: &str, name: &str) -> (u16, String) {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .append_pair("intent", "sign_and_share")
        .append_pair("sign_as", "individual")
        .append_pair("name", name)
        .append_pair("harm", "What happened, in my words.")
        .finish();
    let answer = client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

async fn fresh_token(client: &reqwest::Client, base: &str) -> String {
    form_token(&support::front_page(client, base).await)
}

#[tokio::test]
async fn below_the_reserve_nothing_is_stored_the_answers_come_back_and_signing_resumes() {
    let site = Site::new(1);
    let Some(disk) = SmallDisk::mount(&site.dir.path().join("disk"), 48) else {
        return;
    };
    let data = disk.at.join("data");
    let mut args = vec!["--data-dir", data.to_str().unwrap()];
    args.extend(["--recipient", site.organizers[0].recipient.as_str()]);
    args.extend(["--min-form-secs", "0", "--disk-reserve-mib", "16"]);
    let server = support::Server::start(&args);
    let client = reqwest::Client::new();

    let token = fresh_token(&client, &server.base).await;
    assert_eq!(sign(&client, &server.base, &token, "Before").await.0, 200);

    // Fill the disk to 8 MiB free: below the 16 MiB reserve.
    let filler = disk.at.join("filler");
    let fill = disk.free_bytes() - 8 * 1024 * 1024;
    std::fs::write(&filler, vec![0u8; usize::try_from(fill).unwrap()]).unwrap();

    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    assert!(health.text().await.unwrap().contains("low disk space"));

    let token = fresh_token(&client, &server.base).await;
    let (status, page) = sign(&client, &server.base, &token, "During «full»").await;
    assert_eq!(status, 503);
    let shown = html_unescape(&page);
    assert!(shown.contains("During «full»") && shown.contains("What happened, in my words."));
    assert!(shown.contains("short of storage space"), "{shown}");

    // Space returns: the very same form goes through, once.
    std::fs::remove_file(&filler).unwrap();
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let (status, _) = sign(&client, &server.base, &form_token(&page), "During «full»").await;
    assert_eq!(status, 200);

    server.stop();
    let records = support::export(&data, &site.dir.path().join("export")).len();
    assert_eq!(records, 2, "the refused submission left nothing behind");
}

#[tokio::test]
async fn a_full_disk_without_a_reserve_loses_nothing_acknowledged_and_signing_resumes() {
    let site = Site::new(1);
    let Some(disk) = SmallDisk::mount(&site.dir.path().join("disk"), 24) else {
        return;
    };
    let data = disk.at.join("data");
    let mut args = vec!["--data-dir", data.to_str().unwrap()];
    args.extend(["--recipient", site.organizers[0].recipient.as_str()]);
    args.extend(["--min-form-secs", "0", "--disk-reserve-mib", "0"]);
    let server = support::Server::start(&args);
    let client = reqwest::Client::new();
    let mut acknowledged = 0;
    let token = fresh_token(&client, &server.base).await;
    assert_eq!(sign(&client, &server.base, &token, "Before").await.0, 200);
    acknowledged += 1;

    // Completely full: sled's writes fail, and its errors are sticky.
    let filler = disk.at.join("filler");
    fill_completely(&filler);
    for n in 0..6 {
        let token = fresh_token(&client, &server.base).await;
        let (status, page) = sign(&client, &server.base, &token, &format!("Full {n}")).await;
        assert!(status == 200 || status == 503, "{status}: {page}");
        if status == 200 {
            acknowledged += 1;
        }
    }

    // Space returns: the store is reopened and signing resumes.
    std::fs::remove_file(&filler).unwrap();
    for n in 0..3 {
        let token = fresh_token(&client, &server.base).await;
        let (status, _) = sign(&client, &server.base, &token, &format!("After {n}")).await;
        assert_eq!(status, 200);
        acknowledged += 1;
    }
    let log = server.stop();
    assert!(log.contains("reopening"), "{log}");
    let records = support::export(&data, &site.dir.path().join("export")).len();
    assert_eq!(
        records, acknowledged,
        "every acknowledged record, and nothing else"
    );
}

fn refused_start(args: &[&str]) -> String {
    let output = run("sealform-server", args);
    assert!(!output.status.success(), "started with {args:?}");
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!said.contains("panicked"), "{said}");
    said
}

#[test]
fn broken_surroundings_are_refused_at_start_with_a_clear_message() {
    let site = Site::new(1);
    let key = site.organizers[0].recipient.as_str();
    let dir = site.dir.path();

    // A data folder that cannot be created (its parent is a file).
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let below_file = file.join("data");
    let said = refused_start(&[
        "--data-dir",
        below_file.to_str().unwrap(),
        "--recipient",
        key,
    ]);
    assert!(said.contains("cannot use the data folder"), "{said}");

    // A read-only data folder (a read-only tmpfs, as root cannot be kept out by modes).
    if let Some(disk) = SmallDisk::mount(&dir.join("ro"), 4) {
        let data = disk.at.join("data");
        std::fs::create_dir(&data).unwrap();
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&disk.at)
            .status()
            .unwrap();
        assert!(remounted.success());
        let said = refused_start(&["--data-dir", data.to_str().unwrap(), "--recipient", key]);
        assert!(said.contains("cannot use the data folder"), "{said}");
    }

    // A broken campaign file names its line.
    let campaign = dir.join("campaign.toml");
    std::fs::write(&campaign, "id = \"x\"\ntitle = \n").unwrap();
    let data = dir.join("data");
    let data = data.to_str().unwrap();
    let said = refused_start(&[
        "--data-dir",
        data,
        "--recipient",
        key,
        "--campaign",
        campaign.to_str().unwrap(),
    ]);
    assert!(said.contains("campaign.toml, line 2"), "{said}");

    // A recipients file that cannot be read.
    let missing = dir.join("no-such-recipients.txt");
    let said = refused_start(&[
        "--data-dir",
        data,
        "--recipients-file",
        missing.to_str().unwrap(),
    ]);
    assert!(
        said.contains("no-such-recipients.txt") && said.contains("cannot read"),
        "{said}"
    );
}
