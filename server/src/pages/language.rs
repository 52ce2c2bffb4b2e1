//! The languages the interface speaks, and the one place where a request's language is chosen.

use std::sync::LazyLock;

use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use unic_langid::LanguageIdentifier;

use super::texts::Texts;

/// A language of the interface. Its words are in `server/locales/<tag>.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// `en`, the reference every other file is checked against, and the fallback.
    English,
    /// `fr`.
    French,
    /// `zh-Hans`.
    SimplifiedChinese,
    /// `zh-Hant`.
    TraditionalChinese,
    /// `ko`.
    Korean,
    /// `th`.
    Thai,
    /// `vi`.
    Vietnamese,
    /// `es`.
    Spanish,
    /// `ar-XB`, a pseudo-locale for testing right-to-left layout: the English words, each run
    /// of text forced right to left, under `dir="rtl"`. Only `?lang=ar-XB` reaches it; it is
    /// not in the menu and never chosen from `Accept-Language`.
    RtlTest,
}

impl Language {
    /// Every language, in menu order (the index of each is its `as usize`).
    pub const ALL: [Self; 9] = [
        Self::English,
        Self::French,
        Self::SimplifiedChinese,
        Self::TraditionalChinese,
        Self::Korean,
        Self::Thai,
        Self::Vietnamese,
        Self::Spanish,
        Self::RtlTest,
    ];

    /// The BCP 47 tag: `<html lang>`, `?lang=` and the file name.
    pub fn tag(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::French => "fr",
            Self::SimplifiedChinese => "zh-Hans",
            Self::TraditionalChinese => "zh-Hant",
            Self::Korean => "ko",
            Self::Thai => "th",
            Self::Vietnamese => "vi",
            Self::Spanish => "es",
            Self::RtlTest => "ar-XB",
        }
    }

    /// The Fluent source, built into the binary.
    pub(super) fn source(self) -> &'static str {
        match self {
            Self::English | Self::RtlTest => include_str!("../../locales/en.ftl"),
            Self::French => include_str!("../../locales/fr.ftl"),
            Self::SimplifiedChinese => include_str!("../../locales/zh-Hans.ftl"),
            Self::TraditionalChinese => include_str!("../../locales/zh-Hant.ftl"),
            Self::Korean => include_str!("../../locales/ko.ftl"),
            Self::Thai => include_str!("../../locales/th.ftl"),
            Self::Vietnamese => include_str!("../../locales/vi.ftl"),
            Self::Spanish => include_str!("../../locales/es.ftl"),
        }
    }

    /// `dir` on `<html>`.
    pub fn dir(self) -> &'static str {
        match self {
            Self::RtlTest => "rtl",
            _ => "ltr",
        }
    }

    /// What goes between groups of three digits: "1,234", "1 234" (a narrow no-break space,
    /// as French typography wants), "1.234".
    pub(super) fn digit_group_separator(self) -> char {
        match self {
            Self::French => '\u{202f}',
            Self::Spanish | Self::Vietnamese => '.',
            _ => ',',
        }
    }

    /// Whether the language menu lists it (the pseudo-locale is for tests only).
    pub(super) fn in_menu(self) -> bool {
        self != Self::RtlTest
    }

    /// Every sentence in this language.
    pub fn texts(self) -> &'static Texts {
        Texts::of(self)
    }

    /// The language whose tag is exactly `tag` (ignoring case).
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|language| language.tag().eq_ignore_ascii_case(tag))
    }

    /// The page language for a request: `?lang=` if it names one of ours exactly, else the
    /// best match for `Accept-Language` among the menu's languages, else English. No cookie
    /// and nothing stored. This is the only place that chooses; an unknown `?lang=` or a
    /// malformed header is never an error.
    pub fn choose(asked: Option<&str>, accept_language: Option<&str>) -> Choice {
        match asked.and_then(Self::from_tag) {
            Some(language) => Choice {
                language,
                from_address: true,
            },
            None => Choice {
                language: accept_language.and_then(negotiate).unwrap_or(Self::English),
                from_address: false,
            },
        }
    }

    /// The menu language that best serves someone who reads `tag` (e.g. a campaign's
    /// language, `zh-TW` → `zh-Hant`), if any.
    pub fn closest(tag: &str) -> Option<Self> {
        negotiate(tag)
    }
}

