//! Agreements: the rule's SQL shape over the agreement row and its parties.

use crate::audit::rank;
use crate::entity::{agreement, agreement_agency};
use crate::{Ctx, Store};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition};

impl Store {
    /// The condition "the reader may see this agreement".
    pub(crate) fn agreement_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(agreement::Column::DeletedAt.is_null())
            .add(agreement::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        // Owned in scope, or with an agency of the scope among its Vietnamese
        // parties: the owner tested on the row, the parties as one small set.
        // SQLite joins the owner index and the parties' for a scope alone, or
        // leads with the query's own (a partner's agreements) and tests each
        // row. An `id IN (owned UNION ALL parties)` was read in full first: a
        // pillar's 16,000 agreements for one partner's dossier, 40 ms at 50,000
        // (bench scenario "a busy partner's dossier").
        c.add(
            Condition::any()
                .add(agreement::Column::OwnerAgencyId.is_in(ids.clone()))
                .add(
                    agreement::Column::Id.in_subquery(
                        Query::select()
                            .column(agreement_agency::Column::AgreementId)
                            .from(agreement_agency::Entity)
                            .and_where(agreement_agency::Column::AgencyId.is_in(ids))
                            .to_owned(),
                    ),
                ),
        )
    }
}
