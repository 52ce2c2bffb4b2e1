use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use seal::{Day, FieldValue, RecordId, Submission};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::Error;
use crate::client::{Client, ProxyUrl, ServerUrl, Sha256Hex, SignatoryEntry};
use crate::escape::{self, LineFeeds};
use crate::identity::Keyring;
use crate::passphrase::PassphraseArgs;
use crate::vault::Vault;

use super::organizer;

const EXAMPLES: &str = "\
Examples:
  See the list without uploading it (no --server: from the vault alone):
    sealform-keytool publish -i organizer.key --vault letter-vault --dry-run

  Upload it, after a y/N question:
    sealform-keytool publish --server https://letter.example.org -i organizer.key --vault letter-vault

  Take the list down:
    sealform-keytool publish --server https://letter.example.org -i organizer.key --clear

Only records whose signer ticked the campaign's public consent are listed, with only the
campaign's public_fields (as the campaign file the record was filled in says, and as the
server's campaign still allows). Entries with the same name and e-mail, or the same
organization name (ignoring case and spaces), are merged into one. The list is sorted by what
it shows, so it does not reveal who signed first.";

/// The fields the near-duplicate rules read (`campaigns/open-letter.toml` names them so).
const NAME: &str = "name";
const EMAIL: &str = "email";
const ORGANIZATION: &str = "organization_name";
const SIGN_AS: &str = "sign_as";
const AS_ORGANIZATION: &str = "organization";

/// Publish the list of signatories who agreed to be named
///
/// Opens the vault's records in memory, keeps those whose signer ticked the campaign's public
/// consent, and builds the public list from the campaign's public_fields only, each entry
/// carrying the receipt hash sealed in its record (so that a withdrawal removes it at once).
/// Near-duplicates are merged. Shows the list, and uploads it after a y/N question.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Publish {
    /// The server to publish on (repeat for several instances); without it, --dry-run shows the
    /// list from the vault alone
    #[arg(
        long = "server",
        value_name = "URL",
        required_unless_present = "dry_run"
    )]
    servers: Vec<ServerUrl>,

    /// Connect through this SOCKS proxy, such as Tor's socks5h://127.0.0.1:9050
    #[arg(long, value_name = "socks5h://HOST:PORT")]
    proxy: Option<ProxyUrl>,

    /// An identity file to sign in and open records with; repeat -i for several
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// The vault folder that `pull` filled
    #[arg(long, value_name = "DIR", required_unless_present = "clear")]
    vault: Option<PathBuf>,

    /// Show the list without uploading it
    #[arg(long, conflicts_with = "clear")]
    dry_run: bool,

    /// Upload without asking (for scripts)
    #[arg(short = 'y', long)]
    yes: bool,

    /// Take the published list down instead (DELETE /organizer/signatories)
    #[arg(long)]
    clear: bool,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// The part of a campaign file `publish` reads.
#[derive(Debug, Default, Deserialize)]
struct PublicRules {
    #[serde(default)]
    public_fields: Vec<String>,
    public_consent: Option<String>,
}

impl PublicRules {
    /// The fields a record may be listed with, if its signer gave the consent.
    fn allowed(&self) -> &[String] {
        match self.public_consent {
            Some(_) => &self.public_fields,
            None => &[],
        }
    }
}

/// One signatory to list: its public answers (non-blank, in the campaign's order) and what the
/// near-duplicate rules compare. Plaintext: wiped on drop.
struct Entry {
    received: Day,
    id: RecordId,
    receipt: String,
    fields: Vec<(String, Zeroizing<String>)>,
    /// Name and e-mail, squashed, when both are given.
    person: Option<Zeroizing<String>>,
    /// The organization's name, squashed, when the entry is an organization's.
    organization: Option<Zeroizing<String>>,
    /// What the list is sorted by.
    sort_key: Zeroizing<String>,
}

/// Why records were left out, counted.
#[derive(Debug, Default)]
struct Tally {
    records: usize,
    not_consented: usize,
    no_receipt: usize,
    unknown_campaign: usize,
    nothing_public: usize,
    merged: usize,
    failed: usize,
}

