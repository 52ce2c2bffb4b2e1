use std::process::ExitCode;

use clap::Parser;
use sealform_keytool::Cli;
use sealform_keytool::escape::{self, LineFeeds};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The whole chain, once. Messages are lowercase and end with what to do. Escaped, as
            // every line the key tool prints from outside text: stderr is usually a terminal.
            let message = format!("{err:#}");
            eprintln!(
                "error: {}",
                escape::for_terminal(&message, LineFeeds::Keep).as_str()
            );
            ExitCode::FAILURE
        }
    }
}

/// Parses the arguments (clap exits with code 2 on a usage error) and runs the subcommand.
fn run() -> anyhow::Result<()> {
    Cli::parse().run()?;
    Ok(())
}
