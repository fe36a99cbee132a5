//! Recording commitments: create and edit (version-checked) and dated progress
//! notes, which may move the status. A commitment is never less classified than
//! the activity or agreement it came from. Every change is audited.

use super::ENTITY;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{activity_partner, agreement_partner, commitment, commitment_note, user};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::commitment::{CommitmentForm, CommitmentInput, Source, Status, check_move};
use kieng_domain::text::{clean, fold};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

/// A progress note as submitted, with an optional new status.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentNoteForm {
    #[serde(default)]
    pub note: String,
    /// Empty: the status stays.
    pub status: Option<String>,
}

/// What a form resolves to, before it is written.
struct Resolved {
    input: CommitmentInput,
    owner: Uuid,
    source_agency: Option<Uuid>,
    partner: Option<Uuid>,
    responsible_user: Option<Uuid>,
    class: Classification,
    /// The catalogue item of its own classification (a source's is the source's).
    secret_item: Option<Uuid>,
}

fn snapshot(c: &commitment::Model) -> serde_json::Value {
    serde_json::to_value(c).unwrap_or(serde_json::Value::Null)
}

impl Store {
    async fn resolve_commitment(
        &self,
        ctx: &Ctx,
        form: &CommitmentForm,
        previous: Option<Uuid>,
    ) -> Result<Resolved, StoreError> {
        let mut e = FieldErrors::new();
        let own_class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret_item = self
            .secret_basis(&mut e, own_class, form.secret_item.as_deref(), previous)
            .await?;
        let input = match CommitmentInput::parse(form) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let dir = self.directory().await?;
        let owner = crate::agency_named(&dir, ctx, &input.owner_agency).map(|a| a.id);
        if owner.is_none() {
            e.add(
                "owner_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            );
        }
        // The record it came from: its owner agency, classification and first partner.
        let mut source_agency = None;
        let mut source_class = Classification::None;
        let mut source_partner = None;
        let not_found = || {
            Msg::new(
                "Không tìm thấy bản ghi này (hoặc bạn không được xem).",
                "No record you may see has this id.",
            )
        };
        match (input.source, input.source_id) {
            (Source::Activity, Some(id)) => match Self::visible_activity(&self.db, ctx, id).await {
                Ok(a) => {
                    source_agency = Some(a.owner_agency_id);
                    source_class = from_rank(a.classification);
                    source_partner = activity_partner::Entity::find()
                        .filter(activity_partner::Column::ActivityId.eq(id))
                        .order_by_asc(activity_partner::Column::PartnerId)
                        .one(&self.db)
                        .await?
                        .map(|l| l.partner_id);
                }
                Err(_) => e.add("source_id", not_found()),
            },
            (Source::Agreement, Some(id)) => match Self::visible_agreement(&self.db, ctx, id).await
            {
                Ok(a) => {
                    source_agency = Some(a.owner_agency_id);
                    source_class = from_rank(a.classification);
                    source_partner = agreement_partner::Entity::find()
                        .filter(agreement_partner::Column::AgreementId.eq(id))
                        .order_by_asc(agreement_partner::Column::PartnerId)
                        .one(&self.db)
                        .await?
                        .map(|l| l.partner_id);
                }
                Err(_) => e.add("source_id", not_found()),
            },
            (Source::Case, Some(id)) => match Self::visible_case(&self.db, ctx, id).await {
                Ok(c) => {
                    source_agency = Some(c.agency_id);
                    source_class = from_rank(c.classification);
                    // The foreign authority involved, else the country itself.
                    source_partner = match c.authority_partner_id {
                        Some(p) => Some(p),
                        None => self.country_partner(&c.country_code).await?,
                    };
                }
                Err(_) => e.add("source_id", not_found()),
            },
            (Source::Pledge, Some(id)) => match crate::entity::pledge::Entity::find_by_id(id)
                .filter(Self::pledge_visible(ctx))
                .one(&self.db)
                .await?
            {
                Some(p) => {
                    let c = Self::visible_candidacy(&self.db, ctx, p.candidacy_id).await?;
                    source_agency = Some(c.owner_agency_id);
                    source_class = from_rank(p.classification);
                    source_partner = p.partner_id;
                }
                None => e.add("source_id", not_found()),
            },
            _ => {}
        }
        let class = own_class.max(source_class);
        if let Some(o) = owner
            && !ctx.actor.can_write(o, class)
            && !source_agency.is_some_and(|s| ctx.actor.can_write(s, class))
        {
            e.add(
                "owner_agency",
                Msg::new(
                    "Bạn không được ghi cam kết cho cơ quan này.",
                    "You may not record commitments for this agency.",
                ),
            );
        }
        let partner = match &input.partner {
            Some(name) => self
                .partners_by_names(ctx, std::slice::from_ref(name), "partner", &mut e)
                .await?
                .first()
                .copied(),
            // The source's partner by default, unless the writer may not see it.
            None => match self.partner_filter(ctx, source_partner).await? {
                Some(p) if Some(p) == source_partner => Some(p),
                _ => None,
            },
        };
        let responsible_user = match &input.responsible_user {
            Some(name) => {
                let u = user::Entity::find()
                    .filter(user::Column::Username.eq(name.to_lowercase()))
                    .filter(user::Column::DisabledAt.is_null())
                    .one(&self.db)
                    .await?;
                if u.is_none() {
                    e.add(
                        "responsible_user",
                        Msg::new(
                            "Không có tài khoản đang hoạt động với tên này.",
                            "No active account has this username.",
                        ),
                    );
                }
                u.map(|u| u.id)
            }
            None => None,
        };
        match owner {
            Some(owner) if e.is_empty() => Ok(Resolved {
                input,
                owner,
                source_agency,
                partner,
                responsible_user,
                class,
                secret_item,
            }),
            _ => Err(e.into()),
        }
    }

    /// Record a commitment (open).
    pub async fn commitment_create(
        &self,
        ctx: &Ctx,
        form: &CommitmentForm,
    ) -> Result<commitment::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let r = self.resolve_commitment(ctx, form, None).await?;
        let t = now();
        let mut m = commitment::Model {
            id: Uuid::now_v7(),
            title: String::new(),
            title_fold: String::new(),
            detail: None,
            source: String::new(),
            activity_id: None,
            agreement_id: None,
            protection_case_id: None,
            mechanism_id: None,
            pledge_id: None,
            plan: None,
            partner_id: None,
            owner_agency_id: r.owner,
            source_agency_id: None,
            responsible: None,
            responsible_user_id: None,
            due_on: r.input.due_on,
            status: Status::Open.as_str().into(),
            is_open: true,
            status_note: None,
            done_on: None,
            classification: 0,
            secret_item_id: None,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        fill(&mut m, &r);
        let tx = self.begin_write().await?;
        insert_commitment(&tx, ctx, &m, r.class).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Change a commitment's particulars (its status moves through notes).
    pub async fn commitment_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &CommitmentForm,
    ) -> Result<commitment::Model, StoreError> {
        // The basis the commitment names now: a retired item may stay where it is.
        let previous: Option<Uuid> = commitment::Entity::find_by_id(id)
            .select_only()
            .column(commitment::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let r = self.resolve_commitment(ctx, form, previous).await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_commitment(&tx, ctx, id).await?;
        if !self.may_edit_commitment(ctx, &before) {
            return Err(StoreError::forbidden());
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut after = before.clone();
        fill(&mut after, &r);
        // A partner the editor may not see was not shown to them, so an empty
        // field means "unchanged", not "no partner".
        if r.input.partner.is_none()
            && let Some(kept) = before.partner_id
            && self.partner_filter(ctx, Some(kept)).await? != Some(kept)
        {
            after.partner_id = Some(kept);
        }
        after.due_on = r.input.due_on;
        save(&tx, ctx, &mut after, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: r.class,
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        crate::notifications::assigned(&tx, ctx, &after, before.responsible_user_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Add a dated progress note; with a status, move the commitment (dropping
    /// and reopening need the note as their reason).
    pub async fn commitment_note_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &CommitmentNoteForm,
    ) -> Result<commitment::Model, StoreError> {
        let note = clean(&f.note, true);
        let to = match f.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                FieldErrors::single("status", kieng_domain::error::msgs::invalid_choice())
            })?),
        };
        if note.is_empty() && to.is_none() {
            return Err(FieldErrors::single("note", kieng_domain::error::msgs::required()).into());
        }
        if note.chars().count() > 10_000 {
            return Err(
                FieldErrors::single("note", kieng_domain::error::msgs::too_long(10_000)).into(),
            );
        }
        let tx = self.begin_write().await?;
        let before = Self::visible_commitment(&tx, ctx, id).await?;
        if !self.may_edit_commitment(ctx, &before) {
            return Err(StoreError::forbidden());
        }
        let from = Status::parse(&before.status).unwrap_or(Status::Open);
        let mut after = before.clone();
        if let Some(to) = to {
            check_move(from, to, Some(&note)).map_err(|m| {
                FieldErrors::single(
                    if to == Status::Dropped || !from.is_open() {
                        "note"
                    } else {
                        "status"
                    },
                    m,
                )
            })?;
            after.status = to.as_str().into();
            after.is_open = to.is_open();
            after.done_on = (to == Status::Done).then(crate::today);
            after.status_note = (to == Status::Dropped).then(|| note.clone());
            save(&tx, ctx, &mut after, before.version).await?;
        }
        commitment_note::Entity::insert(
            commitment_note::Model {
                id: Uuid::now_v7(),
                commitment_id: id,
                note: if note.is_empty() {
                    "—".into()
                } else {
                    note.clone()
                },
                from_status: to.map(|_| from.as_str().to_string()),
                to_status: to.map(|t| t.as_str().to_string()),
                at: now(),
                actor_id: Some(ctx.actor.user_id),
            }
            .into_active_model(),
        )
        .exec_without_returning(&tx)
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: from_rank(after.classification),
                before: to.map(|_| serde_json::json!({"status": before.status})),
                after: Some(serde_json::json!({"status": after.status, "note": note})),
                ..Change::new(ENTITY, id, if to.is_some() { "status" } else { "note" })
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Copy the resolved form onto the row (status fields untouched).
fn fill(m: &mut commitment::Model, r: &Resolved) {
    let i = &r.input;
    m.title = i.title.clone();
    m.title_fold = fold(&i.title);
    m.detail = i.detail.clone();
    m.source = i.source.as_str().into();
    m.activity_id = i.source_id.filter(|_| i.source == Source::Activity);
    m.agreement_id = i.source_id.filter(|_| i.source == Source::Agreement);
    m.protection_case_id = i.source_id.filter(|_| i.source == Source::Case);
    m.pledge_id = i.source_id.filter(|_| i.source == Source::Pledge);
    m.plan = i.plan.clone();
    m.partner_id = r.partner;
    m.owner_agency_id = r.owner;
    m.source_agency_id = r.source_agency;
    m.responsible = i.responsible.clone();
    m.responsible_user_id = r.responsible_user;
    m.classification = rank(r.class);
    m.secret_item_id = r.secret_item;
}

async fn save<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    after: &mut commitment::Model,
    read: i32,
) -> Result<(), StoreError> {
    after.version = read + 1;
    after.updated_at = now();
    after.updated_by = Some(ctx.actor.user_id);
    let res = commitment::Entity::update_many()
        .set(after.clone().into_active_model().reset_all())
        .filter(commitment::Column::Id.eq(after.id))
        .filter(commitment::Column::Version.eq(read))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict {
            current_version: read,
            current: snapshot(after),
        });
    }
    crate::counters::bump(db, crate::counters::COMMITMENTS).await
}

/// Write a new commitment in the caller's transaction: the row, the
/// board's counter, the audit entry and its responsible user's notification.
pub(crate) async fn insert_commitment<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    m: &commitment::Model,
    class: Classification,
) -> Result<(), StoreError> {
    commitment::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(tx)
        .await?;
    crate::counters::bump(tx, crate::counters::COMMITMENTS).await?;
    append(
        tx,
        &ctx.into(),
        Change {
            owner_agency_id: Some(m.owner_agency_id),
            classification: class,
            after: Some(snapshot(m)),
            ..Change::new(ENTITY, m.id, "create")
        },
    )
    .await?;
    crate::notifications::assigned(tx, ctx, m, None).await
}

