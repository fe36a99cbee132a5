//! Activities of every pillar: the list any user sees within scope and clearance,
//! one activity with its agencies, partners, people and workflow history. Writing
//! lives in `write`, coordination warnings in `warnings`.
//!
//! Visibility: an activity belongs to its lead agency; users whose scope covers
//! the lead agency or a participating agency see it, within their clearance.

mod by_partner;
mod calendar;
mod consultations;
mod files;
mod import;
mod inbox;
mod trash;
mod warnings;
mod write;

pub use by_partner::link;
pub(crate) use by_partner::relink_participants;
pub use by_partner::{PartnerSlice, PartnerTimeline};
pub use calendar::{CALENDAR_LIMIT, CalendarFilter, GridDay, MonthGrid};
pub use consultations::ConsultationRow;
pub use files::{AttachmentMeta, Holder};

pub use import::{ActivityImportReport, ActivityImportRow, IMPORT_KIND, RECORD_KIND};
pub use inbox::{ByMonth, Counted, HOME_CLOCK, HomeKey, Inbox, KeptHome, ScopeHome};
pub use warnings::{Ack, BoardItem, Brief, Warning};
pub use write::TransitionForm;
pub use write::participation;

use crate::agencies::AgencyRef;
use crate::audit::{Change, from_rank, rank};
use crate::entity::{
    activity, activity_agency, activity_event, activity_partner, activity_person, activity_type,
    partner,
};
use crate::kept::Stamped;
use crate::{Ctx, Page, Store, StoreError, now};
use kieng_domain::Classification;
use kieng_domain::access::AgencySet;
use kieng_domain::activity::{Authority, Status, Transition, filed_late, report_overdue};
use kieng_domain::text::fold;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub const ENTITY: &str = "activity";
pub const PER_PAGE: u64 = 50;
/// Lists count this far and no further ("more than 10,000").
pub use crate::COUNT_CAP;
/// Above this many agencies in scope, SQLite reads activities by start (see `visible`).
pub(crate) const LARGE_SCOPE: usize = 32;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
pub struct ActivityFilter {
    pub q: Option<String>,
    pub pillar: Option<String>,
    pub agency: Option<Uuid>,
    pub partner: Option<Uuid>,
    pub type_code: Option<String>,
    pub status: Option<String>,
    /// Activities starting on or after this day (dd/mm/yyyy or yyyy-mm-dd).
    #[serde(default, deserialize_with = "kieng_domain::bounds::day")]
    pub from: Option<chrono::NaiveDate>,
    /// Activities starting on or before this day.
    #[serde(default, deserialize_with = "kieng_domain::bounds::day")]
    pub to: Option<chrono::NaiveDate>,
    /// With a partner the reader may see from this country (ISO alpha-2).
    pub country: Option<String>,
    /// With a partner the reader may see from a country of this region (a
    /// continent's code, as `regions.csv` has it).
    pub region: Option<String>,
    /// Activities starting in this calendar year (Vietnam's time).
    #[serde(default, deserialize_with = "kieng_domain::bounds::year")]
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// One activity as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    #[serde(flatten)]
    pub activity: activity::Model,
    pub lead: Option<AgencyRef>,
    pub report_overdue: bool,
}

/// A move in the activity's workflow and who made it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkflowStep {
    #[serde(flatten)]
    pub event: activity_event::Model,
    /// The display name of the user who made the move.
    pub by: Option<String>,
}

