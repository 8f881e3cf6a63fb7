//! aiact: an offline assessment of where people who build and share AI
//! components stand under a body of rules declared as questionnaire content.
//!
//! Data flows one way: RON file → [`questionnaire`] (parsed and validated) →
//! answers → [`engine`] (path, outcomes, reasons) → [`report`] or the terminal
//! interface. Only the edges touch I/O.

pub mod answers;
pub mod assessment;
pub mod cli;
pub mod engine;
pub mod env;
pub mod error;
pub mod markup;
pub mod messages;
pub mod prefill;
pub mod questionnaire;
pub mod report;
pub mod scenario;
pub mod session;
pub mod synth;
pub mod text;
pub mod tui;

pub use error::{Error, Result};

/// Parses an assessment date given as `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date> {
    jiff::civil::Date::strptime("%Y-%m-%d", text.trim()).map_err(|_| {
        Error::Input(format!(
            "\"{}\" is not a date; write it as YYYY-MM-DD, for example 2026-11-26",
            text::printable_line(text)
        ))
    })
}
