//! What `pull`, `purge` and `publish` share: loading the identities, naming a vault record in a
//! message, counting, the progress bar.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use seal::RecordId;

use crate::Error;
use crate::escape::ShownPath;
use crate::identity::Keyring;
use crate::passphrase::{PassphraseArgs, Passphrases};
use crate::vault::Vault;

/// Loads every `-i` identity into one keyring, asking for passphrases as `decrypt` does.
pub fn load_keyring(identities: &[PathBuf], passphrase: &PassphraseArgs) -> Result<Keyring, Error> {
    let mut passphrases = Passphrases::new(passphrase);
    let mut keyring = Keyring::new();
    for path in identities {
        keyring.extend(Keyring::load(path, &mut passphrases)?);
    }
    Ok(keyring)
}

/// A vault record that could not be opened, as `decrypt` reports one.
pub fn record_problem(vault: &Vault, id: RecordId, reason: seal::Error) -> Error {
    let label = format!(
        "record {} ({})",
        id.short(),
        ShownPath(&vault.record_path(id))
    );
    match reason {
        seal::Error::NoMatchingIdentity => Error::NoMatchingIdentity {
            label,
            sealed_to: None,
        },
        reason => Error::Record { label, reason },
    }
}

/// `1 record`, `2 records`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A progress bar on standard error, only on a terminal and when there is something to show.
pub fn progress_bar(steps: usize) -> ProgressBar {
    if steps == 0 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(steps).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} records") {
        bar.set_style(style);
    }
    bar
}
