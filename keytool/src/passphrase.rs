//! Where passphrases come from: a file descriptor, an environment variable, or the terminal.
//! Never from an argument's value, which other users of the machine can read in the process
//! list and which the shell keeps in its history.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::Error;
use crate::escape::ShownPath;

/// The longest passphrase line read from a file descriptor, so a wrong descriptor (a large file,
/// an endless stream) is refused instead of read into memory.
const MAX_PASSPHRASE_BYTES: usize = 4096;

/// How to get a passphrase without a terminal. Shared by every subcommand that needs one.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PassphraseArgs {
    /// Read the passphrase from the first line of this open file descriptor (e.g. 3, with
    /// `3< passphrase.txt` in the shell)
    #[arg(long, value_name = "N", conflicts_with = "passphrase_env")]
    pub passphrase_fd: Option<u32>,

    /// Read the passphrase from the environment variable with this NAME (give the variable's
    /// name, never the passphrase itself)
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
}

/// Hands out passphrases from the source the user chose. A file descriptor can be read only once,
/// so its line is kept (wiped on drop) for every protected file of the same run.
pub struct Passphrases {
    source: Source,
    read_from_fd: Option<SecretString>,
}

enum Source {
    Fd(u32),
    Env(String),
    Terminal,
}

impl Passphrases {
    /// Passphrases from the source `args` name, or from the terminal when they name none.
    pub fn new(args: &PassphraseArgs) -> Self {
        let source = match (args.passphrase_fd, &args.passphrase_env) {
            (Some(fd), _) => Source::Fd(fd),
            (None, Some(var)) => Source::Env(var.clone()),
            (None, None) => Source::Terminal,
        };
        Self {
            source,
            read_from_fd: None,
        }
    }

    /// The passphrase that should open the protected identity file at `path`.
    pub fn to_unlock(&mut self, path: &Path) -> Result<SecretString, Error> {
        let passphrase = match self.without_terminal() {
            Some(passphrase) => passphrase?,
            None => {
                if !io::stdin().is_terminal() {
                    return Err(Error::NoPassphraseSource {
                        path: path.to_owned(),
                    });
                }
                prompt(&format!("passphrase for {}: ", ShownPath(path)))?
            }
        };
        non_empty(passphrase)
    }

    /// A passphrase for a new identity file: asked twice on a terminal, refused when empty.
    pub fn to_protect(&mut self) -> Result<SecretString, Error> {
        match self.without_terminal() {
            Some(passphrase) => non_empty(passphrase?),
            None => {
                if !io::stdin().is_terminal() {
                    return Err(Error::NoNewPassphraseSource);
                }
                let first = non_empty(prompt("passphrase for the new identity: ")?)?;
                let again = prompt("the same passphrase again: ")?;
                if first.expose_secret() != again.expose_secret() {
                    return Err(Error::PassphraseMismatch);
                }
                Ok(first)
            }
        }
    }

    /// The passphrase from a descriptor or a variable; `None` when the terminal is the source.
    fn without_terminal(&mut self) -> Option<Result<SecretString, Error>> {
        match &self.source {
            Source::Fd(fd) => Some(match &self.read_from_fd {
                Some(passphrase) => Ok(passphrase.clone()),
                None => read_fd_line(*fd).inspect(|passphrase| {
                    self.read_from_fd = Some(passphrase.clone());
                }),
            }),
            Source::Env(var) => Some(read_env(var)),
            Source::Terminal => None,
        }
    }
}

impl std::fmt::Debug for Passphrases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrases(..redacted..)")
    }
}

fn non_empty(passphrase: SecretString) -> Result<SecretString, Error> {
    if passphrase.expose_secret().is_empty() {
        Err(Error::EmptyPassphrase)
    } else {
        Ok(passphrase)
    }
}

/// Asks on the terminal (`/dev/tty`), echo off.
fn prompt(text: &str) -> Result<SecretString, Error> {
    let typed =
        Zeroizing::new(rpassword::prompt_password(text).map_err(|err| Error::Prompt { err })?);
    // Copy to an exact-size allocation: turning a `String` with spare capacity into a boxed
    // `str` reallocates and leaves the old buffer unwiped.
    Ok(SecretString::from(typed.as_str()))
}

fn read_env(var: &str) -> Result<SecretString, Error> {
    let value = std::env::var_os(var).ok_or_else(|| Error::PassphraseEnv {
        var: var.to_owned(),
        problem: "not set",
    })?;
    match value.into_string() {
        Ok(text) => {
            let text = Zeroizing::new(text);
            Ok(SecretString::from(text.as_str()))
        }
        Err(_) => Err(Error::PassphraseEnv {
            var: var.to_owned(),
            problem: "not valid UTF-8",
        }),
    }
}

/// Reads the first line (without its `\n` or `\r\n`) of file descriptor `fd`, through
/// `/dev/fd/N`: the workspace forbids the `unsafe` that adopting a raw descriptor would need.
/// Reads byte by byte so nothing past the line is consumed or left in a buffer.
fn read_fd_line(fd: u32) -> Result<SecretString, Error> {
    let failed = |reason: String| Error::PassphraseFd { fd, reason };
    let mut file = File::open(format!("/dev/fd/{fd}")).map_err(|e| {
        failed(match e.kind() {
            io::ErrorKind::NotFound => "it is not open".to_owned(),
            _ => e.to_string(),
        })
    })?;
    let mut line = Zeroizing::new(Vec::with_capacity(MAX_PASSPHRASE_BYTES + 1));
    let mut byte = Zeroizing::new([0u8; 1]);
    loop {
        match file.read(&mut byte[..]) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => {
                if line.len() == MAX_PASSPHRASE_BYTES {
                    return Err(failed(format!(
                        "the first line is longer than {MAX_PASSPHRASE_BYTES} bytes"
                    )));
                }
                line.push(byte[0]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(failed(e.to_string())),
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let text = std::str::from_utf8(&line).map_err(|_| failed("it is not valid UTF-8".into()))?;
    Ok(SecretString::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_variable_is_named_without_any_value() {
        let err = read_env("SEALFORM_TEST_SURELY_UNSET_VARIABLE").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the environment variable SEALFORM_TEST_SURELY_UNSET_VARIABLE is not set\n--passphrase-env takes the name of a variable that holds the passphrase, not the passphrase itself"
        );
    }

    #[test]
    fn a_closed_descriptor_is_reported() {
        let err = read_fd_line(987_654).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "could not read a passphrase from file descriptor 987654: it is not open"
            ),
            "{err}"
        );
    }
}
