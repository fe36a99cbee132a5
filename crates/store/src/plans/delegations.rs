//! The delegation plan against what happened: planned delegations, the
//! activities suggested for each (same direction, lead agency and partner,
//! within a month of the planned one), the match an officer confirms, and the
//! delegations carried out outside the plan. Everything is read through the
//! plan's visibility and the activities' own: a reader never learns of an
//! activity, or a match, they may not see.

use crate::agencies::AgencyRef;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{activity, activity_partner, plan, plan_delegation as pd};
use crate::{Ctx, Store, StoreError, now};
use chrono::{Datelike, Months, NaiveDate};
use kieng_domain::plan::delegation::{
    DelegationForm, DelegationInput, Direction, Outcome, fit, outcome,
};
use kieng_domain::plan::{Kind, Status};
use kieng_domain::{FieldErrors, Msg};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub const DELEGATION_ENTITY: &str = "plan_delegation";

/// The most planned delegations one plan holds.
pub const MAX_DELEGATIONS: u64 = 2_000;
/// The most activities the comparison reads (a ministry's year of delegations).
const MAX_POOL: u64 = 5_000;
/// Suggestions shown for one planned delegation.
const SUGGESTIONS: usize = 3;

/// An activity as the comparison shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityLink {
    pub id: Uuid,
    pub title: String,
    pub type_code: String,
    pub starts_on: NaiveDate,
    pub status: String,
    pub head_level: Option<String>,
    /// Its partners the reader may see, by Vietnamese name.
    pub partners: Vec<String>,
    /// How well it fits the planned delegation (suggestions only).
    pub fit: u8,
}

/// One planned delegation with what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct DelegationRow {
    #[serde(flatten)]
    pub d: pd::Model,
    pub partner: String,
    pub lead: Option<AgencyRef>,
    pub outcome: Outcome,
    /// The matched activity, when the reader may see it.
    pub activity: Option<ActivityLink>,
    pub suggestions: Vec<ActivityLink>,
}

/// Planned vs actual, counted over what the reader sees.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DelegationCounts {
    pub planned: usize,
    pub held: usize,
    pub pending: usize,
    pub not_held: usize,
    pub dropped: usize,
    pub outside: usize,
}

/// A delegation plan's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct DelegationBoard {
    pub rows: Vec<DelegationRow>,
    /// Delegations of the plan's agencies in its period that no planned
    /// delegation accounts for.
    pub outside: Vec<ActivityLink>,
    pub counts: DelegationCounts,
    pub can_edit: bool,
}

/// What an officer decides about a planned delegation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecideForm {
    /// match | unmatch | drop | restore | delete
    #[serde(default)]
    pub action: String,
    pub activity: Option<String>,
    pub reason: Option<String>,
    #[serde(default)]
    pub version: i32,
}

fn not_a_delegation_plan() -> StoreError {
    FieldErrors::single(
        "direction",
        Msg::new(
            "Chỉ kế hoạch đoàn ra, đoàn vào có danh sách đoàn dự kiến.",
            "Only a yearly delegation plan lists planned delegations.",
        ),
    )
    .into()
}

fn snapshot(m: &pd::Model) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or(serde_json::Value::Null)
}

/// Planned vs actual over a period, for the review report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlannedCounts {
    pub planned: i64,
    pub held: i64,
    pub pending: i64,
    pub not_held: i64,
    pub dropped: i64,
    /// Delegations carried out in the period that no planned delegation accounts for.
    pub outside: i64,
    /// The highest classification counted.
    pub holds: i16,
}

