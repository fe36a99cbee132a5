//! People in the registry (partners of kind "person"): the positions they held
//! over time, the key contacts of an organisation or country (who holds a
//! position there now), and the people list with each one's current positions.

use super::{ENTITY, PartnerFilter, precision_of};
use crate::audit::{Change, append, from_rank, rank};
use crate::entity::{partner, person_position};
use crate::{Ctx, Page, Store, StoreError, now};
use kieng_domain::partner::{PartialDate, PartnerKind};
use kieng_domain::person::{PositionForm, PositionInput, is_current, sort_key};
use kieng_domain::{FieldErrors, Msg};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A position as shown: its dates in their precision and the other side's name.
#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    #[serde(flatten)]
    pub position: person_position::Model,
    /// "2016", "05/2008", "07/10/2024"; empty when unknown.
    pub from: String,
    pub to: String,
    pub current: bool,
    /// The organisation's name (None: none recorded, or above the reader's clearance).
    pub organisation_name: Option<String>,
    /// The person's name (for a partner's contacts).
    pub person_name: String,
}

/// A person in the people list, with the positions held now.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    #[serde(flatten)]
    pub person: partner::Model,
    pub current: Vec<PositionView>,
}

fn partial(d: Option<chrono::NaiveDate>, p: &Option<String>) -> Option<PartialDate> {
    d.map(|date| PartialDate {
        date,
        precision: precision_of(p),
    })
}

fn dates(p: &person_position::Model) -> (Option<PartialDate>, Option<PartialDate>) {
    (
        partial(p.from_date, &p.from_precision),
        partial(p.to_date, &p.to_precision),
    )
}

