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
}
