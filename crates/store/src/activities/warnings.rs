//! Coordination warnings: what another pillar or agency is doing with the same
//! partner or the same person at the same time, several incoming delegations from
//! one partner in a week, and reports overdue. Warnings never block saving; a
//! coordinator acknowledges one with a note.
//!
//! A warning names the other activity (title, dates, lead agency) whenever it is
//! within the reader's clearance, even outside their scope: seeing another
//! pillar's visit before it happens is the purpose of this module. Opening the
//! other activity still needs scope.

use crate::agencies::AgencyRef;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{activity, activity_partner, activity_person, partner, warning_ack};
use crate::{Ctx, Store, StoreError, now};
use futures_util::TryFutureExt;
use kieng_domain::activity::{
    INCOMING, MAX_DAYS, Status, near, overlap, report_overdue, same_week,
};
use kieng_domain::coordination::{Reason, days_apart, pair, pair_key};
use kieng_domain::{FieldErrors, Msg, Role};
use sea_orm::sea_query::{Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, QueryTrait};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Another activity, as much as a warning shows of it.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub id: Uuid,
    pub title: String,
    pub type_code: String,
    pub pillar: String,
    pub status: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub lead: Option<AgencyRef>,
    /// The reader's scope covers it, so a link to it opens; otherwise it is
    /// shown as text.
    pub open: bool,
    /// Its classification rank: a record naming it is classified at least as high.
    #[serde(skip)]
    pub(crate) rank: i16,
}

/// What a reader sees about one activity: another activity it clashes with
/// (one entry per pair, every reason at once), or its own overdue report.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// clash | report_overdue
    pub kind: &'static str,
    /// Stable across recomputation, and for a clash the same from either
    /// side's point of view once filed: what an acknowledgement is sent with.
    pub key: String,
    /// Why the two clash (empty for an overdue report).
    pub reasons: Vec<Reason>,
    pub other: Option<Brief>,
    pub ack: Option<Ack>,
}

impl Warning {
    /// Every reason in one line, in both languages.
    pub fn label(&self) -> Msg {
        kieng_domain::coordination::label(&self.reasons)
    }
}

/// Who acknowledged a warning, when, and how it was coordinated.
#[derive(Debug, Clone, Serialize)]
pub struct Ack {
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The display name of who acknowledged it.
    pub by: Option<String>,
}

/// An activity as the calendar's flags need it: id, start, end.
pub(crate) type Span = (
    Uuid,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
);

/// Activities whose warnings the board computes together.
const BOARD_RUN: usize = 100;

/// What a warning shows of an activity.
fn brief(dir: &crate::cache::Directory, a: &activity::Model, open: bool) -> Brief {
    Brief {
        id: a.id,
        title: a.title.clone(),
        type_code: a.type_code.clone(),
        pillar: a.pillar.clone(),
        status: a.status.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        lead: super::lead_of(dir, a),
        open,
        rank: a.classification,
    }
}

impl Store {
    /// Other live, uncancelled activities within the reader's clearance, of
    /// those `ids` selects, each marked open when the reader's scope covers it.
    async fn briefs(
        &self,
        ctx: &Ctx,
        ids: SelectStatement,
    ) -> Result<HashMap<Uuid, (activity::Model, Brief)>, StoreError> {
        let (dir, rows, open) = tokio::try_join!(
            self.directory(),
            activity::Entity::find()
                .filter(activity::Column::Id.in_subquery(ids.clone()))
                .filter(activity::Column::DeletedAt.is_null())
                .filter(activity::Column::Status.ne(Status::Cancelled.as_str()))
                .filter(activity::Column::Classification.lte(rank(ctx.actor.clearance)))
                .all(&self.db)
                .map_err(StoreError::from),
            activity::Entity::find()
                .select_only()
                .column(activity::Column::Id)
                .filter(activity::Column::Id.in_subquery(ids))
                .filter(Self::visible(ctx, self.db.get_database_backend()))
                .into_tuple::<Uuid>()
                .all(&self.db)
                .map_err(StoreError::from),
        )?;
        let open: HashSet<Uuid> = open.into_iter().collect();
        Ok(rows
            .into_iter()
            .map(|a| {
                let b = brief(&dir, &a, open.contains(&a.id));
                (a.id, (a, b))
            })
            .collect())
    }