impl Publish {
    /// Builds, shows and uploads the list (or takes it down), and fails at the end if a record
    /// could not be read.
    pub fn run(self) -> Result<(), Error> {
        let keyring = organizer::load_keyring(&self.identities, &self.passphrase)?;
        let client = Client::new(self.proxy.as_ref());
        if self.clear {
            for server in &self.servers {
                client.sign_in(server, &keyring)?.clear_signatories()?;
                super::print_stdout(
                    format!("{server}: the signatory list is taken down\n").as_bytes(),
                )?;
            }
            return Ok(());
        }
        let Some(vault_path) = &self.vault else {
            return Ok(());
        };
        let vault = Vault::open(vault_path)?;
        let mut problems = Vec::new();
        let mut tally = Tally::default();
        let entries = merge(
            collect(&keyring, &vault, &mut tally, &mut problems)?,
            &mut tally,
        );
        let mut out = tally.describe();

        if self.servers.is_empty() {
            out.push_str(&show(&entries));
            out.push_str("dry run: nothing was uploaded\n");
            super::print_stdout(out.as_bytes())?;
            return finish(problems, "showed the list");
        }
        super::print_stdout(out.as_bytes())?;
        let mut published = 0;
        for server in &self.servers {
            let mut session = client.sign_in(server, &keyring)?;
            let campaign = session.campaign()?;
            let _ = vault.save_campaign(campaign.version, &campaign.toml);
            let rules = parse_rules(&campaign.toml).map_err(|reason| Error::UnexpectedAnswer {
                server: server.to_string(),
                request: "GET /organizer/campaign".to_owned(),
                reason,
            })?;
            let allowed: BTreeSet<&str> = rules.allowed().iter().map(String::as_str).collect();
            let list = for_server(&entries, &allowed);
            super::print_stdout(show_for(server, &list).as_bytes())?;
            if self.dry_run {
                super::print_stdout(b"dry run: nothing was uploaded\n")?;
                continue;
            }
            if !self.yes
                && !confirm(&format!(
                    "publish this list ({}) on {server}?",
                    count(list.len())
                ))?
            {
                super::print_stdout(format!("{server}: nothing was uploaded\n").as_bytes())?;
                continue;
            }
            session.put_signatories(&list)?;
            published += 1;
            super::print_stdout(
                format!(
                    "{server}: published {} (shown at {server}/signatories)\n",
                    count(list.len())
                )
                .as_bytes(),
            )?;
        }
        finish(
            problems,
            &format!("published on {}", organizer::plural(published, "server")),
        )
    }
}

fn finish(problems: Vec<Error>, done: &str) -> Result<(), Error> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::FinishedWithProblems {
        done: done.to_owned(),
        problems: problems.len(),
        resumable: false,
    })
}

fn count(entries: usize) -> String {
    organizer::plural(entries, "signatory").replace("signatorys", "signatories")
}

fn parse_rules(toml: &str) -> Result<PublicRules, String> {
    toml::from_str(toml).map_err(|err| {
        format!(
            "its public_fields or public_consent cannot be read{}",
            err.span()
                .map(|span| format!(" (at byte {})", span.start))
                .unwrap_or_default()
        )
    })
}

/// The public rules of campaign `version`, from the vault; `None` when the vault lacks it.
fn campaign_rules(vault: &Vault, version: Sha256Hex) -> Result<Option<PublicRules>, Error> {
    let Some(toml) = vault.campaign(version)? else {
        return Ok(None);
    };
    parse_rules(&toml)
        .map(Some)
        .map_err(|reason| Error::InvalidVault {
            path: vault
                .root()
                .join(crate::vault::CAMPAIGNS)
                .join(format!("{version}.toml")),
            reason,
        })
}

