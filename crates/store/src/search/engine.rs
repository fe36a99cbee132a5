//! The tantivy index: its schema, writing docs, and turning a parsed query plus
//! the reader's rights into one tantivy query. Nothing typed by a user reaches
//! tantivy's query parser — words become term and prefix queries built here, so
//! no input is ever a syntax error.
//!
//! Ranking is by constant weights, not BM25, so it is predictable: a title equal
//! to the whole query (100), an alias equal to it (50), then per word a whole
//! word of the title (10) or of the text (3); the last word may be unfinished:
//! the beginning of a title word (4) or of a text word (1). Ties go to the more
//! recent record.

use super::docs::Doc;
use crate::StoreError;
use kieng_domain::access::AgencySet;
use kieng_domain::search::{Kind, Query};
use kieng_domain::text::fold;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query as TQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

/// Raised whenever the schema or what a doc holds changes: an index written by
/// another version is rebuilt.
pub(crate) const VERSION: u32 = 7;

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    key: Field,
    kind: Field,
    title_f: Field,
    body_f: Field,
    exact_title: Field,
    exact: Field,
    title: Field,
    body: Field,
    pillar: Field,
    year: Field,
    date: Field,
    cls: Field,
    scope: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::Basic),
    );
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        title_f: b.add_text_field("title_f", words.clone()),
        body_f: b.add_text_field("body_f", words),
        exact_title: b.add_text_field("exact_title", STRING),
        exact: b.add_text_field("exact", STRING),
        title: b.add_text_field("title", STORED),
        body: b.add_text_field("body", STORED),
        pillar: b.add_text_field("pillar", STRING | STORED),
        year: b.add_i64_field("year", INDEXED),
        date: b.add_i64_field("date", FAST | STORED),
        cls: b.add_i64_field("cls", INDEXED),
        scope: b.add_text_field("scope", STRING),
    };
    (b.build(), f)
}

/// What the last commit recorded: the index's version and the change-log
/// position it holds everything up to.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub(crate) struct Payload {
    pub v: u32,
    pub seq: i64,
}

pub(crate) struct Engine {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    f: Fields,
    /// The change-log position the searchable index holds (-1: none yet).
    position: std::sync::atomic::AtomicI64,
}

/// A match as the index returns it.
#[derive(Debug, Clone)]
pub(crate) struct RawHit {
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub pillar: Option<String>,
    pub date: chrono::NaiveDate,
}

/// A match's rank (constant score, then its day) and where it is.
type Ranked = ((f32, i64), DocAddress);

/// Filters beyond the words, and the reader's rights.
pub(crate) struct Filter<'a> {
    pub kind: Option<Kind>,
    pub pillar: Option<&'a str>,
    pub year: Option<i32>,
    pub clearance: i16,
    pub read: &'a AgencySet,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("search index: {e}"))
}

/// 1970-01-01, the day dates are counted from.
fn epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::default()
}

/// How much lower than the requests' the index writer's threads run (`nice`).
const BACKGROUND_NICE: i32 = 10;

/// Create the index writer from a thread of lower CPU priority: tantivy spawns
/// its indexing, segment-updater and merge threads here and they inherit it
/// (Linux keeps a nice value per thread), so keeping the index current yields
/// to the requests on a small machine — with the writer at the requests'
/// priority a save waited behind the index's commits (PostgreSQL, 1,000,000
/// activities, 300 saves in a row: p95 20 → 15 ms with its threads reniced).
fn background_writer(
    index: &Index,
    threads: usize,
    memory: usize,
) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    std::thread::scope(|s| {
        s.spawn(|| {
            lower_priority();
            index.writer_with_num_threads(threads, memory)
        })
        .join()
        .unwrap_or_else(|_| {
            Err(tantivy::TantivyError::SystemError(
                "creating the index writer failed".into(),
            ))
        })
    })
}

/// Lower the calling thread's CPU priority (only it, on Linux); a failure
/// leaves it as it was, which is only slower.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, BACKGROUND_NICE);
}

