//! The committed fuzz corpus, replayed in every ordinary test run: each file of
//! `fuzz/corpus/record` goes through the very checks the `record` fuzz target runs
//! (`fuzz/checks/record.rs`, included below), without libFuzzer. A crash a fuzzer once found
//! stays found. docs/FUZZING.md says how to run the fuzzer itself.

mod checks {
    include!("../../fuzz/checks/record.rs");
}

mod replay {
    include!("../../fuzz/checks/replay.rs");
}

#[test]
fn record_corpus_keeps_the_record_invariants() {
    let checker = checks::RecordChecker::new();
    replay::replay("record", |bytes| checker.check(bytes));
}
