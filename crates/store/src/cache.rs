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
//!   its transaction; the same `REV_TTL` applies — and with them the screen's
//!   first rows of each section (commitment columns only: names, owners and
//!   deadline states are filled in at each answer). The expiring agreements are
//!   read live.
//! - **Sessions and tokens** are kept for `AUTH_TTL`; this process purges them at
//!   once on sign-out, revocation and every change to the user.
//! - **Activity list pages** (`kept`: the rows and capped total of one filter,
//!   for one reader scope and clearance) are kept at a position of the activity
//!   scope change log (`scope_changes`), whose triggers name the agencies every
//!   committed change to activities, their participants and partner links
//!   concerns, before and after. The position — one indexed `MAX` — is re-read
//!   at most every `REV_TTL`, and at once after any write transaction this
//!   process commits (`write_tx`); a page kept at an earlier one answers only if
//!   no change since names an agency of its scope, so a list is never older than
//!   the last committed change that could alter it in this process, nor
//!   `REV_TTL` behind one committed through another. Each kind is bounded by a
//!   page count and bytes; the least recently used go first.
//! - **A scope's home page lists** (`activities::inbox`: unacknowledged
//!   warnings, upcoming activities, the year's chart) are kept per reader scope
//!   and clearance at a position of the scope change log, as the list pages
//!   are, and at the warnings', partners' and agencies' revisions (migration 38
//!   bumps the warnings' on every acknowledgement); at most `HOME_CLOCK` old,
//!   since what they hold also moves with the clock.
//! - **A scope's dashboard for a period** (`reports::dashboard`) is kept as
//!   a home page is, at the partners', agencies' and commitments' revisions.
//! - **Plan list pages** (`plans::plan_list`) are kept per reader scope,
//!   clearance, filter and day at one value of `counters.plans_rev` (bumped by
//!   every write to a plan, its tasks or their progress, in its transaction)
//!   and of `agencies_rev`; both are read at each request, so a page is never
//!   older than the last committed write through any process.
//! - **Activity types** are kept for `TYPES_TTL` (a type an administrator adds
//!   shows in other processes' menus within it; in this one at once).

use crate::activities::{HomeKey, KeptHome};
use crate::entity::{activity_type, agency, user};
use crate::kept::{CachedList, CachedTallies, ListKey, Lists, Tallies, TallyKey};
use crate::reports::{DashKey, KeptDashboard};
use kieng_domain::{Actor, AgencyGraph};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long what is kept answers before it is read again (`[tuning]` in the
/// configuration; these are the defaults).
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// A revision counter or the scope change log's position (`REV_TTL`).
    pub revision: Duration,
    /// A signed-in session or token with its actor (`AUTH_TTL`).
    pub auth: Duration,
    /// The activity types (`TYPES_TTL`).
    pub types: Duration,
}

pub const REV_TTL: Duration = Duration::from_millis(250);
pub const AUTH_TTL: Duration = Duration::from_secs(1);
const AUTH_MAX: usize = 100_000;
pub const TYPES_TTL: Duration = Duration::from_secs(1);

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            revision: REV_TTL,
            auth: AUTH_TTL,
            types: TYPES_TTL,
        }
    }
}

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

/// A revision counter as last read, and when — and how many times this process
/// expired it, so a read begun before a change here cannot note what it read
/// after the change expired it (that value may predate the change).
pub struct Rev(
    Mutex<(u64, Option<(i64, Instant)>)>,
    tokio::sync::Mutex<()>,
    Duration,
);

impl Default for Rev {
    fn default() -> Self {
        Self::new(REV_TTL)
    }
}

