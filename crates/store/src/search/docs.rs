//! What the index holds of each record: read from the database by id (for the
//! change log) or in id order (for a rebuild), turned into one `Doc` per live
//! record with the text to match, the text to show, and the columns the page
//! rules test — classification, and the agencies whose readers see it.

use crate::entity::{
    activity, activity_person, agency, agreement, commitment, country, partner, partner_name,
    person_position, plan, plan_task, plan_task_agency, report,
};
use crate::visibility::links;
use crate::{Store, StoreError, activities::vn_date};
use kieng_domain::search::Kind;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A record as the index stores it.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub kind: Kind,
    pub id: Uuid,
    /// Shown, and matched first.
    pub title: String,
    /// Other names it goes by (English name, abbreviation, code, aliases).
    pub aliases: Vec<String>,
    /// Everything else worth finding it by: places, people, partners, purpose.
    pub body: String,
    pub pillar: Option<String>,
    /// The date it is about (start, signature, deadline, last change).
    pub date: chrono::NaiveDate,
    pub classification: i16,
    /// Agencies whose readers may see it; `None`: every reader within clearance.
    pub agencies: Option<Vec<Uuid>>,
    /// Agencies whose readers see it only when cleared above its own
    /// classification, with the classification they need (a plan seen only
    /// through tasks classified above it).
    pub raised: Vec<(Uuid, i16)>,
}

/// The record kinds as the change log names them (one per source table family).
pub(crate) const FAMILIES: &[&str] = &[
    "agencies",
    "partners",
    "activities",
    "agreements",
    "commitments",
    "reports",
    "plans",
    "plan_tasks",
    "protection_cases",
    "mechanisms",
    "mechanism_roles",
    "candidacies",
];

/// The docs of one family: those with `ids`, or a page of `limit` after `after` in
/// id order (rebuild). Returns the live records' docs and, for paging, the last id read.
pub(crate) async fn load<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    family: &str,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    match family {
        "agencies" => agencies(db, ids, after, limit).await,
        "partners" => partners(db, ids, after, limit).await,
        "activities" => activities(db, ids, after, limit).await,
        "agreements" => agreements(store, db, ids, after, limit).await,
        "commitments" => commitments(store, db, ids, after, limit).await,
        "reports" => reports(store, db, ids, after, limit).await,
        "plans" => plans(store, db, ids, after, limit).await,
        "plan_tasks" => plan_tasks(store, db, ids, after, limit).await,
        "protection_cases" => protection_cases(store, db, ids, after, limit).await,
        "mechanisms" => mechanisms(db, ids, after, limit).await,
        "mechanism_roles" => mechanism_roles(db, ids, after, limit).await,
        "candidacies" => candidacies(store, db, ids, after, limit).await,
        other => Err(StoreError::Internal(format!(
            "unknown search family {other}"
        ))),
    }
}

/// `id IN ids` or `id > after`, for the family's id column.
fn which<Col: ColumnTrait>(col: Col, ids: Option<&[Uuid]>, after: Option<Uuid>) -> Condition {
    match (ids, after) {
        (Some(ids), _) => Condition::all().add(col.is_in(ids.to_vec())),
        (None, Some(a)) => Condition::all().add(col.gt(a)),
        (None, None) => Condition::all(),
    }
}

