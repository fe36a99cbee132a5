//! The data-subject export (Law 91/2025/QH15): everything Kiềng holds about
//! one person — each case they are on and its timeline, each crisis registry
//! entry — as one file, for a member of the teams that hold it. The person
//! is named by a passport number, or by full name and birth date; found by
//! the keyed digests (`lookup`, `crisis::dup_keys`) and then checked against
//! the unsealed data, so a shared name never brings in someone else. Every
//! case and crisis read for it records an opening.

use crate::audit::{Change, append, from_rank};
use crate::entity::{
    crisis, crisis_opening, crisis_person, protection_action, protection_case, protection_lookup,
    protection_opening, protection_person,
};
use crate::{Ctx, Store, StoreError, now};
use kieng_domain::protection::crisis::dup_keys;
use kieng_domain::protection::person::{PersonData, document_number};
use kieng_domain::text::fold;
use kieng_domain::{FieldErrors, Msg};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whom the export is about.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubjectForm {
    pub passport: Option<String>,
    pub full_name: Option<String>,
    /// dd/mm/yyyy or ISO; needed with a name.
    pub birth_date: Option<String>,
}

/// One action of a case's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectAction {
    pub at: chrono::DateTime<chrono::Utc>,
    pub kind: String,
    pub note: String,
    pub by: String,
}

/// A case the person is on.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectCase {
    pub number: String,
    pub role: String,
    pub person: PersonData,
    pub category: String,
    pub status: String,
    pub country: String,
    pub place: Option<String>,
    pub summary: String,
    pub opened_at: chrono::DateTime<chrono::Utc>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub actions: Vec<SubjectAction>,
}

/// A crisis registry entry of the person.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectEntry {
    pub crisis: String,
    pub country: String,
    pub person: PersonData,
    pub status: String,
    pub place: String,
    pub transport: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Everything held about one person that the reader's teams hold.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectExport {
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub generated_by: String,
    /// The law the export answers.
    pub basis: &'static str,
    pub cases: Vec<SubjectCase>,
    pub crises: Vec<SubjectEntry>,
}

/// Who a form names, checked.
struct Subject {
    passport: Option<String>,
    name: Option<(String, chrono::NaiveDate)>,
}

impl Subject {
    fn parse(f: &SubjectForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let passport = f
            .passport
            .as_deref()
            .map(document_number)
            .filter(|n| !n.is_empty());
        if passport.as_ref().is_some_and(|n| n.len() < 5) {
            e.add(
                "passport",
                Msg::new(
                    "Số giấy tờ có ít nhất 5 chữ và số.",
                    "A document number has at least 5 letters and digits.",
                ),
            );
        }
        let name = f.full_name.as_deref().map(fold).filter(|n| !n.is_empty());
        let birth = match f.birth_date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let d = kieng_domain::days::parse_date(s);
                if d.is_none() {
                    e.add(
                        "birth_date",
                        Msg::new(
                            "Ghi ngày sinh dạng 25/04/1990.",
                            "Write the birth date as 25/04/1990.",
                        ),
                    );
                }
                d
            }
        };
        let name = match (name, birth) {
            (Some(n), Some(b)) => Some((n, b)),
            (Some(_), None) if passport.is_none() && e.is_empty() => {
                e.add(
                    "birth_date",
                    Msg::new(
                        "Có họ tên thì cần ngày sinh: họ tên trùng nhau là chuyện thường.",
                        "A name needs a birth date: names are shared.",
                    ),
                );
                None
            }
            _ => None,
        };
        if passport.is_none() && name.is_none() && e.is_empty() {
            e.add(
                "passport",
                Msg::new(
                    "Ghi số hộ chiếu, hoặc họ tên và ngày sinh.",
                    "Give a passport number, or a full name and birth date.",
                ),
            );
        }
        if e.is_empty() {
            Ok(Self { passport, name })
        } else {
            Err(e)
        }
    }

    /// Is this unsealed person the subject?
    fn is(&self, p: &PersonData) -> bool {
        let by_passport = match (&self.passport, &p.passport) {
            (Some(a), Some(b)) => *a == document_number(b),
            _ => false,
        };
        let by_name = match &self.name {
            Some((n, b)) => fold(&p.full_name) == *n && p.birth_date == Some(*b),
            None => false,
        };
        by_passport || by_name
    }
}

