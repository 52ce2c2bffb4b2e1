//! Reading a vault ([`crate::vault`], what `pull --vault DIR` keeps) for `decrypt --vault` and
//! `report`: the campaign file each record names, so that its answers read as the form that was
//! filled in showed them.
//!
//! A campaign file is used only when it still hashes to the version it is named after (the vault
//! checks), and when it is a valid campaign; otherwise the records that name it keep their
//! codes, with a warning that says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sealform_campaign::Campaign;

use crate::client::Sha256Hex;
use crate::escape::ShownPath;
use crate::export::Opened;
use crate::vault::{CAMPAIGNS, Vault};
use crate::words::FormWords;

/// The campaign files a set of records names, each read and checked once.
#[derive(Debug, Default)]
pub struct CampaignFiles {
    /// By version: the campaign, or why its file cannot be used (`None`: there is none).
    versions: BTreeMap<String, Option<Result<Campaign, String>>>,
}

impl CampaignFiles {
    /// Reads `campaigns/<version>.toml` of `vault` for every version `records` name.
    pub fn load(vault: &Vault, records: &[Opened]) -> Self {
        let mut files = Self::default();
        for opened in records {
            let Some(version) = opened.submission.campaign_version() else {
                continue;
            };
            if !files.versions.contains_key(version) {
                let loaded = load_version(vault, version);
                files.versions.insert(version.to_owned(), loaded);
            }
        }
        files
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
fn load_version(vault: &Vault, version: &str) -> Option<Result<Campaign, String>> {
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

/// How each record of a vault reads: its campaign's words, in the language asked for.
#[derive(Debug)]
pub struct Wording<'a> {
    /// Per record, in order: the words of its form, or `None` when its campaign file is missing.
    pub words: Vec<Option<FormWords<'a>>>,
    /// What to tell the organizer (each a line, without `warning: `).
    pub warnings: Vec<String>,
}

/// The words each of `records` is shown in, from `campaigns`, in `language` where the campaign is
/// translated into it; with a warning for every campaign without that language, every campaign
/// file that cannot be used, and the records left showing codes.
pub fn wording<'a>(
    vault: &Path,
    records: &[Opened],
    campaigns: &'a CampaignFiles,
    language: Option<&str>,
) -> Wording<'a> {
    let mut warnings: Vec<String> = campaigns.problems().map(str::to_owned).collect();
    let mut untranslated = BTreeSet::new();
    let (mut missing, mut unusable, mut unversioned) = (0, 0, 0);
    let words = records
        .iter()
        .map(|opened| {
            let version = opened.submission.campaign_version();
            let Some(campaign) = campaigns.get(version) else {
                match version {
                    Some(version) if campaigns.is_unusable(version) => unusable += 1,
                    Some(_) => missing += 1,
                    None => unversioned += 1,
                }
                return None;
            };
            if let Some(tag) = language
                && !FormWords::speaks(campaign, tag)
                && untranslated.insert(campaign.version())
            {
                warnings.push(format!(
                    "campaign \"{}\" (version {}) has no translation into \"{tag}\": its \
                     questions are shown as first written ({})",
                    campaign.id(),
                    &campaign.version()[..12],
                    campaign.language()
                ));
            }
            Some(FormWords::new(campaign, language))
        })
        .collect();
    let codes = missing + unusable + unversioned;
    if codes > 0 {
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
    }
    Wording { words, warnings }
}
