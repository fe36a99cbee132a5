//! A write transaction that tells this process's caches when it commits.
//!
//! Every service writes through `Store::begin_write`, which hands out a
//! [`WriteTx`]: a `DatabaseTransaction` (it derefs to one and runs statements as
//! one) whose `commit` then expires every revision this process keeps for
//! `cache::REV_TTL` — the agency directory's, the commitments board's, the
//! partners' and the activity scope change log's position — so no write path has to name the
//! caches it touched. A change made here is seen here at once, as the cache's
//! invariants promise, whichever service made it; through another process the
//! same change is seen within `REV_TTL`. Expiring costs one counter read at the
//! next request that needs it.

use crate::cache::Caches;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
};
use std::sync::Arc;

/// An open write transaction (see the module's text).
pub struct WriteTx {
    tx: DatabaseTransaction,
    caches: Arc<Caches>,
}

impl WriteTx {
    pub(crate) fn new(tx: DatabaseTransaction, caches: Arc<Caches>) -> Self {
        Self { tx, caches }
    }

    /// Commit, then expire the revisions read before it.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await?;
        self.caches.agencies_rev.expire();
        self.caches.commitments_rev.expire();
        self.caches.partners_rev.expire();
        self.caches.scope_rev.expire();
        self.caches.warnings_rev.expire();
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTx {
    fn get_database_backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.tx.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.tx.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.tx.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.tx.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.tx.support_returning()
    }
}
