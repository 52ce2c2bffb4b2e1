//! Arbitrary bytes as a record file, opened the way `sealform-keytool decrypt` opens one, and
//! (when they are not an age file) as a record's plaintext, sealed and opened; with the
//! invariants of `checks/record.rs` (shared with `keytool/tests/fuzz_corpus.rs`).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

mod checks {
    include!("../checks/record.rs");
}

static CHECKER: LazyLock<checks::RecordChecker> = LazyLock::new(checks::RecordChecker::new);

fuzz_target!(|data: &[u8]| {
    CHECKER.check(data);
});
