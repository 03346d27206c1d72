//! copylint: a linter for the quality of scraped article text.

pub mod document;
pub mod error;
pub mod fix;
pub mod packs;
pub mod rules;