impl Store {
    /// Everything held about one person in the cases and crises whose team
    /// the reader is on; each one read is recorded as an opening, and the
    /// export itself in the audit chain (without who it was about).
    pub async fn subject_export(
        &self,
        ctx: &Ctx,
        f: &SubjectForm,
    ) -> Result<SubjectExport, StoreError> {
        let subject = Subject::parse(f)?;
        let sealer = self.sealer()?.clone();
        // Cases: candidates by digest, on the reader's teams.
        let mut texts = Vec::new();
        if let Some(n) = &subject.passport {
            texts.push(format!("passport:{n}"));
            texts.push(format!("id:{n}"));
        }
        if let Some((n, _)) = &subject.name {
            texts.push(format!("name:{n}"));
        }
        let digests: Vec<String> = texts.iter().map(|t| sealer.blind(t)).collect();
        let people: Vec<Uuid> = protection_lookup::Entity::find()
            .filter(protection_lookup::Column::Digest.is_in(digests))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.person_id)
            .collect();
        let consular = self.consular_id().await?;
        let mut cases = Vec::new();
        let mut opened_cases = Vec::new();
        if !people.is_empty() {
            let rows = protection_person::Entity::find()
                .filter(protection_person::Column::Id.is_in(people))
                .filter(protection_person::Column::DeletedAt.is_null())
                .all(&self.db)
                .await?;
            for p in rows {
                let Some(c) = protection_case::Entity::find_by_id(p.case_id)
                    .filter(Self::case_visible(ctx))
                    .filter(Self::case_team_condition(ctx, consular))
                    .one(&self.db)
                    .await?
                else {
                    continue;
                };
                let data = self.unseal_person(&p)?;
                if !subject.is(&data) {
                    continue;
                }
                let actions = protection_action::Entity::find()
                    .filter(protection_action::Column::CaseId.eq(c.id))
                    .order_by_asc(protection_action::Column::At)
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|a| SubjectAction {
                        at: a.at,
                        kind: a.kind,
                        note: a.note,
                        by: a.by_name,
                    })
                    .collect();
                cases.push(SubjectCase {
                    number: c.number.clone(),
                    role: p.role,
                    person: data,
                    category: c.category.clone(),
                    status: c.status.clone(),
                    country: c.country_code.clone(),
                    place: c.place.clone(),
                    summary: c.summary.clone(),
                    opened_at: c.opened_at,
                    closed_at: c.closed_at,
                    actions,
                });
                opened_cases.push(c);
            }
        }
        // Crisis registries: by passport, or by name and birth date.
        let probe = PersonData {
            full_name: subject
                .name
                .as_ref()
                .map(|n| n.0.clone())
                .unwrap_or_default(),
            birth_date: subject.name.as_ref().map(|n| n.1),
            passport: subject.passport.clone(),
            ..Default::default()
        };
        let (pk, nk) = dup_keys(&probe);
        let mut cond = sea_orm::Condition::any();
        if let Some(k) = pk {
            cond = cond.add(crisis_person::Column::PassportKey.eq(sealer.blind(&k)));
        }
        if let Some(k) = nk {
            cond = cond.add(crisis_person::Column::NameKey.eq(sealer.blind(&k)));
        }
        let entries = crisis_person::Entity::find()
            .filter(cond)
            .filter(crisis_person::Column::Merged.eq(false))
            .all(&self.db)
            .await?;
        let mut crises_out = Vec::new();
        let mut opened_crises: Vec<crisis::Model> = Vec::new();
        for e in entries {
            let Ok(c) = Self::visible_crisis(&self.db, ctx, e.crisis_id).await else {
                continue;
            };
            if !self.crisis_team_of(&self.db, ctx, &c).await? {
                continue;
            }
            let entry = self.entry_of(e, true)?;
            let Some(data) = entry.data else { continue };
            if !subject.is(&data) {
                continue;
            }
            crises_out.push(SubjectEntry {
                crisis: c.name.clone(),
                country: c.country_code.clone(),
                person: data,
                status: entry.status,
                place: entry.place,
                transport: entry.transport,
                updated_at: entry.updated_at,
            });
            if !opened_crises.iter().any(|o| o.id == c.id) {
                opened_crises.push(c);
            }
        }
        let at = now();
        let tx = self.begin_write().await?;
        for c in &opened_cases {
            protection_opening::Entity::insert(protection_opening::ActiveModel {
                id: sea_orm::Set(Uuid::now_v7()),
                case_id: sea_orm::Set(c.id),
                user_id: sea_orm::Set(ctx.actor.user_id),
                user_name: sea_orm::Set(ctx.actor.username.clone()),
                at: sea_orm::Set(at),
            })
            .exec_without_returning(&tx)
            .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: from_rank(c.classification),
                    after: Some(serde_json::json!({"number": c.number, "for": "subject_export"})),
                    ..Change::new(super::ENTITY, c.id, "open_personal")
                },
            )
            .await?;
        }
        for c in &opened_crises {
            crisis_opening::Entity::insert(crisis_opening::ActiveModel {
                id: sea_orm::Set(Uuid::now_v7()),
                crisis_id: sea_orm::Set(c.id),
                user_id: sea_orm::Set(ctx.actor.user_id),
                user_name: sea_orm::Set(ctx.actor.username.clone()),
                what: sea_orm::Set("subject export".into()),
                at: sea_orm::Set(at),
            })
            .exec_without_returning(&tx)
            .await?;
            append(
                &tx,
                &ctx.into(),
                Change {
                    owner_agency_id: Some(c.agency_id),
                    classification: from_rank(c.classification),
                    after: Some(serde_json::json!({"what": "subject export"})),
                    ..Change::new(super::crisis::ENTITY, c.id, "open_personal")
                },
            )
            .await?;
        }
        append(
            &tx,
            &ctx.into(),
            Change {
                after: Some(serde_json::json!({"cases": cases.len(), "crises": crises_out.len()})),
                ..Change::new("personal_data", Uuid::nil(), "subject_export")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(SubjectExport {
            generated_at: at,
            generated_by: ctx.actor.username.clone(),
            basis: "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15",
            cases,
            crises: crises_out,
        })
    }
}
