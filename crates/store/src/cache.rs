//! What the hot path keeps in memory, and how it stays true.
//!
//! - **The agency directory** (every live agency, sorted by name, with the graph
//!   the access rules walk) is a snapshot at one value of `counters.agencies_rev`,
//!   which every agency change bumps in its transaction.
//! - **The revision** is re-read from the database at most every `REV_TTL`; a
//!   change made through this process expires it at once, so it is seen at once
//!   here and within `REV_TTL` through any other process on the same database.
//! - **The commitments board's grouped counts** (totals, by owner, by partner)
//!   are kept per reader scope (read agencies and clearance) and day, at one
//!   value of `counters.commitments_rev`, which every commitment change bumps in
//!   its transaction; the same `REV_TTL` applies. The board's rows are always
//!   read live.
//! - **Sessions and tokens** are kept for `AUTH_TTL`; this process purges them at
//!   once on sign-out, revocation and every change to the user.
//! - **Activity list pages** (the rows and capped total of one filter for one
//!   reader scope and clearance) are kept at one position of the search change
//!   log, which the database's own triggers move on with every committed change
//!   to activities, their agencies, people and partner links (and to the other
//!   searchable tables). The position is read before every list — one indexed
//!   `MAX` — and a page kept at another position is read again, so a list is
//!   never older than the last committed change, in this process or any other.
//!   Bounded by `LISTS_MAX` pages and `LISTS_BYTES` of rows; the least recently
//!   used go first.
//! - **Activity types** are kept for `TYPES_TTL` (a type an administrator adds
//!   shows in other processes' menus within it; in this one at once).

use crate::activities::{ActivityFilter, ActivityRow};
use crate::entity::{activity, activity_type, agency, user};
use kieng_domain::{Actor, AgencyGraph};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const REV_TTL: Duration = Duration::from_millis(250);
pub const AUTH_TTL: Duration = Duration::from_secs(1);
const AUTH_MAX: usize = 100_000;
pub const TYPES_TTL: Duration = Duration::from_secs(1);
const LISTS_MAX: usize = 512;
const LISTS_BYTES: usize = 8 << 20;

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

/// A revision counter as last read, and when.
#[derive(Default)]
pub struct Rev(Mutex<Option<(i64, Instant)>>);

impl Rev {
    /// The revision, if read less than `REV_TTL` ago.
    pub fn fresh(&self) -> Option<i64> {
        let guard = self.0.lock().ok()?;
        guard
            .filter(|(_, at)| at.elapsed() < REV_TTL)
            .map(|(r, _)| r)
    }

    pub fn note(&self, rev: i64) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some((rev, Instant::now()));
        }
    }

    /// After this process changed the data: the next read goes to the database.
    pub fn expire(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = None;
        }
    }
}

/// Who sees which commitments: the read agencies (`None`: all) and clearance rank.
pub type BoardKey = (Option<Vec<Uuid>>, i16);

/// (group id, overdue, overdue + due soon).
pub type Counts = Vec<(Option<Uuid>, i64, i64)>;

/// The board's grouped counts for one reader scope, at one revision and day.
pub struct BoardCounts {
    pub rev: i64,
    pub today: chrono::NaiveDate,
    pub soon_until: chrono::NaiveDate,
    pub overdue_total: u64,
    pub open_total: u64,
    pub owners: Counts,
    pub partners: Counts,
}

const BOARDS_MAX: usize = 512;

/// Who asks for which activity list: read agencies (`None`: all), clearance
/// rank, and the filter as given.
pub type ListKey = (Option<Vec<Uuid>>, i16, ActivityFilter);

/// One activity list page as read at change-log position `rev`.
pub struct CachedList {
    pub rev: i64,
    pub items: Vec<ActivityRow>,
    pub total: u64,
    pub page: u64,
    /// Roughly what it holds in memory (rows and their texts).
    pub bytes: usize,
}

impl CachedList {
    pub fn new(rev: i64, mut items: Vec<ActivityRow>, total: u64, page: u64) -> Self {
        // The folded search text is not shown: not kept.
        for r in &mut items {
            r.activity.text_fold = String::new();
        }
        let bytes = items.iter().map(|r| row_bytes(&r.activity)).sum();
        Self {
            rev,
            items,
            total,
            page,
            bytes,
        }
    }
}

