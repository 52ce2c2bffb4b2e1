//! A campaign: the letter people sign and the form they fill in, read from one TOML file.
//!
//! Any group can run its own sign-on letter by writing such a file; `campaigns/open-letter.toml`
//! is the built-in one and doubles as the documented example. A file is checked completely when
//! it is loaded — TOML syntax, then every rule below — and a bad one is refused with the line
//! and the reason, so a mistake shows at start-up and never on the hot path.
//!
//! ```toml
//! id = "open-letter"                      # names the campaign in every sealed record
//! title = "…"                             # the browser tab's title
//! language = "en"                         # BCP 47 tag: the page's `lang` and the records' `lang`
//! form_title = "…"                        # optional: the form's heading
//! testimony = "harm"                      # optional: the long_text field where people share
//!                                         # what happened; the form then asks first whether
//!                                         # the person signs, signs and shares, or only shares
//! closed = false                          # true: the letter stays, the form is replaced by a
//!                                         # notice, and POST /sign answers 410
//! leave_quickly_url = "https://…"         # optional: where "Leave quickly" goes
//! public_fields = ["name"]                # may be listed publicly, but only …
//! public_consent = "consent_public"       # … when this consent box was ticked
//! letter = """
//! The letter, in Markdown. Raw HTML is shown as text; images are refused.
//! """
//!
//! [organizers]                            # optional, named on the privacy page
//! names = ["…"]
//! contact = "…"                           # optional: how to reach them
//!
//! [[support]]                             # optional, any number: shown after sending
//! name = "…"
//! reach = "…"                             # how to reach them
//! languages = "…"                         # optional
//!
//! [[fields]]                              # one table per question, in the form's order
//! name = "sign_as"                        # lowercase letters, digits and _; the element id is field-<name>
//! kind = "single_choice"                  # single_choice, multi_choice, short_text, email,
//!                                         # postal_code, long_text or consent
//! label = "Sign as"
//! help = "…"                              # optional
//! required = true                         # optional, default false
//! required_when = { field = "sign_as", equals = "organization" }   # optional
//! options = [{ value = "individual", label = "Individual" }]      # choice kinds only
//! max_length = 200                        # text kinds only; defaults per kind
//! asked = "signers"                       # with `testimony`: signers, sharers or everyone
//! autocomplete = "name"                   # short_text only: the WCAG input purpose
//!
//! [translations.fr]                       # optional, per language: any of title, form_title,
//! title = "…"                             # letter, and per field label, help and options
//! [translations.fr.fields.sign_as]
//! label = "…"
//! options = { individual = "…" }
//! ```

//!
//! The model lives here; `file.rs` reads and checks the TOML, `letter.rs` renders the letter's
//! Markdown, and [`Error`] says why a file was refused.
//!
//! This crate is the model alone: the server serves it, the key tool reads campaign files kept
//! beside the records to show answers as the form asked them. It holds no submission, and pulls
//! in no web framework, store or async runtime.

mod error;
mod file;
mod letter;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

pub use error::Error;

/// The version of a campaign file: the SHA-256 of its bytes, in lowercase hex.
fn version_of(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The name the built-in campaign's errors are reported under.
const BUILTIN_SOURCE: &str = "campaigns/open-letter.toml (built in)";
/// The built-in campaign's file lives with the server that serves it, where operators copy it
/// from to write their own.
const BUILTIN_TOML: &str = include_str!("../../server/campaigns/open-letter.toml");

/// The hidden input carrying the form token. Reserved: no question may take this name.
pub const TOKEN_FIELD: &str = "token";
/// A trap field hidden from people; bots fill it in. Reserved like [`TOKEN_FIELD`].
pub const HONEYPOT_FIELD: &str = "website";
/// The question "what do you want to do?", asked first when the campaign has a testimony field.
/// Reserved like [`TOKEN_FIELD`]; records carry it as their first field.
pub const INTENT_FIELD: &str = "intent";

/// Where "Leave quickly" goes when the campaign names no other place: a site that looks
/// ordinary in a browser's history and on a screen seen over a shoulder.
pub const DEFAULT_LEAVE_QUICKLY_URL: &str = "https://www.wikipedia.org/";

/// The largest `max_length` a field may declare, in characters. Longer answers would not fit
/// the request body limit a sane deployment sets, and nobody types more into a web form.
pub const MAX_LENGTH_LIMIT: usize = 100_000;

/// How many bytes one character can take once a browser has percent-encoded it: four UTF-8
/// bytes, each as `%XX`. A line break (counted as one character) is sent as `%0D%0A`, six.
const ENCODED_BYTES_PER_CHAR: usize = 12;

/// A campaign, checked and ready to serve. Holds no submission data.
#[derive(Debug, Clone)]
pub struct Campaign {
    id: String,
    version: String,
    /// The campaign file's text, as loaded: what organizers fetch to read records against.
    source_text: String,
    title: String,
    language: String,
    form_title: Option<String>,
    letter_html: String,
    fields: Vec<FieldSpec>,
    testimony: Option<String>,
    closed: bool,
    leave_quickly_url: String,
    organizers: Organizers,
    support: Vec<SupportResource>,
    translations: Vec<Translation>,
    public_fields: Vec<String>,
    public_consent: Option<String>,
}

/// Who runs the campaign and reads its answers, as the privacy page names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organizers {
    /// The groups or people, as they want to be named.
    #[serde(default)]
    pub names: Vec<String>,
    /// How to reach them (an address, a phone number, a Signal username…), if they give one.
    pub contact: Option<String>,
}

