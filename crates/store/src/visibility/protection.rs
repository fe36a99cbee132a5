//! Citizen protection cases and crises: the rule's SQL shape over the case
//! row, which carries both agencies it is seen through (the mission in
//! charge, the agency that took it in), over the crisis row (its mission),
//! and the same rules by id. Who on a case's readers sees its personal data
//! is a second rule on top (`protection::on_team`), here also as SQL for the
//! searches that only the team may make (`case_team_condition`).

use crate::audit::{from_rank, rank};
use crate::entity::{crisis, protection_case, protection_team};
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};
use uuid::Uuid;

impl Store {
    /// The condition "the reader may see this case".
    pub(crate) fn case_visible(ctx: &Ctx) -> Condition {
        Self::case_row_test(ctx).add(Self::case_scope(ctx))
    }

    /// The half of the rule read on the scope: the mission in charge or the
    /// intake agency is one the reader reads.
    pub(crate) fn case_scope(ctx: &Ctx) -> Condition {
        let Some(ids) = ctx.actor.read.ids() else {
            return Condition::all();
        };
        Condition::any()
            .add(protection_case::Column::AgencyId.is_in(ids.clone()))
            .add(protection_case::Column::IntakeAgencyId.is_in(ids))
    }

    /// `case_scope` for a large scope's list read newest first: on SQLite
    /// the agency columns are kept from the planner (`+column`), so it walks
    /// the intake order and stops at the page's end instead of sorting every
    /// case of a pillar (66 agencies, 66,000 cases: 588 ms).
    pub(crate) fn case_scope_walked(pg: bool, ids: Vec<Uuid>) -> Condition {
        if pg {
            return Condition::any()
                .add(protection_case::Column::AgencyId.is_in(ids.clone()))
                .add(protection_case::Column::IntakeAgencyId.is_in(ids));
        }
        Condition::any()
            .add(Expr::cust("+\"protection_cases\".\"agency_id\"").is_in(ids.clone()))
            .add(Expr::cust("+\"protection_cases\".\"intake_agency_id\"").is_in(ids))
    }

    /// The half of the rule read on the row alone: not deleted, within
    /// clearance. With the scope (`case_visible`, `case_page_in_scope`) it is
    /// the whole rule.
    pub(crate) fn case_row_test(ctx: &Ctx) -> Condition {
        Condition::all()
            .add(protection_case::Column::DeletedAt.is_null())
            .add(protection_case::Column::Classification.lte(rank(ctx.actor.clearance)))
    }

    /// The ids of one page of a small scope's cases, newest intake first: for
    /// each agency in scope its newest `end` cases in charge and its newest
    /// `end` taken in (each a range of its index read newest first, stopping
    /// at the page's end), the page cut from their union. `filtered` holds
    /// `case_row_test` and the list's filters, without the scope. (As one set,
    /// `agency_id IN … OR intake_agency_id IN …` sorts every case of the
    /// scope before taking fifty.)
    pub(crate) fn case_page_in_scope(
        filtered: &Select<protection_case::Entity>,
        ids: &[Uuid],
        page: u64,
        per_page: u64,
    ) -> SelectStatement {
        use protection_case::Column as C;
        let end = Ord::max(page, 1) * per_page;
        let mut union: Option<SelectStatement> = None;
        for (n, a) in ids.iter().enumerate() {
            for (col, name) in [(C::AgencyId, "m"), (C::IntakeAgencyId, "i")] {
                let inner = filtered
                    .clone()
                    .filter(col.eq(*a))
                    .select_only()
                    .column(C::Id)
                    .column(C::OpenedAt)
                    .order_by_desc(C::OpenedAt)
                    .order_by_desc(C::Id)
                    .limit(end)
                    .into_query();
                let arm = Query::select()
                    .column(Alias::new("id"))
                    .column(Alias::new("opened_at"))
                    .from_subquery(inner, Alias::new(format!("{name}{n}")))
                    .to_owned();
                match &mut union {
                    None => union = Some(arm),
                    Some(u) => {
                        u.union(UnionType::Distinct, arm);
                    }
                }
            }
        }
        let Some(union) = union else {
            // No agency in scope: no case.
            return Query::select()
                .column(C::Id)
                .from(protection_case::Entity)
                .and_where(Expr::val(1).eq(0))
                .to_owned();
        };
        Query::select()
            .column(Alias::new("id"))
            .from_subquery(union, Alias::new("u"))
            .order_by(Alias::new("opened_at"), Order::Desc)
            .order_by(Alias::new("id"), Order::Desc)
            .limit(per_page)
            .offset(end - per_page)
            .to_owned()
    }

    /// The case if the reader may see it.
    pub(crate) async fn visible_case<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<protection_case::Model, StoreError> {
        protection_case::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                ctx.actor.sees(&Seen {
                    owner: c.agency_id,
                    through: &[c.intake_agency_id],
                    classification: from_rank(c.classification),
                    deleted: c.deleted_at.is_some(),
                })
            })
            .ok_or(StoreError::NotFound)
    }

    /// The condition "the reader is on this case's team" (`on_team` as SQL):
    /// its officer, a named colleague, or a leader of the mission in charge
    /// or of the consular department (`consular`).
    pub(crate) fn case_team_condition(ctx: &Ctx, consular: Option<Uuid>) -> Condition {
        let a = &ctx.actor;
        let mut c = Condition::any()
            .add(protection_case::Column::OfficerId.eq(a.user_id))
            .add(
                protection_case::Column::Id.in_subquery(
                    Query::select()
                        .column(protection_team::Column::CaseId)
                        .from(protection_team::Entity)
                        .and_where(protection_team::Column::UserId.eq(a.user_id))
                        .to_owned(),
                ),
            );
        if a.role == kieng_domain::Role::Leader {
            if consular == Some(a.agency_id) {
                return Condition::all();
            }
            c = c.add(protection_case::Column::AgencyId.eq(a.agency_id));
        }
        c
    }

    /// The condition "the reader may see this crisis".
    pub(crate) fn crisis_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(crisis::Column::DeletedAt.is_null())
            .add(crisis::Column::Classification.lte(rank(ctx.actor.clearance)));
        match ctx.actor.read.ids() {
            None => c,
            Some(ids) => c.add(crisis::Column::AgencyId.is_in(ids)),
        }
    }

    /// The crisis if the reader may see it.
    pub(crate) async fn visible_crisis<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<crisis::Model, StoreError> {
        crisis::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                ctx.actor.sees(&Seen {
                    owner: c.agency_id,
                    through: &[],
                    classification: from_rank(c.classification),
                    deleted: c.deleted_at.is_some(),
                })
            })
            .ok_or(StoreError::NotFound)
    }
}
