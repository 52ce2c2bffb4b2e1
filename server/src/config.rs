//! The server's configuration, parsed and checked once at start-up from [`Settings`]:
//! recipients as parsed keys, the campaign loaded, limits as typed values. Nothing here is
//! looked at again on the hot path.

use std::fs;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use seal::RecipientSet;
use zeroize::Zeroizing;

use crate::Error;
use crate::campaign::Campaign;
use crate::demo::Demo;
use crate::rate_limit::RateLimits;
use crate::settings::{ServeArgs, Settings};
use crate::token::TokenPolicy;

/// What the example configuration files carry instead of a key: refused, with how to make one.
pub const PLACEHOLDER_RECIPIENT: &str = "age1-replace-with-your-organizers-public-keys";

/// Public keys printed in documentation, whose secret keys are printed there too: sealing to
/// one of them is publishing. The first two are the examples of age's own README.
const PUBLISHED_KEYS: &[&str] = &[
    "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
    "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg",
];

/// The smallest default body limit, in bytes; a campaign with longer answers raises it.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;
/// How long a client may take to send its request headers (also closes idle connections).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at once; the accept loop waits when this many are open.
pub const MAX_CONNECTIONS: usize = 1024;

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
    /// Free bytes the data folder's file system keeps in reserve; below it nothing is stored.
    pub disk_reserve_bytes: u64,
    /// Open connections one client may hold; `None` when rate limits are off.
    pub max_conns_per_client: Option<usize>,
    /// The onion listener's address, if there is one.
    pub onion_listen: Option<SocketAddr>,
    /// The site's onion address (`….onion`), for the `Onion-Location` header.
    pub onion_address: Option<String>,
    /// Records older than this many days are deleted from the host; `None` keeps them.
    pub delete_after_days: Option<u32>,
    /// The file the form-token key is read from (made if missing), shared by every instance of
    /// the site; `None` for a fresh key at every start.
    pub token_key_file: Option<PathBuf>,
}

impl Config {
    /// Resolves the settings (flags and variables over the config file over the defaults),
    /// loads the recipients and the campaign, and checks everything. In demo mode the demo's
    /// key and folder are used, and configured ones are refused rather than silently mixed in.
    pub fn from_args(args: &ServeArgs, demo: Option<&Demo>) -> Result<Config, Error> {
        let settings = args.resolve()?;
        let origin = if args.recipients_from_file() {
            "recipients in the config file"
        } else {
            "--recipient"
        };
        Self::check(settings, origin, demo)
    }

