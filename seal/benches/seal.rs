//! `cargo bench -p seal --bench seal`: how long sealing, opening and padding take, and how many
//! bytes a record takes on disk. A plain timing loop (no harness): each measurement runs a fixed
//! number of iterations per round and reports the median of the rounds, so one slow round (the
//! machine busy with something else) does not move it, followed by ± half the gap between the
//! slowest and the fastest round (in percent of the median): how noisy the machine was.
//!
//! Three tables:
//! - testimonies of 0 to 60,000 characters sealed to three recipients (record size, seal, open);
//! - realistic submissions (a person who signs and shares an account of 0.5, 2 or 8 KiB of
//!   text in seven scripts) sealed to one and to three recipients, with MB/s;
//! - Padmé padding and its check ([`seal::pad`], [`seal::unpad`]) of those submissions' JSON,
//!   and the stack wipe ([`seal::scrub_stack`]) that ends every seal and open.
//!
//! MB/s is millions of plaintext bytes a second, counting the submission's JSON (the padding
//! and the age framing are not counted). Opening uses the identity of the *last* recipient, so
//! with three recipients it tries every stanza before the one that fits: the slowest case.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use age::x25519;
use seal::{Field, FieldValue, RecipientSet, Submission};

/// Rounds per measurement; the median is reported.
const ROUNDS: usize = 9;
/// Calls per round for sealing and opening (an X25519 agreement per recipient each).
const CRYPTO_ITERATIONS: u32 = 300;
/// Calls per round for the testimonies, up to 60,000 characters.
const TESTIMONY_ITERATIONS: u32 = 200;
/// Calls per round for padding, which takes well under a microsecond for small records.
const PADDING_ITERATIONS: u32 = 1_000;
/// Sizes of the accounts in the realistic submissions, in bytes of UTF-8.
const ACCOUNT_BYTES: [usize; 3] = [512, 2 * 1024, 8 * 1024];

/// Sentences of an account, in the scripts the people who sign write in.
const PHRASES: [&str; 7] = [
    "The raid came at night; they took our phones and our savings, ça n'était pas une aide. ",
    "他们说是来救我们的，可是把我们关了三天，没有翻译，也没有律师。",
    "ตำรวจบอกว่าเราเป็นเหยื่อ แต่กลับยึดเงินและส่งเพื่อนของเรากลับประเทศ ",
    "단속 이후에 우리는 일을 잃었고, 아무도 우리에게 무엇을 원하는지 묻지 않았다. ",
    "Họ nói là giải cứu, nhưng chúng tôi bị giam giữ và mất hết tiền tiết kiệm. ",
    "قالوا إنهم جاؤوا لإنقاذنا، لكنهم أخذوا أوراقنا ولم يسألونا ماذا نريد. ",
    "Sinabi nilang tutulungan kami, pero nawalan kami ng trabaho at tirahan.\n\n",
];

/// The submission the first table measures: a testimony of `testimony_bytes` characters.
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

/// An account of at most `bytes` bytes of UTF-8 (at least `bytes` - 3), in every script of
/// [`PHRASES`], with paragraph breaks.
fn account(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    for phrase in PHRASES.iter().cycle() {
        if text.len() >= bytes {
            break;
        }
        text.push_str(phrase);
    }
    let mut cut = bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

/// What the server seals for a person who signs and shares an account of `account_bytes`:
/// every field of the built-in campaign, in its order, and a withdrawal receipt's hash.
fn realistic_submission(account_bytes: usize) -> Submission {
    let text = |value: &str| FieldValue::Text(value.into());
    let choice = |value: &str| FieldValue::Choice(value.into());
    Submission::new(
        "open-letter".into(),
        "5e".repeat(32),
        "en".into(),
        "2026-11-28".parse().unwrap(),
        vec![
            Field::new("intent", choice("sign_and_share")),
            Field::new("sign_as", choice("individual")),
            Field::new("organization_name", text("")),
            Field::new("name", text("Nguyễn Thị Hoa")),
            Field::new("email", text("hoa.nguyen@example.org")),
            Field::new("postal_code", text("M5V 2T6")),
            Field::new("organization_type", choice("")),
            Field::new(
                "actions",
                FieldValue::Choices(vec!["share_social_media".into(), "join_meeting".into()]),
            ),
            Field::new("consent_public", FieldValue::Consent(true)),
            Field::new("consent_contact", FieldValue::Consent(false)),
            Field::new("harm", FieldValue::Text(account(account_bytes))),
            Field::new("consent_quote", FieldValue::Consent(true)),
            Field::new("comment", text("")),
        ],
    )
    .with_receipt("a7".repeat(32))
}

/// The time per call of `op` in each of [`ROUNDS`] rounds of `iterations` calls, after one
/// warm-up round.
fn time_per_call<T>(iterations: u32, mut op: impl FnMut() -> T) -> Timing {
    for _ in 0..iterations {
        black_box(op());
    }
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(op());
            }
            started.elapsed() / iterations
        })
        .collect();
    rounds.sort();
    Timing { rounds }
}

/// The rounds of one measurement, each the time per call, fastest first.
struct Timing {
    rounds: Vec<Duration>,
}

impl Timing {
    fn median(&self) -> Duration {
        self.rounds[self.rounds.len() / 2]
    }

    /// Half the gap between the slowest and the fastest round, in percent of the median: how
    /// much the machine's other work moved this measurement.
    fn spread_percent(&self) -> f64 {
        let gap = *self.rounds.last().unwrap() - self.rounds[0];
        50.0 * gap.as_secs_f64() / self.median().as_secs_f64()
    }