impl Store {
    /// The planned delegations whose month falls in `[from, to]`, as the
    /// reader sees them, with what became of each; and how many of
    /// `activities` (the period's delegations the report counts) no planned
    /// delegation the reader sees accounts for.
    pub(crate) async fn planned_counts(
        &self,
        ctx: &Ctx,
        (from, to): (NaiveDate, NaiveDate),
        activities: sea_orm::Condition,
    ) -> Result<PlannedCounts, StoreError> {
        let first = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
        let rows: Vec<(NaiveDate, Option<Uuid>, bool, i16)> = pd::Entity::find()
            .select_only()
            .column(pd::Column::Month)
            .column(pd::Column::ActivityId)
            .column(pd::Column::Dropped)
            .column(pd::Column::Classification)
            .filter(Self::delegation_visible(ctx))
            .filter(pd::Column::Month.gte(first))
            .filter(pd::Column::Month.lte(to))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut c = PlannedCounts::default();
        let today = crate::today();
        for (month, activity, dropped, class) in rows {
            c.planned += 1;
            c.holds = Ord::max(c.holds, class);
            match outcome(month, activity.is_some(), dropped, today) {
                Outcome::Held => c.held += 1,
                Outcome::Pending => c.pending += 1,
                Outcome::NotHeld => c.not_held += 1,
                Outcome::Dropped => c.dropped += 1,
            }
        }
        let matched = sea_orm::sea_query::Query::select()
            .column(pd::Column::ActivityId)
            .from(pd::Entity)
            .and_where(pd::Column::ActivityId.is_not_null())
            .cond_where(Self::delegation_visible(ctx))
            .to_owned();
        let types = [Direction::Outgoing.as_str(), Direction::Incoming.as_str()];
        let (n, top): (i64, Option<i16>) = activity::Entity::find()
            .select_only()
            .expr(Expr::col((activity::Entity, activity::Column::Id)).count())
            .expr(Expr::col((activity::Entity, activity::Column::Classification)).max())
            .filter(activities)
            .filter(activity::Column::TypeCode.is_in(types))
            .filter(activity::Column::Id.not_in_subquery(matched))
            .into_tuple()
            .one(&self.db)
            .await?
            .unwrap_or((0, None));
        c.outside = n;
        c.holds = Ord::max(c.holds, top.unwrap_or(0));
        Ok(c)
    }

    /// Visible delegation activities led by `leads` starting in `[from, to]`
    /// (Vietnam's days), or with these ids, with their partners the reader
    /// may see.
    async fn delegation_activities(
        &self,
        ctx: &Ctx,
        leads: Vec<Uuid>,
        (from, to): (NaiveDate, NaiveDate),
        ids: Vec<Uuid>,
    ) -> Result<(Vec<activity::Model>, HashMap<Uuid, Vec<Uuid>>), StoreError> {
        let types = [Direction::Outgoing.as_str(), Direction::Incoming.as_str()];
        let backend = self.db.get_database_backend();
        let mut rows = activity::Entity::find()
            .filter(Self::visible(ctx, backend))
            .filter(activity::Column::TypeCode.is_in(types))
            .filter(activity::Column::LeadAgencyId.is_in(leads))
            .filter(activity::Column::StartsAt.gte(crate::activities::vn_midnight(from)))
            .filter(activity::Column::StartsAt.lt(crate::activities::day_after(to)))
            .order_by_asc(activity::Column::StartsAt)
            .limit(MAX_POOL)
            .all(&self.db)
            .await?;
        let have: HashSet<Uuid> = rows.iter().map(|a| a.id).collect();
        let missing: Vec<Uuid> = ids.into_iter().filter(|i| !have.contains(i)).collect();
        if !missing.is_empty() {
            rows.extend(
                activity::Entity::find()
                    .filter(Self::visible(ctx, backend))
                    .filter(activity::Column::Id.is_in(missing))
                    .all(&self.db)
                    .await?,
            );
        }
        let mut partners: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
        for chunk in ids.chunks(500) {
            for (a, p) in activity_partner::Entity::find()
                .select_only()
                .column(activity_partner::Column::ActivityId)
                .column(activity_partner::Column::PartnerId)
                .filter(activity_partner::Column::ActivityId.is_in(chunk.to_vec()))
                .filter(activity_partner::Column::Classification.lte(rank(ctx.actor.clearance)))
                .into_tuple::<(Uuid, Uuid)>()
                .all(&self.db)
                .await?
            {
                partners.entry(a).or_default().push(p);
            }
        }
        Ok((rows, partners))
    }