fn some(parts: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    parts
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The parts, each once, in order.
fn join(parts: impl IntoIterator<Item = Option<String>>) -> String {
    let mut seen = std::collections::HashSet::new();
    some(parts)
        .into_iter()
        .filter(|p| seen.insert(p.clone()))
        .collect::<Vec<_>>()
        .join(" · ")
}

async fn agencies<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = agency::Entity::find()
        .filter(which(agency::Column::Id, ids, after))
        .order_by_asc(agency::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let docs = rows
        .into_iter()
        .filter(|a| a.deleted_at.is_none())
        .map(|a| Doc {
            kind: Kind::Agency,
            id: a.id,
            aliases: some([
                a.name_en.clone(),
                a.abbreviation.clone(),
                Some(a.code.clone()),
            ]),
            body: join([a.name_en, a.abbreviation, Some(a.code)]),
            title: a.name_vi,
            pillar: Some(a.pillar),
            date: a.updated_at.date_naive(),
            classification: a.classification,
            agencies: None,
            raised: Vec::new(),
        })
        .collect();
    Ok((docs, last))
}

async fn partners<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = partner::Entity::find()
        .filter(which(partner::Column::Id, ids, after))
        .order_by_asc(partner::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let live: Vec<partner::Model> = rows
        .into_iter()
        .filter(|p| p.deleted_at.is_none() && p.merged_into_id.is_none())
        .collect();
    let ids: Vec<Uuid> = live.iter().map(|p| p.id).collect();
    let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
    let mut positions: HashMap<Uuid, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        for n in partner_name::Entity::find()
            .filter(partner_name::Column::PartnerId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            names.entry(n.partner_id).or_default().push(n.name);
        }
        for p in person_position::Entity::find()
            .filter(person_position::Column::PersonId.is_in(ids.clone()))
            .filter(person_position::Column::DeletedAt.is_null())
            .all(db)
            .await?
        {
            positions.entry(p.person_id).or_default().push(p.title);
        }
    }
    let docs = live
        .into_iter()
        .map(|p| {
            let mut aliases = some([p.name_en.clone(), p.abbreviation.clone(), p.code.clone()]);
            for n in names.remove(&p.id).unwrap_or_default() {
                if n != p.name_vi && !aliases.contains(&n) {
                    aliases.push(n);
                }
            }
            let held = positions.remove(&p.id).unwrap_or_default();
            let body = join(
                aliases
                    .iter()
                    .cloned()
                    .map(Some)
                    .chain(held.into_iter().map(Some))
                    .chain([p.notes.clone()]),
            );
            Doc {
                kind: if p.kind == "person" {
                    Kind::Person
                } else {
                    Kind::Partner
                },
                id: p.id,
                title: p.name_vi,
                aliases,
                body,
                pillar: None,
                date: p.updated_at.date_naive(),
                classification: p.classification,
                agencies: None,
                raised: Vec::new(),
            }
        })
        .collect();
    Ok((docs, last))
}

/// A linked partner's name and classification. A record's searchable text holds
/// a linked partner's name only when the partner is classified no higher than
/// the record: the index filters a record by its own classification, so a name
/// above it would reach readers not cleared for it (in a hit and its snippet).
struct Title {
    name: String,
    classification: i16,
}

impl Title {
    fn within(&self, record_classification: i16) -> Option<String> {
        (self.classification <= record_classification).then(|| self.name.clone())
    }
}

/// Partner names by id, for the records that link partners.
async fn partner_titles<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Title>, StoreError> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(Uuid, String, i16)> = partner::Entity::find()
            .select_only()
            .column(partner::Column::Id)
            .column(partner::Column::NameVi)
            .column(partner::Column::Classification)
            .filter(partner::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, name, classification)| {
            (
                id,
                Title {
                    name,
                    classification,
                },
            )
        }));
    }
    Ok(out)
}

async fn country_names<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, String>, StoreError> {
    Ok(country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.alpha2, c.name_vi))
        .collect())
}

