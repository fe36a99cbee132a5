//! The migration step that fills the partner registry from the shipped reference
//! data: one partner per ISO 3166-1 country (its CLDR names, and its alpha-3 code
//! as an alias), the European Union as an organisation, the framework levels, and
//! the dated framework history of `relationship-frameworks.csv` with its sources.
//! Seeded partners belong to no agency (`Uuid::nil()`): only administrators with
//! the whole system in scope change them.

use crate::entity::{country, framework_level, partner, partner_framework, partner_name};
use crate::{StoreError, now};
use kieng_domain::partner::{PartialDate, name_key};
use kieng_domain::text::fold;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

const FRAMEWORKS_CSV: &str = include_str!("../../../../data/reference/relationship-frameworks.csv");

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

pub(crate) fn names_of(
    id: Uuid,
    names: &[(String, &'static str)],
) -> Vec<partner_name::ActiveModel> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|(n, _)| !n.trim().is_empty())
        .filter(|(n, _)| seen.insert(name_key(n)))
        .map(|(n, source)| partner_name::ActiveModel {
            partner_id: Set(id),
            name_key: Set(name_key(n)),
            name: Set(n.clone()),
            source: Set((*source).into()),
        })
        .collect()
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let t = now();
    framework_level::Entity::insert_many(LEVELS.iter().map(|(code, vi, en, rank)| {
        framework_level::ActiveModel {
            code: Set((*code).into()),
            name_vi: Set((*vi).into()),
            name_en: Set((*en).into()),
            rank: Set(*rank),
            created_at: Set(t),
        }
    }))
    .exec_without_returning(db)
    .await?;

    let countries = country::Entity::find().all(db).await?;
    let mut ids: HashMap<String, Uuid> = HashMap::new();
    let mut rows = Vec::new();
    let mut names = Vec::new();
    let base = |id,
                kind: &str,
                code: &str,
                country: Option<String>,
                vi: &str,
                en: &str,
                fold_all: String| partner::Model {
        id,
        kind: kind.into(),
        code: Some(code.into()),
        country_code: country,
        name_vi: vi.into(),
        name_en: Some(en.into()),
        abbreviation: None,
        name_fold: fold_all,
        neighbour: false,
        traditional_friend: false,
        notes: None,
        merged_into_id: None,
        owner_agency_id: Uuid::nil(),
        classification: 0,
        version: 1,
        created_at: t,
        created_by: None,
        updated_at: t,
        updated_by: None,
        deleted_at: None,
        deleted_by: None,
    };
    for c in &countries {
        let id = Uuid::now_v7();
        ids.insert(c.alpha2.clone(), id);
        let all = [
            (c.name_vi.clone(), "name_vi"),
            (c.name_en.clone(), "name_en"),
            (c.alpha3.clone(), "iso"),
        ];
        let fold_all = all
            .iter()
            .map(|(n, _)| fold(n))
            .collect::<Vec<_>>()
            .join(" ");
        rows.push(base(
            id,
            "country",
            &c.alpha2,
            Some(c.alpha2.clone()),
            &c.name_vi,
            &c.name_en,
            fold_all,
        ));
        names.extend(names_of(id, &all));
    }
    // Partners of the framework list that are not countries (the European Union).
    let frameworks: Vec<FrameworkRow> = csv::Reader::from_reader(FRAMEWORKS_CSV.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Internal(format!("relationship-frameworks.csv: {e}")))?;
    for f in &frameworks {
        if !ids.contains_key(&f.iso_alpha2) {
            let id = Uuid::now_v7();
            ids.insert(f.iso_alpha2.clone(), id);
            let all = [
                (f.partner_vi_hint.clone(), "name_vi"),
                (f.partner_en.clone(), "name_en"),
                (f.iso_alpha2.clone(), "abbreviation"),
            ];
            let fold_all = all
                .iter()
                .map(|(n, _)| fold(n))
                .collect::<Vec<_>>()
                .join(" ");
            let mut m = base(
                id,
                "organisation",
                &f.iso_alpha2,
                None,
                &f.partner_vi_hint,
                &f.partner_en,
                fold_all,
            );
            m.abbreviation = Some(f.iso_alpha2.clone());
            rows.push(m);
            names.extend(names_of(id, &all));
        }
    }
    for chunk in rows.chunks(500) {
        partner::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(db)
        .await?;
    }
    for chunk in names.chunks(500) {
        partner_name::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
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
        steps.push(partner_framework::ActiveModel {
            id: Set(Uuid::now_v7()),
            partner_id: Set(*id),
            level_code: Set(f.framework.clone()),
            since_date: Set(since.map(|d| d.date)),
            since_precision: Set(since.map(|d| d.precision.as_str().to_string())),
            official_name: Set(official),
            source: Set(Some(f.source.clone()).filter(|s| !s.is_empty())),
            note: Set(None),
            created_at: Set(t),
            created_by: Set(None),
            deleted_at: Set(None),
            deleted_by: Set(None),
        });
    }
    partner_framework::Entity::insert_many(steps)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_file_parses_with_known_levels_and_dates() {
        let rows: Vec<FrameworkRow> = csv::Reader::from_reader(FRAMEWORKS_CSV.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .unwrap();
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
