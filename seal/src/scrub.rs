//! Wiping what sealing and opening leave on the stack.
//!
//! The zeroizing allocator (in the server) wipes freed heap memory, but stack frames are never
//! freed: they are only overwritten by later calls. ChaCha20 copies the last partial block of a
//! payload into a stack buffer to apply its keystream, so the tail of a plaintext — the end of
//! the JSON, usually the last answer — stays in a dead frame of the thread that sealed it, where a
//! core dump would find it. A search of a live server's core found exactly that.

use zeroize::Zeroize;

/// How much stack below the caller is wiped: more than age and ChaCha20 use while sealing or
/// opening one record.
const SCRUBBED_BYTES: usize = 32 * 1024;

/// Overwrites the stack just below the caller with zeros. Call it after a function that
/// handled plaintext has returned, from the frame that called it: this frame then takes the
/// addresses that function's frames used.
#[inline(never)]
pub fn scrub_stack() {
    // Words, not bytes: `zeroize` writes each element volatilely, and eight bytes a write wipes
    // the same area in an eighth of the writes.
    let mut area = [0u64; SCRUBBED_BYTES / 8];
    // `zeroize` writes volatilely, and `black_box` keeps the area from being optimized away.
    area.zeroize();
    std::hint::black_box(&mut area);
}
