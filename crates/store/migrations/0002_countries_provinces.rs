//! Migration 2: the countries (ISO 3166-1 with CLDR names) and Vietnam's
//! provincial units — the 34 in force since 1 July 2025 and the 63 before,
//! linked by succession — from the files shipped in `data/reference/`.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use kieng_domain::text::fold;
use sea_orm::{ConnectionTrait, Value};
use serde::Deserialize;

pub(crate) const COUNTRIES_CSV: &str = include_str!("../../../data/reference/countries.csv");
pub(crate) const PROVINCES_CSV: &str = include_str!("../../../data/reference/provinces.csv");

#[derive(Deserialize)]
pub(crate) struct CountryRow {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Deserialize)]
pub(crate) struct ProvinceRow {
    pub code: String,
    pub name: String,
    kind: String,
    pub valid_from: String,
    pub valid_to: String,
    pub successor_code: String,
    iso_code: String,
}

fn date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn text(s: String) -> Value {
    Some(s).filter(|s| !s.is_empty()).into()
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let countries = reference_rows::<CountryRow>(COUNTRIES_CSV)?
        .into_iter()
        .map(|r| {
            vec![
                r.alpha2.into(),
                r.alpha3.into(),
                r.numeric.into(),
                r.name_vi.clone().into(),
                r.name_en.clone().into(),
                format!("{} {}", fold(&r.name_vi), fold(&r.name_en)).into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "countries",
        &[
            "alpha2",
            "alpha3",
            "numeric",
            "name_vi",
            "name_en",
            "name_fold",
        ],
        countries,
    )
    .await?;
    // Successors first (the 34), so the foreign key holds row by row.
    let mut provinces = reference_rows::<ProvinceRow>(PROVINCES_CSV)?;
    provinces.sort_by_key(|r| !r.successor_code.is_empty());
    let provinces = provinces
        .into_iter()
        .map(|r| {
            vec![
                r.code.into(),
                r.name.clone().into(),
                fold(&r.name).into(),
                r.kind.into(),
                date(&r.valid_from).into(),
                date(&r.valid_to).into(),
                text(r.successor_code),
                text(r.iso_code),
            ]
        })
        .collect();
    insert_rows(
        db,
        "provinces",
        &[
            "code",
            "name",
            "name_fold",
            "kind",
            "valid_from",
            "valid_to",
            "successor_code",
            "iso_code",
        ],
        provinces,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_and_hold_together() {
        let c = reference_rows::<CountryRow>(COUNTRIES_CSV).unwrap();
        assert!(c.len() >= 249);
        assert!(
            c.iter()
                .any(|r| r.alpha2 == "VN" && r.name_vi == "Việt Nam" && r.numeric == "704")
        );
        let p = reference_rows::<ProvinceRow>(PROVINCES_CSV).unwrap();
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
