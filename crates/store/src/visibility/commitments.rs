//! Commitments: the rule's SQL shape over the commitment row, which carries
//! both agencies it is seen through (its owner, its source's owner).

use crate::audit::rank;
use crate::entity::commitment;
use crate::{Ctx, Store};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, IdenStatic};

impl Store {
    /// The condition "the reader may see this commitment".
    pub(crate) fn commitment_visible(ctx: &Ctx) -> Condition {
        let c = Condition::all()
            .add(commitment::Column::DeletedAt.is_null())
            .add(commitment::Column::Classification.lte(rank(ctx.actor.clearance)));
        let Some(ids) = ctx.actor.read.ids() else {
            return c;
        };
        // Both columns are on the row, so the rule is tested on it: SQLite and
        // PostgreSQL then lead with the query's own index (a partner's, the open
        // deadlines) and test each row, or join the owner and source indexes for
        // a scope alone. An `id IN (owned UNION ALL sourced)` subquery was read in
        // full first — every commitment of a pillar's 66 agencies, 450 ms at
        // 300,000 for one partner's dossier (bench scenario "a busy partner's dossier").
        c.add(
            Condition::any()
                .add(commitment::Column::OwnerAgencyId.is_in(ids.clone()))
                .add(commitment::Column::SourceAgencyId.is_in(ids)),
        )
    }

    /// A column the open-commitment reads filter on (`is_open`, `due_on`), in
    /// the form that leads SQLite to the reader's own rows: for a small scope,
    /// written unindexable (`+`), so SQLite joins the scope's owner and source
    /// index ranges (an officer's 1,500 commitments) instead of walking every
    /// open commitment by deadline (27,000 overdue at 300,000: 139 ms for an
    /// officer's board under load, 0.3 ms this way; bench scenario "the board").
    /// A pillar's scope, everyone's, and PostgreSQL (which plans by statistics)
    /// keep the `commitments_open` index.
    pub(crate) fn scoped_col(&self, ctx: &Ctx, col: commitment::Column) -> Expr {
        let small = ctx
            .actor
            .read
            .ids()
            .is_some_and(|ids| ids.len() <= crate::activities::LARGE_SCOPE);
        if small && self.db.get_database_backend() == sea_orm::DbBackend::Sqlite {
            Expr::cust(format!("+\"commitments\".\"{}\"", col.as_str()))
        } else {
            Expr::col((commitment::Entity, col))
        }
    }
}