/// The row's size with its longest texts (the rest are a few bytes each).
fn row_bytes(a: &activity::Model) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    std::mem::size_of::<ActivityRow>()
        + a.title.len()
        + opt(&a.purpose)
        + opt(&a.programme)
        + opt(&a.outcome)
        + opt(&a.status_note)
        + opt(&a.inviting_party)
        + opt(&a.funding)
        + opt(&a.head_name)
        + opt(&a.city)
}

/// The kept pages, each with the tick of its last use.
#[derive(Default)]
pub struct Lists {
    pages: HashMap<ListKey, (Arc<CachedList>, u64)>,
    bytes: usize,
    tick: u64,
}

#[derive(Default)]
pub struct Caches {
    pub directory: RwLock<Option<Arc<Directory>>>,
    /// Held while one request reloads the directory, so a cold start or a change
    /// under load reloads once, not once per waiting request.
    pub directory_load: tokio::sync::Mutex<()>,
    pub agencies_rev: Rev,
    pub commitments_rev: Rev,
    pub boards: Mutex<HashMap<BoardKey, Arc<BoardCounts>>>,
    /// Held while one request counts a board, so readers arriving meanwhile
    /// wait for its result instead of counting the same rows again.
    pub board_load: tokio::sync::Mutex<()>,
    /// Keyed by the digest of the session cookie or bearer token.
    pub auth: Mutex<HashMap<String, CachedAuth>>,
    pub lists: Mutex<Lists>,
    pub types: Mutex<Option<(Instant, Arc<Vec<activity_type::Model>>)>>,
}

impl Caches {
    /// The counts for this scope if they are still true at `rev` on `today`.
    pub fn board_get(
        &self,
        key: &BoardKey,
        rev: i64,
        today: chrono::NaiveDate,
        soon_until: chrono::NaiveDate,
    ) -> Option<Arc<BoardCounts>> {
        let g = self.boards.lock().ok()?;
        g.get(key)
            .filter(|b| b.rev >= rev && b.today == today && b.soon_until == soon_until)
            .cloned()
    }

    pub fn board_put(&self, key: BoardKey, counts: Arc<BoardCounts>) {
        if let Ok(mut g) = self.boards.lock() {
            if g.len() >= BOARDS_MAX {
                let (rev, today) = (counts.rev, counts.today);
                g.retain(|_, b| b.rev >= rev && b.today == today);
                if g.len() >= BOARDS_MAX {
                    g.clear();
                }
            }
            g.insert(key, counts);
        }
    }

    /// The page for this reader and filter if it was read at change-log position `rev`.
    pub fn list_get(&self, key: &ListKey, rev: i64) -> Option<Arc<CachedList>> {
        let mut g = self.lists.lock().ok()?;
        g.tick += 1;
        let tick = g.tick;
        let (page, used) = g.pages.get_mut(key)?;
        if page.rev != rev {
            return None;
        }
        *used = tick;
        Some(page.clone())
    }

    /// Keep a page. When full (by count or bytes), pages of other positions go
    /// first, then the least recently used until a quarter is free: a run of
    /// one-off lists (every year of every partner) cannot push out the first
    /// pages every reader opens.
    pub fn list_put(&self, key: ListKey, page: CachedList) {
        if page.bytes > LISTS_BYTES / 4 {
            return;
        }
        let Ok(mut g) = self.lists.lock() else {
            return;
        };
        if let Some((old, _)) = g.pages.remove(&key) {
            g.bytes -= old.bytes;
        }
        if g.pages.len() >= LISTS_MAX || g.bytes + page.bytes > LISTS_BYTES {
            let rev = page.rev;
            g.pages.retain(|_, (c, _)| c.rev == rev);
            let mut by_use: Vec<(u64, ListKey)> = g
                .pages
                .iter()
                .map(|(k, (_, used))| (*used, k.clone()))
                .collect();
            by_use.sort_unstable_by_key(|(used, _)| *used);
            let mut bytes: usize = g.pages.values().map(|(c, _)| c.bytes).sum();
            let mut n = g.pages.len();
            for (_, k) in by_use {
                if n < LISTS_MAX * 3 / 4 && bytes + page.bytes <= LISTS_BYTES * 3 / 4 {
                    break;
                }
                if let Some((c, _)) = g.pages.remove(&k) {
                    bytes -= c.bytes;
                    n -= 1;
                }
            }
            g.bytes = bytes;
        }
        g.tick += 1;
        let tick = g.tick;
        g.bytes += page.bytes;
        g.pages.insert(key, (Arc::new(page), tick));
    }

