//! The committed fuzz corpus, replayed in every ordinary test run: each file of
//! `fuzz/corpus/record` goes through the very checks the `record` fuzz target runs
//! (`fuzz/checks/record.rs`, included below), without libFuzzer. A crash a fuzzer once found
//! stays found. docs/FUZZING.md says how to run the fuzzer itself.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

mod checks {
    include!("../../fuzz/checks/record.rs");
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

#[test]
fn record_corpus_keeps_the_record_invariants() {
    let checker = checks::RecordChecker::new();
    let inputs = corpus("record");
    // Keep going past a failure (each panic message is printed as it happens), then name them all.
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| catch_unwind(AssertUnwindSafe(|| checker.check(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} record corpus inputs broke an invariant:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
}
