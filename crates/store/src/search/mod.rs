//! One search box across partners, people, agencies, activities, agreements and
//! commitments. Each `kieng serve` process keeps its own tantivy index in its
//! data directory and follows the database's ordered change log (`changes`):
//! a record saved through any process is findable through every process within
//! a second, and a process that was down catches up when it starts (or rebuilds,
//! when it is too far behind). The database stays the one source of truth.
//!
//! Results obey the page rules twice: the index filters by clearance and scope
//! (so counts never include what the reader may not see), and the page of hits
//! is checked against the database before it is shown.
//!
//! A module that adds a record kind plugs in with a `docs` loader, a family in
//! the change log's triggers, and a kind in `domain::search::Kind`.

pub(crate) mod changes;
mod docs;
mod engine;

use crate::entity::{activity, agency, candidacy, commitment, mechanism, mechanism_role, partner};
use crate::{Ctx, Store, StoreError};
use engine::{Engine, Filter};
use kieng_domain::FieldErrors;
use kieng_domain::search::{Kind, Query, Segment, highlight, snippet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Results per page.
pub const PER_PAGE: usize = 20;
/// The last page of hits offered (10,000 hits: nobody reads further).
pub const MAX_PAGE: usize = 500;
/// How often a process looks for new changes.
const POLL: Duration = Duration::from_millis(200);
/// Further behind than this many changes, a rebuild is faster than catching up.
const CATCH_UP_LIMIT: i64 = 20_000;
/// Changes are kept this many days; a process down longer rebuilds.
const KEEP_DAYS: i64 = 7;
/// Records read per database round trip while building.
const BATCH: u64 = 5_000;

/// The index of this process, once opened.
#[derive(Default)]
pub(crate) struct SearchState {
    engine: std::sync::OnceLock<Arc<Engine>>,
    /// A full build is running: results may be incomplete.
    building: AtomicBool,
}

/// Keeps this process's index following the change log; dropping it stops the
/// follower (and, with the last store handle, releases the index).
pub struct SearchHandle {
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// What the search box asks.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchRequest {
    pub q: String,
    /// A `Kind` code.
    pub kind: Option<String>,
    pub pillar: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    pub year: Option<i32>,
    /// From 1.
    #[serde(default, deserialize_with = "kieng_domain::bounds::page_usize")]
    pub page: Option<usize>,
}

/// One record found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    /// The title with the matched words marked.
    pub title_marked: Vec<Segment>,
    /// A few words of the record's other text around the first match.
    pub snippet: Option<Vec<Segment>>,
    pub pillar: Option<String>,
    pub date: chrono::NaiveDate,
}

/// A page of results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    /// Matches the reader may see, in all.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    /// The folded words searched.
    pub words: Vec<String>,
    /// The index is being built: results may be incomplete for a while.
    pub building: bool,
}

/// What a full build did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildReport {
    pub docs: u64,
    pub seconds: f64,
    pub bytes: u64,
}

/// Bytes under `dir`.
fn disk_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

impl Store {
    fn engine(&self) -> Result<Arc<Engine>, StoreError> {
        self.search
            .engine
            .get()
            .cloned()
            .ok_or_else(|| StoreError::Internal("search is not open in this process".into()))
    }

