//! The dossier's timeline: every module's records about one partner in one list,
//! newest first — activities (by start), agreements (by signing), commitments (by
//! due date). A later module (cases, projects) joins by adding an [`Entry`] kind
//! and one windowed query below.
//!
//! Pages follow the activities, the most numerous records: page k holds that
//! page's activities and every other record dated in the same stretch of time
//! (from the page's oldest activity up to, not including, the previous page's
//! oldest), so paging stays one index walk and no record shows on two pages.

use crate::activities::{ActivityRow, PartnerSlice, vn_date, vn_midnight};
use crate::agreements;
use crate::agreements::AgreementRow;
use crate::commitments::CommitmentRow;
use crate::entity::{agreement, commitment};
use crate::{Ctx, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use uuid::Uuid;

/// One record on the timeline.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Activity(Box<ActivityRow>),
    Agreement(AgreementRow),
    Commitment(CommitmentRow),
}

impl Entry {
    /// The record's classification rank.
    pub fn classification(&self) -> i16 {
        match self {
            Self::Activity(a) => a.activity.classification,
            Self::Agreement(a) => a.agreement.classification,
            Self::Commitment(c) => c.commitment.classification,
        }
    }

    /// Where the record sits on the timeline.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Activity(a) => a.activity.starts_at,
            Self::Agreement(a) => a
                .agreement
                .signed_on
                .map(vn_midnight)
                .unwrap_or(a.agreement.created_at),
            Self::Commitment(c) => vn_midnight(c.commitment.due_on),
        }
    }
}

/// One page of a partner's timeline, with the tallies the chart draws.
#[derive(Debug, Clone)]
pub struct DossierTimeline {
    pub entries: Vec<Entry>,
    /// Every record the filters select, across modules.
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Activities per (year in Vietnam, pillar), oldest year first.
    pub by_year: Vec<(i32, String, u32)>,
}

/// The stretch of time a page covers: `from` inclusive, `until` exclusive.
#[derive(Debug, Clone, Copy)]
struct Window {
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Window {
    fn holds(&self, t: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| t >= f) && self.until.is_none_or(|u| t < u)
    }

    /// The days whose records may fall in the window: [first, last + 1).
    fn days(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (
            self.from.map(vn_date),
            self.until.and_then(|u| vn_date(u).succ_opt()),
        )
    }
}

