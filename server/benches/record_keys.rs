//! `cargo bench -p sealform-server --bench record_keys`: what the keys the store gives records
//! cost in sled. The store keys every record by an id as random as a drawn one (it comes from
//! the record's withdrawal receipt) so that the keys keep no order of arrival
//! (docs/THREAT-MODEL.md); this measures the price of that choice against ids that follow the
//! order records arrive in, and what a second key per record (the receipt's, as the store wrote
//! until ids came from receipts) added to it, for docs/PERFORMANCE.md.
//!
//! Each way of choosing keys runs in a process of its own (so its resident memory is its own)
//! and writes the same load the store does, straight into sled with the store's segment and cache
//! sizes: batches of 32 records of 1.5–9 KB of random bytes (as incompressible as sealed ones),
//! the counter once per batch, then `flush()` and `fdatasync`. It prints the rate, the CPU
//! seconds and resident memory every 50,000 records. The ways: `random` (the store's ids),
//! `receipts` (random ids, each record with a 33-byte receipt key too) and `arrival` (a counter).
//!
//! Settings (environment): `SEALFORM_BENCH_RECORDS` per way (default 300000);
//! `SEALFORM_BENCH_KEYS` runs one way alone. The data folders are deleted at the end; at the
//! default they take about 2 GB each while the run lasts.

use std::fs::File;
use std::process::Command;
use std::time::Instant;

use rand::{Rng, RngCore};
use sealform_server::store::{CACHE_BYTES, SEGMENT_SIZE};
use support::{cpu_seconds, folder_bytes, memory_kib};

mod support;

/// Which way of choosing keys this process measures, when the benchmark started it.
const WAY_VARIABLE: &str = "SEALFORM_BENCH_KEYS";
/// The ways of choosing keys, in the order a whole run measures them.
const WAYS: [&str; 3] = ["random", "receipts", "arrival"];
/// Records per batch: what the store's inserter takes at once at 32 requests at a time.
const BATCH: usize = 32;
/// How often progress is printed, in records.
const REPORT_EVERY: usize = 50_000;

fn main() {
    let records = std::env::var("SEALFORM_BENCH_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300_000);
    match std::env::var(WAY_VARIABLE).as_deref() {
        Ok(way) => write_records(way, records),
        Err(_) => {
            println!("{records} records a way, batches of {BATCH}, synced per batch");
            for way in WAYS {
                let status = Command::new(std::env::current_exe().unwrap())
                    .env(WAY_VARIABLE, way)
                    .status()
                    .unwrap();
                assert!(status.success(), "the {way} run failed");
            }
        }
    }
}

fn write_records(way: &str, records: usize) {
    assert!(WAYS.contains(&way), "{WAY_VARIABLE} is one of {WAYS:?}");
    let dir = tempfile::tempdir().unwrap();
    let db = sled::Config::new()
        .path(dir.path())
        .segment_size(SEGMENT_SIZE)
        .cache_capacity(CACHE_BYTES)
        .flush_every_ms(None)
        .open()
        .unwrap();
    let tree = db.open_tree("sealed").unwrap();
    let log = File::open(dir.path().join("db")).unwrap();
    let mut rng = rand::rng();
    let started = Instant::now();
    let mut written = 0;
    while written < records {
        let mut batch = sled::Batch::default();
        for n in written..written + BATCH {
            let mut key = [0u8; 17];
            key[0] = b'r';
            match way {
                "arrival" => key[1..9].copy_from_slice(&(n as u64).to_be_bytes()),
                _ => rng.fill_bytes(&mut key[1..]),
            }
            let mut record = vec![0u8; rng.random_range(1_500..9_000)];
            rng.fill_bytes(&mut record);
            batch.insert(&key[..], record);
            if way == "receipts" {
                let mut receipt = [0u8; 33];
                receipt[0] = b'k';
                rng.fill_bytes(&mut receipt[1..]);
                batch.insert(&receipt[..], &key[..]);
            }
        }
        written += BATCH;
        batch.insert(&b"n"[..], &(written as u64).to_be_bytes()[..]);
        tree.apply_batch(batch).unwrap();
        db.flush().unwrap();
        log.sync_data().unwrap();
        if written % REPORT_EVERY < BATCH || written >= records {
            println!(
                "{way:>8}: {written:>7} records, {:>6.0} a second, {:>5.1} CPU s, resident {:>4} MiB, data {:>5} MiB",
                written as f64 / started.elapsed().as_secs_f64(),
                cpu_seconds("self"),
                memory_kib("self").1 / 1024,
                folder_bytes(dir.path()) / (1024 * 1024)
            );
        }
    }
}
