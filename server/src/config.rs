//! Start-up settings: flags, `SEALFORM_*` environment variables and an optional TOML file
//! (`--config FILE`), parsed once into a typed, checked [`Config`] before a port is bound.
//!
//! Precedence, highest first: a flag, its environment variable, the config file, the default.
//! Relative paths in a config file are taken from the config file's own folder.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::num::{NonZeroU32, NonZeroU64, NonZeroUsize};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand};
use seal::RecipientSet;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::Error;
use crate::campaign::Campaign;
use crate::demo::Demo;
use crate::rate_limit::RateLimits;
use crate::token::TokenPolicy;

/// Where the server listens unless told otherwise: this machine only.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 8080));
/// The smallest default body limit, in bytes; a campaign with longer answers raises it.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;
/// Submissions one address may send at once before it must wait.
pub const DEFAULT_RATE_BURST: NonZeroU32 = NonZeroU32::new(10).unwrap();
/// Seconds after which one more submission is allowed to an address that used its burst.
pub const DEFAULT_RATE_REFILL_SECS: u64 = 6;
/// Submissions all addresses together may send at once.
pub const DEFAULT_GLOBAL_RATE_BURST: NonZeroU32 = NonZeroU32::new(30).unwrap();
/// Submissions per second all addresses together may send, once the global burst is used.
pub const DEFAULT_GLOBAL_RATE_PER_SEC: NonZeroU32 = NonZeroU32::new(5).unwrap();
/// How many seconds a form must be open before it can be sent (people need longer; bots don't).
pub const DEFAULT_MIN_FORM_SECS: u64 = 3;
/// How long one request may take, slow bodies included.
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Requests handled at once; more are answered 503 "busy" at once instead of queueing.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;
/// How long a client may take to send its request headers (also closes idle connections).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at once; the accept loop waits when this many are open.
pub const MAX_CONNECTIONS: usize = 1024;

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

/// Serving settings as given on the command line or in `SEALFORM_*` variables; every one is
/// optional here so that a config file can fill what is left.
#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// A TOML file with any of the settings below (keys as the flags, with `_`;
    /// `recipients` and `trusted_proxies` are lists).
    #[arg(long, value_name = "FILE", env = "SEALFORM_CONFIG")]
    pub config: Option<PathBuf>,

    /// The address and port to listen on [default: 127.0.0.1:8080]. Port 0 picks a free one.
    #[arg(long, value_name = "ADDR", env = "SEALFORM_LISTEN")]
    pub listen: Option<SocketAddr>,

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

    /// Submissions one address may send in a burst [default: 10].
    #[arg(long, value_name = "N", env = "SEALFORM_RATE_BURST")]
    pub rate_burst: Option<NonZeroU32>,

    /// Seconds until an address may send one more after its burst [default: 6].
    #[arg(long, value_name = "SECS", env = "SEALFORM_RATE_REFILL_SECS")]
    pub rate_refill_secs: Option<NonZeroU64>,

    /// Submissions all addresses together may send in a burst [default: 30].
    #[arg(long, value_name = "N", env = "SEALFORM_GLOBAL_RATE_BURST")]
    pub global_rate_burst: Option<NonZeroU32>,

    /// Submissions per second all addresses together may send after the burst [default: 5].
    #[arg(long, value_name = "N", env = "SEALFORM_GLOBAL_RATE_PER_SEC")]
    pub global_rate_per_sec: Option<NonZeroU32>,

    /// Turns both rate limits off (for benchmarks on a private network only).
    #[arg(
        long,
        env = "SEALFORM_NO_RATE_LIMIT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new(),
        value_name = "BOOL"
    )]
    pub no_rate_limit: Option<bool>,

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

    /// Seconds a form must be open before it may be sent [default: 3].
    #[arg(long, value_name = "SECS", env = "SEALFORM_MIN_FORM_SECS")]
    pub min_form_secs: Option<u64>,

    /// Says that a TLS proxy serves this site over https: adds Strict-Transport-Security.
    #[arg(
        long,
        env = "SEALFORM_TLS_SERVED",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = BoolishValueParser::new(),
        value_name = "BOOL"
    )]
    pub tls_served: Option<bool>,

    /// Seconds one request may take, a slow body included [default: 30].
    #[arg(long, value_name = "SECS", env = "SEALFORM_REQUEST_TIMEOUT_SECS")]
    pub request_timeout_secs: Option<NonZeroU64>,

    /// Requests handled at once; more get a "busy" page [default: 256].
    #[arg(long, value_name = "N", env = "SEALFORM_MAX_IN_FLIGHT")]
    pub max_in_flight: Option<NonZeroUsize>,

    /// Try sealform on this machine: makes a throwaway, UNPROTECTED key in ./sealform-demo/,
    /// keeps data in ./sealform-demo/data and prints how to read what was sent.
    #[arg(long)]
    pub demo: bool,
}