async fn activities<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = activity::Entity::find()
        .filter(which(activity::Column::Id, ids, after))
        .order_by_asc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let live: Vec<activity::Model> = rows
        .into_iter()
        .filter(|a| a.deleted_at.is_none())
        .collect();
    let ids: Vec<Uuid> = live.iter().map(|a| a.id).collect();
    let mut agencies = links(db, "activity_agencies", "activity_id", "agency_id", &ids).await?;
    let mut partners = links(db, "activity_partners", "activity_id", "partner_id", &ids).await?;
    let mut people: HashMap<Uuid, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(5_000) {
        for (a, n) in activity_person::Entity::find()
            .select_only()
            .column(activity_person::Column::ActivityId)
            .column(activity_person::Column::Name)
            .filter(activity_person::Column::ActivityId.is_in(chunk.to_vec()))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
        {
            people.entry(a).or_default().push(n);
        }
    }
    let titles = partner_titles(db, partners.values().flatten().copied()).await?;
    let countries = country_names(db).await?;
    let docs = live
        .into_iter()
        .map(|a| {
            let mut scope = vec![a.owner_agency_id];
            scope.extend(agencies.remove(&a.id).unwrap_or_default());
            let names = partners
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| titles.get(&p)?.within(a.classification));
            let who = people.remove(&a.id).unwrap_or_default().into_iter();
            let body = join(
                names
                    .map(Some)
                    .chain([
                        a.city.clone(),
                        a.country_code
                            .as_ref()
                            .and_then(|c| countries.get(c).cloned()),
                        a.head_name.clone(),
                    ])
                    .chain(who.map(Some))
                    .chain([
                        a.inviting_party.clone(),
                        a.decision_number.clone(),
                        a.purpose.clone(),
                    ]),
            );
            Doc {
                kind: Kind::Activity,
                id: a.id,
                title: a.title,
                aliases: Vec::new(),
                body,
                pillar: Some(a.pillar),
                date: vn_date(a.starts_at),
                classification: a.classification,
                agencies: Some(scope),
                raised: Vec::new(),
            }
        })
        .collect();
    Ok((docs, last))
}

async fn agreements<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = agreement::Entity::find()
        .filter(which(agreement::Column::Id, ids, after))
        .order_by_asc(agreement::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let live: Vec<agreement::Model> = rows
        .into_iter()
        .filter(|a| a.deleted_at.is_none())
        .collect();
    let ids: Vec<Uuid> = live.iter().map(|a| a.id).collect();
    let mut agencies = links(db, "agreement_agencies", "agreement_id", "agency_id", &ids).await?;
    let mut partners = links(db, "agreement_partners", "agreement_id", "partner_id", &ids).await?;
    let titles = partner_titles(db, partners.values().flatten().copied()).await?;
    let dir = store.directory().await?;
    let docs = live
        .into_iter()
        .map(|a| {
            let mut scope = vec![a.owner_agency_id];
            scope.extend(agencies.remove(&a.id).unwrap_or_default());
            let names = partners
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| titles.get(&p)?.within(a.classification));
            let body = join(names.map(Some).chain([
                a.title_en.clone(),
                a.signatory.clone(),
                a.place.clone(),
                a.notes.clone(),
            ]));
            Doc {
                kind: Kind::Agreement,
                id: a.id,
                aliases: some([a.title_en.clone()]),
                title: a.title_vi,
                body,
                pillar: pillar_of(&dir, a.owner_agency_id),
                date: a.signed_on.unwrap_or(a.status_on),
                classification: a.classification,
                agencies: Some(scope),
                raised: Vec::new(),
            }
        })
        .collect();
    Ok((docs, last))
}

fn pillar_of(dir: &crate::cache::Directory, agency: Uuid) -> Option<String> {
    dir.by_id.get(&agency).map(|i| dir.rows[*i].pillar.clone())
}

async fn commitments<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = commitment::Entity::find()
        .filter(which(commitment::Column::Id, ids, after))
        .order_by_asc(commitment::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let live: Vec<commitment::Model> = rows
        .into_iter()
        .filter(|c| c.deleted_at.is_none())
        .collect();
    let titles = partner_titles(db, live.iter().filter_map(|c| c.partner_id)).await?;
    let dir = store.directory().await?;
    let docs = live
        .into_iter()
        .map(|c| {
            let scope = [Some(c.owner_agency_id), c.source_agency_id]
                .into_iter()
                .flatten()
                .collect();
            let body = join([
                c.partner_id
                    .and_then(|p| titles.get(&p)?.within(c.classification)),
                c.responsible.clone(),
                c.detail.clone(),
                c.plan.clone(),
            ]);
            Doc {
                kind: Kind::Commitment,
                id: c.id,
                title: c.title,
                aliases: Vec::new(),
                body,
                pillar: pillar_of(&dir, c.owner_agency_id),
                date: c.due_on,
                classification: c.classification,
                agencies: Some(scope),
                raised: Vec::new(),
            }
        })
        .collect();
    Ok((docs, last))
}

