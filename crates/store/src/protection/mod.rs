//! Citizen protection cases: the list, one case as its reader may see it —
//! its people masked unless the reader is on the case's team and opens them,
//! every opening recorded — and (`write`) intake, the full record, the
//! workflow, the timeline, the people and the team.
//!
//! Personal data lives only sealed (`seal`) in `protection_people`; it is
//! opened in memory for the team, masked in memory for everyone else, and
//! never written to the audit chain, the search index or a log.

pub mod crisis;
mod fund;
mod lookup;
pub mod seal;
mod subject;
mod write;

pub use fund::{FundRow, FundTotal};
pub use subject::{SubjectExport, SubjectForm};

pub use write::{CaseMoveForm, TeamForm};

use crate::audit::rank;
use crate::entity::{
    agency, country, partner, protection_action, protection_case, protection_opening,
    protection_person, protection_team, user,
};
use crate::{COUNT_CAP, Ctx, Page, Store, StoreError};
use kieng_domain::Msg;
use kieng_domain::protection::person::{Masked, PersonData, Role as PersonRole};
use kieng_domain::protection::{Clock, Clocks, Move, Status, Team, clock, on_team};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub use seal::Sealer;

/// The audit chain's entity name for a case.
pub const ENTITY: &str = "protection_case";
/// Cases a list page shows.
pub const PER_PAGE: u64 = 50;

/// What a deployment says about citizen protection.
#[derive(Debug, Clone)]
pub struct ProtectionConfig {
    /// The key personal data is sealed with; `None`: no case with people can
    /// be written or opened (the server is started without one only by tools).
    pub sealer: Option<Sealer>,
    pub clocks: Clocks,
    /// The consular department's code: its leaders are on every case's team.
    pub consular_agency: Option<String>,
    /// Years a closed case keeps its people's personal data.
    pub retention_years: u32,
    /// Who approves the fund's advances and payments, and the rule cited.
    pub fund: kieng_domain::protection::fund::FundRule,
}

impl Default for ProtectionConfig {
    fn default() -> Self {
        Self {
            sealer: None,
            clocks: Clocks::default(),
            consular_agency: None,
            retention_years: kieng_domain::protection::RETENTION_YEARS,
            fund: Default::default(),
        }
    }
}

/// The list's filters.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
pub struct CaseFilter {
    /// A case number or its beginning; for the team, also a person's full
    /// name or passport or ID number.
    pub q: Option<String>,
    /// A status, "open" (default: every status) or "closed".
    pub status: Option<String>,
    pub severity: Option<String>,
    pub category: Option<String>,
    /// ISO alpha-2.
    pub country: Option<String>,
    /// The mission (or agency) in charge, by id.
    pub agency: Option<Uuid>,
    /// "overdue": open cases past their first-contact clock.
    pub clock: Option<String>,
    /// Only the reader's own cases (assigned officer).
    #[serde(default)]
    pub mine: Option<bool>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// A case as lists show it: nothing personal.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    #[serde(flatten)]
    pub case: protection_case::Model,
    pub agency_name: String,
    pub country_name: String,
    pub officer_name: Option<String>,
    pub clock: Clock,
}

/// A person on a case: masked always; in clear only once opened by the team.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: Uuid,
    pub role: String,
    pub masked: Masked,
    /// Present only in the view a team member opened (and logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PersonData>,
}

/// A case as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub row: CaseRow,
    pub intake_agency_name: String,
    /// The foreign authority, when the reader may see that partner.
    pub authority: Option<(Uuid, String)>,
    pub officer_username: Option<String>,
    /// Named colleagues: (id, username, display name).
    pub team: Vec<(Uuid, String, String)>,
    pub people: Vec<PersonView>,
    pub actions: Vec<protection_action::Model>,
    /// Who opened the personal data, newest first.
    pub openings: Vec<protection_opening::Model>,
    /// The reader is on the team: may open the personal data.
    pub on_team: bool,
    /// The personal data is shown in clear in this view.
    pub opened: bool,
    /// The reader may work the case (edit, act, move, add people).
    pub can_work: bool,
    pub moves: Vec<Move>,
    /// The fund's entries on the case, oldest first, and its ledger (VND).
    pub fund: Vec<FundRow>,
    pub ledger: kieng_domain::protection::fund::Ledger,
}