/// The config file's settings; the same names as the flags.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    recipients: Option<Vec<String>>,
    recipients_file: Option<PathBuf>,
    campaign: Option<PathBuf>,
    rate_burst: Option<NonZeroU32>,
    rate_refill_secs: Option<NonZeroU64>,
    global_rate_burst: Option<NonZeroU32>,
    global_rate_per_sec: Option<NonZeroU32>,
    no_rate_limit: Option<bool>,
    trusted_proxies: Option<Vec<IpAddr>>,
    body_limit: Option<NonZeroUsize>,
    min_form_secs: Option<u64>,
    tls_served: Option<bool>,
    request_timeout_secs: Option<NonZeroU64>,
    max_in_flight: Option<NonZeroUsize>,
}

impl FileSettings {
    fn load(path: &Path) -> Result<Self, Error> {
        let file_error = |reason: String| Error::ConfigFile {
            path: path.to_path_buf(),
            reason,
        };
        let text = fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        let mut settings: Self = toml::from_str(&text).map_err(|e| file_error(e.to_string()))?;
        // Paths in the file are relative to the file, not to wherever the server was started.
        let base = path.parent().unwrap_or(Path::new(""));
        for relative in [
            &mut settings.data_dir,
            &mut settings.recipients_file,
            &mut settings.campaign,
        ]
        .into_iter()
        .flatten()
        {
            *relative = base.join(&*relative);
        }
        Ok(settings)
    }
}

/// Everything the server needs, parsed and checked.
#[derive(Debug)]
pub struct Config {
    /// Where to listen (used by `main`, which binds before calling [`crate::run`]).
    pub listen: SocketAddr,
    /// The sled folder.
    pub data_dir: PathBuf,
    /// The organizers' public keys every submission is sealed to.
    pub recipients: RecipientSet,
    /// The letter and its form.
    pub campaign: Campaign,
    /// The limits on `POST /sign`; `None` when turned off.
    pub rate_limits: Option<RateLimits>,
    /// Reverse proxies whose forwarded-address headers are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The largest form body accepted, in bytes.
    pub body_limit: usize,
    /// How old a form token must be, and may be, when the form is sent.
    pub token_policy: TokenPolicy,
    /// Whether a TLS proxy serves the site (adds Strict-Transport-Security).
    pub tls_served: bool,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// Requests handled at once.
    pub max_in_flight: usize,
    /// How long a client may take to send request headers, or stay idle between requests.
    pub header_read_timeout: Duration,
    /// Open connections at once.
    pub max_connections: usize,
}

