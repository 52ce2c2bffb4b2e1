use std::process::ExitCode;

use clap::Parser;
use sealform_keytool::Cli;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The whole chain, once. Messages are lowercase and end with what to do.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the arguments (clap exits with code 2 on a usage error) and runs the subcommand.
fn run() -> anyhow::Result<()> {
    Cli::parse().run()?;
    Ok(())
}