impl Engine {
    /// Open the index in `dir`, creating it (or starting over when it was written
    /// by another version). Returns the engine and what its last commit recorded
    /// (`None`: empty, needs a full build). Only one process may hold it.
    pub fn open(
        dir: &Path,
        threads: usize,
        memory: usize,
    ) -> Result<(Self, Option<Payload>), StoreError> {
        let (schema, f) = schema();
        std::fs::create_dir_all(dir).map_err(err)?;
        let existing = dir.join("meta.json").exists();
        let mut index = None;
        let mut payload = None;
        if existing {
            match Index::open_in_dir(dir) {
                Ok(i) if i.schema() == schema => {
                    payload = i
                        .load_metas()
                        .ok()
                        .and_then(|m| m.payload)
                        .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
                        .filter(|p| p.v == VERSION);
                    index = Some(i);
                }
                _ => {}
            }
        }
        let index = match index {
            Some(i) => i,
            None => {
                if existing {
                    tracing::info!(dir = %dir.display(), "search index from another version: starting over");
                    for e in std::fs::read_dir(dir).map_err(err)?.flatten() {
                        let p = e.path();
                        if p.is_file() {
                            std::fs::remove_file(&p).map_err(err)?;
                        }
                    }
                }
                Index::create_in_dir(dir, schema).map_err(err)?
            }
        };
        // A process that held it may still be exiting (a restart): wait up to 3 s.
        let mut tries = 0;
        let writer = loop {
            match background_writer(&index, threads, memory) {
                Ok(w) => break w,
                Err(tantivy::TantivyError::LockFailure(..)) if tries < 60 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(StoreError::Internal(format!(
                        "the search index in {} is in use by another process; give each server its own --data-dir, or stop the server first",
                        dir.display()
                    )));
                }
                Err(e) => return Err(err(e)),
            }
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok((
            Self {
                reader,
                writer: Mutex::new(writer),
                f,
                position: std::sync::atomic::AtomicI64::new(payload.as_ref().map_or(-1, |p| p.seq)),
            },
            payload,
        ))
    }

