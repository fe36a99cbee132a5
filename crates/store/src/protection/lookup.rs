//! Finding a case by a person's full name or document number without
//! holding either: `protection_lookup` keeps the keyed digests
//! (`Sealer::blind`) of each person's `lookup_texts`, and a search digests
//! the words typed the same way. Only a case's team is shown what it finds
//! (`Store::case_team_condition`).

use super::Sealer;
use crate::entity::{protection_lookup, protection_person};
use crate::{Store, StoreError};
use kieng_domain::protection::person::{PersonData, lookup_texts, query_texts};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// Write a person's digests, in the caller's transaction.
pub(crate) async fn index_person<C: ConnectionTrait>(
    tx: &C,
    sealer: &Sealer,
    case_id: Uuid,
    person_id: Uuid,
    data: &PersonData,
) -> Result<(), StoreError> {
    let rows: Vec<protection_lookup::ActiveModel> = lookup_texts(data)
        .iter()
        .map(|t| protection_lookup::ActiveModel {
            digest: sea_orm::Set(sealer.blind(t)),
            person_id: sea_orm::Set(person_id),
            case_id: sea_orm::Set(case_id),
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    protection_lookup::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                protection_lookup::Column::Digest,
                protection_lookup::Column::PersonId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
    Ok(())
}

impl Store {
    /// The cases with a person whose full name or document number is `q`
    /// (none without a personal-data key). Who may be shown them is the
    /// caller's to check.
    pub(crate) async fn case_lookup_ids(&self, q: &str) -> Result<Vec<Uuid>, StoreError> {
        let Some(sealer) = self.config.protection.sealer.as_ref() else {
            return Ok(Vec::new());
        };
        let digests: Vec<String> = query_texts(q).iter().map(|t| sealer.blind(t)).collect();
        if digests.is_empty() {
            return Ok(Vec::new());
        }
        Ok(protection_lookup::Entity::find()
            .select_only()
            .column(protection_lookup::Column::CaseId)
            .filter(protection_lookup::Column::Digest.is_in(digests))
            .distinct()
            .limit(1000)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Digest every person that has none yet (people written before the
    /// lookup existed, or after `kieng rekey` cleared it): run when a
    /// server with the key starts. Returns how many were indexed.
    pub async fn protection_lookup_fill(&self) -> Result<u64, StoreError> {
        let Some(sealer) = self.config.protection.sealer.clone() else {
            return Ok(0);
        };
        let mut n = 0u64;
        let mut after: Option<Uuid> = None;
        loop {
            let mut q = protection_person::Entity::find()
                .filter(protection_person::Column::DeletedAt.is_null())
                .filter(
                    protection_person::Column::Id.not_in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(protection_lookup::Column::PersonId)
                            .from(protection_lookup::Entity)
                            .to_owned(),
                    ),
                )
                .order_by_asc(protection_person::Column::Id)
                .limit(500);
            if let Some(a) = after {
                q = q.filter(protection_person::Column::Id.gt(a));
            }
            let rows = q.all(&self.db).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            let tx = self.begin_write().await?;
            for p in &rows {
                let data = self.unseal_person(p)?;
                index_person(&tx, &sealer, p.case_id, p.id, &data).await?;
                n += 1;
            }
            tx.commit().await?;
            after = Some(last);
        }
        Ok(n)
    }
}