    /// Millions of `bytes` a second at the median.
    fn megabytes_per_second(&self, bytes: usize) -> f64 {
        bytes as f64 / self.median().as_secs_f64() / 1e6
    }
}

/// The median, then the spread: `147.0µs ±6%`.
impl fmt::Display for Timing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!(
            "{:.1?} ±{:.0}%",
            self.median(),
            self.spread_percent()
        ))
    }
}

/// Recipients and the identities that open their records.
fn keys(count: usize) -> (RecipientSet, Vec<x25519::Identity>) {
    let identities: Vec<x25519::Identity> =
        (0..count).map(|_| x25519::Identity::generate()).collect();
    let recipients =
        RecipientSet::new(identities.iter().map(x25519::Identity::to_public).collect()).unwrap();
    (recipients, identities)
}

/// The submission's JSON as sealed (the record's plaintext without its padding).
fn json_of(record: &[u8], identity: &x25519::Identity) -> Vec<u8> {
    let padded = seal::decrypt(record, &[identity as &dyn age::Identity]).unwrap();
    seal::unpad(&padded).unwrap().to_vec()
}

fn testimonies() {
    let (recipients, identities) = keys(3);
    let last = identities.last().unwrap() as &dyn age::Identity;
    println!(
        "testimonies, {} recipients ({TESTIMONY_ITERATIONS} calls x {ROUNDS} rounds, median per \
         call ± half the rounds' spread)",
        identities.len()
    );
    println!(
        "{:>10} {:>12} {:>15} {:>15}",
        "characters", "record bytes", "seal", "open"
    );
    for size in [0usize, 1_000, 10_000, 60_000] {
        let submission = submission(size);
        let record = seal::seal(&submission, &recipients).unwrap();
        let seal_time = time_per_call(TESTIMONY_ITERATIONS, || {
            seal::seal(black_box(&submission), &recipients).unwrap()
        });
        let open_time = time_per_call(TESTIMONY_ITERATIONS, || {
            seal::open(black_box(&record), &[last]).unwrap()
        });
        println!(
            "{:>10} {:>12} {:>15} {:>15}",
            size,
            record.len(),
            seal_time,
            open_time
        );
    }
}

fn realistic() {
    println!(
        "\nsubmissions that sign and share an account ({CRYPTO_ITERATIONS} calls x {ROUNDS} \
         rounds, median per call ± half the rounds' spread; MB/s of JSON)"
    );
    println!(
        "{:>8} {:>4} {:>6} {:>7} {:>7} {:>15} {:>7} {:>15} {:>7}",
        "account", "keys", "JSON", "padded", "record", "seal", "MB/s", "open", "MB/s"
    );
    for recipient_count in [1, 3] {
        let (recipients, identities) = keys(recipient_count);
        let last = identities.last().unwrap();
        for account_bytes in ACCOUNT_BYTES {
            let submission = realistic_submission(account_bytes);
            let record = seal::seal(&submission, &recipients).unwrap();
            let json = json_of(&record, last);
            let seal_time = time_per_call(CRYPTO_ITERATIONS, || {
                seal::seal(black_box(&submission), &recipients).unwrap()
            });
            let open_time = time_per_call(CRYPTO_ITERATIONS, || {
                seal::open(black_box(&record), &[last as &dyn age::Identity]).unwrap()
            });
            println!(
                "{:>8} {:>4} {:>6} {:>7} {:>7} {:>15} {:>7.1} {:>15} {:>7.1}",
                account_bytes,
                recipient_count,
                json.len(),
                seal::padme(json.len() as u64),
                record.len(),
                seal_time,
                seal_time.megabytes_per_second(json.len()),
                open_time,
                open_time.megabytes_per_second(json.len()),
            );
        }
    }
}

fn padding() {
    println!(
        "\npadding those submissions' JSON ({PADDING_ITERATIONS} calls x {ROUNDS} rounds, median \
         per call ± half the rounds' spread; MB/s of JSON)"
    );
    println!(
        "{:>8} {:>6} {:>7} {:>15} {:>7} {:>15} {:>7}",
        "account", "JSON", "padded", "pad", "MB/s", "unpad", "MB/s"
    );
    let (recipients, identities) = keys(1);
    for account_bytes in ACCOUNT_BYTES {
        let record = seal::seal(&realistic_submission(account_bytes), &recipients).unwrap();
        let json = json_of(&record, &identities[0]);
        let padded = seal::pad(&json);
        assert_eq!(seal::unpad(&padded).unwrap(), json.as_slice());
        let pad_time = time_per_call(PADDING_ITERATIONS, || seal::pad(black_box(&json)));
        let unpad_time = time_per_call(PADDING_ITERATIONS, || {
            seal::unpad(black_box(&padded)).unwrap().len()
        });
        println!(
            "{:>8} {:>6} {:>7} {:>15} {:>7.0} {:>15} {:>7.0}",
            account_bytes,
            json.len(),
            padded.len(),
            pad_time,
            pad_time.megabytes_per_second(json.len()),
            unpad_time,
            unpad_time.megabytes_per_second(json.len()),
        );
    }
    let scrub_time = time_per_call(PADDING_ITERATIONS, seal::scrub_stack);
    println!("stack wipe that ends each seal and open (seal::scrub_stack): {scrub_time}");
}

fn main() {
    let started = Instant::now();
    testimonies();
    realistic();
    padding();
    println!("\nwhole run: {:.1?}", started.elapsed());
}
