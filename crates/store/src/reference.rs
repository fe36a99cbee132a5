//! Reference data shipped in the repo (`data/reference/`, with its licences)
//! and loaded by migrations 2 and 17: countries from ISO 3166-1 with CLDR
//! names, and Vietnam's provincial units — the 34 in force since 1 July 2025
//! and the 63 before, linked by succession; the world's regions (UN M.49 via
//! CLDR) and the countries in each. Administrators correct them here (audited,
//! `corrected_at` set), and later reference migrations leave corrected rows as
//! they are.

use crate::audit::{Change, append};
use crate::entity::{commune, country, province, region};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::reference::{CommuneForm, CountryForm, ProvinceForm};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryOrder};

impl Store {
    /// Continents and their sub-regions, each continent followed by its own.
    pub async fn regions(&self) -> Result<Vec<region::Model>, StoreError> {
        let all = region::Entity::find()
            .order_by_asc(region::Column::NameVi)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(all.len());
        for c in all.iter().filter(|r| r.parent.is_none()) {
            out.push(c.clone());
            out.extend(
                all.iter()
                    .filter(|r| r.parent.as_deref() == Some(c.code.as_str()))
                    .cloned(),
            );
        }
        Ok(out)
    }

    pub async fn countries(&self) -> Result<Vec<country::Model>, StoreError> {
        Ok(country::Entity::find()
            .order_by_asc(country::Column::NameFold)
            .all(&self.db)
            .await?)
    }

    pub async fn provinces(&self) -> Result<Vec<province::Model>, StoreError> {
        // Units in force first; sorted here because the databases put NULLs at
        // different ends of an ORDER BY.
        let mut all = province::Entity::find()
            .order_by_asc(province::Column::NameFold)
            .all(&self.db)
            .await?;
        all.sort_by_key(|p| p.valid_to.is_some());
        Ok(all)
    }

    /// Communes whose name holds every word typed (with or without
    /// diacritics), or whose code starts with what was typed, with their
    /// province's name: at most `limit`, by name.
    pub async fn commune_choices(
        &self,
        text: &str,
        limit: u64,
    ) -> Result<Vec<(crate::entity::commune::Model, String)>, StoreError> {
        use crate::entity::commune;
        use sea_orm::{ColumnTrait, Condition, QueryFilter, QuerySelect};
        let folded = kieng_domain::text::fold(text);
        let words: Vec<&str> = folded.split_whitespace().take(6).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut by_name = Condition::all();
        for w in &words {
            by_name = by_name.add(commune::Column::NameFold.contains(*w));
        }
        let code = text.trim();
        let mut q = Condition::any().add(by_name);
        if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
            q = q.add(commune::Column::Code.starts_with(code));
        }
        let rows = commune::Entity::find()
            .filter(q)
            .order_by_asc(commune::Column::NameFold)
            .limit(limit)
            .all(&self.db)
            .await?;
        let provinces: std::collections::HashMap<String, String> = self
            .provinces()
            .await?
            .into_iter()
            .map(|p| (p.code, p.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|c| {
                let p = provinces.get(&c.province_code).cloned().unwrap_or_default();
                (c, p)
            })
            .collect())
    }

    /// The communes of one province (or all), whose name holds every word
    /// typed (with or without diacritics) or whose code starts with it, by
    /// name (the first `limit` by full name): with how many match in all.
    pub async fn communes(
        &self,
        province: Option<&str>,
        text: &str,
        limit: u64,
    ) -> Result<(Vec<crate::entity::commune::Model>, u64), StoreError> {
        use crate::entity::commune;
        use sea_orm::{ColumnTrait, Condition, PaginatorTrait, QueryFilter, QuerySelect};
        let folded = kieng_domain::text::fold(text);
        let mut q = Condition::all();
        if let Some(p) = province.filter(|p| !p.is_empty()) {
            q = q.add(commune::Column::ProvinceCode.eq(p));
        }
        let code = text.trim();
        if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) {
            q = q.add(commune::Column::Code.starts_with(code));
        } else {
            for w in folded.split_whitespace().take(6) {
                q = q.add(commune::Column::NameFold.contains(w));
            }
        }
        let total = commune::Entity::find()
            .filter(q.clone())
            .count(&self.db)
            .await?;
        let mut rows = commune::Entity::find()
            .filter(q)
            .order_by_asc(commune::Column::NameFold)
            .order_by_asc(commune::Column::Code)
            .limit(limit)
            .all(&self.db)
            .await?;
        // Shown by the unit's own name, so wards and communes interleave as
        // an official reads a list ("Bản Bo" before "Đoàn Kết").
        rows.sort_by_cached_key(|c| (kieng_domain::text::fold(&c.name), c.code.clone()));
        Ok((rows, total))
    }
}