    /// The delegation plan `plan_id` against what happened, as the reader sees it.
    pub async fn delegation_board(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
    ) -> Result<DelegationBoard, StoreError> {
        let p = Self::visible_plan(&self.db, ctx, plan_id).await?;
        let can_edit = self.may_edit_plan(ctx, &p) && p.status != Status::Closed.as_str();
        let planned = pd::Entity::find()
            .filter(pd::Column::PlanId.eq(plan_id))
            .filter(Self::delegation_visible(ctx))
            .order_by_asc(pd::Column::Month)
            .order_by_asc(pd::Column::CreatedAt)
            .limit(MAX_DELEGATIONS)
            .all(&self.db)
            .await?;
        let mut leads: Vec<Uuid> = planned.iter().map(|d| d.lead_agency_id).collect();
        leads.push(p.owner_agency_id);
        leads.sort();
        leads.dedup();
        let span = (
            p.period_from
                .checked_sub_months(Months::new(1))
                .unwrap_or(p.period_from),
            p.period_to
                .checked_add_months(Months::new(1))
                .unwrap_or(p.period_to),
        );
        let matched_ids: Vec<Uuid> = planned.iter().filter_map(|d| d.activity_id).collect();
        let (pool, links) = self
            .delegation_activities(ctx, leads, span, matched_ids)
            .await?;
        let mut partner_ids: Vec<Uuid> = planned.iter().map(|d| d.partner_id).collect();
        partner_ids.extend(links.values().flatten().copied());
        let names = self.partner_names(ctx, partner_ids).await?;
        let link = |a: &activity::Model, fit: u8| ActivityLink {
            id: a.id,
            title: a.title.clone(),
            type_code: a.type_code.clone(),
            starts_on: crate::activities::vn_date(a.starts_at),
            status: a.status.clone(),
            head_level: a.head_level.clone(),
            partners: links
                .get(&a.id)
                .into_iter()
                .flatten()
                .filter_map(|p| names.get(p).cloned())
                .collect(),
            fit,
        };
        let by_id: HashMap<Uuid, &activity::Model> = pool.iter().map(|a| (a.id, a)).collect();
        // Only matches the reader sees account for an activity.
        let taken: HashSet<Uuid> = planned.iter().filter_map(|d| d.activity_id).collect();
        let today = crate::today();
        let dir = self.directory().await?;
        let mut counts = DelegationCounts::default();
        let mut rows = Vec::with_capacity(planned.len());
        for d in planned {
            let out = outcome(d.month, d.activity_id.is_some(), d.dropped, today);
            match out {
                Outcome::Held => counts.held += 1,
                Outcome::Pending => counts.pending += 1,
                Outcome::NotHeld => counts.not_held += 1,
                Outcome::Dropped => counts.dropped += 1,
            }
            let activity = d
                .activity_id
                .and_then(|a| by_id.get(&a))
                .map(|a| link(a, 0));
            let suggestions = if matches!(out, Outcome::Pending | Outcome::NotHeld) {
                let mut s: Vec<ActivityLink> = pool
                    .iter()
                    .filter(|a| {
                        a.type_code == d.direction
                            && a.lead_agency_id == d.lead_agency_id
                            && a.status != kieng_domain::activity::Status::Cancelled.as_str()
                            && !taken.contains(&a.id)
                            && links.get(&a.id).is_some_and(|l| l.contains(&d.partner_id))
                    })
                    .filter_map(|a| {
                        fit(
                            d.month,
                            d.head_level.as_deref(),
                            crate::activities::vn_date(a.starts_at),
                            a.head_level.as_deref(),
                        )
                        .map(|f| link(a, f))
                    })
                    .collect();
                s.sort_by(|x, y| y.fit.cmp(&x.fit).then(x.starts_on.cmp(&y.starts_on)));
                s.truncate(SUGGESTIONS);
                s
            } else {
                Vec::new()
            };
            rows.push(DelegationRow {
                partner: names.get(&d.partner_id).cloned().unwrap_or_default(),
                lead: crate::agency_ref(&dir, d.lead_agency_id),
                outcome: out,
                activity,
                suggestions,
                d,
            });
        }
        counts.planned = rows.len();
        let outside: Vec<ActivityLink> = pool
            .iter()
            .filter(|a| {
                let day = crate::activities::vn_date(a.starts_at);
                day >= p.period_from
                    && day <= p.period_to
                    && !taken.contains(&a.id)
                    && a.status != kieng_domain::activity::Status::Cancelled.as_str()
                    && a.status != kieng_domain::activity::Status::Draft.as_str()
            })
            .map(|a| link(a, 0))
            .collect();
        counts.outside = outside.len();
        Ok(DelegationBoard {
            rows,
            outside,
            counts,
            can_edit,
        })
    }

