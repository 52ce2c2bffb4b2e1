//! How an answer reads on the form it was given in: the campaign's own question and option
//! labels — as first written, or in one of the campaign's translations — and the key tool's
//! English words for what the campaign file does not word itself (the intent, consents).
//!
//! Records keep codes (`sign_as = "organization"`), which stay stable when a label is reworded;
//! a record names the campaign version its form was built from, so its codes are read against
//! the very questions the person was asked (`Submission::campaign_version`, the vault's
//! `campaigns/<version>.toml`).

use sealform_campaign::{Campaign, FieldSpec, INTENT_FIELD, Intent, Translation};

/// One campaign version's form, worded in one language.
#[derive(Debug, Clone, Copy)]
pub struct FormWords<'a> {
    campaign: &'a Campaign,
    translation: Option<&'a Translation>,
}

impl<'a> FormWords<'a> {
    /// `campaign`'s words in `language` when it carries a translation into it (or is written in
    /// it); otherwise, and without a language, as first written.
    pub fn new(campaign: &'a Campaign, language: Option<&str>) -> Self {
        let translation = language
            .filter(|&tag| tag != campaign.language())
            .and_then(|tag| campaign.translation(tag));
        Self {
            campaign,
            translation,
        }
    }

    /// Whether `campaign` can be shown in `language`: it is written in it, or translated into it.
    pub fn speaks(campaign: &Campaign, language: &str) -> bool {
        campaign.language() == language || campaign.translation(language).is_some()
    }

    /// The campaign.
    pub fn campaign(&self) -> &'a Campaign {
        self.campaign
    }

    /// The language tag these words are in.
    pub fn language(&self) -> &'a str {
        match self.translation {
            Some(translation) => &translation.language,
            None => self.campaign.language(),
        }
    }

    /// The campaign's title.
    pub fn title(&self) -> &'a str {
        self.translation
            .and_then(|t| t.title.as_deref())
            .unwrap_or(self.campaign.title())
    }

    /// The question called `name`, if the campaign asks it.
    pub fn field(&self, name: &str) -> Option<&'a FieldSpec> {
        self.campaign.field(name)
    }

    /// The question `name` as the form showed it; `None` for a field the campaign does not
    /// have, and for the intent, which the campaign file does not word.
    pub fn label(&self, name: &str) -> Option<&'a str> {
        let spec = self.campaign.field(name)?;
        Some(
            self.translation
                .and_then(|t| t.fields.get(name))
                .and_then(|words| words.label.as_deref())
                .unwrap_or(&spec.label),
        )
    }

    /// The option `value` of the choice `name` as the form showed it; the intent's values in the
    /// key tool's words ([`intent_word`]). `None` for an empty value, and for a value or field
    /// the campaign does not have.
    pub fn option_label(&self, name: &str, value: &str) -> Option<&'a str> {
        if name == INTENT_FIELD && self.campaign.testimony().is_some() {
            return Intent::from_value(value).map(intent_word);
        }
        let spec = self.campaign.field(name)?;
        let option = spec.options.iter().find(|o| o.value == value)?;
        Some(
            self.translation
                .and_then(|t| t.fields.get(name))
                .and_then(|words| words.options.get(value))
                .map_or(option.label.as_str(), String::as_str),
        )
    }
}

/// What a person chose to do, in the key tool's (English) words.
pub fn intent_word(intent: Intent) -> &'static str {
    match intent {
        Intent::Sign => "Sign",
        Intent::SignAndShare => "Sign and share",
        Intent::Share => "Share only",
    }
}

/// A consent box, ticked or not, in the key tool's words.
pub fn yes_no(consent: bool) -> &'static str {
    if consent { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAMPAIGN: &str = r#"
id = "t"
title = "Letter"
language = "en"
testimony = "story"
letter = "Dear all."

[[fields]]
name = "sign_as"
kind = "single_choice"
label = "Sign as"
asked = "signers"
options = [{ value = "individual", label = "Individual" }, { value = "organization", label = "Organization" }]

[[fields]]
name = "story"
kind = "long_text"
label = "What happened?"

[translations.fr]
title = "Lettre"
[translations.fr.fields.sign_as]
label = "Signer en tant que"
options = { organization = "Organisation" }
"#;

    #[test]
    fn words_come_from_the_translation_and_fall_back_to_the_original() {
        let campaign = Campaign::from_toml("t.toml", CAMPAIGN).unwrap();
        let fr = FormWords::new(&campaign, Some("fr"));
        assert_eq!(fr.language(), "fr");
        assert_eq!(fr.title(), "Lettre");
        assert_eq!(fr.label("sign_as"), Some("Signer en tant que"));
        assert_eq!(
            fr.option_label("sign_as", "organization"),
            Some("Organisation")
        );
        // Not translated: as first written.
        assert_eq!(fr.option_label("sign_as", "individual"), Some("Individual"));
        assert_eq!(fr.label("story"), Some("What happened?"));
        assert_eq!(fr.option_label("intent", "share"), Some("Share only"));
        assert_eq!(fr.label("intent"), None);
        assert_eq!(fr.label("nope"), None);
        assert_eq!(fr.option_label("sign_as", ""), None);

        let en = FormWords::new(&campaign, None);
        assert_eq!(en.language(), "en");
        assert_eq!(en.label("sign_as"), Some("Sign as"));
        let unknown = FormWords::new(&campaign, Some("de"));
        assert_eq!(unknown.language(), "en");
        assert!(FormWords::speaks(&campaign, "fr"));
        assert!(FormWords::speaks(&campaign, "en"));
        assert!(!FormWords::speaks(&campaign, "de"));
    }
}
