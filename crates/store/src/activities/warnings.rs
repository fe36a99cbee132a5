//! Coordination warnings: what another pillar or agency is doing with the same
//! partner or the same person at the same time, several incoming delegations from
//! one partner in a week, and reports overdue. Warnings never block saving; a
//! coordinator acknowledges one with a note.
//!
//! A warning names the other activity (title, dates, lead agency) whenever it is
//! within the reader's clearance, even outside their scope: seeing another
//! pillar's visit before it happens is the purpose of this module. Opening the
//! other activity still needs scope.

use crate::agencies::AgencyRef;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{activity, activity_partner, activity_person, partner, warning_ack};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::activity::{
    INCOMING, MAX_DAYS, Status, near, overlap, report_overdue, same_week,
};
use kieng_domain::{FieldErrors, Msg, Role};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Another activity, as much as a warning shows of it.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub id: Uuid,
    pub title: String,
    pub type_code: String,
    pub pillar: String,
    pub status: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub lead: Option<AgencyRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// same_partner | same_person | incoming_week | report_overdue
    pub kind: &'static str,
    /// Stable across recomputation: what an acknowledgement is filed under.
    pub key: String,
    /// The partner(s) or person the two activities share.
    pub subject: String,
    pub other: Option<Brief>,
    pub ack_note: Option<String>,
    pub ack_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a warning shows of an activity.
fn brief(dir: &crate::cache::Directory, a: &activity::Model) -> Brief {
    Brief {
        id: a.id,
        title: a.title.clone(),
        type_code: a.type_code.clone(),
        pillar: a.pillar.clone(),
        status: a.status.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        lead: super::lead_of(dir, a),
    }
}

