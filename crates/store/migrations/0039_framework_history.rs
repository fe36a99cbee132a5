//! Migration 39: the relationship frameworks with their history, each step
//! with its sources (`relationship-frameworks-history.csv`: the Ministry's,
//! the Government's and national newspapers' reports of each joint statement).
//! Adds the level "extensive strategic partnership" (Japan, 2014). A step
//! shipped by migration 5 is corrected in place (date, sources, official
//! name); a step an administrator already recorded at the same level and year
//! is left as they wrote it; every other step is added. Steps an
//! administrator removed or corrected stay so.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use chrono::Datelike;
use kieng_domain::partner::PartialDate;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Statement, Value};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const HISTORY_CSV: &str =
    include_str!("../../../data/reference/relationship-frameworks-history.csv");

#[derive(Deserialize)]
pub(crate) struct Step {
    pub iso_alpha2: String,
    pub framework: String,
    pub established: String,
    pub official_name: String,
    pub source: String,
    // The file's `note` column (the researcher's remarks on the sources, in
    // English) is provenance for whoever checks the file, not product text.
}

/// A shipped or recorded step as it stands.
struct Existing {
    id: Uuid,
    partner_id: Uuid,
    level: String,
    year: Option<i32>,
    shipped: bool,
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let backend = db.get_database_backend();
    let t = chrono::Utc::now();
    let has_level = !db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT code FROM framework_levels WHERE code = 'extensive_strategic'",
        ))
        .await?
        .is_empty();
    if !has_level {
        insert_rows(
            db,
            "framework_levels",
            &["code", "name_vi", "name_en", "rank", "created_at"],
            vec![vec![
                "extensive_strategic".into(),
                "Đối tác chiến lược sâu rộng".into(),
                "Extensive Strategic Partnership".into(),
                35.into(),
                t.into(),
            ]],
        )
        .await?;
    }
    let mut partners: HashMap<String, Uuid> = HashMap::new();
    for r in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, code FROM partners WHERE code IS NOT NULL AND deleted_at IS NULL AND merged_into_id IS NULL",
        ))
        .await?
    {
        partners.insert(r.try_get("", "code")?, r.try_get("", "id")?);
    }
    let mut existing = Vec::new();
    for r in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, partner_id, level_code, since_date, created_by FROM partner_frameworks WHERE deleted_at IS NULL",
        ))
        .await?
    {
        let since: Option<chrono::NaiveDate> = r.try_get("", "since_date")?;
        let by: Option<Uuid> = r.try_get("", "created_by")?;
        existing.push(Existing {
            id: r.try_get("", "id")?,
            partner_id: r.try_get("", "partner_id")?,
            level: r.try_get("", "level_code")?,
            year: since.map(|d| d.year()),
            shipped: by.is_none(),
        });
    }
    let steps: Vec<Step> = reference_rows(HISTORY_CSV)?;
    let mut added = Vec::new();
    for s in &steps {
        let Some(&partner) = partners.get(&s.iso_alpha2) else {
            continue;
        };
        let since = PartialDate::parse(&s.established).ok_or_else(|| {
            StoreError::Internal(format!("frameworks history: date {}", s.established))
        })?;
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let same = |e: &&Existing| e.partner_id == partner && e.level == s.framework;
        if let Some(e) = existing.iter().filter(same).find(|e| e.shipped) {
            let mut q = Query::update();
            q.table("partner_frameworks")
                .value("since_date", since.date)
                .value("since_precision", since.precision.as_str())
                .value("source", text(&s.source))
                .and_where(Expr::col("id").eq(e.id));
            if let Some(o) = text(&s.official_name) {
                q.value("official_name", o);
            }
            db.execute(&q).await?;
            continue;
        }
        if existing
            .iter()
            .filter(same)
            .any(|e| e.year == Some(since.date.year()))
        {
            continue;
        }
        added.push(vec![
            Uuid::now_v7().into(),
            partner.into(),
            s.framework.clone().into(),
            Value::from(since.date),
            since.precision.as_str().to_string().into(),
            text(&s.official_name).into(),
            text(&s.source).into(),
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
        added,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped step names a level, a date and at least one web source,
    /// and none rests on a site officials would not accept as a source.
    #[test]
    fn every_shipped_step_has_a_level_a_date_and_a_source() {
        let steps: Vec<Step> = reference_rows(HISTORY_CSV).unwrap();
        assert!(steps.len() >= 60, "{}", steps.len());
        let levels = [
            "special",
            "comprehensive_strategic",
            "extensive_strategic",
            "strategic",
            "comprehensive",
        ];
        for s in &steps {
            let row = format!("{} {} {}", s.iso_alpha2, s.framework, s.established);
            assert!(levels.contains(&s.framework.as_str()), "level: {row}");
            assert!(PartialDate::parse(&s.established).is_some(), "date: {row}");
            let sources: Vec<&str> = s.source.split(" ; ").map(str::trim).collect();
            assert!(
                sources
                    .iter()
                    .all(|u| u.starts_with("https://") || u.starts_with("http://")),
                "source: {row}"
            );
            assert!(!s.source.trim().is_empty(), "source: {row}");
            for banned in ["baodaknong", "cafeland", "everything.explained"] {
                assert!(!s.source.contains(banned), "{banned}: {row}");
            }
        }
        // Each partner's steps in date order, one per level.
        let mut last: HashMap<&str, (chrono::NaiveDate, Vec<&str>)> = HashMap::new();
        for s in &steps {
            let d = PartialDate::parse(&s.established).unwrap().date;
            let e = last.entry(&s.iso_alpha2).or_insert((d, Vec::new()));
            assert!(e.0 <= d, "{} out of order", s.iso_alpha2);
            assert!(
                !e.1.contains(&s.framework.as_str()),
                "{} twice",
                s.iso_alpha2
            );
            e.0 = d;
            e.1.push(&s.framework);
        }
        // The histories officials check first.
        let path = |code: &str| -> Vec<String> {
            steps
                .iter()
                .filter(|s| s.iso_alpha2 == code)
                .map(|s| format!("{}@{}", s.framework, &s.established[..4]))
                .collect()
        };
        assert_eq!(
            path("JP"),
            [
                "strategic@2009",
                "extensive_strategic@2014",
                "comprehensive_strategic@2023"
            ]
        );
        assert_eq!(
            path("AU"),
            [
                "comprehensive@2009",
                "strategic@2018",
                "comprehensive_strategic@2024"
            ]
        );
        assert_eq!(path("BR"), ["comprehensive@2007", "strategic@2024"]);
        for (code, year) in [
            ("DE", "2011"),
            ("IT", "2013"),
            ("PH", "2015"),
            ("BY", "2025"),
        ] {
            assert_eq!(path(code), [format!("strategic@{year}")], "{code}");
        }
    }
}
