//! Importing partners and contacts from a spreadsheet: every row is checked first
//! (the preview names each problem's row and column), then every new row is
//! written in one transaction, or none is. A row naming a partner the registry
//! already has is skipped, never duplicated; a contact's position may be held at
//! a partner of the registry or at one created by the same file.

use super::{insert_partner, people::insert_position};
use crate::audit::rank;
use crate::entity::{country, import_batch, partner, partner_name};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::partner::{PartnerInput, PartnerKind, name_key};
use kieng_domain::partner_import::{Column, Layout, Line, Problem, Sheet};
use kieng_domain::person::PositionInput;
use kieng_domain::{Classification, FieldErrors, Msg, Role};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// A new partner (and position) is created.
    New,
    /// The registry already has this partner: the row is skipped.
    Exists,
    /// The row has problems: nothing is imported until they are fixed.
    Invalid,
}

/// A partner of the registry a row refers to.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerRef {
    pub id: Uuid,
    pub name_vi: String,
}

/// One data row as the preview shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The spreadsheet row (the heading is row 1).
    pub row: usize,
    pub name_vi: String,
    /// The kind's code when the row names a known kind.
    pub kind: Option<String>,
    pub status: RowStatus,
    /// For `exists`: the partner the registry already has.
    pub existing: Option<PartnerRef>,
    /// For a contact: "title — place".
    pub position: Option<String>,
    /// Once applied: the new partner.
    pub created: Option<Uuid>,
}

/// The result of checking (and, if asked and clean, applying) an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub applied: bool,
    /// Rows that create a partner.
    pub new: usize,
    /// Rows skipped because the partner exists.
    pub existing: usize,
    /// Every problem, by row and column; an import with any is not applied.
    pub problems: Vec<Problem>,
    pub rows: Vec<RowReport>,
}

impl ImportReport {
    fn failed(problems: Vec<Problem>) -> Self {
        Self {
            applied: false,
            new: 0,
            existing: 0,
            problems,
            rows: vec![],
        }
    }
}

/// Where a contact's position is held.
enum Place {
    Nowhere,
    Registry(Uuid),
    /// The new partner of the planned row at this index.
    Row(usize),
}

/// A row that will create a partner.
struct Planned {
    report: usize,
    input: PartnerInput,
    position: Option<(PositionInput, Place)>,
}

/// Batch name lookup: live partners within clearance by name key.
pub(crate) async fn by_keys(
    store: &Store,
    ctx: &Ctx,
    keys: HashSet<String>,
) -> Result<HashMap<String, Vec<partner::Model>>, StoreError> {
    let keys: Vec<String> = keys.into_iter().filter(|k| !k.is_empty()).collect();
    let mut names = Vec::new();
    for chunk in keys.chunks(500) {
        names.extend(
            partner_name::Entity::find()
                .filter(partner_name::Column::NameKey.is_in(chunk.to_vec()))
                .all(&store.db)
                .await?,
        );
    }
    let ids: Vec<Uuid> = names
        .iter()
        .map(|n| n.partner_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut partners = HashMap::new();
    for chunk in ids.chunks(500) {
        for p in partner::Entity::find()
            .filter(partner::Column::Id.is_in(chunk.to_vec()))
            .filter(partner::Column::DeletedAt.is_null())
            .filter(partner::Column::MergedIntoId.is_null())
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .all(&store.db)
            .await?
        {
            partners.insert(p.id, p);
        }
    }
    let mut out: HashMap<String, Vec<partner::Model>> = HashMap::new();
    for n in names {
        if let Some(p) = partners.get(&n.partner_id) {
            let v = out.entry(n.name_key).or_default();
            if !v.iter().any(|x| x.id == p.id) {
                v.push(p.clone());
            }
        }
    }
    Ok(out)
}

fn position_text(p: &PositionInput) -> String {
    match &p.organisation {
        Some(o) => format!("{} — {o}", p.title),
        None => p.title.clone(),
    }
}

/// Every name a sheet's rows mention (partners, countries, places of a
/// position), for one lookup.
fn lookup_keys<'a>(lines: impl Iterator<Item = &'a Line>) -> HashSet<String> {
    let mut keys = HashSet::new();
    for l in lines {
        let f = &l.form;
        keys.insert(name_key(&f.name_vi));
        keys.extend(f.name_en.iter().map(|n| name_key(n)));
        keys.extend(f.abbreviation.iter().map(|n| name_key(n)));
        keys.extend(
            kieng_domain::text::listed(f.aliases.as_ref(), &['\n', ';'])
                .iter()
                .map(|n| name_key(n)),
        );
        keys.extend(f.country_code.iter().map(|n| name_key(n)));
        keys.extend(
            l.position
                .iter()
                .filter_map(|p| p.organisation.as_deref())
                .map(name_key),
        );
    }
    keys
}