impl Rev {
    /// A revision re-read after `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self(Mutex::default(), tokio::sync::Mutex::default(), ttl)
    }

    /// The revision, if read less than its lifetime ago.
    pub fn fresh(&self) -> Option<i64> {
        let guard = self.0.lock().ok()?;
        guard
            .1
            .filter(|(_, at)| at.elapsed() < self.2)
            .map(|(r, _)| r)
    }

    /// Taken before reading the revision from the database, given to `note`.
    pub fn ticket(&self) -> u64 {
        self.0.lock().map(|g| g.0).unwrap_or(u64::MAX)
    }

    /// Keep `rev`, read after `ticket` was taken — unless the revision was
    /// expired since (then the next read goes to the database again).
    pub fn note(&self, ticket: u64, rev: i64) {
        if let Ok(mut g) = self.0.lock()
            && g.0 == ticket
        {
            g.1 = Some((rev, Instant::now()));
        }
    }

    /// The revision: as read within `REV_TTL`, or else read by `read` — by one
    /// caller at a time, those arriving meanwhile taking its answer. (Each
    /// reading it as it went stale, 64 requests queued on SQLite's four
    /// connections every 250 ms: stalls of 70–200 ms.)
    pub async fn current<F, Fut, E>(&self, read: F) -> Result<i64, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<i64, E>>,
    {
        if let Some(r) = self.fresh() {
            return Ok(r);
        }
        let _one = self.1.lock().await;
        if let Some(r) = self.fresh() {
            return Ok(r);
        }
        let ticket = self.ticket();
        let r = read().await?;
        self.note(ticket, r);
        Ok(r)
    }

    /// After this process changed the data: the next read goes to the database.
    pub fn expire(&self) {
        if let Ok(mut g) = self.0.lock() {
            g.0 = g.0.wrapping_add(1);
            g.1 = None;
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
    /// The screen's rows: the first `BOARD_ROWS` overdue and due soon.
    pub overdue: Vec<crate::entity::commitment::Model>,
    pub soon: Vec<crate::entity::commitment::Model>,
    pub overdue_total: u64,
    pub open_total: u64,
    pub owners: Counts,
    pub partners: Counts,
    /// The screen's late legal steps of provincial agreements (agreement id, step).
    pub late_steps: Vec<(uuid::Uuid, kieng_domain::agreement::StepState)>,
}

const BOARDS_MAX: usize = 512;
const HOMES_MAX: usize = 512;

/// One of `locks`, by the key's hash: a stripe of scopes shares a lock.
fn stripe<'a, K: std::hash::Hash>(
    locks: &'a [tokio::sync::Mutex<()>; 8],
    key: &K,
) -> &'a tokio::sync::Mutex<()> {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    &locks[(h.finish() as usize) % locks.len()]
}
const PARTNERS_MAX: usize = 65_536;

#[derive(Default)]
pub struct Caches {
    pub lifetimes: Lifetimes,
    pub directory: RwLock<Option<Arc<Directory>>>,
    /// Held while one request reloads the directory, so a cold start or a change
    /// under load reloads once, not once per waiting request.
    pub directory_load: tokio::sync::Mutex<()>,
    pub agencies_rev: Rev,
    pub commitments_rev: Rev,
    /// Partners' classification and deletion (`counters.partners_rev`).
    pub partners_rev: Rev,
    /// Each partner a list was filtered by: its classification, `None` when
    /// deleted or unknown; at one value of `partners_rev`.
    pub partner_class: Mutex<(i64, HashMap<Uuid, Option<i16>>)>,
    /// The activity scope change log's position (`scope_changes::last`),
    /// expired by every write transaction this process commits (`WriteTx`).
    pub scope_rev: Rev,
    pub boards: Mutex<HashMap<BoardKey, Arc<BoardCounts>>>,
    /// Coordination warnings' acknowledgements (`counters.warnings_rev`).
    pub warnings_rev: Rev,
    /// Each scope's home page lists (`Store::home_scope`).
    pub homes: Mutex<HashMap<HomeKey, Arc<KeptHome>>>,
    /// Held while one request reads a scope's home lists (as `board_load`).
    pub home_load: [tokio::sync::Mutex<()>; 8],
    /// Plan list pages per reader scope, clearance, filter and day
    /// (`Store::plan_list`), true while `plans_rev` and `agencies_rev` hold.
    pub plan_lists: Mutex<crate::plans::PlanLists>,
    /// Case list totals per reader scope, clearance and filter
    /// (`Store::case_list`), true while `protection_rev` holds.
    pub case_totals: Mutex<crate::protection::CaseTotals>,
    /// Each scope's dashboard for a period (`Store::dashboard`).
    pub dashboards: Mutex<HashMap<DashKey, Arc<KeptDashboard>>>,
    /// Held while one request counts a scope's dashboard (as `board_load`).
    pub dashboard_load: [tokio::sync::Mutex<()>; 8],
    /// Held while one request counts a board, so readers of the same scope
    /// arriving meanwhile wait for its result instead of counting the same rows
    /// again; one lock per stripe of scopes (`board_lock`), so another scope's
    /// count does not queue behind it.
    pub board_load: [tokio::sync::Mutex<()>; 8],
    /// Keyed by the digest of the session cookie or bearer token.
    pub auth: Mutex<HashMap<String, CachedAuth>>,
    pub lists: Mutex<Lists>,
    pub tallies: Mutex<Tallies>,
    pub types: Mutex<Option<(Instant, Arc<Vec<activity_type::Model>>)>>,
    /// Each user's unread notifications as the bell shows them, read at most
    /// once a revision lifetime (another server's new notification shows as
    /// soon as its other changes do); a user's own "read" clears theirs.
    pub bells: Mutex<HashMap<Uuid, (Instant, u64)>>,
    /// How often each cache answered or sent the reader to the database.
    pub lookups: Lookups,
}