/// The characters of each narrative part a report's document holds.
const REPORT_PART: usize = 4_000;

/// A report: its title, then its number, period and issuer, and the start of
/// each narrative part as last saved — all at the report's own
/// classification, seen by the issuing agency's readers.
async fn reports<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = report::Entity::find()
        .filter(which(report::Column::Id, ids, after))
        .order_by_asc(report::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let dir = store.directory().await?;
    let mut docs = Vec::new();
    for r in rows.into_iter().filter(|r| r.deleted_at.is_none()) {
        let texts = Store::report_texts_latest(db, r.id).await?;
        let period = kieng_domain::report::Period {
            kind: kieng_domain::report::PeriodKind::parse(&r.period_kind)
                .unwrap_or(kieng_domain::report::PeriodKind::Custom),
            from: r.period_from,
            to: r.period_to,
        };
        let number = r
            .number_symbol
            .as_deref()
            .map(|s| kieng_domain::report::number(r.number_seq, s));
        let issuer = dir
            .by_id
            .get(&r.owner_agency_id)
            .map(|i| dir.rows[*i].name_vi.clone());
        let mut parts = vec![number, Some(period.label().get("vi").to_string()), issuer];
        parts.extend(
            texts
                .into_iter()
                .map(|t| Some(t.body.chars().take(REPORT_PART).collect::<String>())),
        );
        docs.push(Doc {
            kind: Kind::Report,
            id: r.id,
            title: r.title,
            aliases: Vec::new(),
            body: join(parts),
            pillar: pillar_of(&dir, r.owner_agency_id),
            date: r.period_to,
            classification: r.classification,
            agencies: Some(vec![r.owner_agency_id]),
            raised: Vec::new(),
        });
    }
    Ok((docs, last))
}

