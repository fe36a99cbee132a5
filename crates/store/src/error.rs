//! The store's error type: what went wrong, in terms the web layer maps to a
//! status once. Database details are logged, never shown to users.

use kieng_domain::{FieldErrors, Msg};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Bad input: which fields, and what to fix (422).
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// The record does not exist, or the actor may not know it exists (404).
    #[error("not found")]
    NotFound,
    /// The actor sees the record but may not do this (403).
    #[error("forbidden: {0}")]
    Forbidden(Msg),
    /// The record changed since the actor loaded it (409); `current` is what it is now.
    #[error("stale edit: the record changed (now version {current_version})")]
    Conflict {
        current_version: i32,
        current: serde_json::Value,
    },
    /// A record with the same name exists (409); `candidates` lists them to offer instead.
    #[error("possible duplicate")]
    Duplicate { candidates: serde_json::Value },
    /// Too many failed sign-ins (429).
    #[error("too many attempts")]
    Throttled(Msg),
    /// Wrong credentials (401).
    #[error("unauthenticated: {0}")]
    Unauthenticated(Msg),
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

impl StoreError {
    pub fn forbidden() -> Self {
        Self::Forbidden(Msg::new(
            "Bạn không có quyền thực hiện thao tác này.",
            "You do not have permission to do this.",
        ))
    }
}
