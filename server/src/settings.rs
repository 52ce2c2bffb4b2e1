//! Start-up settings, declared once: [`Settings`] is both the command line (flags and their
//! `SEALFORM_*` variables, with the defaults `--help` shows) and the config file (`--config
//! FILE`, the same names with `_`). [`crate::config`] checks them into a typed `Config`.
//!
//! Precedence, highest first: a flag, its environment variable, the config file, the default.
//! Relative paths in a config file are taken from the config file's own folder.

use std::collections::BTreeSet;
use std::fs;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::num::{NonZeroU32, NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};

use clap::builder::BoolishValueParser;
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use serde::{Deserialize, Serialize};

use crate::Error;

/// Where the server listens unless told otherwise: this machine only.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080));

/// The command line of `sealform-server`.
#[derive(Debug, Parser)]
#[command(
    name = "sealform-server",
    version,
    about = "Serves a sign-on letter and its form; seals every submission to the organizers' \
             public keys before it touches disk.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Settings for serving (the default action).
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes every stored record as FOLDER/<id>.age plus FOLDER/index.tsv, for the organizers'
    /// key tool. Run it while the server is stopped.
    Export(ExportArgs),
}

/// `sealform-server export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The server's data folder.
    #[arg(long, value_name = "DIR")]
    pub data_dir: PathBuf,

    /// The folder to write the records into (created if missing).
    #[arg(long, value_name = "FOLDER")]
    pub out: PathBuf,
}

/// Serving: where the settings come from, and the settings given on the command line.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A TOML file with any of the settings below (keys as the flags, with `_`;
    /// `recipients` and `trusted_proxies` are lists).
    #[arg(long, value_name = "FILE", env = "SEALFORM_CONFIG")]
    pub config: Option<PathBuf>,

    /// Try sealform on this machine: makes a throwaway, UNPROTECTED key in ./sealform-demo/,
    /// keeps data in ./sealform-demo/data and prints how to read what was sent.
    #[arg(long)]
    pub demo: bool,

    /// The settings, as the flags and variables gave them (defaults elsewhere).
    #[command(flatten)]
    pub settings: Settings,

    /// Which settings a flag or variable gave, so that a config file fills only the others.
    #[arg(skip)]
    pub given: BTreeSet<String>,
}

