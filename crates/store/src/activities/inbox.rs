//! What waits for one reader: the proposals they decide, their own drafts,
//! returned proposals and owed reports (`Inbox`, read at each answer); and what
//! every reader of their scope sees alike — the unacknowledged warnings, what
//! is coming up, the year's activities by pillar and month (`ScopeHome`, kept
//! per scope and clearance: see `Store::home_scope`). Each list is read through
//! the one visibility rule.

use super::{ActivityRow, BoardItem, vn_midnight};
use crate::entity::activity;
use crate::kept::{Stamp, Stamped};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::Role;
use kieng_domain::activity::Status;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The most rows each list of the home page shows (its count says how many
/// there are in all).
pub const SHOWN: u64 = 20;

/// How far back an unreported activity still counts as a report owed: older
/// ones are the archive's, not today's work.
const OWED_DAYS: i64 = 365;

/// A list with how many it holds in all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counted {
    pub total: u64,
    pub rows: Vec<ActivityRow>,
}

/// One reader's activities to act on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inbox {
    /// Submitted proposals this reader decides (leaders), oldest start first.
    pub awaiting: Counted,
    /// My drafts, last changed first.
    pub drafts: Counted,
    /// My proposals returned to me; `status_note` holds the reason.
    pub returned: Counted,
    /// My activities ended within the past year whose outcome report is due.
    pub reports_owed: Counted,
}

/// What every reader of one scope and clearance finds on the home page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeHome {
    /// The unacknowledged warnings of the soonest activities (leaders and
    /// coordinators; empty for the others).
    pub warnings: Vec<BoardItem>,
    /// Submitted or approved activities in scope starting within 31 days.
    pub upcoming: Counted,
    /// The year's activities by month and pillar.
    pub by_month: ByMonth,
}

/// Whose home is kept: read agencies (`None`: all), clearance rank, the
/// upcoming list's types, whether warnings are read (and for how many
/// activities), the year.
pub type HomeKey = (Option<Vec<Uuid>>, i16, Vec<String>, u64, i32);

/// How late a kept home may be to the clock alone (an activity starting, a
/// report falling due); a change to the data is seen as soon as its revision.
pub const HOME_CLOCK: Duration = Duration::from_secs(60);

/// A scope's home as read: its place on the scope change log, the warnings',
/// partners' and agencies' revisions it was read at, and when.
pub struct KeptHome {
    stamp: Stamp,
    revs: [i64; 3],
    born: Instant,
    home: ScopeHome,
}

impl Stamped for KeptHome {
    fn stamp(&self) -> &Stamp {
        &self.stamp
    }
}

/// Activities starting this year in the reader's scope (cancelled left out):
/// (month 1–12, pillar code, count).
pub type ByMonth = Vec<(u32, String, u32)>;

impl Store {
    /// The reader's own activities to act on, each list within scope and clearance.
    pub async fn activity_inbox(&self, ctx: &Ctx) -> Result<Inbox, StoreError> {
        let backend = self.db.get_database_backend();
        let visible = || activity::Entity::find().filter(Self::visible(ctx, backend));
        let me = ctx.actor.user_id;
        let mine = |status: &[Status]| {
            visible()
                .filter(activity::Column::CreatedBy.eq(me))
                .filter(activity::Column::Status.is_in(status.iter().map(|s| s.as_str())))
        };
        let t = now();
        // Only leaders decide, on what their write scope covers (`may_move`):
        // for anyone else the list is empty and nothing is read.
        let awaiting = (ctx.actor.role == Role::Leader).then(|| {
            let q = visible().filter(activity::Column::Status.eq(Status::Submitted.as_str()));
            match ctx.actor.write.ids() {
                Some(ids) => q.filter(activity::Column::LeadAgencyId.is_in(ids)),
                None => q,
            }
            .order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
        });
        let (awaiting, drafts, returned, owed) = tokio::try_join!(
            async {
                match awaiting {
                    Some(q) => self.counted(q).await,
                    None => Ok(Counted::default()),
                }
            },
            self.counted(mine(&[Status::Draft]).order_by_desc(activity::Column::UpdatedAt),),
            self.counted(mine(&[Status::Returned]).order_by_desc(activity::Column::UpdatedAt),),
            self.counted(
                mine(&[Status::Approved, Status::Done])
                    .filter(activity::Column::EndsAt.lt(t))
                    .filter(activity::Column::EndsAt.gte(t - chrono::Duration::days(OWED_DAYS)))
                    .order_by_asc(activity::Column::EndsAt),
            ),
        )?;
        Ok(Inbox {
            awaiting,
            drafts,
            returned,
            reports_owed: owed,
        })
    }

