//! Migration 44: the commune-level units (`communes.csv`: 3,321 xã, phường and
//! đặc khu under the 34 provincial units of 1 July 2025, with the General
//! Statistics Office's codes; MIT licence, see `data/reference/LICENSES.md`),
//! and an agency's commune. Each commune is tied to its current provincial
//! unit by name (the file names them as the Office does: "Thanh Hoá", "Hồ Chí
//! Minh"); a commune whose province cannot be found fails the migration.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows, render};
use kieng_domain::text::fold;
use sea_orm::{ConnectionTrait, Statement};
use serde::Deserialize;
use std::collections::HashMap;

pub(crate) const COMMUNES_CSV: &str = include_str!("../../../data/reference/communes.csv");

#[derive(Deserialize)]
pub(crate) struct Row {
    pub commune_code: String,
    pub name: String,
    pub full_name: String,
    pub name_en: String,
    pub kind: String,
    pub province_name: String,
}

/// A province's name as both lists can be matched: folded, without "thành phố".
pub(crate) fn province_key(name: &str) -> String {
    let f = fold(name);
    f.strip_prefix("thanh pho ")
        .unwrap_or(&f)
        .trim()
        .to_string()
}

/// The kind's code: xa | phuong | dac_khu.
pub(crate) fn kind_code(kind: &str) -> Option<&'static str> {
    match kind.trim() {
        "Xã" => Some("xa"),
        "Phường" => Some("phuong"),
        "Đặc khu" => Some("dac_khu"),
        _ => None,
    }
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    for sql in [
        "CREATE TABLE communes (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            full_name TEXT NOT NULL,
            name_en TEXT,
            kind TEXT NOT NULL,
            province_code TEXT NOT NULL REFERENCES provinces(code),
            name_fold TEXT NOT NULL
        )",
        "CREATE INDEX communes_province ON communes (province_code, name_fold)",
        "ALTER TABLE agencies ADD COLUMN commune_code TEXT REFERENCES communes(code)",
    ] {
        db.execute_unprepared(&render(sql, backend)).await?;
    }
    let mut provinces: HashMap<String, String> = HashMap::new();
    for r in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT code, name FROM provinces WHERE valid_to IS NULL",
        ))
        .await?
    {
        let name: String = r.try_get("", "name")?;
        provinces.insert(province_key(&name), r.try_get("", "code")?);
    }
    let rows: Vec<Row> = reference_rows(COMMUNES_CSV)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let province = provinces
            .get(&province_key(&r.province_name))
            .ok_or_else(|| {
                StoreError::Internal(format!("communes: no province {}", r.province_name))
            })?;
        let kind = kind_code(&r.kind)
            .ok_or_else(|| StoreError::Internal(format!("communes: kind {}", r.kind)))?;
        out.push(vec![
            r.commune_code.trim().into(),
            r.name.trim().into(),
            r.full_name.trim().into(),
            Some(r.name_en.trim().to_string())
                .filter(|s| !s.is_empty())
                .into(),
            kind.into(),
            province.clone().into(),
            fold(&format!("{} {}", r.full_name, r.name_en)).into(),
        ]);
    }
    insert_rows(
        db,
        "communes",
        &[
            "code",
            "name",
            "full_name",
            "name_en",
            "kind",
            "province_code",
            "name_fold",
        ],
        out,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_holds_every_commune_with_a_code_a_kind_and_a_province() {
        let rows: Vec<Row> = reference_rows(COMMUNES_CSV).unwrap();
        assert_eq!(rows.len(), 3_321);
        let mut codes = std::collections::HashSet::new();
        let mut provinces = std::collections::HashSet::new();
        for r in &rows {
            assert!(
                codes.insert(r.commune_code.clone()),
                "{} twice",
                r.commune_code
            );
            assert!(kind_code(&r.kind).is_some(), "{}", r.kind);
            provinces.insert(province_key(&r.province_name));
        }
        assert_eq!(provinces.len(), 34);
        let kinds = |k: &str| rows.iter().filter(|r| r.kind == k).count();
        assert_eq!(
            (kinds("Xã"), kinds("Phường"), kinds("Đặc khu")),
            (2_611, 697, 13)
        );
        assert_eq!(
            province_key("Thành phố Hồ Chí Minh"),
            province_key("Hồ Chí Minh")
        );
        assert_eq!(province_key("Thanh Hóa"), province_key("Thanh Hoá"));
    }
}
