//! A mechanism's meetings and what came of them: activities linked to it (a
//! summit, a ministerial meeting, a session), the documents adopted and
//! Vietnam's initiatives recorded there, and the commitments made in the
//! forum — shown on its page in time order, its sub-bodies' with it. Each is
//! seen by its own rule: a meeting is an activity (`visible`), an outcome is
//! seen through the agency that recorded it (`outcome_visible`), a commitment
//! through `commitment_visible`.

use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{
    activity, commitment, mechanism, mechanism_activity, mechanism_outcome, mechanism_role,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::multilateral::{OutcomeForm, OutcomeInput, split_meetings};
use kieng_domain::{Classification, FieldErrors, Msg, Role};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub const MEETING_ENTITY: &str = "mechanism_meeting";
pub const OUTCOME_ENTITY: &str = "mechanism_outcome";

/// The most of each kind a mechanism's page lists (newest first).
const SHOWN: u64 = 300;

/// An activity held as a meeting of a mechanism.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub id: Uuid,
    pub title: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub status: String,
    /// The mechanism (this one or a body under it) it is a meeting of.
    pub mechanism_id: Uuid,
    pub mechanism_name: String,
    /// May the reader undo the link (a writer of the activity's lead agency).
    pub can_unlink: bool,
}

/// An outcome with what its line shows.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub o: mechanism_outcome::Model,
    /// The meeting it was adopted at, if the reader may see it.
    pub activity: Option<(Uuid, String)>,
    pub agency_name: String,
    pub can_delete: bool,
}

/// A commitment made in the forum (or promised in return for a pledge).
#[derive(Debug, Clone, Serialize)]
pub struct ForumCommitment {
    pub id: Uuid,
    pub title: String,
    pub due_on: chrono::NaiveDate,
    pub status: String,
    pub is_open: bool,
}

/// What a mechanism's page shows of the work done in it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MechanismWork {
    /// Meetings to come, the soonest first.
    pub upcoming: Vec<Meeting>,
    /// Meetings held, the latest first.
    pub past: Vec<Meeting>,
    pub outcomes: Vec<OutcomeRow>,
    pub commitments: Vec<ForumCommitment>,
}

/// One line of a mechanism's chronicle.
#[derive(Debug, Clone, Serialize)]
pub struct ChronicleLine {
    pub day: chrono::NaiveDate,
    /// "meeting", "document", "initiative" or "commitment".
    pub kind: String,
    pub title: String,
    pub href: String,
}

impl MechanismWork {
    /// Meetings held, outcomes and commitments in one line of time, the
    /// latest first.
    pub fn chronicle(&self) -> Vec<ChronicleLine> {
        let mut out: Vec<ChronicleLine> = self
            .past
            .iter()
            .map(|m| ChronicleLine {
                day: m.starts_on,
                kind: "meeting".into(),
                title: m.title.clone(),
                href: format!("/activities/{}", m.id),
            })
            .chain(self.outcomes.iter().map(|o| ChronicleLine {
                day: o.o.adopted_on,
                kind: o.o.kind.clone(),
                title: o.o.title.clone(),
                href: format!("#outcome-{}", o.o.id),
            }))
            .chain(self.commitments.iter().map(|c| ChronicleLine {
                day: c.due_on,
                kind: "commitment".into(),
                title: c.title.clone(),
                href: format!("/commitments/{}", c.id),
            }))
            .collect();
        out.sort_by_key(|l| std::cmp::Reverse(l.day));
        out
    }
}

