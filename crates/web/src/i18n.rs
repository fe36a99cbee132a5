//! Interface wording in Vietnamese (the default) and English, from one file
//! (`messages.toml`) where each key carries both languages side by side.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Self {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

#[derive(Deserialize)]
struct Entry {
    vi: String,
    en: String,
}

static MESSAGES: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    toml::from_str::<HashMap<String, Entry>>(include_str!("../messages.toml")).unwrap_or_else(|e| {
        tracing::error!("messages.toml does not parse: {e}");
        HashMap::new()
    })
});

/// Look a key up; an unknown key shows itself (and a test keeps that from shipping).
pub fn t(lang: Lang, key: &str) -> &str {
    match MESSAGES.get(key) {
        Some(e) => match lang {
            Lang::Vi => &e.vi,
            Lang::En => &e.en,
        },
        None => key,
    }
}

pub fn has_key(key: &str) -> bool {
    MESSAGES.contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_parses_and_every_entry_has_both_languages() {
        let raw: HashMap<String, toml::Value> =
            toml::from_str(include_str!("../messages.toml")).unwrap();
        assert_eq!(raw.len(), MESSAGES.len(), "an entry lacks vi or en");
        for (k, e) in MESSAGES.iter() {
            assert!(!e.vi.trim().is_empty() && !e.en.trim().is_empty(), "{k}");
        }
    }

    /// Every `t("…")` in a template or in the code names a key of the file.
    #[test]
    fn every_key_used_exists() {
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/ui", "src/api"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(path).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if key.contains('.') && !has_key(key) && !key.contains(' ') {
                        missing.push(format!("{}: {key}", p.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from messages.toml: {missing:#?}"
        );
    }
}