/// The rows judged so far: what each becomes, and every problem found.
struct Judging<'a> {
    layout: &'a Layout,
    /// The registry's partners by name key.
    known: &'a HashMap<String, Vec<partner::Model>>,
    /// ISO alpha-2 codes of the reference list.
    countries: &'a HashSet<String>,
    rows: Vec<RowReport>,
    planned: Vec<Planned>,
    /// Name key → (row, planned index if new) of the rows read so far.
    seen: HashMap<String, (usize, Option<usize>)>,
    problems: Vec<Problem>,
}

impl Judging<'_> {
    /// Judge one row: invalid (its problems kept), already in the registry, or new.
    fn judge(&mut self, row: usize, cells: &[String], line: Result<Line, Vec<Problem>>) {
        let layout = self.layout;
        let mut report = RowReport {
            row,
            name_vi: layout.value(cells, Column::NameVi).unwrap_or_default(),
            kind: None,
            status: RowStatus::Invalid,
            existing: None,
            position: None,
            created: None,
        };
        let mut line = match line {
            Ok(l) => l,
            Err(p) => {
                self.problems.extend(p);
                self.rows.push(report);
                return;
            }
        };
        report.kind = Some(line.form.kind.clone());
        let mut row_problems = Vec::new();
        row_problems.extend(self.country_code(row, &mut line.form));
        // A country row is only ever a country the reference list already has.
        let is_country = line.form.kind == PartnerKind::Country.as_str();
        let parsed = if is_country {
            PartnerInput::parse_edit(&line.form, PartnerKind::Country)
        } else {
            PartnerInput::parse(&line.form)
        };
        let input = match parsed {
            Ok(i) => i,
            Err(fe) => {
                self.problems.extend(row_problems);
                self.problems.extend(layout.field_problems(row, &fe));
                self.rows.push(report);
                return;
            }
        };
        let names: Vec<String> = input.names().iter().map(|n| name_key(n)).collect();
        if let Some((first, _)) = names.iter().find_map(|k| self.seen.get(k)) {
            row_problems.push(layout.problem(
                row,
                Column::NameVi,
                Msg::new(
                    format!("Trùng với đối tác ở dòng {first} của tệp."),
                    format!("The same partner as row {first} of the file."),
                ),
            ));
        }
        let existing = names
            .iter()
            .filter_map(|k| self.known.get(k))
            .flatten()
            .next()
            .cloned();
        if is_country && existing.is_none() {
            row_problems.push(layout.problem(
                row,
                Column::Kind,
                Msg::new(
                    "Quốc gia có sẵn từ danh mục ISO 3166-1; tên này không phải một nước trong đó.",
                    "Countries come from the ISO 3166-1 list; this name is not one of them.",
                ),
            ));
        }
        let position = match line.position.as_ref().map(PositionInput::parse) {
            None => None,
            Some(Ok(p)) => Some(p),
            Some(Err(fe)) => {
                row_problems.extend(layout.field_problems(row, &fe));
                None
            }
        };
        report.position = position.as_ref().map(position_text);
        let index = match (&existing, row_problems.is_empty()) {
            (_, false) => {
                self.problems.extend(row_problems);
                None
            }
            (Some(p), true) => {
                report.status = RowStatus::Exists;
                report.existing = Some(PartnerRef {
                    id: p.id,
                    name_vi: p.name_vi.clone(),
                });
                None
            }
            (None, true) => {
                report.status = RowStatus::New;
                self.planned.push(Planned {
                    report: self.rows.len(),
                    input,
                    position: position.map(|p| (p, Place::Nowhere)),
                });
                Some(self.planned.len() - 1)
            }
        };
        for k in names {
            self.seen.entry(k).or_insert((row, index));
        }
        self.rows.push(report);
    }

    /// The row's country as an ISO code, from a code or a country's name in the
    /// registry; a problem when it names none.
    fn country_code(
        &self,
        row: usize,
        form: &mut kieng_domain::partner::PartnerForm,
    ) -> Option<Problem> {
        let c = form.country_code.clone()?;
        let upper = c.to_uppercase();
        let code = if upper.len() == 2 && self.countries.contains(&upper) {
            Some(upper)
        } else {
            self.known
                .get(&name_key(&c))
                .into_iter()
                .flatten()
                .find(|p| p.kind == PartnerKind::Country.as_str())
                .and_then(|p| p.code.clone())
        };
        form.country_code = code.clone();
        match code {
            Some(_) => None,
            None => Some(self.layout.problem(
                row,
                Column::Country,
                Msg::new(
                    format!("Không có nước «{c}»; ghi mã ISO (vd. JP) hoặc tên nước."),
                    format!("No country «{c}»; give its ISO code (e.g. JP) or name."),
                ),
            )),
        }
    }
}

