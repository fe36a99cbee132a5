//! Recording agreements: create and edit (version-checked), a new entry of the
//! status history (checked against the last one), and the steps of a provincial
//! agreement. Every change is audited in the same transaction.

use super::ENTITY;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{
    agreement, agreement_agency, agreement_partner, agreement_status, agreement_step,
};
use crate::{Ctx, Store, StoreError, now};
use chrono::NaiveDate;
use kieng_domain::agreement::{
    AgreementForm, AgreementInput, SignedFor, Status, StepKind, check_step,
};
use kieng_domain::days::optional_date;
use kieng_domain::text::{clean, fold};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

/// A new entry of the status history as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub on_date: String,
    pub note: Option<String>,
    /// For "expired" or a renewal: the new expiry date, if it changes.
    pub expires_on: Option<String>,
}

/// A step of a provincial agreement as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub kind: String,
    /// Who is consulted (opinions).
    pub body: Option<String>,
    pub requested_on: Option<String>,
    pub done_on: Option<String>,
    /// Document number.
    pub reference: Option<String>,
}

struct Resolved {
    owner: crate::entity::agency::Model,
    agencies: Vec<Uuid>,
    partners: Vec<Uuid>,
    class: Classification,
    secret_item: Option<Uuid>,
}

fn snapshot(a: &agreement::Model) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

impl Store {
    async fn resolve_agreement(
        &self,
        ctx: &Ctx,
        form: &AgreementForm,
        previous: Option<Uuid>,
    ) -> Result<(AgreementInput, Resolved), StoreError> {
        let mut e = FieldErrors::new();
        let class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let secret_item = self
            .secret_basis(&mut e, class, form.secret_item.as_deref(), previous)
            .await?;
        let input = match AgreementInput::parse(form, crate::today()) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let dir = self.directory().await?;
        let owner = crate::agency_named(&dir, ctx, &input.owner_agency).cloned();
        match &owner {
            None => e.add(
                "owner_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(a) if !ctx.actor.can_write(a.id, class) => e.add(
                "owner_agency",
                Msg::new(
                    "Bạn không được ghi nhận văn kiện cho cơ quan này.",
                    "You may not record agreements for this agency.",
                ),
            ),
            _ => {}
        }
        let mut agencies = Vec::new();
        for code in &input.agencies {
            match crate::agency_named(&dir, ctx, code) {
                Some(a) if owner.as_ref().is_none_or(|o| o.id != a.id) => agencies.push(a.id),
                Some(_) => {}
                None => e.add(
                    "agencies",
                    Msg::new(
                        format!("Không có cơ quan mang mã «{code}»."),
                        format!("No agency has the code «{code}»."),
                    ),
                ),
            }
        }
        let partners = self
            .partners_by_names(ctx, &input.partners, "partners", &mut e)
            .await?;
        if let Some(aid) = input.activity_id
            && Self::visible_activity(&self.db, ctx, aid).await.is_err()
        {
            e.add(
                "activity_id",
                Msg::new(
                    "Không tìm thấy hoạt động này.",
                    "No activity you may see has this id.",
                ),
            );
        }
        match owner {
            Some(owner) if e.is_empty() => Ok((
                input,
                Resolved {
                    owner,
                    agencies,
                    partners,
                    class,
                    secret_item,
                },
            )),
            _ => Err(e.into()),
        }
    }