/// One activity, whole.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    #[serde(flatten)]
    pub activity: activity::Model,
    pub type_vi: String,
    pub type_en: String,
    pub lead: Option<AgencyRef>,
    pub agencies: Vec<AgencyRef>,
    /// (id, Vietnamese name); partners above the reader's clearance are left out.
    pub partners: Vec<(Uuid, String)>,
    pub people: Vec<activity_person::Model>,
    /// Oldest first.
    pub events: Vec<WorkflowStep>,
    pub can_edit: bool,
    /// May the reader move it to the trash (a writer of the lead agency, and it
    /// is a draft, returned or cancelled)?
    pub can_trash: bool,
    /// The moves this reader may make now.
    pub moves: Vec<Transition>,
    pub report_overdue: bool,
    /// For a hosted conference filed too late: (days required, days given).
    pub filed_late: Option<(i64, i64)>,
    pub warnings: Vec<Warning>,
    /// Do the consultations of Decision 06/2020, Art. 5 apply to it?
    pub consults: bool,
    /// The bodies consulted, in the order they were asked.
    pub consultations: Vec<ConsultationRow>,
    /// For a conference the Prime Minister approves: the bodies Art. 5(1)(a)
    /// requires that no consultation names, as (code, Vietnamese, English).
    pub consult_missing: Vec<(&'static str, &'static str, &'static str)>,
}

impl ActivityView {
    /// How many consulted bodies are past their 15 days without answering.
    pub fn consult_overdue(&self) -> usize {
        self.consultations
            .iter()
            .filter(|c| c.overdue_days().is_some())
            .count()
    }
}

impl Store {
    /// The built-in and administrator-added activity types.
    /// Kept for `cache::TYPES_TTL`: every list and calendar page shows them.
    pub async fn activity_types(&self) -> Result<Vec<activity_type::Model>, StoreError> {
        if let Some(t) = self.caches.types_get() {
            return Ok(t.as_ref().clone());
        }
        let types = activity_type::Entity::find()
            .order_by_desc(activity_type::Column::Builtin)
            .order_by_asc(activity_type::Column::CreatedAt)
            .order_by_asc(activity_type::Column::Code)
            .all(&self.db)
            .await?;
        self.caches.types_put(std::sync::Arc::new(types.clone()));
        Ok(types)
    }

    /// Activities the reader may see, newest start first.
    pub async fn activity_list(
        &self,
        ctx: &Ctx,
        f: &ActivityFilter,
    ) -> Result<Page<ActivityRow>, StoreError> {
        let f = &ActivityFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        // The page is kept per reader scope, clearance and filter, at the scope
        // change log's position read before it (see `cache`): true as long as no
        // change since touched an agency of the scope.
        let key = (ctx.actor.read.ids(), rank(ctx.actor.clearance), f.clone());
        let rev = self.scope_position().await?;
        let kept = self.caches.list_latest(&key);
        if let Some(c) = self.still_true(kept, key.0.as_deref(), rev).await? {
            let mut items = c.items.clone();
            self.refresh_rows(items.iter_mut()).await?;
            return Ok(Page {
                items,
                total: c.total,
                page: c.page,
                per_page: PER_PAGE,
            });
        }
        let p = self.activity_list_read(ctx, f).await?;
        self.caches.list_put(
            key,
            crate::kept::CachedList::new(rev, p.items.clone(), p.total, p.page),
        );
        Ok(p)
    }