fn no_key() -> StoreError {
    StoreError::Internal(
        "no personal-data key: start the server with one (see README, citizen protection)".into(),
    )
}

/// Who asks for which case list total: read agencies (`None`: all),
/// clearance rank, and the filter without its page.
pub type CaseTotalKey = (Option<Vec<Uuid>>, i16, CaseFilter);

/// A case list's total as counted at `protection_rev`.
pub struct KeptTotal {
    rev: i64,
    total: u64,
}

impl crate::kept::Weigh for KeptTotal {
    fn rev(&self) -> i64 {
        self.rev
    }
    fn bytes(&self) -> usize {
        64
    }
}

/// Case list totals: 4,096 of them.
pub type CaseTotals = crate::kept::Kept<CaseTotalKey, KeptTotal, 4096, { 1 << 20 }>;

impl Store {
    /// The personal-data key this store was given, for tools that write
    /// sealed data in bulk (generated benchmark data).
    pub fn personal_key(&self) -> Option<&Sealer> {
        self.config.protection.sealer.as_ref()
    }

    pub(crate) fn sealer(&self) -> Result<&Sealer, StoreError> {
        self.config.protection.sealer.as_ref().ok_or_else(no_key)
    }

    /// Record this database's personal-data key, or refuse a key it was not
    /// sealed with: two servers on one database must hold the same key.
    pub async fn sealing_key_check(&self) -> Result<(), StoreError> {
        use crate::entity::sealing_key;
        let Some(s) = self.config.protection.sealer.as_ref() else {
            return Ok(());
        };
        let known = sealing_key::Entity::find().all(&self.db).await?;
        if known
            .iter()
            .any(|k| k.key_id == s.id() && k.check_value == s.check_value())
        {
            return Ok(());
        }
        if !known.is_empty() {
            return Err(StoreError::Internal(format!(
                "this database's personal data was sealed with key {}, not with the key given ({}): \
                 give the server the key file the other servers use",
                known
                    .iter()
                    .map(|k| k.key_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                s.id()
            )));
        }
        sealing_key::Entity::insert(sealing_key::ActiveModel {
            key_id: sea_orm::Set(s.id().to_string()),
            check_value: sea_orm::Set(s.check_value().to_string()),
            created_at: sea_orm::Set(crate::now()),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// The consular department's id, when configured and known.
    pub(crate) async fn consular_id(&self) -> Result<Option<Uuid>, StoreError> {
        let Some(code) = &self.config.protection.consular_agency else {
            return Ok(None);
        };
        let dir = self.directory().await?;
        Ok(dir
            .rows
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(code))
            .map(|a| a.id))
    }

    /// The colleagues named on a case's team.
    async fn team_members<C: sea_orm::ConnectionTrait>(
        db: &C,
        case: Uuid,
    ) -> Result<Vec<Uuid>, StoreError> {
        Ok(protection_team::Entity::find()
            .select_only()
            .column(protection_team::Column::UserId)
            .filter(protection_team::Column::CaseId.eq(case))
            .into_tuple()
            .all(db)
            .await?)
    }

    /// Is the reader on the case's team?
    pub(crate) async fn case_team_of<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        c: &protection_case::Model,
    ) -> Result<bool, StoreError> {
        let colleagues = Self::team_members(db, c.id).await?;
        self.on_team_with(ctx, c, &colleagues).await
    }

    /// `on_team` for a case whose named colleagues are already read.
    async fn on_team_with(
        &self,
        ctx: &Ctx,
        c: &protection_case::Model,
        colleagues: &[Uuid],
    ) -> Result<bool, StoreError> {
        let consular = self.consular_id().await?;
        Ok(on_team(
            ctx.actor.user_id,
            ctx.actor.agency_id,
            ctx.actor.role,
            &Team {
                officer: c.officer_id,
                colleagues,
                mission: c.agency_id,
                consular,
            },
        ))
    }

    /// May the reader work the case: a writer of the agency in charge or of
    /// the intake agency, or a member of its team who is not a viewer.
    pub(crate) fn may_work(&self, ctx: &Ctx, c: &protection_case::Model, team: bool) -> bool {
        let class = crate::audit::from_rank(c.classification);
        ctx.actor.role != kieng_domain::Role::Viewer
            && (team
                || ctx.actor.can_write(c.agency_id, class)
                || ctx.actor.can_write(c.intake_agency_id, class))
    }

    /// The list's query; `found`: the cases whose people the search text
    /// names, for a reader on their team (`case_found`).
    fn case_query(
        ctx: &Ctx,
        f: &CaseFilter,
        found: Option<sea_orm::Condition>,
    ) -> sea_orm::Select<protection_case::Entity> {
        Self::case_filtered(ctx, f, found).filter(Self::case_scope(ctx))
    }

    /// The list's filters on the row test of the rule, without the scope.
    fn case_filtered(
        ctx: &Ctx,
        f: &CaseFilter,
        found: Option<sea_orm::Condition>,
    ) -> sea_orm::Select<protection_case::Entity> {
        use protection_case::Column as C;
        let mut q = protection_case::Entity::find().filter(Self::case_row_test(ctx));
        match f.status.as_deref().map(str::trim) {
            None | Some("") => {}
            Some("open") => q = q.filter(C::IsOpen.eq(true)),
            Some("closed") => q = q.filter(C::IsOpen.eq(false)),
            Some(s) => q = q.filter(C::Status.eq(s)),
        }
        if let Some(s) = f.severity.as_deref().filter(|s| !s.trim().is_empty()) {
            q = q.filter(C::Severity.eq(s.trim()));
        }
        if let Some(s) = f.category.as_deref().filter(|s| !s.trim().is_empty()) {
            q = q.filter(C::Category.eq(s.trim()));
        }
        if let Some(s) = f.country.as_deref().filter(|s| !s.trim().is_empty()) {
            q = q.filter(C::CountryCode.eq(s.trim().to_uppercase()));
        }
        if let Some(a) = f.agency {
            q = q.filter(C::AgencyId.eq(a));
        }
        if f.mine == Some(true) {
            q = q.filter(C::OfficerId.eq(ctx.actor.user_id));
        }
        if f.clock.as_deref() == Some("overdue") {
            q = q
                .filter(C::IsOpen.eq(true))
                .filter(C::FirstContactAt.is_null())
                .filter(C::FirstContactDue.lt(crate::now()));
        }
        if let Some(n) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let n: String = n.chars().take(40).collect::<String>().to_uppercase();
            q = q.filter(
                sea_orm::Condition::any()
                    .add(C::Number.starts_with(&n))
                    .add_option(found),
            );
        }
        q
    }

    /// The cases the reader may see, newest intake first.
    pub async fn case_list(&self, ctx: &Ctx, f: &CaseFilter) -> Result<Page<CaseRow>, StoreError> {
        let found = self.case_found(ctx, f.q.as_deref()).await?;
        let q = Self::case_query(ctx, f, found.clone());
        let total = self.case_total(ctx, f, &q).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(Ord::min(total, COUNT_CAP).div_ceil(PER_PAGE), 1),
        );
        // Agency by agency unless the list is of open cases (a status other
        // than closed, or the clock): those are a few in a thousand, so each
        // agency's range would be read whole, where the open cases' own index
        // holds them all.
        let broad = f
            .status
            .as_deref()
            .is_none_or(|s| s.trim().is_empty() || s.trim() == "closed")
            && f.clock.as_deref().is_none_or(|s| s.trim().is_empty());
        let rows = match ctx.actor.read.ids() {
            Some(ids) if broad && ids.len() <= crate::activities::LARGE_SCOPE => {
                let filtered = Self::case_filtered(ctx, f, found);
                let page_ids = Self::case_page_in_scope(&filtered, &ids, page, PER_PAGE);
                protection_case::Entity::find()
                    .filter(protection_case::Column::Id.in_subquery(page_ids))
            }
            Some(ids) => {
                let pg = self.db.get_database_backend() == sea_orm::DbBackend::Postgres;
                Self::case_filtered(ctx, f, found)
                    .filter(Self::case_scope_walked(pg, ids))
                    .offset((page - 1) * PER_PAGE)
                    .limit(PER_PAGE)
            }
            None => q.offset((page - 1) * PER_PAGE).limit(PER_PAGE),
        }
        .order_by_desc(protection_case::Column::OpenedAt)
        .order_by_desc(protection_case::Column::Id)
        .all(&self.db)
        .await?;
        Ok(Page {
            items: self.case_rows(rows).await?,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// The list's total, counted no further than `COUNT_CAP + 1`. Kept per
    /// scope, clearance and filter while `protection_rev` (bumped by every
    /// case write) holds: a pillar's count reads ten thousand rows, its page
    /// fifty. Not kept for a search text (it reads who is on each team) nor
    /// for the clock or the reader's own cases (they move with the hour and
    /// the reader).
    async fn case_total(
        &self,
        ctx: &Ctx,
        f: &CaseFilter,
        q: &sea_orm::Select<protection_case::Entity>,
    ) -> Result<u64, StoreError> {
        let keep = f.q.as_deref().is_none_or(|s| s.trim().is_empty())
            && f.clock.as_deref().is_none_or(|s| s.trim().is_empty())
            && f.mine != Some(true);
        if !keep {
            return self
                .capped_count(q.clone(), protection_case::Column::Id)
                .await;
        }
        let rev = crate::counters::value(&self.db, crate::counters::PROTECTION).await?;
        let key: CaseTotalKey = (
            ctx.actor.read.ids(),
            crate::audit::rank(ctx.actor.clearance),
            CaseFilter {
                page: None,
                ..f.clone()
            },
        );
        let kept = self
            .caches
            .case_totals
            .lock()
            .ok()
            .and_then(|mut g| g.latest(&key));
        if let Some(k) = kept
            && k.rev == rev
        {
            return Ok(k.total);
        }
        let total = self
            .capped_count(q.clone(), protection_case::Column::Id)
            .await?;
        if let Ok(mut g) = self.caches.case_totals.lock() {
            g.put(key, KeptTotal { rev, total });
        }
        Ok(total)
    }

    /// Every case of the list as filtered, in its order, up to what lists
    /// count: the list's export. Nothing personal.
    pub async fn case_export_rows(
        &self,
        ctx: &Ctx,
        f: &CaseFilter,
    ) -> Result<Vec<CaseRow>, StoreError> {
        crate::all_pages(PER_PAGE, |n| {
            let f = CaseFilter {
                page: Some(n),
                ..f.clone()
            };
            async move { self.case_list(ctx, &f).await }
        })
        .await
    }

    /// The cases a search text finds by a person's full name or document
    /// number, as a condition that also keeps only those whose team the
    /// reader is on: to anyone else the text finds nothing.
    async fn case_found(
        &self,
        ctx: &Ctx,
        q: Option<&str>,
    ) -> Result<Option<sea_orm::Condition>, StoreError> {
        let Some(q) = q.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let q: String = q.chars().take(200).collect();
        let ids = self.case_lookup_ids(&q).await?;
        if ids.is_empty() {
            return Ok(None);
        }
        let consular = self.consular_id().await?;
        Ok(Some(
            sea_orm::Condition::all()
                .add(protection_case::Column::Id.is_in(ids))
                .add(Self::case_team_condition(ctx, consular)),
        ))
    }

    async fn case_rows(
        &self,
        rows: Vec<protection_case::Model>,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let dir = self.directory().await?;
        let countries: HashMap<String, String> = if rows.is_empty() {
            HashMap::new()
        } else {
            country::Entity::find()
                .filter(country::Column::Alpha2.is_in(rows.iter().map(|r| r.country_code.clone())))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| (c.alpha2, c.name_vi))
                .collect()
        };
        let officers: HashMap<Uuid, String> = {
            let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.officer_id).collect();
            if ids.is_empty() {
                HashMap::new()
            } else {
                user::Entity::find()
                    .filter(user::Column::Id.is_in(ids))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|u| (u.id, u.display_name))
                    .collect()
            }
        };
        let now = crate::now();
        Ok(rows
            .into_iter()
            .map(|c| CaseRow {
                agency_name: dir
                    .by_id
                    .get(&c.agency_id)
                    .and_then(|i| dir.rows.get(*i))
                    .map(|a: &agency::Model| a.name_vi.clone())
                    .unwrap_or_default(),
                country_name: countries
                    .get(&c.country_code)
                    .cloned()
                    .unwrap_or_else(|| c.country_code.clone()),
                officer_name: c.officer_id.and_then(|o| officers.get(&o).cloned()),
                clock: if c.is_open {
                    clock(c.first_contact_due, c.first_contact_at, now)
                } else {
                    Clock::Met
                },
                case: c,
            })
            .collect())
    }