impl Store {
    /// A page of everything on record with this partner that the reader may see.
    pub async fn dossier_timeline(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        slice: &PartnerSlice,
    ) -> Result<DossierTimeline, StoreError> {
        let t = self.partner_timeline(ctx, partner, slice).await?;
        let acts = t.page;
        let pages = acts.pages().max(1);
        let page = acts.page;
        let until = if page > 1 {
            self.partner_activity_start(ctx, partner, slice, (page - 1) * acts.per_page - 1)
                .await?
        } else {
            None
        };
        let from = if page < pages {
            acts.items.last().map(|a| a.activity.starts_at)
        } else {
            None
        };
        let window = Window { from, until };
        // The pillar filter, for records kept by agency: the agencies of that pillar.
        let owners: Option<Vec<Uuid>> = match slice.pillar.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => {
                let dir = self.directory().await?;
                Some(
                    dir.rows
                        .iter()
                        .filter(|a| a.pillar == p)
                        .map(|a| a.id)
                        .collect(),
                )
            }
        };
        let (n_agreements, agreements) = self
            .partner_agreements(ctx, partner, slice.year, owners.clone(), window)
            .await?;
        let (n_commitments, commitments) = self
            .partner_commitments(ctx, partner, slice.year, owners, window)
            .await?;
        let others = agreements
            .into_iter()
            .map(Entry::Agreement)
            .chain(commitments.into_iter().map(Entry::Commitment))
            .filter(|e| window.holds(e.at()));
        let total_others = n_agreements + n_commitments;
        let mut entries: Vec<Entry> = acts
            .items
            .into_iter()
            .map(|a| Entry::Activity(Box::new(a)))
            .collect();
        entries.extend(others);
        // Newest first; on the same instant, activities before what they produced.
        entries.sort_by_key(|e| (std::cmp::Reverse(e.at()), !matches!(e, Entry::Activity(_))));
        Ok(DossierTimeline {
            entries,
            total: acts.total + total_others,
            page,
            pages,
            by_year: t.by_year,
        })
    }

    /// Agreements with this partner the reader may see (signed in `year`, kept by
    /// one of `owners`, when given): how many, and those dated within `window`.
    async fn partner_agreements(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        year: Option<i32>,
        owners: Option<Vec<Uuid>>,
        window: Window,
    ) -> Result<(u64, Vec<AgreementRow>), StoreError> {
        let mut cond = Condition::all()
            .add(Self::agreement_visible(ctx))
            .add(agreements::with_partner(partner));
        if let Some((a, b)) = year.and_then(year_days) {
            cond = cond.add(dated_between(
                agreement::Column::SignedOn,
                agreement::Column::CreatedAt,
                a,
                b,
            ));
        }
        if let Some(o) = owners {
            cond = cond.add(agreement::Column::OwnerAgencyId.is_in(o));
        }
        let n = self
            .capped_count(
                agreement::Entity::find().filter(cond.clone()),
                agreement::Column::Id,
            )
            .await?;
        let (a, b) = window.days();
        let rows = agreement::Entity::find()
            .filter(cond.add(dated_between(
                agreement::Column::SignedOn,
                agreement::Column::CreatedAt,
                a,
                b,
            )))
            .order_by_desc(agreement::Column::SignedOn)
            .limit(WINDOW_ROWS)
            .all(&self.db)
            .await?;
        Ok((n, self.agreement_rows(rows).await?))
    }

    /// Commitments to this partner the reader may see (due in `year`, kept by one
    /// of `owners`, when given): how many, and those due within `window`.
    async fn partner_commitments(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        year: Option<i32>,
        owners: Option<Vec<Uuid>>,
        window: Window,
    ) -> Result<(u64, Vec<CommitmentRow>), StoreError> {
        let mut cond = Condition::all()
            .add(Self::commitment_visible(ctx))
            .add(commitment::Column::PartnerId.eq(partner));
        if let Some((a, b)) = year.and_then(year_days) {
            cond = cond
                .add(commitment::Column::DueOn.gte(a))
                .add(commitment::Column::DueOn.lt(b));
        }
        if let Some(o) = owners {
            cond = cond.add(commitment::Column::OwnerAgencyId.is_in(o));
        }
        let n = self
            .capped_count(
                commitment::Entity::find().filter(cond.clone()),
                commitment::Column::Id,
            )
            .await?;
        let (a, b) = window.days();
        let mut w = cond;
        if let Some(a) = a {
            w = w.add(commitment::Column::DueOn.gte(a));
        }
        if let Some(b) = b {
            w = w.add(commitment::Column::DueOn.lt(b));
        }
        let rows = commitment::Entity::find()
            .filter(w)
            .order_by_desc(commitment::Column::DueOn)
            .limit(WINDOW_ROWS)
            .all(&self.db)
            .await?;
        Ok((n, self.commitment_rows(ctx, rows).await?))
    }
}

/// At most this many agreements or commitments on one page of the timeline.
const WINDOW_ROWS: u64 = 500;

/// The first day of `y` and of the year after.
fn year_days(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
    ))
}

/// A record dated by `day`, or by `fallback` (an instant) when `day` is empty,
/// within [a, b) — either end open when `None`.
fn dated_between<D: ColumnTrait, F: ColumnTrait>(
    day: D,
    fallback: F,
    a: impl Into<Option<NaiveDate>>,
    b: impl Into<Option<NaiveDate>>,
) -> Condition {
    let (a, b) = (a.into(), b.into());
    let mut by_day = Condition::all().add(day.is_not_null());
    let mut by_instant = Condition::all().add(day.is_null());
    if let Some(a) = a {
        by_day = by_day.add(day.gte(a));
        by_instant = by_instant.add(fallback.gte(vn_midnight(a)));
    }
    if let Some(b) = b {
        by_day = by_day.add(day.lt(b));
        by_instant = by_instant.add(fallback.lt(vn_midnight(b)));
    }
    Condition::any().add(by_day).add(by_instant)
}
