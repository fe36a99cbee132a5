//! Writing cases: intake, the full record (version-checked), workflow moves,
//! timeline actions, people (sealed) and the team. Every change is checked,
//! written and audited in one transaction; the audit entry of a case never
//! holds personal data — a person is named in it by id and role only.

use super::ENTITY;
use crate::audit::{Change, append, from_rank};
use crate::entity::{
    country, protection_action, protection_case, protection_person, protection_team, user,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::protection::person::{PersonForm, PersonInput};
use kieng_domain::protection::{
    ActionForm, ActionInput, CaseForm, CaseInput, IntakeForm, IntakeInput, MAX_PEOPLE, MAX_TEAM,
    Move, Status, case_number, first_contact_due,
};
use kieng_domain::text::fold;
use kieng_domain::{Classification, FieldErrors, Msg};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect,
};
use serde::Deserialize;
use uuid::Uuid;

/// A move as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseMoveForm {
    #[serde(default, rename = "move")]
    pub move_code: String,
    pub reason: Option<String>,
    #[serde(default)]
    pub version: i32,
}

/// A colleague named on (or taken off) the team.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub username: String,
    /// "remove" takes them off.
    pub action: Option<String>,
}

pub(super) fn snapshot(c: &protection_case::Model) -> serde_json::Value {
    serde_json::to_value(c).unwrap_or(serde_json::Value::Null)
}

fn not_working() -> StoreError {
    StoreError::Forbidden(Msg::new(
        "Bạn không xử lý hồ sơ này.",
        "You do not work on this case.",
    ))
}

/// The next number of a counter created on first use, in the transaction.
pub(super) async fn next_in<C: ConnectionTrait>(tx: &C, name: &str) -> Result<i64, StoreError> {
    let mut ins = Query::insert();
    ins.into_table("counters")
        .columns(["name", "value"])
        .values_panic([name.into(), 0i64.into()])
        .on_conflict(OnConflict::column("name").do_nothing().to_owned());
    tx.execute(&ins).await?;
    crate::counters::bump(tx, name).await?;
    crate::counters::value(tx, name).await
}

impl Store {
    /// A country by ISO alpha-2 code or by its name, with or without
    /// diacritics.
    pub(crate) async fn country_named(
        &self,
        e: &mut FieldErrors,
        s: &str,
    ) -> Result<Option<String>, StoreError> {
        let code = s.trim().to_uppercase();
        let folded = fold(s);
        let found = country::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .find(|c| c.alpha2 == code || fold(&c.name_vi) == folded || fold(&c.name_en) == folded)
            .map(|c| c.alpha2);
        if found.is_none() {
            e.add(
                "country",
                Msg::new(
                    "Không có quốc gia mang mã hoặc tên này.",
                    "No country has this code or name.",
                ),
            );
        }
        Ok(found)
    }

    pub(super) async fn active_user(
        &self,
        e: &mut FieldErrors,
        field: &str,
        name: &str,
    ) -> Result<Option<user::Model>, StoreError> {
        let u = user::Entity::find()
            .filter(user::Column::Username.eq(name.trim().to_lowercase()))
            .filter(user::Column::DisabledAt.is_null())
            .one(&self.db)
            .await?;
        if u.is_none() {
            e.add(
                field,
                Msg::new(
                    "Không có tài khoản đang hoạt động với tên này.",
                    "No active account has this username.",
                ),
            );
        }
        Ok(u)
    }

    pub(super) fn seal_person(&self, id: Uuid, p: &PersonInput) -> Result<String, StoreError> {
        let plain = serde_json::to_vec(&p.data)
            .map_err(|e| StoreError::Internal(format!("sealing a person: {e}")))?;
        Ok(self.sealer()?.seal(id, &plain))
    }

