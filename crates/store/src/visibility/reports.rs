//! Reports: the rule over the report row (owned by its issuing agency, no
//! participants), and the reader a report counts as — its reader narrowed to
//! the report's scope and capped at its classification
//! (`Actor::narrowed`), so every figure is read through the shapes above.

use crate::audit::{from_rank, rank};
use crate::entity::report;
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::{AgencySet, Seen};
use kieng_domain::agency::Pillar;
use kieng_domain::report::ScopeKind;
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

impl Store {
    /// The condition "the reader may see this report".
    pub(crate) fn report_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(report::Column::DeletedAt.is_null())
            .add(report::Column::Classification.lte(rank(ctx.actor.clearance)));
        match ctx.actor.read.ids() {
            None => c,
            Some(ids) => c.add(report::Column::OwnerAgencyId.is_in(ids)),
        }
    }

    /// Those of `ids` the reader may see (a search hit's check, by id).
    pub(crate) async fn seen_reports(
        &self,
        ids: Vec<Uuid>,
        ctx: &Ctx,
    ) -> Result<Vec<Uuid>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = report::Entity::find()
            .filter(report::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                ctx.actor.sees(&Seen {
                    owner: r.owner_agency_id,
                    through: &[],
                    classification: from_rank(r.classification),
                    deleted: r.deleted_at.is_some(),
                })
            })
            .map(|r| r.id)
            .collect())
    }

    /// The report if the reader may see it.
    pub(crate) async fn visible_report<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<report::Model, StoreError> {
        let r = report::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        ctx.actor
            .sees(&Seen {
                owner: r.owner_agency_id,
                through: &[],
                classification: from_rank(r.classification),
                deleted: r.deleted_at.is_some(),
            })
            .then_some(r)
            .ok_or(StoreError::NotFound)
    }

    /// The agencies a report's scope names: an agency with its units and
    /// predecessors, every agency serving a pillar, or every agency of a
    /// province (with theirs); `All` for everything. An unknown reference is
    /// a field error on `scope_ref`.
    pub(crate) async fn report_scope(
        &self,
        ctx: &Ctx,
        kind: ScopeKind,
        scope_ref: Option<&str>,
    ) -> Result<AgencySet, StoreError> {
        let dir = self.directory().await?;
        let r = scope_ref.unwrap_or("").trim();
        let unknown = |vi: &str, en: &str| {
            StoreError::from(FieldErrors::single("scope_ref", Msg::new(vi, en)))
        };
        Ok(match kind {
            ScopeKind::All => AgencySet::All,
            ScopeKind::Agency => {
                let a = crate::agency_named(&dir, ctx, r).ok_or_else(|| {
                    unknown("Không có cơ quan mang mã này.", "No agency has this code.")
                })?;
                AgencySet::Only(dir.graph.closure([a.id]).into())
            }
            ScopeKind::Pillar => {
                let p = Pillar::parse(r).ok_or_else(|| {
                    unknown(
                        "Trụ cột là party, state hoặc people.",
                        "A pillar is party, state or people.",
                    )
                })?;
                AgencySet::Only(dir.graph.serving(p).into())
            }
            ScopeKind::Province => {
                let roots: Vec<Uuid> = dir
                    .rows
                    .iter()
                    .filter(|a| a.province_code.as_deref() == Some(r))
                    .map(|a| a.id)
                    .collect();
                if roots.is_empty() {
                    return Err(unknown(
                        "Không có cơ quan nào thuộc tỉnh, thành phố mang mã này.",
                        "No agency belongs to a province with this code.",
                    ));
                }
                AgencySet::Only(dir.graph.closure(roots).into())
            }
        })
    }

    /// The reader a report counts as: `ctx`'s reader within the report's
    /// scope and at most its classification.
    pub async fn report_reader(
        &self,
        ctx: &Ctx,
        kind: ScopeKind,
        scope_ref: Option<&str>,
        ceiling: Classification,
    ) -> Result<Ctx, StoreError> {
        let within = self.report_scope(ctx, kind, scope_ref).await?;
        Ok(Ctx {
            actor: ctx.actor.narrowed(&within, ceiling),
            request_id: ctx.request_id.clone(),
            ip: ctx.ip.clone(),
        })
    }
}
