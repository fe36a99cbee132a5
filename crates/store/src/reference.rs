//! Reference data shipped in the repo (`data/reference/`, with its licences)
//! and loaded by migrations 2 and 17: countries from ISO 3166-1 with CLDR
//! names, and Vietnam's provincial units — the 34 in force since 1 July 2025
//! and the 63 before, linked by succession; the world's regions (UN M.49 via
//! CLDR) and the countries in each.

use crate::entity::{country, province, region};
use crate::{Store, StoreError};
use sea_orm::{EntityTrait, QueryOrder};

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
