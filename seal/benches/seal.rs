//! `cargo bench -p seal --bench seal`: how long sealing, opening and padding take, with divan.
//! Each benchmark takes 100 samples (a sample is as many calls as it takes to be timed
//! precisely) and prints the fastest, slowest, median and mean time per call; quote the median,
//! which one slow sample (the machine busy with something else) does not move.
//!
//! - `realistic::seal`, `realistic::open`: realistic submissions (a person who signs and shares
//!   an account of 512, 2,048 or 8,192 bytes of text in seven scripts) sealed to 1 and to 3
//!   recipients;
//! - `testimony::seal`, `testimony::open`: testimonies of 0 to 60,000 characters sealed to
//!   three recipients;
//! - `padding::pad`, `padding::unpad`: Padmé padding and its check ([`seal::pad`],
//!   [`seal::unpad`]) of the realistic submissions' JSON;
//! - `scrub_stack`: the stack wipe ([`seal::scrub_stack`]) that ends every seal and open.
//!
//! Before the timings it prints what divan cannot: the bytes of each submission's JSON, its
//! padded length and its record on disk.
//!
//! The throughput line (MB/s) counts millions of plaintext bytes a second: the submission's
//! JSON, not its padding or the age framing. Opening uses the identity of the *last*
//! recipient, so with three recipients it tries every stanza before the one that fits: the
//! slowest case. Every input is checked once before it is timed (a record opens back to the
//! submission sealed in it, padding comes off back to the JSON), so a broken build fails rather
//! than timing an error. A call's result is dropped inside the timed part, as in use: dropping
//! a padded plaintext or an opened submission wipes it.

use std::hint::black_box;

use age::x25519;
use divan::Bencher;
use divan::counter::BytesCount;
use seal::{Field, FieldValue, RecipientSet, Submission};

/// Sizes of the accounts in the realistic submissions, in bytes of UTF-8.
const ACCOUNT_BYTES: [usize; 3] = [512, 2 * 1024, 8 * 1024];
/// Recipients of the realistic submissions.
const RECIPIENT_COUNTS: [usize; 2] = [1, 3];
/// Lengths of the testimonies, in characters.
const TESTIMONY_CHARACTERS: [usize; 4] = [0, 1_000, 10_000, 60_000];
/// Recipients of the testimonies.
const TESTIMONY_RECIPIENTS: usize = 3;

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

