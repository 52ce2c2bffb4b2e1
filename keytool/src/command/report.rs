use std::io;
use std::path::PathBuf;

use seal::Submission;

use crate::Error;
use crate::escape::{self, LineFeeds, ShownPath};
use crate::export::{self, SecretBuf};
use crate::files;
use crate::passphrase::PassphraseArgs;
use crate::report::{self, Options};
use crate::spool::Spool;
use crate::vault_read::Wording;

use super::decrypt::{Sink, VaultFiles, export_error, list_vault, load_keyring, open_each, warn};

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
    ///
    /// Records are opened on every core and counted one by one ([`report::Counter`]), so that
    /// only a few are in memory at a time; with `--include-testimonies`, each testimony waits,
    /// sealed, until the charts are written (`Spool`).
    pub fn run(self) -> Result<(), Error> {
        let exists = std::fs::symlink_metadata(&self.out).is_ok();
        if exists && !self.force {
            return Err(Error::ReportExists {
                path: self.out.clone(),
            });
        }
        let keyring = load_keyring(&self.identities, &self.passphrase)?;
        let VaultFiles {
            vault,
            files,
            problems,
            withdrawn,
        } = list_vault(&self.vault)?;
        let mut wording = Wording::new(self.lang.as_deref());
        let mut counter = report::Counter::default();
        let mut testimonies = self
            .include_testimonies
            .then(|| Testimonies::new(files::folder_of(&self.out).to_owned()));
        let batch = open_each(&keyring, &files, problems, |opened| {
            let words = wording.words_for(&vault, &opened.submission);
            counter.add(&opened.submission, words);
            match &mut testimonies {
                Some(testimonies) => testimonies.add(&opened.submission).map_err(export_error),
                None => Ok(()),
            }
        })?;
        for warning in wording.warnings(&self.vault) {
            warn(&warning);
        }

        let options = Options {
            include_testimonies: self.include_testimonies,
            withdrawn,
            failed: batch.failed(),
        };
        let tally = counter.finish(|version| wording.words_of(version));
        // A file that appeared at --out meanwhile is never replaced without --force.
        let unwritable = |problem| match problem {
            Error::OutputExists { .. } => Error::ReportExists {
                path: self.out.clone(),
            },
            Error::Write { err, .. } if err.kind() == io::ErrorKind::AlreadyExists => {
                Error::ReportExists {
                    path: self.out.clone(),
                }
            }
            other => other,
        };
        // Only with --force does the new file replace one that exists.
        let mut sink = Sink::file(&self.out, exists).map_err(|err| {
            unwritable(Error::Write {
                path: self.out.clone(),
                err,
            })
        })?;
        let mut html = SecretBuf::new();
        report::html(
            &tally,
            &options,
            &mut html,
            |name, out| match &mut testimonies {
                Some(testimonies) => testimonies.write(name, out, &mut sink),
                None => Ok(()),
            },
        )
        .map_err(|err| sink.take_error().unwrap_or_else(|| export_error(err)))?;
        sink.drain(&mut html)?;
        sink.finish().map_err(unwritable)?;

        let mut summary = report::summary(&tally, &options);
        summary.push_str(&format!("wrote {}\n", ShownPath(&self.out)));
        super::print_stdout(escape::for_terminal(&summary, LineFeeds::Keep).as_bytes())?;
        batch.outcome(&keyring)
    }
}

/// Every record's non-blank texts, each shown as a testimony, waiting in order for the charts
/// to be written: which texts are testimonies (long text questions) is known only once every
/// record's campaign is.
#[derive(Debug)]
struct Testimonies {
    /// Field names, by the tag their texts wait under.
    names: Vec<String>,
    spool: Spool,
    block: SecretBuf,
}

impl Testimonies {
    fn new(spool_folder: PathBuf) -> Self {
        Self {
            names: Vec::new(),
            spool: Spool::new(spool_folder),
            block: SecretBuf::new(),
        }
    }

    /// Keeps `submission`'s answers to text questions that are not blank.
    fn add(&mut self, submission: &Submission) -> io::Result<()> {
        let fields = submission.expose_fields();
        for (at, field) in fields.iter().enumerate() {
            let name = field.name();
            // A name repeated within a record counts by its first value.
            if fields[..at].iter().any(|earlier| earlier.name() == name) {
                continue;
            }
            let Some(text) = report::testimony_text(submission, name) else {
                continue;
            };
            let tag = match self.names.iter().position(|known| known == name) {
                Some(tag) => tag,
                None => {
                    self.names.push(name.to_owned());
                    self.names.len() - 1
                }
            };
            self.block.clear();
            report::testimony_block(&mut self.block, text);
            let tag = u32::try_from(tag).map_err(|_| io::ErrorKind::InvalidData)?;
            self.spool.push(tag, self.block.expose())?;
        }
        Ok(())
    }

    /// Appends every answer to `name` to `out`, in order, writing `out` to `sink` as it grows.
    fn write(&mut self, name: &str, out: &mut SecretBuf, sink: &mut Sink) -> io::Result<()> {
        let Some(wanted) = self.names.iter().position(|known| known == name) else {
            return Ok(());
        };
        let mut entries = self.spool.entries()?;
        while let Some(tag) = entries.next_into(&mut self.block)? {
            if usize::try_from(tag).is_ok_and(|tag| tag == wanted) {
                out.extend(self.block.expose());
                if out.expose().len() >= export::DRAIN_AT {
                    sink.drain_io(out)?;
                }
            }
        }
        Ok(())
    }
}
