use std::path::PathBuf;

use seal::RecordId;

use crate::Error;
use crate::client::{Client, ServerArgs, Sha256Hex};
use crate::passphrase::PassphraseArgs;
use crate::vault::Vault;

use super::organizer;

const EXAMPLES: &str = "\
Examples:
  After a pull, delete from the server what the vault now holds:
    sealform-keytool purge --server https://letter.example.org -i organizer.key --vault letter-vault

Only records pulled from that server, still in the vault with the very bytes pulled (each is
hashed again), are listed; the server deletes each only if its own copy has those bytes, and
says which it kept. A deleted record stays in the server's sled log files until sled compacts
them: see docs/THREAT-MODEL.md.";

/// Records sent to the server per request.
const BATCH: usize = 1000;

/// Delete from a server the records your vault holds
///
/// Lists every record pulled from that server that is still in the vault and still hashes to
/// what index.tsv recorded, and asks the server to delete exactly those. The server deletes a
/// record only if its stored bytes have the same SHA-256, and says which it kept.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Purge {
    #[command(flatten)]
    connection: ServerArgs,

    /// An identity file to sign in with; repeat -i for several
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// The vault folder that `pull` filled
    #[arg(long, value_name = "DIR")]
    vault: PathBuf,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

impl Purge {
    /// Purges each server of what the vault verifiably holds, prints what each deleted and
    /// kept, and fails at the end if anything went wrong on the way.
    pub fn run(self) -> Result<(), Error> {
        let keyring = organizer::load_keyring(&self.identities, &self.passphrase)?;
        let vault = Vault::open(&self.vault)?;
        let client = Client::new(self.connection.proxy.as_ref());
        let mut problems = Vec::new();
        let mut deleted_total = 0;
        for server in &self.connection.servers {
            let mut verified: Vec<(RecordId, Sha256Hex)> = Vec::new();
            for (&id, indexed) in vault.indexed() {
                if indexed.server != server.as_str() || vault.withdrawn().contains_key(&id) {
                    continue;
                }
                match vault.read_verified(id) {
                    Ok(_) => verified.push((id, indexed.sha256)),
                    Err(problem) => {
                        super::report(&problem);
                        problems.push(problem);
                    }
                }
            }
            if verified.is_empty() {
                super::print_stdout(
                    format!("{server}: the vault holds no record pulled from it\n").as_bytes(),
                )?;
                continue;
            }
            let purged = client.sign_in(server, &keyring).and_then(|mut session| {
                let mut deleted = Vec::new();
                let mut kept = Vec::new();
                for batch in verified.chunks(BATCH) {
                    let purged = session.purge(batch)?;
                    deleted.extend(purged.deleted);
                    kept.extend(purged.kept);
                }
                Ok((deleted, kept))
            });
            let (deleted, kept) = match purged {
                Ok(answer) => answer,
                Err(problem) => {
                    super::report(&problem);
                    problems.push(problem);
                    continue;
                }
            };
            deleted_total += deleted.len();
            let mut text = format!(
                "{server}: deleted {}, kept {}\n",
                organizer::plural(deleted.len(), "record"),
                kept.len()
            );
            for id in &deleted {
                text.push_str(&format!("  deleted {id}\n"));
            }
            for id in &kept {
                text.push_str(&format!(
                    "  kept {id}: the server does not have it, or holds other bytes under its id\n"
                ));
            }
            super::print_stdout(text.as_bytes())?;
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::FinishedWithProblems {
            done: format!("deleted {}", organizer::plural(deleted_total, "record")),
            problems: problems.len(),
            resumable: false,
        })
    }
}
