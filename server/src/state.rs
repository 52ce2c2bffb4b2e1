//! What every request shares: the configuration, the store, the form-token key and replay
//! guard, and the rate limiters. Built once at start-up; cheap to clone.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;

use seal::RecipientSetFingerprint;

use crate::Error;
use crate::campaign::Campaign;
use crate::config::Config;
use crate::gate::Gate;
use crate::pages::{BlankForm, Choice, Pages, ThanksPage};
use crate::public_list::PublicList;
use crate::rate_limit::Limiters;
use crate::store::Store;
use crate::token::{TokenKey, UsedTokens};

/// The application state handed to every handler.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    config: Config,
    store: Store,
    fingerprint: RecipientSetFingerprint,
    token_key: TokenKey,
    used_tokens: UsedTokens,
    limiters: Option<Limiters>,
    gate: Gate,
    public_list: PublicList,
    /// `GET /`'s page per language and whether a signatory list is linked, rendered once.
    blank_forms: RwLock<HashMap<(Choice, bool), Arc<BlankForm>>>,
    /// The thank-you page per language, rendered once.
    thanks_pages: RwLock<HashMap<Choice, Arc<ThanksPage>>>,
}

impl AppState {
    /// The state for a server with `config`, storing into `store`: the form-token key from
    /// [`token_key_for`], and the rest as [`AppState::with_token_key`] makes it.
    pub fn new(config: Config, store: Store) -> Result<Self, Error> {
        let token_key = token_key_for(&config)?;
        Self::with_token_key(config, store, token_key)
    }

    /// The state for a server with `config`, storing into `store`, issuing form tokens with
    /// `token_key`. Makes an empty replay guard and, unless turned off, fresh rate limiters;
    /// reads the published signatory list.
    pub fn with_token_key(
        config: Config,
        store: Store,
        token_key: TokenKey,
    ) -> Result<Self, Error> {
        let public_list = PublicList::load(&store, &config.campaign)?;
        let limiters = config
            .rate_limits
            .map(|limits| Limiters::new(&limits, &config.trusted_proxies));
        Ok(Self {
            shared: Arc::new(Shared {
                fingerprint: config.recipients.fingerprint(),
                config,
                store,
                token_key,
                used_tokens: UsedTokens::new(),
                limiters,
                gate: Gate::default(),
                public_list,
                blank_forms: RwLock::default(),
                thanks_pages: RwLock::default(),
            }),
        })
    }

    /// The organizer API's challenges and sessions.
    pub fn gate(&self) -> &Gate {
        &self.shared.gate
    }

    /// The published signatory list.
    pub fn public_list(&self) -> &PublicList {
        &self.shared.public_list
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The campaign served.
    pub fn campaign(&self) -> &Campaign {
        &self.shared.config.campaign
    }

    /// `GET /`'s blank form in `choice`, rendered on first use.
    pub fn blank_form(&self, choice: Choice, public_list: bool) -> Arc<BlankForm> {
        cached(&self.shared.blank_forms, (choice, public_list), || {
            Pages::new(self.campaign(), choice).blank_form(public_list)
        })
    }

    /// The thank-you page in `choice`, rendered on first use.
    pub fn thanks_page(&self, choice: Choice) -> Arc<ThanksPage> {
        cached(&self.shared.thanks_pages, choice, || {
            Pages::new(self.campaign(), choice).thanks_page()
        })
    }

    /// The sealed-record store.
    pub fn store(&self) -> &Store {
        &self.shared.store
    }

    /// The fingerprint of the recipient set every record is sealed to.
    pub fn fingerprint(&self) -> RecipientSetFingerprint {
        self.shared.fingerprint
    }

    /// The key that issues and checks form tokens.
    pub fn token_key(&self) -> &TokenKey {
        &self.shared.token_key
    }

    /// The tokens whose forms were already stored.
    pub fn used_tokens(&self) -> &UsedTokens {
        &self.shared.used_tokens
    }

    /// The rate limiters, unless turned off.
    pub fn limiters(&self) -> Option<&Limiters> {
        self.shared.limiters.as_ref()
    }

    /// Forgets used form tokens that have expired anyway, and rate-limit state of addresses
    /// whose quota is full again. Run periodically.
    pub fn forget_old(&self, now: SystemTime) {
        let used_tokens = &self.shared.used_tokens;
        used_tokens.prune(now, self.shared.config.token_policy.max_age);
        tracing::debug!(
            "the replay guard holds {} chunks of used forms, {} KiB",
            used_tokens.chunks(),
            used_tokens.approximate_bytes() / 1024
        );
        if let Some(limiters) = &self.shared.limiters {
            limiters.forget_idle();
            tracing::debug!(
                "rate limiter tracks {} addresses",
                limiters.tracked_addresses()
            );
        }
    }
}

/// The form-token key `config` asks for: read from its key file (made there if missing), or,
/// without one, a fresh key of this process's own.
pub fn token_key_for(config: &Config) -> Result<TokenKey, Error> {
    match &config.token_key_file {
        Some(path) => TokenKey::load_or_create(path),
        None => Ok(TokenKey::generate()),
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("campaign", &self.campaign().id())
            .field("recipients", &self.shared.fingerprint)
            .finish_non_exhaustive()
    }
}

/// The page `pages` holds under `key`, rendered with `render` and kept on first use.
fn cached<K: Eq + std::hash::Hash, P>(
    pages: &RwLock<HashMap<K, Arc<P>>>,
    key: K,
    render: impl FnOnce() -> P,
) -> Arc<P> {
    let kept = pages
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    kept.unwrap_or_else(|| {
        let rendered = Arc::new(render());
        pages
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&rendered));
        rendered
    })
}
