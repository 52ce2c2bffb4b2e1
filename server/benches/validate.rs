//! `cargo bench -p sealform-server --bench validate`: how long the server takes to decode a form
//! body ([`FormInput::parse`]) and to check it against the built-in campaign into a submission
//! ([`validate`]), for bodies as a browser sends them. A plain timing loop (no harness): each
//! measurement runs a fixed number of iterations per round and reports the median of the rounds,
//! followed by ± half the gap between the slowest and the fastest round (in percent of the
//! median): how noisy the machine was.
//!
//! Like the server binary, this program wipes every freed allocation (the same global
//! allocator), so the times include what wiping costs on this path.
//!
//! MB/s is millions of body bytes (urlencoded, as sent) a second.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

use seal::Day;
use sealform_server::campaign::Campaign;
use sealform_server::form::{FormInput, validate};
use zeroizing_alloc::ZeroAlloc;

/// The server binary's allocator: every freed allocation is wiped.
#[global_allocator]
static WIPING_ALLOCATOR: ZeroAlloc<std::alloc::System> = ZeroAlloc(std::alloc::System);

/// Rounds per measurement; the median is reported.
const ROUNDS: usize = 9;
/// Calls per round.
const ITERATIONS: u32 = 500;

/// Sentences of an account in several scripts.
const MIXED: [&str; 7] = [
    "The raid came at night; they took our phones and our savings, ça n'était pas une aide. ",
    "他们说是来救我们的，可是把我们关了三天，没有翻译，也没有律师。",
    "ตำรวจบอกว่าเราเป็นเหยื่อ แต่กลับยึดเงินและส่งเพื่อนของเรากลับประเทศ ",
    "단속 이후에 우리는 일을 잃었고, 아무도 우리에게 무엇을 원하는지 묻지 않았다. ",
    "Họ nói là giải cứu, nhưng chúng tôi bị giam giữ và mất hết tiền tiết kiệm. ",
    "قالوا إنهم جاؤوا لإنقاذنا، لكنهم أخذوا أوراقنا ولم يسألونا ماذا نريد. ",
    "Sinabi nilang tutulungan kami, pero nawalan kami ng trabaho at tirahan.\r\n\r\n",
];

/// Sentences of an account in Chinese and Arabic only.
const CHINESE_ARABIC: [&str; 4] = [
    "他们说是来救我们的，可是把我们关了三天，没有翻译，也没有律师。",
    "قالوا إنهم جاؤوا لإنقاذنا، لكنهم أخذوا أوراقنا ولم يسألونا ماذا نريد. ",
    "警察拿走了我们的护照和积蓄，说这是为了保护我们。\r\n\r\n",
    "بعد المداهمة فقدنا عملنا وسكننا، ولم يسألنا أحد عما نحتاجه.\r\n\r\n",
];

/// An account of at most `bytes` bytes of UTF-8 (at least `bytes` - 3) made of `phrases`, with
/// line breaks as a browser sends a textarea's: CRLF.
fn account(phrases: &[&str], bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    for phrase in phrases.iter().cycle() {
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

/// A body as a browser sends the form: every text field and textarea (empty ones too), the
/// radios and checkboxes that are ticked, in the page's order. `account` is `None` for someone
/// who only signs, and `signer` is false for someone who only shares.
fn body(intent: &str, signer: bool, account: Option<&str>) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("token", &"3f".repeat(40))
        .append_pair("intent", intent);
    if signer {
        form.append_pair("sign_as", "individual")
            .append_pair("organization_name", "")
            .append_pair("name", "Nguyễn Thị Hoa")
            .append_pair("email", "hoa.nguyen@example.org")
            .append_pair("postal_code", "M5V 2T6")
            .append_pair("actions", "share_social_media")
            .append_pair("actions", "join_meeting")
            .append_pair("consent_public", "on");
    } else {
        form.append_pair("organization_name", "")
            .append_pair("name", "")
            .append_pair("email", "")
            .append_pair("postal_code", "");
    }
    form.append_pair("harm", account.unwrap_or(""));
    if account.is_some() {
        form.append_pair("consent_quote", "on");
    }
    form.append_pair("comment", "")
        .append_pair("website", "")
        .finish()
}

/// The time per call of `op` in each of [`ROUNDS`] rounds of [`ITERATIONS`] calls, after one
/// warm-up round.
fn time_per_call<T>(mut op: impl FnMut() -> T) -> Timing {
    for _ in 0..ITERATIONS {
        black_box(op());
    }
    let mut rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..ITERATIONS {
                black_box(op());
            }
            started.elapsed() / ITERATIONS
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

fn main() {
    let started = Instant::now();
    let campaign = Campaign::builtin();
    let day: Day = "2026-11-28".parse().unwrap();
    let mixed = account(&MIXED, 2 * 1024);
    let chinese_arabic = account(&CHINESE_ARABIC, 8 * 1024);
    let bodies = [
        ("signature only", body("sign", true, None)),
        (
            "signature, 2 KiB account",
            body("sign_and_share", true, Some(&mixed)),
        ),
        (
            "share only, 8 KiB zh/ar",
            body("share", false, Some(&chinese_arabic)),
        ),
    ];

    println!(
        "form bodies against the built-in campaign ({ITERATIONS} calls x {ROUNDS} rounds, median \
         per call ± half the rounds' spread; MB/s of body bytes; freed memory wiped, as in the \
         server)"
    );
    println!(
        "{:<26} {:>6} {:>15} {:>7} {:>15} {:>7}",
        "body", "bytes", "parse", "MB/s", "parse+validate", "MB/s"
    );
    for (label, body) in &bodies {
        let body = body.as_bytes();
        // Every body is one the server accepts, so the loop times the path a signature takes.
        let input = FormInput::parse(body, &campaign).expect("the body parses");
        assert!(!input.honeypot_filled());
        let submission = validate(&input, &campaign, day);
        assert!(submission.is_ok(), "{label}: {:?}", submission.err());

        let parse = time_per_call(|| FormInput::parse(black_box(body), &campaign).unwrap());
        let both = time_per_call(|| {
            let input = FormInput::parse(black_box(body), &campaign).unwrap();
            validate(&input, &campaign, day).unwrap()
        });
        println!(
            "{:<26} {:>6} {:>15} {:>7.0} {:>15} {:>7.0}",
            label,
            body.len(),
            parse,
            parse.megabytes_per_second(body.len()),
            both,
            both.megabytes_per_second(body.len()),
        );
    }
    println!("\nwhole run: {:.1?}", started.elapsed());
}
