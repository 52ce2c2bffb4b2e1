//! The subcommands, one file each. Each is a clap `Args` struct whose `///` comments are its
//! help text, with a `run()` that does the work.

use clap::{Parser, Subcommand};

use crate::Error;
use crate::escape::{self, LineFeeds};

pub mod decrypt;
pub mod keygen;
mod organizer;
pub mod publish;
pub mod pull;
pub mod purge;
pub mod recipient;
pub mod report;
pub mod reseal;

/// Makes organizer identities and opens sealform's sealed records, on your own computer.
///
/// The server only ever holds public keys: the testimony it collects is sealed (encrypted with
/// age) to the organizers' keys, and only this tool, with an organizer's identity file, opens it.
#[derive(Debug, Parser)]
#[command(name = "sealform-keytool", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Keygen(keygen::Keygen),
    Recipient(recipient::Recipient),
    Decrypt(decrypt::Decrypt),
    Report(report::Report),
    Pull(pull::Pull),
    Purge(purge::Purge),
    Publish(publish::Publish),
    Reseal(reseal::Reseal),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> Result<(), Error> {
        match self.command {
            Command::Keygen(keygen) => keygen.run(),
            Command::Recipient(recipient) => recipient.run(),
            Command::Decrypt(decrypt) => decrypt.run(),
            Command::Report(report) => report.run(),
            Command::Pull(pull) => pull.run(),
            Command::Purge(purge) => purge.run(),
            Command::Publish(publish) => publish.run(),
            Command::Reseal(reseal) => reseal.run(),
        }
    }
}

/// Prints `problem` on standard error as `error: …`. File names in it are already escaped (see
/// `error.rs`); escaping the whole message again, keeping its own line breaks, covers any text from
/// outside that reached it another way (a reason reported by a library, say).
fn report(problem: &Error) {
    eprintln!(
        "error: {}",
        escape::for_terminal(&problem.to_string(), LineFeeds::Keep).as_str()
    );
}

/// Writes `text` to standard output, reporting a closed pipe as an error instead of panicking.
fn print_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|err| Error::Stdout { err })
}
