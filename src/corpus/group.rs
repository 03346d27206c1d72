//! Which group (site) a document belongs to, for `site-boilerplate`: the host of its
//! record's URL, a record field, or its file's directory (`--group-by`).

use std::path::Path;
use std::str::FromStr;

use crate::document::Document;

/// `--group-by`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// The host of the record's `url` field when it has one, else the file's directory.
    #[default]
    Auto,
    /// The host of the URL in this record field; records without one are in no group.
    Url(String),
    /// The value of this record field, as it is; records without one are in no group.
    Field(String),
    /// The directory of the file (of the JSONL file, for records).
    Directory,
    /// The whole corpus is one group.
    None,
}

impl FromStr for GroupBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let field = |name: &str| {
            if name.is_empty() {
                Err(format!("`{s}` needs a field name after the colon"))
            } else {
                Ok(name.to_owned())
            }
        };
        match s {
            "auto" => Ok(GroupBy::Auto),
            "url" => Ok(GroupBy::Url("url".into())),
            "directory" | "dir" => Ok(GroupBy::Directory),
            "none" => Ok(GroupBy::None),
            _ => {
                if let Some(name) = s.strip_prefix("url:") {
                    Ok(GroupBy::Url(field(name)?))
                } else if let Some(name) = s.strip_prefix("field:") {
                    Ok(GroupBy::Field(field(name)?))
                } else {
                    Err(format!(
                        "unknown grouping `{s}`: use auto, url, url:FIELD, field:FIELD, directory or none"
                    ))
                }
            }
        }
    }
}

impl GroupBy {
    /// The record field the JSONL reader must keep for this grouping.
    pub fn record_field(&self) -> Option<&str> {
        match self {
            GroupBy::Auto => Some("url"),
            GroupBy::Url(f) | GroupBy::Field(f) => Some(f),
            GroupBy::Directory | GroupBy::None => None,
        }
    }

    /// The document's group; `None` when it has none (no URL under `url`).
    pub fn group_of(&self, doc: &Document) -> Option<String> {
        match self {
            GroupBy::Auto => doc
                .record_group()
                .and_then(url_host)
                .or_else(|| Some(directory(doc.name()))),
            GroupBy::Url(_) => doc.record_group().and_then(url_host),
            GroupBy::Field(_) => doc
                .record_group()
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned),
            GroupBy::Directory => Some(directory(doc.name())),
            GroupBy::None => Some(String::new()),
        }
    }
}

/// The directory of a file as reports name it: `site/a.html` → `site`, `a.html` → `.`.
fn directory(name: &str) -> String {
    match Path::new(name).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.display().to_string(),
        _ => ".".to_owned(),
    }
}

/// The host of a URL, lowercased, without a port, a trailing dot or a leading `www.`;
/// for a Wayback Machine capture (`web.archive.org/web/<time>/<url>`), the host of the
/// captured URL. `None` when the text has no host.
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i)
            if i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            &url[i + 3..]
        }
        _ => url.strip_prefix("//")?,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.is_empty() {
        return None;
    }
    if host == "web.archive.org"
        && let Some(capture) = path.strip_prefix("/web/")
        && let Some((_, original)) = capture.split_once('/')
    {
        let original = if original.contains("://") {
            original.to_owned()
        } else {
            format!("http://{original}")
        };
        if let Some(inner) = url_host(&original) {
            return Some(inner);
        }
    }
    Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_drop_scheme_port_credentials_and_www() {
        let host = |u: &str| url_host(u);
        assert_eq!(
            host("https://www.Example.com:8080/a?b#c").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host("http://user:pw@news.site.org./x").as_deref(),
            Some("news.site.org")
        );
        assert_eq!(host("//cdn.site.org/x").as_deref(), Some("cdn.site.org"));
        assert_eq!(host("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host("not a url"), None);
        assert_eq!(host("mailto:a@b.c"), None);
        assert_eq!(host("https:///path"), None);
        assert_eq!(host(""), None);
    }

    #[test]
    fn wayback_captures_belong_to_the_captured_site() {
        assert_eq!(
            url_host("https://web.archive.org/web/20190101000000/https://www.dw.com/en/a")
                .as_deref(),
            Some("dw.com")
        );
        assert_eq!(
            url_host("http://web.archive.org/web/2019/zeit.de/x").as_deref(),
            Some("zeit.de")
        );
        assert_eq!(
            url_host("https://web.archive.org/about").as_deref(),
            Some("web.archive.org")
        );
    }

    #[test]
    fn groupings_parse_and_name_their_field() {
        assert_eq!("auto".parse(), Ok(GroupBy::Auto));
        assert_eq!("url".parse(), Ok(GroupBy::Url("url".into())));
        assert_eq!("url:link".parse(), Ok(GroupBy::Url("link".into())));
        assert_eq!("field:domain".parse(), Ok(GroupBy::Field("domain".into())));
        assert_eq!("directory".parse(), Ok(GroupBy::Directory));
        assert!("field:".parse::<GroupBy>().is_err());
        assert!(
            "host"
                .parse::<GroupBy>()
                .unwrap_err()
                .contains("unknown grouping")
        );
        assert_eq!(GroupBy::Directory.record_field(), None);
    }

    #[test]
    fn files_group_by_their_directory() {
        let doc = Document::from_text("site/news/a.txt", "x");
        assert_eq!(GroupBy::Auto.group_of(&doc).as_deref(), Some("site/news"));
        let doc = Document::from_text("a.txt", "x");
        assert_eq!(GroupBy::Directory.group_of(&doc).as_deref(), Some("."));
        assert_eq!(GroupBy::Url("url".into()).group_of(&doc), None);
        assert_eq!(GroupBy::None.group_of(&doc).as_deref(), Some(""));
    }
}