    /// Open this process's index in `dir` and keep it following the change
    /// log. A small backlog is applied before this returns; an empty index or a
    /// large backlog is built in the background (searches say so meanwhile), so
    /// start-up stays fast at any size.
    pub async fn start_search(&self, dir: PathBuf) -> Result<SearchHandle, StoreError> {
        let open_dir = dir.clone();
        let (engine, payload) =
            // One indexing thread with tantivy's smallest budget (15 MB): the
            // follower's batches are small, and the writer's arena is heap the
            // server keeps (20 MB put the saves' heap 5 MB higher).
            tokio::task::spawn_blocking(move || Engine::open(&open_dir, 1, 15_000_000))
                .await
                .map_err(|e| StoreError::Internal(e.to_string()))??;
        let engine = Arc::new(engine);
        if self.search.engine.set(engine.clone()).is_err() {
            return Err(StoreError::Internal("search opened twice".into()));
        }
        let (hi, lo) = changes::bounds(&self.db).await?;
        let start = match payload {
            // An index ahead of the log was built from another database (or a
            // restored older copy): it is rebuilt, never trusted.
            Some(p) if p.seq <= hi && lo <= p.seq + 1 && hi - p.seq <= CATCH_UP_LIMIT => {
                Some(self.catch_up(&engine, p.seq).await?)
            }
            // A small database is built before serving; a large one in the background.
            _ if self.record_count().await? <= CATCH_UP_LIMIT as u64 => {
                Some(self.build(&engine).await?.0)
            }
            _ => None,
        };
        let store = self.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let work = async move {
            let mut seq = match start {
                Some(s) => s,
                None => {
                    store.search.building.store(true, Ordering::SeqCst);
                    let built = store.build(&engine).await;
                    store.search.building.store(false, Ordering::SeqCst);
                    match built {
                        Ok((seq, r)) => {
                            tracing::info!(
                                docs = r.docs,
                                seconds = r.seconds,
                                "search index built"
                            );
                            seq
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "search index build failed");
                            return;
                        }
                    }
                }
            };
            store.follow(&engine, &mut seq).await;
        };
        tokio::spawn(async move {
            tokio::select! {
                _ = stopped => {}
                _ = work => {}
            }
        });
        Ok(SearchHandle { _stop: stop })
    }

    /// Records of the largest families (enough to tell a small database).
    async fn record_count(&self) -> Result<u64, StoreError> {
        use sea_orm::PaginatorTrait;
        Ok(activity::Entity::find().count(&self.db).await?
            + partner::Entity::find().count(&self.db).await?
            + commitment::Entity::find().count(&self.db).await?)
    }

    /// Apply every change after `seq`; returns the new position.
    async fn catch_up(&self, engine: &Arc<Engine>, mut seq: i64) -> Result<i64, StoreError> {
        loop {
            let batch = changes::after(&self.db, seq, BATCH).await?;
            let Some(last) = batch.last().map(|c| c.seq) else {
                return Ok(seq);
            };
            let mut by_family: HashMap<String, HashSet<Uuid>> = HashMap::new();
            for c in batch {
                by_family.entry(c.kind).or_default().insert(c.record_id);
            }
            for (family, ids) in by_family {
                let ids: Vec<Uuid> = ids.into_iter().collect();
                for chunk in ids.chunks(BATCH as usize) {
                    let (docs, _) =
                        docs::load(self, &self.db, &family, Some(chunk), None, BATCH).await?;
                    engine.replace(chunk, &docs)?;
                }
            }
            let e = engine.clone();
            tokio::task::spawn_blocking(move || e.commit(last))
                .await
                .map_err(|e| StoreError::Internal(e.to_string()))??;
            seq = last;
        }
    }

    /// Follow the change log for as long as the process runs.
    async fn follow(&self, engine: &Arc<Engine>, seq: &mut i64) {
        let mut pruned = Instant::now();
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.catch_up(engine, *seq).await {
                Ok(s) => *seq = s,
                Err(e) => tracing::warn!(error = %e, "search index: catching up failed, retrying"),
            }
            if pruned.elapsed() > Duration::from_secs(3600) {
                pruned = Instant::now();
                if let Err(e) = changes::prune(&self.db, KEEP_DAYS).await {
                    tracing::warn!(error = %e, "search change log: pruning failed");
                }
                // Kept list pages live an hour: a day of their log is plenty.
                if let Err(e) = crate::scope_changes::prune(&self.db, 1).await {
                    tracing::warn!(error = %e, "activity scope change log: pruning failed");
                }
                if let Err(e) = self.throttle_prune().await {
                    tracing::warn!(error = %e, "sign-in counters: pruning failed");
                }
            }
        }
    }

    /// Write every live record into an emptied index; returns the change-log
    /// position it holds (changes after it are applied by the follower, and
    /// applying one twice is harmless).
    async fn build(&self, engine: &Arc<Engine>) -> Result<(i64, BuildReport), StoreError> {
        let started = Instant::now();
        let (hi, _) = changes::bounds(&self.db).await?;
        engine.clear()?;
        let mut n = 0u64;
        for family in docs::FAMILIES {
            let mut after = None;
            loop {
                let (docs, last) = docs::load(self, &self.db, family, None, after, BATCH).await?;
                n += docs.len() as u64;
                let e = engine.clone();
                tokio::task::spawn_blocking(move || e.add(&docs))
                    .await
                    .map_err(|e| StoreError::Internal(e.to_string()))??;
                match last {
                    Some(l) => after = Some(l),
                    None => break,
                }
            }
        }
        let e = engine.clone();
        tokio::task::spawn_blocking(move || e.commit(hi))
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))??;
        Ok((
            hi,
            BuildReport {
                docs: n,
                seconds: started.elapsed().as_secs_f64(),
                bytes: 0,
            },
        ))
    }

    /// Whether this process's index holds every change committed so far (the
    /// follower applies them within `POLL`): a test waits on it before
    /// comparing search with the database, and an operator's check can too.
    pub async fn search_caught_up(&self) -> Result<bool, StoreError> {
        let (hi, _) = changes::bounds(&self.db).await?;
        Ok(self.engine()?.position() >= hi)
    }

    /// This process's index position and the change log's head: how far
    /// search is behind the database (`None` when search is not open here).
    pub async fn search_lag(&self) -> Result<Option<(i64, i64)>, StoreError> {
        let Some(engine) = self.search.engine.get().cloned() else {
            return Ok(None);
        };
        let (hi, _) = changes::bounds(&self.db).await?;
        Ok(Some((engine.position(), hi)))
    }

    /// `kieng search rebuild`: build the index in `dir` from the database (the
    /// server using that directory must be stopped; others are unaffected).
    pub async fn search_rebuild(&self, dir: PathBuf) -> Result<BuildReport, StoreError> {
        let open_dir = dir.clone();
        let (engine, _) =
            tokio::task::spawn_blocking(move || Engine::open(&open_dir, 2, 200_000_000))
                .await
                .map_err(|e| StoreError::Internal(e.to_string()))??;
        let engine = Arc::new(engine);
        let (_, mut report) = self.build(&engine).await?;
        report.bytes = disk_bytes(&dir);
        Ok(report)
    }

    /// Search everything the reader may see.
    pub async fn search(&self, ctx: &Ctx, req: &SearchRequest) -> Result<SearchPage, StoreError> {
        let q =
            Query::parse(&req.q).map_err(|m| StoreError::Invalid(FieldErrors::single("q", m)))?;
        let engine = self.engine()?;
        let page = req.page.unwrap_or(1).clamp(1, MAX_PAGE);
        let actor = ctx.actor.clone();
        let kind = match req.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(Kind::parse(k).ok_or_else(|| {
                StoreError::Invalid(FieldErrors::single(
                    "kind",
                    kieng_domain::Msg::new(
                        "Loại hồ sơ không có: hãy chọn trong danh sách.",
                        "No such record kind: choose one from the list.",
                    ),
                ))
            })?),
        };
        let pillar = req.pillar.clone().filter(|p| !p.is_empty());
        let year = req.year;
        let words = q.clone();
        let (raw, total) = tokio::task::spawn_blocking(move || {
            engine.search(
                &words,
                &Filter {
                    kind,
                    pillar: pillar.as_deref(),
                    year,
                    clearance: crate::audit::rank(actor.clearance),
                    read: &actor.read,
                },
                (page - 1) * PER_PAGE,
                PER_PAGE,
            )
        })
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))??;
        let seen = self.still_visible(ctx, &raw).await?;
        let hits = raw
            .into_iter()
            .filter(|h| seen.contains(&h.id))
            .map(|h| Hit {
                title_marked: highlight(&h.title, &q.words),
                snippet: snippet(&h.body, &q.words, 180),
                kind: h.kind,
                id: h.id,
                title: h.title,
                pillar: h.pillar,
                date: h.date,
            })
            .collect();
        Ok(SearchPage {
            hits,
            total,
            page,
            per_page: PER_PAGE,
            words: q.words,
            building: self.search.building.load(Ordering::SeqCst),
        })
    }

    /// The hits the reader may see now, by the pages' own rules (the index may
    /// be a fraction of a second behind a reclassification or a deletion).
    async fn still_visible(
        &self,
        ctx: &Ctx,
        raw: &[engine::RawHit],
    ) -> Result<HashSet<Uuid>, StoreError> {
        let ids = |kinds: &[Kind]| -> Vec<Uuid> {
            raw.iter()
                .filter(|h| kinds.contains(&h.kind))
                .map(|h| h.id)
                .collect()
        };
        let clearance = crate::audit::rank(ctx.actor.clearance);
        let mut seen = HashSet::new();
        let p = ids(&[Kind::Partner, Kind::Person]);
        if !p.is_empty() {
            let rows: Vec<Uuid> = partner::Entity::find()
                .select_only()
                .column(partner::Column::Id)
                .filter(partner::Column::Id.is_in(p))
                .filter(partner::Column::DeletedAt.is_null())
                .filter(partner::Column::MergedIntoId.is_null())
                .filter(partner::Column::Classification.lte(clearance))
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(rows);
        }
        let a = ids(&[Kind::Agency]);
        if !a.is_empty() {
            let rows: Vec<Uuid> = agency::Entity::find()
                .select_only()
                .column(agency::Column::Id)
                .filter(agency::Column::Id.is_in(a))
                .filter(agency::Column::DeletedAt.is_null())
                .filter(agency::Column::Classification.lte(clearance))
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(rows);
        }
        // Activities, agreements, commitments: the pages' rule, by id.
        seen.extend(
            self.seen_records(
                ids(&[Kind::Activity]),
                ids(&[Kind::Agreement]),
                ids(&[Kind::Commitment]),
                ctx,
            )
            .await?,
        );
        seen.extend(self.seen_reports(ids(&[Kind::Report]), ctx).await?);
        seen.extend(
            self.seen_plans(ids(&[Kind::Plan]), ids(&[Kind::Task]), ctx)
                .await?,
        );
        for id in ids(&[Kind::Case]) {
            if Self::visible_case(&self.db, ctx, id).await.is_ok() {
                seen.insert(id);
            }
        }
        // Mechanisms and roles held: reference, while not retired or removed.
        let m = ids(&[Kind::Mechanism]);
        if !m.is_empty() {
            let rows: Vec<Uuid> = mechanism::Entity::find()
                .select_only()
                .column(mechanism::Column::Id)
                .filter(mechanism::Column::Id.is_in(m))
                .filter(mechanism::Column::RetiredAt.is_null())
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(rows);
        }
        let r = ids(&[Kind::Role]);
        if !r.is_empty() {
            let rows: Vec<Uuid> = mechanism_role::Entity::find()
                .select_only()
                .column(mechanism_role::Column::Id)
                .filter(mechanism_role::Column::Id.is_in(r))
                .filter(mechanism_role::Column::DeletedAt.is_null())
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(rows);
        }
        let c = ids(&[Kind::Candidacy]);
        if !c.is_empty() {
            let rows: Vec<Uuid> = candidacy::Entity::find()
                .select_only()
                .column(candidacy::Column::Id)
                .filter(candidacy::Column::Id.is_in(c))
                .filter(Self::candidacy_visible(ctx))
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(rows);
        }
        Ok(seen)
    }
}
