//! What waits for one reader: the proposals they decide, their own drafts,
//! returned proposals and owed reports, what is coming up in their scope, and
//! the year's activities by pillar and month — the home page's rows, each list
//! read through the one visibility rule.

use super::{ActivityRow, vn_midnight};
use crate::entity::activity;
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::Role;
use kieng_domain::activity::Status;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

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
    /// Submitted or approved activities in scope starting within 31 days.
    pub upcoming: Counted,
}

/// Activities starting this year in the reader's scope (cancelled left out):
/// (month 1–12, pillar code, count).
pub type ByMonth = Vec<(u32, String, u32)>;

impl Store {
    /// The reader's activities to act on, each list within scope and clearance.
    /// `upcoming_types` narrows the upcoming list (a leader's delegations);
    /// empty means every type.
    pub async fn activity_inbox(
        &self,
        ctx: &Ctx,
        upcoming_types: &[&str],
    ) -> Result<Inbox, StoreError> {
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
        let mut upcoming = visible()
            .filter(
                activity::Column::Status
                    .is_in([Status::Submitted.as_str(), Status::Approved.as_str()]),
            )
            .filter(activity::Column::StartsAt.gte(t))
            .filter(activity::Column::StartsAt.lt(t + chrono::Duration::days(31)));
        if !upcoming_types.is_empty() {
            upcoming = upcoming.filter(activity::Column::TypeCode.is_in(upcoming_types.to_vec()));
        }
        let (awaiting, drafts, returned, owed, upcoming) = tokio::try_join!(
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
            self.counted(
                upcoming
                    .order_by_asc(activity::Column::StartsAt)
                    .order_by_asc(activity::Column::Id),
            ),
        )?;
        Ok(Inbox {
            awaiting,
            drafts,
            returned,
            reports_owed: owed,
            upcoming,
        })
    }

    /// The first `SHOWN` rows of `q`, and how many it holds.
    async fn counted(&self, q: sea_orm::Select<activity::Entity>) -> Result<Counted, StoreError> {
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
