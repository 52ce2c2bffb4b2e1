use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use seal::{Day, RecordId};

use crate::Error;
use crate::client::{Client, Listed, ServerArgs, ServerUrl, Session, Sha256Hex};
use crate::identity::Keyring;
use crate::passphrase::PassphraseArgs;

use super::organizer;
use crate::vault::Vault;

const EXAMPLES: &str = "\
Examples:
  Pull every new record of a letter into a vault folder:
    sealform-keytool pull --server https://letter.example.org -i organizer.key --vault letter-vault

  Two instances of the same letter into one vault, through Tor:
    sealform-keytool pull --server http://abc…xyz.onion --server https://letter.example.org \\
      --proxy socks5h://127.0.0.1:9050 -i organizer.key --vault letter-vault

Records stay sealed in the vault (records/<id>.age): open them with
  sealform-keytool decrypt -i organizer.key --out letter.csv letter-vault/records/

A pull that stops half-way (a lost connection, Ctrl-C) leaves no partial record: run it again
and it resumes. Withdrawals are checked against the receipt sealed inside each record, so a
withdrawal the server made up deletes nothing.";

/// How a binary age file begins.
const AGE_BINARY_START: &[u8] = b"age-encryption.org/v1\n";

/// Download the records of one or more servers into a vault folder, and honour withdrawals
///
/// Signs in with your identity (the server seals a challenge to its organizers' keys), lists the
/// server's records and downloads every one the vault lacks, each checked against the SHA-256 the
/// listing gave. Saves the server's campaign file. Then reads the receipts posted to /withdraw:
/// a record whose sealed receipt matches one is deleted from the vault and from every server
/// that still lists it, and never downloaded again.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Pull {
    #[command(flatten)]
    connection: ServerArgs,

    /// An identity file to sign in and open records with; repeat -i for several
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// The vault folder (made, readable only by you, if it does not exist)
    #[arg(long, value_name = "DIR")]
    vault: PathBuf,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// What one server gave in this pull.
struct Pulled<'a> {
    session: Session<'a>,
    listed: Vec<Listed>,
    new: usize,
}

impl Pull {
    /// Pulls from every server, honours withdrawals, prints a summary, and fails at the end if
    /// anything went wrong on the way.
    pub fn run(self) -> Result<(), Error> {
        let keyring = organizer::load_keyring(&self.identities, &self.passphrase)?;
        let mut vault = Vault::create(&self.vault)?;
        // A crash after a withdrawal's line and before its index line was rewritten.
        vault.finish_withdrawals()?;
        let client = Client::new(self.connection.proxy.as_ref());

        let mut problems = Vec::new();
        let mut servers = Vec::new();
        let mut withdrawals: BTreeMap<Sha256Hex, Day> = BTreeMap::new();
        let mut summary = String::new();
        for server in unique(&self.connection.servers) {
            match pull_one(&client, server, &keyring, &mut vault, &mut problems) {
                Ok((pulled, posted)) => {
                    summary.push_str(&format!(
                        "{server}: {}, {} listed\n",
                        organizer::plural(pulled.new, "new record"),
                        pulled.listed.len()
                    ));
                    for withdrawal in posted {
                        withdrawals
                            .entry(withdrawal.receipt_sha256)
                            .or_insert(withdrawal.day);
                    }
                    servers.push(pulled);
                }
                Err(problem) => {
                    summary.push_str(&format!("{server}: not pulled (see above)\n"));
                    super::report(&problem);
                    problems.push(problem);
                }
            }
        }

        let earlier = withdrawals
            .keys()
            .filter(|hash| {
                vault
                    .withdrawn()
                    .values()
                    .any(|w| w.receipt_sha256 == **hash)
            })
            .count();
        let honoured = honour_withdrawals(&keyring, &mut vault, &withdrawals, &mut problems)?;
        vault.finish_withdrawals()?;
        summary.push_str(&format!(
            "withdrawals: {} honoured now, {} earlier, {} matching no record in the vault\n",
            honoured,
            earlier,
            withdrawals.len().saturating_sub(honoured + earlier),
        ));

        // Every withdrawn record still listed by a server is deleted there too.
        for pulled in &mut servers {
            let withdrawn: Vec<(RecordId, Sha256Hex)> = pulled
                .listed
                .iter()
                .filter(|listed| vault.withdrawn().contains_key(&listed.id))
                .map(|listed| (listed.id, listed.sha256))
                .collect();
            if withdrawn.is_empty() {
                continue;
            }
            match pulled.session.purge(&withdrawn) {
                Ok(purged) => summary.push_str(&format!(
                    "{}: deleted {} withdrawn there\n",
                    pulled.session.server(),
                    organizer::plural(purged.deleted.len(), "record")
                )),
                Err(problem) => {
                    super::report(&problem);
                    problems.push(problem);
                }
            }
        }

        super::print_stdout(summary.as_bytes())?;
        let new: usize = servers.iter().map(|pulled| pulled.new).sum();
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::FinishedWithProblems {
            done: format!("pulled {}", organizer::plural(new, "new record")),
            problems: problems.len(),
            resumable: true,
        })
    }
}

