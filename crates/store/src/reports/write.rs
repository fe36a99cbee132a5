//! Writing reports: create and edit a draft (version-checked), save a
//! narrative part as a new revision (checked against the revision edited),
//! the workflow — a submission freezes the figures and parts, an approval
//! takes the next number of the issuing agency's register — and removing a
//! draft. Every change is audited.

use super::{ENTITY, class_of};
use crate::audit::{Change, append, rank};
use crate::entity::{document_number, report, report_snapshot, report_text};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::report::{
    MAX_PART, Move, Part, ReportForm, ReportInput, ScopeKind, Status, check_move, symbol,
};
use kieng_domain::text::{clean, fold};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

/// A narrative part as submitted: its text and the revision it was edited from.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartForm {
    #[serde(default)]
    pub body: String,
    /// The revision the writer started from (0: none yet).
    #[serde(default)]
    pub revision: i32,
}

/// A workflow move as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub r#move: String,
    #[serde(default)]
    pub version: i32,
    /// Why a report is returned.
    pub note: Option<String>,
}

fn snapshot(r: &report::Model) -> serde_json::Value {
    serde_json::to_value(r).unwrap_or(serde_json::Value::Null)
}

struct Resolved {
    input: ReportInput,
    owner: Uuid,
    class: Classification,
    secret_item: Option<Uuid>,
}