    async fn insert_person<C: ConnectionTrait>(
        &self,
        tx: &C,
        ctx: &Ctx,
        case: &protection_case::Model,
        p: &PersonInput,
    ) -> Result<Uuid, StoreError> {
        let n = protection_person::Entity::find()
            .filter(protection_person::Column::CaseId.eq(case.id))
            .count(tx)
            .await?;
        if n as usize >= MAX_PEOPLE {
            return Err(StoreError::Invalid(FieldErrors::single(
                "full_name",
                Msg::new(
                    format!("Một hồ sơ có tối đa {MAX_PEOPLE} người."),
                    format!("A case holds at most {MAX_PEOPLE} people."),
                ),
            )));
        }
        let id = Uuid::now_v7();
        protection_person::Entity::insert(protection_person::ActiveModel {
            id: sea_orm::Set(id),
            case_id: sea_orm::Set(case.id),
            role: sea_orm::Set(p.role.as_str().to_string()),
            position: sea_orm::Set(i32::try_from(n).unwrap_or(i32::MAX)),
            sealed: sea_orm::Set(self.seal_person(id, p)?),
            created_at: sea_orm::Set(now()),
            created_by: sea_orm::Set(Some(ctx.actor.user_id)),
            deleted_at: sea_orm::Set(None),
        })
        .exec_without_returning(tx)
        .await?;
        super::lookup::index_person(tx, self.sealer()?, case.id, id, &p.data).await?;
        append(
            tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(case.agency_id),
                classification: from_rank(case.classification),
                after: Some(serde_json::json!({"person": id, "role": p.role.as_str()})),
                ..Change::new(ENTITY, case.id, "person_add")
            },
        )
        .await?;
        Ok(id)
    }

    /// Take a case in: the hotline's short form. The reader's agency is the
    /// intake agency; the agency in charge is the one named (default: the
    /// reader's). The first-contact clock starts now; the intake officer is
    /// on the team.
    pub async fn case_intake(
        &self,
        ctx: &Ctx,
        form: &IntakeForm,
    ) -> Result<protection_case::Model, StoreError> {
        if ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::forbidden());
        }
        let mut e = FieldErrors::new();
        let input = match IntakeInput::parse(form) {
            Ok(i) => Some(i),
            Err(fe) => {
                e.0.extend(fe.0);
                None
            }
        };
        let country = match form.country.trim() {
            "" => None,
            c => self.country_named(&mut e, c).await?,
        };
        let dir = self.directory().await?;
        let agency = match form
            .agency
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(ctx.actor.agency_id),
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
        let (Some(input), Some(country), Some(agency)) = (input, country, agency) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        if input.caller.is_some() || input.citizen.is_some() {
            self.sealer()?;
        }
        let tx = self.begin_write().await?;
        let m = self.insert_case(&tx, ctx, &input, country, agency).await?;
        crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Write a case taken in, with its people, in the caller's transaction:
    /// the clock starts now and the reader is on its team.
    pub(super) async fn insert_case<C: ConnectionTrait>(
        &self,
        tx: &C,
        ctx: &Ctx,
        input: &IntakeInput,
        country: String,
        agency: Uuid,
    ) -> Result<protection_case::Model, StoreError> {
        let opened = now();
        let days = self.day_overrides().await?;
        let due = first_contact_due(
            input.severity,
            opened,
            &self.config.protection.clocks,
            &days,
        );
        let year = chrono::Datelike::year(&crate::today());
        let seq = next_in(tx, &format!("protection_case_{year}")).await?;
        let m = protection_case::Model {
            id: Uuid::now_v7(),
            number: case_number(year, seq),
            agency_id: agency,
            intake_agency_id: ctx.actor.agency_id,
            source: input.source.as_str().into(),
            category: input.category.as_str().into(),
            severity: input.severity.as_str().into(),
            status: Status::New.as_str().into(),
            is_open: true,
            summary: input.summary.clone(),
            country_code: country,
            place: input.place.clone(),
            authority_partner_id: None,
            legal_entity: None,
            officer_id: None,
            opened_at: opened,
            first_contact_due: due,
            first_contact_at: None,
            next_action: None,
            next_action_due: None,
            closed_at: None,
            legal_hold: false,
            talking_point: None,
            personal_purged_at: None,
            classification: 0,
            secret_item_id: None,
            version: 1,
            created_at: opened,
            created_by: Some(ctx.actor.user_id),
            updated_at: opened,
            updated_by: Some(ctx.actor.user_id),
            deleted_at: None,
            deleted_by: None,
        };
        protection_case::Entity::insert(m.clone().into_active_model())
            .exec_without_returning(tx)
            .await?;
        protection_team::Entity::insert(protection_team::ActiveModel {
            case_id: sea_orm::Set(m.id),
            user_id: sea_orm::Set(ctx.actor.user_id),
            added_at: sea_orm::Set(opened),
            added_by: sea_orm::Set(Some(ctx.actor.user_id)),
        })
        .exec_without_returning(tx)
        .await?;
        append(
            tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(m.agency_id),
                classification: Classification::None,
                after: Some(snapshot(&m)),
                ..Change::new(ENTITY, m.id, "create")
            },
        )
        .await?;
        for p in [&input.caller, &input.citizen].into_iter().flatten() {
            self.insert_person(tx, ctx, &m, p).await?;
        }
        Ok(m)
    }

    /// Complete or correct a case's record (version-checked).
    pub async fn case_update(
        &self,
        ctx: &Ctx,
        id: Uuid,
        version: i32,
        form: &CaseForm,
    ) -> Result<protection_case::Model, StoreError> {
        let mut e = FieldErrors::new();
        let class = Classification::parse_for_record(
            &mut e,
            form.classification.as_deref(),
            self.config.max_classification,
            ctx.actor.clearance,
        );
        let previous: Option<Uuid> = protection_case::Entity::find_by_id(id)
            .select_only()
            .column(protection_case::Column::SecretItemId)
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        let secret_item = self
            .secret_basis(&mut e, class, form.secret_item.as_deref(), previous)
            .await?;
        let input = match CaseInput::parse(form) {
            Ok(i) => Some(i),
            Err(fe) => {
                e.0.extend(fe.0);
                None
            }
        };
        let country = match form.country.trim() {
            "" => None,
            c => self.country_named(&mut e, c).await?,
        };
        let dir = self.directory().await?;
        let agency = match form.agency.trim() {
            "" => None,
            code => {
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
        let officer = match input.as_ref().and_then(|i| i.officer.as_deref()) {
            Some(name) => self
                .active_user(&mut e, "officer", name)
                .await?
                .map(|u| u.id),
            None => None,
        };
        let authority = match input.as_ref().and_then(|i| i.authority.clone()) {
            Some(name) => self
                .partners_by_names(ctx, &[name], "authority", &mut e)
                .await?
                .first()
                .copied(),
            None => None,
        };
        let (Some(input), Some(country), Some(agency)) = (input, country, agency) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let tx = self.begin_write().await?;
        let before = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &before).await?;
        if !self.may_work(ctx, &before, team) {
            return Err(not_working());
        }
        // Who is on the team is the team's to decide: an officer assigned
        // sees the personal data; so is keeping it past retention.
        // The mission in charge brings its leaders onto the team.
        if (officer != before.officer_id
            || agency != before.agency_id
            || input.legal_hold != before.legal_hold)
            && !team
        {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ nhóm xử lý vụ việc được đổi cơ quan chủ trì, cán bộ phụ trách hoặc lưu giữ thông tin cá nhân.",
                "Only the case's team may change its mission, its officer or the hold on its personal data.",
            )));
        }
        if before.version != version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let mut after = before.clone();
        // A new severity restarts nothing: the clock runs from intake.
        if input.severity.as_str() != before.severity && before.first_contact_at.is_none() {
            let days = self.day_overrides().await?;
            after.first_contact_due = first_contact_due(
                input.severity,
                before.opened_at,
                &self.config.protection.clocks,
                &days,
            );
        }
        after.category = input.category.as_str().into();
        after.severity = input.severity.as_str().into();
        after.summary = input.summary;
        after.country_code = country;
        after.place = input.place;
        after.agency_id = agency;
        after.officer_id = officer;
        // A partner the editor may not see was not shown: empty keeps it.
        after.authority_partner_id = match (authority, before.authority_partner_id) {
            (Some(a), _) => Some(a),
            (None, Some(kept)) if self.partner_filter(ctx, Some(kept)).await? != Some(kept) => {
                Some(kept)
            }
            (None, _) => None,
        };
        after.legal_entity = input.legal_entity;
        after.legal_hold = input.legal_hold;
        after.talking_point = input.talking_point;
        after.next_action = input.next_action;
        after.next_action_due = input.next_action_due;
        after.classification = crate::audit::rank(class);
        after.secret_item_id = secret_item;
        self.case_save(&tx, ctx, &mut after, before.version).await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.agency_id),
                classification: class.max(from_rank(before.classification)),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
                ..Change::new(ENTITY, id, "update")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn case_save<C: ConnectionTrait>(
        &self,
        tx: &C,
        ctx: &Ctx,
        after: &mut protection_case::Model,
        version: i32,
    ) -> Result<(), StoreError> {
        after.version = version + 1;
        after.updated_at = now();
        after.updated_by = Some(ctx.actor.user_id);
        let res = protection_case::Entity::update_many()
            .set(after.clone().into_active_model().reset_all())
            .filter(protection_case::Column::Id.eq(after.id))
            .filter(protection_case::Column::Version.eq(version))
            .exec(tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(StoreError::Conflict {
                current_version: version,
                current: snapshot(after),
            });
        }
        crate::counters::bump(tx, crate::counters::PROTECTION).await?;
        // Commitments that came from the case answer to its readers.
        crate::commitments::follow_source(
            tx,
            ctx,
            crate::commitments::SourceRecord::Case(after.id),
            after.agency_id,
            after.classification,
        )
        .await?;
        Ok(())
    }

    /// Move a case through its workflow; reopening needs its reason. The
    /// move is written on the timeline.
    pub async fn case_move(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &CaseMoveForm,
    ) -> Result<protection_case::Model, StoreError> {
        let Some(mv) = Move::parse(f.move_code.trim()) else {
            return Err(StoreError::Invalid(FieldErrors::single(
                "move",
                kieng_domain::error::msgs::invalid_choice(),
            )));
        };
        let reason = f
            .reason
            .as_deref()
            .map(|s| kieng_domain::text::clean(s, true))
            .filter(|s| !s.is_empty());
        if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "reason",
                kieng_domain::error::msgs::too_long(2000),
            )));
        }
        if mv.needs_reason() && reason.is_none() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "reason",
                Msg::new(
                    "Ghi lý do mở lại hồ sơ.",
                    "Give the reason for reopening it.",
                ),
            )));
        }
        let tx = self.begin_write().await?;
        let before = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &before).await?;
        if !self.may_work(ctx, &before, team) {
            return Err(not_working());
        }
        if before.version != f.version {
            return Err(StoreError::Conflict {
                current_version: before.version,
                current: snapshot(&before),
            });
        }
        let from = Status::parse(&before.status).unwrap_or(Status::New);
        let to = mv
            .target(from)
            .map_err(|m| StoreError::Invalid(FieldErrors::single("move", m)))?;
        let mut after = before.clone();
        after.status = to.as_str().into();
        after.is_open = to.is_open();
        after.closed_at = match to {
            Status::Closed => Some(now()),
            s if s.is_open() => None,
            _ => before.closed_at,
        };
        self.case_save(&tx, ctx, &mut after, before.version).await?;
        protection_action::Entity::insert(protection_action::ActiveModel {
            id: sea_orm::Set(Uuid::now_v7()),
            case_id: sea_orm::Set(id),
            kind: sea_orm::Set("other".into()),
            at: sea_orm::Set(now()),
            note: sea_orm::Set(reason.clone().unwrap_or_default()),
            first_contact: sea_orm::Set(false),
            move_code: sea_orm::Set(Some(mv.as_str().into())),
            by_user: sea_orm::Set(Some(ctx.actor.user_id)),
            by_name: sea_orm::Set(ctx.actor.username.clone()),
            created_at: sea_orm::Set(now()),
        })
        .exec_without_returning(&tx)
        .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(after.agency_id),
                classification: from_rank(after.classification),
                before: Some(serde_json::json!({"status": before.status})),
                after: Some(serde_json::json!({"status": after.status, "reason": reason})),
                ..Change::new(ENTITY, id, mv.as_str())
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Record an action on the timeline; the first that reached the citizen
    /// (or the caller) stops the first-contact clock.
    pub async fn case_action_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &ActionForm,
    ) -> Result<protection_action::Model, StoreError> {
        let input = ActionInput::parse(f, now())?;
        let tx = self.begin_write().await?;
        let c = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &c).await?;
        if !self.may_work(ctx, &c, team) {
            return Err(not_working());
        }
        let at = input.at.unwrap_or_else(now);
        let a = protection_action::Model {
            id: Uuid::now_v7(),
            case_id: id,
            kind: input.kind.as_str().into(),
            at,
            note: input.note,
            first_contact: input.first_contact,
            move_code: None,
            by_user: Some(ctx.actor.user_id),
            by_name: ctx.actor.username.clone(),
            created_at: now(),
        };
        protection_action::Entity::insert(a.clone().into_active_model())
            .exec_without_returning(&tx)
            .await?;
        if input.first_contact && c.first_contact_at.is_none() {
            let mut after = c.clone();
            after.first_contact_at = Some(at);
            self.case_save(&tx, ctx, &mut after, c.version).await?;
        } else {
            crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::to_value(&a).unwrap_or_default()),
                ..Change::new(ENTITY, id, "action")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Add a person to a case, their personal data sealed.
    pub async fn case_person_add(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &PersonForm,
    ) -> Result<Uuid, StoreError> {
        let input = PersonInput::parse(f, crate::today())?;
        self.sealer()?;
        let tx = self.begin_write().await?;
        let c = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &c).await?;
        if !self.may_work(ctx, &c, team) {
            return Err(not_working());
        }
        let pid = self.insert_person(&tx, ctx, &c, &input).await?;
        crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        tx.commit().await?;
        Ok(pid)
    }

    /// Name a colleague on the team, or take one off.
    pub async fn case_team_change(
        &self,
        ctx: &Ctx,
        id: Uuid,
        f: &TeamForm,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        let Some(u) = self.active_user(&mut e, "username", &f.username).await? else {
            return Err(e.into());
        };
        let remove = f.action.as_deref() == Some("remove");
        let tx = self.begin_write().await?;
        let c = Self::visible_case(&tx, ctx, id).await?;
        let team = self.case_team_of(&tx, ctx, &c).await?;
        // Only the team names its colleagues: joining it opens the personal data.
        if !team || ctx.actor.role == kieng_domain::Role::Viewer {
            return Err(StoreError::Forbidden(Msg::new(
                "Chỉ nhóm xử lý vụ việc được thêm, bớt thành viên.",
                "Only the case's team may change who is on it.",
            )));
        }
        if remove {
            protection_team::Entity::delete_many()
                .filter(protection_team::Column::CaseId.eq(id))
                .filter(protection_team::Column::UserId.eq(u.id))
                .exec(&tx)
                .await?;
        } else {
            let n = protection_team::Entity::find()
                .filter(protection_team::Column::CaseId.eq(id))
                .count(&tx)
                .await?;
            if n as usize >= MAX_TEAM {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "username",
                    Msg::new(
                        format!("Nhóm xử lý có tối đa {MAX_TEAM} người."),
                        format!("A team has at most {MAX_TEAM} colleagues."),
                    ),
                )));
            }
            protection_team::Entity::insert(protection_team::ActiveModel {
                case_id: sea_orm::Set(id),
                user_id: sea_orm::Set(u.id),
                added_at: sea_orm::Set(now()),
                added_by: sea_orm::Set(Some(ctx.actor.user_id)),
            })
            .on_conflict(
                OnConflict::columns([
                    protection_team::Column::CaseId,
                    protection_team::Column::UserId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&tx)
            .await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(c.agency_id),
                classification: from_rank(c.classification),
                after: Some(serde_json::json!({"user": u.username, "removed": remove})),
                ..Change::new(ENTITY, id, "team")
            },
        )
        .await?;
        crate::counters::bump(&tx, crate::counters::PROTECTION).await?;
        tx.commit().await?;
        Ok(())
    }
}