/// The agencies each of these tasks (or plans) is seen through, from
/// `plan_task_agencies` (`column`: the task's or the plan's id).
async fn plan_agencies<C: ConnectionTrait>(
    db: &C,
    column: plan_task_agency::Column,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let mut out: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(Uuid, Uuid)> = plan_task_agency::Entity::find()
        .select_only()
        .column(column)
        .column(plan_task_agency::Column::AgencyId)
        .filter(column.is_in(ids))
        .filter(plan_task_agency::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    for (k, a) in rows {
        let v = out.entry(k).or_default();
        if !v.contains(&a) {
            v.push(a);
        }
    }
    Ok(out)
}

/// A plan: its title, kind, decision and issuer, seen through its issuing
/// agency and its tasks' agencies (each hit re-checked by id).
async fn plans<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = plan::Entity::find()
        .filter(which(plan::Column::Id, ids, after))
        .order_by_asc(plan::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let dir = store.directory().await?;
    let rows: Vec<plan::Model> = rows
        .into_iter()
        .filter(|r| r.deleted_at.is_none())
        .collect();
    // Each agency on a plan's live tasks, with the lowest classification
    // among its tasks there: seen through at the plan's own level, or only
    // by readers cleared for that task.
    let mut through: HashMap<Uuid, HashMap<Uuid, i16>> = HashMap::new();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    if !ids.is_empty() {
        let links: Vec<(Uuid, Uuid, i16)> = plan_task_agency::Entity::find()
            .select_only()
            .column(plan_task_agency::Column::PlanId)
            .column(plan_task_agency::Column::AgencyId)
            .column(plan_task_agency::Column::Classification)
            .filter(plan_task_agency::Column::PlanId.is_in(ids))
            .filter(plan_task_agency::Column::DeletedAt.is_null())
            .into_tuple()
            .all(db)
            .await?;
        for (plan, agency, c) in links {
            let m = through.entry(plan).or_default().entry(agency).or_insert(c);
            *m = Ord::min(*m, c);
        }
    }
    let docs = rows
        .into_iter()
        .map(|p| {
            let mut agencies = vec![p.owner_agency_id];
            let mut raised = Vec::new();
            let mut on: Vec<(Uuid, i16)> = through
                .remove(&p.id)
                .unwrap_or_default()
                .into_iter()
                .collect();
            on.sort();
            for (a, c) in on {
                if a == p.owner_agency_id {
                    continue;
                }
                if c <= p.classification {
                    agencies.push(a);
                } else {
                    raised.push((a, c));
                }
            }
            Doc {
                kind: Kind::Plan,
                id: p.id,
                aliases: some([p.decision_number.clone()]),
                body: join([
                    kieng_domain::plan::Kind::parse(&p.kind).map(|k| k.label().vi),
                    dir.by_id
                        .get(&p.owner_agency_id)
                        .map(|i| dir.rows[*i].name_vi.clone()),
                    p.summary.clone(),
                ]),
                pillar: pillar_of(&dir, p.owner_agency_id),
                date: p.period_to,
                classification: p.classification,
                agencies: Some(agencies),
                raised,
                title: p.title,
            }
        })
        .collect();
    Ok((docs, last))
}

/// A task: its title, output and source sentence, its lead agency and its
/// plan's title, seen through its plan's issuing agency and its agencies.
async fn plan_tasks<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    let rows = plan_task::Entity::find()
        .filter(which(plan_task::Column::Id, ids, after))
        .order_by_asc(plan_task::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let dir = store.directory().await?;
    let rows: Vec<plan_task::Model> = rows
        .into_iter()
        .filter(|r| r.deleted_at.is_none())
        .collect();
    let mut through = plan_agencies(
        db,
        plan_task_agency::Column::TaskId,
        rows.iter().map(|r| r.id).collect(),
    )
    .await?;
    let mut plan_ids: Vec<Uuid> = rows.iter().map(|r| r.plan_id).collect();
    plan_ids.sort();
    plan_ids.dedup();
    let titles: std::collections::HashMap<Uuid, String> = plan::Entity::find()
        .select_only()
        .columns([plan::Column::Id, plan::Column::Title])
        .filter(plan::Column::Id.is_in(plan_ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let docs = rows
        .into_iter()
        .map(|t| {
            let mut agencies = vec![t.plan_owner_id];
            agencies.extend(through.remove(&t.id).unwrap_or_default());
            Doc {
                kind: Kind::Task,
                id: t.id,
                aliases: Vec::new(),
                body: join([
                    t.output.clone(),
                    dir.by_id
                        .get(&t.lead_agency_id)
                        .map(|i| dir.rows[*i].name_vi.clone()),
                    titles.get(&t.plan_id).cloned(),
                    t.source_quote.clone(),
                ]),
                pillar: pillar_of(&dir, t.lead_agency_id),
                date: t.due_on,
                classification: t.classification,
                agencies: Some(agencies),
                raised: Vec::new(),
                title: t.title,
            }
        })
        .collect();
    Ok((docs, last))
}

/// A citizen protection case: its number, category, country, place and the
/// mission in charge — never its summary, notes or people, which may name
/// persons — seen through the mission in charge and the intake agency.
async fn protection_cases<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    use crate::entity::protection_case;
    use kieng_domain::protection::Category;
    let rows = protection_case::Entity::find()
        .filter(which(protection_case::Column::Id, ids, after))
        .order_by_asc(protection_case::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let dir = store.directory().await?;
    let countries: HashMap<String, (String, String)> = country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.alpha2, (c.name_vi, c.name_en)))
        .collect();
    let docs = rows
        .into_iter()
        .filter(|c| c.deleted_at.is_none())
        .map(|c| {
            let category = Category::parse(&c.category).map(Category::label);
            let (country_vi, country_en) =
                countries.get(&c.country_code).cloned().unwrap_or_default();
            Doc {
                kind: Kind::Case,
                id: c.id,
                aliases: some([category.as_ref().map(|m| m.en.clone()), Some(country_en)]),
                body: join([
                    category.map(|m| m.vi),
                    Some(country_vi),
                    c.place.clone(),
                    dir.by_id
                        .get(&c.agency_id)
                        .map(|i| dir.rows[*i].name_vi.clone()),
                ]),
                pillar: pillar_of(&dir, c.agency_id),
                date: vn_date(c.opened_at),
                classification: c.classification,
                agencies: Some(vec![c.agency_id, c.intake_agency_id]),
                raised: Vec::new(),
                title: c.number,
            }
        })
        .collect();
    Ok((docs, last))
}

/// A multilateral mechanism: reference every reader sees, found by its
/// names, abbreviation and code.
async fn mechanisms<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    use crate::entity::mechanism;
    let rows = mechanism::Entity::find()
        .filter(which(mechanism::Column::Id, ids, after))
        .order_by_asc(mechanism::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let docs = rows
        .into_iter()
        .filter(|m| m.retired_at.is_none())
        .map(|m| Doc {
            kind: Kind::Mechanism,
            id: m.id,
            aliases: some([
                Some(m.name_en.clone()),
                Some(m.abbreviation.clone()),
                Some(m.code.clone()),
            ]),
            body: join([Some(m.name_en), Some(m.abbreviation), Some(m.code), m.note]),
            title: m.name_vi,
            pillar: None,
            date: m.updated_at.date_naive(),
            classification: 0,
            agencies: None,
            raised: Vec::new(),
        })
        .collect();
    Ok((docs, last))
}

/// A role Vietnam (or a Vietnamese national) held: its title, the holder
/// and the mechanism's names; reference every reader sees.
async fn mechanism_roles<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    use crate::entity::{mechanism, mechanism_role};
    let rows = mechanism_role::Entity::find()
        .filter(which(mechanism_role::Column::Id, ids, after))
        .order_by_asc(mechanism_role::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let names: HashMap<Uuid, (String, String, String)> = mechanism::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, (m.name_vi, m.name_en, m.abbreviation)))
        .collect();
    let docs = rows
        .into_iter()
        .filter(|r| r.deleted_at.is_none())
        .map(|r| {
            let (vi, en, abbr) = names.get(&r.mechanism_id).cloned().unwrap_or_default();
            Doc {
                kind: Kind::Role,
                id: r.id,
                aliases: some([Some(r.title_en.clone())]),
                body: join([Some(r.title_en), r.holder, Some(abbr), Some(vi), Some(en)]),
                title: r.title_vi,
                pillar: None,
                date: r.starts_on,
                classification: 0,
                agencies: None,
                raised: Vec::new(),
            }
        })
        .collect();
    Ok((docs, last))
}