impl Store {
    /// Positions whose person or organisation is one of `ids`, as shown to this
    /// reader: names above clearance left out, people above clearance dropped.
    async fn positions_where(
        &self,
        ctx: &Ctx,
        column: person_position::Column,
        ids: Vec<Uuid>,
    ) -> Result<Vec<PositionView>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = person_position::Entity::find()
            .filter(column.is_in(ids))
            .filter(person_position::Column::DeletedAt.is_null())
            .all(&self.db)
            .await?;
        let mut named: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
        named.extend(rows.iter().filter_map(|r| r.organisation_id));
        named.sort();
        named.dedup();
        let names: HashMap<Uuid, String> = partner::Entity::find()
            .filter(partner::Column::Id.is_in(named))
            .filter(partner::Column::DeletedAt.is_null())
            .filter(partner::Column::Classification.lte(rank(ctx.actor.clearance)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name_vi))
            .collect();
        let today = crate::today();
        let mut views: Vec<PositionView> = rows
            .into_iter()
            .filter_map(|p| {
                let person_name = names.get(&p.person_id)?.clone();
                let (from, to) = dates(&p);
                Some(PositionView {
                    from: from.map(|d| d.display()).unwrap_or_default(),
                    to: to.map(|d| d.display()).unwrap_or_default(),
                    current: is_current(from, to, today),
                    organisation_name: p.organisation_id.and_then(|o| names.get(&o).cloned()),
                    person_name,
                    // An organisation the reader may not see is not named by id either.
                    position: person_position::Model {
                        organisation_id: p.organisation_id.filter(|o| names.contains_key(o)),
                        ..p
                    },
                })
            })
            .collect();
        views.sort_by_key(|v| {
            let (f, t) = dates(&v.position);
            (sort_key(f, t, today), v.person_name.clone())
        });
        Ok(views)
    }

    /// A person's positions: held now first, then latest start first.
    pub async fn person_positions(
        &self,
        ctx: &Ctx,
        person: Uuid,
    ) -> Result<Vec<PositionView>, StoreError> {
        self.positions_where(ctx, person_position::Column::PersonId, vec![person])
            .await
    }

    /// Key contacts of a partner: people holding a position there now.
    pub async fn partner_contacts(
        &self,
        ctx: &Ctx,
        organisation: Uuid,
    ) -> Result<Vec<PositionView>, StoreError> {
        let mut v = self
            .positions_where(
                ctx,
                person_position::Column::OrganisationId,
                vec![organisation],
            )
            .await?;
        v.retain(|p| p.current);
        Ok(v)
    }

    /// The positions each of these people holds now (people without one absent).
    pub async fn positions_now(
        &self,
        ctx: &Ctx,
        people: Vec<Uuid>,
    ) -> Result<HashMap<Uuid, Vec<PositionView>>, StoreError> {
        let mut by_person: HashMap<Uuid, Vec<PositionView>> = HashMap::new();
        for chunk in people.chunks(1_000) {
            for p in self
                .positions_where(ctx, person_position::Column::PersonId, chunk.to_vec())
                .await?
                .into_iter()
                .filter(|p| p.current)
            {
                by_person.entry(p.position.person_id).or_default().push(p);
            }
        }
        Ok(by_person)
    }

    /// People (partners of kind person) with the positions they hold now.
    pub async fn people_list(
        &self,
        ctx: &Ctx,
        f: &PartnerFilter,
    ) -> Result<Page<PersonRow>, StoreError> {
        let f = PartnerFilter {
            kind: Some(PartnerKind::Person.as_str().into()),
            level: None,
            ..f.clone()
        };
        let page = self.partner_list(ctx, &f).await?;
        let ids = page.items.iter().map(|r| r.partner.id).collect();
        let mut by_person = self.positions_now(ctx, ids).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|r| PersonRow {
                    current: by_person.remove(&r.partner.id).unwrap_or_default(),
                    person: r.partner,
                })
                .collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// Record a position of a person (at an organisation named by id, name or code).
    pub async fn person_position_add(
        &self,
        ctx: &Ctx,
        person: Uuid,
        form: &PositionForm,
    ) -> Result<person_position::Model, StoreError> {
        let p = self.visible_partner(ctx, person).await?;
        if !Self::may_edit_partner(ctx, &p) || p.merged_into_id.is_some() {
            return Err(StoreError::forbidden());
        }
        let mut e = FieldErrors::new();
        if p.kind != PartnerKind::Person.as_str() {
            e.add(
                "title",
                Msg::new(
                    "Chỉ nhân vật mới có chức vụ; đối tác này là một tổ chức hay quốc gia.",
                    "Only a person holds positions; this partner is an organisation or country.",
                ),
            );
        }
        let input = PositionInput::parse(form);
        let organisation = match &input {
            Ok(PositionInput {
                organisation: Some(name),
                ..
            }) => self
                .partners_by_names(ctx, std::slice::from_ref(name), "organisation", &mut e)
                .await?
                .first()
                .copied(),
            _ => None,
        };
        if organisation == Some(person) {
            e.add(
                "organisation",
                Msg::new(
                    "Nơi giữ chức vụ phải là một đối tác khác.",
                    "The position is held at another partner.",
                ),
            );
        }
        let input = match input {
            Ok(i) if e.is_empty() => i,
            Ok(_) => return Err(e.into()),
            Err(mut fe) => {
                fe.0.extend(e.0);
                return Err(fe.into());
            }
        };
        let tx = self.begin_write().await?;
        let m = insert_position(&tx, ctx, &p, organisation, input).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Remove a position recorded in error (kept, marked deleted, audited).
    pub async fn person_position_remove(
        &self,
        ctx: &Ctx,
        person: Uuid,
        position: Uuid,
    ) -> Result<(), StoreError> {
        let p = self.visible_partner(ctx, person).await?;
        if !Self::may_edit_partner(ctx, &p) {
            return Err(StoreError::forbidden());
        }
        let tx = self.begin_write().await?;
        let before = match person_position::Entity::find_by_id(position)
            .one(&tx)
            .await?
        {
            Some(r) if r.person_id == person && r.deleted_at.is_none() => r,
            _ => return Err(StoreError::NotFound),
        };
        let mut after = before.clone();
        after.deleted_at = Some(now());
        after.deleted_by = Some(ctx.actor.user_id);
        person_position::Entity::update(after.into_active_model().reset_all())
            .exec(&tx)
            .await?;
        append(
            &tx,
            &ctx.into(),
            Change {
                owner_agency_id: Some(p.owner_agency_id),
                classification: from_rank(p.classification),
                before: serde_json::to_value(&before).ok(),
                ..Change::new(ENTITY, person, "position_removed")
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Insert a validated position of `person` (held at `organisation`) and audit it,
/// inside `tx`.
pub(crate) async fn insert_position(
    tx: &sea_orm::DatabaseTransaction,
    ctx: &Ctx,
    person: &partner::Model,
    organisation: Option<Uuid>,
    input: PositionInput,
) -> Result<person_position::Model, StoreError> {
    let m = person_position::Model {
        id: Uuid::now_v7(),
        person_id: person.id,
        organisation_id: organisation,
        title: input.title,
        from_date: input.from.map(|d| d.date),
        from_precision: input.from.map(|d| d.precision.as_str().into()),
        to_date: input.to.map(|d| d.date),
        to_precision: input.to.map(|d| d.precision.as_str().into()),
        source: input.source,
        note: input.note,
        created_at: now(),
        created_by: Some(ctx.actor.user_id),
        deleted_at: None,
        deleted_by: None,
    };
    person_position::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(tx)
        .await?;
    append(
        tx,
        &ctx.into(),
        Change {
            owner_agency_id: Some(person.owner_agency_id),
            classification: from_rank(person.classification),
            after: serde_json::to_value(&m).ok(),
            ..Change::new(ENTITY, person.id, "position")
        },
    )
    .await?;
    Ok(m)
}
