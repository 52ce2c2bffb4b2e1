//! Reading a vault ([`crate::vault`], what `pull --vault DIR` keeps) for `decrypt --vault` and
//! `report`: the campaign file each record names, so that its answers read as the form that was
//! filled in showed them.
//!
//! A campaign file is used only when it still hashes to the version it is named after (the vault
//! checks), and when it is a valid campaign; otherwise the records that name it keep their
//! codes, with a warning that says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use seal::Submission;
use sealform_campaign::Campaign;

use crate::client::Sha256Hex;
use crate::escape::ShownPath;
use crate::vault::{CAMPAIGNS, VaultToRead};
use crate::words::FormWords;

/// The campaign files records name, each read and checked once, when a record first names it.
#[derive(Debug, Default)]
pub struct CampaignFiles {
    /// By version: the campaign, or why its file cannot be used (`None`: there is none).
    versions: BTreeMap<String, Option<Result<Campaign, String>>>,
}

impl CampaignFiles {
    /// Reads `campaigns/<version>.toml` of `vault`, unless it was read already.
    pub fn load(&mut self, vault: &VaultToRead, version: &str) {
        if !self.versions.contains_key(version) {
            let loaded = load_version(vault, version);
            self.versions.insert(version.to_owned(), loaded);
        }
    }

    /// The campaign of `version`, when the vault holds a usable file for it.
    pub fn get(&self, version: Option<&str>) -> Option<&Campaign> {
        match self.versions.get(version?) {
            Some(Some(Ok(campaign))) => Some(campaign),
            _ => None,
        }
    }

    /// Whether the vault has a file for `version` that cannot be used.
    fn is_unusable(&self, version: &str) -> bool {
        matches!(self.versions.get(version), Some(Some(Err(_))))
    }

    /// Why each campaign file that exists could not be used.
    pub fn problems(&self) -> impl Iterator<Item = &str> {
        self.versions.values().filter_map(|loaded| match loaded {
            Some(Err(reason)) => Some(reason.as_str()),
            _ => None,
        })
    }
}

/// `campaigns/<version>.toml`: `None` when there is no such file, else the campaign or why it
/// cannot be used.
fn load_version(vault: &VaultToRead, version: &str) -> Option<Result<Campaign, String>> {
    // Records are checked to name a SHA-256 in lowercase hex when opened; parsed again here,
    // since the version becomes a file name.
    let sha256: Sha256Hex = version.parse().ok()?;
    let text = match vault.campaign(sha256) {
        Ok(text) => text?,
        Err(problem) => return Some(Err(problem.to_string())),
    };
    let path = vault.root().join(CAMPAIGNS).join(format!("{version}.toml"));
    Some(Campaign::from_toml(&ShownPath(&path).to_string(), &text).map_err(|err| err.to_string()))
}

/// How the records of a vault read, learnt one record at a time, in order: the campaign each
/// names (its file read when first named), in the language asked for, and what to warn about.
#[derive(Debug)]
pub struct Wording {
    language: Option<String>,
    campaigns: CampaignFiles,
    /// The versions with a usable campaign file, in the order records first named them.
    in_order: Vec<String>,
    /// Warnings for campaigns without the language asked for, in the same order.
    untranslated: Vec<String>,
    untranslated_versions: BTreeSet<String>,
    missing: usize,
    unusable: usize,
    unversioned: usize,
}

impl Wording {
    /// Nothing learnt yet; campaigns to be shown in `language` where they have it.
    pub fn new(language: Option<&str>) -> Self {
        Self {
            language: language.map(str::to_owned),
            campaigns: CampaignFiles::default(),
            in_order: Vec::new(),
            untranslated: Vec::new(),
            untranslated_versions: BTreeSet::new(),
            missing: 0,
            unusable: 0,
            unversioned: 0,
        }
    }

    /// The words `submission` reads in: its campaign's (read from `vault` if it is the first
    /// record to name it), or `None` when its campaign file is missing or unusable, in which
    /// case it is counted for the warning.
    pub fn words_for(
        &mut self,
        vault: &VaultToRead,
        submission: &Submission,
    ) -> Option<FormWords<'_>> {
        let version = submission.campaign_version();
        if let Some(version) = version {
            self.campaigns.load(vault, version);
        }
        let Some(campaign) = self.campaigns.get(version) else {
            match version {
                Some(version) if self.campaigns.is_unusable(version) => self.unusable += 1,
                Some(_) => self.missing += 1,
                None => self.unversioned += 1,
            }
            return None;
        };
        if !self.in_order.iter().any(|seen| seen == campaign.version()) {
            self.in_order.push(campaign.version().to_owned());
        }
        if let Some(tag) = self.language.as_deref()
            && !FormWords::speaks(campaign, tag)
            && self
                .untranslated_versions
                .insert(campaign.version().to_owned())
        {
            self.untranslated.push(format!(
                "campaign \"{}\" (version {}) has no translation into \"{tag}\": its \
                 questions are shown as first written ({})",
                campaign.id(),
                &campaign.version()[..12],
                campaign.language()
            ));
        }
        Some(FormWords::new(campaign, self.language.as_deref()))
    }

    /// The words of campaign `version`, if a record named it and its file is usable.
    pub fn words_of(&self, version: &str) -> Option<FormWords<'_>> {
        self.campaigns
            .get(Some(version))
            .map(|campaign| FormWords::new(campaign, self.language.as_deref()))
    }

    /// The question `name`, as the first campaign (in the records' order) that asks it words it.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.in_order
            .iter()
            .find_map(|version| self.words_of(version)?.label(name))
    }

    /// What to tell the organizer (each a line, without `warning: `), about the vault at
    /// `vault`: every campaign file that cannot be used, every campaign without the language
    /// asked for, and the records left showing codes.
    pub fn warnings(&self, vault: &Path) -> Vec<String> {
        let mut warnings: Vec<String> = self.campaigns.problems().map(str::to_owned).collect();
        warnings.extend(self.untranslated.iter().cloned());
        let (missing, unusable, unversioned) = (self.missing, self.unusable, self.unversioned);
        let codes = missing + unusable + unversioned;
        if codes == 0 {
            return warnings;
        }
        let mut why = Vec::new();
        if missing > 0 {
            why.push(format!(
                "{missing} {} a campaign version that {} does not hold",
                if missing == 1 {
                    "record names"
                } else {
                    "records name"
                },
                ShownPath(&vault.join(CAMPAIGNS))
            ));
        }
        if unusable > 0 {
            why.push(format!(
                "{unusable} {} a campaign version whose file cannot be used",
                if unusable == 1 {
                    "record names"
                } else {
                    "records name"
                },
            ));
        }
        if unversioned > 0 {
            why.push(format!(
                "{unversioned} {} campaign versions",
                if unversioned == 1 {
                    "record predates"
                } else {
                    "records predate"
                },
            ));
        }
        let mut warning = format!(
            "{codes} {} shown as codes, under field names ({})",
            if codes == 1 {
                "record is"
            } else {
                "records are"
            },
            why.join("; "),
        );
        if missing > 0 {
            warning.push_str(&format!(
                "\nif you have the campaign file a record was filled in on, copy it into {} as \
                 <its SHA-256>.toml",
                ShownPath(&vault.join(CAMPAIGNS))
            ));
        }
        warnings.push(warning);
        warnings
    }
}