/// Every record of the vault (not withdrawn, still as pulled) whose signer agreed to be listed,
/// with the public answers its own campaign version allows.
fn collect(
    keyring: &Keyring,
    vault: &Vault,
    tally: &mut Tally,
    problems: &mut Vec<Error>,
) -> Result<Vec<Entry>, Error> {
    let mut rules: BTreeMap<Sha256Hex, Option<PublicRules>> = BTreeMap::new();
    let mut entries = Vec::new();
    for &id in vault.indexed().keys() {
        if vault.withdrawn().contains_key(&id) || !vault.has_record_file(id) {
            continue;
        }
        tally.records += 1;
        let opened = vault.read_verified(id).and_then(|bytes| {
            keyring
                .open_record(&bytes)
                .map_err(|reason| organizer::record_problem(vault, id, reason))
        });
        let submission = match opened {
            Ok(submission) => submission,
            Err(problem) => {
                super::report(&problem);
                problems.push(problem);
                tally.failed += 1;
                continue;
            }
        };
        let Some(version) = submission
            .campaign_version()
            .and_then(|version| version.parse::<Sha256Hex>().ok())
        else {
            tally.unknown_campaign += 1;
            continue;
        };
        let rules = match rules.entry(version) {
            std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::btree_map::Entry::Vacant(unknown) => {
                unknown.insert(campaign_rules(vault, version)?)
            }
        };
        let Some(rules) = rules else {
            tally.unknown_campaign += 1;
            continue;
        };
        let consented = rules.public_consent.as_deref().is_some_and(|consent| {
            matches!(
                submission.expose_field(consent),
                Some(FieldValue::Consent(true))
            )
        });
        if !consented {
            tally.not_consented += 1;
            continue;
        }
        let Some(receipt) = submission.receipt() else {
            tally.no_receipt += 1;
            continue;
        };
        match entry(id, &submission, receipt.to_owned(), rules.allowed()) {
            Some(entry) => entries.push(entry),
            None => tally.nothing_public += 1,
        }
    }
    Ok(entries)
}

