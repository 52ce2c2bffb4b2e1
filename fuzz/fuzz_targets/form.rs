//! Arbitrary bytes as a form body for the built-in campaign: parsed, validated and shown again,
//! with the invariants of `checks/form.rs` (shared with `server/tests/fuzz_corpus.rs`).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use sealform_server::campaign::Campaign;

mod checks {
    include!("../checks/form.rs");
}

static CAMPAIGN: LazyLock<Campaign> = LazyLock::new(Campaign::builtin);

fuzz_target!(|body: &[u8]| {
    checks::check_form(body, &CAMPAIGN);
});