/// The servers in the order given, each once.
fn unique(servers: &[ServerUrl]) -> Vec<&ServerUrl> {
    let mut seen = BTreeSet::new();
    servers
        .iter()
        .filter(|server| seen.insert(server.as_str()))
        .collect()
}

/// Signs in to `server`, saves its campaign, lists its records and downloads those the vault
/// lacks (and has not seen withdrawn). Records that fail are reported in `problems`; the
/// server's withdrawals are returned for [`honour_withdrawals`].
fn pull_one<'a>(
    client: &'a Client,
    server: &'a ServerUrl,
    keyring: &'a Keyring,
    vault: &mut Vault,
    problems: &mut Vec<Error>,
) -> Result<(Pulled<'a>, Vec<crate::client::Withdrawal>), Error> {
    let mut session = client.sign_in(server, keyring)?;
    let campaign = session.campaign()?;
    vault.save_campaign(campaign.version, &campaign.toml)?;
    let mut listing_problems = Vec::new();
    let listed = session.list_records(&mut listing_problems)?;
    for problem in listing_problems {
        super::report(&problem);
        problems.push(problem);
    }
    let withdrawals = session.withdrawals()?;

    let wanted: Vec<&Listed> = listed
        .iter()
        .filter(|listed| !vault.withdrawn().contains_key(&listed.id))
        .filter(|listed| {
            !(vault.indexed().contains_key(&listed.id) && vault.has_record_file(listed.id))
        })
        .collect();
    let progress = organizer::progress_bar(wanted.len());
    let mut new = 0;
    for listed in wanted {
        match fetch(&mut session, vault, listed) {
            Ok(true) => new += 1,
            Ok(false) => {}
            Err(problem) => {
                progress.suspend(|| super::report(&problem));
                problems.push(problem);
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok((
        Pulled {
            session,
            listed,
            new,
        },
        withdrawals,
    ))
}

/// Brings one listed record into the vault. Returns whether it was new (a record already in
/// place from a pull that stopped before indexing it is checked and indexed, not downloaded).
fn fetch(session: &mut Session<'_>, vault: &mut Vault, listed: &Listed) -> Result<bool, Error> {
    let server = session.server().as_str().to_owned();
    let refused = |reason: &str| Error::RecordRefused {
        server: server.clone(),
        id: listed.id,
        reason: reason.to_owned(),
    };
    if let Some(indexed) = vault.indexed().get(&listed.id)
        && indexed.sha256 != listed.sha256
    {
        return Err(refused(&format!(
            "the vault holds a record with this id and other bytes (from {})",
            indexed.server
        )));
    }
    if !vault.indexed().contains_key(&listed.id)
        && vault.has_record_file(listed.id)
        && let Ok(bytes) = vault.read_record(listed.id)
        && Sha256Hex::of(&bytes) == listed.sha256
    {
        vault.add_to_index(listed.id, listed.sha256, &server)?;
        return Ok(false);
    }
    let Some(bytes) = session.record(listed.id)? else {
        return Err(refused(
            "the server no longer has it (deleted since it was listed?)",
        ));
    };
    if !bytes.starts_with(AGE_BINARY_START) || age::Decryptor::new_buffered(&bytes[..]).is_err() {
        return Err(refused("it is not a well-formed age file"));
    }
    if Sha256Hex::of(&bytes) != listed.sha256 {
        return Err(refused("its SHA-256 is not the one it was listed with"));
    }
    if bytes.len() as u64 != listed.size {
        return Err(refused("its size is not the one it was listed with"));
    }
    vault.save_record(listed.id, &bytes, &server)?;
    Ok(true)
}

/// Opens every record in the vault (in memory) whose receipt could match a withdrawal not yet
/// honoured, and honours each match. Returns how many it honoured.
fn honour_withdrawals(
    keyring: &Keyring,
    vault: &mut Vault,
    withdrawals: &BTreeMap<Sha256Hex, Day>,
    problems: &mut Vec<Error>,
) -> Result<usize, Error> {
    let done: BTreeSet<Sha256Hex> = vault
        .withdrawn()
        .values()
        .map(|withdrawn| withdrawn.receipt_sha256)
        .collect();
    let pending: BTreeMap<&Sha256Hex, &Day> = withdrawals
        .iter()
        .filter(|(hash, _)| !done.contains(hash))
        .collect();
    if pending.is_empty() {
        return Ok(0);
    }
    let ids: Vec<RecordId> = vault.indexed().keys().copied().collect();
    let progress = organizer::progress_bar(ids.len());
    let mut honoured = 0;
    for id in ids {
        progress.inc(1);
        let receipt = vault.read_verified(id).and_then(|bytes| {
            keyring
                .open_record(&bytes)
                .map(|submission| {
                    submission
                        .receipt()
                        .and_then(|r| r.parse::<Sha256Hex>().ok())
                })
                .map_err(|reason| organizer::record_problem(vault, id, reason))
        });
        match receipt {
            Ok(Some(receipt)) => {
                if let Some(&&day) = pending.get(&receipt) {
                    vault.withdraw(id, receipt, day)?;
                    honoured += 1;
                }
            }
            Ok(None) => {}
            Err(problem) => {
                progress.suspend(|| super::report(&problem));
                problems.push(problem);
            }
        }
    }
    progress.finish_and_clear();
    Ok(honoured)
}
