//! The committed fuzz corpora, replayed in every ordinary test run: each file of
//! `fuzz/corpus/form`, `fuzz/corpus/campaign` and `fuzz/corpus/proxy` goes through the very checks the `form` and
//! `campaign` fuzz targets run (`fuzz/checks/*.rs`, included below), without libFuzzer. A crash
//! a fuzzer once found stays found. docs/FUZZING.md says how to run the fuzzers themselves.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sealform_server::campaign::Campaign;

mod checks {
    include!("../../fuzz/checks/form.rs");
    include!("../../fuzz/checks/campaign.rs");
    include!("../../fuzz/checks/proxy.rs");
}

/// Every file of `fuzz/corpus/<target>`, by name. An empty or missing folder fails: a corpus
/// that is not there must not pass silently.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()))
        .map(|entry| {
            let path = entry.expect("a folder entry").path();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    assert!(!files.is_empty(), "{} holds no inputs", folder.display());
    files.sort();
    files
}

/// Runs `check` on every input, keeps going past a failure, and fails naming every input that
/// failed (each panic message is printed as it happens).
fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = corpus(target);
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| catch_unwind(AssertUnwindSafe(|| check(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} {target} corpus inputs broke an invariant:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}

#[test]
fn form_corpus_keeps_the_form_invariants() {
    let campaign = Campaign::builtin();
    replay("form", |body| checks::check_form(body, &campaign));
}

#[test]
fn campaign_corpus_keeps_the_campaign_invariants() {
    // Like the fuzz target (`|text: &str|`), inputs that are not UTF-8 are not campaign files.
    replay("campaign", |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            checks::check_campaign(text);
        }
    });
}

#[test]
fn proxy_corpus_keeps_the_proxy_line_invariants() {
    replay("proxy", checks::check_proxy_line);
}
