//! Recording multilateral work: mechanisms and roles held (administrators;
//! roles also coordinators), candidacies and their workflow (writers of the
//! agency leading the campaign), and pledges — a reciprocal one with the
//! commitment Vietnam made in return, in the same transaction. Every change
//! is permission-checked, validated, version-checked where it edits, and
//! audited.

use super::{CANDIDACY_ENTITY, MECHANISM_ENTITY, PLEDGE_ENTITY, ROLE_ENTITY};
use crate::audit::{Change, append, from_rank, rank};
use crate::commitments::{SourceRecord, follow_source};
use crate::entity::{candidacy, commitment, mechanism, mechanism_role, pledge};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::multilateral::{
    CandidacyForm, CandidacyInput, MechanismForm, MechanismInput, PledgeForm, PledgeInput,
    RoleForm, RoleInput, Status,
};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors, Msg, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

fn snapshot<T: serde::Serialize>(m: &T) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or(serde_json::Value::Null)
}

fn stale<T: serde::Serialize>(version: i32, current: &T) -> StoreError {
    StoreError::Conflict {
        current_version: version,
        current: snapshot(current),
    }
}

/// A mechanism edit: the form and the version it was read at.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MechanismEdit {
    #[serde(flatten)]
    pub form: MechanismForm,
    pub version: Option<i32>,
}

/// A status move with its note.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub status: String,
    pub note: Option<String>,
    pub version: Option<i32>,
}

impl Store {
    /// Resolve a mechanism form: its parent (no cycle) and partner.
    async fn resolve_mechanism(
        &self,
        ctx: &Ctx,
        form: &MechanismForm,
        id: Option<Uuid>,
    ) -> Result<(MechanismInput, Option<Uuid>, Option<Uuid>), StoreError> {
        let input = MechanismInput::parse(form)?;
        let mut e = FieldErrors::new();
        let parent = match &input.parent {
            None => None,
            Some(code) => match self.mechanism_find(code).await {
                Ok(p) => {
                    // Walk up from the parent: the mechanism itself must not be met.
                    let mut at = Some(p.id);
                    let mut hops = 0;
                    while let (Some(a), Some(me)) = (at, id) {
                        if a == me || hops > 32 {
                            e.add(
                                "parent",
                                Msg::new(
                                    "Cấp trên này nằm dưới chính cơ chế đang sửa.",
                                    "This parent sits under the mechanism itself.",
                                ),
                            );
                            break;
                        }
                        hops += 1;
                        at = mechanism::Entity::find_by_id(a)
                            .one(&self.db)
                            .await?
                            .and_then(|m| m.parent_id);
                    }
                    Some(p.id)
                }
                Err(_) => {
                    e.add(
                        "parent",
                        Msg::new(
                            "Không có cơ chế mang mã này.",
                            "No mechanism has this code.",
                        ),
                    );
                    None
                }
            },
        };
        let taken = mechanism::Entity::find()
            .filter(mechanism::Column::Code.eq(input.code.clone()))
            .one(&self.db)
            .await?;
        if taken.is_some_and(|t| Some(t.id) != id) {
            e.add(
                "code",
                Msg::new("Mã này đã được dùng.", "This code is already in use."),
            );
        }
        let partner = match &input.partner {
            Some(name) => self
                .partners_by_names(ctx, std::slice::from_ref(name), "partner", &mut e)
                .await?
                .first()
                .copied(),
            None => None,
        };
        e.into_result(())?;
        Ok((input, parent, partner))
    }

