//! What a person sent: [`FormInput::parse`] decodes the form body (or says what is wrong
//! with it, a [`FormProblem`], → 400), then [`validate`] checks it against the campaign into a
//! [`seal::Submission`] (or a list of [`FieldProblem`]s, → 422, with every answer kept).
//!
//! Both return typed problems; only the pages turn them into words, in the reader's language.

mod decode;
mod validate;

pub use decode::{FormInput, FormProblem};
pub use validate::{AnswerProblem, FieldProblem, is_signature, validate};