impl Store {
    /// A mechanism and every body under it, by id (the tree is a few
    /// hundred rows at most).
    async fn mechanism_subtree(&self, root: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let all: Vec<(Uuid, Option<Uuid>)> = mechanism::Entity::find()
            .select_only()
            .column(mechanism::Column::Id)
            .column(mechanism::Column::ParentId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut kids: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (id, parent) in &all {
            if let Some(p) = parent {
                kids.entry(*p).or_default().push(*id);
            }
        }
        let mut out = vec![root];
        let mut seen: HashSet<Uuid> = HashSet::from([root]);
        let mut at = 0;
        while at < out.len() {
            for k in kids.get(&out[at]).into_iter().flatten() {
                if seen.insert(*k) {
                    out.push(*k);
                }
            }
            at += 1;
        }
        Ok(out)
    }

    /// The activities linked as meetings of these mechanisms.
    fn meetings_of(mechanisms: &[Uuid]) -> sea_orm::sea_query::SelectStatement {
        Query::select()
            .column(mechanism_activity::Column::ActivityId)
            .from(mechanism_activity::Entity)
            .and_where(mechanism_activity::Column::MechanismId.is_in(mechanisms.to_vec()))
            .to_owned()
    }

    /// The meetings, outcomes and commitments of a mechanism and the bodies
    /// under it, as far as the reader may see them.
    pub async fn mechanism_work(&self, ctx: &Ctx, id: Uuid) -> Result<MechanismWork, StoreError> {
        let tree = self.mechanism_subtree(id).await?;
        let names: HashMap<Uuid, String> = mechanism::Entity::find()
            .select_only()
            .column(mechanism::Column::Id)
            .column(mechanism::Column::NameVi)
            .filter(mechanism::Column::Id.is_in(tree.clone()))
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let acts = activity::Entity::find()
            .filter(Self::visible(ctx, self.db.get_database_backend()))
            .filter(activity::Column::Id.in_subquery(Self::meetings_of(&tree)))
            .order_by_desc(activity::Column::StartsAt)
            .limit(SHOWN)
            .all(&self.db)
            .await?;
        let of: HashMap<Uuid, Uuid> = if acts.is_empty() {
            HashMap::new()
        } else {
            mechanism_activity::Entity::find()
                .filter(mechanism_activity::Column::ActivityId.is_in(acts.iter().map(|a| a.id)))
                .filter(mechanism_activity::Column::MechanismId.is_in(tree.clone()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|l| (l.activity_id, l.mechanism_id))
                .collect()
        };
        let meetings = acts
            .into_iter()
            .map(|a| {
                let m = of.get(&a.id).copied().unwrap_or(id);
                Meeting {
                    can_unlink: Self::may_link_meeting(ctx, &a),
                    id: a.id,
                    title: a.title,
                    starts_on: crate::activities::vn_date(a.starts_at),
                    ends_on: crate::activities::vn_date(a.ends_at),
                    status: a.status,
                    mechanism_id: m,
                    mechanism_name: names.get(&m).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let (upcoming, past) = split_meetings(meetings, crate::today(), |m| m.starts_on);
        let outcomes = mechanism_outcome::Entity::find()
            .filter(Self::outcome_visible(ctx))
            .filter(mechanism_outcome::Column::MechanismId.is_in(tree.clone()))
            .order_by_desc(mechanism_outcome::Column::AdoptedOn)
            .limit(SHOWN)
            .all(&self.db)
            .await?;
        let outcomes = self.outcome_rows(ctx, outcomes).await?;
        let commitments = commitment::Entity::find()
            .filter(Self::commitment_visible(ctx))
            .filter(
                Condition::any()
                    .add(commitment::Column::MechanismId.is_in(tree.clone()))
                    .add(commitment::Column::ActivityId.in_subquery(Self::meetings_of(&tree))),
            )
            .order_by_desc(commitment::Column::DueOn)
            .limit(SHOWN)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| ForumCommitment {
                id: c.id,
                title: c.title,
                due_on: c.due_on,
                status: c.status,
                is_open: c.is_open,
            })
            .collect();
        Ok(MechanismWork {
            upcoming,
            past,
            outcomes,
            commitments,
        })
    }

    async fn outcome_rows(
        &self,
        ctx: &Ctx,
        rows: Vec<mechanism_outcome::Model>,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        let dir = self.directory().await?;
        let mut out = Vec::with_capacity(rows.len());
        for o in rows {
            let activity = match o.activity_id {
                Some(a) => Self::visible_activity(&self.db, ctx, a)
                    .await
                    .ok()
                    .map(|a| (a.id, a.title)),
                None => None,
            };
            out.push(OutcomeRow {
                activity,
                agency_name: dir
                    .by_id
                    .get(&o.owner_agency_id)
                    .and_then(|i| dir.rows.get(*i))
                    .map(|a| a.name_vi.clone())
                    .unwrap_or_default(),
                can_delete: ctx.actor.role != Role::Viewer
                    && ctx
                        .actor
                        .can_write(o.owner_agency_id, from_rank(o.classification)),
                o,
            });
        }
        Ok(out)
    }

    /// May the reader link this activity to a mechanism, or undo the link:
    /// a writer of its lead agency, whatever its status (a meeting long
    /// reported is still a meeting).
    pub fn may_link_meeting(ctx: &Ctx, a: &activity::Model) -> bool {
        ctx.actor.role != Role::Viewer
            && ctx
                .actor
                .can_write(a.lead_agency_id, from_rank(a.classification))
    }

    /// The mechanisms an activity is a meeting of (its page).
    pub async fn mechanisms_of_activity(
        &self,
        ctx: &Ctx,
        activity: Uuid,
    ) -> Result<Vec<mechanism::Model>, StoreError> {
        Self::visible_activity(&self.db, ctx, activity).await?;
        Ok(mechanism::Entity::find()
            .filter(
                mechanism::Column::Id.in_subquery(
                    Query::select()
                        .column(mechanism_activity::Column::MechanismId)
                        .from(mechanism_activity::Entity)
                        .and_where(mechanism_activity::Column::ActivityId.eq(activity))
                        .to_owned(),
                ),
            )
            .order_by_asc(mechanism::Column::NameVi)
            .all(&self.db)
            .await?)
    }

    /// Record an activity as a meeting of a mechanism (once; again is no
    /// change), or undo it, audited with the activity's owner and
    /// classification.
    pub async fn meeting_link(
        &self,
        ctx: &Ctx,
        mechanism: &str,
        activity_id: Uuid,
        linked: bool,
    ) -> Result<mechanism::Model, StoreError> {
        let a = Self::visible_activity(&self.db, ctx, activity_id).await?;
        if !Self::may_link_meeting(ctx, &a) {
            return Err(StoreError::forbidden());
        }
        let m = match self.mechanism_find(mechanism).await {
            Ok(m) => m,
            Err(StoreError::NotFound) => {
                let mut e = FieldErrors::new();
                e.add(
                    "mechanism",
                    Msg::new(
                        "Không có cơ chế mang mã này.",
                        "No mechanism has this code.",
                    ),
                );
                return Err(e.into());
            }
            Err(e) => return Err(e),
        };
        let tx = self.begin_write().await?;
        let link = mechanism_activity::Model {
            mechanism_id: m.id,
            activity_id: a.id,
        };
        let changed = if linked {
            mechanism_activity::Entity::insert(link.clone().into_active_model())
                .on_conflict(
                    OnConflict::columns([
                        mechanism_activity::Column::MechanismId,
                        mechanism_activity::Column::ActivityId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&tx)
                .await?
                > 0
        } else {
            mechanism_activity::Entity::delete_many()
                .filter(mechanism_activity::Column::MechanismId.eq(m.id))
                .filter(mechanism_activity::Column::ActivityId.eq(a.id))
                .exec(&tx)
                .await?
                .rows_affected
                > 0
        };
        if changed {
            let fact = Some(
                serde_json::json!({"mechanism_id": m.id, "mechanism": m.code, "activity_id": a.id}),
            );
            let (before, after, action) = if linked {
                (None, fact, "link")
            } else {
                (fact, None, "unlink")
            };
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(a.owner_agency_id),
                    classification: from_rank(a.classification),
                    before,
                    after,
                    ..Change::new(MEETING_ENTITY, a.id, action)
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(m)
    }

    /// Record a document adopted or an initiative of Vietnam's in a
    /// mechanism, for an agency the writer writes for.
    pub async fn outcome_create(
        &self,
        ctx: &Ctx,
        mechanism_id: Uuid,
        form: &OutcomeForm,
    ) -> Result<mechanism_outcome::Model, StoreError> {
        if ctx.actor.role == Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let m = mechanism::Entity::find_by_id(mechanism_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut e = FieldErrors::new();
        let class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret = self
            .secret_basis(&mut e, class, form.secret_item.as_deref(), None)
            .await?;
        let input = match OutcomeInput::parse(form) {
            Ok(i) => Some(i),
            Err(fe) => {
                e.0.extend(fe.0);
                None
            }
        };
        let dir = self.directory().await?;
        let owner = match input.as_ref().and_then(|i| i.owner_agency.as_deref()) {
            None => Some(ctx.actor.agency_id),
            Some(code) => crate::agency_named(&dir, ctx, code).map(|a| a.id),
        };
        match owner {
            None => e.add(
                "owner_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(o) if !ctx.actor.can_write(o, class) => e.add(
                "owner_agency",
                Msg::new(
                    "Bạn không được ghi cho cơ quan này (hoặc ở độ mật này).",
                    "You may not record for this agency (or at this classification).",
                ),
            ),
            _ => {}
        }
        if let Some(a) = input.as_ref().and_then(|i| i.activity)
            && Self::visible_activity(&self.db, ctx, a).await.is_err()
        {
            e.add(
                "activity",
                Msg::new(
                    "Không tìm thấy hoạt động này (hoặc bạn không được xem).",
                    "No activity you may see has this id.",
                ),
            );
        }
        let (Some(i), Some(owner)) = (input, owner) else {
            return Err(e.into());
        };
        e.into_result(())?;
        let t = now();
        let o = mechanism_outcome::Model {
            id: Uuid::now_v7(),
            mechanism_id: m.id,
            activity_id: i.activity,
            kind: i.kind.as_str().into(),
            title: i.title,
            adopted_on: i.adopted_on,
            note: i.note,
            owner_agency_id: owner,
            classification: rank(class),
            secret_item_id: secret,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
        };
        let tx = self.begin_write().await?;
        mechanism_outcome::Entity::insert(o.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(owner),
                classification: class,
                after: Some(serde_json::to_value(&o).unwrap_or_default()),
                ..Change::new(OUTCOME_ENTITY, o.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Remove an outcome recorded in error (a writer of the agency that
    /// recorded it).
    pub async fn outcome_delete(&self, ctx: &Ctx, id: Uuid) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let before = mechanism_outcome::Entity::find_by_id(id)
            .filter(Self::outcome_visible(ctx))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let class = from_rank(before.classification);
        if ctx.actor.role == Role::Viewer || !ctx.actor.can_write(before.owner_agency_id, class) {
            return Err(StoreError::forbidden());
        }
        mechanism_outcome::Entity::update_many()
            .col_expr(mechanism_outcome::Column::DeletedAt, Expr::value(now()))
            .filter(mechanism_outcome::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(before.owner_agency_id),
                classification: class,
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                ..Change::new(OUTCOME_ENTITY, id, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The mechanism an outcome the reader sees belongs to.
    pub async fn outcome_mechanism(&self, ctx: &Ctx, id: Uuid) -> Result<Uuid, StoreError> {
        mechanism_outcome::Entity::find_by_id(id)
            .filter(Self::outcome_visible(ctx))
            .one(&self.db)
            .await?
            .map(|o| o.mechanism_id)
            .ok_or(StoreError::NotFound)
    }

    /// A role held, while not removed.
    pub async fn role_get(&self, id: Uuid) -> Result<mechanism_role::Model, StoreError> {
        mechanism_role::Entity::find_by_id(id)
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
