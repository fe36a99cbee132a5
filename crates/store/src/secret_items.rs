//! The state-secrets catalogue items classified records rest on: kept by
//! administrators (audited), read by every writer's form, and checked on every
//! write of a classified record (`Store::secret_basis`). The rule is the
//! domain's (`kieng_domain::secret_item`).

use crate::audit::{Change, append, from_rank, rank};
use crate::entity::secret_item;
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::secret_item::{ItemRef, SecretItemForm, SecretItemInput, check_basis};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

pub const ENTITY: &str = "secret_item";

/// An item as forms and record pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SecretItemView {
    pub id: Uuid,
    pub code: String,
    pub catalogue: String,
    pub title: String,
    pub level: Classification,
    pub retired: bool,
    pub version: i32,
}

impl From<secret_item::Model> for SecretItemView {
    fn from(m: secret_item::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            catalogue: m.catalogue,
            title: m.title,
            level: from_rank(m.level),
            retired: m.retired_at.is_some(),
            version: m.version,
        }
    }
}

impl SecretItemView {
    /// "NG-M-03 — title", as a choice reads.
    pub fn label(&self) -> String {
        format!("{} — {}", self.code, self.title)
    }
}

fn only_admins(ctx: &Ctx) -> Result<(), StoreError> {
    if ctx.actor.is_admin() {
        Ok(())
    } else {
        Err(StoreError::forbidden())
    }
}

fn code_taken() -> FieldErrors {
    FieldErrors::single(
        "code",
        Msg::new(
            "Mã này đã có trong danh mục.",
            "This code is already in the catalogue.",
        ),
    )
}

/// The item as read for a change, refused as a conflict when `version` is stale.
async fn current(
    tx: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
) -> Result<secret_item::Model, StoreError> {
    let before = secret_item::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    if before.version != version {
        return Err(StoreError::Conflict {
            current_version: before.version,
            current: serde_json::to_value(&before).unwrap_or_default(),
        });
    }
    Ok(before)
}

async fn code_in_use(tx: &impl ConnectionTrait, code: &str) -> Result<bool, StoreError> {
    Ok(secret_item::Entity::find()
        .filter(secret_item::Column::Code.eq(code))
        .one(tx)
        .await?
        .is_some())
}

impl Store {
    /// Every item, in force first, by code. The catalogue is small (tens of
    /// items) and the same for every reader: the items are not secret, the
    /// records naming them are.
    pub async fn secret_items(&self) -> Result<Vec<SecretItemView>, StoreError> {
        let mut v: Vec<SecretItemView> = secret_item::Entity::find()
            .order_by_asc(secret_item::Column::Code)
            .all(&self.db)
            .await?
            .into_iter()
            .map(SecretItemView::from)
            .collect();
        v.sort_by_key(|i| i.retired);
        Ok(v)
    }

    /// One item, by id.
    pub async fn secret_item(&self, id: Uuid) -> Result<Option<SecretItemView>, StoreError> {
        Ok(secret_item::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(SecretItemView::from))
    }

    /// Add an item to the catalogue.
    pub async fn secret_item_create(
        &self,
        ctx: &Ctx,
        form: &SecretItemForm,
    ) -> Result<SecretItemView, StoreError> {
        only_admins(ctx)?;
        let input = SecretItemInput::parse(form)?;
        let tx = self.begin_write().await?;
        if code_in_use(&tx, &input.code).await? {
            return Err(code_taken().into());
        }
        let at = now();
        let m = secret_item::Model {
            id: Uuid::now_v7(),
            code: input.code,
            catalogue: input.catalogue,
            title: input.title,
            level: rank(input.level),
            retired_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        secret_item::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: serde_json::to_value(&m).ok(),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m.into())
    }

    /// Correct an item's code, catalogue, wording or level. Records naming it
    /// keep their classification: a changed level shows on them as a basis to
    /// review, and their next edit must agree with it.
    pub async fn secret_item_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &SecretItemForm,
    ) -> Result<SecretItemView, StoreError> {
        only_admins(ctx)?;
        let input = SecretItemInput::parse(form)?;
        let tx = self.begin_write().await?;
        let before = current(&tx, id, version).await?;
        if input.code != before.code && code_in_use(&tx, &input.code).await? {
            return Err(code_taken().into());
        }
        let after = secret_item::Model {
            code: input.code,
            catalogue: input.catalogue,
            title: input.title,
            level: rank(input.level),
            version: before.version + 1,
            updated_at: now(),
            ..before.clone()
        };
        self.secret_item_save(&tx, ctx, &before, &after, "update")
            .await?;
        tx.commit().await?;
        Ok(after.into())
    }

    /// Retire an item (or bring it back): retired, it stays on the records that
    /// name it and is no longer offered.
    pub async fn secret_item_retire(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        retired: bool,
    ) -> Result<SecretItemView, StoreError> {
        only_admins(ctx)?;
        let tx = self.begin_write().await?;
        let before = current(&tx, id, version).await?;
        let at = now();
        let after = secret_item::Model {
            retired_at: retired.then_some(before.retired_at.unwrap_or(at)),
            version: before.version + 1,
            updated_at: at,
            ..before.clone()
        };
        let action = if retired { "retire" } else { "reinstate" };
        self.secret_item_save(&tx, ctx, &before, &after, action)
            .await?;
        tx.commit().await?;
        Ok(after.into())
    }

    async fn secret_item_save(
        &self,
        tx: &impl ConnectionTrait,
        ctx: &Ctx,
        before: &secret_item::Model,
        after: &secret_item::Model,
        action: &'static str,
    ) -> Result<(), StoreError> {
        secret_item::Entity::update(after.clone().into_active_model().reset_all())
            .exec(tx)
            .await?;
        append(
            tx,
            &ctx.into(),
            Change {
                before: serde_json::to_value(before).ok(),
                after: serde_json::to_value(after).ok(),
                ..Change::new(ENTITY, after.id, action)
            },
        )
        .await?;
        Ok(())
    }

    /// The catalogue item a record's form names, checked against the record's
    /// classification: required above "none", of the same level, in force
    /// unless the record already names it. Problems go to `errors` under
    /// `secret_item`; an unclassified record names none.
    pub(crate) async fn secret_basis(
        &self,
        errors: &mut FieldErrors,
        class: Classification,
        input: Option<&str>,
        previous: Option<Uuid>,
    ) -> Result<Option<Uuid>, StoreError> {
        let named = input.map(str::trim).filter(|s| !s.is_empty());
        if class == Classification::None {
            return Ok(None);
        }
        let found = match named {
            None => None,
            Some(s) => {
                let by = match s.parse::<Uuid>() {
                    Ok(id) => secret_item::Column::Id.eq(id),
                    Err(_) => secret_item::Column::Code.eq(s.to_uppercase()),
                };
                secret_item::Entity::find().filter(by).one(&self.db).await?
            }
        };
        let item = found.as_ref().map(|m| ItemRef {
            level: from_rank(m.level),
            retired: m.retired_at.is_some(),
            kept: Some(m.id) == previous,
        });
        Ok(check_basis(errors, class, named.is_some(), item)
            .then(|| found.map(|m| m.id))
            .flatten())
    }
}
