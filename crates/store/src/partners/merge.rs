//! Merging a duplicate partner into the one that stays: every link moves to the
//! survivor (names become its aliases, framework steps, accredited missions,
//! activities, agreements, commitments, a person's positions and the positions
//! held at it), the duplicate is kept, marked "merged into", and answers no
//! searches; both sides are audited with what moved.

use super::{ENTITY, snapshot};
use crate::audit::{Change, append, from_rank};
use crate::entity::{
    activity_partner, agreement_partner, commitment, partner, partner_framework, partner_mission,
    partner_name, person_position,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::Msg;
use kieng_domain::partner::PartnerKind;
use kieng_domain::text::fold;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::HashSet;
use uuid::Uuid;

/// How many links moved in a merge.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MergeReport {
    pub names: u64,
    pub frameworks: u64,
    pub missions: u64,
    pub activities: u64,
    pub agreements: u64,
    pub commitments: u64,
    pub positions: u64,
}

async fn live<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    id: Uuid,
) -> Result<partner::Model, StoreError> {
    match partner::Entity::find_by_id(id).one(tx).await? {
        Some(p) if p.deleted_at.is_none() && from_rank(p.classification) <= ctx.actor.clearance => {
            Ok(p)
        }
        _ => Err(StoreError::NotFound),
    }
}

impl Store {
    /// Merge partner `duplicate` into `survivor`.
    pub async fn partner_merge(
        &self,
        ctx: &Ctx,
        duplicate: Uuid,
        survivor: Uuid,
    ) -> Result<MergeReport, StoreError> {
        let refuse = |vi: &str, en: &str| Err(StoreError::Forbidden(Msg::new(vi, en)));
        if duplicate == survivor {
            return refuse(
                "Không thể gộp một đối tác vào chính nó.",
                "A partner cannot be merged into itself.",
            );
        }
        let tx = self.begin_write().await?;
        let dup = live(&tx, ctx, duplicate).await?;
        let keep = live(&tx, ctx, survivor).await?;
        if !Self::may_edit_partner(ctx, &dup) || !Self::may_edit_partner(ctx, &keep) {
            return Err(StoreError::forbidden());
        }
        if dup.merged_into_id.is_some() || keep.merged_into_id.is_some() {
            return refuse(
                "Một trong hai đối tác đã được gộp trước đó.",
                "One of the two partners was already merged.",
            );
        }
        let person = PartnerKind::Person.as_str();
        if (dup.kind == person) != (keep.kind == person) {
            return refuse(
                "Không thể gộp một nhân vật với một tổ chức hay quốc gia.",
                "A person and an organisation or country cannot be merged.",
            );
        }
        if dup.kind == PartnerKind::Country.as_str() {
            return refuse(
                "Quốc gia lấy từ danh mục ISO 3166-1 không gộp vào đối tác khác được.",
                "A country from ISO 3166-1 cannot be merged into another partner.",
            );
        }
        let mut report = MergeReport {
            names: move_names(&tx, duplicate, survivor).await?,
            frameworks: partner_framework::Entity::update_many()
                .col_expr(partner_framework::Column::PartnerId, Expr::value(survivor))
                .filter(partner_framework::Column::PartnerId.eq(duplicate))
                .exec(&tx)
                .await?
                .rows_affected,
            missions: move_missions(&tx, duplicate, survivor).await?,
            activities: move_activity_links(&tx, duplicate, survivor).await?,
            agreements: move_agreement_links(&tx, duplicate, survivor).await?,
            commitments: commitment::Entity::update_many()
                .col_expr(commitment::Column::PartnerId, Expr::value(survivor))
                .filter(commitment::Column::PartnerId.eq(duplicate))
                .exec(&tx)
                .await?
                .rows_affected,
            positions: 0,
        };
        for column in [
            person_position::Column::PersonId,
            person_position::Column::OrganisationId,
        ] {
            report.positions += person_position::Entity::update_many()
                .col_expr(column, Expr::value(survivor))
                .filter(column.eq(duplicate))
                .exec(&tx)
                .await?
                .rows_affected;
        }
        if report.commitments > 0 {
            crate::counters::bump(&tx, crate::counters::COMMITMENTS).await?;
        }
        // The survivor answers to its new names in the directory search.
        let all_names: Vec<String> = partner_name::Entity::find()
            .filter(partner_name::Column::PartnerId.eq(survivor))
            .all(&tx)
            .await?
            .into_iter()
            .map(|n| fold(&n.name))
            .collect();
        let t = now();
        let mut after_keep = keep.clone();
        after_keep.name_fold = all_names.join(" ");
        after_keep.version += 1;
        after_keep.updated_at = t;
        after_keep.updated_by = Some(ctx.actor.user_id);
        let mut after_dup = dup.clone();
        after_dup.merged_into_id = Some(survivor);
        after_dup.version += 1;
        after_dup.updated_at = t;
        after_dup.updated_by = Some(ctx.actor.user_id);
        for m in [&after_keep, &after_dup] {
            partner::Entity::update(m.clone().into_active_model().reset_all())
                .exec(&tx)
                .await?;
        }
        let moved = serde_json::to_value(&report).unwrap_or_default();
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(dup.owner_agency_id),
                classification: from_rank(dup.classification),
                before: Some(snapshot(&dup)),
                after: Some(serde_json::json!({"merged_into": survivor, "moved": moved})),
                ..Change::new(ENTITY, duplicate, "merged_into")
            },
        )
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(keep.owner_agency_id),
                classification: from_rank(keep.classification),
                after: Some(serde_json::json!({"merged_from": duplicate, "name": dup.name_vi, "moved": moved})),
                ..Change::new(ENTITY, survivor, "merge")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Live, unmerged partners within clearance answering to `name` (or with this id).
    pub async fn partner_find_named(
        &self,
        ctx: &Ctx,
        name: &str,
    ) -> Result<Vec<partner::Model>, StoreError> {
        self.partners_named(ctx, name).await
    }
}

