//! Per-rule options from the config (`[rules.NAME]` tables), deserialized with serde so
//! that every error points at the key that caused it.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use toml::Spanned;

/// The option keys and values of one rule's config table (without `severity`), each
/// with its byte range in the config file.
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    entries: Vec<(Spanned<String>, Spanned<toml::Value>)>,
}

/// A rule option that could not be used; `span` is the key or value in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// Options for a rule that has none: any key is an error.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

impl RuleOptions {
    pub fn new(entries: Vec<(Spanned<String>, Spanned<toml::Value>)>) -> Self {
        RuleOptions { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Deserializes the options into `T`; on failure, names the offending key's span.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, OptionError> {
        let failed_at = Cell::new(None);
        let de = TableDeserializer {
            entries: &self.entries,
            failed_at: &failed_at,
        };
        T::deserialize(de).map_err(|e| OptionError {
            message: e.0,
            span: failed_at.take(),
        })
    }
}

#[derive(Debug)]
struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

struct TableDeserializer<'a> {
    entries: &'a [(Spanned<String>, Spanned<toml::Value>)],
    failed_at: &'a Cell<Option<Range<usize>>>,
}

impl<'de> de::Deserializer<'de> for TableDeserializer<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(Entries {
            entries: self.entries.iter(),
            current: None,
            failed_at: self.failed_at,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Entries<'a, I> {
    entries: I,
    current: Option<&'a Spanned<toml::Value>>,
    failed_at: &'a Cell<Option<Range<usize>>>,
}

impl<'de, 'a, I> MapAccess<'de> for Entries<'a, I>
where
    I: Iterator<Item = &'a (Spanned<String>, Spanned<toml::Value>)>,
{
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some(value);
        let de: de::value::StrDeserializer<'_, DeError> =
            key.get_ref().as_str().into_deserializer();
        seed.deserialize(de)
            .map(Some)
            .inspect_err(|_| self.failed_at.set(Some(key.span())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some(value) = self.current.take() else {
            return Err(DeError("option value without a key".into()));
        };
        seed.deserialize(value.get_ref().clone()).map_err(|e| {
            self.failed_at.set(Some(value.span()));
            DeError(e.message().to_owned())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
    struct Opts {
        min_words: usize,
        allow: Vec<String>,
    }

    fn options(src: &str) -> RuleOptions {
        let table: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>> =
            toml::from_str(src).unwrap();
        RuleOptions::new(table.into_iter().collect())
    }

    #[test]
    fn options_deserialize_with_kebab_case_keys() {
        let opts: Opts = options("min-words = 4\nallow = [\"iPhone\"]")
            .parse()
            .unwrap();
        assert_eq!(
            opts,
            Opts {
                min_words: 4,
                allow: vec!["iPhone".into()]
            }
        );
    }

    #[test]
    fn an_unknown_key_points_at_the_key() {
        let src = "min-words = 4\nmin-wrds = 5";
        let err = options(src).parse::<Opts>().unwrap_err();
        assert!(
            err.message.contains("unknown field `min-wrds`"),
            "{}",
            err.message
        );
        assert_eq!(&src[err.span.unwrap()], "min-wrds");
    }

    #[test]
    fn a_wrong_type_points_at_the_value() {
        let src = "min-words = \"four\"";
        let err = options(src).parse::<Opts>().unwrap_err();
        assert_eq!(&src[err.span.unwrap()], "\"four\"");
    }

    #[test]
    fn a_rule_without_options_rejects_any_key() {
        let err = options("x = 1").parse::<NoOptions>().unwrap_err();
        assert!(err.message.contains("unknown field `x`"));
    }
}
