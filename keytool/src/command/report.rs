use std::io;
use std::path::PathBuf;

use crate::Error;
use crate::escape::{self, LineFeeds, ShownPath};
use crate::files;
use crate::passphrase::PassphraseArgs;
use crate::report::{self, Options};
use crate::vault_read::{self, CampaignFiles};

use super::decrypt::{OpenedVault, load_keyring, open_vault, warn};

const EXAMPLES: &str = "\
Examples:
  A report of a vault kept by pull, as report.html in the current folder:
    sealform-keytool report --vault letter-vault -i organizer.key

  With the testimonies, and the questions in French where the campaign has a French translation:
    sealform-keytool report --vault letter-vault -i organizer.key --include-testimonies --lang fr --out rapport.html

The report is one HTML file with its charts drawn in it: no JavaScript, nothing loaded from
anywhere, so any browser opens it offline. It is written readable only by you (mode 0600) and
never replaces a file unless you add --force. Withdrawn records are left out.

The charts follow the campaign file each record names (in the vault's campaigns folder): totals,
then every single and multi choice question and every consent, in the form's order, then
submissions per day. A record whose campaign file is missing is counted by its codes, with a
warning.";

/// Count a vault's submissions into one HTML report with charts, on your own computer
///
/// Without --include-testimonies the report holds only counts and the campaign's own words; with
/// it, what people shared, in clear: keep it on an encrypted disk and delete it when done.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Report {
    /// The vault kept by `pull --vault DIR`
    #[arg(long, value_name = "DIR")]
    vault: PathBuf,

    /// An identity file to open records with; repeat -i for several
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// Write the report to this file (readable only by you)
    #[arg(short = 'o', long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,

    /// Replace the --out file if it exists
    #[arg(long)]
    force: bool,

    /// Put the testimonies themselves in the report (the campaign's testimony question and every
    /// other long text answer), not only how many there are
    #[arg(long)]
    include_testimonies: bool,

    /// The questions and options in this language (a tag such as fr), where the campaign file has
    /// a translation into it; otherwise as the campaign was first written
    #[arg(long, value_name = "TAG")]
    lang: Option<String>,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

impl Report {
    /// Opens the vault's records, writes the report, prints a summary, and fails at the end if
    /// any record could not be opened.
    pub fn run(self) -> Result<(), Error> {
        let exists = std::fs::symlink_metadata(&self.out).is_ok();
        if exists && !self.force {
            return Err(Error::ReportExists {
                path: self.out.clone(),
            });
        }
        let keyring = load_keyring(&self.identities, &self.passphrase)?;
        let OpenedVault {
            vault,
            batch,
            withdrawn,
        } = open_vault(&keyring, &self.vault)?;
        let campaigns = CampaignFiles::load(&vault, &batch.opened);
        let wording =
            vault_read::wording(&self.vault, &batch.opened, &campaigns, self.lang.as_deref());
        for warning in &wording.warnings {
            warn(warning);
        }

        let options = Options {
            include_testimonies: self.include_testimonies,
            withdrawn,
            failed: batch.failed(),
        };
        let tally = report::tally(&batch.opened, &wording.words);
        let html =
            report::html(&tally, &batch.opened, &options).map_err(|err| Error::Export { err })?;
        if exists {
            // Only with --force. `remove_file` takes away a link itself, never what it points to.
            std::fs::remove_file(&self.out).map_err(|err| Error::Write {
                path: self.out.clone(),
                err,
            })?;
        }
        files::write_new_private_atomically(&self.out, html.expose()).map_err(|err| {
            match err.kind() {
                io::ErrorKind::AlreadyExists => Error::ReportExists {
                    path: self.out.clone(),
                },
                _ => Error::Write {
                    path: self.out.clone(),
                    err,
                },
            }
        })?;

        let mut summary = report::summary(&tally, &options);
        summary.push_str(&format!("wrote {}\n", ShownPath(&self.out)));
        super::print_stdout(escape::for_terminal(&summary, LineFeeds::Keep).as_bytes())?;
        batch.outcome(&keyring)
    }
}
