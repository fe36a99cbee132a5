//! Pages kept at a position of a change log: activity lists per reader scope,
//! clearance and filter, at a position of the activity scope change log. A page
//! answers at the position it is known true at or later; the list reader moves
//! that on when the changes since touch none of the reader's agencies (see
//! `cache` for why that keeps it true). Each kind is bounded by a page count and
//! a byte budget, the least recently used going first.

use crate::activities::{ActivityFilter, ActivityRow};
use crate::entity::activity;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A kept page: the change-log position it was read at, and roughly its size.
pub trait Weigh {
    fn rev(&self) -> i64;
    fn bytes(&self) -> usize;
}

/// Pages of one kind: at most `MAX` of them and `BYTES` bytes, each with the
/// tick of its last use.
pub struct Kept<K, V, const MAX: usize, const BYTES: usize> {
    pages: HashMap<K, (Arc<V>, u64)>,
    bytes: usize,
    tick: u64,
}

impl<K, V, const MAX: usize, const BYTES: usize> Default for Kept<K, V, MAX, BYTES> {
    fn default() -> Self {
        Self {
            pages: HashMap::new(),
            bytes: 0,
            tick: 0,
        }
    }
}

impl<K: Hash + Eq + Clone, V: Weigh, const MAX: usize, const BYTES: usize> Kept<K, V, MAX, BYTES> {
    /// The page for `key` if it is known true at position `rev` or later.
    #[cfg(test)]
    pub fn get(&mut self, key: &K, rev: i64) -> Option<Arc<V>> {
        self.latest(key).filter(|p| p.rev() >= rev)
    }

    /// The page for `key`, whatever position it is known true at (the caller
    /// checks the changes since).
    pub fn latest(&mut self, key: &K) -> Option<Arc<V>> {
        self.tick += 1;
        let tick = self.tick;
        let (page, used) = self.pages.get_mut(key)?;
        *used = tick;
        Some(page.clone())
    }

    /// Keep a page. When full (by count or bytes), pages of other positions go
    /// first, then the least recently used until a quarter is free: a run of
    /// one-off pages (every year of every partner) cannot push out the first
    /// pages every reader opens. A page over a quarter of the budget is not kept.
    pub fn put(&mut self, key: K, page: V) {
        let size = page.bytes();
        if size > BYTES / 4 {
            return;
        }
        if let Some((old, _)) = self.pages.remove(&key) {
            self.bytes -= old.bytes();
        }
        if self.pages.len() >= MAX || self.bytes + size > BYTES {
            let rev = page.rev();
            self.pages.retain(|_, (c, _)| c.rev() == rev);
            let mut by_use: Vec<(u64, K)> = self
                .pages
                .iter()
                .map(|(k, (_, used))| (*used, k.clone()))
                .collect();
            by_use.sort_unstable_by_key(|(used, _)| *used);
            self.bytes = self.pages.values().map(|(c, _)| c.bytes()).sum();
            for (_, k) in by_use {
                if self.pages.len() < MAX * 3 / 4 && self.bytes + size <= BYTES * 3 / 4 {
                    break;
                }
                if let Some((c, _)) = self.pages.remove(&k) {
                    self.bytes -= c.bytes();
                }
            }
        }
        self.tick += 1;
        self.bytes += size;
        self.pages.insert(key, (Arc::new(page), self.tick));
    }

    #[cfg(test)]
    fn held(&self) -> (usize, usize) {
        (self.pages.len(), self.bytes)
    }
}

/// Who asks for which activity list: read agencies (`None`: all), clearance
/// rank, and the filter as given.
pub type ListKey = (Option<Vec<Uuid>>, i16, ActivityFilter);

/// Activity list pages: 512, 8 MB.
pub type Lists = Kept<ListKey, CachedList, 512, { 8 << 20 }>;

/// Where a kept page stands on the activity scope change log (`scope_changes`):
/// the position it was read at, moved on by each read that finds no change
/// since touching the reader's agencies, and when it was read.
pub struct Stamp {
    rev: AtomicI64,
    read_at: Instant,
}

/// How long a page is kept at most, whatever the log says: well within the
/// day of log kept, so the changes since a page are always all there.
pub const LIFE: Duration = Duration::from_secs(3600);

impl Stamp {
    pub fn new(rev: i64) -> Self {
        Self {
            rev: AtomicI64::new(rev),
            read_at: Instant::now(),
        }
    }

    pub fn rev(&self) -> i64 {
        self.rev.load(Ordering::Relaxed)
    }

    /// Read within `LIFE`.
    pub fn young(&self) -> bool {
        self.read_at.elapsed() < LIFE
    }

    /// Known true at `rev` too (no change between touched the reader's agencies).
    pub fn restamp(&self, rev: i64) {
        self.rev.fetch_max(rev, Ordering::Relaxed);
    }
}

/// A page kept on the activity scope change log.
pub trait Stamped {
    fn stamp(&self) -> &Stamp;
}

