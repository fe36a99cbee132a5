//! The coordinator's board: open commitments overdue and due soon across the
//! agencies in scope, counted by owner agency and by partner, and the live
//! agreements whose expiry is near. Everything is read through the same
//! visibility conditions as the lists: nothing above clearance is counted.
//! The grouped counts are the costly part (they read every open commitment up
//! to the due-soon horizon); they are kept per reader scope until a commitment
//! changes (`cache::BoardCounts`), with the screen's first rows of each section
//! (names, owners and deadline states are filled in at each answer). The
//! expiring agreements are read live on every request: their ids from the
//! watch index alone, then their rows. The late legal steps of provincial
//! agreements (signed in the past year or not yet) are kept with the counts:
//! the database bumps the board's revision whenever an agreement, a step or a
//! calendar day changes (migration 33).

use super::CommitmentRow;
use crate::agreements::AgreementRow;
use crate::audit::rank;
use crate::cache::{BoardCounts, Counts};
use crate::entity::{agreement, commitment};
use crate::{Ctx, Store, StoreError, counters};
use kieng_domain::agreement::{StepState, provincial_steps};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// Rows shown per section on screen; the counts cover everything, the lists
/// behind "see all" and the workbook export hold every row.
pub const BOARD_ROWS: u64 = 50;
/// Owners and partners shown, most overdue first; the totals cover everyone.
pub const BOARD_GROUPS: u64 = 25;

/// One owner agency or partner with its counts.
#[derive(Debug, Clone, Serialize)]
pub struct BoardGroup {
    /// None: commitments to no particular partner.
    pub id: Option<Uuid>,
    pub name: String,
    pub overdue: u64,
    pub soon: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub today: chrono::NaiveDate,
    pub soon_until: chrono::NaiveDate,
    pub watch_until: chrono::NaiveDate,
    pub overdue_total: u64,
    pub soon_total: u64,
    /// Oldest deadline first.
    pub overdue: Vec<CommitmentRow>,
    pub soon: Vec<CommitmentRow>,
    /// The 25 most overdue first.
    pub by_owner: Vec<BoardGroup>,
    pub by_partner: Vec<BoardGroup>,
    /// Live agreements expiring within the watch window, nearest first.
    pub expiring: Vec<AgreementRow>,
    /// Provincial agreements' legal steps past their deadline, most overdue first.
    pub late_steps: Vec<LateStep>,
}

/// A provincial agreement's legal step (Law on International Agreements 2020)
/// past its deadline and still not done.
#[derive(Debug, Clone, Serialize)]
pub struct LateStep {
    pub agreement: AgreementRow,
    pub step: StepState,
}

/// The most provincial agreements the board reads for late steps, most
/// recently signed first (a province signs a few dozen a year).
const LATE_STEP_SCAN: u64 = 2_000;

impl Store {
    /// The board for this reader, `BOARD_ROWS` per section.
    pub async fn commitment_board(&self, ctx: &Ctx) -> Result<Board, StoreError> {
        self.board(ctx, Some(BOARD_ROWS)).await
    }

    /// The board with every overdue and due-soon commitment and expiring
    /// agreement in scope (for the workbook export).
    pub async fn commitment_board_full(&self, ctx: &Ctx) -> Result<Board, StoreError> {
        self.board(ctx, None).await
    }