/// A place to turn to for help, listed after a person has sent the form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportResource {
    /// The organization or service.
    pub name: String,
    /// How to reach it, as people should read it.
    pub reach: String,
    /// The languages it works in, in words, if the campaign says.
    pub languages: Option<String>,
}

/// What a person wants to do, asked first when the campaign has a testimony field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Sign the letter.
    Sign,
    /// Sign the letter and share what happened.
    SignAndShare,
    /// Share what happened, without signing: nothing identifying is kept.
    Share,
}

/// Which people a question is asked of, when the form asks for an [`Intent`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asked {
    /// Everyone, whatever they chose.
    #[default]
    Everyone,
    /// Only people who sign.
    Signers,
    /// Only people who share what happened.
    Sharers,
}

/// The campaign's own words in another language; anything missing is shown as first written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translation {
    /// The BCP 47 tag of this translation.
    pub language: String,
    /// The browser tab's title.
    pub title: Option<String>,
    /// The form's heading.
    pub form_title: Option<String>,
    /// The letter, rendered to HTML like the original.
    pub letter_html: Option<String>,
    /// Per field name: its label, help and option labels.
    pub fields: BTreeMap<String, FieldTranslation>,
}

/// One question's words in a [`Translation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldTranslation {
    /// The question.
    pub label: Option<String>,
    /// Its explanation.
    pub help: Option<String>,
    /// Option value → its label.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The form field's name, also its element id `field-<name>` and its name in records.
    pub name: String,
    /// What kind of input it is.
    pub kind: FieldKind,
    /// The question, as the person reads it.
    pub label: String,
    /// An explanation shown under the question.
    pub help: Option<String>,
    /// Whether it must always be answered.
    pub required: bool,
    /// Whether it must be answered when another field has a given value.
    pub required_when: Option<Condition>,
    /// The choices of a single or multi choice; empty for the other kinds.
    pub options: Vec<ChoiceOption>,
    /// For text kinds, the longest answer accepted, in characters; 0 for the other kinds.
    pub max_length: usize,
    /// Who is asked this question, when the form asks for an [`Intent`].
    pub asked: Asked,
    /// The WCAG input purpose (`autocomplete`) of a short text, e.g. `name`; `None` leaves
    /// the browser's autofill off.
    pub autocomplete: Option<String>,
}

/// The kinds of question a form can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Pick one option (radio buttons).
    SingleChoice,
    /// Pick any number of options (checkboxes).
    MultiChoice,
    /// One line of text.
    ShortText,
    /// An e-mail address.
    Email,
    /// A postal code.
    PostalCode,
    /// Several paragraphs of text.
    LongText,
    /// One checkbox, off unless ticked.
    Consent,
}

/// "Required when the field `field` has the value `equals`".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The name of a single-choice field.
    pub field: String,
    /// One of that field's option values.
    pub equals: String,
}

/// One option of a choice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What the form sends and records keep; stable even when the label is reworded.
    pub value: String,
    /// What the person reads.
    pub label: String,
}

impl FieldKind {
    /// Whether the answer is typed text (as opposed to a choice or a checkbox).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Self::ShortText | Self::Email | Self::PostalCode | Self::LongText
        )
    }

    /// Whether the answer is picked from `options`.
    pub fn is_choice(self) -> bool {
        matches!(self, Self::SingleChoice | Self::MultiChoice)
    }

    /// The length limit a text field gets when its file gives none.
    fn default_max_length(self) -> usize {
        match self {
            Self::ShortText => 200,
            Self::Email => 254,
            Self::PostalCode => 16,
            Self::LongText => 20_000,
            Self::SingleChoice | Self::MultiChoice | Self::Consent => 0,
        }
    }
}

impl Intent {
    /// Every intent, in the order the form offers them.
    pub const ALL: [Intent; 3] = [Self::Sign, Self::SignAndShare, Self::Share];

    /// What the form sends and records keep.
    pub fn value(self) -> &'static str {
        match self {
            Self::Sign => "sign",
            Self::SignAndShare => "sign_and_share",
            Self::Share => "share",
        }
    }

    /// The intent whose [`Intent::value`] is `value`.
    pub fn from_value(value: &str) -> Option<Intent> {
        Self::ALL.into_iter().find(|i| i.value() == value)
    }

    /// Whether the person signs the letter (and so counts as a signature).
    pub fn signs(self) -> bool {
        matches!(self, Self::Sign | Self::SignAndShare)
    }

    /// Whether the person shares what happened.
    pub fn shares(self) -> bool {
        matches!(self, Self::SignAndShare | Self::Share)
    }
}