    /// What every reader of this scope and clearance finds on the home page:
    /// the unacknowledged warnings of the `warn_limit` soonest activities (none
    /// read when 0), the upcoming activities (of `upcoming_types`; empty: every
    /// type) and `year`'s chart. Kept per scope (`HomeKey`): an answer is true
    /// at the scope change log's position and the warnings', partners' and
    /// agencies' revisions read before it, and at most `HOME_CLOCK` late to the
    /// clock. Readers of one scope arriving while it is read wait for that read.
    pub async fn home_scope(
        &self,
        ctx: &Ctx,
        upcoming_types: &[&str],
        warn_limit: u64,
        year: i32,
    ) -> Result<ScopeHome, StoreError> {
        let key: HomeKey = (
            ctx.actor.read.ids(),
            crate::audit::rank(ctx.actor.clearance),
            upcoming_types.iter().map(|t| t.to_string()).collect(),
            warn_limit,
            year,
        );
        if let Some(h) = self.home_kept(&key).await? {
            return Ok(h);
        }
        let _one = self.caches.home_lock(&key).lock().await;
        if let Some(h) = self.home_kept(&key).await? {
            return Ok(h);
        }
        // The revisions first: what is kept is never labelled newer than it is.
        let (pos, revs) = tokio::try_join!(self.scope_position(), self.home_revs())?;
        let (warnings, upcoming, by_month) = tokio::try_join!(
            async {
                if warn_limit == 0 {
                    return Ok(Vec::new());
                }
                let all = self.coordination_board(ctx, warn_limit).await?;
                Ok(all
                    .into_iter()
                    .filter(|w| w.warning.ack.is_none())
                    .collect())
            },
            self.counted(self.upcoming_query(ctx, upcoming_types)),
            self.activities_by_month(ctx, year),
        )?;
        let home = ScopeHome {
            warnings,
            upcoming,
            by_month,
        };
        self.caches.home_put(
            key,
            Arc::new(KeptHome {
                stamp: Stamp::new(pos),
                revs,
                born: Instant::now(),
                home: home.clone(),
            }),
        );
        Ok(home)
    }

    /// The kept home for `key` if it is still true (see `home_scope`), its
    /// rows' lead agencies and report states as of now.
    async fn home_kept(&self, key: &HomeKey) -> Result<Option<ScopeHome>, StoreError> {
        let Some(kept) = self
            .caches
            .home_get(key)
            .filter(|k| k.born.elapsed() < HOME_CLOCK)
        else {
            return Ok(None);
        };
        let (pos, revs) = tokio::try_join!(self.scope_position(), self.home_revs())?;
        if kept.revs != revs {
            return Ok(None);
        }
        let Some(kept) = self.still_true(Some(kept), key.0.as_deref(), pos).await? else {
            return Ok(None);
        };
        let mut home = kept.home.clone();
        self.refresh_rows(home.upcoming.rows.iter_mut()).await?;
        Ok(Some(home))
    }

    /// The revisions a kept home depends on beside the scope change log: the
    /// warnings' acknowledgements, partners' classification (whose names a
    /// warning shows), the agencies (the lead agency a warning names).
    async fn home_revs(&self) -> Result<[i64; 3], StoreError> {
        use crate::counters::{AGENCIES, PARTNERS, WARNINGS, value};
        let c = &self.caches;
        let (w, p, a) = tokio::try_join!(
            c.warnings_rev.current(|| value(&self.db, WARNINGS)),
            c.partners_rev.current(|| value(&self.db, PARTNERS)),
            c.agencies_rev.current(|| value(&self.db, AGENCIES)),
        )?;
        Ok([w, p, a])
    }

