//! Bringing past activities in from a spreadsheet: every row is read and its
//! names looked up first — the lead agency (code, name or abbreviation, a
//! merged or dissolved one kept as it was: its records stay its own, seen
//! under its successor), the type, the partners (any name, alias or code),
//! the country — and a row repeating a record the importer sees (same lead,
//! type, start day and partner) is "exists" and skipped. Nothing is written
//! unless the whole file is clean; then every new record is written in one
//! transaction with the status the sheet gives, an audit entry each, and the
//! file and row it came from (`record_imports`).

use super::write::{Resolved, model, with_links};
use super::{ENTITY, vn_date};
use crate::audit::{Change, append_many};
use crate::entity::{
    activity, activity_partner, activity_person, activity_type, agency, country, import_batch,
    partner, record_import,
};
use crate::partners::import::by_keys;
use crate::partners::{Marking, RowStatus};
use crate::{Ctx, Store, StoreError, now};
use chrono::TimeZone;
use kieng_domain::activity::ActivityInput;
use kieng_domain::activity_import::{Column, Layout, Line, MAX_ROWS, PAST, past_names};
use kieng_domain::agency::Pillar;
use kieng_domain::import::{Problem, Sheet};
use kieng_domain::partner::name_key;
use kieng_domain::text::fold;
use kieng_domain::{Classification, Msg, Role};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The staged upload's kind (`import_batches.kind`).
pub const IMPORT_KIND: &str = "activities";
/// `record_imports.record_kind` of an activity.
pub const RECORD_KIND: &str = "activity";

/// One data row as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityImportRow {
    pub row: usize,
    pub title: String,
    /// The start as the sheet gives it.
    pub starts: String,
    /// The lead agency as found.
    pub lead: Option<String>,
    pub status: RowStatus,
    /// For `exists`: the activity Kiềng already has.
    pub existing: Option<Uuid>,
    /// Once applied: the new activity.
    pub created: Option<Uuid>,
}

/// The result of checking (and, if asked and clean, applying) a file.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityImportReport {
    pub applied: bool,
    pub new: usize,
    pub existing: usize,
    pub problems: Vec<Problem>,
    pub rows: Vec<ActivityImportRow>,
    /// Partners the file names that Kiềng does not have (in the file's
    /// order): each can be created from the preview.
    pub unknown_partners: Vec<String>,
}

impl ActivityImportReport {
    fn failed(problems: Vec<Problem>) -> Self {
        Self {
            applied: false,
            new: 0,
            existing: 0,
            problems,
            rows: Vec::new(),
            unknown_partners: Vec::new(),
        }
    }
}

/// A data row as read: the activity's parts, or what is wrong with them.
type Read = Result<Line, Vec<Problem>>;

/// A row checked clean that will create an activity.
struct Planned {
    report: usize,
    line: Line,
    type_code: String,
    lead: agency::Model,
    partners: Vec<Uuid>,
    country: Option<String>,
}

/// The activities a file may repeat, by (lead, type, start day): each with
/// its partners.
type Existing = HashMap<(Uuid, String, chrono::NaiveDate), Vec<(Uuid, Vec<Uuid>)>>;

/// The registry's names, looked up once for the whole file.
struct Names {
    types: HashMap<String, String>,
    agencies: HashMap<String, Vec<agency::Model>>,
    partners: HashMap<String, Vec<partner::Model>>,
    countries: HashMap<String, String>,
}

impl Names {
    fn agency(&self, s: &str) -> Result<agency::Model, Msg> {
        match self
            .agencies
            .get(&fold(s))
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            [a] => Ok(a.clone()),
            [] => Err(Msg::new(
                format!("Không có cơ quan «{s}» (ghi mã, tên hoặc tên viết tắt)."),
                format!("No agency «{s}» (give its code, name or abbreviation)."),
            )),
            many => Err(Msg::new(
                format!(
                    "«{s}» trùng tên nhiều cơ quan ({}); ghi mã cơ quan.",
                    many.iter()
                        .map(|a| format!("{} – {}", a.code, a.name_vi))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                format!("«{s}» fits several agencies; give the agency's code."),
            )),
        }
    }

