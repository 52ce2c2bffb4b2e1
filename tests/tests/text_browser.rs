//! The pages in a text browser (w3m): the letter, every question of the form and its send button
//! show without CSS, images or scripts.

mod support;

use std::process::{Command, Stdio};

use support::Site;

fn w3m_installed() -> bool {
    let found = Command::new("w3m")
        .arg("-version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "w3m is required in CI: apt-get install w3m"
        );
        eprintln!("skipping: w3m is not installed (apt-get install w3m)");
    }
    found
}

#[test]
fn the_letter_and_every_question_read_in_w3m() {
    if !w3m_installed() {
        return;
    }
    let site = Site::new(1);
    let server = site.start_server(&[]);
    let dump = Command::new("w3m")
        .args(["-dump", "-cols", "100", "-o", "accept_encoding=identity"])
        .arg(format!("{}/", server.base))
        .output()
        .unwrap();
    server.stop();
    assert!(dump.status.success());
    let text = String::from_utf8(dump.stdout).unwrap();
    for expected in [
        "We cannot tolerate it anymore!",
        "sex work is work",
        "HIV Legal Network",
        "( ) Individual",
        "( ) Organization",
        "Organization name",
        "Your name",
        "Email address",
        "Postal code",
        "Type of organization",
        "[ ] Share the letter on social media",
        "Do you know any harm which is caused by anti-trafficking organizations?",
        "only the organizers",
        "Any comment",
        "[ ] List my name / organization publicly as a signatory",
        "[ ] You may contact me about follow-up actions",
        "Send",
    ] {
        assert!(
            text.contains(expected),
            "w3m does not show {expected:?}:\n{text}"
        );
    }
}