    /// Every coordination warning of one activity, with acknowledgements.
    pub(crate) async fn activity_warnings(
        &self,
        ctx: &Ctx,
        a: &activity::Model,
    ) -> Result<Vec<Warning>, StoreError> {
        let mut all = self.warnings_of(ctx, std::slice::from_ref(a)).await?;
        Ok(all.remove(&a.id).unwrap_or_default())
    }

    /// Every coordination warning of each of these activities, with
    /// acknowledgements: the same eight queries whatever the number of rows (the
    /// coordinator's board reads hundreds at once). Rows are best given close in
    /// time, since the partners' links are read over the span they cover.
    pub(crate) async fn warnings_of(
        &self,
        ctx: &Ctx,
        rows: &[activity::Model],
    ) -> Result<HashMap<Uuid, Vec<Warning>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<Warning>> = HashMap::new();
        let live: Vec<&activity::Model> = rows
            .iter()
            .filter(|a| a.status != Status::Cancelled.as_str())
            .collect();
        let (Some(first), Some(last)) = (
            live.iter().map(|a| a.starts_at).min(),
            live.iter().map(|a| a.ends_at).max(),
        ) else {
            return Ok(out);
        };
        let ids: Vec<Uuid> = live.iter().map(|a| a.id).collect();
        let days = self.config.coordination_days;
        let window = chrono::Duration::days(days.max(7));
        let longest = chrono::Duration::days(MAX_DAYS);
        let db = &self.db;
        // Every read below is independent of the others — what the activities'
        // own links would name is a subquery, not an earlier answer — so they run
        // at once, each on its own pooled connection: a save's answer waits for
        // the slowest statement, not for three rounds of them.
        let mine_partners = Query::select()
            .column(activity_partner::Column::PartnerId)
            .from(activity_partner::Entity)
            .and_where(activity_partner::Column::ActivityId.is_in(ids.clone()))
            .to_owned();
        let mine_people = Query::select()
            .column(activity_person::Column::NameKey)
            .from(activity_person::Entity)
            .and_where(activity_person::Column::ActivityId.is_in(ids.clone()))
            .to_owned();
        // (a) and (c): the same partner — each partner's links in the window.
        let near_links = activity_partner::Entity::find()
            .filter(activity_partner::Column::PartnerId.in_subquery(mine_partners.clone()))
            .filter(activity_partner::Column::StartsAt.lte(last + window))
            .filter(activity_partner::Column::StartsAt.gte(first - window - longest))
            .filter(activity_partner::Column::EndsAt.gte(first - window));
        // (b): the same person in two overlapping activities.
        let clashing = activity_person::Entity::find()
            .filter(activity_person::Column::NameKey.in_subquery(mine_people))
            .filter(activity_person::Column::StartsAt.lt(last))
            .filter(activity_person::Column::StartsAt.gte(first - longest))
            .filter(activity_person::Column::EndsAt.gt(first));
        // The other activities either could name: one `IN` over a `UNION ALL`
        // (an `OR` of two `IN`s has PostgreSQL scan every activity).
        let others = {
            let mut q = near_links
                .clone()
                .select_only()
                .column(activity_partner::Column::ActivityId)
                .into_query();
            q.union(
                UnionType::All,
                clashing
                    .clone()
                    .select_only()
                    .column(activity_person::Column::ActivityId)
                    .into_query(),
            );
            q
        };
        let (mine, link_rows, names, people, clashes, acks, briefs) =
            tokio::try_join!(
                activity_partner::Entity::find()
                    .filter(activity_partner::Column::ActivityId.is_in(ids.clone()))
                    .all(db)
                    .map_err(StoreError::from),
                near_links.all(db).map_err(StoreError::from),
                // A partner above the reader's clearance raises no warning: its name
                // and the fact of it sharing an activity are both above clearance.
                partner::Entity::find()
                    .filter(partner::Column::Id.in_subquery(mine_partners))
                    .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
                    .all(db)
                    .map_err(StoreError::from),
                activity_person::Entity::find()
                    .filter(activity_person::Column::ActivityId.is_in(ids.clone()))
                    .all(db)
                    .map_err(StoreError::from),
                clashing.all(db).map_err(StoreError::from),
                // A pair's acknowledgement is filed under its first activity, so
                // the other side finds it by key.
                warning_ack::Entity::find()
                    .filter(
                        sea_orm::Condition::any()
                            .add(warning_ack::Column::ActivityId.is_in(ids.clone()))
                            .add(warning_ack::Column::WarningKey.is_in(
                                ids.iter().map(|i| kieng_domain::coordination::pair_key(*i)),
                            )),
                    )
                    .all(db)
                    .map_err(StoreError::from),
                self.briefs(ctx, others),
            )?;
        let ackers = self
            .user_names(acks.iter().filter_map(|k| k.actor_id).collect())
            .await?;
        let mut links: HashMap<Uuid, Vec<activity_partner::Model>> = HashMap::new();
        for l in link_rows {
            links.entry(l.partner_id).or_default().push(l);
        }
        for list in links.values_mut() {
            list.sort_by_key(|l| l.starts_at);
        }
        let partner_names: HashMap<Uuid, String> =
            names.into_iter().map(|p| (p.id, p.name_vi)).collect();
        let acks: HashMap<(Uuid, String), Ack> = acks
            .into_iter()
            .map(|k| {
                let ack = Ack {
                    by: k.actor_id.and_then(|i| ackers.get(&i).cloned()),
                    note: k.note,
                    at: k.at,
                };
                ((k.activity_id, k.warning_key), ack)
            })
            .collect();
        let mut partners_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for m in &mine {
            partners_of
                .entry(m.activity_id)
                .or_default()
                .push(m.partner_id);
        }
        let mut shared =
            shared_partners(&live, &partners_of, &partner_names, &links, window, longest);
        let read = Read {
            briefs: &briefs,
            people: &people,
            clashes: &clashes,
            acks: &acks,
            days,
            report_due_days: self.config.report_due_days,
            now: now(),
        };
        for a in &live {
            out.insert(
                a.id,
                read.warnings(a, shared.remove(&a.id).unwrap_or_default()),
            );
        }
        Ok(out)
    }

    /// Of these activities, the ones with another activity (any agency or pillar,
    /// within the reader's clearance) with the same partner within the coordination
    /// window: what the calendar marks. One statement per hundred activities: the
    /// activities and their windows as a `VALUES` list, each tested by one
    /// correlated `EXISTS` over its partners' links (on PostgreSQL as a join, so it
    /// seeks each partner's range; as `IN (subquery)` it scanned every partner's)
    /// that stops at the first live neighbour in the partner-link index (clearance is copied there, trashed activities are not
    /// in it). Reading every link of a month's busy partners instead cost SQLite
    /// ~50 ms, and a `UNION` of one probe per activity cost PostgreSQL ~15 ms of
    /// planning per fifty.
    pub async fn coordination_flags(
        &self,
        ctx: &Ctx,
        rows: &[super::ActivityRow],
    ) -> Result<HashSet<Uuid>, StoreError> {
        let spans: Vec<Span> = rows
            .iter()
            .map(|r| &r.activity)
            .filter(|a| a.status != Status::Cancelled.as_str())
            .map(|a| (a.id, a.starts_at, a.ends_at))
            .collect();
        self.flags_of(ctx, &spans).await
    }

    /// `coordination_flags` of uncancelled activities given by id and span: the
    /// runs of a hundred go at once, each on its own pooled connection.
    pub(crate) async fn flags_of(
        &self,
        ctx: &Ctx,
        spans: &[Span],
    ) -> Result<HashSet<Uuid>, StoreError> {
        let runs = spans.chunks(100).map(|run| self.flags_run(ctx, run));
        Ok(futures_util::future::try_join_all(runs)
            .await?
            .into_iter()
            .flatten()
            .collect())
    }

    /// One statement: which of (at most a hundred) activities are flagged.
    async fn flags_run(&self, ctx: &Ctx, run: &[Span]) -> Result<Vec<Uuid>, StoreError> {
        use sea_orm::{ConnectionTrait, Statement, Value};
        let gap = chrono::Duration::days(self.config.coordination_days);
        let longest = chrono::Duration::days(MAX_DAYS);
        let backend = self.db.get_database_backend();
        let mut values: Vec<Value> = Vec::with_capacity(run.len() * 6 + 1);
        let mut rows_sql: Vec<String> = Vec::with_capacity(run.len());
        for (j, (id, starts, ends)) in run.iter().enumerate() {
            let k = values.len();
            rows_sql.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                k + 1,
                k + 2,
                k + 3,
                k + 4,
                k + 5,
                k + 6
            ));
            // near(): the other starts by our end + gap and ends after our start − gap;
            // nothing lasts longer than MAX_DAYS, which bounds the index range below.
            // Most activities last days, not months: the probe first reads the
            // links starting within a week before that (`near`), and only when
            // none is live the whole range — which for a busy partner is ~300
            // links before the first that could overlap (a pillar's month of 250
            // flags: ~27 → ~15 ms on SQLite).
            values.push((j as i64).into());
            values.push((*id).into());
            values.push((*starts - gap - longest).into());
            values.push((*ends + gap).into());
            values.push((*starts - gap).into());
            values.push((*starts - gap - chrono::Duration::days(7)).into());
        }
        values.push(rank(ctx.actor.clearance).into());
        // The same test in the shape each planner does best: PostgreSQL seeks each
        // partner's range only from a join; SQLite runs the `IN` twice as fast.
        let partners = if backend == sea_orm::DbBackend::Postgres {
            "FROM activity_partners p JOIN activity_partners o ON o.partner_id = p.partner_id
             JOIN activities a ON a.id = o.activity_id WHERE p.activity_id = s.id"
        } else {
            "FROM activity_partners o JOIN activities a ON a.id = o.activity_id
             WHERE o.partner_id IN (SELECT p.partner_id FROM activity_partners p WHERE p.activity_id = s.id)"
        };
        // A shared partner above the reader's clearance flags nothing (the
        // warning itself would name it); a reader cleared for everything skips
        // the look-up.
        let partner_seen = if ctx.actor.clearance == kieng_domain::Classification::TuyetMat {
            String::new()
        } else {
            format!(
                "AND EXISTS (SELECT 1 FROM partners pt WHERE pt.id = o.partner_id AND pt.classification <= ${})",
                values.len()
            )
        };
        let probe = |low: &str| {
            format!(
                "EXISTS (SELECT 1 {partners}
                 AND o.activity_id <> s.id
                 AND o.starts_at >= s.{low} AND o.starts_at <= s.high AND o.ends_at >= s.since
                 AND o.classification <= ${cls}
                 AND a.deleted_at IS NULL AND a.status <> 'cancelled' {partner_seen})",
                cls = values.len(),
            )
        };
        let sql = format!(
            "WITH shown (i, id, low, high, since, near) AS (VALUES {rows})
             SELECT s.i FROM shown s WHERE {near} OR {all}",
            rows = rows_sql.join(", "),
            near = probe("near"),
            all = probe("low"),
        );
        let mut flagged = Vec::new();
        for row in self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            let i: i64 = row.try_get_by_index(0)?;
            if let Some((id, _, _)) = usize::try_from(i).ok().and_then(|i| run.get(i)) {
                flagged.push(*id);
            }
        }
        Ok(flagged)
    }

    /// A coordinator (or leader) acknowledges one warning of an activity in scope, with a note.
    pub async fn activity_ack_warning(
        &self,
        ctx: &Ctx,
        id: Uuid,
        key: &str,
        note: &str,
    ) -> Result<(), StoreError> {
        if !matches!(ctx.actor.role, Role::Coordinator | Role::Leader) {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ cán bộ điều phối hoặc lãnh đạo ghi nhận cảnh báo.",
                "Only a coordinator or a leader acknowledges warnings.",
            )));
        }
        let a = Self::visible_activity(&self.db, ctx, id).await?;
        let note = kieng_domain::text::clean(note, true);
        if note.is_empty() || note.chars().count() > 2_000 {
            return Err(FieldErrors::single(
                "note",
                Msg::new(
                    "Ghi chú ngắn (tối đa 2.000 ký tự) về cách đã phối hợp.",
                    "A short note (up to 2,000 characters) on how this was coordinated.",
                ),
            )
            .into());
        }
        let Some(w) = self
            .activity_warnings(ctx, &a)
            .await?
            .into_iter()
            .find(|w| w.key == key)
        else {
            return Err(StoreError::NotFound);
        };
        // A pair is filed under its first activity, whichever side acknowledges.
        let (activity_id, warning_key) = match &w.other {
            Some(o) => {
                let (low, high) = pair(id, o.id);
                (low, pair_key(high))
            }
            None => (id, w.key.clone()),
        };
        let row = warning_ack::Model {
            activity_id,
            warning_key,
            note,
            at: now(),
            actor_id: Some(ctx.actor.user_id),
        };
        let tx = self.begin_write().await?;
        warning_ack::Entity::delete_by_id((row.activity_id, row.warning_key.clone()))
            .exec(&tx)
            .await?;
        warning_ack::Entity::insert(row.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                // The entry names the other activity too.
                classification: from_rank(
                    a.classification.max(w.other.as_ref().map_or(0, |o| o.rank)),
                ),
                after: serde_json::to_value(&row).ok(),
                ..Change::new(super::ENTITY, id, "acknowledge")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The coordinator's page: one entry per clashing pair and per overdue
    /// report, of the activities in scope that are open or recently ended,
    /// soonest first (at most `limit` activities looked at). A pair whose two
    /// activities are both in scope is listed once, under the earlier.
    pub async fn coordination_board(
        &self,
        ctx: &Ctx,
        limit: u64,
    ) -> Result<Vec<BoardItem>, StoreError> {
        use sea_orm::{QueryOrder, QuerySelect};
        let since = now() - chrono::Duration::days(90);
        let rows = activity::Entity::find()
            .filter(Self::visible(ctx, self.db.get_database_backend()))
            .filter(activity::Column::EndsAt.gte(since))
            // Nothing lasts longer than MAX_DAYS: one bounded index range.
            .filter(activity::Column::StartsAt.gte(since - chrono::Duration::days(MAX_DAYS)))
            .filter(activity::Column::Status.is_in([
                Status::Draft.as_str(),
                Status::Submitted.as_str(),
                Status::Approved.as_str(),
                Status::Returned.as_str(),
                Status::Done.as_str(),
            ]))
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let dir = self.directory().await?;
        let mut out = Vec::new();
        let mut pairs: HashSet<(Uuid, Uuid)> = HashSet::new();
        // In runs of neighbours in time, so each run reads its partners' links
        // over a short span.
        for run in rows.chunks(BOARD_RUN) {
            let mut ws = self.warnings_of(ctx, run).await?;
            for a in run {
                for warning in ws.remove(&a.id).unwrap_or_default() {
                    if let Some(o) = &warning.other
                        && !pairs.insert(pair(a.id, o.id))
                    {
                        continue;
                    }
                    out.push(BoardItem {
                        activity: brief(&dir, a, true),
                        warning,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// One entry of the coordination board: an activity in the reader's scope and
/// one of its warnings — a clash with another activity, or its overdue report.
#[derive(Debug, Clone, Serialize)]
pub struct BoardItem {
    pub activity: Brief,
    pub warning: Warning,
}

/// For each activity, the others sharing a partner within its window, with the
/// names of the partners shared (a partner the reader may not see is left out:
/// `partner_names` holds only those within clearance). `links` are each
/// partner's links, sorted by start.
fn shared_partners(
    live: &[&activity::Model],
    partners_of: &HashMap<Uuid, Vec<Uuid>>,
    partner_names: &HashMap<Uuid, String>,
    links: &HashMap<Uuid, Vec<activity_partner::Model>>,
    window: chrono::Duration,
    longest: chrono::Duration,
) -> HashMap<Uuid, BTreeMap<Uuid, Vec<String>>> {
    let mut shared: HashMap<Uuid, BTreeMap<Uuid, Vec<String>>> = HashMap::new();
    for a in live {
        let from = a.starts_at - window - longest;
        for p in partners_of.get(&a.id).into_iter().flatten() {
            let Some(name) = partner_names.get(p) else {
                continue;
            };
            let Some(list) = links.get(p) else { continue };
            let start = list.partition_point(|l| l.starts_at < from);
            for l in list[start..]
                .iter()
                .take_while(|l| l.starts_at <= a.ends_at + window)
                .filter(|l| l.activity_id != a.id && l.ends_at >= a.starts_at - window)
            {
                shared
                    .entry(a.id)
                    .or_default()
                    .entry(l.activity_id)
                    .or_default()
                    .push(name.clone());
            }
        }
    }
    shared
}

/// What the warnings of a set of activities are made from, read at once.
struct Read<'a> {
    briefs: &'a HashMap<Uuid, (activity::Model, Brief)>,
    people: &'a [activity_person::Model],
    clashes: &'a [activity_person::Model],
    acks: &'a HashMap<(Uuid, String), Ack>,
    days: i64,
    report_due_days: i64,
    now: chrono::DateTime<chrono::Utc>,
}

impl Read<'_> {
    /// One activity's warnings: one per other activity it clashes with, every
    /// reason at once, then its own overdue report; by the other's start.
    fn warnings(&self, a: &activity::Model, shared: BTreeMap<Uuid, Vec<String>>) -> Vec<Warning> {
        let span = (a.starts_at, a.ends_at);
        let mut reasons: BTreeMap<Uuid, Vec<Reason>> = BTreeMap::new();
        for (id, names) in shared {
            let Some((o, _)) = self.briefs.get(&id) else {
                continue;
            };
            let other = (o.starts_at, o.ends_at);
            let partners = names.join(", ");
            if near(span, other, self.days) {
                reasons.entry(id).or_default().push(Reason::SamePartner {
                    partners: partners.clone(),
                    days_apart: days_apart(span, other),
                    overlap: overlap(span, other),
                });
            }
            if a.type_code == INCOMING
                && o.type_code == INCOMING
                && same_week(a.starts_at, o.starts_at)
            {
                reasons
                    .entry(id)
                    .or_default()
                    .push(Reason::IncomingWeek { partners });
            }
        }
        let names: HashMap<&str, &str> = self
            .people
            .iter()
            .filter(|p| p.activity_id == a.id)
            .map(|p| (p.name_key.as_str(), p.name.as_str()))
            .collect();
        for c in self
            .clashes
            .iter()
            .filter(|c| c.activity_id != a.id && names.contains_key(c.name_key.as_str()))
        {
            let Some((o, _)) = self.briefs.get(&c.activity_id) else {
                continue;
            };
            if overlap(span, (o.starts_at, o.ends_at)) {
                let name = names
                    .get(c.name_key.as_str())
                    .map_or(c.name.clone(), |n| (*n).to_string());
                let list = reasons.entry(c.activity_id).or_default();
                let r = Reason::SamePerson { name };
                if !list.contains(&r) {
                    list.push(r);
                }
            }
        }
        let mut ws: Vec<Warning> = reasons
            .into_iter()
            .filter_map(|(id, reasons)| {
                let (_, b) = self.briefs.get(&id)?;
                let (low, high) = pair(a.id, id);
                Some(Warning {
                    kind: "clash",
                    key: pair_key(id),
                    reasons,
                    other: Some(b.clone()),
                    ack: self.acks.get(&(low, pair_key(high))).cloned(),
                })
            })
            .collect();
        ws.sort_by_key(|w| w.other.as_ref().map(|o| (o.starts_at, o.id)));
        // (d): ended without a report.
        if Status::parse(&a.status)
            .is_some_and(|s| report_overdue(s, a.ends_at, self.now, self.report_due_days))
        {
            ws.push(Warning {
                kind: "report_overdue",
                key: "report_overdue".into(),
                reasons: Vec::new(),
                other: None,
                ack: self.acks.get(&(a.id, "report_overdue".into())).cloned(),
            });
        }
        ws
    }
}