impl ServeArgs {
    /// Merges flags and variables with the config file and defaults, loads the recipients and
    /// the campaign, and checks everything. In demo mode the demo's key and folder are used,
    /// and configured ones are refused rather than silently mixed in.
    pub fn into_config(self, demo: Option<&Demo>) -> Result<Config, Error> {
        let file = match &self.config {
            Some(path) => FileSettings::load(path)?,
            None => FileSettings::default(),
        };

        let recipients_file = self.recipients_file.or(file.recipients_file);
        let mut keys: Vec<(String, Zeroizing<String>)> = if self.recipients.is_empty() {
            file.recipients
                .unwrap_or_default()
                .into_iter()
                .map(|key| {
                    (
                        "recipients in the config file".to_string(),
                        Zeroizing::new(key),
                    )
                })
                .collect()
        } else {
            self.recipients
                .into_iter()
                .map(|key| ("--recipient".to_string(), Zeroizing::new(key)))
                .collect()
        };
        if let Some(path) = &recipients_file {
            keys.extend(read_recipients_file(path)?);
        }
        let data_dir = self.data_dir.or(file.data_dir);

        let (recipients, data_dir) = match demo {
            Some(demo) => {
                if !keys.is_empty() || recipients_file.is_some() || data_dir.is_some() {
                    return Err(Error::Config(
                        "--demo makes its own throwaway key and data folder\n\
                         drop --recipient, --recipients-file and --data-dir (and their config \
                         file and SEALFORM_* settings), or drop --demo"
                            .into(),
                    ));
                }
                (demo.recipients().clone(), demo.data_dir())
            }
            None => (
                parse_recipients(&keys)?,
                data_dir.ok_or_else(|| {
                    Error::Config(
                        "no data folder: start with --data-dir DIR \
                         (or data_dir in the config file, or SEALFORM_DATA_DIR)"
                            .into(),
                    )
                })?,
            ),
        };

        let campaign = match self.campaign.or(file.campaign) {
            Some(path) => Campaign::load(&path)?,
            None => Campaign::builtin(),
        };

        let body_limit = match self.body_limit.or(file.body_limit) {
            Some(limit) => limit.get(),
            // Never refuse an answer the campaign itself allows.
            None => DEFAULT_BODY_LIMIT.max(campaign.max_form_bytes()),
        };

        let no_rate_limit = self.no_rate_limit.or(file.no_rate_limit).unwrap_or(false);
        let rate_limits = (!no_rate_limit).then(|| RateLimits {
            burst: self
                .rate_burst
                .or(file.rate_burst)
                .unwrap_or(DEFAULT_RATE_BURST),
            refill: Duration::from_secs(
                self.rate_refill_secs
                    .or(file.rate_refill_secs)
                    .map_or(DEFAULT_RATE_REFILL_SECS, NonZeroU64::get),
            ),
            global_burst: self
                .global_rate_burst
                .or(file.global_rate_burst)
                .unwrap_or(DEFAULT_GLOBAL_RATE_BURST),
            global_per_sec: self
                .global_rate_per_sec
                .or(file.global_rate_per_sec)
                .unwrap_or(DEFAULT_GLOBAL_RATE_PER_SEC),
        });

        let trusted_proxies = if self.trusted_proxies.is_empty() {
            file.trusted_proxies.unwrap_or_default()
        } else {
            self.trusted_proxies
        };

        Ok(Config {
            listen: self.listen.or(file.listen).unwrap_or(DEFAULT_LISTEN),
            data_dir,
            recipients,
            campaign,
            rate_limits,
            trusted_proxies,
            body_limit,
            token_policy: TokenPolicy {
                min_age: Duration::from_secs(
                    self.min_form_secs
                        .or(file.min_form_secs)
                        .unwrap_or(DEFAULT_MIN_FORM_SECS),
                ),
                ..TokenPolicy::default()
            },
            tls_served: self.tls_served.or(file.tls_served).unwrap_or(false),
            request_timeout: Duration::from_secs(
                self.request_timeout_secs
                    .or(file.request_timeout_secs)
                    .map_or(DEFAULT_REQUEST_TIMEOUT_SECS, NonZeroU64::get),
            ),
            max_in_flight: self
                .max_in_flight
                .or(file.max_in_flight)
                .map_or(DEFAULT_MAX_IN_FLIGHT, NonZeroUsize::get),
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        })
    }
}

/// Reads a recipients file: one `age1…` key per line; blank lines and `#` comments skipped.
fn read_recipients_file(path: &Path) -> Result<Vec<(String, Zeroizing<String>)>, Error> {
    let text = Zeroizing::new(fs::read_to_string(path).map_err(|e| Error::Recipient {
        origin: path.display().to_string(),
        reason: format!("cannot read it: {e}"),
    })?);
    Ok(text
        .lines()
        .enumerate()
        .map(|(number, line)| (number + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            (
                format!("{}, line {number}", path.display()),
                line.to_string().into(),
            )
        })
        .collect())
}

