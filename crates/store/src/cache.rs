//! What the hot path keeps in memory, and how it stays true.
//!
//! - **The agency directory** (every live agency, sorted by name, with the graph
//!   the access rules walk) is a snapshot at one value of `counters.agencies_rev`,
//!   which every agency change bumps in its transaction.
//! - **The revision** is re-read from the database at most every `REV_TTL`; a
//!   change made through this process expires it at once, so it is seen at once
//!   here and within `REV_TTL` through any other process on the same database.
//! - **Sessions and tokens** are kept for `AUTH_TTL`; this process purges them at
//!   once on sign-out, revocation and every change to the user.

use crate::entity::{agency, user};
use kieng_domain::{Actor, AgencyGraph};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const REV_TTL: Duration = Duration::from_millis(250);
pub const AUTH_TTL: Duration = Duration::from_secs(1);
const AUTH_MAX: usize = 100_000;

/// The live agencies at one revision.
pub struct Directory {
    pub rev: i64,
    /// Sorted by (name_fold, id): the directory's order.
    pub rows: Vec<agency::Model>,
    pub by_id: HashMap<Uuid, usize>,
    pub graph: Arc<AgencyGraph>,
}

/// A signed-in principal as cached: the user and the actor computed at `rev`.
#[derive(Clone)]
pub struct CachedAuth {
    pub loaded: Instant,
    pub user: user::Model,
    pub csrf: Option<String>,
    pub actor: Actor,
    pub rev: i64,
}

#[derive(Default)]
pub struct Caches {
    pub directory: RwLock<Option<Arc<Directory>>>,
    /// Held while one request reloads the directory, so a cold start or a change
    /// under load reloads once, not once per waiting request.
    pub directory_load: tokio::sync::Mutex<()>,
    /// (revision, when it was read); `None` forces a read.
    pub rev: Mutex<Option<(i64, Instant)>>,
    /// Keyed by the digest of the session cookie or bearer token.
    pub auth: Mutex<HashMap<String, CachedAuth>>,
}

impl Caches {
    pub fn fresh_rev(&self) -> Option<i64> {
        let guard = self.rev.lock().ok()?;
        guard
            .filter(|(_, at)| at.elapsed() < REV_TTL)
            .map(|(r, _)| r)
    }

    pub fn note_rev(&self, rev: i64) {
        if let Ok(mut g) = self.rev.lock() {
            *g = Some((rev, Instant::now()));
        }
    }

    /// After this process changed an agency: the next read goes to the database.
    pub fn expire_rev(&self) {
        if let Ok(mut g) = self.rev.lock() {
            *g = None;
        }
    }

    pub fn auth_get(&self, key: &str) -> Option<CachedAuth> {
        let g = self.auth.lock().ok()?;
        g.get(key)
            .filter(|c| c.loaded.elapsed() < AUTH_TTL)
            .cloned()
    }

    pub fn auth_put(&self, key: String, entry: CachedAuth) {
        if let Ok(mut g) = self.auth.lock() {
            if g.len() >= AUTH_MAX {
                g.retain(|_, c| c.loaded.elapsed() < AUTH_TTL);
                if g.len() >= AUTH_MAX {
                    g.clear();
                }
            }
            g.insert(key, entry);
        }
    }

    pub fn auth_forget(&self, key: &str) {
        if let Ok(mut g) = self.auth.lock() {
            g.remove(key);
        }
    }

    /// Forget every cached session and token of a user (disabled, role changed…).
    pub fn auth_forget_user(&self, user_id: Uuid) {
        if let Ok(mut g) = self.auth.lock() {
            g.retain(|_, c| c.user.id != user_id);
        }
    }
}
