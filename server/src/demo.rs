//! `sealform-server --demo`: a one-command start for someone trying sealform out.
//!
//! This is the only place the server ever touches a secret key. It makes a throwaway age
//! identity, writes it to `demo-identity.txt` (mode 0600) so the person can open what they
//! send, and drops it: the running server holds only the public key, exactly as in real use.
//! The identity is unprotected on disk, which is why the demo says loudly not to use it for real.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use age::x25519;
use seal::RecipientSet;
use zeroize::Zeroizing;

use crate::Error;

/// The demo's folder, relative to where the server is started.
pub const DEMO_DIR: &str = "sealform-demo";

/// The demo identity's file name inside the demo folder.
pub const IDENTITY_FILE: &str = "demo-identity.txt";

/// A prepared demo folder: its identity file exists, and its public key is known.
#[derive(Debug)]
pub struct Demo {
    dir: PathBuf,
    recipients: RecipientSet,
    created: bool,
}

impl Demo {
    /// Makes `dir` and a new demo identity in it, or reuses the identity already there.
    pub fn prepare(dir: &Path) -> Result<Demo, Error> {
        let demo_error = |path: &Path, reason: String| Error::Demo {
            path: path.to_path_buf(),
            reason,
        };
        create_private_dir(dir).map_err(|e| demo_error(dir, e.to_string()))?;
        let identity_path = dir.join(IDENTITY_FILE);
        let (public, created) = match fs::read_to_string(&identity_path) {
            Ok(text) => {
                let text = Zeroizing::new(text);
                (
                    read_public_key(&text).map_err(|r| demo_error(&identity_path, r))?,
                    false,
                )
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => (
                write_new_identity(&identity_path)
                    .map_err(|e| demo_error(&identity_path, e.to_string()))?,
                true,
            ),
            Err(e) => return Err(demo_error(&identity_path, e.to_string())),
        };
        let recipients =
            RecipientSet::new(vec![public]).map_err(|e| demo_error(dir, e.to_string()))?;
        Ok(Demo {
            dir: dir.to_path_buf(),
            recipients,
            created,
        })
    }

    /// The demo's public key, the only recipient.
    pub fn recipients(&self) -> &RecipientSet {
        &self.recipients
    }

    /// Where the demo keeps its records.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The unprotected identity file.
    pub fn identity_file(&self) -> PathBuf {
        self.dir.join(IDENTITY_FILE)
    }

    /// The warning and the exact commands to read what was sent, for the terminal.
    pub fn instructions(&self) -> String {
        let identity = self.identity_file();
        let export = self.dir.join("export");
        let made = if self.created {
            "made a new"
        } else {
            "reusing the"
        };
        format!(
            "\
!!! DEMO MODE: NOT FOR REAL USE
!!! The key that opens every demo submission lies UNPROTECTED in {identity}.
!!! Anyone who can read that file can read everything sent to this demo.
!!! Never collect real signatures or testimony with --demo.

sealform demo: {made} throwaway key in {identity}, records in {data}.
Open the address below, fill in the form and send it. To read what was sent,
stop the server (Ctrl-C), then run:

    sealform-server export --data-dir {data} --out {export}
    sealform-keytool decrypt -i {identity} {export}

From the source folder, without installing the two tools, the same commands are:

    cargo run -q --bin sealform-server -- export --data-dir {data} --out {export}
    cargo run -q --bin sealform-keytool -- decrypt -i {identity} {export}

For real use, an organizer makes a key on a computer they trust
(sealform-keytool keygen --out organizer.key), and the server is started with
--recipient age1… (the public key it prints) and --data-dir DIR.
",
            identity = identity.display(),
            data = self.data_dir().display(),
            export = export.display(),
        )
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Generates an identity, writes it in age's identity file format (readable by
/// `sealform-keytool decrypt -i` and `age -d -i`) with mode 0600, and returns only its public key.
fn write_new_identity(path: &Path) -> io::Result<x25519::Recipient> {
    let identity = x25519::Identity::generate();
    let public = identity.to_public();
    let secret = identity.to_string();
    let contents = Zeroizing::new(format!(
        "# sealform DEMO identity: NOT FOR REAL USE. Anyone who can read this file can read\n\
         # every submission sent to the demo.\n\
         # public key: {public}\n\
         {}\n",
        secret.expose_secret()
    ));
    drop(identity);
    let mut file = private_file(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(public)
}

#[cfg(unix)]
fn private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// The public key of the identity in an existing demo identity file.
fn read_public_key(text: &str) -> Result<x25519::Recipient, String> {
    text.lines()
        .map(str::trim)
        .find(|line| line.starts_with("AGE-SECRET-KEY-"))
        .and_then(|line| x25519::Identity::from_str(line).ok())
        .map(|identity| identity.to_public())
        .ok_or_else(|| {
            "it holds no age identity; delete the file (and the demo's data, which nothing else \
             can open) to start a new demo"
                .to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_private_identity_once_then_reuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let demo_dir = dir.path().join(DEMO_DIR);
        let first = Demo::prepare(&demo_dir).unwrap();
        assert!(first.created);
        let text = fs::read_to_string(first.identity_file()).unwrap();
        let identity = x25519::Identity::from_str(
            text.lines()
                .find(|l| l.starts_with("AGE-SECRET-KEY-"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            identity.to_public().to_string(),
            first.recipients().keys()[0].to_string()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(first.identity_file())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let again = Demo::prepare(&demo_dir).unwrap();
        assert!(!again.created);
        assert_eq!(
            again.recipients().fingerprint(),
            first.recipients().fingerprint()
        );
        let says = again.instructions();
        assert!(says.contains("NOT FOR REAL USE"));
        let decrypt = format!(
            "sealform-keytool decrypt -i {} {}",
            again.identity_file().display(),
            demo_dir.join("export").display()
        );
        assert!(says.contains(&format!("\n    {decrypt}\n")));
        assert!(says.contains(&format!(
            "--bin {}",
            decrypt.replacen(" decrypt", " -- decrypt", 1)
        )));
    }

    #[test]
    fn refuses_a_damaged_identity_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(IDENTITY_FILE), "# nothing here\n").unwrap();
        let error = Demo::prepare(dir.path()).unwrap_err().to_string();
        assert!(error.contains("holds no age identity"), "{error}");
    }
}