/// Parses every key, naming where a bad one came from; refuses an empty set with the fix.
/// A secret key given by mistake is refused without being echoed.
fn parse_recipients(keys: &[(String, Zeroizing<String>)]) -> Result<RecipientSet, Error> {
    if keys.is_empty() {
        return Err(Error::NoRecipients);
    }
    for (origin, key) in keys {
        if key
            .trim()
            .to_ascii_uppercase()
            .starts_with("AGE-SECRET-KEY-")
        {
            return Err(Error::Recipient {
                origin: origin.clone(),
                reason: "this is a SECRET key; the server only ever needs the public key \
                         (age1…) that sealform-keytool printed next to it\n\
                         keep the secret key off this machine"
                    .into(),
            });
        }
        RecipientSet::parse([key.as_str()]).map_err(|e| Error::Recipient {
            origin: origin.clone(),
            reason: e.to_string(),
        })?;
    }
    RecipientSet::parse(keys.iter().map(|(_, key)| key.as_str())).map_err(|e| Error::Recipient {
        origin: "recipients".into(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::x25519;

    fn public_key() -> String {
        x25519::Identity::generate().to_public().to_string()
    }

    fn parse(args: &[&str]) -> ServeArgs {
        let mut argv = vec!["sealform-server"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).unwrap().serve
    }

    #[test]
    fn defaults_fill_what_is_not_given() {
        let key = public_key();
        let config = parse(&["--recipient", &key, "--data-dir", "d"])
            .into_config(None)
            .unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.body_limit,
            DEFAULT_BODY_LIMIT.max(Campaign::builtin().max_form_bytes())
        );
        assert_eq!(config.token_policy.min_age, Duration::from_secs(3));
        assert!(!config.tls_served);
        let limits = config.rate_limits.unwrap();
        assert_eq!(limits.burst.get(), 10);
        assert_eq!(limits.refill, Duration::from_secs(6));
        assert_eq!(limits.global_burst.get(), 30);
        assert_eq!(limits.global_per_sec.get(), 5);
        assert_eq!(config.recipients.keys().len(), 1);
    }

    #[test]
    fn flags_beat_the_config_file_which_beats_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let (file_key, flag_key) = (public_key(), public_key());
        let config_path = dir.path().join("sealform.toml");
        fs::write(
            &config_path,
            format!(
                "listen = \"127.0.0.1:9999\"\ndata_dir = \"records\"\nrecipients = [\"{file_key}\"]\n\
                 body_limit = 1000\nrate_burst = 4\ntls_served = true\nmin_form_secs = 7\n\
                 trusted_proxies = [\"10.0.0.1\"]\n"
            ),
        )
        .unwrap();
        let config_arg = config_path.to_str().unwrap();

        let from_file = parse(&["--config", config_arg]).into_config(None).unwrap();
        assert_eq!(from_file.listen.port(), 9999);
        assert_eq!(from_file.data_dir, dir.path().join("records"));
        assert_eq!(from_file.recipients.keys()[0].to_string(), file_key);
        assert_eq!(from_file.body_limit, 1000);
        assert_eq!(from_file.rate_limits.unwrap().burst.get(), 4);
        assert!(from_file.tls_served);
        assert_eq!(from_file.token_policy.min_age, Duration::from_secs(7));
        assert_eq!(
            from_file.trusted_proxies,
            ["10.0.0.1".parse::<IpAddr>().unwrap()]
        );

        let overridden = parse(&[
            "--config",
            config_arg,
            "--listen",
            "127.0.0.1:0",
            "--recipient",
            &flag_key,
            "--body-limit",
            "2000",
            "--tls-served=false",
            "--no-rate-limit",
            "--min-form-secs",
            "0",
        ])
        .into_config(None)
        .unwrap();
        assert_eq!(overridden.listen.port(), 0);
        assert_eq!(overridden.recipients.keys().len(), 1);
        assert_eq!(overridden.recipients.keys()[0].to_string(), flag_key);
        assert_eq!(overridden.body_limit, 2000);
        assert!(!overridden.tls_served);
        assert!(overridden.rate_limits.is_none());
        assert_eq!(overridden.token_policy.min_age, Duration::ZERO);
    }

    #[test]
    fn refuses_no_recipients_with_the_fix() {
        let error = parse(&["--data-dir", "d"]).into_config(None).unwrap_err();
        assert!(matches!(error, Error::NoRecipients));
        assert!(error.to_string().contains("sealform-keytool keygen"));
    }

    #[test]
    fn names_the_line_of_a_bad_key_and_never_echoes_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.txt");
        fs::write(
            &path,
            format!("# organizers\n{}\n\nage1nope\n", public_key()),
        )
        .unwrap();
        let error = parse(&[
            "--data-dir",
            "d",
            "--recipients-file",
            path.to_str().unwrap(),
        ])
        .into_config(None)
        .unwrap_err()
        .to_string();
        assert!(error.contains("keys.txt, line 4"), "{error}");

        let secret = x25519::Identity::generate();
        let secret_text = {
            use age::secrecy::ExposeSecret;
            secret.to_string().expose_secret().to_string()
        };
        let error = parse(&["--data-dir", "d", "--recipient", &secret_text])
            .into_config(None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("SECRET key"), "{error}");
        assert!(!error.contains(&secret_text[15..]), "{error}");
    }

    #[test]
    fn refuses_a_config_file_with_unknown_keys_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sealform.toml");
        fs::write(&path, "listen = \"127.0.0.1:1\"\nrate_brust = 3\n").unwrap();
        let error = parse(&["--config", path.to_str().unwrap()])
            .into_config(None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
        assert!(error.contains("rate_brust"), "{error}");
    }

    #[test]
    fn zero_limits_are_refused_by_the_parser() {
        let mut argv = vec!["sealform-server", "--rate-burst", "0"];
        assert!(Cli::try_parse_from(&argv).is_err());
        argv[1] = "--rate-refill-secs";
        assert!(Cli::try_parse_from(&argv).is_err());
    }

    #[test]
    fn export_takes_its_own_flags_only() {
        let cli =
            Cli::try_parse_from(["sealform-server", "export", "--data-dir", "d", "--out", "o"])
                .unwrap();
        assert!(matches!(cli.command, Some(Command::Export(_))));
        assert!(
            Cli::try_parse_from(["sealform-server", "--demo", "export", "--data-dir", "d"])
                .is_err()
        );
    }
}