/// The caches whose answer is final (a fresh entry, or none), counted for
/// `/metrics`.
pub const COUNTED: [&str; 5] = ["auth", "bell", "board", "types", "partner_class"];

/// Found and absent lookups of each of `COUNTED`, in that order.
#[derive(Default)]
pub struct Lookups([[std::sync::atomic::AtomicU64; 2]; 5]);

impl Lookups {
    fn note<T>(&self, cache: usize, found: Option<T>) -> Option<T> {
        self.0[cache][usize::from(found.is_none())]
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        found
    }

    /// (cache, found, absent) for each counted cache.
    pub fn read(&self) -> Vec<(&'static str, u64, u64)> {
        use std::sync::atomic::Ordering::Relaxed;
        COUNTED
            .iter()
            .zip(&self.0)
            .map(|(n, [f, a])| (*n, f.load(Relaxed), a.load(Relaxed)))
            .collect()
    }
}

impl Caches {
    /// Empty caches keeping what they read for `lifetimes`.
    pub fn new(lifetimes: Lifetimes) -> Self {
        Self {
            lifetimes,
            agencies_rev: Rev::new(lifetimes.revision),
            commitments_rev: Rev::new(lifetimes.revision),
            partners_rev: Rev::new(lifetimes.revision),
            scope_rev: Rev::new(lifetimes.revision),
            warnings_rev: Rev::new(lifetimes.revision),
            ..Default::default()
        }
    }

    /// A user's unread count if read within the revision lifetime.
    pub fn bell_get(&self, user: Uuid) -> Option<u64> {
        let g = self.bells.lock().ok()?;
        let found = g
            .get(&user)
            .filter(|(at, _)| at.elapsed() < self.lifetimes.revision)
            .map(|(_, n)| *n);
        self.lookups.note(1, found)
    }

    pub fn bell_put(&self, user: Uuid, n: Option<u64>) {
        if let Ok(mut g) = self.bells.lock() {
            if g.len() >= AUTH_MAX {
                g.clear();
            }
            match n {
                Some(n) => g.insert(user, (Instant::now(), n)),
                None => g.remove(&user),
            };
        }
    }

    /// The counts for this scope if they are still true at `rev` on `today`.
    pub fn board_get(
        &self,
        key: &BoardKey,
        rev: i64,
        today: chrono::NaiveDate,
        soon_until: chrono::NaiveDate,
    ) -> Option<Arc<BoardCounts>> {
        let g = self.boards.lock().ok()?;
        let found = g
            .get(key)
            .filter(|b| b.rev >= rev && b.today == today && b.soon_until == soon_until)
            .cloned();
        self.lookups.note(2, found)
    }

    /// The lock the counting of this scope's board takes.
    pub fn board_lock(&self, key: &BoardKey) -> &tokio::sync::Mutex<()> {
        stripe(&self.board_load, key)
    }

    /// A scope's home lists as last read (the caller checks they still hold).
    pub fn home_get(&self, key: &HomeKey) -> Option<Arc<KeptHome>> {
        self.homes.lock().ok()?.get(key).cloned()
    }

    /// The lock the reading of this scope's home lists takes.
    pub fn home_lock(&self, key: &HomeKey) -> &tokio::sync::Mutex<()> {
        stripe(&self.home_load, key)
    }

