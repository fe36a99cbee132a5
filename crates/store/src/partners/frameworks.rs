//! A partner's framework history: recording a step (an establishment or an
//! upgrade), correcting one and removing one. Every step names its source; a
//! correction replaces the step (the old one kept, marked removed) so the
//! history of the fact itself stays readable, and each is audited. A shipped
//! step corrected here stays corrected: migrations only ever add to it.

use super::ENTITY;
use crate::Store;
use crate::audit::{Change, append, from_rank};
use crate::entity::{partner, partner_framework};
use crate::{Ctx, StoreError, now};
use kieng_domain::partner::{PartialDate, PartnerKind};
use kieng_domain::text::clean;
use kieng_domain::{FieldErrors, Msg};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use uuid::Uuid;

/// The raw strings of a framework step form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FrameworkForm {
    #[serde(default)]
    pub level_code: String,
    pub since: Option<String>,
    pub official_name: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl Store {
    /// Record a step of a partner's framework history (an establishment or upgrade).
    pub async fn partner_framework_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        form: &FrameworkForm,
    ) -> Result<partner_framework::Model, StoreError> {
        let p = self.framework_partner(ctx, id).await?;
        let step = self.framework_step(ctx, &p, form).await?;
        let tx = self.begin_write().await?;
        partner_framework::Entity::insert(step.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                after: serde_json::to_value(&step).ok(),
                ..Change::new(ENTITY, id, "framework")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(step)
    }

    /// Correct a step: the corrected one takes its place, the old one is kept
    /// as removed; one audit entry holds both.
    pub async fn partner_framework_correct(
        &self,
        ctx: &Ctx,
        id: Uuid,
        step_id: Uuid,
        form: &FrameworkForm,
    ) -> Result<partner_framework::Model, StoreError> {
        let p = self.framework_partner(ctx, id).await?;
        let old = self.live_step(id, step_id).await?;
        let step = self.framework_step(ctx, &p, form).await?;
        let tx = self.begin_write().await?;
        remove_step(&tx, ctx, old.clone()).await?;
        partner_framework::Entity::insert(step.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                before: serde_json::to_value(&old).ok(),
                after: serde_json::to_value(&step).ok(),
                ..Change::new(ENTITY, id, "framework_correct")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(step)
    }

    /// Remove a step recorded in error (kept, marked removed, audited).
    pub async fn partner_framework_remove(
        &self,
        ctx: &Ctx,
        id: Uuid,
        step_id: Uuid,
    ) -> Result<(), StoreError> {
        let p = self.framework_partner(ctx, id).await?;
        let old = self.live_step(id, step_id).await?;
        let tx = self.begin_write().await?;
        remove_step(&tx, ctx, old.clone()).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                before: serde_json::to_value(&old).ok(),
                ..Change::new(ENTITY, id, "framework_remove")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The partner, if the reader may see and edit it and it has frameworks.
    async fn framework_partner(&self, ctx: &Ctx, id: Uuid) -> Result<partner::Model, StoreError> {
        let p = self.visible_partner(ctx, id).await?;
        if !Self::may_edit_partner(ctx, &p) {
            return Err(StoreError::forbidden());
        }
        if !PartnerKind::parse(&p.kind).is_some_and(PartnerKind::has_framework) {
            return Err(FieldErrors::single(
                "level_code",
                Msg::new(
                    "Chỉ quốc gia và tổ chức quốc tế có khuôn khổ quan hệ.",
                    "Only countries and organisations have a relationship framework.",
                ),
            )
            .into());
        }
        Ok(p)
    }

    /// One live step of this partner.
    async fn live_step(
        &self,
        id: Uuid,
        step_id: Uuid,
    ) -> Result<partner_framework::Model, StoreError> {
        partner_framework::Entity::find_by_id(step_id)
            .filter(partner_framework::Column::PartnerId.eq(id))
            .filter(partner_framework::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A new step from the form, every field's problem reported at once.
    async fn framework_step(
        &self,
        ctx: &Ctx,
        p: &partner::Model,
        form: &FrameworkForm,
    ) -> Result<partner_framework::Model, StoreError> {
        let mut e = FieldErrors::new();
        let levels = self.levels().await?;
        if !levels.contains_key(form.level_code.trim()) {
            e.add("level_code", kieng_domain::error::msgs::invalid_choice());
        }
        let since = match form
            .since
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match PartialDate::parse(s) {
                Some(d) if d.date <= chrono::Utc::now().date_naive() => Some(d),
                Some(_) => {
                    e.add(
                        "since",
                        Msg::new(
                            "Ngày thiết lập không thể ở tương lai.",
                            "The date cannot be in the future.",
                        ),
                    );
                    None
                }
                None => {
                    e.add(
                        "since",
                        Msg::new(
                            "Nhập năm (2016), tháng (05/2008) hoặc ngày (07/10/2024).",
                            "Enter a year (2016), a month (05/2008) or a day (07/10/2024).",
                        ),
                    );
                    None
                }
            },
        };
        let text = |v: &Option<String>, multiline: bool, max: usize| {
            v.as_deref()
                .map(|s| clean(s, multiline))
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(max).collect::<String>())
        };
        let source = text(&form.source, false, 2_000);
        if source.is_none() {
            e.add(
                "source",
                Msg::new(
                    "Ghi rõ nguồn (văn bản, tin chính thức) của thông tin này.",
                    "Give the source (document, official news) of this fact.",
                ),
            );
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(partner_framework::Model {
            id: Uuid::now_v7(),
            partner_id: p.id,
            level_code: form.level_code.trim().into(),
            since_date: since.map(|d| d.date),
            since_precision: since.map(|d| d.precision.as_str().into()),
            official_name: text(&form.official_name, false, 500),
            source,
            note: text(&form.note, true, 2_000),
            created_at: now(),
            created_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        })
    }
}

/// Mark a step removed, inside `tx`.
async fn remove_step<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    old: partner_framework::Model,
) -> Result<(), StoreError> {
    let mut m = old.into_active_model();
    m.deleted_at = Set(Some(now()));
    m.deleted_by = Set(Some(ctx.actor.user_id));
    m.update(tx).await?;
    Ok(())
}