    /// Submitted or approved activities in scope starting within 31 days, of
    /// `types` (empty: every type), soonest first.
    pub(crate) fn upcoming_query(
        &self,
        ctx: &Ctx,
        types: &[&str],
    ) -> sea_orm::Select<activity::Entity> {
        let t = now();
        let mut q = activity::Entity::find()
            .filter(Self::visible(ctx, self.db.get_database_backend()))
            .filter(
                activity::Column::Status
                    .is_in([Status::Submitted.as_str(), Status::Approved.as_str()]),
            )
            .filter(activity::Column::StartsAt.gte(t))
            .filter(activity::Column::StartsAt.lt(t + chrono::Duration::days(31)));
        if !types.is_empty() {
            q = q.filter(activity::Column::TypeCode.is_in(types.to_vec()));
        }
        q.order_by_asc(activity::Column::StartsAt)
            .order_by_asc(activity::Column::Id)
    }

    /// The first `SHOWN` rows of `q`, and how many it holds.
    pub(crate) async fn counted(
        &self,
        q: sea_orm::Select<activity::Entity>,
    ) -> Result<Counted, StoreError> {
        use sea_orm::PaginatorTrait;
        let (total, rows) =
            tokio::try_join!(q.clone().count(&self.db), q.limit(SHOWN).all(&self.db))?;
        Ok(Counted {
            total,
            rows: self.rows_of(rows).await?,
        })
    }

    /// Activities starting in `year` (Vietnam's time) in the reader's scope,
    /// cancelled ones left out, counted by month and pillar: one read, a sum
    /// per month, so it runs alike on both databases.
    pub async fn activities_by_month(&self, ctx: &Ctx, year: i32) -> Result<ByMonth, StoreError> {
        use sea_orm::sea_query::Func;
        let month = |m: u32| {
            chrono::NaiveDate::from_ymd_opt(year + i32::from(m > 12), (m - 1) % 12 + 1, 1)
                .map(vn_midnight)
        };
        let (Some(from), Some(to)) = (month(1), month(13)) else {
            return Ok(Vec::new());
        };
        let mut q = activity::Entity::find()
            .select_only()
            .column(activity::Column::Pillar)
            .filter(Self::visible_in_span(
                ctx,
                self.db.get_database_backend(),
                (from, to),
            ))
            .filter(activity::Column::StartsAt.gte(from))
            .filter(activity::Column::StartsAt.lt(to))
            .filter(activity::Column::Status.ne(Status::Cancelled.as_str()))
            .group_by(activity::Column::Pillar);
        for m in 1..=12u32 {
            let (Some(a), Some(b)) = (month(m), month(m + 1)) else {
                continue;
            };
            q = q.expr_as(
                Func::sum(
                    Expr::case(
                        activity::Column::StartsAt
                            .gte(a)
                            .and(activity::Column::StartsAt.lt(b)),
                        1,
                    )
                    .finally(0),
                ),
                format!("m{m}"),
            );
        }
        let rows: Vec<MonthRow> = q.into_model().all(&self.db).await?;
        let mut out = Vec::new();
        for r in rows {
            let months = [
                r.m1, r.m2, r.m3, r.m4, r.m5, r.m6, r.m7, r.m8, r.m9, r.m10, r.m11, r.m12,
            ];
            for (m, n) in (1..=12u32).zip(months) {
                if let Some(n) = n.filter(|n| *n > 0) {
                    out.push((m, r.pillar.clone(), u32::try_from(n).unwrap_or(u32::MAX)));
                }
            }
        }
        Ok(out)
    }
}

/// One pillar's starts in each month of a year.
#[derive(sea_orm::FromQueryResult)]
struct MonthRow {
    pillar: String,
    m1: Option<i64>,
    m2: Option<i64>,
    m3: Option<i64>,
    m4: Option<i64>,
    m5: Option<i64>,
    m6: Option<i64>,
    m7: Option<i64>,
    m8: Option<i64>,
    m9: Option<i64>,
    m10: Option<i64>,
    m11: Option<i64>,
    m12: Option<i64>,
}