    pub fn home_put(&self, key: HomeKey, home: Arc<KeptHome>) {
        if let Ok(mut g) = self.homes.lock() {
            if g.len() >= HOMES_MAX {
                g.clear();
            }
            g.insert(key, home);
        }
    }

    /// A scope's dashboard as last read (the caller checks it still holds).
    pub fn dashboard_get(&self, key: &DashKey) -> Option<Arc<KeptDashboard>> {
        self.dashboards.lock().ok()?.get(key).cloned()
    }

    pub fn dashboard_lock(&self, key: &DashKey) -> &tokio::sync::Mutex<()> {
        stripe(&self.dashboard_load, key)
    }

    pub fn dashboard_put(&self, key: DashKey, d: Arc<KeptDashboard>) {
        if let Ok(mut g) = self.dashboards.lock() {
            if g.len() >= HOMES_MAX {
                g.clear();
            }
            g.insert(key, d);
        }
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

    /// The list page kept for this reader and filter, at whatever position.
    pub fn list_latest(&self, key: &ListKey) -> Option<Arc<CachedList>> {
        self.lists.lock().ok()?.latest(key)
    }

    /// A partner's tallies kept for this reader, at whatever position.
    pub fn tallies_latest(&self, key: &TallyKey) -> Option<Arc<CachedTallies>> {
        self.tallies.lock().ok()?.latest(key)
    }

    pub fn tallies_put(&self, key: TallyKey, t: CachedTallies) {
        if let Ok(mut g) = self.tallies.lock() {
            g.put(key, t);
        }
    }

    pub fn list_put(&self, key: ListKey, page: CachedList) {
        if let Ok(mut g) = self.lists.lock() {
            g.put(key, page);
        }
    }

    /// A partner's classification as kept at `rev` (`Some(None)`: deleted or
    /// unknown), if it was read at that revision.
    pub fn partner_class_get(&self, rev: i64, id: Uuid) -> Option<Option<i16>> {
        let g = self.partner_class.lock().ok()?;
        let found = if g.0 == rev {
            g.1.get(&id).copied()
        } else {
            None
        };
        self.lookups.note(4, found)
    }

    /// Keep a partner's classification read at `rev`; what was kept at an
    /// earlier revision goes, and at most `PARTNERS_MAX` are kept.
    pub fn partner_class_put(&self, rev: i64, id: Uuid, class: Option<i16>) {
        if let Ok(mut g) = self.partner_class.lock() {
            if g.0 != rev || g.1.len() >= PARTNERS_MAX {
                *g = (rev, HashMap::new());
            }
            g.1.insert(id, class);
        }
    }

    /// The activity types if read less than `TYPES_TTL` ago.
    pub fn types_get(&self) -> Option<Arc<Vec<activity_type::Model>>> {
        let g = self.types.lock().ok()?;
        let found = g
            .as_ref()
            .filter(|(at, _)| at.elapsed() < self.lifetimes.types)
            .map(|(_, t)| t.clone());
        self.lookups.note(3, found)
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
        let found = g
            .get(key)
            .filter(|c| c.loaded.elapsed() < self.lifetimes.auth)
            .cloned();
        self.lookups.note(0, found)
    }

    pub fn auth_put(&self, key: String, entry: CachedAuth) {
        let auth = self.lifetimes.auth;
        if let Ok(mut g) = self.auth.lock() {
            if g.len() >= AUTH_MAX {
                g.retain(|_, c| c.loaded.elapsed() < auth);
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
    use super::Rev;

    #[test]
    fn a_revision_read_before_this_process_changed_the_data_is_not_kept() {
        let rev = Rev::default();
        assert_eq!(rev.fresh(), None);
        // Read, nothing changed meanwhile: kept.
        let t = rev.ticket();
        rev.note(t, 7);
        assert_eq!(rev.fresh(), Some(7));
        // A write commits here: the next read goes to the database.
        rev.expire();
        assert_eq!(rev.fresh(), None);
        // A read that began before a commit here and ends after it may not have
        // seen the commit: what it read is not kept.
        let early = rev.ticket();
        rev.expire();
        rev.note(early, 7);
        assert_eq!(rev.fresh(), None);
        // A read begun after it is.
        let late = rev.ticket();
        rev.note(late, 8);
        assert_eq!(rev.fresh(), Some(8));
    }
}
