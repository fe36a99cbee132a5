//! Migration 5: the partner registry from the shipped reference data — one
//! partner per ISO 3166-1 country (its CLDR names, and its alpha-3 code as an
//! alias), the European Union as an organisation, the framework levels, and the
//! dated framework history of `relationship-frameworks.csv` with its sources.
//! Seeded partners belong to no agency (`Uuid::nil()`): only administrators
//! with the whole system in scope change them.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use kieng_domain::partner::{PartialDate, name_key};
use kieng_domain::text::fold;
use sea_orm::{ConnectionTrait, Statement, Value};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const FRAMEWORKS_CSV: &str = include_str!("../../../data/reference/relationship-frameworks.csv");

/// code, Vietnamese, English, rank
const LEVELS: &[(&str, &str, &str, i32)] = &[
    ("special", "Quan hệ đặc biệt", "Special relationship", 50),
    (
        "comprehensive_strategic",
        "Đối tác chiến lược toàn diện",
        "Comprehensive Strategic Partnership",
        40,
    ),
    (
        "strategic",
        "Đối tác chiến lược",
        "Strategic Partnership",
        30,
    ),
    (
        "comprehensive",
        "Đối tác toàn diện",
        "Comprehensive Partnership",
        20,
    ),
];

#[derive(Deserialize)]
struct FrameworkRow {
    iso_alpha2: String,
    partner_en: String,
    partner_vi_hint: String,
    framework: String,
    framework_vi: String,
    established: String,
    source: String,
}

/// A partner's names as rows of `partner_names`, each folded key once.
fn names(id: Uuid, all: &[(String, &str)], seen: &mut HashSet<(Uuid, String)>) -> Vec<Vec<Value>> {
    all.iter()
        .filter(|(n, _)| !n.trim().is_empty())
        .filter(|(n, _)| seen.insert((id, name_key(n))))
        .map(|(n, source)| {
            vec![
                id.into(),
                name_key(n).into(),
                n.clone().into(),
                (*source).into(),
            ]
        })
        .collect()
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let t = crate::now();
    let levels = LEVELS
        .iter()
        .map(|(code, vi, en, rank)| {
            vec![
                (*code).into(),
                (*vi).into(),
                (*en).into(),
                (*rank).into(),
                t.into(),
            ]
        })
        .collect();
    insert_rows(
        db,
        "framework_levels",
        &["code", "name_vi", "name_en", "rank", "created_at"],
        levels,
    )
    .await?;

    let backend = db.get_database_backend();
    let mut countries: Vec<(String, String, String, String)> = Vec::new();
    for r in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT alpha2, alpha3, name_vi, name_en FROM countries ORDER BY alpha2",
        ))
        .await?
    {
        countries.push((
            r.try_get("", "alpha2")?,
            r.try_get("", "alpha3")?,
            r.try_get("", "name_vi")?,
            r.try_get("", "name_en")?,
        ));
    }
    let mut ids: HashMap<String, Uuid> = HashMap::new();
    let mut partners = Vec::new();
    let mut name_rows = Vec::new();
    let mut seen = HashSet::new();
    let mut partner = |id: Uuid,
                       kind: &str,
                       code: &str,
                       country: Option<String>,
                       vi: &str,
                       en: &str,
                       abbreviation: Option<String>,
                       all: &[(String, &str)]| {
        let fold_all = all
            .iter()
            .map(|(n, _)| fold(n))
            .collect::<Vec<_>>()
            .join(" ");
        partners.push(vec![
            id.into(),
            kind.into(),
            Some(code.to_string()).into(),
            country.into(),
            vi.into(),
            Some(en.to_string()).into(),
            abbreviation.into(),
            fold_all.into(),
            false.into(),
            false.into(),
            Uuid::nil().into(),
            0i16.into(),
            1i32.into(),
            t.into(),
            t.into(),
        ]);
        name_rows.extend(names(id, all, &mut seen));
    };
    for (alpha2, alpha3, vi, en) in &countries {
        let id = Uuid::now_v7();
        ids.insert(alpha2.clone(), id);
        let all = [
            (vi.clone(), "name_vi"),
            (en.clone(), "name_en"),
            (alpha3.clone(), "iso"),
        ];
        partner(
            id,
            "country",
            alpha2,
            Some(alpha2.clone()),
            vi,
            en,
            None,
            &all,
        );
    }
    // Partners of the framework list that are not countries (the European Union).
    let frameworks: Vec<FrameworkRow> = reference_rows(FRAMEWORKS_CSV)?;
    for f in &frameworks {
        if !ids.contains_key(&f.iso_alpha2) {
            let id = Uuid::now_v7();
            ids.insert(f.iso_alpha2.clone(), id);
            let all = [
                (f.partner_vi_hint.clone(), "name_vi"),
                (f.partner_en.clone(), "name_en"),
                (f.iso_alpha2.clone(), "abbreviation"),
            ];
            partner(
                id,
                "organisation",
                &f.iso_alpha2,
                None,
                &f.partner_vi_hint,
                &f.partner_en,
                Some(f.iso_alpha2.clone()),
                &all,
            );
        }
    }
    insert_rows(
        db,
        "partners",
        &[
            "id",
            "kind",
            "code",
            "country_code",
            "name_vi",
            "name_en",
            "abbreviation",
            "name_fold",
            "neighbour",
            "traditional_friend",
            "owner_agency_id",
            "classification",
            "version",
            "created_at",
            "updated_at",
        ],
        partners,
    )
    .await?;
    insert_rows(
        db,
        "partner_names",
        &["partner_id", "name_key", "name", "source"],
        name_rows,
    )
    .await?;
    let mut steps = Vec::new();
    for f in &frameworks {
        let Some(id) = ids.get(&f.iso_alpha2) else {
            continue;
        };
        let since = PartialDate::parse(&f.established);
        // "Đối tác chiến lược toàn diện (official name: …)" keeps the official long name.
        let official = f
            .framework_vi
            .split_once('(')
            .map(|(_, rest)| rest.trim_end_matches(')').trim().to_string());
        steps.push(vec![
            Uuid::now_v7().into(),
            (*id).into(),
            f.framework.clone().into(),
            since.map(|d| d.date).into(),
            since.map(|d| d.precision.as_str().to_string()).into(),
            official.into(),
            Some(f.source.clone()).filter(|s| !s.is_empty()).into(),
            t.into(),
        ]);
    }
    insert_rows(
        db,
        "partner_frameworks",
        &[
            "id",
            "partner_id",
            "level_code",
            "since_date",
            "since_precision",
            "official_name",
            "source",
            "created_at",
        ],
        steps,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_file_parses_with_known_levels_and_dates() {
        let rows: Vec<FrameworkRow> = reference_rows(FRAMEWORKS_CSV).unwrap();
        assert!(rows.len() >= 25);
        for r in &rows {
            assert!(
                LEVELS.iter().any(|(c, ..)| *c == r.framework),
                "{}",
                r.framework
            );
            assert!(
                r.established.is_empty() || PartialDate::parse(&r.established).is_some(),
                "{}",
                r.established
            );
        }
    }
}