    /// Every activity the filter selects, in the list's order, up to the
    /// list's count cap (`COUNT_CAP`): what a list export holds.
    pub async fn activity_rows(
        &self,
        ctx: &Ctx,
        f: &ActivityFilter,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let f = ActivityFilter {
            partner: self.partner_filter(ctx, f.partner).await?,
            ..f.clone()
        };
        crate::all_pages(PER_PAGE, |page| {
            let f = ActivityFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.activity_list_read(ctx, &f).await }
        })
        .await
    }

    /// A kept page if it is true at scope-log position `rev`: known true there
    /// or later, or read within the hour with no change since touching an
    /// agency of the scope (then it is moved on to `rev`).
    pub(crate) async fn still_true<V: Stamped>(
        &self,
        page: Option<std::sync::Arc<V>>,
        ids: Option<&[Uuid]>,
        rev: i64,
    ) -> Result<Option<std::sync::Arc<V>>, StoreError> {
        let Some(p) = page else { return Ok(None) };
        let s = p.stamp();
        if s.rev() >= rev {
            return Ok(Some(p));
        }
        if s.young() && !self.scope_touched(ids, s.rev(), rev).await? {
            s.restamp(rev);
            return Ok(Some(p));
        }
        Ok(None)
    }

    /// Whether a change in `(from, to]` concerns an agency of this scope (`None`:
    /// every agency) — or whether there were too many to look.
    async fn scope_touched(
        &self,
        ids: Option<&[Uuid]>,
        from: i64,
        to: i64,
    ) -> Result<bool, StoreError> {
        let Some(touched) = crate::scope_changes::between(&self.db, from, to, 256).await? else {
            return Ok(true);
        };
        Ok(match ids {
            None => !touched.is_empty(),
            Some(ids) => touched.iter().any(|a| ids.contains(a)),
        })
    }

    /// Each move with the name of who made it (one read for every mover).
    async fn workflow_steps(
        &self,
        events: Vec<activity_event::Model>,
    ) -> Result<Vec<WorkflowStep>, StoreError> {
        let names = self
            .user_names(events.iter().filter_map(|e| e.actor_id).collect())
            .await?;
        Ok(events
            .into_iter()
            .map(|e| WorkflowStep {
                by: e.actor_id.and_then(|i| names.get(&i).cloned()),
                event: e,
            })
            .collect())
    }

    /// `activity_list` read from the database, never from or into the kept
    /// pages: the list's reads alone, as `kieng bench` measures them.
    pub async fn activity_list_read(
        &self,
        ctx: &Ctx,
        f: &ActivityFilter,
    ) -> Result<Page<ActivityRow>, StoreError> {
        let text = f.q.as_deref().map(fold).unwrap_or_default();
        // One partner's activities are read from the partner's side.
        let by_place = f.country.as_deref().is_some_and(|c| !c.is_empty())
            || f.region.as_deref().is_some_and(|r| !r.is_empty());
        if let Some(p) = f.partner
            && text.is_empty()
            && !by_place
            && f.agency.is_none()
            && f.type_code.as_deref().is_none_or(str::is_empty)
            && f.status.as_deref().is_none_or(str::is_empty)
        {
            let slice = PartnerSlice {
                pillar: f.pillar.clone(),
                year: f.year,
                from: f.from,
                to: f.to,
                page: f.page,
            };
            return self.partner_activities(ctx, p, &slice, None).await;
        }
        // The plain list of a scope is read agency by agency (see `latest`).
        if text.is_empty()
            && !by_place
            && f.agency.is_none()
            && f.partner.is_none()
            && f.type_code.as_deref().is_none_or(str::is_empty)
            && f.status.as_deref().is_none_or(str::is_empty)
            && let Some(ids) = ctx.actor.read.ids()
        {
            let year = f.year.and_then(|y| {
                Some((
                    vn_midnight(chrono::NaiveDate::from_ymd_opt(y, 1, 1)?),
                    vn_midnight(chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)?),
                ))
            });
            let from = [f.from.map(vn_midnight), year.map(|y| y.0)]
                .into_iter()
                .flatten()
                .max();
            let l = crate::visibility::Latest {
                pillar: f.pillar.clone().filter(|p| !p.is_empty()),
                from,
                to: [f.to.map(day_after), year.map(|y| y.1)]
                    .into_iter()
                    .flatten()
                    .min(),
                // The total is capped, so is the page: no overflow from `?page=` typed in.
                page: f
                    .page
                    .unwrap_or(1)
                    .clamp(1, COUNT_CAP.div_ceil(PER_PAGE) + 1),
            };
            return self.latest_in_scope(ctx, &ids, &l).await;
        }
        let mut q =
            activity::Entity::find().filter(Self::visible(ctx, self.db.get_database_backend()));
        if !text.is_empty() {
            q = q.filter(activity::Column::TextFold.contains(text));
        }
        if let Some(p) = f.pillar.as_deref().filter(|p| !p.is_empty()) {
            q = q.filter(activity::Column::Pillar.eq(p));
        }
        if let Some(t) = f.type_code.as_deref().filter(|p| !p.is_empty()) {
            q = q.filter(activity::Column::TypeCode.eq(t));
        }
        if let Some(s) = f.status.as_deref().filter(|p| !p.is_empty()) {
            q = q.filter(activity::Column::Status.eq(s));
        }
        if let Some(a) = f.agency {
            q = q.filter(with_agency(a));
        }
        if let Some(p) = f.partner {
            q = q.filter(with_partner(p));
        }
        if let Some(d) = f.from {
            q = q.filter(activity::Column::StartsAt.gte(vn_midnight(d)));
        }
        if let Some(d) = f.to {
            q = q.filter(activity::Column::StartsAt.lt(day_after(d)));
        }
        if let Some(c) = f.country.as_deref().filter(|c| !c.is_empty()) {
            q = q.filter(crate::visibility::with_partner_in(ctx, c, false));
        }
        if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
            q = q.filter(crate::visibility::with_partner_in(ctx, r, true));
        }
        if let Some(y) = f.year
            && let (Some(a), Some(b)) = (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1),
            )
        {
            q = q
                .filter(activity::Column::StartsAt.gte(vn_midnight(a)))
                .filter(activity::Column::StartsAt.lt(vn_midnight(b)));
        }
        let total = self.capped_count(q.clone(), activity::Column::Id).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(PER_PAGE), 1),
        );
        let rows = q
            .order_by_desc(activity::Column::StartsAt)
            .order_by_desc(activity::Column::Id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE)
            .all(&self.db)
            .await?;
        let items = self.rows_of(rows).await?;
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    /// Kept rows as of now: the lead's name (the directory may have moved on)
    /// and "report overdue" (time has).
    pub(crate) async fn refresh_rows<'a>(
        &self,
        rows: impl Iterator<Item = &'a mut ActivityRow>,
    ) -> Result<(), StoreError> {
        let dir = self.directory().await?;
        let t = now();
        let grace = self.config.report_due_days;
        for r in rows {
            let a = &r.activity;
            r.lead = lead_of(&dir, a);
            r.report_overdue =
                Status::parse(&a.status).is_some_and(|s| report_overdue(s, a.ends_at, t, grace));
        }
        Ok(())
    }

    /// List rows: each activity with its lead agency and whether its report is overdue.
    pub(crate) async fn rows_of(
        &self,
        rows: Vec<activity::Model>,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        let mut rows: Vec<ActivityRow> = rows
            .into_iter()
            .map(|activity| ActivityRow {
                activity,
                lead: None,
                report_overdue: false,
            })
            .collect();
        self.refresh_rows(rows.iter_mut()).await?;
        Ok(rows)
    }
    /// One activity with everything around it, its warnings included.
    pub async fn activity_get(&self, ctx: &Ctx, id: Uuid) -> Result<ActivityView, StoreError> {
        let a = Self::visible_activity(&self.db, ctx, id).await?;
        self.activity_view(ctx, a).await
    }

    /// An activity and its partners within the reader's clearance (id, name),
    /// for a page that refers to it (a form started from it, a linked record's
    /// title): its row and one read, none of the rest `activity_get` gathers.
    pub async fn activity_brief(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(activity::Model, Vec<(Uuid, String)>), StoreError> {
        let a = Self::visible_activity(&self.db, ctx, id).await?;
        self.audit_classified_read(ctx, &a).await?;
        let partners = self.partners_of_activity(ctx, id).await?;
        Ok((a, partners.into_iter().map(|p| (p.id, p.name_vi)).collect()))
    }

    /// A classified activity read is audited (its own entry, whatever follows).
    async fn audit_classified_read(
        &self,
        ctx: &Ctx,
        a: &activity::Model,
    ) -> Result<(), StoreError> {
        let class = from_rank(a.classification);
        if class > Classification::None {
            let ch = Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: class,
                ..Change::new(ENTITY, a.id, "read")
            };
            self.audit_alone(&ctx.into(), ch).await?;
        }
        Ok(())
    }

    /// The Vietnamese names of each activity's partners within the reader's
    /// clearance (an export's partner column), by activity.
    pub async fn partner_names_of_activities(
        &self,
        ctx: &Ctx,
        ids: Vec<Uuid>,
    ) -> Result<HashMap<Uuid, Vec<String>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let links: Vec<(Uuid, Uuid)> = activity_partner::Entity::find()
                .select_only()
                .column(activity_partner::Column::ActivityId)
                .column(activity_partner::Column::PartnerId)
                .filter(activity_partner::Column::ActivityId.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            let partners: HashMap<Uuid, String> = partner::Entity::find()
                .select_only()
                .column(partner::Column::Id)
                .column(partner::Column::NameVi)
                .filter(
                    partner::Column::Id.is_in(links.iter().map(|l| l.1).collect::<HashSet<_>>()),
                )
                .filter(partner::Column::DeletedAt.is_null())
                .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
                .into_tuple::<(Uuid, String)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            for (a, p) in links {
                if let Some(n) = partners.get(&p) {
                    out.entry(a).or_default().push(n.clone());
                }
            }
        }
        for v in out.values_mut() {
            v.sort();
        }
        Ok(out)
    }

    /// An activity's partners within the reader's clearance, by name.
    async fn partners_of_activity(
        &self,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<partner::Model>, StoreError> {
        Ok(partner::Entity::find()
            .filter(
                partner::Column::Id.in_subquery(
                    Query::select()
                        .column(activity_partner::Column::PartnerId)
                        .from(activity_partner::Entity)
                        .and_where(activity_partner::Column::ActivityId.eq(id))
                        .to_owned(),
                ),
            )
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .order_by_asc(partner::Column::NameFold)
            .all(&self.db)
            .await?)
    }

    /// Everything around an activity the reader may see: one just read through
    /// the visibility rule, or one they have just written (a save answers with
    /// the row it wrote instead of reading it back).
    pub async fn activity_view(
        &self,
        ctx: &Ctx,
        a: activity::Model,
    ) -> Result<ActivityView, StoreError> {
        let id = a.id;
        let class = from_rank(a.classification);
        self.audit_classified_read(ctx, &a).await?;
        // Everything around the row is independent: read it at once (each on its
        // own pooled connection), so the page waits for the slowest read, not
        // their sum (a save answers with this view: PostgreSQL ~6 → ~2 ms).
        let db = &self.db;
        let (dir, ty, agency_ids, partners, mut people, events, warnings, consultations) = tokio::try_join!(
            self.directory(),
            async {
                activity_type::Entity::find_by_id(a.type_code.clone())
                    .one(db)
                    .await
                    .map_err(StoreError::from)
            },
            async {
                activity_agency::Entity::find()
                    .filter(activity_agency::Column::ActivityId.eq(id))
                    .all(db)
                    .await
                    .map_err(StoreError::from)
            },
            self.partners_of_activity(ctx, id),
            async {
                activity_person::Entity::find()
                    .filter(activity_person::Column::ActivityId.eq(id))
                    .all(db)
                    .await
                    .map_err(StoreError::from)
            },
            async {
                activity_event::Entity::find()
                    .filter(activity_event::Column::ActivityId.eq(id))
                    .order_by_asc(activity_event::Column::At)
                    .all(db)
                    .await
                    .map_err(StoreError::from)
            },
            self.activity_warnings(ctx, &a),
            consultations::of_activity(db, id),
        )?;
        let agency_ref = |id: &Uuid| dir.by_id.get(id).map(|i| AgencyRef::from(&dir.rows[*i]));
        let agencies = agency_ids
            .iter()
            .filter_map(|l| agency_ref(&l.agency_id))
            .collect();
        let partners = partners.into_iter().map(|p| (p.id, p.name_vi)).collect();
        let events = self.workflow_steps(events).await?;
        people.sort_by_key(|p| (!p.head, p.name_key.clone()));
        let status = Status::parse(&a.status).unwrap_or(Status::Draft);
        let can_edit = !status.is_final() && ctx.actor.can_write(a.lead_agency_id, class);
        let can_trash = status.may_trash() && ctx.actor.can_write(a.lead_agency_id, class);
        let moves = status
            .moves()
            .into_iter()
            .filter(|t| kieng_domain::activity::may_move(&ctx.actor, *t, a.lead_agency_id, class))
            .collect();
        let filed = a.submitted_at.unwrap_or(a.created_at);
        let authority = a.authority.as_deref().and_then(Authority::parse);
        let consults = kieng_domain::consultation::applies(&a.type_code, authority);
        let consult_missing = if consults {
            kieng_domain::consultation::missing_required(
                authority,
                consultations.iter().map(|c| c.row.body.as_str()),
            )
        } else {
            Vec::new()
        };
        Ok(ActivityView {
            type_vi: ty
                .as_ref()
                .map(|t| t.name_vi.clone())
                .unwrap_or_else(|| a.type_code.clone()),
            type_en: ty
                .as_ref()
                .map(|t| t.name_en.clone())
                .unwrap_or_else(|| a.type_code.clone()),
            lead: agency_ref(&a.lead_agency_id),
            agencies,
            partners,
            people,
            events,
            can_edit,
            can_trash,
            moves,
            report_overdue: report_overdue(status, a.ends_at, now(), self.config.report_due_days),
            filed_late: filed_late(
                &a.type_code,
                authority,
                a.filed_on.unwrap_or(vn_date(filed)),
                vn_date(a.starts_at),
            ),
            warnings,
            consults,
            consultations,
            consult_missing,
            activity: a,
        })
    }

    /// May the actor write activities for anyone at all (the "new" button)?
    pub fn may_record_activities(ctx: &Ctx) -> bool {
        ctx.actor.role != kieng_domain::Role::Viewer
            && ctx.actor.write != AgencySet::Only(Default::default())
    }
}

