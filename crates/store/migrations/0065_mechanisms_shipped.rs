//! Migration 65: the multilateral mechanisms Vietnam belongs to, the roles it
//! has held (`data/reference/mechanisms.csv`, `roles-held.csv`, each row with
//! its sources) and the UN's members with their date of admission
//! (`un-members.csv`). The files are read as they are in this build; a
//! later list ships in a later migration.

use crate::StoreError;
use crate::migrate::{insert_rows, reference_rows};
use kieng_domain::partner::PartialDate;
use kieng_domain::text::fold;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Value};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

const MECHANISMS_CSV: &str = include_str!("../../../data/reference/mechanisms.csv");
const ROLES_CSV: &str = include_str!("../../../data/reference/roles-held.csv");
const UN_MEMBERS_CSV: &str = include_str!("../../../data/reference/un-members.csv");

#[derive(Deserialize)]
struct Mechanism {
    code: String,
    parent_code: String,
    kind: String,
    name_vi: String,
    name_en: String,
    abbreviation: String,
    vietnam_role: String,
    vietnam_since: String,
    source: String,
}

#[derive(Deserialize)]
struct Role {
    mechanism_code: String,
    kind: String,
    title_vi: String,
    title_en: String,
    starts: String,
    ends: String,
    holder: String,
    source: String,
}

#[derive(Deserialize)]
struct Member {
    alpha2: String,
    admitted: String,
}

fn date(s: &str, what: &str) -> Result<Option<PartialDate>, StoreError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    PartialDate::parse(s)
        .map(Some)
        .ok_or_else(|| StoreError::Internal(format!("reference data: {what}: date {s:?}")))
}

fn opt(d: Option<PartialDate>) -> (Value, Value) {
    match d {
        Some(d) => (
            Value::from(Some(d.date)),
            Value::from(Some(d.precision.as_str().to_string())),
        ),
        None => (
            Value::from(None::<chrono::NaiveDate>),
            Value::from(None::<String>),
        ),
    }
}

pub(crate) async fn run<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
    let now = crate::now();
    let mut rows: Vec<Mechanism> = reference_rows(MECHANISMS_CSV)?;
    let ids: HashMap<String, Uuid> = rows
        .iter()
        .map(|m| (m.code.clone(), Uuid::now_v7()))
        .collect();
    // Parents first: each row's depth in the tree.
    let parent: HashMap<&str, &str> = rows
        .iter()
        .map(|m| (m.code.as_str(), m.parent_code.as_str()))
        .collect();
    let depth = |code: &str| {
        let mut d = 0;
        let mut c = code;
        while let Some(p) = parent.get(c).filter(|p| !p.is_empty()) {
            d += 1;
            c = p;
            if d > 16 {
                break;
            }
        }
        d
    };
    let depths: HashMap<String, usize> = rows
        .iter()
        .map(|m| (m.code.clone(), depth(&m.code)))
        .collect();
    rows.sort_by_key(|m| depths[&m.code]);
    let mut values = Vec::new();
    for m in &rows {
        let parent_id = match m.parent_code.trim() {
            "" => None,
            p => Some(*ids.get(p).ok_or_else(|| {
                StoreError::Internal(format!("reference data: {}: no parent {p}", m.code))
            })?),
        };
        let since = date(&m.vietnam_since, &m.code)?;
        let (since_on, since_precision) = opt(since);
        values.push(vec![
            Value::from(ids[&m.code]),
            m.code.clone().into(),
            Value::from(parent_id),
            m.kind.clone().into(),
            m.name_vi.clone().into(),
            m.name_en.clone().into(),
            m.abbreviation.clone().into(),
            fold(&format!("{} {} {}", m.name_vi, m.name_en, m.abbreviation)).into(),
            m.vietnam_role.clone().into(),
            since_on,
            since_precision,
            m.source.clone().into(),
            true.into(),
            1i32.into(),
            now.into(),
            now.into(),
        ]);
    }
    // One statement a row, parents first, so each parent exists before its children.
    for row in values {
        insert_rows(
            db,
            "mechanisms",
            &[
                "id",
                "code",
                "parent_id",
                "kind",
                "name_vi",
                "name_en",
                "abbreviation",
                "name_fold",
                "standing",
                "since_on",
                "since_precision",
                "source",
                "shipped",
                "version",
                "created_at",
                "updated_at",
            ],
            vec![row],
        )
        .await?;
    }
    let roles: Vec<Role> = reference_rows(ROLES_CSV)?;
    let mut values = Vec::new();
    for r in &roles {
        let m = ids.get(r.mechanism_code.as_str()).ok_or_else(|| {
            StoreError::Internal(format!("reference data: no mechanism {}", r.mechanism_code))
        })?;
        let starts = date(&r.starts, &r.title_en)?.ok_or_else(|| {
            StoreError::Internal(format!("reference data: {}: no start", r.title_en))
        })?;
        let (ends_on, ends_precision) = opt(date(&r.ends, &r.title_en)?);
        let holder = Some(r.holder.trim().to_string()).filter(|h| !h.is_empty());
        values.push(vec![
            Value::from(Uuid::now_v7()),
            Value::from(*m),
            r.kind.clone().into(),
            r.title_vi.clone().into(),
            r.title_en.clone().into(),
            Value::from(starts.date),
            starts.precision.as_str().into(),
            ends_on,
            ends_precision,
            Value::from(holder),
            r.source.clone().into(),
            true.into(),
            1i32.into(),
            now.into(),
            now.into(),
        ]);
    }
    insert_rows(
        db,
        "mechanism_roles",
        &[
            "id",
            "mechanism_id",
            "kind",
            "title_vi",
            "title_en",
            "starts_on",
            "starts_precision",
            "ends_on",
            "ends_precision",
            "holder",
            "source",
            "shipped",
            "version",
            "created_at",
            "updated_at",
        ],
        values,
    )
    .await?;
    let members: Vec<Member> = reference_rows(UN_MEMBERS_CSV)?;
    for m in members {
        let d = chrono::NaiveDate::parse_from_str(m.admitted.trim(), "%Y-%m-%d")
            .map_err(|e| StoreError::Internal(format!("reference data: {}: {e}", m.alpha2)))?;
        db.execute(
            &Query::update()
                .table(Alias::new("countries"))
                .value(Alias::new("un_admitted"), d)
                .and_where(Expr::col(Alias::new("alpha2")).eq(m.alpha2.trim()))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}