/// The duplicate's names become the survivor's aliases, unless it has them;
/// how many moved.
async fn move_names<C: ConnectionTrait>(
    tx: &C,
    duplicate: Uuid,
    survivor: Uuid,
) -> Result<u64, StoreError> {
    let kept: HashSet<String> = partner_name::Entity::find()
        .filter(partner_name::Column::PartnerId.eq(survivor))
        .all(tx)
        .await?
        .into_iter()
        .map(|n| n.name_key)
        .collect();
    let names = partner_name::Entity::find()
        .filter(partner_name::Column::PartnerId.eq(duplicate))
        .all(tx)
        .await?;
    partner_name::Entity::delete_many()
        .filter(partner_name::Column::PartnerId.eq(duplicate))
        .exec(tx)
        .await?;
    let moved: Vec<partner_name::Model> = names
        .into_iter()
        .filter(|n| !kept.contains(&n.name_key))
        .map(|n| partner_name::Model {
            partner_id: survivor,
            source: "alias".into(),
            ..n
        })
        .collect();
    let n = moved.len() as u64;
    if !moved.is_empty() {
        partner_name::Entity::insert_many(
            moved.into_iter().map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(tx)
        .await?;
    }
    Ok(n)
}

/// Accredited missions move, unless the survivor has the same one; how many moved.
async fn move_missions<C: ConnectionTrait>(
    tx: &C,
    duplicate: Uuid,
    survivor: Uuid,
) -> Result<u64, StoreError> {
    let mut n = 0;
    let kept_missions: HashSet<Uuid> = partner_mission::Entity::find()
        .filter(partner_mission::Column::PartnerId.eq(survivor))
        .all(tx)
        .await?
        .into_iter()
        .map(|m| m.agency_id)
        .collect();
    for m in partner_mission::Entity::find()
        .filter(partner_mission::Column::PartnerId.eq(duplicate))
        .all(tx)
        .await?
    {
        partner_mission::Entity::delete_by_id((duplicate, m.agency_id))
            .exec(tx)
            .await?;
        if !kept_missions.contains(&m.agency_id) {
            partner_mission::Entity::insert(
                partner_mission::Model {
                    partner_id: survivor,
                    ..m
                }
                .into_active_model(),
            )
            .exec_without_returning(tx)
            .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Activity links move (one already on the survivor is kept once), and the
/// participations behind them follow; how many links the duplicate had.
async fn move_activity_links<C: ConnectionTrait>(
    tx: &C,
    duplicate: Uuid,
    survivor: Uuid,
) -> Result<u64, StoreError> {
    let mut n = 0;
    let kept_activities: HashSet<Uuid> = activity_partner::Entity::find()
        .filter(activity_partner::Column::PartnerId.eq(survivor))
        .all(tx)
        .await?
        .into_iter()
        .map(|l| l.activity_id)
        .collect();
    let mut moved = Vec::new();
    for l in activity_partner::Entity::find()
        .filter(activity_partner::Column::PartnerId.eq(duplicate))
        .all(tx)
        .await?
    {
        moved.push(l.activity_id);
        activity_partner::Entity::delete_by_id((l.activity_id, duplicate))
            .exec(tx)
            .await?;
        if !kept_activities.contains(&l.activity_id) {
            activity_partner::Entity::insert(
                activity_partner::Model {
                    partner_id: survivor,
                    ..l
                }
                .into_active_model(),
            )
            .exec_without_returning(tx)
            .await?;
        }
        n += 1;
    }
    crate::activities::relink_participants(tx, &moved).await?;
    Ok(n)
}

/// Agreement links move (one already on the survivor is kept once); how many
/// links the duplicate had.
async fn move_agreement_links<C: ConnectionTrait>(
    tx: &C,
    duplicate: Uuid,
    survivor: Uuid,
) -> Result<u64, StoreError> {
    let kept_agreements: HashSet<Uuid> = agreement_partner::Entity::find()
        .filter(agreement_partner::Column::PartnerId.eq(survivor))
        .all(tx)
        .await?
        .into_iter()
        .map(|l| l.agreement_id)
        .collect();
    let dup_agreements = agreement_partner::Entity::find()
        .filter(agreement_partner::Column::PartnerId.eq(duplicate))
        .all(tx)
        .await?;
    agreement_partner::Entity::delete_many()
        .filter(agreement_partner::Column::PartnerId.eq(duplicate))
        .exec(tx)
        .await?;
    let n = dup_agreements.len() as u64;
    let moved_links: Vec<_> = dup_agreements
        .into_iter()
        .filter(|l| !kept_agreements.contains(&l.agreement_id))
        .map(|l| {
            agreement_partner::Model {
                partner_id: survivor,
                ..l
            }
            .into_active_model()
        })
        .collect();
    if !moved_links.is_empty() {
        agreement_partner::Entity::insert_many(moved_links)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(n)
}
