//! The submission flow, with no HTTP in it: form bytes in, an [`Outcome`] out.
//!
//! decode → trap → token and answers (checked together, so the person fixes everything at
//! once) → claim the token (a double click is thanked again; the same token with changed
//! answers is not stored) → seal → store durably → thank. Nothing here logs, or puts into an
//! error, anything a person typed.

use std::time::SystemTime;

use seal::{Day, Submission};

use crate::Error;
use crate::form::{self, FieldProblem, FormInput, FormProblem};
use crate::receipt::Receipt;
use crate::state::AppState;
use crate::store::{Beside, Counted, IfNotStored, week_of};
use crate::token::{Claim, TokenId, TokenProblem};

/// What became of a form that could be read.
#[derive(Debug)]
pub enum Outcome {
    /// Sealed and on disk: thank the person, and give them their withdrawal receipt.
    Stored(Receipt),
    /// The same form (its token) was already stored — a double click, a reload: thank again,
    /// with the same receipt, and store nothing.
    AlreadyStored(Receipt),
    /// The trap field was filled: answer as if stored, store nothing.
    Trapped,
    /// Something needs the person's attention: show the form again with every answer.
    Retry(Retry),
    /// The disk is nearly full: nothing was stored and the token was not used. Show the answers
    /// again, to send once there is room.
    ShortOfSpace(FormInput),
    /// The form's token was already used with other answers: the earlier ones were stored,
    /// these were not. Show them again with a fresh token; sending again adds a submission.
    ResentWithOtherAnswers(FormInput),
    /// The store could not save durably: nothing was acknowledged and the token was released.
    /// Show the answers again, to send in a minute.
    NotSaved(FormInput),
}

/// The form to show again, with what is wrong with it.
#[derive(Debug)]
pub struct Retry {
    /// Everything the person sent, to put back into the form.
    pub input: FormInput,
    /// The answers that need attention.
    pub problems: Vec<FieldProblem>,
    /// Why the form's token was refused, if it was.
    pub token_problem: Option<TokenProblem>,
}

impl Retry {
    /// The token to put into the form again. A token that is only too young stays: its age
    /// keeps counting from when the form was first served, so "send again in a moment" works
    /// on the next press. Any other problem needs a fresh token (`None`).
    pub fn token_to_keep(&self) -> Option<&str> {
        match self.token_problem {
            Some(TokenProblem::TooYoung { .. }) => self.input.token(),
            _ => None,
        }
    }
}

/// Why a form was not stored, when the person cannot fix it in the form.
#[derive(Debug)]
pub enum SubmitError {
    /// The body is not a form this campaign's page sends.
    BadForm(FormProblem),
    /// The sealed record is larger than the store takes; nothing was stored.
    TooLarge,
    /// Sealing failed; nothing was stored.
    Seal,
}

/// Takes one form body through the whole flow; answers once the record is on disk.
pub async fn submit(
    state: &AppState,
    body: &[u8],
    now: SystemTime,
) -> Result<Outcome, SubmitError> {
    match check(state, body, now)? {
        Checked::Trap => Ok(Outcome::Trapped),
        Checked::Retry(retry) => Ok(Outcome::Retry(retry)),
        Checked::Ready {
            input,
            submission,
            token,
        } => {
            if short_of_space(state) {
                return Ok(Outcome::ShortOfSpace(input));
            }
            let answers = state.token_key().digest_answers(&submission);
            let receipt = state.token_key().receipt_for(&token);
            match state.used_tokens().claim(token, answers) {
                Claim::Fresh => {
                    let beside = Beside {
                        recipients: state.fingerprint(),
                        counted: match form::is_signature(&submission) {
                            true => Counted::AsSignature,
                            false => Counted::NotAsSignature,
                        },
                        receipt: Some(receipt.sha256()),
                        week: week_of(now),
                    };
                    let submission = submission.with_receipt(hex::encode(receipt.sha256()));
                    match store(state, submission, beside, token).await {
                        Err(NotSaved) => Ok(Outcome::NotSaved(input)),
                        Ok(Saved) => Ok(Outcome::Stored(receipt)),
                        Err(Refused(error)) => Err(error),
                    }
                }
                Claim::SameAnswers => Ok(Outcome::AlreadyStored(receipt)),
                Claim::OtherAnswers => Ok(Outcome::ResentWithOtherAnswers(input)),
            }
        }
    }
}

