//! A record's visibility by id, tested in Rust with the domain's rule
//! (`Actor::sees`) on the record's row and its participating agencies: the
//! page of one record, a write's "may I touch it", the search hits' re-check.
//! Lists filter with the SQL shapes beside this file; this is the same rule
//! for a handful of rows, where SQLite would evaluate a small scope's
//! `IN (subquery)` in full.

use crate::audit::{from_rank, rank};
use crate::entity::{activity, agreement, commitment};
use crate::{Ctx, Store, StoreError};
use kieng_domain::access::Seen;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

type Deleted = Option<chrono::DateTime<chrono::Utc>>;

/// (id, owner, classification, deleted, agencies it is seen through) → seen?
fn sees(ctx: &Ctx, owner: Uuid, class: i16, deleted: bool, through: &[Uuid]) -> bool {
    ctx.actor.sees(&Seen {
        owner,
        through,
        classification: from_rank(class),
        deleted,
    })
}

/// One record with participating agencies (`link`: their table, its key
/// column, the record's id), seen by the reader? The participants are read
/// only when the owner alone does not put it in scope.
async fn seen_with_participants<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    link: (&str, &str, Uuid),
    owner: Uuid,
    class: i16,
    deleted: Deleted,
) -> Result<bool, StoreError> {
    let (table, column, id) = link;
    let with = if ctx.actor.read.contains(owner) {
        Vec::new()
    } else {
        participants(db, table, column, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default()
    };
    Ok(sees(ctx, owner, class, deleted.is_some(), &with))
}

impl Store {
    /// The activity if the reader may see it (no read logged).
    pub(crate) async fn visible_activity<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<activity::Model, StoreError> {
        let a = activity::Entity::find_by_id(id)
            .filter(activity::Column::Classification.lte(rank(ctx.actor.clearance)))
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (owner, class, deleted) = (a.owner_agency_id, a.classification, a.deleted_at);
        seen_with_participants(
            db,
            ctx,
            ("activity_agencies", "activity_id", id),
            owner,
            class,
            deleted,
        )
        .await?
        .then_some(a)
        .ok_or(StoreError::NotFound)
    }

    /// The agreement if the reader may see it (no read logged).
    pub(crate) async fn visible_agreement<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<agreement::Model, StoreError> {
        let a = agreement::Entity::find_by_id(id)
            .filter(agreement::Column::Classification.lte(rank(ctx.actor.clearance)))
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (owner, class, deleted) = (a.owner_agency_id, a.classification, a.deleted_at);
        seen_with_participants(
            db,
            ctx,
            ("agreement_agencies", "agreement_id", id),
            owner,
            class,
            deleted,
        )
        .await?
        .then_some(a)
        .ok_or(StoreError::NotFound)
    }

    /// The commitment if the reader may see it: seen through its own owner or
    /// the owner of the record it came from.
    pub(crate) async fn visible_commitment<C: ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<commitment::Model, StoreError> {
        commitment::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|c| {
                let through: Vec<Uuid> = c.source_agency_id.into_iter().collect();
                sees(
                    ctx,
                    c.owner_agency_id,
                    c.classification,
                    c.deleted_at.is_some(),
                    &through,
                )
            })
            .ok_or(StoreError::NotFound)
    }

    /// Of these activities, agreements and commitments, the ones the reader
    /// may see now (search hits, re-checked against the index's lag).
    pub(crate) async fn seen_records(
        &self,
        activities: Vec<Uuid>,
        agreements: Vec<Uuid>,
        commitments: Vec<Uuid>,
        ctx: &Ctx,
    ) -> Result<Vec<Uuid>, StoreError> {
        let mut seen = Vec::new();
        let passing = |rows: Vec<(Uuid, Uuid, i16, Deleted)>, with: &HashMap<Uuid, Vec<Uuid>>| {
            rows.into_iter()
                .filter(|(id, owner, class, deleted)| {
                    let through = with.get(id).map(Vec::as_slice).unwrap_or_default();
                    sees(ctx, *owner, *class, deleted.is_some(), through)
                })
                .map(|(id, ..)| id)
                .collect::<Vec<Uuid>>()
        };
        if !activities.is_empty() {
            let rows: Vec<(Uuid, Uuid, i16, Deleted)> = activity::Entity::find()
                .select_only()
                .columns([
                    activity::Column::Id,
                    activity::Column::OwnerAgencyId,
                    activity::Column::Classification,
                    activity::Column::DeletedAt,
                ])
                .filter(activity::Column::Id.is_in(activities.clone()))
                .into_tuple()
                .all(&self.db)
                .await?;
            let with =
                participants(&self.db, "activity_agencies", "activity_id", &activities).await?;
            seen.extend(passing(rows, &with));
        }
        if !agreements.is_empty() {
            let rows: Vec<(Uuid, Uuid, i16, Deleted)> = agreement::Entity::find()
                .select_only()
                .columns([
                    agreement::Column::Id,
                    agreement::Column::OwnerAgencyId,
                    agreement::Column::Classification,
                    agreement::Column::DeletedAt,
                ])
                .filter(agreement::Column::Id.is_in(agreements.clone()))
                .into_tuple()
                .all(&self.db)
                .await?;
            let with =
                participants(&self.db, "agreement_agencies", "agreement_id", &agreements).await?;
            seen.extend(passing(rows, &with));
        }
        if !commitments.is_empty() {
            let rows: Vec<(Uuid, Uuid, Option<Uuid>, i16, Deleted)> = commitment::Entity::find()
                .select_only()
                .columns([
                    commitment::Column::Id,
                    commitment::Column::OwnerAgencyId,
                    commitment::Column::SourceAgencyId,
                    commitment::Column::Classification,
                    commitment::Column::DeletedAt,
                ])
                .filter(commitment::Column::Id.is_in(commitments))
                .into_tuple()
                .all(&self.db)
                .await?;
            seen.extend(
                rows.into_iter()
                    .filter_map(|(id, owner, source, class, deleted)| {
                        let through: Vec<Uuid> = source.into_iter().collect();
                        sees(ctx, owner, class, deleted.is_some(), &through).then_some(id)
                    }),
            );
        }
        Ok(seen)
    }
}

/// The participating agencies of records `ids`, from a link table holding
/// `(column, agency_id)` (`activity_agencies`, `agreement_agencies`).
pub(crate) async fn participants<C: ConnectionTrait>(
    db: &C,
    table: &str,
    column: &str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    links(db, table, column, "agency_id", ids).await
}

/// What a link table `(key, value)` of uuids holds for the keys `ids`, read in
/// chunks of 5,000 (within both databases' parameter limits).
pub(crate) async fn links<C: ConnectionTrait>(
    db: &C,
    table: &str,
    key: &str,
    value: &str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let stmt = Query::select()
            .column(Alias::new(key))
            .column(Alias::new(value))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(key)).is_in(chunk.iter().copied()))
            .to_owned();
        for row in db
            .query_all_raw(db.get_database_backend().build(&stmt))
            .await?
        {
            let id: Uuid = row.try_get("", key)?;
            let linked: Uuid = row.try_get("", value)?;
            out.entry(id).or_default().push(linked);
        }
    }
    Ok(out)
}