impl Store {
    /// Other live, uncancelled activities within the reader's clearance, by id.
    async fn briefs(
        &self,
        ctx: &Ctx,
        ids: Vec<Uuid>,
    ) -> Result<HashMap<Uuid, (activity::Model, Brief)>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let dir = self.directory().await?;
        let rows = activity::Entity::find()
            .filter(activity::Column::Id.is_in(ids))
            .filter(activity::Column::DeletedAt.is_null())
            .filter(activity::Column::Status.ne(Status::Cancelled.as_str()))
            .filter(activity::Column::Classification.lte(rank(ctx.actor.clearance)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|a| {
                let b = brief(&dir, &a);
                (a.id, (a, b))
            })
            .collect())
    }

    /// Every coordination warning of one activity, with acknowledgements.
    pub(crate) async fn activity_warnings(
        &self,
        ctx: &Ctx,
        a: &activity::Model,
    ) -> Result<Vec<Warning>, StoreError> {
        let mut out: Vec<Warning> = Vec::new();
        if a.status == Status::Cancelled.as_str() {
            return Ok(out);
        }
        let days = self.config.coordination_days;
        let window = chrono::Duration::days(days.max(7));
        let longest = chrono::Duration::days(MAX_DAYS);
        let span = (a.starts_at, a.ends_at);
        // (a) and (c): the same partner.
        let mine: Vec<Uuid> = activity_partner::Entity::find()
            .filter(activity_partner::Column::ActivityId.eq(a.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.partner_id)
            .collect();
        if !mine.is_empty() {
            let links = activity_partner::Entity::find()
                .filter(activity_partner::Column::PartnerId.is_in(mine.clone()))
                .filter(activity_partner::Column::ActivityId.ne(a.id))
                .filter(activity_partner::Column::StartsAt.lte(a.ends_at + window))
                .filter(activity_partner::Column::StartsAt.gte(a.starts_at - window - longest))
                .filter(activity_partner::Column::EndsAt.gte(a.starts_at - window))
                .all(&self.db)
                .await?;
            let partner_names: HashMap<Uuid, String> = partner::Entity::find()
                .filter(partner::Column::Id.is_in(mine))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p.name_vi))
                .collect();
            let mut shared: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
            for l in &links {
                shared
                    .entry(l.activity_id)
                    .or_default()
                    .extend(partner_names.get(&l.partner_id).cloned());
            }
            let briefs = self.briefs(ctx, shared.keys().copied().collect()).await?;
            for (id, names) in shared {
                let Some((o, b)) = briefs.get(&id) else {
                    continue;
                };
                let subject = names.join(", ");
                if near(span, (o.starts_at, o.ends_at), days) {
                    out.push(Warning {
                        kind: "same_partner",
                        key: format!("same_partner:{id}"),
                        subject: subject.clone(),
                        other: Some(b.clone()),
                        ack_note: None,
                        ack_at: None,
                    });
                }
                if a.type_code == INCOMING
                    && o.type_code == INCOMING
                    && same_week(a.starts_at, o.starts_at)
                {
                    out.push(Warning {
                        kind: "incoming_week",
                        key: format!("incoming_week:{id}"),
                        subject,
                        other: Some(b.clone()),
                        ack_note: None,
                        ack_at: None,
                    });
                }
            }
        }
        // (b): the same person in two overlapping activities.
        let people = activity_person::Entity::find()
            .filter(activity_person::Column::ActivityId.eq(a.id))
            .all(&self.db)
            .await?;
        if !people.is_empty() {
            let names: HashMap<String, String> =
                people.into_iter().map(|p| (p.name_key, p.name)).collect();
            let clashes = activity_person::Entity::find()
                .filter(
                    activity_person::Column::NameKey
                        .is_in(names.keys().cloned().collect::<Vec<_>>()),
                )
                .filter(activity_person::Column::ActivityId.ne(a.id))
                .filter(activity_person::Column::StartsAt.lt(a.ends_at))
                .filter(activity_person::Column::StartsAt.gte(a.starts_at - longest))
                .filter(activity_person::Column::EndsAt.gt(a.starts_at))
                .all(&self.db)
                .await?;
            let briefs = self
                .briefs(ctx, clashes.iter().map(|c| c.activity_id).collect())
                .await?;
            for c in clashes {
                let Some((o, b)) = briefs.get(&c.activity_id) else {
                    continue;
                };
                if overlap(span, (o.starts_at, o.ends_at)) {
                    out.push(Warning {
                        kind: "same_person",
                        key: format!("same_person:{}:{}", c.activity_id, c.name_key),
                        subject: names.get(&c.name_key).cloned().unwrap_or(c.name),
                        other: Some(b.clone()),
                        ack_note: None,
                        ack_at: None,
                    });
                }
            }
        }
        // (d): ended without a report.
        if Status::parse(&a.status)
            .is_some_and(|s| report_overdue(s, a.ends_at, now(), self.config.report_due_days))
        {
            out.push(Warning {
                kind: "report_overdue",
                key: "report_overdue".into(),
                subject: String::new(),
                other: None,
                ack_note: None,
                ack_at: None,
            });
        }
        let acks: HashMap<String, warning_ack::Model> = warning_ack::Entity::find()
            .filter(warning_ack::Column::ActivityId.eq(a.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|k| (k.warning_key.clone(), k))
            .collect();
        for w in &mut out {
            if let Some(k) = acks.get(&w.key) {
                w.ack_note = Some(k.note.clone());
                w.ack_at = Some(k.at);
            }
        }
        out.sort_by_key(|w| (w.other.as_ref().map(|o| o.starts_at), w.kind));
        Ok(out)
    }

    /// Of these activities, the ones with another activity (any agency or pillar,
    /// within the reader's clearance) with the same partner within the coordination
    /// window: what the calendar marks. Two queries whatever the number of rows.
    pub async fn coordination_flags(
        &self,
        ctx: &Ctx,
        rows: &[super::ActivityRow],
    ) -> Result<std::collections::HashSet<Uuid>, StoreError> {
        let mut flagged = std::collections::HashSet::new();
        let live: Vec<&activity::Model> = rows
            .iter()
            .map(|r| &r.activity)
            .filter(|a| a.status != Status::Cancelled.as_str())
            .collect();
        let (Some(min), Some(max)) = (
            live.iter().map(|a| a.starts_at).min(),
            live.iter().map(|a| a.ends_at).max(),
        ) else {
            return Ok(flagged);
        };
        let days = self.config.coordination_days;
        let gap = chrono::Duration::days(days);
        let longest = chrono::Duration::days(MAX_DAYS);
        let spans: HashMap<Uuid, (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> =
            live.iter()
                .map(|a| (a.id, (a.starts_at, a.ends_at)))
                .collect();
        let mine = activity_partner::Entity::find()
            .filter(
                activity_partner::Column::ActivityId
                    .is_in(spans.keys().copied().collect::<Vec<_>>()),
            )
            .all(&self.db)
            .await?;
        if mine.is_empty() {
            return Ok(flagged);
        }
        let partners: Vec<Uuid> = mine.iter().map(|l| l.partner_id).collect();
        let others = activity_partner::Entity::find()
            .filter(activity_partner::Column::PartnerId.is_in(partners))
            .filter(activity_partner::Column::StartsAt.lte(max + gap))
            .filter(activity_partner::Column::StartsAt.gte(min - gap - longest))
            .filter(activity_partner::Column::EndsAt.gte(min - gap))
            .all(&self.db)
            .await?;
        let valid: std::collections::HashSet<Uuid> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .filter(
                activity::Column::Id
                    .is_in(others.iter().map(|o| o.activity_id).collect::<Vec<_>>()),
            )
            .filter(activity::Column::DeletedAt.is_null())
            .filter(activity::Column::Status.ne(Status::Cancelled.as_str()))
            .filter(activity::Column::Classification.lte(rank(ctx.actor.clearance)))
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut by_partner: HashMap<Uuid, Vec<&activity_partner::Model>> = HashMap::new();
        for o in others.iter().filter(|o| valid.contains(&o.activity_id)) {
            by_partner.entry(o.partner_id).or_default().push(o);
        }
        for m in &mine {
            let Some(span) = spans.get(&m.activity_id) else {
                continue;
            };
            let hit = by_partner.get(&m.partner_id).is_some_and(|list| {
                list.iter().any(|o| {
                    o.activity_id != m.activity_id && near(*span, (o.starts_at, o.ends_at), days)
                })
            });
            if hit {
                flagged.insert(m.activity_id);
            }
        }
        Ok(flagged)
    }

    /// A coordinator (or leader) acknowledges one warning of an activity in scope, with a note.
    pub async fn activity_ack_warning(
        &self,
        ctx: &Ctx,
        id: Uuid,
        key: &str,
        note: &str,
    ) -> Result<(), StoreError> {
        if !matches!(ctx.actor.role, Role::Coordinator | Role::Leader) {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ cán bộ điều phối hoặc lãnh đạo ghi nhận cảnh báo.",
                "Only a coordinator or a leader acknowledges warnings.",
            )));
        }
        let a = Self::visible_activity(&self.db, ctx, id).await?;
        let note = kieng_domain::text::clean(note, true);
        if note.is_empty() || note.chars().count() > 2_000 {
            return Err(FieldErrors::single(
                "note",
                Msg::new(
                    "Ghi chú ngắn (tối đa 2.000 ký tự) về cách đã phối hợp.",
                    "A short note (up to 2,000 characters) on how this was coordinated.",
                ),
            )
            .into());
        }
        if !self
            .activity_warnings(ctx, &a)
            .await?
            .iter()
            .any(|w| w.key == key)
        {
            return Err(StoreError::NotFound);
        }
        let row = warning_ack::Model {
            activity_id: id,
            warning_key: key.into(),
            note,
            at: now(),
            actor_id: Some(ctx.actor.user_id),
        };
        let tx = crate::db::begin_write(&self.db).await?;
        warning_ack::Entity::delete_by_id((id, key.to_string()))
            .exec(&tx)
            .await?;
        warning_ack::Entity::insert(row.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: from_rank(a.classification),
                after: serde_json::to_value(&row).ok(),
                ..Change::new(super::ENTITY, id, "acknowledge")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The coordinator's page: warnings of the activities in scope that are open or
    /// recently ended, soonest first (at most `limit` activities looked at).
    pub async fn coordination_board(
        &self,
        ctx: &Ctx,
        limit: u64,
    ) -> Result<Vec<(Brief, Vec<Warning>)>, StoreError> {
        use sea_orm::{QueryOrder, QuerySelect};
        let since = now() - chrono::Duration::days(90);
        let rows = activity::Entity::find()
            .filter(Self::visible(ctx, self.db.get_database_backend()))
            .filter(activity::Column::EndsAt.gte(since))
            .filter(activity::Column::Status.is_in([
                Status::Draft.as_str(),
                Status::Submitted.as_str(),
                Status::Approved.as_str(),
                Status::Returned.as_str(),
                Status::Done.as_str(),
            ]))
            .order_by_asc(activity::Column::StartsAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        let dir = self.directory().await?;
        let mut out = Vec::new();
        for a in rows {
            let w = self.activity_warnings(ctx, &a).await?;
            if w.is_empty() {
                continue;
            }
            let b = brief(&dir, &a);
            out.push((b, w));
        }
        Ok(out)
    }
}