/// The audit's entity names of the reference facts an administrator corrects.
pub const COMMUNE_ENTITY: &str = "commune";
pub const PROVINCE_ENTITY: &str = "province";
pub const COUNTRY_ENTITY: &str = "country";

fn only_admins(ctx: &Ctx) -> Result<(), StoreError> {
    if ctx.actor.is_admin() {
        Ok(())
    } else {
        Err(StoreError::forbidden())
    }
}

async fn audit<C: ConnectionTrait, T: serde::Serialize>(
    db: &C,
    ctx: &Ctx,
    entity: &'static str,
    code: &str,
    before: &T,
    after: &T,
) -> Result<(), StoreError> {
    append(
        db,
        &ctx.into(),
        Change {
            classification: Classification::None,
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
            ..Change::new(entity, code, "correct")
        },
    )
    .await?;
    Ok(())
}

impl Store {
    pub async fn commune(&self, code: &str) -> Result<commune::Model, StoreError> {
        commune::Entity::find_by_id(code.to_string())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn province(&self, code: &str) -> Result<province::Model, StoreError> {
        province::Entity::find_by_id(code.to_string())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn country(&self, code: &str) -> Result<country::Model, StoreError> {
        country::Entity::find_by_id(code.to_string())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Correct a commune-level unit (administrators; audited). It may move
    /// to another provincial unit in force; its code stays.
    pub async fn commune_correct(
        &self,
        ctx: &Ctx,
        code: &str,
        form: &CommuneForm,
    ) -> Result<commune::Model, StoreError> {
        only_admins(ctx)?;
        let input = form.parse()?;
        let tx = self.begin_write().await?;
        let before = commune::Entity::find_by_id(code.to_string())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let in_force = province::Entity::find_by_id(input.province_code.clone())
            .one(&tx)
            .await?
            .is_some_and(|p| p.valid_to.is_none());
        if !in_force {
            return Err(FieldErrors::single(
                "province_code",
                Msg::new(
                    "Chọn một đơn vị hành chính cấp tỉnh đang hiệu lực.",
                    "Choose a provincial unit in force.",
                ),
            )
            .into());
        }
        let after = commune::Model {
            name_fold: fold(&format!(
                "{} {}",
                input.full_name,
                input.name_en.as_deref().unwrap_or_default()
            )),
            name: input.name,
            full_name: input.full_name,
            name_en: input.name_en,
            kind: input.kind.into(),
            province_code: input.province_code,
            corrected_at: Some(now()),
            ..before.clone()
        };
        commune::Entity::update(after.clone().into_active_model().reset_all())
            .exec(&tx)
            .await?;
        audit(&tx, ctx, COMMUNE_ENTITY, code, &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Correct a provincial unit's name or kind (administrators; audited).
    pub async fn province_correct(
        &self,
        ctx: &Ctx,
        code: &str,
        form: &ProvinceForm,
    ) -> Result<province::Model, StoreError> {
        only_admins(ctx)?;
        let input = form.parse()?;
        let tx = self.begin_write().await?;
        let before = province::Entity::find_by_id(code.to_string())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let after = province::Model {
            name_fold: fold(&input.name),
            name: input.name,
            kind: input.kind.into(),
            corrected_at: Some(now()),
            ..before.clone()
        };
        province::Entity::update(after.clone().into_active_model().reset_all())
            .exec(&tx)
            .await?;
        audit(&tx, ctx, PROVINCE_ENTITY, code, &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Correct a country's names (administrators; audited).
    pub async fn country_correct(
        &self,
        ctx: &Ctx,
        code: &str,
        form: &CountryForm,
    ) -> Result<country::Model, StoreError> {
        only_admins(ctx)?;
        let input = form.parse()?;
        let tx = self.begin_write().await?;
        let before = country::Entity::find_by_id(code.to_string())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let after = country::Model {
            name_fold: fold(&format!("{} {}", input.name_vi, input.name_en)),
            name_vi: input.name_vi,
            name_en: input.name_en,
            corrected_at: Some(now()),
            ..before.clone()
        };
        country::Entity::update(after.clone().into_active_model().reset_all())
            .exec(&tx)
            .await?;
        audit(&tx, ctx, COUNTRY_ENTITY, code, &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Apply a commune list in the shipped format as a reference migration
    /// does (`migrate::reship_communes`): corrected units stay as corrected.
    pub async fn reship_communes(
        &self,
        csv_text: &str,
    ) -> Result<crate::migrate::Reshipped, StoreError> {
        let tx = self.begin_write().await?;
        let done = crate::migrate::reship_communes(&tx, csv_text).await?;
        tx.commit().await?;
        Ok(done)
    }
}
