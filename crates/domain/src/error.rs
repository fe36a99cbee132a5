//! Bilingual messages and field-level validation errors.
//!
//! Every message a user can read is written once in Vietnamese and once in English
//! at the place the rule lives, so no layer above has to invent wording.

use serde::Serialize;
use std::collections::BTreeMap;

/// A message in both languages of the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

impl Msg {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The message in the requested language (`"en"`, anything else is Vietnamese).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.vi }
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.vi, self.en)
    }
}

/// Validation failures keyed by the input field they concern.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub BTreeMap<String, Msg>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.entry(field.to_string()).or_insert(msg);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.get(field)
    }

    /// `Ok(value)` when nothing was recorded, the errors otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: &str, msg: Msg) -> Self {
        let mut e = Self::new();
        e.add(field, msg);
        e
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.en))
            .collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Common wording, so the same rule reads the same everywhere.
pub mod msgs {
    use super::Msg;

    pub fn required() -> Msg {
        Msg::new("Trường này bắt buộc.", "This field is required.")
    }
    pub fn too_long(max: usize) -> Msg {
        Msg::new(
            format!("Tối đa {max} ký tự."),
            format!("At most {max} characters."),
        )
    }
    pub fn invalid_choice() -> Msg {
        Msg::new(
            "Giá trị không hợp lệ: hãy chọn trong danh sách.",
            "Invalid value: choose one from the list.",
        )
    }
}