/// The first instant of a day in Vietnam's time.
pub fn vn_midnight(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    kieng_domain::activity::to_instant(
        d.and_hms_opt(0, 0, 0).unwrap_or_default(),
        chrono_tz::Asia::Ho_Chi_Minh,
    )
    .unwrap_or_default()
}

/// The calendar day of an instant in Vietnam's time.
pub fn vn_date(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive()
}

/// The activity's lead agency as a link, from the directory snapshot.
pub(crate) fn lead_of(dir: &crate::cache::Directory, a: &activity::Model) -> Option<AgencyRef> {
    dir.by_id
        .get(&a.lead_agency_id)
        .map(|i| AgencyRef::from(&dir.rows[*i]))
}

/// Led by this agency or with it participating.
pub(crate) fn with_agency(a: Uuid) -> Condition {
    Condition::any()
        .add(activity::Column::OwnerAgencyId.eq(a))
        .add(
            activity::Column::Id.in_subquery(
                Query::select()
                    .column(activity_agency::Column::ActivityId)
                    .from(activity_agency::Entity)
                    .and_where(activity_agency::Column::AgencyId.eq(a))
                    .to_owned(),
            ),
        )
}

/// The first instant after a day ends, in Vietnam's time.
pub(crate) fn day_after(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    vn_midnight(d.succ_opt().unwrap_or(d))
}

/// With this partner among its partners.
pub(crate) fn with_partner(p: Uuid) -> Condition {
    Condition::all().add(
        activity::Column::Id.in_subquery(
            Query::select()
                .column(activity_partner::Column::ActivityId)
                .from(activity_partner::Entity)
                .and_where(activity_partner::Column::PartnerId.eq(p))
                .to_owned(),
        ),
    )
}