/// The classification every row of a file takes, and the state-secrets
/// catalogue item it rests on (required above "none"), as the form gives them.
#[derive(Debug, Clone, Default)]
pub struct Marking {
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

impl Store {
    /// Check a sheet of partners and contacts; with `apply`, and only when no row
    /// has a problem, create every new partner and position in one transaction.
    pub async fn partner_import(
        &self,
        ctx: &Ctx,
        sheet: &Sheet,
        marking: &Marking,
        apply: bool,
    ) -> Result<ImportReport, StoreError> {
        self.import_inner(ctx, sheet, marking, apply, None).await
    }

    async fn import_inner(
        &self,
        ctx: &Ctx,
        sheet: &Sheet,
        marking: &Marking,
        apply: bool,
        batch: Option<Uuid>,
    ) -> Result<ImportReport, StoreError> {
        if ctx.actor.role == Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let layout = match Layout::read(&sheet.headings) {
            Ok(l) => l,
            Err(mut problems) => {
                for p in &mut problems {
                    p.row = sheet.heading_row;
                }
                return Ok(ImportReport::failed(problems));
            }
        };
        let mut problems = Vec::new();
        if let Some(p) = sheet.too_long() {
            return Ok(ImportReport::failed(vec![p]));
        }
        let (classification, secret_item) = self
            .import_marking(ctx, marking, sheet, &mut problems)
            .await?;

        // Read every row, then look every name up at once.
        let lines: Vec<_> = sheet
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, cells)| {
                let row = sheet.row_number(i);
                layout.line(row, cells).map(|l| (row, cells, l))
            })
            .collect();
        let known = by_keys(
            self,
            ctx,
            lookup_keys(lines.iter().filter_map(|(_, _, l)| l.as_ref().ok())),
        )
        .await?;
        let countries: HashSet<String> = country::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.alpha2)
            .collect();
        let mut j = Judging {
            layout: &layout,
            known: &known,
            countries: &countries,
            rows: Vec::new(),
            planned: Vec::new(),
            seen: HashMap::new(),
            problems,
        };
        for (row, cells, line) in lines {
            j.judge(row, cells, line);
        }
        let Judging {
            mut rows,
            mut planned,
            seen,
            mut problems,
            ..
        } = j;

        place_positions(
            &mut planned,
            &mut rows,
            &seen,
            &known,
            &layout,
            &mut problems,
        );

        problems.sort_by_key(|p| p.row);
        let new = rows.iter().filter(|r| r.status == RowStatus::New).count();
        let existing = rows
            .iter()
            .filter(|r| r.status == RowStatus::Exists)
            .count();
        let mut report = ImportReport {
            applied: false,
            new,
            existing,
            problems,
            rows,
        };
        if !apply || !report.problems.is_empty() {
            return Ok(report);
        }
        self.write_planned(
            ctx,
            planned,
            (classification, secret_item),
            batch,
            &mut report,
        )
        .await?;
        Ok(report)
    }

    /// Write the rows checked clean, and the contacts' positions, in one
    /// transaction (the staged upload, if any, goes with it).
    async fn write_planned(
        &self,
        ctx: &Ctx,
        planned: Vec<Planned>,
        (classification, secret_item): (Classification, Option<Uuid>),
        batch: Option<Uuid>,
        report: &mut ImportReport,
    ) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let mut created: Vec<partner::Model> = Vec::with_capacity(planned.len());
        let mut positions = Vec::new();
        for p in planned {
            let m = insert_partner(&tx, ctx, p.input, classification, secret_item).await?;
            report.rows[p.report].created = Some(m.id);
            if let Some(pos) = p.position {
                positions.push((created.len(), pos));
            }
            created.push(m);
        }
        for (person, (input, place)) in positions {
            let at = match place {
                Place::Nowhere => None,
                Place::Registry(id) => Some(id),
                Place::Row(j) => created.get(j).map(|m| m.id),
            };
            insert_position(&tx, ctx, &created[person], at, input).await?;
        }
        if let Some(id) = batch {
            import_batch::Entity::delete_by_id(id).exec(&tx).await?;
        }
        tx.commit().await?;
        report.applied = true;
        Ok(())
    }

    /// Keep an uploaded sheet of `kind` ("partners", "plan_tasks:{plan id}")
    /// for its user's confirmation (a day at most).
    pub async fn import_stage(
        &self,
        ctx: &Ctx,
        kind: &str,
        file_name: &str,
        sheet: &Sheet,
        marking: &Marking,
    ) -> Result<Uuid, StoreError> {
        let t = now();
        import_batch::Entity::delete_many()
            .filter(import_batch::Column::CreatedAt.lt(t - chrono::Duration::days(1)))
            .exec(&self.writer)
            .await?;
        let m = import_batch::Model {
            id: Uuid::now_v7(),
            user_id: ctx.actor.user_id,
            kind: kind.into(),
            file_name: file_name.chars().take(200).collect(),
            sheet: serde_json::to_string(sheet)
                .map_err(|e| StoreError::Internal(format!("sheet: {e}")))?,
            classification: marking.classification.clone(),
            secret_item: marking.secret_item.clone(),
            created_at: t,
        };
        import_batch::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&self.writer)
            .await?;
        Ok(m.id)
    }

    /// The staged sheet `id` of this user and `kind`: its file name, the sheet
    /// and the marking given with it.
    pub(crate) async fn staged(
        &self,
        ctx: &Ctx,
        id: Uuid,
        kind: &str,
    ) -> Result<(String, Sheet, Marking), StoreError> {
        let b = import_batch::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .filter(|b| b.user_id == ctx.actor.user_id && b.kind == kind)
            .ok_or(StoreError::NotFound)?;
        let sheet: Sheet = serde_json::from_str(&b.sheet)
            .map_err(|e| StoreError::Internal(format!("staged sheet: {e}")))?;
        Ok((
            b.file_name,
            sheet,
            Marking {
                classification: b.classification,
                secret_item: b.secret_item,
            },
        ))
    }

    /// The classification every record of an imported file takes and the
    /// secrets-list item it rests on, as the upload gave them; what is wrong
    /// with them is a problem of the heading row.
    pub(crate) async fn import_marking(
        &self,
        ctx: &Ctx,
        marking: &Marking,
        sheet: &Sheet,
        problems: &mut Vec<Problem>,
    ) -> Result<(Classification, Option<Uuid>), StoreError> {
        let mut e = FieldErrors::new();
        let classification = Classification::parse_for_record(
            &mut e,
            marking.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret_item = self
            .secret_basis(&mut e, classification, marking.secret_item.as_deref(), None)
            .await?;
        problems.extend(e.0.into_values().map(|m| Problem {
            row: sheet.heading_row,
            column: None,
            message: m,
        }));
        Ok((classification, secret_item))
    }

    /// Whether upload `id` of `kind` is this user's, staged and not yet
    /// applied (NotFound otherwise), without reading its sheet.
    pub async fn import_batch_owned(
        &self,
        ctx: &Ctx,
        id: Uuid,
        kind: &str,
    ) -> Result<(), StoreError> {
        import_batch::Entity::find_by_id(id)
            .filter(import_batch::Column::UserId.eq(ctx.actor.user_id))
            .filter(import_batch::Column::Kind.eq(kind))
            .select_only()
            .column(import_batch::Column::Id)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }

    /// The staged partner sheet `id` of this user: its file name and the check of it.
    pub async fn import_staged(
        &self,
        ctx: &Ctx,
        id: Uuid,
        apply: bool,
    ) -> Result<(String, ImportReport), StoreError> {
        let (file_name, sheet, marking) = self.staged(ctx, id, "partners").await?;
        let report = self
            .import_inner(ctx, &sheet, &marking, apply, Some(id))
            .await?;
        Ok((file_name, report))
    }
}

