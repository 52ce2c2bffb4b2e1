//! The campaign's own words — its title, letter, questions and choices — in the page's language
//! where the campaign carries a translation, and as first written where it does not, marked
//! with their language so that browsers and screen readers read them right.

use super::Language;
use crate::campaign::{Campaign, ChoiceOption, FieldSpec, Translation};

/// A piece of the campaign's text, and its language when that is not the page's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Words<'a> {
    pub text: &'a str,
    /// `lang` for the element holding it; `None` when it is in the page's language.
    pub lang: Option<&'a str>,
}

/// The campaign's words for a page in one language.
#[derive(Debug, Clone, Copy)]
pub(super) struct CampaignWords<'a> {
    campaign: &'a Campaign,
    /// The campaign's translation into the page's language, if it has one.
    translation: Option<&'a Translation>,
    /// The campaign's own tag, when the page is in another language.
    original_lang: Option<&'a str>,
}

impl<'a> CampaignWords<'a> {
    pub fn new(campaign: &'a Campaign, page: Language) -> Self {
        let same = Language::closest(campaign.language()) == Some(page);
        Self {
            campaign,
            translation: match same {
                true => None,
                false => campaign
                    .translations()
                    .iter()
                    .find(|t| Language::closest(&t.language) == Some(page)),
            },
            original_lang: (!same).then(|| campaign.language()),
        }
    }

    fn pick(&self, translated: Option<&'a str>, original: &'a str) -> Words<'a> {
        match translated {
            Some(text) => Words { text, lang: None },
            None => Words {
                text: original,
                lang: self.original_lang,
            },
        }
    }

    /// `dir` for the campaign's words as first written: right to left for the scripts written
    /// that way, else left to right.
    pub fn original_dir(&self) -> &'static str {
        const RIGHT_TO_LEFT: [&str; 8] = ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug"];
        let primary = self.campaign.language().split('-').next().unwrap_or("");
        match RIGHT_TO_LEFT
            .iter()
            .any(|rtl| primary.eq_ignore_ascii_case(rtl))
        {
            true => "rtl",
            false => "ltr",
        }
    }

    /// Whether the letter is shown as first written, in another language than the page's.
    pub fn letter_untranslated(&self) -> bool {
        self.letter_html().lang.is_some()
    }

    pub fn title(&self) -> Words<'a> {
        let translated = self.translation.and_then(|t| t.title.as_deref());
        self.pick(translated, self.campaign.title())
    }

    pub fn form_title(&self) -> Option<Words<'a>> {
        let original = self.campaign.form_title()?;
        let translated = self.translation.and_then(|t| t.form_title.as_deref());
        Some(self.pick(translated, original))
    }

    pub fn letter_html(&self) -> Words<'a> {
        let translated = self.translation.and_then(|t| t.letter_html.as_deref());
        self.pick(translated, self.campaign.letter_html())
    }

    pub fn label(&self, spec: &'a FieldSpec) -> Words<'a> {
        let translated = self
            .field_translation(spec)
            .and_then(|t| t.label.as_deref());
        self.pick(translated, &spec.label)
    }

    pub fn help(&self, spec: &'a FieldSpec) -> Option<Words<'a>> {
        let original = spec.help.as_deref()?;
        let translated = self.field_translation(spec).and_then(|t| t.help.as_deref());
        Some(self.pick(translated, original))
    }

    pub fn option(&self, spec: &'a FieldSpec, option: &'a ChoiceOption) -> Words<'a> {
        let translated = self
            .field_translation(spec)
            .and_then(|t| t.options.get(&option.value))
            .map(String::as_str);
        self.pick(translated, &option.label)
    }

    fn field_translation(&self, spec: &FieldSpec) -> Option<&'a crate::campaign::FieldTranslation> {
        self.translation?.fields.get(&spec.name)
    }
}