    /// The activity types if read less than `TYPES_TTL` ago.
    pub fn types_get(&self) -> Option<Arc<Vec<activity_type::Model>>> {
        let g = self.types.lock().ok()?;
        g.as_ref()
            .filter(|(at, _)| at.elapsed() < TYPES_TTL)
            .map(|(_, t)| t.clone())
    }

    pub fn types_put(&self, types: Arc<Vec<activity_type::Model>>) {
        if let Ok(mut g) = self.types.lock() {
            *g = Some((Instant::now(), types));
        }
    }

    /// After this process added a type: the next read goes to the database.
    pub fn types_forget(&self) {
        if let Ok(mut g) = self.types.lock() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: usize) -> ListKey {
        (
            Some(vec![Uuid::from_u128(n as u128)]),
            0,
            ActivityFilter::default(),
        )
    }

    fn page(rev: i64, bytes: usize) -> CachedList {
        CachedList {
            rev,
            items: Vec::new(),
            total: 0,
            page: 1,
            bytes,
        }
    }

    /// A page answers only at the position it was read at.
    #[test]
    fn a_list_page_answers_at_its_own_position() {
        let c = Caches::default();
        c.list_put(key(1), page(7, 10));
        assert!(c.list_get(&key(1), 7).is_some());
        assert!(c.list_get(&key(1), 8).is_none(), "the log moved on");
        assert!(c.list_get(&key(2), 7).is_none(), "another reader");
    }

    /// Full by count or by bytes: pages of older positions go first, then all;
    /// the byte count stays the sum of what is kept.
    #[test]
    fn the_list_cache_stays_within_its_bounds() {
        let c = Caches::default();
        for n in 0..LISTS_MAX {
            c.list_put(key(n), page(1, 100));
        }
        c.list_put(key(LISTS_MAX), page(2, 100));
        let kept = |c: &Caches| {
            c.lists
                .lock()
                .map(|g| (g.pages.len(), g.bytes))
                .unwrap_or_default()
        };
        assert_eq!(kept(&c), (1, 100), "older positions dropped");
        c.list_put(key(0), page(2, LISTS_BYTES / 4 - 1));
        c.list_put(key(1), page(2, LISTS_BYTES / 4 - 1));
        c.list_put(key(2), page(2, LISTS_BYTES / 4 - 1));
        c.list_put(key(3), page(2, LISTS_BYTES / 4 - 1));
        c.list_put(key(4), page(2, LISTS_BYTES / 4 - 1));
        let (n, bytes) = kept(&c);
        assert!(
            bytes <= LISTS_BYTES && n <= LISTS_MAX,
            "{n} pages, {bytes} bytes"
        );
        c.list_put(key(5), page(2, LISTS_BYTES / 2));
        assert!(
            c.list_get(&key(5), 2).is_none(),
            "a page too large is not kept"
        );
        // Full at one position: the least recently used go, the page just read stays.
        let c = Caches::default();
        for n in 0..LISTS_MAX {
            c.list_put(key(n), page(1, 100));
        }
        assert!(c.list_get(&key(0), 1).is_some());
        c.list_put(key(LISTS_MAX), page(1, 100));
        let (n, bytes) = kept(&c);
        assert!(
            n <= LISTS_MAX * 3 / 4 + 1 && bytes == n * 100,
            "{n} pages, {bytes} bytes"
        );
        assert!(c.list_get(&key(0), 1).is_some(), "used last: kept");
        assert!(
            c.list_get(&key(LISTS_MAX), 1).is_some(),
            "the new page: kept"
        );
        assert!(c.list_get(&key(1), 1).is_none(), "used least: gone");
        // Replacing a page counts its bytes once.
        let c = Caches::default();
        c.list_put(key(1), page(1, 100));
        c.list_put(key(1), page(2, 300));
        assert_eq!(kept(&c), (1, 300));
    }
}