/// Where each contact's position is held: an organisation of this file first,
/// then one of the registry; a name that fits none, or several, is a problem
/// on that row.
fn place_positions(
    planned: &mut [Planned],
    rows: &mut [RowReport],
    seen: &HashMap<String, (usize, Option<usize>)>,
    known: &HashMap<String, Vec<partner::Model>>,
    layout: &Layout,
    problems: &mut Vec<Problem>,
) {
    for i in 0..planned.len() {
        let Some((pos, _)) = &planned[i].position else {
            continue;
        };
        let Some(at) = pos.organisation.clone() else {
            continue;
        };
        let row = rows[planned[i].report].row;
        let key = name_key(&at);
        let place = match seen.get(&key) {
            Some((_, Some(j))) if planned[*j].input.kind != PartnerKind::Person => {
                Ok(Place::Row(*j))
            }
            _ => match known.get(&key).map(Vec::as_slice).unwrap_or_default() {
                [p] if p.kind != PartnerKind::Person.as_str() => Ok(Place::Registry(p.id)),
                [] | [_] => Err(Msg::new(
                    format!("Không có tổ chức «{at}» trong danh mục hay trong tệp này."),
                    format!("No organisation «{at}» in the registry or in this file."),
                )),
                many => Err(Msg::new(
                    format!(
                        "«{at}» trùng tên nhiều đối tác ({}); ghi rõ hơn.",
                        many.iter()
                            .map(|p| p.name_vi.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    format!("«{at}» fits several partners; be more specific."),
                )),
            },
        };
        match place {
            Ok(p) => {
                if let Some((_, slot)) = planned[i].position.as_mut() {
                    *slot = p;
                }
            }
            Err(m) => {
                problems.push(layout.problem(row, Column::PositionAt, m));
                rows[planned[i].report].status = RowStatus::Invalid;
            }
        }
    }
}
