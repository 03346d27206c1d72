//! copylint: a linter for the quality of scraped article text.

pub mod config;
pub mod document;
pub mod error;
pub mod fix;
pub mod linter;
pub mod packs;
pub mod rules;