/// One activity list page.
pub struct CachedList {
    stamp: Stamp,
    pub items: Vec<ActivityRow>,
    pub total: u64,
    pub page: u64,
    bytes: usize,
}

impl CachedList {
    pub fn new(rev: i64, mut items: Vec<ActivityRow>, total: u64, page: u64) -> Self {
        let bytes = lighten(&mut items);
        Self {
            stamp: Stamp::new(rev),
            items,
            total,
            page,
            bytes,
        }
    }
}

impl Stamped for CachedList {
    fn stamp(&self) -> &Stamp {
        &self.stamp
    }
}

/// Who asks for which partner's engagement tallies: read agencies, clearance
/// rank, the partner.
pub type TallyKey = (Option<Vec<Uuid>>, i16, Uuid);

/// A partner's engagements by (year in Vietnam, pillar) for one reader scope.
pub struct CachedTallies {
    stamp: Stamp,
    pub rows: Vec<(i32, String, u32)>,
}

impl CachedTallies {
    pub fn new(rev: i64, rows: Vec<(i32, String, u32)>) -> Self {
        Self {
            stamp: Stamp::new(rev),
            rows,
        }
    }
}

impl Stamped for CachedTallies {
    fn stamp(&self) -> &Stamp {
        &self.stamp
    }
}

impl Weigh for CachedTallies {
    fn rev(&self) -> i64 {
        self.stamp.rev()
    }
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self
                .rows
                .iter()
                .map(|r| std::mem::size_of_val(r) + r.1.len())
                .sum::<usize>()
    }
}

/// Dossier tallies: 1,024 readers × partners, 2 MB.
pub type Tallies = Kept<TallyKey, CachedTallies, 1024, { 2 << 20 }>;

impl Weigh for CachedList {
    fn rev(&self) -> i64 {
        self.stamp.rev()
    }
    fn bytes(&self) -> usize {
        self.bytes
    }
}

/// Drop what a kept row never shows (the folded search text); its size.
fn lighten(rows: &mut [ActivityRow]) -> usize {
    rows.iter_mut()
        .map(|r| {
            r.activity.text_fold = String::new();
            row_bytes(&r.activity)
        })
        .sum()
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

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = 512;
    const BYTES: usize = 8 << 20;

    struct Page(i64, usize);

    impl Weigh for Page {
        fn rev(&self) -> i64 {
            self.0
        }
        fn bytes(&self) -> usize {
            self.1
        }
    }

    type Pages = Kept<usize, Page, MAX, BYTES>;

    /// A page answers at the position it is known true at, or an earlier one.
    #[test]
    fn a_page_answers_at_its_own_position() {
        let mut c = Pages::default();
        c.put(1, Page(7, 10));
        assert!(c.get(&1, 7).is_some());
        assert!(
            c.get(&1, 6).is_some(),
            "true later is true for an earlier read"
        );
        assert!(c.get(&1, 8).is_none(), "the log moved on");
        assert!(c.latest(&1).is_some(), "for the caller to check");
        assert!(c.get(&2, 7).is_none(), "another reader");
    }

    /// A kept page moves on only forward.
    #[test]
    fn a_page_is_restamped_forward() {
        let p = CachedList::new(5, Vec::new(), 0, 1);
        p.stamp().restamp(9);
        p.stamp().restamp(7);
        assert_eq!(p.rev(), 9);
        assert!(p.stamp().young());
    }

    /// Full by count or by bytes: pages of older positions go first, then the
    /// least recently used; the byte count stays the sum of what is kept.
    #[test]
    fn the_pages_stay_within_their_bounds() {
        let mut c = Pages::default();
        for n in 0..MAX {
            c.put(n, Page(1, 100));
        }
        c.put(MAX, Page(2, 100));
        assert_eq!(c.held(), (1, 100), "older positions dropped");
        for n in 0..5 {
            c.put(n, Page(2, BYTES / 4 - 1));
        }
        let (n, bytes) = c.held();
        assert!(bytes <= BYTES && n <= MAX, "{n} pages, {bytes} bytes");
        c.put(5, Page(2, BYTES / 2));
        assert!(c.get(&5, 2).is_none(), "a page too large is not kept");
        // Full at one position: the least recently used go, the page just read stays.
        let mut c = Pages::default();
        for n in 0..MAX {
            c.put(n, Page(1, 100));
        }
        assert!(c.get(&0, 1).is_some());
        c.put(MAX, Page(1, 100));
        let (n, bytes) = c.held();
        assert!(
            n <= MAX * 3 / 4 + 1 && bytes == n * 100,
            "{n} pages, {bytes} bytes"
        );
        assert!(c.get(&0, 1).is_some(), "used last: kept");
        assert!(c.get(&MAX, 1).is_some(), "the new page: kept");
        assert!(c.get(&1, 1).is_none(), "used least: gone");
        // Replacing a page counts its bytes once.
        let mut c = Pages::default();
        c.put(1, Page(1, 100));
        c.put(1, Page(2, 300));
        assert_eq!(c.held(), (1, 300));
    }
}