    async fn board(&self, ctx: &Ctx, rows: Option<u64>) -> Result<Board, StoreError> {
        let today = crate::today();
        let soon_until = self.soon_until();
        let counts = self.board_counts(ctx, today, soon_until).await?;
        // The screen's rows are kept with the counts; the export reads them all.
        let (overdue, soon) = match rows {
            Some(BOARD_ROWS) => (counts.overdue.clone(), counts.soon.clone()),
            _ => self.board_rows(ctx, today, soon_until, rows).await?,
        };
        let dir = self.directory().await?;
        let names = self
            .partner_names(ctx, counts.partners.iter().filter_map(|p| p.0).collect())
            .await?;
        let group = |rows: &Counts, name: &dyn Fn(Option<Uuid>) -> String| {
            let mut v: Vec<BoardGroup> = rows
                .iter()
                .map(|&(id, over, all)| BoardGroup {
                    id,
                    name: name(id),
                    overdue: Ord::max(over, 0) as u64,
                    soon: Ord::max(all - over, 0) as u64,
                })
                .collect();
            v.sort_by(|a, b| (b.overdue, b.soon, &a.name).cmp(&(a.overdue, a.soon, &b.name)));
            v
        };
        let by_owner = group(&counts.owners, &|id| {
            id.and_then(|i| crate::agency_ref(&dir, i))
                .map(|a| a.name_vi)
                .unwrap_or_default()
        });
        // Commitments with a partner the reader may not see count as having no
        // particular partner: the commitments are visible, the partner is not.
        let mut partners: Vec<(Option<Uuid>, i64, i64)> = Vec::new();
        for &(id, over, all) in counts.partners.iter() {
            let id = id.filter(|i| names.contains_key(i));
            match partners.iter_mut().find(|p| p.0 == id) {
                Some(p) => {
                    p.1 += over;
                    p.2 += all;
                }
                None => partners.push((id, over, all)),
            }
        }
        let by_partner = group(&partners, &|id| {
            id.and_then(|i| names.get(&i).cloned()).unwrap_or_default()
        });
        let watch_until = self.watch_until();
        let live_and_due = agreement::Entity::find()
            .filter(Self::agreement_visible(ctx))
            .filter(crate::agreements::live())
            .filter(agreement::Column::ExpiresOn.lte(watch_until));
        let expiring = self.expiring_in_order(live_and_due, 0, rows).await?;
        let late_steps = match rows {
            Some(BOARD_ROWS) => counts.late_steps.clone(),
            _ => self.late_steps(ctx, today, rows).await?,
        };
        let late_steps = self.late_step_rows(late_steps).await?;
        Ok(Board {
            today,
            soon_until,
            watch_until,
            overdue_total: counts.overdue_total,
            soon_total: counts.open_total.saturating_sub(counts.overdue_total),
            overdue: self.commitment_rows(ctx, overdue).await?,
            soon: self.commitment_rows(ctx, soon).await?,
            by_owner,
            by_partner,
            expiring: self.agreement_rows(expiring).await?,
            late_steps,
        })
    }

    /// Every late legal step the reader may see: (agreement, step kind, due).
    pub(crate) async fn late_steps_for(
        &self,
        ctx: &Ctx,
        today: chrono::NaiveDate,
    ) -> Result<Vec<(Uuid, &'static str, chrono::NaiveDate)>, StoreError> {
        Ok(self
            .late_steps(ctx, today, None)
            .await?
            .into_iter()
            .filter_map(|(id, s)| Some((id, s.kind.as_str(), s.due?)))
            .collect())
    }

    /// The legal steps past their deadline of the provincial agreements signed
    /// in the past year or not signed yet, most overdue first, `rows` at most.
    async fn late_steps(
        &self,
        ctx: &Ctx,
        today: chrono::NaiveDate,
        rows: Option<u64>,
    ) -> Result<Vec<(Uuid, StepState)>, StoreError> {
        let since = today - chrono::Duration::days(365);
        // Ids and signing dates from the index alone; whole rows only for those shown.
        let candidates: Vec<(Uuid, Option<chrono::NaiveDate>)> = agreement::Entity::find()
            .select_only()
            .column(agreement::Column::Id)
            .column(agreement::Column::SignedOn)
            .filter(Self::agreement_visible(ctx))
            .filter(agreement::Column::Provincial.eq(true))
            .filter(
                Condition::any()
                    .add(agreement::Column::SignedOn.is_null())
                    .add(agreement::Column::SignedOn.gte(since)),
            )
            .order_by_desc(agreement::Column::SignedOn)
            .limit(LATE_STEP_SCAN)
            .into_tuple()
            .all(&self.db)
            .await?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let mut recorded = self
            .step_records(candidates.iter().map(|a| a.0).collect())
            .await?;
        let cal = self.day_overrides().await?;
        let mut late = Vec::new();
        for (id, signed_on) in candidates {
            let rec = recorded.remove(&id).unwrap_or_default();
            for s in provincial_steps(&rec, signed_on, today, &cal) {
                if s.overdue_days.is_some() {
                    late.push((id, s));
                }
            }
        }
        late.sort_by_key(|(id, s)| (std::cmp::Reverse(s.overdue_days), *id));
        if let Some(n) = rows {
            late.truncate(n as usize);
        }
        Ok(late)
    }

    /// The late steps with their agreements' rows, as the board shows them
    /// (an agreement deleted since the steps were read is left out).
    async fn late_step_rows(
        &self,
        late: Vec<(Uuid, StepState)>,
    ) -> Result<Vec<LateStep>, StoreError> {
        if late.is_empty() {
            return Ok(Vec::new());
        }
        let shown: Vec<Uuid> = late
            .iter()
            .map(|l| l.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut models: HashMap<Uuid, agreement::Model> = HashMap::new();
        for chunk in shown.chunks(500) {
            for m in agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(chunk.to_vec()))
                .filter(agreement::Column::DeletedAt.is_null())
                .all(&self.db)
                .await?
            {
                models.insert(m.id, m);
            }
        }
        let late: Vec<(agreement::Model, StepState)> = late
            .into_iter()
            .filter_map(|(id, s)| Some((models.get(&id)?.clone(), s)))
            .collect();
        let (models, steps): (Vec<_>, Vec<_>) = late.into_iter().unzip();
        Ok(self
            .agreement_rows(models)
            .await?
            .into_iter()
            .zip(steps)
            .map(|(agreement, step)| LateStep { agreement, step })
            .collect())
    }

