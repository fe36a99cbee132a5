//! The catalogue of relationship framework levels: shipped with the reference
//! data, corrected and extended by administrators (audited). A level's code is
//! fixed once created, because framework steps refer to it.

use crate::audit::{Change, append};
use crate::entity::framework_level;
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::partner::{LevelForm, LevelInput};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};

pub const LEVEL_ENTITY: &str = "framework_level";

fn only_admins(ctx: &Ctx) -> Result<(), StoreError> {
    if ctx.actor.is_admin() {
        Ok(())
    } else {
        Err(StoreError::forbidden())
    }
}

impl Store {
    /// Add a level to the catalogue.
    pub async fn framework_level_create(
        &self,
        ctx: &Ctx,
        form: &LevelForm,
    ) -> Result<framework_level::Model, StoreError> {
        only_admins(ctx)?;
        let input = LevelInput::parse(form, true)?;
        let tx = self.begin_write().await?;
        if framework_level::Entity::find_by_id(input.code.clone())
            .one(&tx)
            .await?
            .is_some()
        {
            return Err(FieldErrors::single(
                "code",
                Msg::new(
                    "Mã này đã có trong danh mục.",
                    "This code is already in the catalogue.",
                ),
            )
            .into());
        }
        let m = framework_level::Model {
            code: input.code,
            name_vi: input.name_vi,
            name_en: input.name_en,
            rank: input.rank,
            created_at: now(),
        };
        let code = m.code.clone();
        framework_level::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                classification: Classification::None,
                after: serde_json::to_value(&m).ok(),
                ..Change::new(LEVEL_ENTITY, code, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Correct a level's names or rank (its code stays).
    pub async fn framework_level_update(
        &self,
        ctx: &Ctx,
        code: &str,
        form: &LevelForm,
    ) -> Result<framework_level::Model, StoreError> {
        only_admins(ctx)?;
        let input = LevelInput::parse(form, false)?;
        let tx = self.begin_write().await?;
        let before = framework_level::Entity::find_by_id(code.to_string())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let after = framework_level::Model {
            name_vi: input.name_vi,
            name_en: input.name_en,
            rank: input.rank,
            ..before.clone()
        };
        framework_level::Entity::update(after.clone().into_active_model().reset_all())
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                classification: Classification::None,
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
                ..Change::new(LEVEL_ENTITY, code, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
