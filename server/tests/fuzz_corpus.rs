//! The committed fuzz corpora, replayed in every ordinary test run: each file of
//! `fuzz/corpus/form`, `fuzz/corpus/campaign` and `fuzz/corpus/proxy` goes through the very
//! checks its fuzz target runs (`fuzz/checks/*.rs`, included below), without libFuzzer. A crash
//! a fuzzer once found stays found. docs/FUZZING.md says how to run the fuzzers themselves.

use sealform_server::campaign::Campaign;

mod checks {
    include!("../../fuzz/checks/form.rs");
    include!("../../fuzz/checks/campaign.rs");
    include!("../../fuzz/checks/proxy.rs");
}

mod replay {
    include!("../../fuzz/checks/replay.rs");
}

use replay::replay;

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