/// What a readable form turned out to be.
enum Checked {
    Trap,
    Retry(Retry),
    Ready {
        input: FormInput,
        submission: Submission,
        token: TokenId,
    },
}

/// Decode, then the trap, then the token and the answers.
fn check(state: &AppState, body: &[u8], now: SystemTime) -> Result<Checked, SubmitError> {
    let campaign = state.campaign();
    let input = FormInput::parse(body, campaign).map_err(SubmitError::BadForm)?;
    if input.honeypot_filled() {
        return Ok(Checked::Trap);
    }
    let token = match input.token() {
        Some(token) => state
            .token_key()
            .verify(token, now, &state.config().token_policy),
        None => Err(TokenProblem::Missing),
    };
    Ok(
        match (token, form::validate(&input, campaign, Day::of(now))) {
            (Ok(token), Ok(submission)) => Checked::Ready {
                input,
                submission,
                token,
            },
            (token, answers) => Checked::Retry(Retry {
                problems: answers.err().unwrap_or_default(),
                token_problem: token.err(),
                input,
            }),
        },
    )
}

/// Whether free disk space is below the configured reserve. Checked before every store, so a
/// full disk never leaves half a record, and signing resumes by itself once space returns.
pub fn short_of_space(state: &AppState) -> bool {
    match state.store().free_bytes() {
        Ok(free) => free < state.config().disk_reserve_bytes,
        Err(error) => {
            tracing::warn!("cannot read the free disk space: {error}");
            false
        }
    }
}

/// A sealed record on disk.
struct Saved;

/// Why a record was not stored.
enum NotStored {
    /// The store failed; the same form can be sent again.
    NotSaved,
    /// The form cannot be stored as it is.
    Refused(SubmitError),
}
use NotStored::{NotSaved, Refused};

/// Seals and stores a form whose token was just claimed. If saving fails the token is
/// released, so the person can go back and send the very same form again.
async fn store(
    state: &AppState,
    submission: Submission,
    beside: Beside,
    token: TokenId,
) -> Result<Saved, NotStored> {
    // The release travels with the record: if the request is cut short (a timeout, the client
    // leaving), the record is still stored or the token released, never neither.
    let releasing = state.clone();
    let release = IfNotStored::new(move || releasing.used_tokens().release(token));
    match seal_and_store(state, submission, beside, release).await {
        Ok(()) => Ok(Saved),
        Err(error @ Error::RecordTooLarge { .. }) => {
            tracing::warn!("submission not saved: {error}");
            Err(Refused(SubmitError::TooLarge))
        }
        Err(error @ Error::Seal(_)) => {
            tracing::error!("submission not saved: {error}");
            Err(Refused(SubmitError::Seal))
        }
        Err(error) => {
            tracing::error!("submission not saved: {error}");
            Err(NotSaved)
        }
    }
}

/// Seals, then stores; returns once the record is on disk. Sealing runs right here on the
/// runtime's worker: it takes a fraction of a millisecond per recipient (one X25519 agreement
/// each, and ChaCha20 over a few KiB), less than handing it to another thread and back costs.
async fn seal_and_store(
    state: &AppState,
    submission: Submission,
    beside: Beside,
    if_not_stored: IfNotStored,
) -> Result<(), Error> {
    let record = seal::seal(&submission, &state.config().recipients)
        .map_err(|e| Error::Seal(e.to_string()))?;
    drop(submission);
    state
        .store()
        .put_or_undo(record, beside, if_not_stored)
        .await
        .map(drop)
}