/// A candidacy: the post, its term, the mechanism and the competitors,
/// seen through the agency leading the campaign — never its pledges.
async fn candidacies<C: ConnectionTrait>(
    store: &Store,
    db: &C,
    ids: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<(Vec<Doc>, Option<Uuid>), StoreError> {
    use crate::entity::{candidacy, mechanism};
    let rows = candidacy::Entity::find()
        .filter(which(candidacy::Column::Id, ids, after))
        .order_by_asc(candidacy::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.id);
    let dir = store.directory().await?;
    let names: HashMap<Uuid, (String, String)> = mechanism::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, (m.name_vi, m.abbreviation)))
        .collect();
    let docs = rows
        .into_iter()
        .filter(|c| c.deleted_at.is_none())
        .map(|c| {
            let (vi, abbr) = names.get(&c.mechanism_id).cloned().unwrap_or_default();
            let competitors: Vec<String> = serde_json::from_str(&c.competitors).unwrap_or_default();
            Doc {
                kind: Kind::Candidacy,
                id: c.id,
                aliases: Vec::new(),
                body: join(
                    [c.term.clone(), Some(vi), Some(abbr)]
                        .into_iter()
                        .chain(competitors.into_iter().map(Some)),
                ),
                pillar: pillar_of(&dir, c.owner_agency_id),
                date: c.election_on.unwrap_or_else(|| c.updated_at.date_naive()),
                classification: c.classification,
                agencies: Some(vec![c.owner_agency_id]),
                raised: Vec::new(),
                title: c.post,
            }
        })
        .collect();
    Ok((docs, last))
}
