//! sealform's web service: serves a campaign's letter and form, seals every submission to the
//! organizers' age public keys before anything touches disk, and stores only ciphertext.
//!
//! Data flows one way: form bytes → [`form::FormInput`] → validated [`seal::Submission`] →
//! sealed record → [`store::Store`] (durable) → thank-you page.

pub mod campaign;
pub mod error;
pub mod form;
pub mod pages;
pub mod store;
pub mod token;

pub use error::Error;