    /// Checks resolved settings; `recipients_origin` names where `settings.recipients` came
    /// from in errors.
    fn check(
        settings: Settings,
        recipients_origin: &str,
        demo: Option<&Demo>,
    ) -> Result<Config, Error> {
        let mut keys: Vec<(String, Zeroizing<String>)> = settings
            .recipients
            .into_iter()
            .map(|key| (recipients_origin.to_owned(), Zeroizing::new(key)))
            .collect();
        if let Some(path) = &settings.recipients_file {
            keys.extend(read_recipients_file(path)?);
        }

        let (recipients, data_dir) = match demo {
            Some(demo) => {
                if !keys.is_empty()
                    || settings.recipients_file.is_some()
                    || settings.data_dir.is_some()
                {
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
                settings.data_dir.ok_or_else(|| {
                    Error::Config(
                        "no data folder: start with --data-dir DIR \
                         (or data_dir in the config file, or SEALFORM_DATA_DIR)"
                            .into(),
                    )
                })?,
            ),
        };

        let campaign = match &settings.campaign {
            Some(path) => Campaign::load(path)?,
            None => Campaign::builtin(),
        };

        let body_limit = match settings.body_limit {
            Some(limit) => limit.get(),
            // Never refuse an answer the campaign itself allows.
            None => DEFAULT_BODY_LIMIT.max(campaign.max_form_bytes()),
        };

        let rate_limits = (!settings.no_rate_limit).then(|| RateLimits {
            burst: settings.rate_burst,
            refill: Duration::from_secs(settings.rate_refill_secs.get()),
            global_burst: settings.global_rate_burst,
            global_per_sec: settings.global_rate_per_sec,
        });

        Ok(Config {
            listen: settings.listen,
            data_dir,
            recipients,
            campaign,
            rate_limits,
            trusted_proxies: settings.trusted_proxies,
            body_limit,
            token_policy: TokenPolicy {
                min_age: Duration::from_secs(settings.min_form_secs),
                ..TokenPolicy::default()
            },
            tls_served: settings.tls_served,
            request_timeout: Duration::from_secs(settings.request_timeout_secs.get()),
            max_in_flight: settings.max_in_flight.get(),
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            disk_reserve_bytes: settings.disk_reserve_mib.saturating_mul(1024 * 1024),
            max_conns_per_client: (!settings.no_rate_limit)
                .then_some(settings.max_conns_per_client.get()),
            onion_listen: settings.onion_listen,
            onion_address: settings
                .onion_address
                .as_deref()
                .map(check_onion_address)
                .transpose()?,
            delete_after_days: settings.delete_after_days.map(NonZeroU32::get),
            token_key_file: settings.token_key_file,
        })
    }
}

/// A v3 onion address: 56 base32 characters and `.onion`, any case; returned in lowercase.
fn check_onion_address(name: &str) -> Result<String, Error> {
    let lower = name.trim().to_ascii_lowercase();
    let valid = lower.strip_suffix(".onion").is_some_and(|label| {
        label.len() == 56
            && label
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7'))
    });
    if valid {
        Ok(lower)
    } else {
        Err(Error::Config(format!(
            "--onion-address \"{}\" is not a v3 onion address (56 letters and digits 2-7, \
             then .onion): copy it from the hostname file in the onion service's folder",
            name.escape_debug()
        )))
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
        if key.trim() == PLACEHOLDER_RECIPIENT {
            return Err(Error::Recipient {
                origin: origin.clone(),
                reason: "this is the example's placeholder, not a key\n\
                         each organizer makes a key with `sealform-keytool keygen --out \
                         organizer.key` on a computer they trust and sends you the age1… line \
                         it prints: put those lines here"
                    .into(),
            });
        }
        if PUBLISHED_KEYS.contains(&key.trim()) {
            return Err(Error::Recipient {
                origin: origin.clone(),
                reason: "this public key is an example printed in documentation, and its \
                         secret key is printed there too: anything sealed to it could be read \
                         by anyone\nmake a real key with `sealform-keytool keygen`"
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
    use crate::settings::{Cli, Command};
    use age::x25519;

    fn public_key() -> String {
        x25519::Identity::generate().to_public().to_string()
    }

    fn parse(args: &[&str]) -> Parsed {
        let mut argv = vec!["sealform-server"];
        argv.extend_from_slice(args);
        Parsed(Cli::try_parse_args(argv).unwrap().serve)
    }

    /// Parsed arguments, checked the way `main` checks them.
    struct Parsed(ServeArgs);

    impl Parsed {
        fn into_config(self, demo: Option<&Demo>) -> Result<Config, Error> {
            Config::from_args(&self.0, demo)
        }
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
        assert_eq!(limits.global_burst.get(), 1000);
        assert_eq!(limits.global_per_sec.get(), 500);
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
                 trusted_proxies = [\"10.0.0.1\"]\ntoken_key_file = \"token.key\"\n"
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
            from_file.token_key_file,
            Some(dir.path().join("token.key")),
            "relative to the config file"
        );
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
        assert!(Cli::try_parse_args(&argv).is_err());
        argv[1] = "--rate-refill-secs";
        assert!(Cli::try_parse_args(&argv).is_err());
    }

    #[test]
    fn export_takes_its_own_flags_only() {
        let cli =
            Cli::try_parse_args(["sealform-server", "export", "--data-dir", "d", "--out", "o"])
                .unwrap();
        assert!(matches!(cli.command, Some(Command::Export(_))));
        assert!(
            Cli::try_parse_args(["sealform-server", "--demo", "export", "--data-dir", "d"])
                .is_err()
        );
    }
}