    fn partner(&self, s: &str) -> Result<Uuid, Msg> {
        match self
            .partners
            .get(&name_key(s))
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            [p] => Ok(p.id),
            [] => Err(Msg::new(
                format!(
                    "Không tìm thấy đối tác «{s}»; thêm đối tác trước (hoặc nhập danh sách đối tác)."
                ),
                format!(
                    "No partner is called «{s}»; add the partner first (or import the partner list)."
                ),
            )),
            many => {
                let list = many
                    .iter()
                    .map(|p| p.name_vi.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(Msg::new(
                    format!("«{s}» trùng tên nhiều đối tác ({list}); ghi rõ hơn."),
                    format!("«{s}» fits several partners ({list}); be more specific."),
                ))
            }
        }
    }
}

/// A row's names as looked up, and what did not resolve.
struct Looked {
    type_code: Option<String>,
    lead: Option<agency::Model>,
    partners: Vec<Uuid>,
    country: Option<String>,
    here: Vec<Problem>,
}

/// The partners a row's cell names, one per name.
fn partner_names(layout: &Layout, cells: &[String]) -> Vec<String> {
    layout
        .value(cells, Column::Partners)
        .map(|v| {
            v.split([';', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Names {
    /// Look a row's names up from its cells (read or not).
    fn row(
        &self,
        layout: &Layout,
        row: usize,
        cells: &[String],
        ctx: &Ctx,
        class: Classification,
        unknown: &mut Vec<String>,
    ) -> Looked {
        let mut here = Vec::new();
        let type_code = match layout.value(cells, Column::Type) {
            None => None,
            Some(t) => {
                let code = self.types.get(&fold(&t)).cloned();
                if code.is_none() {
                    here.push(layout.problem(
                        row,
                        Column::Type,
                        Msg::new(
                            format!(
                                "Không có loại hoạt động «{t}»; xem trang «Giá trị» của tệp mẫu."
                            ),
                            format!("No activity type «{t}»; see the template's «Values» sheet."),
                        ),
                    ));
                }
                code
            }
        };
        let lead = match layout
            .value(cells, Column::LeadAgency)
            .map(|l| self.agency(&l))
        {
            None => None,
            Some(Ok(a)) if !ctx.actor.can_write(a.id, class) => {
                here.push(layout.problem(
                    row,
                    Column::LeadAgency,
                    Msg::new(
                        format!(
                            "Bạn không được ghi nhận hoạt động cho {} (hoặc ở độ mật này).",
                            a.name_vi
                        ),
                        format!(
                            "You may not record activities for {} (or at this classification).",
                            a.name_vi
                        ),
                    ),
                ));
                None
            }
            Some(Ok(a)) => Some(a),
            Some(Err(m)) => {
                here.push(layout.problem(row, Column::LeadAgency, m));
                None
            }
        };
        let mut partners = Vec::new();
        for p in partner_names(layout, cells) {
            match self.partner(&p) {
                Ok(id) if !partners.contains(&id) => partners.push(id),
                Ok(_) => {}
                Err(m) => {
                    if !self.partners.contains_key(&name_key(&p))
                        && !unknown.iter().any(|u| name_key(u) == name_key(&p))
                        && unknown.len() < 50
                    {
                        unknown.push(p.clone());
                    }
                    here.push(layout.problem(row, Column::Partners, m))
                }
            }
        }
        let country = match layout.value(cells, Column::Country) {
            None => None,
            Some(c) => {
                let code = self.countries.get(&fold(&c)).cloned();
                if code.is_none() {
                    here.push(layout.problem(
                        row,
                        Column::Country,
                        Msg::new(
                            format!("Không có nước «{c}»; ghi mã ISO (vd. JP) hoặc tên nước."),
                            format!("No country «{c}»; give its ISO code (e.g. JP) or name."),
                        ),
                    ));
                }
                code
            }
        };
        Looked {
            type_code,
            lead,
            partners,
            country,
            here,
        }
    }
}

impl Store {
    async fn import_names(&self, ctx: &Ctx, keys: HashSet<String>) -> Result<Names, StoreError> {
        let mut types = HashMap::new();
        for t in activity_type::Entity::find().all(&self.db).await? {
            for k in [fold(&t.code), fold(&t.name_vi), fold(&t.name_en)] {
                types.entry(k).or_insert_with(|| t.code.clone());
            }
        }
        let dir = self.directory().await?;
        let mut agencies: HashMap<String, Vec<agency::Model>> = HashMap::new();
        for a in dir
            .rows
            .iter()
            .filter(|a| crate::audit::from_rank(a.classification) <= ctx.actor.clearance)
        {
            let mut keys = vec![fold(&a.code), fold(&a.name_vi)];
            keys.extend(a.name_en.as_deref().map(fold));
            keys.extend(a.abbreviation.as_deref().map(fold));
            keys.sort();
            keys.dedup();
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                agencies.entry(k).or_default().push(a.clone());
            }
        }
        let partners = by_keys(self, ctx, keys).await?;
        let mut countries = HashMap::new();
        for c in country::Entity::find().all(&self.db).await? {
            for k in [fold(&c.alpha2), fold(&c.name_vi), fold(&c.name_en)] {
                countries.entry(k).or_insert_with(|| c.alpha2.clone());
            }
        }
        Ok(Names {
            types,
            agencies,
            partners,
            countries,
        })
    }

    /// The activities the importer sees that rows may repeat: by (lead, type,
    /// start day), each with its partners.
    async fn import_existing(
        &self,
        ctx: &Ctx,
        planned: &[Planned],
    ) -> Result<Existing, StoreError> {
        let mut out: HashMap<_, Vec<(Uuid, Vec<Uuid>)>> = HashMap::new();
        if planned.is_empty() {
            return Ok(out);
        }
        let leads: Vec<Uuid> = planned
            .iter()
            .map(|p| p.lead.id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let from = planned
            .iter()
            .map(|p| p.line.starts.at)
            .min()
            .unwrap_or_default();
        let to = planned
            .iter()
            .map(|p| p.line.starts.at)
            .max()
            .unwrap_or_default();
        let day = chrono::Duration::days(1);
        let mut found = Vec::new();
        for chunk in leads.chunks(200) {
            found.extend(
                activity::Entity::find()
                    .select_only()
                    .column(activity::Column::Id)
                    .column(activity::Column::LeadAgencyId)
                    .column(activity::Column::TypeCode)
                    .column(activity::Column::StartsAt)
                    .filter(Self::visible(ctx, self.db.get_database_backend()))
                    .filter(activity::Column::LeadAgencyId.is_in(chunk.to_vec()))
                    .filter(activity::Column::StartsAt.gte(vn(from) - day))
                    .filter(activity::Column::StartsAt.lte(vn(to) + day))
                    .into_tuple::<(Uuid, Uuid, String, chrono::DateTime<chrono::Utc>)>()
                    .all(&self.db)
                    .await?,
            );
        }
        let ids: Vec<Uuid> = found.iter().map(|f| f.0).collect();
        let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for (a, p) in activity_partner::Entity::find()
                .select_only()
                .column(activity_partner::Column::ActivityId)
                .column(activity_partner::Column::PartnerId)
                .filter(activity_partner::Column::ActivityId.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, Uuid)>()
                .all(&self.db)
                .await?
            {
                links.entry(a).or_default().push(p);
            }
        }
        for (id, lead, ty, starts) in found {
            out.entry((lead, ty, vn_date(starts)))
                .or_default()
                .push((id, links.remove(&id).unwrap_or_default()));
        }
        Ok(out)
    }

    /// Check a sheet of past activities; with `apply`, and only when no row
    /// has a problem, write every new one in one transaction.
    pub async fn activity_import(
        &self,
        ctx: &Ctx,
        file_name: &str,
        sheet: &Sheet,
        marking: &Marking,
        apply: bool,
    ) -> Result<ActivityImportReport, StoreError> {
        self.activity_import_inner(ctx, file_name, sheet, marking, apply, None)
            .await
    }

    async fn activity_import_inner(
        &self,
        ctx: &Ctx,
        file_name: &str,
        sheet: &Sheet,
        marking: &Marking,
        apply: bool,
        batch: Option<Uuid>,
    ) -> Result<ActivityImportReport, StoreError> {
        if ctx.actor.role == Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let layout = match Layout::read(&sheet.headings) {
            Ok(l) => l,
            Err(mut problems) => {
                for p in &mut problems {
                    p.row = sheet.heading_row;
                }
                return Ok(ActivityImportReport::failed(problems));
            }
        };
        if let Some(p) = sheet.longer_than(MAX_ROWS) {
            return Ok(ActivityImportReport::failed(vec![p]));
        }
        let mut problems = Vec::new();
        let (class, secret_item) = self
            .import_marking(ctx, marking, sheet, &mut problems)
            .await?;
        let lines: Vec<(usize, &Vec<String>, Read)> = sheet
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, cells)| {
                let row = sheet.row_number(i);
                layout.activity(row, cells).map(|l| (row, cells, l))
            })
            .collect();
        let keys: HashSet<String> = lines
            .iter()
            .flat_map(|(_, cells, _)| partner_names(&layout, cells))
            .map(|p| name_key(&p))
            .collect();
        let names = self.import_names(ctx, keys).await?;
        let mut rows = Vec::with_capacity(lines.len());
        let mut planned: Vec<Planned> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for (row, cells, line) in lines {
            let mut report = ActivityImportRow {
                row,
                title: layout.value(cells, Column::Title).unwrap_or_default(),
                starts: layout.value(cells, Column::Starts).unwrap_or_default(),
                lead: None,
                status: RowStatus::Invalid,
                existing: None,
                created: None,
            };
            let Looked {
                type_code,
                lead,
                partners,
                country,
                mut here,
            } = names.row(&layout, row, cells, ctx, class, &mut unknown);
            report.lead = lead.as_ref().map(|a| a.name_vi.clone());
            let line = match line {
                Ok(l) => l,
                Err(p) => {
                    // Every problem of the row at once: the names too, in
                    // the columns the reading did not already fault.
                    here.retain(|h| !p.iter().any(|x| x.column == h.column));
                    problems.extend(p);
                    problems.extend(here);
                    rows.push(report);
                    continue;
                }
            };
            match (type_code, lead) {
                (Some(type_code), Some(lead)) if here.is_empty() => {
                    planned.push(Planned {
                        report: rows.len(),
                        line,
                        type_code,
                        lead,
                        partners,
                        country,
                    });
                }
                _ => problems.extend(here),
            }
            rows.push(report);
        }

        // What Kiềng already has, and rows repeating each other.
        let existing = self.import_existing(ctx, &planned).await?;
        let mut seen: HashMap<(Uuid, String, chrono::NaiveDate, Option<Uuid>), usize> =
            HashMap::new();
        let mut new = Vec::with_capacity(planned.len());
        for p in planned {
            let day = p.line.starts.at.date();
            let key = (p.lead.id, p.type_code.clone(), day);
            let repeats = existing.get(&key).and_then(|v| {
                v.iter()
                    .find(|(_, ps)| {
                        (ps.is_empty() && p.partners.is_empty())
                            || p.partners.iter().any(|x| ps.contains(x))
                    })
                    .map(|(id, _)| *id)
            });
            if let Some(id) = repeats {
                rows[p.report].status = RowStatus::Exists;
                rows[p.report].existing = Some(id);
                continue;
            }
            let twin = (
                p.lead.id,
                p.type_code.clone(),
                day,
                p.partners.first().copied(),
            );
            if let Some(first) = seen.get(&twin) {
                problems.push(layout.problem(
                    p.line.row,
                    Column::Title,
                    Msg::new(
                        format!("Trùng với hoạt động ở dòng {first} của tệp (cùng cơ quan, loại, ngày và đối tác)."),
                        format!("The same activity as row {first} of the file (lead, type, day and partner)."),
                    ),
                ));
                continue;
            }
            seen.insert(twin, p.line.row);
            if !PAST.contains(&p.line.status) {
                problems.push(layout.problem(
                    p.line.row,
                    Column::Status,
                    Msg::new(
                        format!(
                            "Hoạt động đã qua chỉ nhập với trạng thái: {}.",
                            past_names("vi")
                        ),
                        format!("A past activity enters only as: {}.", past_names("en")),
                    ),
                ));
                continue;
            }
            rows[p.report].status = RowStatus::New;
            new.push(p);
        }
        problems.sort_by_key(|p| p.row);
        let mut report = ActivityImportReport {
            applied: false,
            new: new.len(),
            existing: rows
                .iter()
                .filter(|r| r.status == RowStatus::Exists)
                .count(),
            problems,
            rows,
            unknown_partners: unknown,
        };
        if !apply || !report.problems.is_empty() {
            return Ok(report);
        }
        // Every row's records built first, then written in batches: a file
        // of 20,000 is a few hundred statements, not a hundred thousand.
        let t = now();
        let name: String = file_name.chars().take(200).collect();
        let mut acts = Vec::with_capacity(new.len());
        let mut links = Vec::new();
        let mut people = Vec::new();
        let mut origins = Vec::with_capacity(new.len());
        let mut changes = Vec::with_capacity(new.len());
        for p in new {
            let input = ActivityInput {
                title: p.line.title.clone(),
                type_code: p.type_code.clone(),
                pillar: p.line.pillar,
                channel: None,
                lead_agency: p.lead.code.clone(),
                agencies: Vec::new(),
                partners: Vec::new(),
                head_name: p.line.head.clone(),
                head_level: None,
                members: Vec::new(),
                starts_at: vn(p.line.starts.at),
                ends_at: vn(p.line.ends),
                time_zone: chrono_tz::Asia::Ho_Chi_Minh,
                country_code: p.country.clone(),
                city: p.line.city.clone(),
                purpose: None,
                programme: None,
                inviting_party: None,
                funding: None,
                authority: None,
                filed_on: None,
                decision_number: None,
                decision_date: None,
                approver: None,
            };
            let r = Resolved {
                pillar: p
                    .line
                    .pillar
                    .or_else(|| Pillar::parse(&p.lead.pillar))
                    .unwrap_or(Pillar::State),
                lead: p.lead,
                agencies: Vec::new(),
                partners: p.partners,
                class,
                secret_item,
            };
            let mut m = model(Uuid::now_v7(), &input, &r, ctx, t);
            m.status = p.line.status.as_str().into();
            if p.line.status == kieng_domain::activity::Status::Reported {
                m.reported_at = Some(m.ends_at);
            }
            links.extend(r.partners.iter().map(|x| super::link(&m, *x)));
            if let Some(head) = &input.head_name {
                let key = name_key(head);
                if !key.is_empty() {
                    people.push(activity_person::Model {
                        activity_id: m.id,
                        name_key: key,
                        name: head.clone(),
                        position: None,
                        head: true,
                        starts_at: m.starts_at,
                        ends_at: m.ends_at,
                    });
                }
            }
            let origin = record_import::Model {
                record_kind: RECORD_KIND.into(),
                record_id: m.id,
                file_name: name.clone(),
                row_number: i32::try_from(p.line.row).unwrap_or(i32::MAX),
                date_precision: p.line.starts.precision.as_str().into(),
                imported_at: t,
                imported_by: Some(ctx.actor.user_id),
            };
            let mut after = with_links(&m, &input, &r);
            after["imported_from"] = serde_json::json!(origin);
            changes.push(Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: r.class,
                after: Some(after),
                ..Change::new(ENTITY, m.id, "import")
            });
            report.rows[p.report].created = Some(m.id);
            origins.push(origin);
            acts.push(m);
        }
        let tx = self.begin_write().await?;
        for chunk in acts.chunks(200) {
            activity::Entity::insert_many(chunk.iter().cloned().map(|m| m.into_active_model()))
                .exec_without_returning(&tx)
                .await?;
        }
        for chunk in links.chunks(500) {
            activity_partner::Entity::insert_many(
                chunk.iter().cloned().map(|m| m.into_active_model()),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        for chunk in people.chunks(500) {
            activity_person::Entity::insert_many(
                chunk.iter().cloned().map(|m| m.into_active_model()),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        for chunk in origins.chunks(500) {
            record_import::Entity::insert_many(
                chunk.iter().cloned().map(|m| m.into_active_model()),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        append_many(&tx, &ctx.into(), changes).await?;
        if let Some(id) = batch {
            import_batch::Entity::delete_by_id(id).exec(&tx).await?;
        }
        tx.commit().await?;
        report.applied = true;
        Ok(report)
    }

    /// The staged activities sheet `id` of this user: its file name and the
    /// check of it (applied when asked and clean).
    pub async fn activity_import_staged(
        &self,
        ctx: &Ctx,
        id: Uuid,
        apply: bool,
    ) -> Result<(String, ActivityImportReport), StoreError> {
        let (file_name, sheet, marking) = self.staged(ctx, id, IMPORT_KIND).await?;
        let report = self
            .activity_import_inner(ctx, &file_name, &sheet, &marking, apply, Some(id))
            .await?;
        Ok((file_name, report))
    }

    /// Where an activity came from, when it was imported: the file, the row
    /// and how precisely its date is known.
    pub async fn activity_origin(
        &self,
        id: Uuid,
    ) -> Result<Option<record_import::Model>, StoreError> {
        Ok(
            record_import::Entity::find_by_id((RECORD_KIND.to_string(), id))
                .one(&self.db)
                .await?,
        )
    }
}

/// A moment in Vietnam's time as the instant it was.
fn vn(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&t)
        .single()
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&t))
}