    /// The open commitments overdue and due soon, `rows` of each (all: `None`),
    /// nearest deadline first.
    async fn board_rows(
        &self,
        ctx: &Ctx,
        today: chrono::NaiveDate,
        soon_until: chrono::NaiveDate,
        rows: Option<u64>,
    ) -> Result<(Vec<commitment::Model>, Vec<commitment::Model>), StoreError> {
        let due = || self.scoped_col(ctx, commitment::Column::DueOn);
        let open = || {
            commitment::Entity::find()
                .filter(Self::commitment_visible(ctx))
                .filter(self.scoped_col(ctx, commitment::Column::IsOpen).eq(true))
        };
        let overdue = open()
            .filter(due().lt(today))
            .order_by_asc(commitment::Column::DueOn)
            .order_by_asc(commitment::Column::Id)
            .limit(rows)
            .all(&self.db);
        let soon = open()
            .filter(due().gte(today))
            .filter(due().lte(soon_until))
            .order_by_asc(commitment::Column::DueOn)
            .order_by_asc(commitment::Column::Id)
            .limit(rows)
            .all(&self.db);
        Ok(tokio::try_join!(overdue, soon)?)
    }

    /// The commitments revision, re-read at most every `cache::REV_TTL`.
    async fn commitments_rev(&self) -> Result<i64, StoreError> {
        self.caches
            .commitments_rev
            .current(|| counters::value(&self.db, counters::COMMITMENTS))
            .await
    }

    /// Totals and the 25 most overdue owners and partners for this reader's
    /// scope, counted once per scope, day and commitments revision.
    async fn board_counts(
        &self,
        ctx: &Ctx,
        today: chrono::NaiveDate,
        soon_until: chrono::NaiveDate,
    ) -> Result<Arc<BoardCounts>, StoreError> {
        let key = (ctx.actor.read.ids(), rank(ctx.actor.clearance));
        // Read before counting: counts taken after a later change are only
        // labelled older than they are, never newer.
        let rev = self.commitments_rev().await?;
        if let Some(c) = self.caches.board_get(&key, rev, today, soon_until) {
            return Ok(c);
        }
        let _counting = self.caches.board_lock(&key).lock().await;
        if let Some(c) = self.caches.board_get(&key, rev, today, soon_until) {
            return Ok(c);
        }
        let open = || {
            commitment::Entity::find()
                .filter(Self::commitment_visible(ctx))
                .filter(self.scoped_col(ctx, commitment::Column::IsOpen).eq(true))
                .filter(
                    self.scoped_col(ctx, commitment::Column::DueOn)
                        .lte(soon_until),
                )
        };
        let counts = |col: commitment::Column| {
            open()
                .select_only()
                .column(col)
                .expr(Func::sum(
                    CaseStatement::new()
                        .case(commitment::Column::DueOn.lt(today), Expr::val(1))
                        .finally(Expr::val(0)),
                ))
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .group_by(col)
                .order_by_desc(Expr::cust("2"))
                .order_by_desc(Expr::cust("3"))
                .limit(BOARD_GROUPS)
                .into_tuple::<(Option<Uuid>, i64, i64)>()
                .all(&self.db)
        };
        let (overdue_total, open_total): (Option<i64>, i64) = open()
            .select_only()
            .expr(Func::sum(
                CaseStatement::new()
                    .case(commitment::Column::DueOn.lt(today), Expr::val(1))
                    .finally(Expr::val(0)),
            ))
            .expr(Expr::cust("COUNT(*)"))
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((None, 0));
        let (overdue, soon) = self
            .board_rows(ctx, today, soon_until, Some(BOARD_ROWS))
            .await?;
        let counts = BoardCounts {
            rev,
            today,
            soon_until,
            overdue,
            soon,
            overdue_total: Ord::max(overdue_total.unwrap_or(0), 0) as u64,
            open_total: Ord::max(open_total, 0) as u64,
            owners: counts(commitment::Column::OwnerAgencyId).await?,
            partners: counts(commitment::Column::PartnerId).await?,
            late_steps: self.late_steps(ctx, today, Some(BOARD_ROWS)).await?,
        };
        let counts = Arc::new(counts);
        self.caches.board_put(key, counts.clone());
        Ok(counts)
    }
}