    fn writer(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>>, StoreError> {
        self.writer.lock().map_err(|_| err("writer lock poisoned"))
    }

    fn doc(&self, d: &Doc) -> TantivyDocument {
        let f = self.f;
        let mut t = TantivyDocument::default();
        t.add_text(f.key, d.id.to_string());
        t.add_text(f.kind, d.kind.as_str());
        let mut title_f = fold(&d.title);
        t.add_text(f.exact_title, &title_f);
        for a in &d.aliases {
            let k = fold(a);
            if !k.is_empty() {
                t.add_text(f.exact, &k);
                title_f.push(' ');
                title_f.push_str(&k);
            }
        }
        // Short forms officials write ("TP.HCM") of long names in the record.
        let title_fold = fold(&d.title);
        for short in kieng_domain::search::short_forms(&title_fold) {
            title_f.push(' ');
            title_f.push_str(short);
        }
        let mut body_f = fold(&d.body);
        for short in kieng_domain::search::short_forms(&body_f) {
            body_f.push(' ');
            body_f.push_str(short);
        }
        t.add_text(f.title_f, &title_f);
        t.add_text(f.body_f, body_f);
        t.add_text(f.title, &d.title);
        t.add_text(f.body, &d.body);
        if let Some(p) = &d.pillar {
            t.add_text(f.pillar, p);
        }
        use chrono::Datelike;
        t.add_i64(f.year, i64::from(d.date.year()));
        t.add_i64(f.date, (d.date - epoch()).num_days());
        t.add_i64(f.cls, i64::from(d.classification));
        match &d.agencies {
            None => t.add_text(f.scope, "*"),
            Some(ids) => {
                for a in ids {
                    t.add_text(f.scope, a.to_string());
                }
            }
        }
        // Seen through an agency only at a higher clearance: "agency@rank".
        for (a, r) in &d.raised {
            t.add_text(f.scope, format!("{a}@{r}"));
        }
        t
    }

    /// Replace the docs of `ids` with `docs` (a record missing from `docs` is
    /// gone: deleted, merged, or never existed).
    pub fn replace(&self, ids: &[Uuid], docs: &[Doc]) -> Result<(), StoreError> {
        let w = self.writer()?;
        for id in ids {
            w.delete_term(Term::from_field_text(self.f.key, &id.to_string()));
        }
        for d in docs {
            w.add_document(self.doc(d)).map_err(err)?;
        }
        Ok(())
    }

    /// Add docs known to be new (a rebuild).
    pub fn add(&self, docs: &[Doc]) -> Result<(), StoreError> {
        let w = self.writer()?;
        for d in docs {
            w.add_document(self.doc(d)).map_err(err)?;
        }
        Ok(())
    }

    pub fn clear(&self) -> Result<(), StoreError> {
        self.writer()?.delete_all_documents().map_err(err)?;
        Ok(())
    }

    /// Make what was written searchable, recording the change-log position.
    pub fn commit(&self, seq: i64) -> Result<(), StoreError> {
        {
            let mut w = self.writer()?;
            let mut c = w.prepare_commit().map_err(err)?;
            c.set_payload(&serde_json::to_string(&Payload { v: VERSION, seq }).map_err(err)?);
            c.commit().map_err(err)?;
        }
        self.reader.reload().map_err(err)?;
        self.position
            .store(seq, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// The change-log position the searchable index holds.
    pub fn position(&self) -> i64 {
        self.position.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn words(&self, q: &Query) -> Box<dyn TQuery> {
        let f = self.f;
        let konst = |q: Box<dyn TQuery>, s: f32| -> (Occur, Box<dyn TQuery>) {
            (Occur::Should, Box::new(ConstScoreQuery::new(q, s)))
        };
        let term = |field: Field, w: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::Basic,
            ))
        };
        let prefix = |field: Field, w: &str| -> Box<dyn TQuery> {
            Box::new(FuzzyTermQuery::new_prefix(
                Term::from_field_text(field, w),
                0,
                false,
            ))
        };
        let mut must: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (i, w) in q.words.iter().enumerate() {
            let any = if i + 1 < q.words.len() {
                vec![
                    konst(term(f.title_f, w), 10.0),
                    konst(term(f.body_f, w), 3.0),
                ]
            } else {
                vec![
                    konst(term(f.title_f, w), 6.0),
                    konst(term(f.body_f, w), 2.0),
                    konst(prefix(f.title_f, w), 4.0),
                    konst(prefix(f.body_f, w), 1.0),
                ]
            };
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        must.push(konst(term(f.exact_title, &q.exact), 100.0));
        must.push(konst(term(f.exact, &q.exact), 50.0));
        Box::new(BooleanQuery::new(must))
    }

    fn filters(&self, flt: &Filter<'_>) -> Vec<(Occur, Box<dyn TQuery>)> {
        let f = self.f;
        let zero = |q: Box<dyn TQuery>| -> (Occur, Box<dyn TQuery>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        let mut out = Vec::new();
        out.push(zero(Box::new(TermSetQuery::new(
            (0..=flt.clearance).map(|r| Term::from_field_i64(f.cls, i64::from(r))),
        ))));
        if let AgencySet::Only(ids) = flt.read {
            let mut terms = vec![Term::from_field_text(f.scope, "*")];
            terms.extend(
                ids.iter()
                    .map(|a| Term::from_field_text(f.scope, &a.to_string())),
            );
            // An agency a record is seen through only above its own
            // classification counts for a reader cleared that high.
            terms.extend(ids.iter().flat_map(|a| {
                (1..=flt.clearance)
                    .map(move |r| Term::from_field_text(f.scope, &format!("{a}@{r}")))
            }));
            out.push(zero(Box::new(TermSetQuery::new(terms))));
        }
        if let Some(k) = flt.kind {
            out.push(zero(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, k.as_str()),
                IndexRecordOption::Basic,
            ))));
        }
        if let Some(p) = flt.pillar {
            out.push(zero(Box::new(TermQuery::new(
                Term::from_field_text(f.pillar, p),
                IndexRecordOption::Basic,
            ))));
        }
        if let Some(y) = flt.year {
            out.push(zero(Box::new(TermQuery::new(
                Term::from_field_i64(f.year, i64::from(y)),
                IndexRecordOption::Basic,
            ))));
        }
        out
    }

    /// The matches the reader may see: one page, best first, and how many in all.
    pub fn search(
        &self,
        q: &Query,
        flt: &Filter<'_>,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<RawHit>, usize), StoreError> {
        let mut clauses = self.filters(flt);
        clauses.push((Occur::Must, self.words(q)));
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .tweak_score(move |seg: &tantivy::SegmentReader| {
                let dates = seg
                    .fast_fields()
                    .i64("date")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    (score, dates.as_ref().map(|d| d.get_val(doc)).unwrap_or(0))
                }
            });
        let (top, total): (Vec<Ranked>, usize) =
            searcher.search(&query, &(top, Count)).map_err(err)?;
        let mut hits = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(err)?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let (Some(kind), Some(id)) = (
                text(self.f.kind).as_deref().and_then(Kind::parse),
                text(self.f.key).and_then(|k| Uuid::parse_str(&k).ok()),
            ) else {
                continue;
            };
            let days = d
                .get_first(self.f.date)
                .and_then(|v| v.as_i64())
                .unwrap_or(0);
            hits.push(RawHit {
                kind,
                id,
                title: text(self.f.title).unwrap_or_default(),
                body: text(self.f.body).unwrap_or_default(),
                pillar: text(self.f.pillar),
                date: epoch() + chrono::Duration::days(days),
            });
        }
        Ok((hits, total))
    }
}
