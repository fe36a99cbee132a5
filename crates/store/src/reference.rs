//! Reference data shipped in the repo (`data/reference/`, with its licences):
//! countries from ISO 3166-1 with CLDR names, and Vietnam's provincial units —
//! the 34 in force since 1 July 2025 and the 63 before, linked by succession;
//! the world's regions (UN M.49 via CLDR) and the countries in each.

use crate::entity::{country, country_region, province, region};
use crate::{Store, StoreError};
use kieng_domain::text::fold;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};
use serde::Deserialize;

const COUNTRIES_CSV: &str = include_str!("../../../data/reference/countries.csv");
const PROVINCES_CSV: &str = include_str!("../../../data/reference/provinces.csv");
const REGIONS_CSV: &str = include_str!("../../../data/reference/regions.csv");
const COUNTRY_REGIONS_CSV: &str = include_str!("../../../data/reference/country-regions.csv");

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    parent: String,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
struct CountryRegionRow {
    alpha2: String,
    subregion: String,
    continent: String,
}

#[derive(Deserialize)]
struct CountryRow {
    alpha2: String,
    alpha3: String,
    numeric: String,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
struct ProvinceRow {
    code: String,
    name: String,
    kind: String,
    valid_from: String,
    valid_to: String,
    successor_code: String,
    iso_code: String,
}

fn rows<T: for<'de> Deserialize<'de>>(csv_text: &str) -> Result<Vec<T>, StoreError> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| StoreError::Internal(format!("reference data: {e}")))
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The migration step that loads both files.
pub(crate) async fn load<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let countries = rows::<CountryRow>(COUNTRIES_CSV)?
        .into_iter()
        .map(|r| country::ActiveModel {
            name_fold: Set(format!("{} {}", fold(&r.name_vi), fold(&r.name_en))),
            alpha2: Set(r.alpha2),
            alpha3: Set(r.alpha3),
            numeric: Set(r.numeric),
            name_vi: Set(r.name_vi),
            name_en: Set(r.name_en),
        });
    country::Entity::insert_many(countries).exec(db).await?;
    // Successors first (the 34), so the foreign key holds row by row.
    let mut provinces = rows::<ProvinceRow>(PROVINCES_CSV)?;
    provinces.sort_by_key(|r| !r.successor_code.is_empty());
    let provinces = provinces.into_iter().map(|r| province::ActiveModel {
        name_fold: Set(fold(&r.name)),
        code: Set(r.code),
        name: Set(r.name),
        kind: Set(r.kind),
        valid_from: Set(date(&r.valid_from)),
        valid_to: Set(date(&r.valid_to)),
        successor_code: Set(Some(r.successor_code).filter(|s| !s.is_empty())),
        iso_code: Set(Some(r.iso_code).filter(|s| !s.is_empty())),
    });
    province::Entity::insert_many(provinces).exec(db).await?;
    Ok(())
}

/// The migration step that loads the regions and each country's membership.
pub(crate) async fn load_regions<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let mut regions = rows::<RegionRow>(REGIONS_CSV)?;
    // Continents first, so the parent exists row by row.
    regions.sort_by_key(|r| !r.parent.is_empty());
    region::Entity::insert_many(regions.into_iter().map(|r| region::ActiveModel {
        code: Set(r.code),
        parent: Set(Some(r.parent).filter(|p| !p.is_empty())),
        name_vi: Set(r.name_vi),
        name_en: Set(r.name_en),
    }))
    .exec(db)
    .await?;
    let members = rows::<CountryRegionRow>(COUNTRY_REGIONS_CSV)?
        .into_iter()
        .flat_map(|r| {
            [r.subregion, r.continent].map(|region| country_region::ActiveModel {
                alpha2: Set(r.alpha2.clone()),
                region: Set(region),
            })
        })
        .collect::<Vec<_>>();
    for chunk in members.chunks(400) {
        country_region::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_and_hold_together() {
        let c = rows::<CountryRow>(COUNTRIES_CSV).unwrap();
        assert!(c.len() >= 249);
        assert!(
            c.iter()
                .any(|r| r.alpha2 == "VN" && r.name_vi == "Việt Nam" && r.numeric == "704")
        );
        let p = rows::<ProvinceRow>(PROVINCES_CSV).unwrap();
        let current: Vec<_> = p.iter().filter(|r| r.valid_to.is_empty()).collect();
        let earlier: Vec<_> = p.iter().filter(|r| !r.valid_to.is_empty()).collect();
        assert_eq!((current.len(), earlier.len()), (34, 63));
        for r in &earlier {
            assert!(
                current.iter().any(|c| c.code == r.successor_code),
                "{} has no successor",
                r.name
            );
        }
    }
}
