//! `cargo bench -p sealform-server --bench validate`: how long the server takes to decode a form
//! body ([`FormInput::parse`]) and to check it against the built-in campaign into a submission
//! ([`validate`]), for bodies as a browser sends them, with divan. Each benchmark takes 100
//! samples (a sample is as many calls as it takes to be timed precisely) and prints the fastest,
//! slowest, median and mean time per call; quote the median, which one slow sample (the machine
//! busy with something else) does not move. Before the timings it prints each body's length,
//! which divan has no column for.
//!
//! - `parse`: [`FormInput::parse`] alone;
//! - `parse_and_validate`: [`FormInput::parse`], then [`validate`].
//!
//! Like the server binary, this program wipes every freed allocation (the same global
//! allocator), and each call's results are dropped inside the timed part, so the times include
//! what wiping costs on this path. Every body is checked once to parse and validate, so the
//! timings follow the path a signature takes, not an error's.
//!
//! The throughput line (MB/s) counts millions of body bytes (urlencoded, as sent) a second.

use std::fmt;
use std::hint::black_box;

use divan::Bencher;
use divan::counter::BytesCount;
use seal::Day;
use sealform_server::campaign::Campaign;
use sealform_server::form::{FormInput, validate};
use zeroizing_alloc::ZeroAlloc;

/// The server binary's allocator: every freed allocation is wiped.
#[global_allocator]
static WIPING_ALLOCATOR: ZeroAlloc<std::alloc::System> = ZeroAlloc(std::alloc::System);

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

/// The day every body is validated on.
fn day() -> Day {
    "2026-11-28".parse().unwrap()
}

/// The bodies measured.
#[derive(Clone, Copy)]
enum Body {
    /// Someone who only signs.
    SignatureOnly,
    /// Someone who signs and shares a 2 KiB account in seven scripts.
    SignatureMixedAccount,
    /// Someone who only shares, an 8 KiB account in Chinese and Arabic.
    ShareOnlyChineseArabic,
}

impl Body {
    const ALL: [Body; 3] = [
        Body::SignatureOnly,
        Body::SignatureMixedAccount,
        Body::ShareOnlyChineseArabic,
    ];

    /// The urlencoded body; panics unless it parses and validates against `campaign`.
    fn checked(self, campaign: &Campaign) -> String {
        let body = match self {
            Body::SignatureOnly => body("sign", true, None),
            Body::SignatureMixedAccount => {
                body("sign_and_share", true, Some(&account(&MIXED, 2 * 1024)))
            }
            Body::ShareOnlyChineseArabic => {
                body("share", false, Some(&account(&CHINESE_ARABIC, 8 * 1024)))
            }
        };
        let input = FormInput::parse(body.as_bytes(), campaign).expect("the body parses");
        assert!(!input.honeypot_filled(), "{self}: the honeypot is filled");
        let submission = validate(&input, campaign, day());
        assert!(submission.is_ok(), "{self}: {:?}", submission.err());
        body
    }
}

/// The name divan shows for the body.
impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Body::SignatureOnly => "signature only",
            Body::SignatureMixedAccount => "signature, 2 KiB account",
            Body::ShareOnlyChineseArabic => "share only, 8 KiB zh/ar",
        })
    }
}

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

#[divan::bench(args = Body::ALL)]
fn parse(bencher: Bencher, body: Body) {
    let campaign = Campaign::builtin();
    let body = body.checked(&campaign);
    bencher
        .counter(BytesCount::new(body.len()))
        .bench_local(|| drop(FormInput::parse(black_box(body.as_bytes()), &campaign).unwrap()));
}

#[divan::bench(args = Body::ALL)]
fn parse_and_validate(bencher: Bencher, body: Body) {
    let campaign = Campaign::builtin();
    let body = body.checked(&campaign);
    let day = day();
    bencher
        .counter(BytesCount::new(body.len()))
        .bench_local(|| {
            let input = FormInput::parse(black_box(body.as_bytes()), &campaign).unwrap();
            drop(validate(&input, &campaign, day).unwrap());
        });
}

/// Prints each body's length, then runs the benchmarks.
fn main() {
    let campaign = Campaign::builtin();
    println!("form bodies against the built-in campaign, bytes as sent (urlencoded)");
    for body in Body::ALL {
        println!("{:<26} {:>6}", body, body.checked(&campaign).len());
    }
    println!();
    divan::main();
}
