//! The pages in a text browser (w3m): the letter, every question of the form and its send button
//! show without CSS, images or scripts; the trap field for bots does not; and a person can get
//! through the whole flow — a mistake, then a signature, then sharing without signing.

mod support;

use std::process::Command;

use support::{Site, form_token, tool_available};

/// What w3m shows of `url`; with `post`, after sending that body as a form.
fn w3m(url: &str, post: Option<&str>, source: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new("w3m");
    command.args(["-cols", "100", "-o", "accept_encoding=identity"]);
    command.arg(if source { "-dump_source" } else { "-dump" });
    if let Some(body) = post {
        let file = dir.path().join("body");
        std::fs::write(&file, body).unwrap();
        command.arg("-post").arg(&file);
    }
    let output = command.arg(url).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        body.append_pair(name, value);
    }
    body.finish()
}

#[test]
fn the_letter_and_every_question_read_in_w3m() {
    if !tool_available("w3m", "-version", "w3m") {
        return;
    }
    let site = Site::new(1);
    let server = site.start_server(&[]);
    let text = w3m(&format!("{}/", server.base), None, false);
    server.stop();
    // w3m wraps long lines: compare with every run of white space as one space.
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Skip to the main content",
        "Leave this site quickly",
        "We cannot tolerate it anymore!",
        "sex work is work",
        "HIV Legal Network",
        "Stop the racist attacks against Asian massage parlours and sex workers",
        "( ) Sign the letter",
        "( ) Sign the letter and share what happened",
        "( ) Only share what happened, without signing",
        "Please select (required)",
        "( ) Individual",
        "( ) Organization",
        "Organization Name (required if you chose “Organization”)",
        "Your Name (required if you chose “Individual”)",
        "Email Address (optional)",
        "Postal Code (optional)",
        "Types of organization (optional)",
        "[ ] Share the letter on social media",
        "Do you know any harm which is caused by anti-trafficking organization? (Please share) (required if you share what happened)",
        "only the organizers",
        "[ ] The organizers may quote what I shared, without my name (optional)",
        "Any comment (optional)",
        "[ ] List my name / organization publicly as a signatory",
        "[ ] You may contact me about follow-up actions",
        "Send",
        "Privacy: who can read your answers",
        "private window",
    ] {
        assert!(
            flowing.contains(expected),
            "w3m does not show {expected:?}:\n{text}"
        );
    }
    // Four one-line answers and two eight-line ones: no box for the trap field.
    let boxes = text.matches(&format!("[{}]", " ".repeat(20))).count();
    assert_eq!(boxes, 4 + 2 * 8, "{text}");
    assert!(!text.contains("Leave this empty"));
}

#[test]
fn a_person_signs_and_shares_through_w3m() {
    if !tool_available("w3m", "-version", "w3m") {
        return;
    }
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "0"]);
    let front = format!("{}/", server.base);
    let sign = format!("{}/sign", server.base);

    // A mistake: signing as a person without a name. The page says which question, and keeps
    // what was typed.
    let token = form_token(&w3m(&front, None, true));
    let mistake = w3m(
        &sign,
        Some(&encode(&[
            ("token", &token),
            ("intent", "sign"),
            ("sign_as", "individual"),
            ("email", "mai@example.org"),
        ])),
        false,
    );
    assert!(mistake.contains("Please check your answers"), "{mistake}");
    assert!(
        mistake.contains("Your Name: Please answer this question."),
        "{mistake}"
    );
    assert!(mistake.contains("[mai@example.org"), "{mistake}");
    assert!(mistake.contains("(*) Individual"), "{mistake}");

    let token = form_token(&w3m(&front, None, true));
    let thanks = w3m(
        &sign,
        Some(&encode(&[
            ("token", &token),
            ("intent", "sign"),
            ("sign_as", "individual"),
            ("name", "Mai"),
        ])),
        false,
    );
    assert!(thanks.contains("Thank you"), "{thanks}");

    let token = form_token(&w3m(&front, None, true));
    let shared = w3m(
        &sign,
        Some(&encode(&[
            ("token", &token),
            ("intent", "share"),
            ("harm", "What happened, in my words."),
        ])),
        false,
    );
    assert!(shared.contains("Thank you"), "{shared}");
    let counted = w3m(&front, None, false);
    assert!(
        counted.contains("1 person or organization has signed."),
        "{counted}"
    );
    server.stop();
    assert_eq!(site.export().len(), 2);
}