impl Store {
    async fn resolve_report(
        &self,
        ctx: &Ctx,
        form: &ReportForm,
        previous: Option<Uuid>,
    ) -> Result<Resolved, StoreError> {
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
        let input = match ReportInput::parse(form) {
            Ok(i) => i,
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let dir = self.directory().await?;
        let owner = match input.agency.as_deref() {
            None => Some(ctx.actor.agency_id),
            Some(a) => crate::agency_named(&dir, ctx, a).map(|a| a.id),
        };
        match owner {
            None => e.add(
                "agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(o) if !ctx.actor.can_write(o, class) => e.add(
                "agency",
                Msg::new(
                    "Bạn không được lập báo cáo cho cơ quan này.",
                    "You may not write reports for this agency.",
                ),
            ),
            _ => {}
        }
        // The scope must name something that exists.
        if let Err(StoreError::Invalid(fe)) = self
            .report_scope(ctx, input.scope, input.scope_ref.as_deref())
            .await
        {
            e.0.extend(fe.0);
        }
        match owner {
            Some(owner) if e.is_empty() => Ok(Resolved {
                input,
                owner,
                class,
                secret_item,
            }),
            _ => Err(e.into()),
        }
    }

    /// Start a report (a draft).
    pub async fn report_create(
        &self,
        ctx: &Ctx,
        form: &ReportForm,
    ) -> Result<report::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let r = self.resolve_report(ctx, form, None).await?;
        let t = now();
        let mut m = report::Model {
            id: Uuid::now_v7(),
            owner_agency_id: r.owner,
            title: String::new(),
            title_fold: String::new(),
            period_kind: String::new(),
            period_from: r.input.period.from,
            period_to: r.input.period.to,
            scope_kind: String::new(),
            scope_ref: None,
            recipients: String::new(),
            signer_position: String::new(),
            signer_name: None,
            copies_to: String::new(),
            urgency: None,
            status: Status::Draft.as_str().into(),
            status_note: None,
            snapshot_id: None,
            number_year: None,
            number_seq: None,
            number_symbol: None,
            approved_at: None,
            approved_by: None,
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
        report::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: r.class,
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Change a draft's particulars.
    pub async fn report_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &ReportForm,
    ) -> Result<report::Model, StoreError> {
        let previous = Self::visible_report(&self.db, ctx, id)
            .await?
            .secret_item_id;
        let r = self.resolve_report(ctx, form, previous).await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_report(&tx, ctx, id).await?;
        self.draft_writable(ctx, &before, version)?;
        let mut after = before.clone();
        fill(&mut after, &r);
        save(&tx, ctx, &mut after, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: class_of(&before).max(r.class),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A draft the reader may change at `version`, or why not.
    fn draft_writable(&self, ctx: &Ctx, r: &report::Model, version: i32) -> Result<(), StoreError> {
        if !Self::may_write_report(ctx, r) {
            return Err(StoreError::forbidden());
        }
        if r.status != Status::Draft.as_str() {
            return Err(FieldErrors::single(
                "status",
                Msg::new(
                    "Chỉ sửa được báo cáo ở trạng thái dự thảo.",
                    "Only a draft report can be changed.",
                ),
            )
            .into());
        }
        if r.version != version {
            return Err(StoreError::Conflict {
                current_version: r.version,
                current: snapshot(r),
            });
        }
        Ok(())
    }

    /// Save a narrative part of a draft as its next revision. A part changed
    /// by someone else since `form.revision` is a conflict with the current text.
    pub async fn report_part_save(
        &self,
        ctx: &Ctx,
        id: Uuid,
        part: Part,
        form: &PartForm,
    ) -> Result<i32, StoreError> {
        let body = clean(&form.body, true);
        if body.chars().count() > MAX_PART {
            return Err(
                FieldErrors::single("body", kieng_domain::error::msgs::too_long(MAX_PART)).into(),
            );
        }
        let tx = self.begin_write().await?;
        let r = Self::visible_report(&tx, ctx, id).await?;
        self.draft_writable(ctx, &r, r.version)?;
        let latest: Option<report_text::Model> = report_text::Entity::find()
            .filter(report_text::Column::ReportId.eq(id))
            .filter(report_text::Column::Part.eq(part.as_str()))
            .order_by(report_text::Column::Revision, sea_orm::Order::Desc)
            .one(&tx)
            .await?;
        let current = latest.as_ref().map(|t| t.revision).unwrap_or(0);
        if current != form.revision {
            return Err(StoreError::Conflict {
                current_version: current,
                current: serde_json::json!({
                    "part": part.as_str(),
                    "revision": current,
                    "body": latest.map(|t| t.body).unwrap_or_default(),
                }),
            });
        }
        if latest.as_ref().is_some_and(|t| t.body == body) || (latest.is_none() && body.is_empty())
        {
            tx.commit().await?;
            return Ok(current);
        }
        let t = report_text::Model {
            id: Uuid::now_v7(),
            report_id: id,
            part: part.as_str().into(),
            revision: current + 1,
            body,
            at: now(),
            actor_id: Some(ctx.actor.user_id),
        };
        report_text::Entity::insert(t.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(r.owner_agency_id),
                classification: class_of(&r),
                after: Some(serde_json::json!({
                    "part": t.part,
                    "revision": t.revision,
                    "body": t.body,
                })),
                ..Change::new(ENTITY, id, "part")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(t.revision)
    }

    /// Move a report: submit (freezing its figures and parts), approve
    /// (numbering it in the issuing agency's register), or return it to draft.
    pub async fn report_move(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &MoveForm,
    ) -> Result<report::Model, StoreError> {
        let m = Move::parse(&f.r#move).ok_or_else(|| {
            StoreError::from(FieldErrors::single(
                "move",
                kieng_domain::error::msgs::invalid_choice(),
            ))
        })?;
        let note = f
            .note
            .as_deref()
            .map(|n| clean(n, true))
            .filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2_000) {
            return Err(
                FieldErrors::single("note", kieng_domain::error::msgs::too_long(2_000)).into(),
            );
        }
        if m == Move::Return && note.is_none() {
            return Err(FieldErrors::single(
                "note",
                Msg::new("Ghi lý do trả lại.", "Say why it is returned."),
            )
            .into());
        }
        let seen = Self::visible_report(&self.db, ctx, id).await?;
        // The figures are counted before the write begins (a national year
        // takes a moment), then frozen only if the report has not changed.
        let frozen = if m == Move::Submit {
            let reader = self
                .report_reader(
                    ctx,
                    ScopeKind::parse(&seen.scope_kind).unwrap_or(ScopeKind::All),
                    seen.scope_ref.as_deref(),
                    class_of(&seen),
                )
                .await?;
            Some(
                self.report_figures(&reader, super::period_of(&seen))
                    .await?,
            )
        } else {
            None
        };
        let tx = self.begin_write().await?;
        let before = Self::visible_report(&tx, ctx, id).await?;
        if before.version != f.version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let from = Status::parse(&before.status).unwrap_or(Status::Draft);
        let to = check_move(
            from,
            m,
            Self::may_write_report(ctx, &before),
            Self::may_approve_report(ctx, &before),
        )
        .map_err(|msg| FieldErrors::single("move", msg))?;
        let mut after = before.clone();
        after.status = to.as_str().into();
        after.status_note = note.clone();
        let t = now();
        match m {
            Move::Submit => {
                let figures = frozen.ok_or_else(|| {
                    StoreError::Internal("a submission counts its figures first".into())
                })?;
                let texts: Vec<(String, String)> = Self::report_texts_latest(&tx, id)
                    .await?
                    .into_iter()
                    .map(|t| (t.part, t.body))
                    .collect();
                let s = report_snapshot::Model {
                    id: Uuid::now_v7(),
                    report_id: id,
                    figures: serde_json::to_string(&figures)
                        .map_err(|e| StoreError::Internal(format!("report figures: {e}")))?,
                    texts: serde_json::to_string(&texts)
                        .map_err(|e| StoreError::Internal(format!("report texts: {e}")))?,
                    holds: rank(figures.holds),
                    at: t,
                    actor_id: Some(ctx.actor.user_id),
                };
                report_snapshot::Entity::insert(s.clone().into_active_model())
                    .exec_without_returning(&tx)
                    .await?;
                after.snapshot_id = Some(s.id);
            }
            Move::Return => after.snapshot_id = None,
            Move::Approve => {
                let today = crate::today();
                let year = chrono::Datelike::year(&today);
                let last: Option<i32> = document_number::Entity::find()
                    .select_only()
                    .expr(Func::max(Expr::col(document_number::Column::Seq)))
                    .filter(document_number::Column::AgencyId.eq(before.owner_agency_id))
                    .filter(document_number::Column::Year.eq(year))
                    .into_tuple::<Option<i32>>()
                    .one(&tx)
                    .await?
                    .flatten();
                let seq = last.unwrap_or(0) + 1;
                let dir = self.directory().await?;
                let sym = symbol(crate::agency_ref_abbr(&dir, before.owner_agency_id).as_deref());
                document_number::Entity::insert(
                    document_number::Model {
                        agency_id: before.owner_agency_id,
                        year,
                        seq,
                        symbol: sym.clone(),
                        record_kind: ENTITY.into(),
                        record_id: id,
                        title: before.title.clone(),
                        issued_on: today,
                        classification: before.classification,
                        at: t,
                        actor_id: Some(ctx.actor.user_id),
                    }
                    .into_active_model(),
                )
                .exec_without_returning(&tx)
                .await?;
                after.number_year = Some(year);
                after.number_seq = Some(seq);
                after.number_symbol = Some(sym);
                after.approved_at = Some(t);
                after.approved_by = Some(ctx.actor.user_id);
            }
        }
        save(&tx, ctx, &mut after, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: class_of(&after),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, m.as_str())
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Remove a draft (an issued report is an official record and stays).
    pub async fn report_delete(&self, ctx: &Ctx, id: Uuid, version: i32) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        let before = Self::visible_report(&tx, ctx, id).await?;
        self.draft_writable(ctx, &before, version)?;
        if before.snapshot_id.is_some() {
            return Err(StoreError::forbidden());
        }
        let mut after = before.clone();
        after.deleted_at = Some(now());
        after.deleted_by = Some(ctx.actor.user_id);
        save(&tx, ctx, &mut after, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: class_of(&after),
                before: Some(snapshot(&before)),
                ..Change::new(ENTITY, id, "delete")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn fill(m: &mut report::Model, r: &Resolved) {
    let i = &r.input;
    m.owner_agency_id = r.owner;
    m.title = i.title.clone();
    m.title_fold = fold(&i.title);
    m.period_kind = i.period.kind.as_str().into();
    m.period_from = i.period.from;
    m.period_to = i.period.to;
    m.scope_kind = i.scope.as_str().into();
    m.scope_ref = i.scope_ref.clone();
    m.recipients = i.recipients.join("\n");
    m.signer_position = i.signer_position.clone();
    m.signer_name = i.signer_name.clone();
    m.copies_to = i.copies_to.join("\n");
    m.urgency = i.urgency.map(|u| u.as_str().to_string());
    m.classification = rank(r.class);
    m.secret_item_id = r.secret_item;
}

async fn save<C: sea_orm::ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    after: &mut report::Model,
    read: i32,
) -> Result<(), StoreError> {
    after.version = read + 1;
    after.updated_at = now();
    after.updated_by = Some(ctx.actor.user_id);
    let res = report::Entity::update_many()
        .set(after.clone().into_active_model().reset_all())
        .filter(report::Column::Id.eq(after.id))
        .filter(report::Column::Version.eq(read))
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