/// A submission with a testimony of `characters` characters.
fn testimony_submission(characters: usize) -> Submission {
    let testimony: String = "Testimony — ça, مرحبا, 他们. "
        .chars()
        .cycle()
        .take(characters)
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

/// Recipients and the identities that open their records.
fn keys(count: usize) -> (RecipientSet, Vec<x25519::Identity>) {
    let identities: Vec<x25519::Identity> =
        (0..count).map(|_| x25519::Identity::generate()).collect();
    let recipients =
        RecipientSet::new(identities.iter().map(x25519::Identity::to_public).collect()).unwrap();
    (recipients, identities)
}

/// One submission sealed to its recipients, checked to open back to what was sealed.
struct Sealed {
    submission: Submission,
    recipients: RecipientSet,
    /// The last recipient's identity: opening with it tries every stanza before the one that
    /// fits.
    last_identity: x25519::Identity,
    record: Vec<u8>,
    /// The submission's JSON as sealed (the record's plaintext without its padding).
    json: Vec<u8>,
}

impl Sealed {
    /// Seals `submission` to `recipient_count` new keys; panics unless the record opens back to
    /// the same submission.
    fn new(submission: Submission, recipient_count: usize) -> Self {
        let (recipients, mut identities) = keys(recipient_count);
        let last_identity = identities.pop().unwrap();
        let record = seal::seal(&submission, &recipients).unwrap();
        let opener = [&last_identity as &dyn age::Identity];
        let padded = seal::decrypt(&record, &opener).unwrap();
        let json = seal::unpad(&padded).unwrap().to_vec();
        let opened = seal::open(&record, &opener).unwrap();
        assert_same(&opened, &submission);
        Self {
            submission,
            recipients,
            last_identity,
            record,
            json,
        }
    }

    /// Times sealing the submission again, with the JSON's bytes as throughput.
    fn bench_seal(&self, bencher: Bencher) {
        bencher
            .counter(BytesCount::new(self.json.len()))
            .bench_local(|| {
                drop(seal::seal(black_box(&self.submission), &self.recipients).unwrap())
            });
    }

    /// Times opening the record with the last identity, with the JSON's bytes as throughput.
    fn bench_open(&self, bencher: Bencher) {
        let identities = [&self.last_identity as &dyn age::Identity];
        bencher
            .counter(BytesCount::new(self.json.len()))
            .bench_local(|| drop(seal::open(black_box(&self.record), &identities).unwrap()));
    }
}

/// Panics unless `opened` holds exactly what `sealed` did.
fn assert_same(opened: &Submission, sealed: &Submission) {
    assert_eq!(opened.campaign(), sealed.campaign());
    assert_eq!(opened.campaign_version(), sealed.campaign_version());
    assert_eq!(opened.receipt(), sealed.receipt());
    assert_eq!(opened.language(), sealed.language());
    assert_eq!(opened.received(), sealed.received());
    let names = |submission: &Submission| -> Vec<String> {
        let fields = submission.expose_fields().iter();
        fields.map(|field| field.name().to_owned()).collect()
    };
    assert_eq!(names(opened), names(sealed));
    assert!(
        opened
            .expose_fields()
            .iter()
            .zip(sealed.expose_fields())
            .all(|(opened, sealed)| opened.expose_value() == sealed.expose_value()),
        "a field opened to another value than was sealed"
    );
}

mod realistic {
    use super::*;

    #[divan::bench(consts = RECIPIENT_COUNTS, args = ACCOUNT_BYTES)]
    fn seal<const RECIPIENTS: usize>(bencher: Bencher, account_bytes: usize) {
        Sealed::new(realistic_submission(account_bytes), RECIPIENTS).bench_seal(bencher);
    }

    #[divan::bench(consts = RECIPIENT_COUNTS, args = ACCOUNT_BYTES)]
    fn open<const RECIPIENTS: usize>(bencher: Bencher, account_bytes: usize) {
        Sealed::new(realistic_submission(account_bytes), RECIPIENTS).bench_open(bencher);
    }
}

mod testimony {
    use super::*;

    #[divan::bench(args = TESTIMONY_CHARACTERS)]
    fn seal(bencher: Bencher, characters: usize) {
        Sealed::new(testimony_submission(characters), TESTIMONY_RECIPIENTS).bench_seal(bencher);
    }

    #[divan::bench(args = TESTIMONY_CHARACTERS)]
    fn open(bencher: Bencher, characters: usize) {
        Sealed::new(testimony_submission(characters), TESTIMONY_RECIPIENTS).bench_open(bencher);
    }
}

mod padding {
    use super::*;

    /// The JSON of the realistic submission with an account of `account_bytes`, checked to pad
    /// and unpad back to itself.
    fn json(account_bytes: usize) -> Vec<u8> {
        let json = Sealed::new(realistic_submission(account_bytes), 1).json;
        assert_eq!(seal::unpad(&seal::pad(&json)).unwrap(), json.as_slice());
        json
    }

    #[divan::bench(args = ACCOUNT_BYTES)]
    fn pad(bencher: Bencher, account_bytes: usize) {
        let json = json(account_bytes);
        bencher
            .counter(BytesCount::new(json.len()))
            .bench_local(|| drop(seal::pad(black_box(&json))));
    }

    #[divan::bench(args = ACCOUNT_BYTES)]
    fn unpad(bencher: Bencher, account_bytes: usize) {
        let json = json(account_bytes);
        let padded = seal::pad(&json);
        bencher
            .counter(BytesCount::new(json.len()))
            .bench_local(|| seal::unpad(black_box(&padded)).unwrap().len());
    }
}

#[divan::bench]
fn scrub_stack() {
    seal::scrub_stack();
}

/// Prints the sizes divan's table has no column for, then runs the benchmarks.
fn main() {
    println!(
        "realistic submissions, bytes (a record varies by about ±50 from one seal to the next)"
    );
    println!(
        "{:>8} {:>10} {:>6} {:>7} {:>7}",
        "account", "recipients", "JSON", "padded", "record"
    );
    for recipient_count in RECIPIENT_COUNTS {
        for account_bytes in ACCOUNT_BYTES {
            let sealed = Sealed::new(realistic_submission(account_bytes), recipient_count);
            println!(
                "{:>8} {:>10} {:>6} {:>7} {:>7}",
                account_bytes,
                recipient_count,
                sealed.json.len(),
                seal::padme(sealed.json.len() as u64),
                sealed.record.len(),
            );
        }
    }
    println!("\ntestimonies to {TESTIMONY_RECIPIENTS} recipients, bytes");
    println!("{:>10} {:>6} {:>7}", "characters", "JSON", "record");
    for characters in TESTIMONY_CHARACTERS {
        let sealed = Sealed::new(testimony_submission(characters), TESTIMONY_RECIPIENTS);
        println!(
            "{:>10} {:>6} {:>7}",
            characters,
            sealed.json.len(),
            sealed.record.len()
        );
    }
    println!();
    divan::main();
}