    /// One case as the reader may see it, its people masked.
    pub async fn case_get(&self, ctx: &Ctx, id: Uuid) -> Result<CaseView, StoreError> {
        let c = Self::visible_case(&self.db, ctx, id).await?;
        self.case_view(ctx, c, false).await
    }

    /// One case with its people's personal data in clear, for a member of its
    /// team (403 for anyone else who may see it); the opening is recorded on
    /// the case and in the audit chain before anything is shown.
    pub async fn case_open_personal(&self, ctx: &Ctx, id: Uuid) -> Result<CaseView, StoreError> {
        self.sealer()?;
        let tx = self.begin_write().await?;
        let c = Self::visible_case(&tx, ctx, id).await?;
        if !self.case_team_of(&tx, ctx, &c).await? {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ nhóm xử lý hồ sơ được xem thông tin cá nhân.",
                "Only the case's team may see its personal data.",
            )));
        }
        let at = crate::now();
        protection_opening::Entity::insert(protection_opening::ActiveModel {
            id: sea_orm::Set(Uuid::now_v7()),
            case_id: sea_orm::Set(c.id),
            user_id: sea_orm::Set(ctx.actor.user_id),
            user_name: sea_orm::Set(ctx.actor.username.clone()),
            at: sea_orm::Set(at),
        })
        .exec_without_returning(&tx)
        .await?;
        crate::audit::append(
            &tx,
            &ctx.into(),
            crate::audit::Change {
                owner_agency_id: Some(c.agency_id),
                classification: crate::audit::from_rank(c.classification),
                after: Some(serde_json::json!({"number": c.number})),
                ..crate::audit::Change::new(ENTITY, c.id, "open_personal")
            },
        )
        .await?;
        tx.commit().await?;
        self.case_view(ctx, c, true).await
    }

    async fn case_view(
        &self,
        ctx: &Ctx,
        c: protection_case::Model,
        opened: bool,
    ) -> Result<CaseView, StoreError> {
        let members = Self::team_members(&self.db, c.id).await?;
        let team = self.on_team_with(ctx, &c, &members).await?;
        let can_work = self.may_work(ctx, &c, team);
        let dir = self.directory().await?;
        let intake_agency_name = dir
            .by_id
            .get(&c.intake_agency_id)
            .and_then(|i| dir.rows.get(*i))
            .map(|a| a.name_vi.clone())
            .unwrap_or_default();
        let authority = match c.authority_partner_id {
            Some(p) => partner::Entity::find_by_id(p)
                .filter(partner::Column::DeletedAt.is_null())
                .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
                .one(&self.db)
                .await?
                .map(|p| (p.id, p.name_vi)),
            None => None,
        };
        let officer_username = match c.officer_id {
            Some(o) => user::Entity::find_by_id(o)
                .one(&self.db)
                .await?
                .map(|u| u.username),
            None => None,
        };
        let team_rows = if members.is_empty() {
            Vec::new()
        } else {
            user::Entity::find()
                .filter(user::Column::Id.is_in(members))
                .order_by_asc(user::Column::Username)
                .all(&self.db)
                .await?
                .into_iter()
                .map(|u| (u.id, u.username, u.display_name))
                .collect()
        };
        let people_rows = protection_person::Entity::find()
            .filter(protection_person::Column::CaseId.eq(c.id))
            .filter(protection_person::Column::DeletedAt.is_null())
            .order_by_asc(protection_person::Column::Position)
            .all(&self.db)
            .await?;
        let mut people = Vec::with_capacity(people_rows.len());
        for p in people_rows {
            let data = self.unseal_person(&p)?;
            people.push(PersonView {
                id: p.id,
                role: p.role,
                masked: data.masked(),
                data: opened.then_some(data),
            });
        }
        let actions = protection_action::Entity::find()
            .filter(protection_action::Column::CaseId.eq(c.id))
            .order_by_desc(protection_action::Column::At)
            .order_by_desc(protection_action::Column::CreatedAt)
            .limit(500)
            .all(&self.db)
            .await?;
        let openings = protection_opening::Entity::find()
            .filter(protection_opening::Column::CaseId.eq(c.id))
            .order_by_desc(protection_opening::Column::At)
            .limit(200)
            .all(&self.db)
            .await?;
        let moves = if can_work {
            Status::parse(&c.status)
                .map(Move::offered)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let (fund, ledger) = self.case_fund(c.id).await?;
        let row = self
            .case_rows(vec![c])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(CaseView {
            fund,
            ledger,
            row,
            intake_agency_name,
            authority,
            officer_username,
            team: team_rows,
            people,
            actions,
            openings,
            on_team: team,
            opened,
            can_work,
            moves,
        })
    }

    fn unseal_person(&self, p: &protection_person::Model) -> Result<PersonData, StoreError> {
        let plain = self
            .sealer()?
            .open(p.id, &p.sealed)
            .map_err(|e| StoreError::Internal(format!("a person's sealed data: {e:?}")))?;
        serde_json::from_slice(&plain)
            .map_err(|e| StoreError::Internal(format!("a person's sealed data: {e}")))
    }

    /// The role of a person as written, in the reader's words.
    pub fn person_role_label(role: &str) -> Msg {
        PersonRole::parse(role)
            .map(PersonRole::label)
            .unwrap_or_else(|| Msg::new(role, role))
    }

    /// Seal every person's data again under `new` and make it this
    /// database's only key, in one transaction (`kieng rekey`).
    pub async fn reseal(&self, new: &Sealer) -> Result<u64, StoreError> {
        use crate::entity::sealing_key;
        let old = self.sealer()?;
        let tx = self.begin_write().await?;
        let mut after: Option<Uuid> = None;
        let mut n = 0u64;
        loop {
            let mut q = protection_person::Entity::find()
                .order_by_asc(protection_person::Column::Id)
                .limit(500);
            if let Some(a) = after {
                q = q.filter(protection_person::Column::Id.gt(a));
            }
            let rows = q.all(&tx).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            for r in rows {
                let plain = old
                    .open(r.id, &r.sealed)
                    .map_err(|e| StoreError::Internal(format!("person {}: {e:?}", r.id)))?;
                let data: PersonData = serde_json::from_slice(&plain)
                    .map_err(|e| StoreError::Internal(format!("person {}: {e}", r.id)))?;
                crate::entity::protection_lookup::Entity::delete_many()
                    .filter(crate::entity::protection_lookup::Column::PersonId.eq(r.id))
                    .exec(&tx)
                    .await?;
                lookup::index_person(&tx, new, r.case_id, r.id, &data).await?;
                protection_person::Entity::update_many()
                    .col_expr(
                        protection_person::Column::Sealed,
                        sea_orm::sea_query::Expr::val(new.seal(r.id, &plain)),
                    )
                    .filter(protection_person::Column::Id.eq(r.id))
                    .exec(&tx)
                    .await?;
                n += 1;
            }
            after = Some(last);
        }
        let entries = self.crisis_reseal(&tx, old, new).await?;
        sealing_key::Entity::delete_many().exec(&tx).await?;
        sealing_key::Entity::insert(sealing_key::ActiveModel {
            key_id: sea_orm::Set(new.id().to_string()),
            check_value: sea_orm::Set(new.check_value().to_string()),
            created_at: sea_orm::Set(crate::now()),
        })
        .exec_without_returning(&tx)
        .await?;
        crate::audit::append(
            &tx,
            &crate::audit::Origin::default(),
            crate::audit::Change {
                after: Some(serde_json::json!({"key": new.id(), "people": n, "registry": entries})),
                ..crate::audit::Change::new("sealing_key", Uuid::nil(), "rekey")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Retention: remove the people of cases closed longer ago than the
    /// retention period and not under a legal hold, a batch at a time, each
    /// case audited (`purge_personal`, with how many people went); the case,
    /// its timeline and every count stay. Run by every server's ticker; a
    /// case is purged once however many run it.
    pub async fn protection_purge(&self) -> Result<u64, StoreError> {
        use kieng_domain::protection::retention_cutoff;
        let now = crate::now();
        let cutoff = retention_cutoff(now, self.config.protection.retention_years);
        let due = protection_case::Entity::find()
            .filter(protection_case::Column::ClosedAt.lt(cutoff))
            .filter(protection_case::Column::LegalHold.eq(false))
            .filter(protection_case::Column::PersonalPurgedAt.is_null())
            .order_by_asc(protection_case::Column::ClosedAt)
            .limit(500)
            .all(&self.db)
            .await?;
        let mut n = 0u64;
        for c in due {
            let tx = self.begin_write().await?;
            // Taken again inside the transaction: another server may have
            // purged it, or someone put it on hold, meanwhile.
            let Some(c) = protection_case::Entity::find_by_id(c.id)
                .filter(protection_case::Column::PersonalPurgedAt.is_null())
                .filter(protection_case::Column::LegalHold.eq(false))
                .one(&tx)
                .await?
            else {
                continue;
            };
            crate::entity::protection_lookup::Entity::delete_many()
                .filter(crate::entity::protection_lookup::Column::CaseId.eq(c.id))
                .exec(&tx)
                .await?;
            let gone = protection_person::Entity::delete_many()
                .filter(protection_person::Column::CaseId.eq(c.id))
                .exec(&tx)
                .await?
                .rows_affected;
            protection_case::Entity::update_many()
                .col_expr(
                    protection_case::Column::PersonalPurgedAt,
                    sea_orm::sea_query::Expr::val(now),
                )
                .filter(protection_case::Column::Id.eq(c.id))
                .exec(&tx)
                .await?;
            crate::audit::append(
                &tx,
                &crate::audit::Origin::default(),
                crate::audit::Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: crate::audit::from_rank(c.classification),
                    after: Some(serde_json::json!({"people": gone, "closed_at": c.closed_at})),
                    ..crate::audit::Change::new(ENTITY, c.id, "purge_personal")
                },
            )
            .await?;
            crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
            tx.commit().await?;
            n += 1;
        }
        n += self.crisis_purge(cutoff).await?;
        Ok(n)
    }

    /// The partner record of a country (ISO alpha-2), if the registry has one.
    pub(crate) async fn country_partner(&self, code: &str) -> Result<Option<Uuid>, StoreError> {
        Ok(partner::Entity::find()
            .select_only()
            .column(partner::Column::Id)
            .filter(partner::Column::Kind.eq("country"))
            .filter(partner::Column::CountryCode.eq(code.to_uppercase()))
            .filter(partner::Column::DeletedAt.is_null())
            .into_tuple()
            .one(&self.db)
            .await?)
    }

    /// The talking points of open cases in a country whose team has
    /// written one, for the reader's briefing on that country: the case
    /// number and the line (never personal data: the team writes it for a
    /// meeting).
    pub async fn case_talking_points(
        &self,
        ctx: &Ctx,
        country: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        Ok(protection_case::Entity::find()
            .select_only()
            .column(protection_case::Column::Number)
            .column(protection_case::Column::TalkingPoint)
            .filter(Self::case_visible(ctx))
            .filter(protection_case::Column::IsOpen.eq(true))
            .filter(protection_case::Column::CountryCode.eq(country.to_uppercase()))
            .filter(protection_case::Column::TalkingPoint.is_not_null())
            .order_by_asc(protection_case::Column::OpenedAt)
            .limit(20)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Open cases in a country the reader may see, by category (counts
    /// only): a country's dossier. Each count is the list's total for
    /// `status=open&country=…&category=…`.
    pub async fn open_cases_by_category(
        &self,
        ctx: &Ctx,
        country: &str,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = protection_case::Entity::find()
            .select_only()
            .column(protection_case::Column::Category)
            .column_as(protection_case::Column::Id.count(), "n")
            .filter(Self::case_visible(ctx))
            .filter(protection_case::Column::IsOpen.eq(true))
            .filter(protection_case::Column::CountryCode.eq(country.to_uppercase()))
            .group_by(protection_case::Column::Category)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out: Vec<(String, u64)> = rows
            .into_iter()
            .map(|(c, n)| (c, u64::try_from(n).unwrap_or(0)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }
}