/// Every setting of the server. The field names are the config file's keys.
#[derive(Debug, Clone, Args, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The address and port to listen on. Port 0 picks a free one.
    #[arg(long, value_name = "ADDR", env = "SEALFORM_LISTEN", default_value_t = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// The folder where sealed records are kept.
    #[arg(long, value_name = "DIR", env = "SEALFORM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// An organizer's age public key (age1…) to seal every submission to. Repeat for several
    /// organizers; each of them can open every record.
    #[arg(
        long = "recipient",
        value_name = "AGE1…",
        env = "SEALFORM_RECIPIENT",
        value_delimiter = ','
    )]
    pub recipients: Vec<String>,

    /// A file of organizers' public keys, one per line; `#` starts a comment.
    #[arg(long, value_name = "FILE", env = "SEALFORM_RECIPIENTS_FILE")]
    pub recipients_file: Option<PathBuf>,

    /// The campaign file (TOML) with the letter and its form [default: the built-in open letter].
    #[arg(long, value_name = "FILE", env = "SEALFORM_CAMPAIGN")]
    pub campaign: Option<PathBuf>,

    /// Submissions one address may send in a burst.
    #[arg(long, value_name = "N", env = "SEALFORM_RATE_BURST", default_value_t = NonZeroU32::new(10).unwrap())]
    pub rate_burst: NonZeroU32,

    /// Seconds until an address may send one more after its burst.
    #[arg(long, value_name = "SECS", env = "SEALFORM_RATE_REFILL_SECS", default_value_t = NonZeroU64::new(6).unwrap())]
    pub rate_refill_secs: NonZeroU64,

    /// Submissions all addresses together may send in a burst: a ceiling near what the server
    /// can store, not a guess at normal traffic (see docs/PERFORMANCE.md).
    #[arg(long, value_name = "N", env = "SEALFORM_GLOBAL_RATE_BURST", default_value_t = NonZeroU32::new(1000).unwrap())]
    pub global_rate_burst: NonZeroU32,

    /// Submissions per second all addresses together may send after the burst.
    #[arg(long, value_name = "N", env = "SEALFORM_GLOBAL_RATE_PER_SEC", default_value_t = NonZeroU32::new(500).unwrap())]
    pub global_rate_per_sec: NonZeroU32,

    /// Free disk space, in MiB, kept in reserve on the data folder's file system: below it, new
    /// submissions get a "try later" page that keeps the answers, and /healthz says why.
    #[arg(
        long,
        value_name = "MIB",
        env = "SEALFORM_DISK_RESERVE_MIB",
        default_value_t = 256
    )]
    pub disk_reserve_mib: u64,

    /// Open connections one client address (IPv6: its /64) or one Tor circuit may hold.
    /// Trusted proxies are exempt: they must cap their own clients. Lifted by --no-rate-limit.
    #[arg(long, value_name = "N", env = "SEALFORM_MAX_CONNS_PER_CLIENT", default_value_t = NonZeroUsize::new(64).unwrap())]
    pub max_conns_per_client: NonZeroUsize,

    /// A second listener, for the local Tor daemon only: its onion service must send a PROXY
    /// line first on each connection (`HiddenServiceExportCircuitID haproxy`), so that limits
    /// apply per Tor circuit. A connection without a valid PROXY line is dropped.
    #[arg(long, value_name = "ADDR", env = "SEALFORM_ONION_LISTEN")]
    pub onion_listen: Option<SocketAddr>,

    /// The site's onion address (56 characters + `.onion`): pages on the clear-web site then
    /// carry an `Onion-Location` header, so Tor Browser offers the onion service.
    #[arg(long, value_name = "NAME.onion", env = "SEALFORM_ONION_ADDRESS")]
    pub onion_address: Option<String>,

    /// Deletes records from this host this many days after they arrived (counted in whole
    /// weeks, the only arrival time the host keeps), whether organizers pulled them or not.
    /// Off by default: records stay until organizers purge them.
    #[arg(long, value_name = "DAYS", env = "SEALFORM_DELETE_AFTER_DAYS")]
    pub delete_after_days: Option<NonZeroU32>,

    /// Turns both rate limits off (for benchmarks on a private network only).
    #[arg(
        long,
        env = "SEALFORM_NO_RATE_LIMIT",
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new(),
        value_name = "BOOL"
    )]
    pub no_rate_limit: bool,

    /// The address of a reverse proxy in front of this server; only requests from it have
    /// their X-Forwarded-For (else Forwarded) header used to tell clients apart. The proxy must
    /// append to X-Forwarded-For, or set only Forwarded. Repeatable.
    #[arg(
        long = "trusted-proxy",
        value_name = "ADDR",
        env = "SEALFORM_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// The largest form body accepted, in bytes [default: 65536, or what the campaign's longest
    /// valid answers need if more: 20,000 characters of Chinese are 180 KB in a form body].
    #[arg(long, value_name = "BYTES", env = "SEALFORM_BODY_LIMIT")]
    pub body_limit: Option<NonZeroUsize>,

    /// Seconds a form must be open before it may be sent.
    #[arg(
        long,
        value_name = "SECS",
        env = "SEALFORM_MIN_FORM_SECS",
        default_value_t = 3
    )]
    pub min_form_secs: u64,

    /// Says that a TLS proxy serves this site over https: adds Strict-Transport-Security.
    #[arg(
        long,
        env = "SEALFORM_TLS_SERVED",
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new(),
        value_name = "BOOL"
    )]
    pub tls_served: bool,

    /// Seconds one request may take, a slow body included.
    #[arg(long, value_name = "SECS", env = "SEALFORM_REQUEST_TIMEOUT_SECS", default_value_t = NonZeroU64::new(30).unwrap())]
    pub request_timeout_secs: NonZeroU64,

    /// Requests handled at once; more get a "busy" page.
    #[arg(long, value_name = "N", env = "SEALFORM_MAX_IN_FLIGHT", default_value_t = NonZeroUsize::new(256).unwrap())]
    pub max_in_flight: NonZeroUsize,

    /// The file holding the key that signs form tokens (64 hex digits), made with a fresh key,
    /// mode 0600, if it does not exist. Give every instance of the site the same file, so that
    /// a form served by one is accepted by another [default: a new key at every start; forms
    /// open during a restart are sent again].
    #[arg(long, value_name = "FILE", env = "SEALFORM_TOKEN_KEY_FILE")]
    pub token_key_file: Option<PathBuf>,
}