    /// Add a mechanism (administrators).
    pub async fn mechanism_create(
        &self,
        ctx: &Ctx,
        form: &MechanismForm,
    ) -> Result<mechanism::Model, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let (i, parent, partner) = self.resolve_mechanism(ctx, form, None).await?;
        let t = now();
        let m = mechanism::Model {
            id: Uuid::now_v7(),
            name_fold: fold(&format!("{} {} {}", i.name_vi, i.name_en, i.abbreviation)),
            code: i.code,
            parent_id: parent,
            kind: i.kind.as_str().into(),
            name_vi: i.name_vi,
            name_en: i.name_en,
            abbreviation: i.abbreviation,
            standing: i.standing.as_str().into(),
            since_on: i.since.map(|d| d.date),
            since_precision: i.since.map(|d| d.precision.as_str().into()),
            source: i.source,
            partner_id: partner,
            note: i.note,
            shipped: false,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            retired_at: None,
        };
        let tx = self.begin_write().await?;
        mechanism::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: Some(snapshot(&m)),
                ..Change::new(MECHANISM_ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Correct a mechanism (administrators), at the version read.
    pub async fn mechanism_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        edit: &MechanismEdit,
    ) -> Result<mechanism::Model, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let (i, parent, partner) = self.resolve_mechanism(ctx, &edit.form, Some(id)).await?;
        let tx = self.begin_write().await?;
        let before = mechanism::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let read = edit.version.unwrap_or(before.version);
        if read != before.version {
            return Err(stale(before.version, &before));
        }
        let mut m = before.clone();
        m.name_fold = fold(&format!("{} {} {}", i.name_vi, i.name_en, i.abbreviation));
        m.code = i.code;
        m.parent_id = parent;
        m.kind = i.kind.as_str().into();
        m.name_vi = i.name_vi;
        m.name_en = i.name_en;
        m.abbreviation = i.abbreviation;
        m.standing = i.standing.as_str().into();
        m.since_on = i.since.map(|d| d.date);
        m.since_precision = i.since.map(|d| d.precision.as_str().into());
        m.source = i.source;
        m.partner_id = partner;
        m.note = i.note;
        m.version = read + 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        let res = mechanism::Entity::update_many()
            .set(m.clone().into_active_model().reset_all())
            .filter(mechanism::Column::Id.eq(id))
            .filter(mechanism::Column::Version.eq(read))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(stale(before.version, &before));
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(MECHANISM_ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    fn may_record_roles(ctx: &Ctx) -> bool {
        ctx.actor.is_admin() || ctx.actor.role == Role::Coordinator
    }

    /// Record a role held in a mechanism (administrators and coordinators).
    pub async fn role_create(
        &self,
        ctx: &Ctx,
        mechanism: Uuid,
        form: &RoleForm,
    ) -> Result<mechanism_role::Model, StoreError> {
        if !Self::may_record_roles(ctx) {
            return Err(StoreError::forbidden());
        }
        let i = RoleInput::parse(form)?;
        let m = mechanism::Entity::find_by_id(mechanism)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        // A hosted event's organising committee and programme.
        let mut e = FieldErrors::new();
        let dir = self.directory().await?;
        let agency = match &i.agency {
            None => None,
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
        let plan = match i.plan {
            None => None,
            Some(p) => match Self::visible_plan(&self.db, ctx, p).await {
                Ok(p) => Some(p.id),
                Err(StoreError::NotFound) => {
                    e.add(
                        "plan",
                        Msg::new(
                            "Không tìm thấy kế hoạch này (hoặc bạn không được xem).",
                            "No plan you may see has this id.",
                        ),
                    );
                    None
                }
                Err(x) => return Err(x),
            },
        };
        e.into_result(())?;
        let t = now();
        let r = mechanism_role::Model {
            id: Uuid::now_v7(),
            mechanism_id: m.id,
            kind: i.kind.as_str().into(),
            title_vi: i.title_vi,
            title_en: i.title_en,
            starts_on: i.starts.date,
            starts_precision: i.starts.precision.as_str().into(),
            ends_on: i.ends.map(|d| d.date),
            ends_precision: i.ends.map(|d| d.precision.as_str().into()),
            holder: i.holder,
            source: i.source,
            agency_id: agency,
            plan_id: plan,
            shipped: false,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
        };
        let tx = self.begin_write().await?;
        mechanism_role::Entity::insert(r.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: Some(snapshot(&r)),
                ..Change::new(ROLE_ENTITY, r.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Remove a role recorded in error (administrators and coordinators).
    pub async fn role_delete(&self, ctx: &Ctx, id: Uuid) -> Result<(), StoreError> {
        if !Self::may_record_roles(ctx) {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let before = mechanism_role::Entity::find_by_id(id)
            .filter(mechanism_role::Column::DeletedAt.is_null())
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        mechanism_role::Entity::update_many()
            .col_expr(mechanism_role::Column::DeletedAt, Expr::value(now()))
            .filter(mechanism_role::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                before: Some(snapshot(&before)),
                ..Change::new(ROLE_ENTITY, id, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Resolve a candidacy form: its mechanism, the agency leading it (which
    /// the writer must be able to write for) and its classification.
    async fn resolve_candidacy(
        &self,
        ctx: &Ctx,
        form: &CandidacyForm,
        previous: Option<Uuid>,
    ) -> Result<(CandidacyInput, Uuid, Uuid, Classification, Option<Uuid>), StoreError> {
        let mut e = FieldErrors::new();
        let class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret = self
            .secret_basis(&mut e, class, form.secret_item.as_deref(), previous)
            .await?;
        let input = match CandidacyInput::parse(form) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let mechanism = match self.mechanism_find(&input.mechanism).await {
            Ok(m) => Some(m.id),
            Err(_) => {
                e.add(
                    "mechanism",
                    Msg::new(
                        "Không có cơ chế mang mã này.",
                        "No mechanism has this code.",
                    ),
                );
                None
            }
        };
        let dir = self.directory().await?;
        let owner = crate::agency_named(&dir, ctx, &input.owner_agency).map(|a| a.id);
        match owner {
            None => e.add(
                "owner_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(o) if !ctx.actor.can_write(o, class) => e.add(
                "owner_agency",
                Msg::new(
                    "Bạn không được ghi hồ sơ ứng cử của cơ quan này.",
                    "You may not record candidacies for this agency.",
                ),
            ),
            _ => {}
        }
        match (mechanism, owner) {
            (Some(m), Some(o)) if e.is_empty() => Ok((input, m, o, class, secret)),
            _ => Err(e.into()),
        }
    }

    /// Open a candidacy (status "considered").
    pub async fn candidacy_create(
        &self,
        ctx: &Ctx,
        form: &CandidacyForm,
    ) -> Result<candidacy::Model, StoreError> {
        if ctx.actor.role == Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let (i, mechanism, owner, class, secret) = self.resolve_candidacy(ctx, form, None).await?;
        let t = now();
        let m = candidacy::Model {
            id: Uuid::now_v7(),
            mechanism_id: mechanism,
            post_fold: fold(&i.post),
            post: i.post,
            term: i.term,
            election_on: i.election_on,
            method: i.method,
            electorate: i.electorate.as_str().into(),
            electorate_size: i.electorate_size as i32,
            votes_needed: i.votes_needed as i32,
            competitors: serde_json::to_string(&i.competitors).unwrap_or_else(|_| "[]".into()),
            status: Status::Considered.as_str().into(),
            status_note: None,
            owner_agency_id: owner,
            note: i.note,
            classification: rank(class),
            secret_item_id: secret,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        let tx = self.begin_write().await?;
        candidacy::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(owner),
                classification: class,
                after: Some(snapshot(&m)),
                ..Change::new(CANDIDACY_ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The candidacy for a write: visible, the writer may write for it, at
    /// the version read.
    async fn candidacy_for_write<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        ctx: &Ctx,
        id: Uuid,
        version: Option<i32>,
    ) -> Result<candidacy::Model, StoreError> {
        let c = Self::visible_candidacy(db, ctx, id).await?;
        if !self.candidacy_may_write(ctx, &c) {
            return Err(StoreError::forbidden());
        }
        if let Some(v) = version
            && v != c.version
        {
            return Err(stale(c.version, &c));
        }
        Ok(c)
    }

    async fn candidacy_save<C: sea_orm::ConnectionTrait>(
        db: &C,
        ctx: &Ctx,
        m: &mut candidacy::Model,
        read: i32,
    ) -> Result<(), StoreError> {
        m.version = read + 1;
        m.updated_at = now();
        m.updated_by = Some(ctx.actor.user_id);
        let res = candidacy::Entity::update_many()
            .set(m.clone().into_active_model().reset_all())
            .filter(candidacy::Column::Id.eq(m.id))
            .filter(candidacy::Column::Version.eq(read))
            .exec(db)
            .await?;
        if res.rows_affected != 1 {
            return Err(stale(read, m));
        }
        Ok(())
    }

    /// Edit a candidacy's particulars; its pledges' classification floor and
    /// the commitments made in return follow.
    pub async fn candidacy_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &CandidacyForm,
    ) -> Result<candidacy::Model, StoreError> {
        let previous: Option<Uuid> = candidacy::Entity::find_by_id(id)
            .select_only()
            .column(candidacy::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let (i, mechanism, owner, class, secret) =
            self.resolve_candidacy(ctx, form, previous).await?;
        let tx = self.begin_write().await?;
        let before = self
            .candidacy_for_write(&tx, ctx, id, Some(version))
            .await?;
        let mut m = before.clone();
        m.mechanism_id = mechanism;
        m.post_fold = fold(&i.post);
        m.post = i.post;
        m.term = i.term;
        m.election_on = i.election_on;
        m.method = i.method;
        m.electorate = i.electorate.as_str().into();
        m.electorate_size = i.electorate_size as i32;
        m.votes_needed = i.votes_needed as i32;
        m.competitors = serde_json::to_string(&i.competitors).unwrap_or_else(|_| "[]".into());
        m.owner_agency_id = owner;
        m.note = i.note;
        m.classification = rank(class);
        m.secret_item_id = secret;
        Self::candidacy_save(&tx, ctx, &mut m, version).await?;
        Self::pledges_follow(&tx, ctx, &m).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(owner),
                classification: class,
                before: Some(snapshot(&before)),
                after: Some(snapshot(&m)),
                ..Change::new(CANDIDACY_ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// A candidacy's pledges are never less classified than it, and the
    /// commitments made in return answer to its agency and the pledge's
    /// classification.
    async fn pledges_follow<C: sea_orm::ConnectionTrait>(
        tx: &C,
        ctx: &Ctx,
        c: &candidacy::Model,
    ) -> Result<(), StoreError> {
        pledge::Entity::update_many()
            .col_expr(
                pledge::Column::Classification,
                Expr::value(c.classification),
            )
            .filter(pledge::Column::CandidacyId.eq(c.id))
            .filter(pledge::Column::Classification.lt(c.classification))
            .exec(tx)
            .await?;
        let returned: Vec<(Uuid, i16)> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::Id)
            .column(pledge::Column::Classification)
            .filter(pledge::Column::CandidacyId.eq(c.id))
            .filter(
                pledge::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(commitment::Column::PledgeId)
                        .from(commitment::Entity)
                        .and_where(commitment::Column::PledgeId.is_not_null())
                        .to_owned(),
                ),
            )
            .into_tuple()
            .all(tx)
            .await?;
        for (p, class) in returned {
            follow_source(tx, ctx, SourceRecord::Pledge(p), c.owner_agency_id, class).await?;
        }
        Ok(())
    }

    /// Move a candidacy along its workflow (`Status::may_move`).
    pub async fn candidacy_move(
        &self,
        ctx: &Ctx,
        id: Uuid,
        form: &MoveForm,
    ) -> Result<candidacy::Model, StoreError> {
        let to = Status::parse(&form.status).ok_or_else(|| {
            StoreError::from(FieldErrors::single(
                "status",
                kieng_domain::error::msgs::invalid_choice(),
            ))
        })?;
        let note = kieng_domain::text::clean(form.note.as_deref().unwrap_or(""), true);
        if note.chars().count() > 2000 {
            return Err(
                FieldErrors::single("note", kieng_domain::error::msgs::too_long(2000)).into(),
            );
        }
        let tx = self.begin_write().await?;
        let before = self.candidacy_for_write(&tx, ctx, id, form.version).await?;
        let from = Status::parse(&before.status).unwrap_or(Status::Considered);
        if !from.may_move(to) {
            return Err(FieldErrors::single(
                "status",
                Msg::new(
                    format!(
                        "Không thể chuyển từ «{}» sang «{}».",
                        from.label().vi,
                        to.label().vi
                    ),
                    format!(
                        "Cannot move from “{}” to “{}”.",
                        from.label().en,
                        to.label().en
                    ),
                ),
            )
            .into());
        }
        let mut m = before.clone();
        m.status = to.as_str().into();
        m.status_note = Some(note).filter(|n| !n.is_empty());
        Self::candidacy_save(&tx, ctx, &mut m, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: from_rank(m.classification),
                before: Some(serde_json::json!({"status": before.status})),
                after: Some(serde_json::json!({"status": m.status, "note": m.status_note})),
                ..Change::new(CANDIDACY_ENTITY, id, "move")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Record a country's word on a candidacy; a reciprocal promise becomes
    /// a commitment of the agency leading the campaign, due when promised,
    /// as classified as the pledge, in the same transaction.
    pub async fn pledge_add(
        &self,
        ctx: &Ctx,
        candidacy_id: Uuid,
        form: &PledgeForm,
    ) -> Result<pledge::Model, StoreError> {
        let c = Self::visible_candidacy(&self.db, ctx, candidacy_id).await?;
        if !self.candidacy_may_write(ctx, &c) {
            return Err(StoreError::forbidden());
        }
        let competitors: Vec<String> = serde_json::from_str(&c.competitors).unwrap_or_default();
        let mut e = FieldErrors::new();
        let own = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let class = own.max(from_rank(c.classification));
        let secret = self
            .secret_basis(&mut e, own, form.secret_item.as_deref(), None)
            .await?;
        let input = match PledgeInput::parse(form, &competitors) {
            Ok(i) => Some(i),
            Err(fe) => {
                e.0.extend(fe.0);
                None
            }
        };
        // Named even when the rest of the form is wrong.
        let country = if form.country.trim().is_empty() {
            None
        } else {
            self.country_named(&mut e, &form.country).await?
        };
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
        if input.as_ref().is_some_and(|i| i.reciprocal.is_some())
            && !ctx.actor.can_write(c.owner_agency_id, class)
        {
            e.add(
                "reciprocal",
                Msg::new(
                    "Bạn không được ghi cam kết cho cơ quan chủ trì.",
                    "You may not record commitments for the leading agency.",
                ),
            );
        }
        let (Some(i), Some(country)) = (input, country) else {
            return Err(e.into());
        };
        e.into_result(())?;
        let partner = self.country_partner(&country).await?;
        let t = now();
        let p = pledge::Model {
            id: Uuid::now_v7(),
            candidacy_id: c.id,
            country_code: country,
            partner_id: partner,
            support: i.support.as_str().into(),
            given_on: i.given_on,
            channel: i.channel,
            activity_id: i.activity,
            competitor: i.competitor.clone().unwrap_or_default(),
            note: i.note,
            classification: rank(class),
            secret_item_id: secret,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        let tx = self.begin_write().await?;
        pledge::Entity::insert(p.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.owner_agency_id),
                classification: class,
                after: Some(snapshot(&p)),
                ..Change::new(PLEDGE_ENTITY, p.id, "create")
            },
        )
        .await?;
        if let Some((promise, due)) = i.reciprocal {
            let title: String = promise.chars().take(1000).collect();
            let m = commitment::Model {
                id: Uuid::now_v7(),
                title_fold: fold(&title),
                title,
                detail: Some(format!(
                    "Ủng hộ lại để đổi lấy sự ủng hộ cho ứng cử: {}",
                    c.post
                )),
                source: kieng_domain::commitment::Source::Pledge.as_str().into(),
                activity_id: None,
                agreement_id: None,
                protection_case_id: None,
                mechanism_id: Some(c.mechanism_id),
                pledge_id: Some(p.id),
                plan: None,
                partner_id: partner,
                owner_agency_id: c.owner_agency_id,
                source_agency_id: Some(c.owner_agency_id),
                responsible: None,
                responsible_user_id: None,
                due_on: due,
                status: kieng_domain::commitment::Status::Open.as_str().into(),
                is_open: true,
                status_note: None,
                done_on: None,
                classification: rank(class),
                secret_item_id: None,
                version: 1,
                created_at: t,
                created_by: Some(ctx.actor.user_id),
                updated_at: t,
                updated_by: Some(ctx.actor.user_id),
                deleted_at: None,
                deleted_by: None,
            };
            crate::commitments::insert_commitment(&tx, ctx, &m, class).await?;
        }
        tx.commit().await?;
        Ok(p)
    }

    /// Withdraw a pledge recorded in error (to the trash of the record: it
    /// no longer counts); the commitment made in return stays to be closed
    /// on its own.
    pub async fn pledge_delete(
        &self,
        ctx: &Ctx,
        candidacy_id: Uuid,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let c = Self::visible_candidacy(&self.db, ctx, candidacy_id).await?;
        if !self.candidacy_may_write(ctx, &c) {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let before = pledge::Entity::find_by_id(id)
            .filter(Self::pledges_of_seen(ctx, c.id))
            .one(&tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        pledge::Entity::update_many()
            .col_expr(pledge::Column::DeletedAt, Expr::value(now()))
            .col_expr(pledge::Column::DeletedBy, Expr::value(ctx.actor.user_id))
            .filter(pledge::Column::Id.eq(id))
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.owner_agency_id),
                classification: from_rank(before.classification),
                before: Some(snapshot(&before)),
                ..Change::new(PLEDGE_ENTITY, id, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