/// A record's entry: its non-blank answers to `public_fields`, and its near-duplicate keys.
fn entry(
    id: RecordId,
    submission: &Submission,
    receipt: String,
    public_fields: &[String],
) -> Option<Entry> {
    let fields: Vec<(String, Zeroizing<String>)> = public_fields
        .iter()
        .filter_map(|name| {
            let value = text_of(submission.expose_field(name)?)?;
            (!value.is_empty()).then(|| (name.clone(), value))
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let answer = |name| {
        submission
            .expose_field(name)
            .and_then(text_of)
            .map(|value| squash(&value))
            .filter(|value| !value.is_empty())
    };
    let name = answer(NAME);
    let organization = answer(ORGANIZATION);
    let as_organization = matches!(
        submission.expose_field(SIGN_AS),
        Some(FieldValue::Choice(choice)) if choice == AS_ORGANIZATION
    ) || name.is_none();
    let person = match (name, answer(EMAIL)) {
        (Some(name), Some(email)) => Some(Zeroizing::new(format!("{}\n{}", *name, *email))),
        _ => None,
    };
    let mut sort_key = Zeroizing::new(String::new());
    for (_, value) in &fields {
        sort_key.push_str(&squash(value));
        sort_key.push('\n');
    }
    Some(Entry {
        received: submission.received(),
        id,
        receipt,
        fields,
        person,
        organization: organization.filter(|_| as_organization),
        sort_key,
    })
}

/// An answer as public text: trimmed; several choices joined with `, `; consents are not text.
fn text_of(value: &FieldValue) -> Option<Zeroizing<String>> {
    match value {
        FieldValue::Text(text) | FieldValue::Choice(text) => {
            Some(Zeroizing::new(text.trim().to_owned()))
        }
        FieldValue::Choices(choices) => Some(Zeroizing::new(choices.join(", "))),
        FieldValue::Consent(_) => None,
    }
}

/// Lowercase, without any white space: how near-duplicates are compared.
fn squash(text: &str) -> Zeroizing<String> {
    Zeroizing::new(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// Merges near-duplicates, keeping the most recent entry of each (its answers are the newest),
/// and sorts the list by what it shows.
fn merge(mut entries: Vec<Entry>, tally: &mut Tally) -> Vec<Entry> {
    entries.sort_by(|a, b| b.received.cmp(&a.received).then(a.id.cmp(&b.id)));
    let mut keep = vec![true; entries.len()];
    let mut people: BTreeSet<&str> = BTreeSet::new();
    let mut organizations: BTreeSet<&str> = BTreeSet::new();
    for (entry, keep) in entries.iter().zip(&mut keep) {
        let person = entry.person.as_ref().map(|key| key.as_str());
        let organization = entry.organization.as_ref().map(|key| key.as_str());
        if person.is_some_and(|key| people.contains(key))
            || organization.is_some_and(|key| organizations.contains(key))
        {
            tally.merged += 1;
            *keep = false;
            continue;
        }
        people.extend(person);
        organizations.extend(organization);
    }
    drop((people, organizations));
    let mut kept: Vec<Entry> = entries
        .into_iter()
        .zip(keep)
        .filter_map(|(entry, keep)| keep.then_some(entry))
        .collect();
    kept.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
    kept
}

/// The entries as a server gets them: only the fields its campaign makes public; entries left
/// with none are dropped.
fn for_server<'a>(entries: &'a [Entry], allowed: &BTreeSet<&str>) -> Vec<SignatoryEntry<'a>> {
    entries
        .iter()
        .filter_map(|entry| {
            let fields: BTreeMap<&str, &str> = entry
                .fields
                .iter()
                .filter(|(name, _)| allowed.contains(name.as_str()))
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            (!fields.is_empty()).then(|| SignatoryEntry {
                fields,
                receipt: entry.receipt.clone(),
            })
        })
        .collect()
}

/// The list as the vault alone gives it, one entry a line, escaped for a terminal.
fn show(entries: &[Entry]) -> String {
    let mut text = format!("the signatory list ({}):\n", count(entries.len()));
    for entry in entries {
        let line: Vec<String> = entry
            .fields
            .iter()
            .map(|(name, value)| format!("{name}: {}", escaped(value)))
            .collect();
        text.push_str(&format!("  {}\n", line.join(" · ")));
    }
    text
}

/// The list as `server` will get it.
fn show_for(server: &ServerUrl, list: &[SignatoryEntry<'_>]) -> String {
    let mut text = format!("the signatory list for {server} ({}):\n", count(list.len()));
    for entry in list {
        let line: Vec<String> = entry
            .fields
            .iter()
            .map(|(name, value)| format!("{}: {}", escaped(name), escaped(value)))
            .collect();
        text.push_str(&format!("  {}\n", line.join(" · ")));
    }
    text
}

/// An answer on one line, with control, bidirectional and invisible characters escaped.
fn escaped(text: &str) -> String {
    escape::for_terminal(text, LineFeeds::Escape).to_string()
}

impl Tally {
    /// One line: how many records there were, and why some are not on the list.
    fn describe(&self) -> String {
        let mut reasons = Vec::new();
        let mut add = |count: usize, why: &str| {
            if count > 0 {
                reasons.push(format!("{count} {why}"));
            }
        };
        add(self.not_consented, "did not agree to be listed");
        add(
            self.merged,
            "merged as near-duplicates (same name and e-mail, or same organization name)",
        );
        add(
            self.no_receipt,
            "sealed without a withdrawal receipt, so not listed (a withdrawal could not remove them)",
        );
        add(
            self.unknown_campaign,
            "filled in a campaign version the vault does not hold (pull again)",
        );
        add(self.nothing_public, "left every public field blank");
        add(self.failed, "could not be opened (see above)");
        let records = organizer::plural(self.records, "record");
        if reasons.is_empty() {
            format!("{records} in the vault\n")
        } else {
            format!("{records} in the vault: {}\n", reasons.join("; "))
        }
    }
}

/// Asks `question` on the terminal; only `y` or `yes` is yes.
fn confirm(question: &str) -> Result<bool, Error> {
    if !io::stdin().is_terminal() {
        return Err(Error::CannotConfirm);
    }
    let mut stderr = io::stderr().lock();
    write!(stderr, "{question} [y/N] ")
        .and_then(|()| stderr.flush())
        .map_err(|err| Error::Confirm { err })?;
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|err| Error::Confirm { err })?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_ignore_case_and_spaces() {
        assert_eq!(squash(" Mai  Tran\t").as_str(), "maitran");
        assert_eq!(squash("ÉLAN Collective").as_str(), "élancollective");
    }

    #[test]
    fn rules_need_a_consent_to_allow_anything() {
        let rules = parse_rules("id = \"x\"\npublic_fields = [\"name\"]\n").unwrap();
        assert!(rules.allowed().is_empty());
        let rules = parse_rules(
            "public_fields = [\"name\"]\npublic_consent = \"consent_public\"\n[[fields]]\nname = \"name\"\n",
        )
        .unwrap();
        assert_eq!(rules.allowed(), ["name"]);
        assert!(parse_rules("public_fields = 3").is_err());
    }
}