/// The defaults declared on the flags above, and nothing else: what a config file's missing
/// keys mean.
impl Default for Settings {
    fn default() -> Self {
        let command = Settings::augment_args(clap::Command::new("defaults"))
            .mut_args(|arg| arg.env(None::<&'static str>));
        let matches = command.get_matches_from(["defaults"]);
        Settings::from_arg_matches(&matches).expect("every setting without a default is optional")
    }
}

impl Cli {
    /// Parses `args` (the program name first), recording which settings a flag or variable
    /// gave.
    pub fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::command().try_get_matches_from(args)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.serve.given = Settings::augment_args(clap::Command::new("settings"))
            .get_arguments()
            .map(|arg| arg.get_id().as_str())
            .filter(|id| {
                matches!(
                    matches.value_source(id),
                    Some(ValueSource::CommandLine | ValueSource::EnvVariable)
                )
            })
            .map(str::to_owned)
            .collect();
        Ok(cli)
    }
}

impl ServeArgs {
    /// The settings in force: the flags and variables given, over the config file's, over the
    /// defaults.
    pub fn resolve(&self) -> Result<Settings, Error> {
        let Some(path) = &self.config else {
            return Ok(self.settings.clone());
        };
        let file_error = |reason: String| Error::ConfigFile {
            path: path.clone(),
            reason,
        };
        let from_file = Settings::load(path)?;
        let mut merged =
            toml::Table::try_from(&from_file).map_err(|e| file_error(e.to_string()))?;
        let flags = toml::Table::try_from(&self.settings).map_err(|e| file_error(e.to_string()))?;
        for id in &self.given {
            match flags.get(id) {
                Some(value) => merged.insert(id.clone(), value.clone()),
                None => merged.remove(id),
            };
        }
        Settings::deserialize(merged).map_err(|e| file_error(e.to_string()))
    }

    /// Whether the organizers' keys came from the config file rather than a flag or variable.
    pub fn recipients_from_file(&self) -> bool {
        self.config.is_some() && !self.given.contains("recipients")
    }
}

impl Settings {
    /// Reads a config file; keys it lacks take their defaults.
    fn load(path: &Path) -> Result<Settings, Error> {
        let file_error = |reason: String| Error::ConfigFile {
            path: path.to_path_buf(),
            reason,
        };
        let text = fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        let mut settings: Settings =
            toml::from_str(&text).map_err(|e| file_error(e.to_string()))?;
        // Paths in the file are relative to the file, not to wherever the server was started.
        let base = path.parent().unwrap_or(Path::new(""));
        for relative in [
            &mut settings.data_dir,
            &mut settings.recipients_file,
            &mut settings.campaign,
            &mut settings.token_key_file,
        ]
        .into_iter()
        .flatten()
        {
            *relative = base.join(&*relative);
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_means_the_flag_default() {
        let defaults = Settings::default();
        let from_empty_file: Settings = toml::from_str("").unwrap();
        assert_eq!(
            toml::Table::try_from(&defaults).unwrap(),
            toml::Table::try_from(&from_empty_file).unwrap()
        );
        assert_eq!(defaults.listen, DEFAULT_LISTEN);
        assert_eq!(defaults.rate_burst.get(), 10);
        assert_eq!(defaults.max_in_flight.get(), 256);
        assert!(!defaults.no_rate_limit && !defaults.tls_served);
    }

    #[test]
    fn only_settings_given_on_the_command_line_are_recorded_as_given() {
        let cli =
            Cli::try_parse_args(["sealform-server", "--rate-burst", "4", "--tls-served"]).unwrap();
        let given: Vec<&str> = cli.serve.given.iter().map(String::as_str).collect();
        assert_eq!(given, ["rate_burst", "tls_served"]);
    }
}
