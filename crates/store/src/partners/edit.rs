//! Changing a partner after it exists: its names, flags and notes (version-checked,
//! never a silent overwrite, still guarded against duplicates) and the Vietnamese
//! missions accredited to it.

use super::{ENTITY, snapshot};
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{agency, country, partner, partner_mission, partner_name};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::partner::{PartnerForm, PartnerInput, PartnerKind};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use uuid::Uuid;

/// Reject an unknown home country.
pub(super) async fn check_country<C: ConnectionTrait>(
    db: &C,
    code: Option<&String>,
) -> Result<(), StoreError> {
    if let Some(c) = code
        && country::Entity::find_by_id(c.clone())
            .one(db)
            .await?
            .is_none()
    {
        return Err(FieldErrors::single(
            "country_code",
            Msg::new(
                "Mã nước không có trong danh mục ISO 3166-1.",
                "Not an ISO 3166-1 country code.",
            ),
        )
        .into());
    }
    Ok(())
}

/// The names a partner answers to, tagged by where each comes from.
pub(super) fn tagged_names(input: &PartnerInput) -> Vec<(String, &'static str)> {
    let mut tagged: Vec<(String, &'static str)> = vec![(input.name_vi.clone(), "name_vi")];
    tagged.extend(input.name_en.clone().map(|n| (n, "name_en")));
    tagged.extend(input.abbreviation.clone().map(|n| (n, "abbreviation")));
    tagged.extend(input.aliases.iter().cloned().map(|n| (n, "alias")));
    tagged
}

fn duplicate_error(dups: &[partner::Model]) -> StoreError {
    let candidates = dups
        .iter()
        .map(|d| serde_json::json!({"id": d.id, "name_vi": d.name_vi, "kind": d.kind}))
        .collect();
    StoreError::Duplicate {
        candidates: serde_json::Value::Array(candidates),
    }
}

pub(super) fn duplicates_or_ok(dups: Vec<partner::Model>) -> Result<(), StoreError> {
    if dups.is_empty() {
        Ok(())
    } else {
        Err(duplicate_error(&dups))
    }
}

/// What the edit form shows: the partner as stored plus its own aliases (not the
/// ISO codes the registry adds).
#[derive(Debug, Clone)]
pub struct PartnerEdit {
    pub partner: partner::Model,
    pub aliases: Vec<String>,
}

impl Store {
    /// The partner as its edit form starts, if the actor may edit it.
    pub async fn partner_for_edit(&self, ctx: &Ctx, id: Uuid) -> Result<PartnerEdit, StoreError> {
        let p = self.visible_partner(ctx, id).await?;
        if !Self::may_edit_partner(ctx, &p) || p.merged_into_id.is_some() {
            return Err(StoreError::forbidden());
        }
        let aliases = partner_name::Entity::find()
            .filter(partner_name::Column::PartnerId.eq(id))
            .filter(partner_name::Column::Source.eq("alias"))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| n.name)
            .collect();
        Ok(PartnerEdit {
            partner: p,
            aliases,
        })
    }

    /// Change a partner's names, flags, notes and classification. `version` is the
    /// one the actor loaded: a stale edit gets `Conflict` with the record as it is now.
    /// A country stays a country; its code and ISO names stay.
    pub async fn partner_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &PartnerForm,
        allow_duplicate: bool,
    ) -> Result<partner::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = match partner::Entity::find_by_id(id).one(&tx).await? {
            Some(p)
                if p.deleted_at.is_none() && from_rank(p.classification) <= ctx.actor.clearance =>
            {
                p
            }
            _ => return Err(StoreError::NotFound),
        };
        if !Self::may_edit_partner(ctx, &before) || before.merged_into_id.is_some() {
            return Err(StoreError::forbidden());
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let kind = PartnerKind::parse(&before.kind).unwrap_or(PartnerKind::OtherOrganisation);
        let mut e = FieldErrors::new();
        let classification = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret_item = self
            .secret_basis(
                &mut e,
                classification,
                form.secret_item.as_deref(),
                before.secret_item_id,
            )
            .await?;
        let mut input = match (PartnerInput::parse_edit(form, kind), e.is_empty()) {
            (Ok(i), true) => i,
            (Ok(_), false) => return Err(e.into()),
            (Err(mut fe), _) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        if kind == PartnerKind::Country {
            input.country_code = before.country_code.clone();
        }
        check_country(&tx, input.country_code.as_ref()).await?;
        if !allow_duplicate {
            let dups = self
                .partner_duplicates(ctx, &input.names())
                .await?
                .into_iter()
                .filter(|d| d.id != id)
                .collect();
            duplicates_or_ok(dups)?;
        }
        // The ISO names (alpha-3 and the like) belong to the registry, not the form.
        let iso: Vec<partner_name::Model> = partner_name::Entity::find()
            .filter(partner_name::Column::PartnerId.eq(id))
            .filter(partner_name::Column::Source.eq("iso"))
            .all(&tx)
            .await?;
        let mut tagged = tagged_names(&input);
        tagged.extend(iso.iter().map(|n| (n.name.clone(), "iso")));
        let mut after = before.clone();
        after.kind = input.kind.as_str().into();
        after.name_fold = tagged
            .iter()
            .map(|(n, _)| fold(n))
            .collect::<Vec<_>>()
            .join(" ");
        after.name_vi = input.name_vi;
        after.name_en = input.name_en;
        after.abbreviation = input.abbreviation;
        after.country_code = input.country_code;
        after.notes = input.notes;
        after.neighbour = input.neighbour;
        after.traditional_friend = input.traditional_friend;
        after.classification = rank(classification);
        after.secret_item_id = secret_item;
        after.version = before.version + 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        let res = partner::Entity::update_many()
            .set(after.clone().into_active_model().reset_all())
            .filter(partner::Column::Id.eq(id))
            .filter(partner::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: serde_json::Value::Null,
            });
        }
        partner_name::Entity::delete_many()
            .filter(partner_name::Column::PartnerId.eq(id))
            .exec(&tx)
            .await?;
        partner_name::Entity::insert_many(super::names::names_of(id, &tagged))
            .exec_without_returning(&tx)
            .await?;
        let mut before_snap = snapshot(&before);
        let mut after_snap = snapshot(&after);
        after_snap["aliases"] = serde_json::json!(input.aliases);
        before_snap["aliases"] = serde_json::Value::Null;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification,
                before: Some(before_snap),
                after: Some(after_snap),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Record that a Vietnamese mission abroad is accredited to the partner,
    /// resident or concurrent (replacing an earlier entry for the same mission).
    pub async fn partner_mission_set(
        &self,
        ctx: &Ctx,
        id: Uuid,
        agency_id: Uuid,
        resident: bool,
    ) -> Result<(), StoreError> {
        self.mission_change(ctx, id, agency_id, Some(resident))
            .await
    }

    /// Remove a mission's accreditation to the partner.
    pub async fn partner_mission_remove(
        &self,
        ctx: &Ctx,
        id: Uuid,
        agency_id: Uuid,
    ) -> Result<(), StoreError> {
        self.mission_change(ctx, id, agency_id, None).await
    }

    async fn mission_change(
        &self,
        ctx: &Ctx,
        id: Uuid,
        agency_id: Uuid,
        resident: Option<bool>,
    ) -> Result<(), StoreError> {
        let p = self.visible_partner(ctx, id).await?;
        if !Self::may_edit_partner(ctx, &p) {
            return Err(StoreError::forbidden());
        }
        let mission = agency::Entity::find_by_id(agency_id).one(&self.db).await?;
        let mission = match mission {
            Some(a)
                if a.deleted_at.is_none() && from_rank(a.classification) <= ctx.actor.clearance =>
            {
                a
            }
            _ => {
                return Err(FieldErrors::single(
                    "agency_id",
                    Msg::new("Không tìm thấy cơ quan này.", "No such agency."),
                )
                .into());
            }
        };
        if resident.is_some() && mission.level != "mission" {
            return Err(FieldErrors::single(
                "agency_id",
                Msg::new(
                    "Chỉ cơ quan đại diện ở nước ngoài mới được kiêm nhiệm hay thường trú.",
                    "Only a mission abroad can be accredited.",
                ),
            )
            .into());
        }
        let tx = self.begin_write().await?;
        let existing = partner_mission::Entity::find_by_id((id, agency_id))
            .one(&tx)
            .await?;
        if resident.is_none() && existing.is_none() {
            return Err(StoreError::NotFound);
        }
        if existing.is_some() {
            partner_mission::Entity::delete_by_id((id, agency_id))
                .exec(&tx)
                .await?;
        }
        if let Some(resident) = resident {
            partner_mission::Entity::insert(partner_mission::ActiveModel {
                partner_id: Set(id),
                agency_id: Set(agency_id),
                resident: Set(resident),
            })
            .exec_without_returning(&tx)
            .await?;
        }
        let entry = |r: bool| serde_json::json!({"agency_id": agency_id, "agency": mission.name_vi, "resident": r});
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                before: existing.map(|m| entry(m.resident)),
                after: resident.map(entry),
                ..Change::new(ENTITY, id, "mission")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