/// A request's language, and whether its address named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The language of the pages.
    pub language: Language,
    /// `?lang=` named it, so the page's links and form action carry `?lang=` on: nothing else
    /// remembers it. A language negotiated from `Accept-Language` is not written into links,
    /// because the browser sends the same header with the next request (and the addresses stay
    /// as they always were).
    pub from_address: bool,
}

impl Choice {
    /// What a link from a page in this choice adds to keep the language: `?lang=<tag>`, or
    /// nothing.
    pub fn query(self) -> String {
        if self.from_address {
            format!("?lang={}", self.language.tag())
        } else {
            String::new()
        }
    }
}

/// The menu's languages as identifiers, in the order of [`Language::ALL`].
static OFFERED: LazyLock<Vec<(LanguageIdentifier, Language)>> = LazyLock::new(|| {
    Language::ALL
        .into_iter()
        .filter(|language| language.in_menu())
        .map(|language| {
            let id = language
                .tag()
                .parse()
                .expect("every language tag is a valid identifier");
            (id, language)
        })
        .collect()
});

/// The first of `accept_language`'s languages (by quality) that we have, matched the way
/// Fluent does: exactly, then by likely subtags (`zh-TW` → `zh-Hant`), then by language alone.
fn negotiate(accept_language: &str) -> Option<Language> {
    let requested = accepted_languages::parse(accept_language);
    let available: Vec<&LanguageIdentifier> = OFFERED.iter().map(|(id, _)| id).collect();
    let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    let chosen = chosen.first()?;
    OFFERED
        .iter()
        .find(|(id, _)| id == **chosen)
        .map(|(_, language)| *language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_gets_the_language_it_asks_for() {
        use Language::*;
        let choose = |asked, accept| Language::choose(asked, accept).language;
        assert_eq!(choose(None, None), English);
        assert_eq!(choose(None, Some("zh-Hant,zh;q=0.9")), TraditionalChinese);
        assert_eq!(choose(None, Some("zh-TW")), TraditionalChinese);
        assert_eq!(choose(None, Some("zh-HK,en;q=0.5")), TraditionalChinese);
        assert_eq!(choose(None, Some("zh-CN,zh;q=0.9")), SimplifiedChinese);
        assert_eq!(choose(None, Some("zh")), SimplifiedChinese);
        assert_eq!(choose(None, Some("fr-CA,fr;q=0.9,en;q=0.8")), French);
        assert_eq!(choose(None, Some("es-MX")), Spanish);
        assert_eq!(choose(None, Some("ko-KR,ko;q=0.9")), Korean);
        assert_eq!(choose(None, Some("th")), Thai);
        assert_eq!(choose(None, Some("vi-VN")), Vietnamese);
        assert_eq!(choose(None, Some("de;q=0.9,th;q=0.8")), Thai);
        assert_eq!(choose(None, Some("de, *")), English);
        assert_eq!(
            choose(None, Some("ar")),
            English,
            "the pseudo-locale is never negotiated"
        );
        assert_eq!(choose(None, Some(";;,=q")), English);
        assert_eq!(choose(Some("ko"), Some("fr")), Korean);
        assert_eq!(choose(Some("ZH-hant"), None), TraditionalChinese);
        assert_eq!(choose(Some("ar-XB"), Some("fr")), RtlTest);
        assert_eq!(choose(Some("klingon"), Some("fr")), French);
        assert_eq!(choose(Some(""), None), English);
        for language in Language::ALL {
            assert_eq!(Language::ALL[language as usize], language);
            assert_eq!(Language::from_tag(language.tag()), Some(language));
        }
        assert!(Language::choose(Some("ko"), None).from_address);
        assert_eq!(Language::choose(Some("ko"), None).query(), "?lang=ko");
        assert!(!Language::choose(Some("tlh"), Some("ko")).from_address);
        assert_eq!(Language::choose(None, Some("ko")).query(), "");
        assert_eq!(Language::closest("en-GB"), Some(English));
        assert_eq!(Language::closest("de"), None);
    }
}
