//! Where passphrases come from: a file descriptor, an environment variable, or the terminal.
//! Never from an argument's value, which other users of the machine can read in the process
//! list and which the shell keeps in its history.
//!
//! A passphrase for a new identity must also be hard to guess ([`check_strength`]): whoever
//! copies an identity file can try passphrases on it offline, as fast as their hardware runs
//! scrypt, and no server is there to slow them down. [`generate`] makes one that is.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;

use age::secrecy::{ExposeSecret, SecretString};
use rand::Rng;
use zeroize::Zeroizing;

use crate::Error;
use crate::escape::ShownPath;

/// The longest passphrase line read from a file descriptor, so a wrong descriptor (a large file,
/// an endless stream) is refused instead of read into memory.
const MAX_PASSPHRASE_BYTES: usize = 4096;

/// The lowest zxcvbn score (0 to 4) a new identity's passphrase may have. 3 means the estimator
/// expects an attacker to need more than 10^8 guesses: with scrypt at the work factor the key
/// tool writes, years of one computer's time.
pub const MIN_STRENGTH: u8 = 3;

/// How many words [`generate`] picks: 6 of 7,776 are about 77 bits, out of reach of any
/// offline guessing.
pub const GENERATED_WORDS: usize = 6;

/// The EFF's large word list (CC BY 3.0, see `keytool/wordlist/LICENSE`), unchanged: a line is
/// five dice digits, a tab and a word.
const EFF_LARGE_WORDLIST: &str = include_str!("../wordlist/eff_large_wordlist.txt");

/// Words that say where the passphrase is used: a passphrase made of them is easier to guess,
/// and zxcvbn scores it so.
const CONTEXT_WORDS: [&str; 6] = [
    "sealform",
    "keytool",
    "organizer",
    "identity",
    "passphrase",
    "age",
];

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

    /// A passphrase for a new identity file: asked twice on a terminal, refused when empty or
    /// easy to guess ([`check_strength`]).
    pub fn to_protect(&mut self) -> Result<SecretString, Error> {
        match self.without_terminal() {
            Some(passphrase) => {
                let passphrase = non_empty(passphrase?)?;
                check_strength(&passphrase)?;
                Ok(passphrase)
            }
            None => {
                if !io::stdin().is_terminal() {
                    return Err(Error::NoNewPassphraseSource);
                }
                let first = non_empty(prompt("passphrase for the new identity: ")?)?;
                // Before the second prompt: a weak one need not be typed twice.
                check_strength(&first)?;
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

/// Refuses a passphrase that zxcvbn scores below [`MIN_STRENGTH`], with its reasons and what to
/// do instead. zxcvbn copies the passphrase into buffers of its own, which are freed unwiped:
/// the key tool runs on the organizer's own machine, where the passphrase is typed anyway.
pub fn check_strength(passphrase: &SecretString) -> Result<(), Error> {
    let estimate = zxcvbn::zxcvbn(passphrase.expose_secret(), &CONTEXT_WORDS);
    let score = u8::from(estimate.score());
    if score >= MIN_STRENGTH {
        return Ok(());
    }
    // zxcvbn's sentences ("A word by itself is easy to guess."), in this tool's lowercase style.
    let feedback = estimate
        .feedback()
        .map(|feedback| {
            let warning = feedback.warning().map(|w| w.to_string());
            let suggestions = feedback.suggestions().iter().map(ToString::to_string);
            warning
                .into_iter()
                .chain(suggestions)
                .map(|sentence| lowercase_sentence(&sentence))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    Err(Error::WeakPassphrase { score, feedback })
}

/// "Add another word or two. Uncommon words are better." → "add another word or two, uncommon
/// words are better" (zxcvbn's English sentences name nothing that needs a capital).
fn lowercase_sentence(sentence: &str) -> String {
    sentence
        .trim_end_matches('.')
        .replace(". ", ", ")
        .to_lowercase()
}

/// A new passphrase: [`GENERATED_WORDS`] words drawn uniformly, each on its own, from the EFF's
/// large word list with the thread's CSPRNG (seeded from the operating system), joined by
/// spaces.
pub fn generate() -> SecretString {
    let words = eff_words();
    let mut rng = rand::rng();
    let mut passphrase = Zeroizing::new(String::with_capacity(GENERATED_WORDS * 10));
    for n in 0..GENERATED_WORDS {
        if n > 0 {
            passphrase.push(' ');
        }
        passphrase.push_str(words[rng.random_range(0..words.len())]);
    }
    SecretString::from(passphrase.as_str())
}

/// The 7,776 words of the EFF's large list, in its order.
fn eff_words() -> Vec<&'static str> {
    EFF_LARGE_WORDLIST
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_dice, word)| word))
        .collect()
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
    fn the_word_list_is_the_effs_large_list_unchanged() {
        use sha2::{Digest, Sha256};
        assert_eq!(
            hex::encode(Sha256::digest(EFF_LARGE_WORDLIST)),
            "addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e"
        );
        let words = eff_words();
        assert_eq!(words.len(), 7776);
        let distinct: std::collections::BTreeSet<_> = words.iter().collect();
        assert_eq!(distinct.len(), 7776);
        assert!(words.iter().all(|w| !w.is_empty() && !w.contains(' ')));
    }

    #[test]
    fn generated_passphrases_are_six_list_words_and_strong() {
        let words = eff_words();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..20 {
            let passphrase = generate();
            let drawn: Vec<&str> = passphrase.expose_secret().split(' ').collect();
            assert_eq!(drawn.len(), GENERATED_WORDS);
            assert!(drawn.iter().all(|w| words.contains(w)), "{drawn:?}");
            check_strength(&passphrase).unwrap();
            seen.insert(passphrase.expose_secret().to_owned());
        }
        assert_eq!(seen.len(), 20, "each draw is new");
    }

    #[test]
    fn weak_passphrases_are_refused_with_the_reason_and_the_fix() {
        for weak in [
            "password",
            "sealform2026",
            "letmein123",
            "qwertyuiop",
            "organizer",
        ] {
            let err = check_strength(&SecretString::from(weak)).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with("the passphrase is too easy to guess (strength "),
                "{weak}: {message}"
            );
            assert!(message.contains("--generate-passphrase"), "{message}");
        }
        let err = check_strength(&SecretString::from("password")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the passphrase is too easy to guess (strength 0 of 4, at least 3 needed): this is a top-10 common password; add another word or two, uncommon words are better\n\
             anyone who copies the identity file can try passphrases on it offline, without limit: run keygen again with --generate-passphrase for six random words to write down, or choose a longer passphrase of several unrelated words"
        );
        for strong in [
            "correct horse battery staple",
            "ปลอดภัย ที่สุด passphrase ยาว",
            "marble quietly unfolds seven lanterns",
        ] {
            check_strength(&SecretString::from(strong)).unwrap();
        }
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
