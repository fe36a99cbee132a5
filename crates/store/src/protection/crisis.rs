//! Crises and their registry: the crisis (phase, area, mission in charge,
//! team), the citizens in the area with their status, place and transport,
//! the live counts (read from the database on every request, so every server
//! shows the same within a second), community lists imported with a preview,
//! duplicates found by keyed digests and merged, manifests, and a case opened
//! from any entry.
//!
//! The personal data of an entry is sealed like a case's people
//! (`seal::Sealer`); who sees it in clear is the crisis's team (`on_team`),
//! and every page, duplicate list or manifest shown in clear is recorded in
//! `crisis_openings` and the audit chain. Audit entries name entries by id,
//! never by anything personal.

use super::{Sealer, TeamForm};
use crate::audit::{Change, append, from_rank};
use crate::entity::{
    country, crisis, crisis_opening, crisis_person, crisis_tally, crisis_team, import_batch, user,
};
use crate::{COUNT_CAP, Ctx, Page, Store, StoreError, now};
use kieng_domain::import::{Problem, Sheet};
use kieng_domain::protection::crisis::{
    Counts, CrisisForm, CrisisInput, EntryForm, EntryInput, EntryLayout, MAX_IMPORT_ROWS,
    MAX_PEOPLE, PersonStatus, Same, StatusForm, StatusInput, counts, dup_keys, merge,
    merged_status, row_entry, same_person,
};
use kieng_domain::protection::person::{Masked, PersonData, PersonInput, Role as PersonRole};
use kieng_domain::protection::{Category, IntakeInput, MAX_TEAM, Severity, Source, Team, on_team};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// The audit chain's entity name for a crisis.
pub const ENTITY: &str = "crisis";
/// Crises, or registry entries, a page shows.
pub const PER_PAGE: u64 = 50;
/// Most entries one manifest lists.
pub const MAX_MANIFEST: u64 = 5_000;
/// Groups of possible duplicates one page shows.
pub const MAX_DUPLICATE_GROUPS: u64 = 100;

/// The crisis list's filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CrisisFilter {
    /// "open" or "closed"; default: every crisis.
    pub status: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A crisis as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct CrisisRow {
    #[serde(flatten)]
    pub crisis: crisis::Model,
    pub agency_name: String,
    pub country_name: String,
    /// People in the registry (merged entries not counted).
    pub people: u64,
}

/// A registry entry: masked always; in clear only in a view the team opened.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: Uuid,
    pub status: String,
    pub place: String,
    pub transport: String,
    pub masked: Masked,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PersonData>,
    /// The case opened from this entry.
    pub case_id: Option<Uuid>,
    /// "phone" or "import".
    pub source: String,
    pub version: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One crisis as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct CrisisView {
    #[serde(flatten)]
    pub row: CrisisRow,
    pub officer_name: Option<String>,
    /// Named colleagues: (id, username, display name).
    pub team: Vec<(Uuid, String, String)>,
    pub counts: Counts,
    /// Flights and buses with how many people each takes.
    pub transports: Vec<TransportCount>,
    /// Who opened the registry's personal data, newest first.
    pub openings: Vec<crisis_opening::Model>,
    /// Groups of entries that may be one person (same name and birth date,
    /// or a passport shared after a merge); looked for only on the team's page.
    pub duplicate_groups: Option<u64>,
    pub on_team: bool,
    pub can_work: bool,
}

/// A flight or bus and how many people it takes.
#[derive(Debug, Clone, Serialize)]
pub struct TransportCount {
    pub transport: String,
    pub people: u64,
}

/// The registry's filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistryFilter {
    pub status: Option<String>,
    pub place: Option<String>,
    pub transport: Option<String>,
    /// A passport number: finds an entry for the team only.
    pub passport: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A page of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Registry {
    pub entries: Page<Entry>,
    /// The personal data is in clear (and the opening recorded).
    pub opened: bool,
}

/// What adding an entry did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Added {
    pub id: Uuid,
    /// The entry had the passport of an entry already registered and was
    /// merged into it (`id` is that entry).
    pub merged: bool,
}

/// What a row of a community list does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// A new entry.
    New,
    /// Its passport is already registered: merged into that entry.
    Merged,
    /// Its passport is on an earlier row of the file: merged into it.
    SameAsRow,
    /// A new entry whose name and birth date another entry has: listed among
    /// the possible duplicates for the team to decide.
    Possible,
    Invalid,
}

/// One data row as the preview shows it (nothing but initials of the person).
#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub row: usize,
    pub initials: String,
    pub person_status: String,
    pub place: String,
    pub status: RowStatus,
    /// For `same_as_row`: the earlier row.
    pub with_row: Option<usize>,
}

/// The check (and, if asked and clean, the application) of a community list.
#[derive(Debug, Clone, Serialize)]
pub struct CrisisImport {
    pub applied: bool,
    pub new: usize,
    pub merged: usize,
    pub possible: usize,
    pub problems: Vec<Problem>,
    pub rows: Vec<ImportRow>,
}

impl CrisisImport {
    fn failed(problems: Vec<Problem>) -> Self {
        Self {
            applied: false,
            new: 0,
            merged: 0,
            possible: 0,
            problems,
            rows: Vec::new(),
        }
    }
}

fn not_team() -> StoreError {
    StoreError::Forbidden(Msg::new(
        "Chỉ nhóm xử lý sự kiện được xem thông tin cá nhân.",
        "Only the crisis's team may see its personal data.",
    ))
}

fn not_working() -> StoreError {
    StoreError::Forbidden(Msg::new(
        "Bạn không xử lý sự kiện này.",
        "You do not work on this crisis.",
    ))
}

fn crisis_snapshot(c: &crisis::Model) -> serde_json::Value {
    serde_json::to_value(c).unwrap_or(serde_json::Value::Null)
}

/// The keyed digests of an entry's identifying texts.
fn digests(sealer: &Sealer, p: &PersonData) -> (Option<String>, Option<String>) {
    let (passport, name) = dup_keys(p);
    (
        passport.map(|t| sealer.blind(&t)),
        name.map(|t| sealer.blind(&t)),
    )
}

/// The import staging kind of a crisis's lists.
/// Every write that moves a crisis's tallies takes the crisis's lock first
/// (PostgreSQL; SQLite has one writer at a time): two writers then never lock
/// the tally rows an entry leaves and joins in opposite orders.
async fn crisis_lock_on<C: ConnectionTrait>(tx: &C, crisis: Uuid) -> Result<(), StoreError> {
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        tx.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7405072, hashtext($1))",
            [crisis.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}

fn stage_kind(crisis: Uuid) -> String {
    format!("crisis:{crisis}")
}

/// An entry's digested keys: passport, name and birth date.
type Keys = (Option<String>, Option<String>);

/// A new entry's row.
struct NewEntry {
    id: Uuid,
    input: EntryInput,
}

