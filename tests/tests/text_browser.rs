//! The pages in a text browser (w3m): the letter, every question of the form and its send button
//! show without CSS, images or scripts.

mod support;

use std::process::Command;

use support::{Site, tool_available};

#[test]
fn the_letter_and_every_question_read_in_w3m() {
    if !tool_available("w3m", "-version", "w3m") {
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
