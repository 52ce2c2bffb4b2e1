// Replaying a committed corpus without libFuzzer, shared by `server/tests/fuzz_corpus.rs` and
// `keytool/tests/fuzz_corpus.rs` (both one folder below the workspace root). Included with
// `include!`.

/// Every file of `fuzz/corpus/<target>`, by name. An empty or missing folder fails: a corpus
/// that is not there must not pass silently.
pub fn corpus(target: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(&folder)
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

/// Runs `check` on every input of `target`'s corpus, keeps going past a failure (each panic
/// message is printed as it happens), and fails naming every input that failed.
pub fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = corpus(target);
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, bytes)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(bytes))).is_err()
        })
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