impl Store {
    /// Is the reader on the crisis's team: its coordinating officer, a named
    /// colleague, or a leader of the mission in charge or of the consular
    /// department?
    pub(super) async fn crisis_team_of<C: ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        c: &crisis::Model,
    ) -> Result<bool, StoreError> {
        let colleagues: Vec<Uuid> = crisis_team::Entity::find()
            .select_only()
            .column(crisis_team::Column::UserId)
            .filter(crisis_team::Column::CrisisId.eq(c.id))
            .into_tuple()
            .all(db)
            .await?;
        let consular = self.consular_id().await?;
        Ok(on_team(
            ctx.actor.user_id,
            ctx.actor.agency_id,
            ctx.actor.role,
            &Team {
                officer: c.officer_id,
                colleagues: &colleagues,
                mission: c.agency_id,
                consular,
            },
        ))
    }

    /// May the reader work the crisis (entries, statuses, imports): a writer
    /// of the mission in charge, or its team, never a viewer.
    async fn crisis_may_work<C: ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        c: &crisis::Model,
    ) -> Result<bool, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Ok(false);
        }
        if ctx
            .actor
            .can_write(c.agency_id, from_rank(c.classification))
        {
            return Ok(true);
        }
        self.crisis_team_of(db, ctx, c).await
    }

    /// The crises the reader may see, latest first.
    pub async fn crisis_list(
        &self,
        ctx: &Ctx,
        f: &CrisisFilter,
    ) -> Result<Page<CrisisRow>, StoreError> {
        let mut q = crisis::Entity::find().filter(Self::crisis_visible(ctx));
        match f.status.as_deref().map(str::trim) {
            Some("open") => q = q.filter(crisis::Column::IsOpen.eq(true)),
            Some("closed") => q = q.filter(crisis::Column::IsOpen.eq(false)),
            _ => {}
        }
        let total = self.capped_count(q.clone(), crisis::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(Ord::min(total, COUNT_CAP).div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(crisis::Column::StartedOn)
            .order_by_desc(crisis::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        Ok(Page {
            items: self.crisis_rows(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    async fn crisis_rows(&self, rows: Vec<crisis::Model>) -> Result<Vec<CrisisRow>, StoreError> {
        let dir = self.directory().await?;
        let mut countries: HashMap<String, String> = HashMap::new();
        let mut people: HashMap<Uuid, u64> = HashMap::new();
        if !rows.is_empty() {
            countries = country::Entity::find()
                .filter(country::Column::Alpha2.is_in(rows.iter().map(|r| r.country_code.clone())))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| (c.alpha2, c.name_vi))
                .collect();
            let n: Vec<(Uuid, i64)> = crisis_person::Entity::find()
                .select_only()
                .column(crisis_person::Column::CrisisId)
                .column_as(Expr::cust("COUNT(*)"), "n")
                .filter(crisis_person::Column::CrisisId.is_in(rows.iter().map(|r| r.id)))
                .filter(crisis_person::Column::Merged.eq(false))
                .group_by(crisis_person::Column::CrisisId)
                .into_tuple()
                .all(&self.db)
                .await?;
            people = n
                .into_iter()
                .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
                .collect();
        }
        Ok(rows
            .into_iter()
            .map(|c| CrisisRow {
                agency_name: dir
                    .by_id
                    .get(&c.agency_id)
                    .and_then(|i| dir.rows.get(*i))
                    .map(|a| a.name_vi.clone())
                    .unwrap_or_default(),
                country_name: countries
                    .get(&c.country_code)
                    .cloned()
                    .unwrap_or_else(|| c.country_code.clone()),
                people: people.get(&c.id).copied().unwrap_or(0),
                crisis: c,
            })
            .collect())
    }

    /// A crisis form checked and its references looked up: the input, the
    /// country's code and the agency in charge (default: the reader's).
    async fn crisis_resolve(
        &self,
        ctx: &Ctx,
        form: &CrisisForm,
    ) -> Result<(CrisisInput, String, Uuid), StoreError> {
        let mut e = FieldErrors::new();
        let input = match CrisisInput::parse(form, crate::today()) {
            Ok(i) => Some(i),
            Err(fe) => {
                e.0.extend(fe.0);
                None
            }
        };
        let country = match form.country.trim() {
            "" => None,
            c => self.country_named(&mut e, c).await?,
        };
        let dir = self.directory().await?;
        let agency = match form
            .agency
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(ctx.actor.agency_id),
            Some(code) => {
                let a = crate::agency_named(&dir, ctx, code).map(|a| a.id);
                if a.is_none() {
                    e.add(
                        "agency",
                        Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
                    );
                }
                a
            }
        };
        match (input, country, agency) {
            (Some(i), Some(c), Some(a)) if e.is_empty() => Ok((i, c, a)),
            _ => Err(e.into()),
        }
    }

    /// Open a crisis. The reader coordinates it (its officer, on its team).
    pub async fn crisis_create(
        &self,
        ctx: &Ctx,
        form: &CrisisForm,
    ) -> Result<crisis::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let (input, country, agency) = self.crisis_resolve(ctx, form).await?;
        if !ctx.actor.can_write(agency, Classification::None) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "agency",
                Msg::new(
                    "Bạn không ghi được cho cơ quan này.",
                    "You cannot write for this agency.",
                ),
            )));
        }
        let t = now();
        let m = crisis::Model {
            id: Uuid::now_v7(),
            name: input.name,
            kind: input.kind.as_str().into(),
            phase: input.phase.as_str().into(),
            is_open: input.phase.is_open(),
            country_code: country,
            area: input.area,
            agency_id: agency,
            officer_id: Some(ctx.actor.user_id),
            started_on: input.started_on,
            closed_at: (!input.phase.is_open()).then_some(t),
            note: input.note,
            personal_purged_at: None,
            classification: 0,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
        };
        let tx = self.begin_write().await?;
        crisis::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.agency_id),
                classification: Classification::None,
                after: Some(crisis_snapshot(&m)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Change a crisis's record or phase (version-checked). Only its team
    /// moves it to another mission: that brings other leaders onto the team.
    pub async fn crisis_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        form: &CrisisForm,
    ) -> Result<crisis::Model, StoreError> {
        let (input, country, agency) = self.crisis_resolve(ctx, form).await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_may_work(&tx, ctx, &before).await? {
            return Err(not_working());
        }
        if agency != before.agency_id && !self.crisis_team_of(&tx, ctx, &before).await? {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ nhóm xử lý sự kiện được đổi cơ quan chủ trì.",
                "Only the crisis's team may change its mission.",
            )));
        }
        if form.version != Some(before.version) {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: crisis_snapshot(&before),
            });
        }
        let t = now();
        let mut after = before.clone();
        after.name = input.name;
        after.kind = input.kind.as_str().into();
        after.phase = input.phase.as_str().into();
        after.is_open = input.phase.is_open();
        after.closed_at = match (before.is_open, after.is_open) {
            (true, false) => Some(t),
            (_, true) => None,
            (false, false) => before.closed_at,
        };
        after.country_code = country;
        after.area = input.area;
        after.agency_id = agency;
        after.started_on = input.started_on;
        after.note = input.note;
        after.version = before.version + 1;
        after.updated_at = t;
        after.updated_by = Some(ctx.actor.user_id);
        let res = crisis::Entity::update_many()
            .set(after.clone().into_active_model().reset_all())
            .filter(crisis::Column::Id.eq(id))
            .filter(crisis::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: crisis_snapshot(&before),
            });
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.agency_id),
                classification: Classification::None,
                before: Some(crisis_snapshot(&before)),
                after: Some(crisis_snapshot(&after)),
                ..Change::new(
                    ENTITY,
                    id,
                    if before.phase == after.phase {
                        "update"
                    } else {
                        "phase"
                    },
                )
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A crisis's counts by status and by place (merged entries not counted).
    pub async fn crisis_counts(&self, ctx: &Ctx, id: Uuid) -> Result<Counts, StoreError> {
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        self.counts_of(c.id).await
    }

    /// The counts, from the crisis's tallies (kept by triggers, migration 63).
    async fn counts_of(&self, id: Uuid) -> Result<Counts, StoreError> {
        let groups: Vec<(String, String, i64)> = crisis_tally::Entity::find()
            .select_only()
            .column(crisis_tally::Column::Status)
            .column(crisis_tally::Column::Place)
            .column_as(Expr::cust("SUM(n)"), "n")
            .filter(crisis_tally::Column::CrisisId.eq(id))
            .filter(crisis_tally::Column::N.gt(0))
            .group_by(crisis_tally::Column::Status)
            .group_by(crisis_tally::Column::Place)
            .into_tuple()
            .all(&self.db)
            .await?;
        let groups: Vec<(String, String, u64)> = groups
            .into_iter()
            .map(|(s, p, n)| (s, p, u64::try_from(n).unwrap_or(0)))
            .collect();
        Ok(counts(&groups))
    }

    /// One crisis as its reader may see it: its record, counts, transports,
    /// team and the log of openings.
    pub async fn crisis_get(&self, ctx: &Ctx, id: Uuid) -> Result<CrisisView, StoreError> {
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        let on_team = self.crisis_team_of(&self.db, ctx, &c).await?;
        let can_work = self.crisis_may_work(&self.db, ctx, &c).await?;
        let counts = self.counts_of(c.id).await?;
        let transports: Vec<(String, i64)> = crisis_tally::Entity::find()
            .select_only()
            .column(crisis_tally::Column::Transport)
            .column_as(Expr::cust("SUM(n)"), "n")
            .filter(crisis_tally::Column::CrisisId.eq(c.id))
            .filter(crisis_tally::Column::N.gt(0))
            .filter(crisis_tally::Column::Transport.ne(""))
            .group_by(crisis_tally::Column::Transport)
            .order_by_asc(crisis_tally::Column::Transport)
            .limit(500)
            .into_tuple()
            .all(&self.db)
            .await?;
        let members: Vec<Uuid> = crisis_team::Entity::find()
            .select_only()
            .column(crisis_team::Column::UserId)
            .filter(crisis_team::Column::CrisisId.eq(c.id))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut ids = members.clone();
        ids.extend(c.officer_id);
        let users: HashMap<Uuid, user::Model> = if ids.is_empty() {
            HashMap::new()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect()
        };
        let mut team: Vec<(Uuid, String, String)> = members
            .iter()
            .filter_map(|m| users.get(m))
            .map(|u| (u.id, u.username.clone(), u.display_name.clone()))
            .collect();
        team.sort_by(|a, b| a.1.cmp(&b.1));
        let officer_name = c
            .officer_id
            .and_then(|o| users.get(&o))
            .map(|u| u.display_name.clone());
        let openings = crisis_opening::Entity::find()
            .filter(crisis_opening::Column::CrisisId.eq(c.id))
            .order_by_desc(crisis_opening::Column::At)
            .limit(50)
            .all(&self.db)
            .await?;
        // Only the team merges entries: only the team's page looks for them.
        let duplicate_groups = if on_team {
            Some(self.duplicate_keys(c.id).await?.len() as u64)
        } else {
            None
        };
        let row = self
            .crisis_rows(vec![c])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(CrisisView {
            row,
            officer_name,
            team,
            counts,
            transports: transports
                .into_iter()
                .map(|(transport, n)| TransportCount {
                    transport,
                    people: u64::try_from(n).unwrap_or(0),
                })
                .collect(),
            openings,
            duplicate_groups,
            on_team,
            can_work,
        })
    }

    /// The digests shared by more than one live entry (name and birth date,
    /// or passport), up to `MAX_DUPLICATE_GROUPS`.
    async fn duplicate_keys(&self, id: Uuid) -> Result<Vec<String>, StoreError> {
        let mut keys = Vec::new();
        for col in [
            crisis_person::Column::NameKey,
            crisis_person::Column::PassportKey,
        ] {
            // Merged entries hold no digests, so every key counted is live.
            let found: Vec<String> = crisis_person::Entity::find()
                .select_only()
                .column(col)
                .filter(crisis_person::Column::CrisisId.eq(id))
                .filter(col.is_not_null())
                .group_by(col)
                .having(Expr::cust("COUNT(*) > 1"))
                .limit(MAX_DUPLICATE_GROUPS)
                .into_tuple()
                .all(&self.db)
                .await?;
            keys.extend(found);
        }
        keys.truncate(MAX_DUPLICATE_GROUPS as usize);
        Ok(keys)
    }

    /// An entry's personal data, opened in memory (empty once retention
    /// removed it).
    fn unseal_entry(&self, p: &crisis_person::Model) -> Result<PersonData, StoreError> {
        if p.sealed.is_empty() {
            return Ok(PersonData::default());
        }
        let plain = self
            .sealer()?
            .open(p.id, &p.sealed)
            .map_err(|e| StoreError::Internal(format!("a registry entry: {e:?}")))?;
        serde_json::from_slice(&plain)
            .map_err(|e| StoreError::Internal(format!("a registry entry: {e}")))
    }

    pub(super) fn entry_of(
        &self,
        p: crisis_person::Model,
        open: bool,
    ) -> Result<Entry, StoreError> {
        let data = self.unseal_entry(&p)?;
        Ok(Entry {
            id: p.id,
            status: p.status,
            place: p.place,
            transport: p.transport,
            masked: data.masked(),
            data: open.then_some(data),
            case_id: p.case_id,
            source: p.source,
            version: p.version,
            updated_at: p.updated_at,
        })
    }

    /// Record an opening of the registry's personal data, in the caller's
    /// transaction: on the crisis and in the audit chain.
    async fn crisis_opened<C: ConnectionTrait>(
        tx: &C,
        ctx: &Ctx,
        c: &crisis::Model,
        what: &str,
    ) -> Result<(), StoreError> {
        let what: String = what.chars().take(250).collect();
        crisis_opening::Entity::insert(crisis_opening::ActiveModel {
            id: sea_orm::Set(Uuid::now_v7()),
            crisis_id: sea_orm::Set(c.id),
            user_id: sea_orm::Set(ctx.actor.user_id),
            user_name: sea_orm::Set(ctx.actor.username.clone()),
            what: sea_orm::Set(what.clone()),
            at: sea_orm::Set(now()),
        })
        .exec_without_returning(tx)
        .await?;
        append(
            tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::json!({ "what": what })),
                ..Change::new(ENTITY, c.id, "open_personal")
            },
        )
        .await?;
        Ok(())
    }

    /// A page of the registry, masked; with `open`, in clear for the team
    /// (403 for anyone else), the opening recorded first.
    pub async fn crisis_registry(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &RegistryFilter,
        open: bool,
    ) -> Result<Registry, StoreError> {
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        let team = self.crisis_team_of(&self.db, ctx, &c).await?;
        if open && !team {
            return Err(not_team());
        }
        use crisis_person::Column as P;
        let mut q = crisis_person::Entity::find()
            .filter(P::CrisisId.eq(c.id))
            .filter(P::Merged.eq(false));
        if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(P::Status.eq(s));
        }
        if let Some(p) = f.place.as_deref() {
            q = q.filter(P::Place.eq(p.trim()));
        }
        if let Some(t) = f.transport.as_deref().filter(|t| !t.trim().is_empty()) {
            q = q.filter(P::Transport.eq(t.trim()));
        }
        if let Some(n) = f.passport.as_deref().filter(|t| !t.trim().is_empty()) {
            // Outside the team a passport finds nothing: the answer must not
            // say whether someone is in the registry.
            let key = dup_keys(&PersonData {
                passport: Some(n.chars().take(40).collect()),
                ..Default::default()
            })
            .0;
            match (team, key, self.config.protection.sealer.as_ref()) {
                (true, Some(k), Some(s)) => q = q.filter(P::PassportKey.eq(s.blind(&k))),
                _ => q = q.filter(P::Id.is_null()),
            }
        }
        // Filtered by what the tallies count, the total is their sum.
        let total = if f.passport.as_deref().is_none_or(|t| t.trim().is_empty()) {
            let mut t = crisis_tally::Entity::find()
                .select_only()
                .column_as(Expr::cust("COALESCE(SUM(n), 0)"), "n")
                .filter(crisis_tally::Column::CrisisId.eq(c.id));
            if let Some(s) = f.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                t = t.filter(crisis_tally::Column::Status.eq(s));
            }
            if let Some(p) = f.place.as_deref() {
                t = t.filter(crisis_tally::Column::Place.eq(p.trim()));
            }
            if let Some(x) = f.transport.as_deref().filter(|x| !x.trim().is_empty()) {
                t = t.filter(crisis_tally::Column::Transport.eq(x.trim()));
            }
            let n: Option<i64> = t.into_tuple().one(&self.db).await?;
            u64::try_from(n.unwrap_or(0)).unwrap_or(0)
        } else {
            self.capped_count(q.clone(), P::Id).await?
        };
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(Ord::min(total, COUNT_CAP).div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_asc(P::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        if open {
            let tx = self.begin_write().await?;
            Self::crisis_opened(&tx, ctx, &c, &format!("page {page}")).await?;
            tx.commit().await?;
        }
        let items = rows
            .into_iter()
            .map(|p| self.entry_of(p, open))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Registry {
            entries: Page {
                items,
                total,
                page,
                per_page: PER_PAGE,
            },
            opened: open,
        })
    }

    /// The entries that may be one person, in clear, grouped: the team's,
    /// recorded as an opening.
    pub async fn crisis_duplicates(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(crisis::Model, Vec<Vec<Entry>>), StoreError> {
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        if !self.crisis_team_of(&self.db, ctx, &c).await? {
            return Err(not_team());
        }
        let keys = self.duplicate_keys(c.id).await?;
        let mut groups: Vec<Vec<Entry>> = Vec::new();
        if !keys.is_empty() {
            let rows = crisis_person::Entity::find()
                .filter(crisis_person::Column::CrisisId.eq(c.id))
                .filter(crisis_person::Column::Merged.eq(false))
                .filter(
                    sea_orm::Condition::any()
                        .add(crisis_person::Column::NameKey.is_in(keys.clone()))
                        .add(crisis_person::Column::PassportKey.is_in(keys.clone())),
                )
                .order_by_asc(crisis_person::Column::Id)
                .all(&self.db)
                .await?;
            for k in &keys {
                let g: Vec<Entry> = rows
                    .iter()
                    .filter(|r| {
                        r.name_key.as_ref() == Some(k) || r.passport_key.as_ref() == Some(k)
                    })
                    .cloned()
                    .map(|r| self.entry_of(r, true))
                    .collect::<Result<_, _>>()?;
                if g.len() > 1 {
                    groups.push(g);
                }
            }
            let tx = self.begin_write().await?;
            Self::crisis_opened(&tx, ctx, &c, "duplicates").await?;
            tx.commit().await?;
        }
        Ok((c, groups))
    }

    /// The people one flight or bus takes, in clear: the team's, recorded.
    pub async fn crisis_manifest(
        &self,
        ctx: &Ctx,
        id: Uuid,
        transport: &str,
    ) -> Result<(crisis::Model, Vec<Entry>), StoreError> {
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        if !self.crisis_team_of(&self.db, ctx, &c).await? {
            return Err(not_team());
        }
        let transport = transport.trim();
        let rows = crisis_person::Entity::find()
            .filter(crisis_person::Column::CrisisId.eq(c.id))
            .filter(crisis_person::Column::Merged.eq(false))
            .filter(crisis_person::Column::Transport.eq(transport))
            .order_by_asc(crisis_person::Column::Place)
            .order_by_asc(crisis_person::Column::Id)
            .limit(MAX_MANIFEST)
            .all(&self.db)
            .await?;
        let tx = self.begin_write().await?;
        Self::crisis_opened(&tx, ctx, &c, &format!("manifest {transport}")).await?;
        tx.commit().await?;
        let mut out = rows
            .into_iter()
            .map(|r| self.entry_of(r, true))
            .collect::<Result<Vec<_>, _>>()?;
        // In the order a list is called: by place, then by name.
        out.sort_by(|a, b| {
            a.place.cmp(&b.place).then_with(|| {
                let n = |e: &Entry| {
                    e.data
                        .as_ref()
                        .map(|d| kieng_domain::text::fold(&d.full_name))
                        .unwrap_or_default()
                };
                n(a).cmp(&n(b))
            })
        });
        Ok((c, out))
    }

    async fn live_entries<C: ConnectionTrait>(db: &C, crisis: Uuid) -> Result<u64, StoreError> {
        Ok(crisis_person::Entity::find()
            .filter(crisis_person::Column::CrisisId.eq(crisis))
            .count(db)
            .await?)
    }

    fn too_many() -> StoreError {
        StoreError::Invalid(FieldErrors::single(
            "full_name",
            Msg::new(
                format!("Một sự kiện có tối đa {MAX_PEOPLE} người trong danh sách."),
                format!("A crisis registry holds at most {MAX_PEOPLE} people."),
            ),
        ))
    }

    /// Fold `others` into the live entry `kept` in the caller's transaction:
    /// its data filled from theirs, the status that says most, its place and
    /// transport when it had none; its digests recomputed.
    async fn fold_into<C: ConnectionTrait>(
        &self,
        tx: &C,
        ctx: &Ctx,
        kept: crisis_person::Model,
        others: &[EntryInput],
    ) -> Result<crisis_person::Model, StoreError> {
        let sealer = self.sealer()?;
        let mut data = self.unseal_entry(&kept)?;
        let mut after = kept.clone();
        let mut status = PersonStatus::parse(&kept.status).unwrap_or(PersonStatus::Unconfirmed);
        for o in others {
            data = merge(&data, &o.data);
            status = merged_status(status, o.status);
            if after.place.is_empty() {
                after.place = o.place.clone();
            }
            if after.transport.is_empty() {
                after.transport = o.transport.clone();
            }
        }
        let plain = serde_json::to_vec(&data)
            .map_err(|e| StoreError::Internal(format!("sealing an entry: {e}")))?;
        let (pk, nk) = digests(sealer, &data);
        after.sealed = sealer.seal(kept.id, &plain);
        after.passport_key = pk;
        after.name_key = nk;
        after.status = status.as_str().into();
        after.version = kept.version + 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        crisis_person::Entity::update_many()
            .set(after.clone().into_active_model().reset_all())
            .filter(crisis_person::Column::Id.eq(kept.id))
            .exec(tx)
            .await?;
        Ok(after)
    }

    /// Add a citizen to the registry (by phone). One whose passport is
    /// already registered is merged into that entry instead.
    pub async fn crisis_entry_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &EntryForm,
    ) -> Result<Added, StoreError> {
        let input = EntryInput::parse(f, crate::today())?;
        let sealer = self.sealer()?.clone();
        let tx = self.begin_write().await?;
        crisis_lock_on(&tx, id).await?;
        let c = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_may_work(&tx, ctx, &c).await? {
            return Err(not_working());
        }
        let (pk, nk) = digests(&sealer, &input.data);
        let mut same = match &pk {
            Some(k) => {
                crisis_person::Entity::find()
                    .filter(crisis_person::Column::CrisisId.eq(c.id))
                    .filter(crisis_person::Column::PassportKey.eq(k.as_str()))
                    .one(&tx)
                    .await?
            }
            None => None,
        };
        if same.is_none()
            && let Some(n) = &nk
        {
            let named = crisis_person::Entity::find()
                .filter(crisis_person::Column::CrisisId.eq(c.id))
                .filter(crisis_person::Column::NameKey.eq(n.as_str()))
                .order_by_asc(crisis_person::Column::Id)
                .limit(20)
                .all(&tx)
                .await?;
            same = named.into_iter().find(|e| {
                same_person(
                    pk.as_deref(),
                    nk.as_deref(),
                    e.passport_key.as_deref(),
                    e.name_key.as_deref(),
                ) == Same::Yes
            });
        }
        let added = if let Some(kept) = same {
            let after = self
                .fold_into(&tx, ctx, kept, std::slice::from_ref(&input))
                .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: from_rank(c.classification),
                    after: Some(serde_json::json!({"entry": after.id, "status": after.status, "merged": true})),
                    ..Change::new(ENTITY, c.id, "entry_add")
                },
            )
            .await?;
            Added {
                id: after.id,
                merged: true,
            }
        } else {
            if Self::live_entries(&tx, c.id).await? as usize >= MAX_PEOPLE {
                return Err(Self::too_many());
            }
            let e = NewEntry {
                id: Uuid::now_v7(),
                input,
            };
            let m = self.new_entry_row(ctx, c.id, &e, (pk, nk), "phone")?;
            crisis_person::Entity::insert(m.into_active_model())
                .exec_without_returning(&tx)
                .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: from_rank(c.classification),
                    after: Some(
                        serde_json::json!({"entry": e.id, "status": e.input.status.as_str()}),
                    ),
                    ..Change::new(ENTITY, c.id, "entry_add")
                },
            )
            .await?;
            Added {
                id: e.id,
                merged: false,
            }
        };
        tx.commit().await?;
        Ok(added)
    }

    fn new_entry_row(
        &self,
        ctx: &Ctx,
        crisis: Uuid,
        e: &NewEntry,
        keys: (Option<String>, Option<String>),
        source: &str,
    ) -> Result<crisis_person::Model, StoreError> {
        let plain = serde_json::to_vec(&e.input.data)
            .map_err(|x| StoreError::Internal(format!("sealing an entry: {x}")))?;
        let t = now();
        Ok(crisis_person::Model {
            id: e.id,
            crisis_id: crisis,
            status: e.input.status.as_str().into(),
            place: e.input.place.clone(),
            transport: e.input.transport.clone(),
            sealed: self.sealer()?.seal(e.id, &plain),
            passport_key: keys.0,
            name_key: keys.1,
            merged: false,
            merged_into: None,
            case_id: None,
            source: source.into(),
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
        })
    }

    /// Change an entry's status, place or transport (version-checked): what
    /// the boards count.
    pub async fn crisis_entry_status(
        &self,
        ctx: &Ctx,
        id: Uuid,
        entry: Uuid,
        f: &StatusForm,
    ) -> Result<Entry, StoreError> {
        let input = StatusInput::parse(f)?;
        let tx = self.begin_write().await?;
        crisis_lock_on(&tx, id).await?;
        let c = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_may_work(&tx, ctx, &c).await? {
            return Err(not_working());
        }
        let before = crisis_person::Entity::find_by_id(entry)
            .filter(crisis_person::Column::CrisisId.eq(c.id))
            .filter(crisis_person::Column::Merged.eq(false))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let stale = || StoreError::Conflict {
            current_version: before.version,
            current: serde_json::to_value(&before).unwrap_or_default(),
        };
        if before.version != f.version {
            return Err(stale());
        }
        let mut after = before.clone();
        after.status = input.status.as_str().into();
        if let Some(p) = input.place {
            after.place = p;
        }
        if let Some(t) = input.transport {
            after.transport = t;
        }
        after.version = before.version + 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        let res = crisis_person::Entity::update_many()
            .col_expr(
                crisis_person::Column::Status,
                Expr::val(after.status.clone()),
            )
            .col_expr(crisis_person::Column::Place, Expr::val(after.place.clone()))
            .col_expr(
                crisis_person::Column::Transport,
                Expr::val(after.transport.clone()),
            )
            .col_expr(crisis_person::Column::Version, Expr::val(after.version))
            .col_expr(
                crisis_person::Column::UpdatedAt,
                Expr::val(after.updated_at),
            )
            .col_expr(
                crisis_person::Column::UpdatedBy,
                Expr::val(after.updated_by),
            )
            .filter(crisis_person::Column::Id.eq(entry))
            .filter(crisis_person::Column::Version.eq(before.version))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                before: Some(serde_json::json!({"entry": entry, "status": before.status})),
                after: Some(serde_json::json!({"entry": entry, "status": after.status})),
                ..Change::new(ENTITY, c.id, "entry_status")
            },
        )
        .await?;
        tx.commit().await?;
        self.entry_of(after, false)
    }

    /// Merge the entry `other` into `keep` (the team decides, having seen
    /// both): `other` stays, pointing at `keep`, and is no longer counted.
    pub async fn crisis_merge(
        &self,
        ctx: &Ctx,
        id: Uuid,
        keep: Uuid,
        other: Uuid,
    ) -> Result<(), StoreError> {
        if keep == other {
            return Err(StoreError::Invalid(FieldErrors::single(
                "other",
                Msg::new(
                    "Chọn hai người khác nhau để gộp.",
                    "Choose two different entries to merge.",
                ),
            )));
        }
        let tx = self.begin_write().await?;
        crisis_lock_on(&tx, id).await?;
        let c = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_team_of(&tx, ctx, &c).await? || ctx.actor.role == kieng_domain::Role::Viewer
        {
            return Err(not_team());
        }
        let live = |e: Uuid| {
            crisis_person::Entity::find_by_id(e)
                .filter(crisis_person::Column::CrisisId.eq(c.id))
                .filter(crisis_person::Column::Merged.eq(false))
                .one(&tx)
        };
        let kept = live(keep).await?.ok_or(StoreError::NotFound)?;
        let gone = live(other).await?.ok_or(StoreError::NotFound)?;
        let gone_entry = self.entry_of(gone.clone(), true)?;
        let as_input = EntryInput {
            data: gone_entry.data.unwrap_or_default(),
            status: PersonStatus::parse(&gone.status).unwrap_or(PersonStatus::Unconfirmed),
            place: gone.place.clone(),
            transport: gone.transport.clone(),
        };
        let case_id = kept.case_id.or(gone.case_id);
        let mut after = self.fold_into(&tx, ctx, kept, &[as_input]).await?;
        if after.case_id != case_id {
            after.case_id = case_id;
            crisis_person::Entity::update_many()
                .col_expr(crisis_person::Column::CaseId, Expr::val(case_id))
                .filter(crisis_person::Column::Id.eq(keep))
                .exec(&tx)
                .await?;
        }
        crisis_person::Entity::update_many()
            .col_expr(crisis_person::Column::Merged, Expr::val(true))
            .col_expr(crisis_person::Column::MergedInto, Expr::val(Some(keep)))
            .col_expr(
                crisis_person::Column::PassportKey,
                Expr::val(None::<String>),
            )
            .col_expr(crisis_person::Column::NameKey, Expr::val(None::<String>))
            .col_expr(crisis_person::Column::Version, Expr::val(gone.version + 1))
            .col_expr(crisis_person::Column::UpdatedAt, Expr::val(now()))
            .col_expr(
                crisis_person::Column::UpdatedBy,
                Expr::val(Some(ctx.actor.user_id)),
            )
            .filter(crisis_person::Column::Id.eq(other))
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(
                    serde_json::json!({"entry": keep, "merged": other, "status": after.status}),
                ),
                ..Change::new(ENTITY, c.id, "entry_merge")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open a protection case for one entry, in one step: the entry's person
    /// becomes the case's citizen, the crisis's mission is in charge, and the
    /// entry links to the case. An entry that has a case gives that case.
    pub async fn crisis_case_from(
        &self,
        ctx: &Ctx,
        id: Uuid,
        entry: Uuid,
    ) -> Result<Uuid, StoreError> {
        let tx = self.begin_write().await?;
        let c = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_may_work(&tx, ctx, &c).await? {
            return Err(not_working());
        }
        let p = crisis_person::Entity::find_by_id(entry)
            .filter(crisis_person::Column::CrisisId.eq(c.id))
            .filter(crisis_person::Column::Merged.eq(false))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(case) = p.case_id {
            return Ok(case);
        }
        let status = PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Unconfirmed);
        let e = self.entry_of(p.clone(), true)?;
        let severity = match status {
            PersonStatus::Injured => Severity::Critical,
            PersonStatus::Unreachable | PersonStatus::Deceased => Severity::High,
            _ => Severity::Normal,
        };
        let category = match status {
            PersonStatus::Deceased => Category::Death,
            PersonStatus::Unreachable => Category::Missing,
            PersonStatus::Injured => Category::Accident,
            _ => Category::Disaster,
        };
        let summary = format!(
            "{} — {}{}",
            c.name,
            status.label().get("vi"),
            if p.place.is_empty() {
                String::new()
            } else {
                format!(", {}", p.place)
            }
        );
        let input = IntakeInput {
            source: Source::Mission,
            severity,
            category,
            summary,
            country: c.country_code.clone(),
            place: (!p.place.is_empty()).then(|| p.place.clone()),
            agency: None,
            caller: None,
            citizen: e.data.map(|data| PersonInput {
                role: PersonRole::Citizen,
                data,
            }),
        };
        let case = self
            .insert_case(&tx, ctx, &input, c.country_code.clone(), c.agency_id)
            .await?;
        crisis_person::Entity::update_many()
            .col_expr(crisis_person::Column::CaseId, Expr::val(Some(case.id)))
            .col_expr(crisis_person::Column::Version, Expr::val(p.version + 1))
            .filter(crisis_person::Column::Id.eq(entry))
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::json!({"entry": entry, "case": case.number})),
                ..Change::new(ENTITY, c.id, "entry_case")
            },
        )
        .await?;
        crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        tx.commit().await?;
        Ok(case.id)
    }

    /// Name a colleague on the crisis's team, or take one off: the team's to
    /// decide, since joining it opens the registry's personal data.
    pub async fn crisis_team_change(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &TeamForm,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        let Some(u) = self.active_user(&mut e, "username", &f.username).await? else {
            return Err(e.into());
        };
        let remove = f.action.as_deref() == Some("remove");
        let tx = self.begin_write().await?;
        let c = Self::visible_crisis(&tx, ctx, id).await?;
        if !self.crisis_team_of(&tx, ctx, &c).await? || ctx.actor.role == kieng_domain::Role::Viewer
        {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ nhóm xử lý sự kiện được thêm, bớt thành viên.",
                "Only the crisis's team may change who is on it.",
            )));
        }
        if remove {
            crisis_team::Entity::delete_many()
                .filter(crisis_team::Column::CrisisId.eq(id))
                .filter(crisis_team::Column::UserId.eq(u.id))
                .exec(&tx)
                .await?;
        } else {
            let n = crisis_team::Entity::find()
                .filter(crisis_team::Column::CrisisId.eq(id))
                .count(&tx)
                .await?;
            if n as usize >= MAX_TEAM {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "username",
                    Msg::new(
                        format!("Nhóm xử lý có tối đa {MAX_TEAM} người."),
                        format!("A team has at most {MAX_TEAM} colleagues."),
                    ),
                )));
            }
            crisis_team::Entity::insert(crisis_team::ActiveModel {
                crisis_id: sea_orm::Set(id),
                user_id: sea_orm::Set(u.id),
                added_at: sea_orm::Set(now()),
                added_by: sea_orm::Set(Some(ctx.actor.user_id)),
            })
            .on_conflict(
                OnConflict::columns([crisis_team::Column::CrisisId, crisis_team::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::json!({"user": u.username, "removed": remove})),
                ..Change::new(ENTITY, id, "team")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keep an uploaded community list until it is confirmed, sealed: it
    /// holds personal data, which the database never holds in clear.
    pub async fn crisis_stage(
        &self,
        ctx: &Ctx,
        id: Uuid,
        file_name: &str,
        sheet: &Sheet,
    ) -> Result<Uuid, StoreError> {
        let sealer = self.sealer()?;
        let t = now();
        import_batch::Entity::delete_many()
            .filter(import_batch::Column::CreatedAt.lt(t - chrono::Duration::days(1)))
            .exec(&self.writer)
            .await?;
        let batch = Uuid::now_v7();
        let json =
            serde_json::to_vec(sheet).map_err(|e| StoreError::Internal(format!("sheet: {e}")))?;
        import_batch::Entity::insert(import_batch::ActiveModel {
            id: sea_orm::Set(batch),
            user_id: sea_orm::Set(ctx.actor.user_id),
            kind: sea_orm::Set(stage_kind(id)),
            file_name: sea_orm::Set(file_name.chars().take(200).collect()),
            sheet: sea_orm::Set(sealer.seal(batch, &json)),
            classification: sea_orm::Set(None),
            secret_item: sea_orm::Set(None),
            created_at: sea_orm::Set(t),
        })
        .exec_without_returning(&self.writer)
        .await?;
        Ok(batch)
    }

    /// Check a staged list again and, when asked and clean, apply it: the
    /// file name and the check.
    pub async fn crisis_import_staged(
        &self,
        ctx: &Ctx,
        id: Uuid,
        batch: Uuid,
        apply: bool,
    ) -> Result<(String, CrisisImport), StoreError> {
        let b = import_batch::Entity::find_by_id(batch)
            .one(&self.db)
            .await?
            .filter(|b| b.user_id == ctx.actor.user_id && b.kind == stage_kind(id))
            .ok_or(StoreError::NotFound)?;
        let plain = self
            .sealer()?
            .open(batch, &b.sheet)
            .map_err(|e| StoreError::Internal(format!("staged list: {e:?}")))?;
        let sheet: Sheet = serde_json::from_slice(&plain)
            .map_err(|e| StoreError::Internal(format!("staged list: {e}")))?;
        let r = self
            .crisis_import(ctx, id, &sheet, apply, Some(batch))
            .await?;
        Ok((b.file_name, r))
    }

    /// Check a community list for crisis `id`; with `apply`, and only when
    /// no row has a problem, write it in one transaction: new entries, and
    /// rows whose passport is registered merged into their entry.
    pub async fn crisis_import(
        &self,
        ctx: &Ctx,
        id: Uuid,
        sheet: &Sheet,
        apply: bool,
        batch: Option<Uuid>,
    ) -> Result<CrisisImport, StoreError> {
        let sealer = self.sealer()?.clone();
        let c = Self::visible_crisis(&self.db, ctx, id).await?;
        if !self.crisis_may_work(&self.db, ctx, &c).await? {
            return Err(not_working());
        }
        let layout = match EntryLayout::read(&sheet.headings) {
            Ok(l) => l,
            Err(mut problems) => {
                for x in &mut problems {
                    x.row = sheet.heading_row;
                }
                return Ok(CrisisImport::failed(problems));
            }
        };
        if let Some(x) = sheet.longer_than(MAX_IMPORT_ROWS) {
            return Ok(CrisisImport::failed(vec![x]));
        }
        let today = crate::today();
        let mut problems = Vec::new();
        let mut rows: Vec<ImportRow> = Vec::new();
        // What the registry holds: each live entry's digests.
        let mut by_passport: HashMap<String, Uuid> = HashMap::new();
        let mut by_name: HashMap<String, Vec<(Uuid, Option<String>)>> = HashMap::new();
        let held: Vec<(Uuid, Option<String>, Option<String>)> = crisis_person::Entity::find()
            .select_only()
            .column(crisis_person::Column::Id)
            .column(crisis_person::Column::PassportKey)
            .column(crisis_person::Column::NameKey)
            .filter(crisis_person::Column::CrisisId.eq(c.id))
            .filter(crisis_person::Column::Merged.eq(false))
            .into_tuple()
            .all(&self.db)
            .await?;
        let live = held.len();
        for (eid, pk, nk) in held {
            if let Some(k) = &pk {
                by_passport.insert(k.clone(), eid);
            }
            if let Some(k) = nk {
                by_name.entry(k).or_default().push((eid, pk));
            }
        }
        // The file's own: digest → index in `fresh`.
        let mut file_passport: HashMap<String, usize> = HashMap::new();
        let mut file_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut fresh: Vec<(usize, NewEntry, Keys)> = Vec::new();
        let mut folded: HashMap<usize, Vec<EntryInput>> = HashMap::new();
        let mut into_held: HashMap<Uuid, Vec<EntryInput>> = HashMap::new();
        for (i, cells) in sheet.rows.iter().enumerate() {
            let row = sheet.row_number(i);
            let input = match row_entry(&layout, row, cells, today) {
                None => continue,
                Some(Err(p)) => {
                    problems.extend(p);
                    rows.push(ImportRow {
                        row,
                        initials: String::new(),
                        person_status: String::new(),
                        place: String::new(),
                        status: RowStatus::Invalid,
                        with_row: None,
                    });
                    continue;
                }
                Some(Ok(e)) => e,
            };
            let keys = digests(&sealer, &input.data);
            let mut report = ImportRow {
                row,
                initials: input.data.masked().initials,
                person_status: input.status.as_str().into(),
                place: input.place.clone(),
                status: RowStatus::New,
                with_row: None,
            };
            let (pk, nk) = (keys.0.as_deref(), keys.1.as_deref());
            // An earlier row of the file, then an entry already registered.
            let mut possible = false;
            let mut in_file = pk.and_then(|k| file_passport.get(k)).copied();
            let mut in_held = pk.and_then(|k| by_passport.get(k)).copied();
            if in_file.is_none()
                && in_held.is_none()
                && let Some(n) = nk
            {
                for j in file_name.get(n).map(Vec::as_slice).unwrap_or_default() {
                    match same_person(pk, nk, fresh[*j].2.0.as_deref(), fresh[*j].2.1.as_deref()) {
                        Same::Yes => {
                            in_file = Some(*j);
                            break;
                        }
                        Same::Possibly => possible = true,
                        Same::No => {}
                    }
                }
                if in_file.is_none() {
                    for (eid, hk) in by_name.get(n).map(Vec::as_slice).unwrap_or_default() {
                        match same_person(pk, nk, hk.as_deref(), nk) {
                            Same::Yes => {
                                in_held = Some(*eid);
                                break;
                            }
                            Same::Possibly => possible = true,
                            Same::No => {}
                        }
                    }
                }
            }
            if let Some(j) = in_file {
                report.status = RowStatus::SameAsRow;
                report.with_row = Some(fresh[j].0);
                if let (Some(k), None) = (&keys.0, &fresh[j].2.0) {
                    file_passport.insert(k.clone(), j);
                    fresh[j].2.0 = Some(k.clone());
                }
                folded.entry(j).or_default().push(input);
            } else if let Some(eid) = in_held {
                report.status = RowStatus::Merged;
                if let Some(k) = &keys.0 {
                    by_passport.entry(k.clone()).or_insert(eid);
                }
                into_held.entry(eid).or_default().push(input);
            } else {
                let j = fresh.len();
                if possible {
                    report.status = RowStatus::Possible;
                }
                if let Some(k) = &keys.1 {
                    file_name.entry(k.clone()).or_default().push(j);
                }
                if let Some(k) = &keys.0 {
                    file_passport.insert(k.clone(), j);
                }
                fresh.push((
                    row,
                    NewEntry {
                        id: Uuid::now_v7(),
                        input,
                    },
                    keys,
                ));
            }
            rows.push(report);
        }
        if live + fresh.len() > MAX_PEOPLE {
            problems.push(Problem {
                row: sheet.heading_row,
                column: None,
                message: Msg::new(
                    format!("Một sự kiện có tối đa {MAX_PEOPLE} người; danh sách đã có {live}."),
                    format!("A crisis registry holds at most {MAX_PEOPLE} people; it has {live}."),
                ),
            });
        }
        problems.sort_by_key(|p| p.row);
        let count = |s: RowStatus| rows.iter().filter(|r| r.status == s).count();
        let mut report = CrisisImport {
            applied: false,
            new: count(RowStatus::New) + count(RowStatus::Possible),
            merged: count(RowStatus::Merged) + count(RowStatus::SameAsRow),
            possible: count(RowStatus::Possible),
            problems,
            rows,
        };
        if !apply || !report.problems.is_empty() {
            return Ok(report);
        }
        // Rows of the file that are one person become one entry first.
        let mut new_rows: Vec<crisis_person::Model> = Vec::with_capacity(fresh.len());
        for (j, (_, mut e, keys)) in fresh.into_iter().enumerate() {
            let keys = match folded.remove(&j) {
                None => keys,
                Some(more) => {
                    for o in more {
                        e.input.data = merge(&e.input.data, &o.data);
                        e.input.status = merged_status(e.input.status, o.status);
                        if e.input.place.is_empty() {
                            e.input.place = o.place;
                        }
                        if e.input.transport.is_empty() {
                            e.input.transport = o.transport;
                        }
                    }
                    digests(&sealer, &e.input.data)
                }
            };
            new_rows.push(self.new_entry_row(ctx, c.id, &e, keys, "import")?);
        }
        let tx = self.begin_write().await?;
        crisis_lock_on(&tx, id).await?;
        for chunk in new_rows.chunks(500) {
            crisis_person::Entity::insert_many(
                chunk.iter().cloned().map(|m| m.into_active_model()),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        for (eid, others) in &into_held {
            let kept = crisis_person::Entity::find_by_id(*eid)
                .filter(crisis_person::Column::Merged.eq(false))
                .one(&tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            self.fold_into(&tx, ctx, kept, others).await?;
        }
        if let Some(b) = batch {
            import_batch::Entity::delete_by_id(b).exec(&tx).await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::json!({
                    "import": {"new": report.new, "merged": report.merged, "possible": report.possible}
                })),
                ..Change::new(ENTITY, c.id, "import")
            },
        )
        .await?;
        tx.commit().await?;
        report.applied = true;
        Ok(report)
    }

    /// Retention for crises: the registry of a crisis closed longer ago than
    /// the retention period loses its personal data (and its digests); the
    /// statuses, places and counts stay. Returns how many crises.
    pub(crate) async fn crisis_purge(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        let due = crisis::Entity::find()
            .filter(crisis::Column::ClosedAt.lt(cutoff))
            .filter(crisis::Column::PersonalPurgedAt.is_null())
            .order_by_asc(crisis::Column::ClosedAt)
            .limit(50)
            .all(&self.db)
            .await?;
        let mut n = 0;
        for c in due {
            let tx = self.begin_write().await?;
            let Some(c) = crisis::Entity::find_by_id(c.id)
                .filter(crisis::Column::PersonalPurgedAt.is_null())
                .filter(crisis::Column::ClosedAt.lt(cutoff))
                .one(&tx)
                .await?
            else {
                continue;
            };
            let gone = crisis_person::Entity::update_many()
                .col_expr(crisis_person::Column::Sealed, Expr::val(""))
                .col_expr(
                    crisis_person::Column::PassportKey,
                    Expr::val(None::<String>),
                )
                .col_expr(crisis_person::Column::NameKey, Expr::val(None::<String>))
                .filter(crisis_person::Column::CrisisId.eq(c.id))
                .exec(&tx)
                .await?
                .rows_affected;
            crisis::Entity::update_many()
                .col_expr(crisis::Column::PersonalPurgedAt, Expr::val(Some(now())))
                .filter(crisis::Column::Id.eq(c.id))
                .exec(&tx)
                .await?;
            append(
                &tx,
                &crate::audit::Origin::default(),
                Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: from_rank(c.classification),
                    after: Some(serde_json::json!({"people": gone, "closed_at": c.closed_at})),
                    ..Change::new(ENTITY, c.id, "purge_personal")
                },
            )
            .await?;
            tx.commit().await?;
            n += 1;
        }
        Ok(n)
    }

    /// Seal every registry entry again under `new`, with its digests, in the
    /// caller's transaction (`reseal`).
    pub(crate) async fn crisis_reseal<C: ConnectionTrait>(
        &self,
        tx: &C,
        old: &Sealer,
        new: &Sealer,
    ) -> Result<u64, StoreError> {
        let mut after: Option<Uuid> = None;
        let mut n = 0u64;
        loop {
            let mut q = crisis_person::Entity::find()
                .filter(crisis_person::Column::Sealed.ne(""))
                .order_by_asc(crisis_person::Column::Id)
                .limit(500);
            if let Some(a) = after {
                q = q.filter(crisis_person::Column::Id.gt(a));
            }
            let rows = q.all(tx).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            for r in rows {
                let plain = old
                    .open(r.id, &r.sealed)
                    .map_err(|e| StoreError::Internal(format!("entry {}: {e:?}", r.id)))?;
                let data: PersonData = serde_json::from_slice(&plain)
                    .map_err(|e| StoreError::Internal(format!("entry {}: {e}", r.id)))?;
                let (pk, nk) = if r.merged {
                    (None, None)
                } else {
                    digests(new, &data)
                };
                crisis_person::Entity::update_many()
                    .col_expr(
                        crisis_person::Column::Sealed,
                        Expr::val(new.seal(r.id, &plain)),
                    )
                    .col_expr(crisis_person::Column::PassportKey, Expr::val(pk))
                    .col_expr(crisis_person::Column::NameKey, Expr::val(nk))
                    .filter(crisis_person::Column::Id.eq(r.id))
                    .exec(tx)
                    .await?;
                n += 1;
            }
            after = Some(last);
        }
        Ok(n)
    }
}
