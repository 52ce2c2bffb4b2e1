//! Arbitrary text as a campaign file: loaded, and when it loads, checked, rendered and given
//! forms, with the invariants of `checks/campaign.rs` and `checks/form.rs` (shared with
//! `server/tests/fuzz_corpus.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

mod checks {
    include!("../checks/form.rs");
    include!("../checks/campaign.rs");
}

fuzz_target!(|text: &str| {
    checks::check_campaign(text);
});
