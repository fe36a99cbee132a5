//! Migration 17: the world's regions (UN M.49 via CLDR) and the countries in
//! each, from the files shipped in `data/reference/`.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

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

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let mut regions = reference_rows::<RegionRow>(REGIONS_CSV)?;
    // Continents first, so the parent exists row by row.
    regions.sort_by_key(|r| !r.parent.is_empty());
    let regions = regions
        .into_iter()
        .map(|r| {
            vec![
                r.code.into(),
                Some(r.parent).filter(|p| !p.is_empty()).into(),
                r.name_vi.into(),
                r.name_en.into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "regions",
        &["code", "parent", "name_vi", "name_en"],
        regions,
    )
    .await?;
    let members = reference_rows::<CountryRegionRow>(COUNTRY_REGIONS_CSV)?
        .into_iter()
        .flat_map(|r| {
            [r.subregion, r.continent].map(|region| vec![r.alpha2.clone().into(), region.into()])
        })
        .collect();
    insert_rows(db, "country_regions", &["alpha2", "region"], members).await
}