    /// Record an agreement; its history starts from the dates given.
    pub async fn agreement_create(
        &self,
        ctx: &Ctx,
        form: &AgreementForm,
    ) -> Result<agreement::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let (input, r) = self.resolve_agreement(ctx, form, None).await?;
        let t = now();
        let (status, status_on) = input
            .history
            .last()
            .copied()
            .unwrap_or((Status::Negotiating, crate::today()));
        let date_of = |s: Status| input.history.iter().find(|(x, _)| *x == s).map(|(_, d)| *d);
        let m = agreement::Model {
            id: Uuid::now_v7(),
            kind: input.kind.as_str().into(),
            title_vi: input.title_vi.clone(),
            title_en: input.title_en.clone(),
            title_fold: fold(&format!(
                "{} {}",
                input.title_vi,
                input.title_en.as_deref().unwrap_or("")
            )),
            owner_agency_id: r.owner.id,
            provincial: input
                .signed_for
                .is_some_and(SignedFor::follows_provincial_procedure),
            signed_for: input.signed_for.map(|s| s.as_str().into()),
            signatory: input.signatory.clone(),
            signatory_level: input.signatory_level.map(|l| l.as_str().into()),
            place: input.place.clone(),
            status: status.as_str().into(),
            status_on,
            signed_on: date_of(Status::Signed),
            in_force_on: date_of(Status::InForce),
            expires_on: input.expires_on,
            term: input.term.clone(),
            renewal: input.renewal.as_str().into(),
            legal_basis: input.legal_basis.clone(),
            notes: input.notes.clone(),
            activity_id: input.activity_id,
            classification: rank(r.class),
            secret_item_id: r.secret_item,
            version: 1,
            created_at: t,
            created_by: Some(ctx.actor.user_id),
            updated_at: t,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        let tx = self.begin_write().await?;
        agreement::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        for (s, on) in &input.history {
            insert_status(&tx, ctx, m.id, *s, *on, None).await?;
        }
        write_links(&tx, m.id, &r).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: r.class,
                after: Some(with_links(&m, &r)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Change an agreement's particulars; its status moves only through
    /// `agreement_status_add`. `version` is the one the actor read.
    pub async fn agreement_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &AgreementForm,
    ) -> Result<agreement::Model, StoreError> {
        // The basis the agreement names now: a retired item may stay where it is.
        let previous: Option<Uuid> = agreement::Entity::find_by_id(id)
            .select_only()
            .column(agreement::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let (input, mut r) = self
            .resolve_agreement(ctx, &without_history(form), previous)
            .await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_agreement(&tx, ctx, id).await?;
        // Links to partners the editor may not see were not on their form.
        let linked: Vec<Uuid> = agreement_partner::Entity::find()
            .select_only()
            .column(agreement_partner::Column::PartnerId)
            .filter(agreement_partner::Column::AgreementId.eq(id))
            .into_tuple()
            .all(&tx)
            .await?;
        Self::keep_hidden_links(&tx, ctx, linked, &mut r.partners).await?;
        if !ctx
            .actor
            .can_write(before.owner_agency_id, from_rank(before.classification))
        {
            return Err(StoreError::forbidden());
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        if let (Some(s), Some(x)) = (before.signed_on, input.expires_on)
            && x <= s
        {
            return Err(FieldErrors::single(
                "expires_on",
                Msg::new(
                    "Ngày hết hiệu lực phải sau ngày ký.",
                    "The expiry date must come after the signing date.",
                ),
            )
            .into());
        }
        let mut after = before.clone();
        after.kind = input.kind.as_str().into();
        after.title_vi = input.title_vi.clone();
        after.title_en = input.title_en.clone();
        after.title_fold = fold(&format!(
            "{} {}",
            input.title_vi,
            input.title_en.as_deref().unwrap_or("")
        ));
        after.owner_agency_id = r.owner.id;
        after.provincial = input
            .signed_for
            .is_some_and(SignedFor::follows_provincial_procedure);
        after.signed_for = input.signed_for.map(|s| s.as_str().into());
        after.signatory = input.signatory.clone();
        after.signatory_level = input.signatory_level.map(|l| l.as_str().into());
        after.place = input.place.clone();
        after.expires_on = input.expires_on;
        after.term = input.term.clone();
        after.renewal = input.renewal.as_str().into();
        after.legal_basis = input.legal_basis.clone();
        after.notes = input.notes.clone();
        after.activity_id = input.activity_id;
        after.classification = rank(r.class);
        after.secret_item_id = r.secret_item;
        save(&tx, ctx, &mut after, before.version).await?;
        agreement_agency::Entity::delete_many()
            .filter(agreement_agency::Column::AgreementId.eq(id))
            .exec(&tx)
            .await?;
        agreement_partner::Entity::delete_many()
            .filter(agreement_partner::Column::AgreementId.eq(id))
            .exec(&tx)
            .await?;
        write_links(&tx, id, &r).await?;
        crate::commitments::follow_source(
            &tx,
            ctx,
            crate::commitments::SourceRecord::Agreement(id),
            after.owner_agency_id,
            after.classification,
        )
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: r.class,
                before: Some(snapshot(&before)),
                after: Some(with_links(&after, &r)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Add a dated entry to the status history: the move must follow from the
    /// last entry, on or after its date, not in the future.
    pub async fn agreement_status_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &StatusForm,
    ) -> Result<agreement::Model, StoreError> {
        let mut e = FieldErrors::new();
        let status = Status::parse(&f.status);
        if status.is_none() {
            e.add("status", kieng_domain::error::msgs::invalid_choice());
        }
        let on = kieng_domain::days::required_date(&mut e, "on_date", &f.on_date);
        let expires_on = optional_date(&mut e, "expires_on", f.expires_on.as_deref());
        let note = f
            .note
            .as_deref()
            .map(|n| clean(n, true))
            .filter(|n| !n.is_empty());
        let (Some(status), Some(on), true) = (status, on, e.is_empty()) else {
            return Err(e.into());
        };
        let tx = self.begin_write().await?;
        let before = Self::visible_agreement(&tx, ctx, id).await?;
        if !ctx
            .actor
            .can_write(before.owner_agency_id, from_rank(before.classification))
        {
            return Err(StoreError::forbidden());
        }
        let last = agreement_status::Entity::find()
            .filter(agreement_status::Column::AgreementId.eq(id))
            .order_by_desc(agreement_status::Column::OnDate)
            .order_by_desc(agreement_status::Column::At)
            .one(&tx)
            .await?
            .and_then(|s| Some((Status::parse(&s.status)?, s.on_date)));
        check_step(last, status, on, crate::today())
            .map_err(|(field, m)| FieldErrors::single(field, m))?;
        let mut after = before.clone();
        after.status = status.as_str().into();
        after.status_on = on;
        match status {
            Status::Signed => after.signed_on = Some(on),
            Status::InForce if after.in_force_on.is_none() => after.in_force_on = Some(on),
            _ => {}
        }
        if let Some(x) = expires_on {
            after.expires_on = Some(x);
        }
        save(&tx, ctx, &mut after, before.version).await?;
        insert_status(&tx, ctx, id, status, on, note.clone()).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: from_rank(after.classification),
                before: Some(
                    serde_json::json!({"status": before.status, "status_on": before.status_on}),
                ),
                after: Some(
                    serde_json::json!({"status": after.status, "status_on": on, "note": note}),
                ),
                ..Change::new(ENTITY, id, "status")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Record a step of a provincial agreement.
    pub async fn agreement_step_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &StepForm,
    ) -> Result<agreement_step::Model, StoreError> {
        let mut e = FieldErrors::new();
        let kind = StepKind::parse(&f.kind);
        if kind.is_none() {
            e.add("kind", kieng_domain::error::msgs::invalid_choice());
        }
        let body = kieng_domain::text::optional(&mut e, "body", f.body.as_deref(), 300);
        let requested_on = optional_date(&mut e, "requested_on", f.requested_on.as_deref());
        let done_on = optional_date(&mut e, "done_on", f.done_on.as_deref());
        let reference =
            kieng_domain::text::optional(&mut e, "reference", f.reference.as_deref(), 100);
        match kind {
            Some(StepKind::Opinion) => {
                if body.is_none() {
                    e.add(
                        "body",
                        Msg::new("Ghi cơ quan được lấy ý kiến.", "Name the agency consulted."),
                    );
                }
                if requested_on.is_none() && e.get("requested_on").is_none() {
                    e.add("requested_on", kieng_domain::error::msgs::required());
                }
            }
            Some(_) if done_on.is_none() && e.get("done_on").is_none() => {
                e.add("done_on", kieng_domain::error::msgs::required())
            }
            _ => {}
        }
        if let (Some(r), Some(d)) = (requested_on, done_on)
            && d < r
        {
            e.add(
                "done_on",
                Msg::new(
                    "Ngày trả lời trước ngày gửi.",
                    "Answered before it was asked.",
                ),
            );
        }
        let today = crate::today();
        for (field, d) in [("requested_on", requested_on), ("done_on", done_on)] {
            if d.is_some_and(|d| d > today) {
                e.add(
                    field,
                    Msg::new("Ngày ở tương lai.", "This date is in the future."),
                );
            }
        }
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(e.into());
        };
        let tx = self.begin_write().await?;
        let a = Self::visible_agreement(&tx, ctx, id).await?;
        if !ctx
            .actor
            .can_write(a.owner_agency_id, from_rank(a.classification))
        {
            return Err(StoreError::forbidden());
        }
        if !a.provincial {
            return Err(FieldErrors::single(
                "kind",
                Msg::new(
                    "Các bước này chỉ áp dụng cho thỏa thuận nhân danh Hội đồng nhân dân hoặc Ủy ban nhân dân cấp tỉnh (Luật Thỏa thuận quốc tế 2020, Điều 18, 19).",
                    "These steps apply only to agreements in the name of a provincial People's Council or Committee (Law on International Agreements 2020, Art. 18–19).",
                ),
            )
            .into());
        }
        let m = agreement_step::Model {
            id: Uuid::now_v7(),
            agreement_id: id,
            kind: kind.as_str().into(),
            body,
            requested_on,
            done_on,
            reference,
            at: now(),
            actor_id: Some(ctx.actor.user_id),
        };
        agreement_step::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(a.owner_agency_id),
                classification: from_rank(a.classification),
                after: Some(serde_json::to_value(&m).unwrap_or_default()),
                ..Change::new(ENTITY, id, "step")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}

/// The form with its history dates dropped: edits never rewrite the history.
fn without_history(f: &AgreementForm) -> AgreementForm {
    AgreementForm {
        signed_on: None,
        in_force_on: None,
        ..f.clone()
    }
}

async fn insert_status<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    agreement_id: Uuid,
    status: Status,
    on: NaiveDate,
    note: Option<String>,
) -> Result<(), StoreError> {
    agreement_status::Entity::insert(agreement_status::ActiveModel {
        id: Set(Uuid::now_v7()),
        agreement_id: Set(agreement_id),
        status: Set(status.as_str().into()),
        on_date: Set(on),
        note: Set(note),
        at: Set(now()),
        actor_id: Set(Some(ctx.actor.user_id)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Write `after` over the row at version `read` (raising the version), or say
/// it changed meanwhile.
async fn save<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    after: &mut agreement::Model,
    read: i32,
) -> Result<(), StoreError> {
    after.version = read + 1;
    after.updated_at = now();
    after.updated_by = Some(ctx.actor.user_id);
    let res = agreement::Entity::update_many()
        .set(after.clone().into_active_model().reset_all())
        .filter(agreement::Column::Id.eq(after.id))
        .filter(agreement::Column::Version.eq(read))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict {
            current_version: read,
            current: snapshot(after),
        });
    }
    Ok(())
}

async fn write_links<C: ConnectionTrait>(db: &C, id: Uuid, r: &Resolved) -> Result<(), StoreError> {
    if !r.agencies.is_empty() {
        agreement_agency::Entity::insert_many(r.agencies.iter().map(|a| {
            agreement_agency::ActiveModel {
                agreement_id: Set(id),
                agency_id: Set(*a),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    if !r.partners.is_empty() {
        agreement_partner::Entity::insert_many(r.partners.iter().map(|p| {
            agreement_partner::ActiveModel {
                agreement_id: Set(id),
                partner_id: Set(*p),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn with_links(a: &agreement::Model, r: &Resolved) -> serde_json::Value {
    let mut v = snapshot(a);
    v["agencies"] = serde_json::json!(r.agencies);
    v["partners"] = serde_json::json!(r.partners);
    v
}
