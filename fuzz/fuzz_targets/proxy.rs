//! Arbitrary bytes as the first line of a connection to the onion listener, with the
//! invariants of `checks/proxy.rs` (shared with `server/tests/fuzz_corpus.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

mod checks {
    include!("../checks/proxy.rs");
}

fuzz_target!(|line: &[u8]| {
    checks::check_proxy_line(line);
});
