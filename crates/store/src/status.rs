//! What an administrator checks of a running deployment: the schema the
//! database is at against the one this build knows, how far search is behind
//! the database, and the last backup.

use crate::{Backend, Store, StoreError};
use serde::Serialize;

/// The state of this deployment as one server sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub backend: Backend,
    /// The latest migration applied to the database.
    pub schema: i64,
    /// The latest this build knows.
    pub schema_latest: i64,
    /// This server's search index position and the change log's head.
    pub search: Option<(i64, i64)>,
    pub last_backup: Option<crate::entity::backup::Model>,
    /// Whether the database answered.
    pub database_ok: bool,
}

impl Store {
    pub async fn status(&self) -> Result<Status, StoreError> {
        Ok(Status {
            backend: self.backend(),
            schema: self.schema_version().await?,
            schema_latest: crate::migrate::LATEST,
            search: self.search_lag().await?,
            last_backup: self.last_backup().await?,
            database_ok: self.ping().await,
        })
    }
}

/// The database pool as a server sees it: connections open and idle.
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    pub open: u32,
    pub idle: u32,
}

impl Store {
    /// Found and absent lookups of each counted cache since the start.
    pub fn cache_lookups(&self) -> Vec<(&'static str, u64, u64)> {
        self.caches.lookups.read()
    }

    /// The readers' pool (SQLite) or the one pool (PostgreSQL).
    pub fn pool(&self) -> Pool {
        let db = &self.db;
        match self.backend() {
            Backend::Postgres => {
                let p = db.get_postgres_connection_pool();
                Pool {
                    open: p.size(),
                    idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
                }
            }
            Backend::Sqlite => {
                let p = db.get_sqlite_connection_pool();
                Pool {
                    open: p.size(),
                    idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
                }
            }
        }
    }
}