    /// The plan of a planned delegation the reader may see.
    pub async fn delegation_plan_of(&self, ctx: &Ctx, id: Uuid) -> Result<Uuid, StoreError> {
        pd::Entity::find_by_id(id)
            .select_only()
            .column(pd::Column::PlanId)
            .filter(Self::delegation_visible(ctx))
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The plan, if the reader may add to or decide on its delegations.
    async fn delegation_plan(&self, ctx: &Ctx, plan_id: Uuid) -> Result<plan::Model, StoreError> {
        let p = Self::visible_plan(&self.db, ctx, plan_id).await?;
        if !self.may_edit_plan(ctx, &p) {
            return Err(StoreError::forbidden());
        }
        if p.kind != Kind::DelegationPlan.as_str() {
            return Err(not_a_delegation_plan());
        }
        if p.status == Status::Closed.as_str() {
            return Err(FieldErrors::single(
                "direction",
                Msg::new(
                    "Kế hoạch đã kết thúc: mở lại kế hoạch trước khi sửa.",
                    "The plan is closed: reopen it before changing it.",
                ),
            )
            .into());
        }
        Ok(p)
    }

    /// Add a planned delegation to a delegation plan.
    pub async fn delegation_add(
        &self,
        ctx: &Ctx,
        plan_id: Uuid,
        form: &DelegationForm,
    ) -> Result<pd::Model, StoreError> {
        let p = self.delegation_plan(ctx, plan_id).await?;
        let input = DelegationInput::parse(form)?;
        let mut e = FieldErrors::new();
        let partners = self.partners_named(ctx, &input.partner).await?;
        let partner = match partners.as_slice() {
            [one] => Some(one.clone()),
            [] => {
                e.add(
                    "partner",
                    Msg::new("Không có đối tác này.", "No such partner."),
                );
                None
            }
            many => {
                e.add(
                    "partner",
                    Msg::new(
                        format!(
                            "Tên này trùng nhiều đối tác: {}.",
                            many.iter()
                                .map(|p| p.name_vi.as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        ),
                        "This name fits several partners: choose one.",
                    ),
                );
                None
            }
        };
        let dir = self.directory().await?;
        let lead = match input.lead_agency.as_deref() {
            None => Some(p.owner_agency_id),
            Some(code) => crate::agency_named(&dir, ctx, code).map(|a| a.id),
        };
        if lead.is_none() {
            e.add(
                "lead_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            );
        }
        let first = NaiveDate::from_ymd_opt(p.period_from.year(), p.period_from.month(), 1);
        if first.is_some_and(|f| input.month < f) || input.month > p.period_to {
            e.add(
                "month",
                Msg::new(
                    "Tháng dự kiến phải trong kỳ của kế hoạch.",
                    "The planned month must fall within the plan's period.",
                ),
            );
        }
        let (Some(partner), Some(lead)) = (partner, lead) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let tx = self.begin_write().await?;
        let count = pd::Entity::find()
            .select_only()
            .column(pd::Column::Id)
            .filter(pd::Column::PlanId.eq(plan_id))
            .limit(MAX_DELEGATIONS + 1)
            .into_tuple::<Uuid>()
            .all(&tx)
            .await?
            .len() as u64;
        if count >= MAX_DELEGATIONS {
            return Err(FieldErrors::single(
                "partner",
                Msg::new(
                    format!("Một kế hoạch có nhiều nhất {MAX_DELEGATIONS} đoàn."),
                    format!("A plan lists at most {MAX_DELEGATIONS} delegations."),
                ),
            )
            .into());
        }
        let t = now();
        let m = pd::Model {
            id: Uuid::now_v7(),
            plan_id,
            direction: input.direction.as_str().into(),
            partner_id: partner.id,
            head_level: input.head_level.map(|h| h.as_str().to_string()),
            month: input.month,
            lead_agency_id: lead,
            purpose: input.purpose,
            activity_id: None,
            matched_by: None,
            matched_at: None,
            dropped: false,
            drop_reason: None,
            // Never below its plan's, nor its partner's.
            classification: Ord::max(p.classification, partner.classification),
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        pd::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(m.classification),
                after: Some(snapshot(&m)),
                ..Change::new(DELEGATION_ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Confirm the activity that carried a planned delegation out, undo that,
    /// record that it will not go ahead (with the reason), take that back, or
    /// delete it. `version` is the one the officer read.
    pub async fn delegation_decide(
        &self,
        ctx: &Ctx,
        id: Uuid,
        form: &DecideForm,
    ) -> Result<pd::Model, StoreError> {
        let tx = self.begin_write().await?;
        let before = pd::Entity::find_by_id(id)
            .filter(Self::delegation_visible(ctx))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let p = self.delegation_plan(ctx, before.plan_id).await?;
        if before.version != form.version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut m = before.clone();
        let t = now();
        let action: &'static str = match form.action.as_str() {
            "match" => "match",
            "unmatch" => "unmatch",
            "drop" => "drop",
            "restore" => "restore",
            "delete" => "delete",
            _ => {
                return Err(FieldErrors::single(
                    "action",
                    kieng_domain::error::msgs::invalid_choice(),
                )
                .into());
            }
        };
        match action {
            "match" => {
                let aid = form
                    .activity
                    .as_deref()
                    .and_then(|s| s.trim().parse::<Uuid>().ok())
                    .ok_or_else(|| {
                        StoreError::from(FieldErrors::single(
                            "activity",
                            Msg::new("Chọn hoạt động.", "Choose the activity."),
                        ))
                    })?;
                let a = Self::visible_activity(&self.db, ctx, aid)
                    .await
                    .map_err(|_| {
                        StoreError::from(FieldErrors::single(
                            "activity",
                            Msg::new("Không có hoạt động này.", "No such activity."),
                        ))
                    })?;
                if a.type_code != before.direction {
                    return Err(FieldErrors::single(
                        "activity",
                        Msg::new(
                            "Hoạt động không cùng loại đoàn (ra/vào) với đoàn dự kiến.",
                            "The activity is not the planned kind of delegation (outgoing or incoming).",
                        ),
                    )
                    .into());
                }
                let other = pd::Entity::find()
                    .filter(pd::Column::PlanId.eq(before.plan_id))
                    .filter(pd::Column::ActivityId.eq(aid))
                    .filter(pd::Column::DeletedAt.is_null())
                    .filter(pd::Column::Id.ne(id))
                    .one(&tx)
                    .await?;
                if other.is_some() {
                    return Err(FieldErrors::single(
                        "activity",
                        Msg::new(
                            "Hoạt động này đã ứng với một đoàn khác của kế hoạch.",
                            "This activity already accounts for another planned delegation.",
                        ),
                    )
                    .into());
                }
                m.activity_id = Some(aid);
                m.matched_by = Some(ctx.actor.user_id);
                m.matched_at = Some(t);
                m.dropped = false;
                m.drop_reason = None;
                // The match tells of the activity: as classified as it.
                m.classification = Ord::max(m.classification, a.classification);
            }
            "unmatch" => {
                m.activity_id = None;
                m.matched_by = None;
                m.matched_at = None;
            }
            "drop" => {
                let reason = form
                    .reason
                    .as_deref()
                    .map(|r| kieng_domain::text::clean(r, true))
                    .filter(|r| !r.is_empty());
                let Some(reason) = reason else {
                    return Err(FieldErrors::single(
                        "reason",
                        Msg::new(
                            "Ghi lý do không thực hiện.",
                            "Give the reason it will not go ahead.",
                        ),
                    )
                    .into());
                };
                m.activity_id = None;
                m.matched_by = None;
                m.matched_at = None;
                m.dropped = true;
                m.drop_reason = Some(reason.chars().take(1000).collect());
            }
            "restore" => {
                m.dropped = false;
                m.drop_reason = None;
            }
            _ => {
                m.deleted_at = Some(t);
                m.deleted_by = Some(ctx.actor.user_id);
            }
        }
        m.version += 1;
        m.updated_at = t;
        m.updated_by = Some(ctx.actor.user_id);
        m.clone()
            .into_active_model()
            .reset_all()
            .update(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(m.classification),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(DELEGATION_ENTITY, id, action)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}

/// A planned delegation with a partner, as the partner's dossier shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerPlanned {
    #[serde(flatten)]
    pub d: pd::Model,
    pub plan_title: String,
    pub lead: Option<AgencyRef>,
    pub outcome: Outcome,
}

impl Store {
    /// The planned delegations with a partner in the delegation plans the
    /// reader sees, the latest month first (at most `limit`), and whether
    /// there are more.
    pub async fn partner_planned(
        &self,
        ctx: &Ctx,
        partner: Uuid,
        limit: u64,
    ) -> Result<(Vec<PartnerPlanned>, bool), StoreError> {
        let mut rows = pd::Entity::find()
            .filter(pd::Column::PartnerId.eq(partner))
            .filter(Self::delegation_visible(ctx))
            .order_by_desc(pd::Column::Month)
            .order_by_asc(pd::Column::Id)
            .limit(limit + 1)
            .all(&self.db)
            .await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let plans: HashMap<Uuid, String> = plan::Entity::find()
            .select_only()
            .columns([plan::Column::Id, plan::Column::Title])
            .filter(plan::Column::Id.is_in(rows.iter().map(|d| d.plan_id).collect::<Vec<_>>()))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let dir = self.directory().await?;
        let today = crate::today();
        Ok((
            rows.into_iter()
                .map(|d| PartnerPlanned {
                    plan_title: plans.get(&d.plan_id).cloned().unwrap_or_default(),
                    lead: crate::agency_ref(&dir, d.lead_agency_id),
                    outcome: outcome(d.month, d.activity_id.is_some(), d.dropped, today),
                    d,
                })
                .collect(),
            more,
        ))
    }
}