/// The record a commitment came from, as its copies name it.
pub(crate) enum SourceRecord {
    Activity(Uuid),
    Agreement(Uuid),
    Case(Uuid),
    Pledge(Uuid),
}

/// A commitment answers to the readers of the record it came from: when that
/// record's owner agency or classification changes, its commitments' copies
/// (`source_agency_id`, and the classification floor) follow in the writer's
/// transaction, each change audited, and the board's counts are re-read. The
/// classification only rises: a commitment is never less classified than its
/// source, and a marking its own editor chose higher is kept.
pub(crate) async fn follow_source<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    source: SourceRecord,
    owner: Uuid,
    class: i16,
) -> Result<u64, StoreError> {
    let of_source = match source {
        SourceRecord::Activity(id) => commitment::Column::ActivityId.eq(id),
        SourceRecord::Agreement(id) => commitment::Column::AgreementId.eq(id),
        SourceRecord::Case(id) => commitment::Column::ProtectionCaseId.eq(id),
        SourceRecord::Pledge(id) => commitment::Column::PledgeId.eq(id),
    };
    let stale = commitment::Entity::find()
        .filter(of_source)
        .filter(
            sea_orm::Condition::any()
                .add(commitment::Column::SourceAgencyId.ne(owner))
                .add(commitment::Column::SourceAgencyId.is_null())
                .add(commitment::Column::Classification.lt(class)),
        )
        .all(tx)
        .await?;
    for before in &stale {
        let mut after = before.clone();
        after.source_agency_id = Some(owner);
        after.classification = before.classification.max(class);
        commitment::Entity::update_many()
            .col_expr(
                commitment::Column::SourceAgencyId,
                sea_orm::sea_query::Expr::value(owner),
            )
            .col_expr(
                commitment::Column::Classification,
                sea_orm::sea_query::Expr::value(after.classification),
            )
            .filter(commitment::Column::Id.eq(before.id))
            .exec(tx)
            .await?;
        append(
            tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: from_rank(after.classification),
                before: Some(serde_json::json!({
                    "source_agency_id": before.source_agency_id,
                    "classification": before.classification,
                })),
                after: Some(serde_json::json!({
                    "source_agency_id": after.source_agency_id,
                    "classification": after.classification,
                })),
                ..Change::new(ENTITY, before.id, "follow_source")
            },
        )
        .await?;
    }
    if !stale.is_empty() {
        crate::counters::bump(tx, crate::counters::COMMITMENTS).await?;
    }
    Ok(stale.len() as u64)
}