impl Asked {
    /// Whether a person who chose `intent` is asked.
    pub fn includes(self, intent: Intent) -> bool {
        match self {
            Self::Everyone => true,
            Self::Signers => intent.signs(),
            Self::Sharers => intent.shares(),
        }
    }
}

/// The input purposes (WCAG 2.2, 1.3.5) a short text may declare: the ones a sign-on form asks.
pub const AUTOCOMPLETE_TOKENS: [&str; 8] = [
    "name",
    "given-name",
    "family-name",
    "nickname",
    "organization",
    "organization-title",
    "tel",
    "address-level2",
];

static BUILTIN: LazyLock<Campaign> = LazyLock::new(|| {
    Campaign::from_toml(BUILTIN_SOURCE, BUILTIN_TOML)
        .unwrap_or_else(|e| panic!("the built-in campaign is invalid: {e}"))
});

impl Campaign {
    /// The seed open letter, from `campaigns/open-letter.toml`, parsed once.
    pub fn builtin() -> Campaign {
        BUILTIN.clone()
    }

    /// Reads and checks the campaign file at `path`.
    pub fn load(path: &Path) -> Result<Campaign, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::CampaignRead {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        Self::from_toml(&path.display().to_string(), &text)
    }

    /// Checks the campaign in `text`; `source` names it in errors (usually its path).
    pub fn from_toml(source: &str, text: &str) -> Result<Campaign, Error> {
        file::parse(source, text)
    }

    /// The campaign's id, written into every record.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The SHA-256 of the campaign's file, in hex, written into every record so that answers
    /// are read against the questions that were asked.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The campaign file's text, exactly as loaded; its SHA-256 is [`Campaign::version`].
    pub fn source_text(&self) -> &str {
        &self.source_text
    }

    /// The form's heading, when the campaign gives one.
    pub fn form_title(&self) -> Option<&str> {
        self.form_title.as_deref()
    }

    /// The field where people share what happened; when set, the form first asks for an
    /// [`Intent`].
    pub fn testimony(&self) -> Option<&str> {
        self.testimony.as_deref()
    }

    /// Whether the campaign no longer takes answers.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Where the "Leave quickly" link goes.
    pub fn leave_quickly_url(&self) -> &str {
        &self.leave_quickly_url
    }

    /// Who runs the campaign.
    pub fn organizers(&self) -> &Organizers {
        &self.organizers
    }

    /// Places to turn to for help.
    pub fn support(&self) -> &[SupportResource] {
        &self.support
    }

    /// The campaign's own translation into `language` (a tag such as `fr`), if it has one.
    pub fn translation(&self, language: &str) -> Option<&Translation> {
        self.translations.iter().find(|t| t.language == language)
    }

    /// Every translation the campaign carries.
    pub fn translations(&self) -> &[Translation] {
        &self.translations
    }

    /// The page's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The BCP 47 language tag of the letter and form, e.g. `en`.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The letter as HTML, rendered once at load from the campaign's Markdown; any raw HTML in
    /// the Markdown was escaped, so it is safe to insert as is.
    pub fn letter_html(&self) -> &str {
        &self.letter_html
    }

    /// The form's questions, in order.
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    /// The question called `name`.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The fields that may be published (e.g. a signatory list) when the person ticked
    /// [`Campaign::public_consent`].
    pub fn public_fields(&self) -> &[String] {
        &self.public_fields
    }

    /// The consent field that makes [`Campaign::public_fields`] publishable; `None` when the
    /// campaign publishes nothing.
    pub fn public_consent(&self) -> Option<&str> {
        self.public_consent.as_deref()
    }

    /// The largest form body a browser can send for this campaign while keeping to every
    /// `max_length`. A request body limit at least this big never refuses a valid answer.
    pub fn max_form_bytes(&self) -> usize {
        let overhead = |name: &str| name.len() + 2; // `name=` and `&`
        let fields: usize = self
            .fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::MultiChoice => f
                    .options
                    .iter()
                    .map(|o| overhead(&f.name) + o.value.len() * 3)
                    .sum(),
                FieldKind::SingleChoice => {
                    let longest = f.options.iter().map(|o| o.value.len()).max();
                    overhead(&f.name) + longest.unwrap_or(0) * 3
                }
                FieldKind::Consent => overhead(&f.name) + 2,
                _ => overhead(&f.name) + f.max_length * ENCODED_BYTES_PER_CHAR,
            })
            .sum();
        let intent = match self.testimony {
            Some(_) => overhead(INTENT_FIELD) + "sign_and_share".len(),
            None => 0,
        };
        // The token (80 hex digits) and a honeypot a person never fills.
        fields + intent + overhead(TOKEN_FIELD) + 80 + overhead(HONEYPOT_FIELD)
    }
}
