//! Recording activities: create and edit (version-checked), and the workflow
//! moves. Agencies are named by code, partners by any of their names; each is
//! looked up and a name that fits nothing, or several partners, is a field error.

use super::{ENTITY, vn_date};
use crate::agencies::AgencyRef;
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{
    activity, activity_agency, activity_event, activity_partner, activity_partner_agency,
    activity_person, activity_type, agency, country, partner, partner_name,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::activity::{
    ActivityForm, ActivityInput, Status, Transition, check_move, may_move,
};
use kieng_domain::agency::Pillar;
use kieng_domain::partner::name_key;
use kieng_domain::text::{clean, fold};
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

/// A workflow move as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TransitionForm {
    #[serde(default)]
    pub transition: String,
    /// The reason (return, cancel) or the outcome report (report).
    pub note: Option<String>,
    #[serde(default)]
    pub version: i32,
}

/// The looked-up parts of an activity.
pub(super) struct Resolved {
    pub(super) lead: agency::Model,
    pub(super) pillar: Pillar,
    pub(super) agencies: Vec<Uuid>,
    pub(super) partners: Vec<Uuid>,
    pub(super) class: Classification,
    pub(super) secret_item: Option<Uuid>,
}

pub(super) fn snapshot(a: &activity::Model) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

impl Store {
    /// Parse, check and look up everything the form names.
    async fn resolve_activity(
        &self,
        ctx: &Ctx,
        form: &ActivityForm,
        previous: Option<Uuid>,
    ) -> Result<(ActivityInput, Resolved), StoreError> {
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
        // The form's own problems and what the look-ups find are reported
        // together: the look-ups read the names from the form itself.
        let parsed = ActivityInput::parse(form);
        let mut named = form.named();
        // Past its bound a list is the form's error; nothing past it is looked up.
        named
            .partners
            .truncate(kieng_domain::activity::MAX_PARTNERS);
        named
            .agencies
            .truncate(kieng_domain::activity::MAX_AGENCIES);
        // The look-ups are independent: run at once, each on its own pooled connection.
        let db = &self.db;
        let mut partner_errors = FieldErrors::new();
        let (known_type, dir, partners, known_country) = tokio::try_join!(
            self.known_type(&form.type_code),
            self.directory(),
            self.partners_by_names(ctx, &named.partners, "partners", &mut partner_errors),
            async {
                match &named.country_code {
                    None => Ok(true),
                    Some(c) => country::Entity::find_by_id(c.clone())
                        .one(db)
                        .await
                        .map(|c| c.is_some())
                        .map_err(StoreError::from),
                }
            },
        )?;
        if !known_type {
            e.add("type_code", kieng_domain::error::msgs::invalid_choice());
        }
        let find = |s: &str| {
            let code = s.trim().to_uppercase();
            let id = s.trim().parse::<Uuid>().ok();
            dir.rows
                .iter()
                .find(|a| Some(a.id) == id || a.code == code)
                .filter(|a| from_rank(a.classification) <= ctx.actor.clearance)
        };
        let lead = find(&named.lead_agency).cloned();
        match &lead {
            None if named.lead_agency.is_empty() => {}
            None => e.add(
                "lead_agency",
                Msg::new("Không có cơ quan mang mã này.", "No agency has this code."),
            ),
            Some(a) if a.status != "active" => e.add(
                "lead_agency",
                Msg::new(
                    "Cơ quan này không còn hoạt động; chọn cơ quan kế thừa.",
                    "This agency no longer exists; choose its successor.",
                ),
            ),
            Some(a) if !ctx.actor.can_write(a.id, class) => e.add(
                "lead_agency",
                Msg::new(
                    "Bạn không được ghi nhận hoạt động cho cơ quan này.",
                    "You may not record activities for this agency.",
                ),
            ),
            _ => {}
        }
        let mut agencies = Vec::new();
        for code in &named.agencies {
            match find(code) {
                Some(a) if lead.as_ref().is_none_or(|l| l.id != a.id) => agencies.push(a.id),
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
        e.0.extend(partner_errors.0);
        if !known_country {
            e.add(
                "country_code",
                Msg::new(
                    "Mã nước không có trong danh mục ISO 3166-1.",
                    "Not an ISO 3166-1 country code.",
                ),
            );
        }
        let input = match parsed {
            Ok(input) => input,
            Err(mut fe) => {
                // The form's message first where both found a problem.
                for (field, m) in e.0 {
                    fe.0.entry(field).or_insert(m);
                }
                return Err(fe.into());
            }
        };
        match lead {
            Some(lead) if e.is_empty() => {
                let pillar = input
                    .pillar
                    .or_else(|| Pillar::parse(&lead.pillar))
                    .unwrap_or(Pillar::State);
                Ok((
                    input,
                    Resolved {
                        lead,
                        pillar,
                        agencies,
                        partners,
                        class,
                        secret_item,
                    },
                ))
            }
            _ => Err(e.into()),
        }
    }

    /// Is this an activity type (an empty code is the form's own error, not this one)?
    async fn known_type(&self, code: &str) -> Result<bool, StoreError> {
        let code = code.trim();
        if code.is_empty() {
            return Ok(true);
        }
        Ok(activity_type::Entity::find_by_id(code.to_string())
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Look up partners named one by one (any name, alias, code or id): a name that
    /// fits none or several is an error on `field` naming it. Every name is looked
    /// up at once: the names' keys and the partners they lead to, two statements
    /// side by side whatever the number of names (a save waited for two per name).
    pub(crate) async fn partners_by_names(
        &self,
        ctx: &Ctx,
        names: &[String],
        field: &str,
        e: &mut FieldErrors,
    ) -> Result<Vec<Uuid>, StoreError> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let asked: Vec<Result<Uuid, String>> = names
            .iter()
            .map(|n| n.trim().parse::<Uuid>().map_err(|_| name_key(n)))
            .collect();
        let ids: Vec<Uuid> = asked
            .iter()
            .filter_map(|a| a.as_ref().ok().copied())
            .collect();
        let keys: Vec<String> = asked.iter().filter_map(|a| a.clone().err()).collect();
        let db = &self.db;
        let named = Query::select()
            .column(partner_name::Column::PartnerId)
            .from(partner_name::Entity)
            .and_where(partner_name::Column::NameKey.is_in(keys.clone()))
            .to_owned();
        let (links, rows) = tokio::try_join!(
            async {
                if keys.is_empty() {
                    return Ok(Vec::new());
                }
                partner_name::Entity::find()
                    .filter(partner_name::Column::NameKey.is_in(keys.clone()))
                    .all(db)
                    .await
            },
            partner::Entity::find()
                .filter(
                    // Only the kinds asked: an empty list's constant-false term
                    // (`? = ?`) under OR made SQLite walk every partner in name
                    // order (4 ms with 50,000 people).
                    Condition::any()
                        .add_option((!ids.is_empty()).then(|| partner::Column::Id.is_in(ids)))
                        .add_option(
                            (!keys.is_empty()).then(|| partner::Column::Id.in_subquery(named)),
                        ),
                )
                .filter(partner::Column::DeletedAt.is_null())
                .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
                .filter(partner::Column::MergedIntoId.is_null())
                .order_by_asc(partner::Column::NameVi)
                .all(db),
        )?;
        let mut partners: Vec<Uuid> = Vec::new();
        for (name, a) in names.iter().zip(&asked) {
            // A merged partner answers through its survivor (it is left out above).
            let found: Vec<&partner::Model> = rows
                .iter()
                .filter(|p| match a {
                    Ok(id) => p.id == *id,
                    Err(key) => links
                        .iter()
                        .any(|l| l.partner_id == p.id && &l.name_key == key),
                })
                .collect();
            match found.as_slice() {
                [p] => {
                    if !partners.contains(&p.id) {
                        partners.push(p.id)
                    }
                }
                [] => e.add(
                    field,
                    Msg::new(
                        format!("Không tìm thấy đối tác «{name}»; thêm đối tác trước."),
                        format!("No partner is called «{name}»; add the partner first."),
                    ),
                ),
                many => {
                    let list = many
                        .iter()
                        .map(|p| p.name_vi.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    e.add(
                        field,
                        Msg::new(
                            format!("«{name}» trùng tên nhiều đối tác ({list}); ghi rõ hơn."),
                            format!("«{name}» fits several partners ({list}); be more specific."),
                        ),
                    );
                }
            }
        }
        Ok(partners)
    }

    /// Live partners within clearance answering to `name` (any name, diacritics
    /// and case ignored), or with this id.
    pub(crate) async fn partners_named(
        &self,
        ctx: &Ctx,
        name: &str,
    ) -> Result<Vec<partner::Model>, StoreError> {
        let ids: Vec<Uuid> = match name.trim().parse::<Uuid>() {
            Ok(id) => vec![id],
            Err(_) => partner_name::Entity::find()
                .filter(partner_name::Column::NameKey.eq(name_key(name)))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|n| n.partner_id)
                .collect(),
        };
        let mut rows = partner::Entity::find()
            .filter(partner::Column::Id.is_in(ids))
            .filter(partner::Column::DeletedAt.is_null())
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .all(&self.db)
            .await?;
        // A merged partner answers through its survivor.
        rows.retain(|p| p.merged_into_id.is_none());
        Ok(rows)
    }

    /// Record a new activity (a draft).
    pub async fn activity_create(
        &self,
        ctx: &Ctx,
        form: &ActivityForm,
    ) -> Result<activity::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let (input, r) = self.resolve_activity(ctx, form, None).await?;
        let t = now();
        let m = model(Uuid::now_v7(), &input, &r, ctx, t);
        let tx = self.begin_write().await?;
        activity::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        write_links(&tx, &m, &input, &r).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.owner_agency_id),
                classification: r.class,
                after: Some(with_links(&m, &input, &r)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        tx.commit().await?;
        self.clashes_told(ctx, &m).await;
        Ok(m)
    }

    /// After a save, the authors of the activities it clashes with are told.
    /// The save has landed: a failure here is logged, not returned.
    async fn clashes_told(&self, ctx: &Ctx, a: &activity::Model) {
        if let Err(e) = self.notify_clashes(ctx, a).await {
            tracing::warn!(error = %e, activity = %a.id, "clash notifications not written");
        }
    }

    /// Change an activity; `version` is the one the actor read (stale → Conflict).
    pub async fn activity_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &ActivityForm,
    ) -> Result<activity::Model, StoreError> {
        // The basis the activity names now: a retired item may stay where it is.
        let previous: Option<Uuid> = activity::Entity::find_by_id(id)
            .select_only()
            .column(activity::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let (input, mut r) = self.resolve_activity(ctx, form, previous).await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_activity(&tx, ctx, id).await?;
        // Links to partners the editor may not see were not on their form: they
        // stay as they are rather than being dropped by the edit.
        let linked: Vec<Uuid> = activity_partner::Entity::find()
            .select_only()
            .column(activity_partner::Column::PartnerId)
            .filter(activity_partner::Column::ActivityId.eq(id))
            .into_tuple()
            .all(&tx)
            .await?;
        Self::keep_hidden_links(&tx, ctx, linked, &mut r.partners).await?;
        let status = Status::parse(&before.status).unwrap_or(Status::Draft);
        if !ctx
            .actor
            .can_write(before.lead_agency_id, from_rank(before.classification))
        {
            return Err(StoreError::forbidden());
        }
        if status.is_final() {
            return Err(StoreError::Forbidden(Msg::new(
                "Hoạt động đã báo cáo hoặc đã hủy không sửa được nữa.",
                "A reported or cancelled activity can no longer be edited.",
            )));
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut after = model(id, &input, &r, ctx, now());
        after.status = before.status.clone();
        after.status_note = before.status_note.clone();
        after.submitted_at = before.submitted_at;
        after.outcome = before.outcome.clone();
        after.reported_at = before.reported_at;
        after.sequence = before.sequence + 1;
        after.version = before.version + 1;
        after.created_at = before.created_at;
        after.created_by = before.created_by;
        save_versioned(&tx, &after, before.version).await?;
        activity_agency::Entity::delete_many()
            .filter(activity_agency::Column::ActivityId.eq(id))
            .exec(&tx)
            .await?;
        activity_partner::Entity::delete_many()
            .filter(activity_partner::Column::ActivityId.eq(id))
            .exec(&tx)
            .await?;
        activity_partner_agency::Entity::delete_many()
            .filter(activity_partner_agency::Column::ActivityId.eq(id))
            .exec(&tx)
            .await?;
        activity_person::Entity::delete_many()
            .filter(activity_person::Column::ActivityId.eq(id))
            .exec(&tx)
            .await?;
        write_links(&tx, &after, &input, &r).await?;
        crate::commitments::follow_source(
            &tx,
            ctx,
            crate::commitments::SourceRecord::Activity(id),
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
                after: Some(with_links(&after, &input, &r)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        self.clashes_told(ctx, &after).await;
        Ok(after)
    }

    /// Move the activity along its workflow. Decisions are a leader's; returning
    /// and cancelling need a reason, reporting carries the outcome.
    pub async fn activity_transition(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &TransitionForm,
    ) -> Result<activity::Model, StoreError> {
        let Some(t) = Transition::parse(&f.transition) else {
            return Err(FieldErrors::single(
                "transition",
                kieng_domain::error::msgs::invalid_choice(),
            )
            .into());
        };
        let note = f
            .note
            .as_deref()
            .map(|n| clean(n, true))
            .filter(|n| !n.is_empty());
        let graph = self.agency_graph().await?;
        let tx = self.begin_write().await?;
        let before = Self::visible_activity(&tx, ctx, id).await?;
        let class = from_rank(before.classification);
        if !may_move(&ctx.actor, t, before.lead_agency_id, class) {
            return Err(if t.is_decision() {
                StoreError::Forbidden(Msg::new(
                    "Chỉ lãnh đạo có phạm vi bao gồm cơ quan chủ trì mới được phê duyệt hoặc trả lại.",
                    "Only a leader whose scope covers the lead agency approves or returns.",
                ))
            } else {
                StoreError::forbidden()
            });
        }
        if before.version != f.version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let from = Status::parse(&before.status).unwrap_or(Status::Draft);
        let t_now = now();
        let to = check_move(from, t, note.as_deref(), before.starts_at, t_now)?;
        let mut after = before.clone();
        after.status = to.as_str().into();
        match t {
            Transition::Submit => after.submitted_at = Some(t_now),
            Transition::Report => {
                after.outcome = note.clone();
                after.reported_at = Some(t_now);
            }
            Transition::Return | Transition::Cancel => after.status_note = note.clone(),
            _ => {}
        }
        after.sequence += 1;
        after.version += 1;
        after.updated_at = t_now;
        after.updated_by = Some(ctx.actor.user_id);
        save_versioned(&tx, &after, before.version).await?;
        activity_event::Entity::insert(activity_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            activity_id: Set(id),
            transition: Set(t.as_str().into()),
            from_status: Set(from.as_str().into()),
            to_status: Set(to.as_str().into()),
            note: Set(note.clone()),
            at: Set(t_now),
            actor_id: Set(Some(ctx.actor.user_id)),
        })
        .exec_without_returning(&tx)
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.owner_agency_id),
                classification: class,
                before: Some(serde_json::json!({"status": from.as_str()})),
                after: Some(serde_json::json!({"status": to.as_str(), "transition": t.as_str(), "note": note, "outcome": after.outcome})),
                ..Change::new(ENTITY, id, "transition")
            },
        )
        .await?;
        crate::notifications::after_move(&tx, &graph, ctx, &after, t, note.as_deref()).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The agency references for the lead agencies the actor may record for.
    pub async fn activity_lead_choices(&self, ctx: &Ctx) -> Result<Vec<AgencyRef>, StoreError> {
        Ok(self
            .agency_choices(ctx)
            .await?
            .into_iter()
            .filter(|a| ctx.actor.write.contains(a.id))
            .collect())
    }
}

pub(super) fn model(
    id: Uuid,
    input: &ActivityInput,
    r: &Resolved,
    ctx: &Ctx,
    t: chrono::DateTime<chrono::Utc>,
) -> activity::Model {
    let mut text = vec![input.title.clone()];
    text.extend(input.city.clone());
    text.extend(input.head_name.clone());
    text.extend(input.members.iter().map(|m| m.name.clone()));
    activity::Model {
        id,
        type_code: input.type_code.clone(),
        title: input.title.clone(),
        text_fold: fold(&text.join(" ")),
        pillar: r.pillar.as_str().into(),
        channel: input.channel.map(|c| c.as_str().into()),
        lead_agency_id: r.lead.id,
        head_name: input.head_name.clone(),
        head_level: input.head_level.map(|h| h.as_str().into()),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        time_zone: input.time_zone.name().into(),
        country_code: input.country_code.clone(),
        city: input.city.clone(),
        purpose: input.purpose.clone(),
        programme: input.programme.clone(),
        inviting_party: input.inviting_party.clone(),
        funding: input.funding.clone(),
        authority: input.authority.map(|a| a.as_str().into()),
        filed_on: input.filed_on,
        decision_number: input.decision_number.clone(),
        decision_date: input.decision_date,
        approver: input.approver.clone(),
        status: Status::Draft.as_str().into(),
        status_note: None,
        submitted_at: None,
        outcome: None,
        reported_at: None,
        sequence: 0,
        owner_agency_id: r.lead.id,
        classification: rank(r.class),
        secret_item_id: r.secret_item,
        version: 1,
        created_at: t,
        created_by: Some(ctx.actor.user_id),
        updated_at: t,
        updated_by: Some(ctx.actor.user_id),
        deleted_at: None,
        deleted_by: None,
    }
}

/// The audit snapshot: the row plus what it links to.
pub(super) fn with_links(
    m: &activity::Model,
    input: &ActivityInput,
    r: &Resolved,
) -> serde_json::Value {
    let mut v = snapshot(m);
    v["agencies"] = serde_json::json!(r.agencies);
    v["partners"] = serde_json::json!(r.partners);
    v["members"] = serde_json::json!(input.members);
    v["local_day"] = serde_json::json!(vn_date(m.starts_at));
    v
}

pub(super) async fn write_links<C: ConnectionTrait>(
    tx: &C,
    m: &activity::Model,
    input: &ActivityInput,
    r: &Resolved,
) -> Result<(), StoreError> {
    if !r.agencies.is_empty() {
        activity_agency::Entity::insert_many(
            r.agencies
                .iter()
                .map(|a| participation(m, *a).into_active_model()),
        )
        .exec_without_returning(tx)
        .await?;
    }
    if !r.partners.is_empty() {
        activity_partner::Entity::insert_many(
            r.partners
                .iter()
                .map(|p| super::link(m, *p).into_active_model()),
        )
        .exec_without_returning(tx)
        .await?;
    }
    if !r.agencies.is_empty() && !r.partners.is_empty() {
        activity_partner_agency::Entity::insert_many(r.partners.iter().flat_map(|p| {
            r.agencies
                .iter()
                .map(|a| activity_partner_agency::ActiveModel {
                    partner_id: Set(*p),
                    agency_id: Set(*a),
                    activity_id: Set(m.id),
                })
        }))
        .exec_without_returning(tx)
        .await?;
    }
    let mut seen = std::collections::HashSet::new();
    let mut people = Vec::new();
    let head = input.head_name.iter().map(|n| (n.clone(), None, true));
    let members = input
        .members
        .iter()
        .map(|mem| (mem.name.clone(), mem.position.clone(), false));
    for (name, position, is_head) in head.chain(members) {
        let key = name_key(&name);
        if key.is_empty() || !seen.insert(key.clone()) {
            continue;
        }
        people.push(activity_person::ActiveModel {
            activity_id: Set(m.id),
            name_key: Set(key),
            name: Set(name),
            position: Set(position),
            head: Set(is_head),
            starts_at: Set(m.starts_at),
            ends_at: Set(m.ends_at),
        });
    }
    if !people.is_empty() {
        activity_person::Entity::insert_many(people)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// An agency's participation in the activity, with the activity's columns copied.
pub fn participation(m: &activity::Model, agency: Uuid) -> activity_agency::Model {
    activity_agency::Model {
        activity_id: m.id,
        agency_id: agency,
        starts_at: m.starts_at,
        owner_agency_id: m.owner_agency_id,
        classification: m.classification,
        pillar: m.pillar.clone(),
        deleted_at: m.deleted_at,
    }
}

/// Write the row only if its version is still `expected`.
pub(super) async fn save_versioned<C: ConnectionTrait>(
    tx: &C,
    m: &activity::Model,
    expected: i32,
) -> Result<(), StoreError> {
    let res = activity::Entity::update_many()
        .set(m.clone().into_active_model().reset_all())
        .filter(activity::Column::Id.eq(m.id))
        .filter(activity::Column::Version.eq(expected))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(StoreError::Conflict {
            current_version: expected,
            current: serde_json::Value::Null,
        });
    }
    Ok(())
}

impl Store {
    /// An administrator adds an activity type (code: lowercase letters, digits, `_`).
    pub async fn activity_type_add(
        &self,
        ctx: &Ctx,
        code: &str,
        name_vi: &str,
        name_en: &str,
    ) -> Result<activity_type::Model, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let mut e = FieldErrors::new();
        let code = code.trim().to_lowercase();
        if code.is_empty()
            || code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add(
                "code",
                Msg::new(
                    "Mã gồm chữ thường không dấu, chữ số và dấu gạch dưới (tối đa 40).",
                    "Use lowercase letters, digits and underscores (at most 40).",
                ),
            );
        }
        let name_vi = kieng_domain::text::required(&mut e, "name_vi", name_vi, 200);
        let name_en = kieng_domain::text::required(&mut e, "name_en", name_en, 200);
        if e.is_empty()
            && activity_type::Entity::find_by_id(code.clone())
                .one(&self.db)
                .await?
                .is_some()
        {
            e.add(
                "code",
                Msg::new("Mã này đã có.", "This code is already used."),
            );
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let m = activity_type::Model {
            code,
            name_vi,
            name_en,
            builtin: false,
            created_at: now(),
        };
        let tx = self.begin_write().await?;
        activity_type::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                after: serde_json::to_value(&m).ok(),
                ..Change::new("activity_type", &m.code, "create")
            },
        )
        .await?;
        tx.commit().await?;
        self.caches.types_forget();
        Ok(m)
    }
}
