//! `cargo bench -p seal`: how long sealing and opening take for testimonies of several sizes,
//! and how many bytes a record takes on disk. A plain timing loop (no harness): each size runs
//! for a fixed number of iterations and reports the median of five rounds.

use std::hint::black_box;
use std::time::{Duration, Instant};

use age::x25519;
use seal::{Field, FieldValue, RecipientSet, Submission};

fn submission(testimony_bytes: usize) -> Submission {
    let testimony: String = "Testimony — ça, مرحبا, 他们. "
        .chars()
        .cycle()
        .take(testimony_bytes)
        .collect();
    Submission::new(
        "open-letter".into(),
        "0".repeat(64),
        "en".into(),
        "2026-11-28".parse().unwrap(),
        vec![
            Field::new("sign_as", FieldValue::Choice("individual".into())),
            Field::new("name", FieldValue::Text("Mai Nguyễn".into())),
            Field::new("email", FieldValue::Text("mai@example.org".into())),
            Field::new(
                "actions",
                FieldValue::Choices(vec!["share_social_media".into()]),
            ),
            Field::new("harm", FieldValue::Text(testimony)),
            Field::new("consent_public", FieldValue::Consent(true)),
        ],
    )
}

fn median(mut rounds: Vec<Duration>) -> Duration {
    rounds.sort();
    rounds[rounds.len() / 2]
}

fn main() {
    let identities: Vec<x25519::Identity> = (0..3).map(|_| x25519::Identity::generate()).collect();
    let recipients =
        RecipientSet::new(identities.iter().map(x25519::Identity::to_public).collect()).unwrap();
    println!("recipients: {}", identities.len());
    println!(
        "{:>10} {:>12} {:>12} {:>12}",
        "characters", "record bytes", "seal", "open"
    );
    for size in [0usize, 1_000, 10_000, 60_000] {
        let submission = submission(size);
        let iterations = 200;
        let record = seal::seal(&submission, &recipients).unwrap();
        let mut seal_rounds = Vec::new();
        let mut open_rounds = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(seal::seal(black_box(&submission), &recipients).unwrap());
            }
            seal_rounds.push(started.elapsed() / iterations);
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(
                    seal::open(black_box(&record), &[&identities[2] as &dyn age::Identity])
                        .unwrap(),
                );
            }
            open_rounds.push(started.elapsed() / iterations);
        }
        println!(
            "{:>10} {:>12} {:>12.1?} {:>12.1?}",
            size,
            record.len(),
            median(seal_rounds),
            median(open_rounds)
        );
    }
}
