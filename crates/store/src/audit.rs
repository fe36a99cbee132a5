//! The audit trail: appended in the same transaction as the change it records,
//! chained by hash, browsed by admins within their scope and clearance, and
//! verified end to end by `kieng audit verify`.

use crate::entity::audit_log;
use crate::{Ctx, Page, Store, StoreError};
use kieng_domain::audit::{ChainBreak, ChainFields, Verifier};
use kieng_domain::{Actor, Classification};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde::Serialize;
use uuid::Uuid;

/// What happened, to which record.
#[derive(Debug, Clone)]
pub struct Change {
    pub entity_type: &'static str,
    pub entity_id: Option<String>,
    pub owner_agency_id: Option<Uuid>,
    pub classification: Classification,
    pub action: &'static str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    pub fn new(entity_type: &'static str, entity_id: impl ToString, action: &'static str) -> Self {
        Self {
            entity_type,
            entity_id: Some(entity_id.to_string()),
            owner_agency_id: None,
            classification: Classification::None,
            action,
            before: None,
            after: None,
        }
    }
}

/// Who did it, when no signed-in actor exists (failed sign-in, the command line).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub actor_agency_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl From<&Ctx> for Origin {
    fn from(c: &Ctx) -> Self {
        Self {
            actor_id: Some(c.actor.user_id),
            actor_name: Some(c.actor.username.clone()),
            actor_agency_id: Some(c.actor.agency_id),
            request_id: c.request_id.clone(),
            ip: c.ip.clone(),
        }
    }
}

pub(crate) fn rank(c: Classification) -> i16 {
    c as i16
}

pub fn from_rank(r: i16) -> Classification {
    Classification::ALL
        .get(r.clamp(0, 3) as usize)
        .copied()
        .unwrap_or(Classification::TuyetMat)
}

fn fmt_at(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn chain_fields(m: &audit_log::Model) -> ChainFields {
    ChainFields {
        seq: m.seq,
        id: m.id.to_string(),
        at: fmt_at(&m.at),
        actor_id: m.actor_id.map(|u| u.to_string()),
        actor_name: m.actor_name.clone(),
        actor_agency_id: m.actor_agency_id.map(|u| u.to_string()),
        entity_type: m.entity_type.clone(),
        entity_id: m.entity_id.clone(),
        owner_agency_id: m.owner_agency_id.map(|u| u.to_string()),
        classification: from_rank(m.classification).as_str().to_string(),
        action: m.action.clone(),
        before: m.before_json.clone(),
        after: m.after_json.clone(),
        request_id: m.request_id.clone(),
        ip: m.ip.clone(),
    }
}

/// Append one entry inside the caller's transaction. Taking the head row first
/// serialises writers, so the chain never forks.
pub(crate) async fn append<C: ConnectionTrait>(
    tx: &C,
    origin: &Origin,
    change: Change,
) -> Result<i64, StoreError> {
    let backend = tx.get_database_backend();
    let head = tx
        .query_one_raw(Statement::from_string(
            backend,
            "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
        ))
        .await?
        .ok_or_else(|| StoreError::Internal("audit head missing".into()))?;
    let seq: i64 = head.try_get("", "seq")?;
    let prev_hash: String = head.try_get("", "hash")?;
    let mut model = audit_log::Model {
        seq,
        id: Uuid::now_v7(),
        at: crate::now(),
        actor_id: origin.actor_id,
        actor_name: origin.actor_name.clone(),
        actor_agency_id: origin.actor_agency_id,
        entity_type: change.entity_type.to_string(),
        entity_id: change.entity_id,
        owner_agency_id: change.owner_agency_id,
        classification: rank(change.classification),
        action: change.action.to_string(),
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
        request_id: origin.request_id.clone(),
        ip: origin.ip.clone(),
        prev_hash: prev_hash.clone(),
        hash: String::new(),
    };
    model.hash = chain_fields(&model).hash(&prev_hash);
    let hash = model.hash.clone();
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: Set(model.seq),
        id: Set(model.id),
        at: Set(model.at),
        actor_id: Set(model.actor_id),
        actor_name: Set(model.actor_name),
        actor_agency_id: Set(model.actor_agency_id),
        entity_type: Set(model.entity_type),
        entity_id: Set(model.entity_id),
        owner_agency_id: Set(model.owner_agency_id),
        classification: Set(model.classification),
        action: Set(model.action),
        before_json: Set(model.before_json),
        after_json: Set(model.after_json),
        request_id: Set(model.request_id),
        ip: Set(model.ip),
        prev_hash: Set(model.prev_hash),
        hash: Set(model.hash),
    })
    .exec_without_returning(tx)
    .await?;
    let mut upd = Query::update();
    upd.table("audit_head")
        .value("hash", hash)
        .and_where(Expr::col("id").eq(1));
    tx.execute(&upd).await?;
    Ok(seq)
}

/// Append one entry per change, in order, inside the caller's transaction:
/// the head is taken once for all of them and the entries are chained and
/// written in batches (an import of thousands of records audits each one
/// without thousands of round trips).
pub(crate) async fn append_many<C: ConnectionTrait>(
    tx: &C,
    origin: &Origin,
    changes: Vec<Change>,
) -> Result<(), StoreError> {
    let n = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    if n == 0 {
        return Ok(());
    }
    let backend = tx.get_database_backend();
    let head = tx
        .query_one_raw(Statement::from_string(
            backend,
            format!("UPDATE audit_head SET seq = seq + {n} WHERE id = 1 RETURNING seq, hash"),
        ))
        .await?
        .ok_or_else(|| StoreError::Internal("audit head missing".into()))?;
    let last: i64 = head.try_get("", "seq")?;
    let mut prev_hash: String = head.try_get("", "hash")?;
    let at = crate::now();
    let mut rows = Vec::with_capacity(changes.len());
    for (i, change) in changes.into_iter().enumerate() {
        let mut model = audit_log::Model {
            seq: last - n + 1 + i64::try_from(i).unwrap_or(0),
            id: Uuid::now_v7(),
            at,
            actor_id: origin.actor_id,
            actor_name: origin.actor_name.clone(),
            actor_agency_id: origin.actor_agency_id,
            entity_type: change.entity_type.to_string(),
            entity_id: change.entity_id,
            owner_agency_id: change.owner_agency_id,
            classification: rank(change.classification),
            action: change.action.to_string(),
            before_json: change.before.map(|v| v.to_string()),
            after_json: change.after.map(|v| v.to_string()),
            request_id: origin.request_id.clone(),
            ip: origin.ip.clone(),
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        model.hash = chain_fields(&model).hash(&prev_hash);
        prev_hash = model.hash.clone();
        rows.push(model);
    }
    for chunk in rows.chunks(500) {
        audit_log::Entity::insert_many(chunk.iter().cloned().map(|m| m.into_active_model()))
            .exec_without_returning(tx)
            .await?;
    }
    let mut upd = Query::update();
    upd.table("audit_head")
        .value("hash", prev_hash)
        .and_where(Expr::col("id").eq(1));
    tx.execute(&upd).await?;
    Ok(())
}

/// Filters of the audit page.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    pub page: Option<u64>,
}

/// An entry as shown to a reader.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_name: Option<String>,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub action: String,
    pub classification: Classification,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl AuditEntry {
    /// Every entry leaves the store through `Store::audit_shown`, which takes out
    /// what the reader may not see.
    fn from_row(m: audit_log::Model) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            seq: m.seq,
            at: m.at,
            actor_name: m.actor_name,
            entity_type: m.entity_type,
            entity_id: m.entity_id,
            action: m.action,
            classification: from_rank(m.classification),
            before: parse(m.before_json),
            after: parse(m.after_json),
            request_id: m.request_id,
            ip: m.ip,
        }
    }
}

/// The classification of one version of a record in an entry: the snapshot's
/// own (`classification`, or an agency's in a lineage entry), else the entry's.
/// An update that declassifies is recorded at the new level, with the version
/// before it — at the old level — beside it.
fn version_class(v: &serde_json::Value, row: i16) -> i16 {
    v.get("classification")
        .or_else(|| v.get("agency").and_then(|a| a.get("classification")))
        .and_then(serde_json::Value::as_i64)
        .and_then(|c| i16::try_from(c).ok())
        .unwrap_or(row)
}

/// Every id-shaped string in a value (ids of linked records), once.
fn ids_in(v: &serde_json::Value, out: &mut Vec<Uuid>) {
    match v {
        serde_json::Value::String(s) if s.len() == 36 => {
            if let Ok(id) = Uuid::parse_str(s) {
                out.push(id);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| ids_in(i, out)),
        serde_json::Value::Object(m) => m.values().for_each(|i| ids_in(i, out)),
        _ => {}
    }
}

/// Take the hidden ids out of a value: an array loses the element, an object's
/// field becomes null and the object loses the `name` it gave beside the id.
fn without_ids(v: &mut serde_json::Value, hidden: &std::collections::HashSet<Uuid>) {
    let is_hidden = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
            .is_some_and(|id| hidden.contains(&id))
    };
    match v {
        serde_json::Value::Array(items) => {
            items.retain(|i| !is_hidden(i));
            items.iter_mut().for_each(|i| without_ids(i, hidden));
        }
        serde_json::Value::Object(m) => {
            let mut named = false;
            for (_, field) in m.iter_mut() {
                if is_hidden(field) {
                    *field = serde_json::Value::Null;
                    named = true;
                } else {
                    without_ids(field, hidden);
                }
            }
            if named {
                m.remove("name");
            }
        }
        _ => {}
    }
}

/// The outcome of a full verification.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub checked: u64,
    pub result: Result<(), ChainBreak>,
}

/// Rows an auditor may read: within clearance; for a scoped admin, entries about
/// agencies in scope or made by people of those agencies.
fn visible(actor: &Actor) -> sea_orm::Condition {
    use sea_orm::Condition;
    let mut c = Condition::all().add(audit_log::Column::Classification.lte(rank(actor.clearance)));
    if let Some(ids) = actor.read.ids() {
        c = c.add(
            Condition::any()
                .add(audit_log::Column::OwnerAgencyId.is_in(ids.clone()))
                .add(audit_log::Column::ActorAgencyId.is_in(ids)),
        );
    }
    c
}

pub const AUDIT_PAGE: u64 = 50;

impl Store {
    /// Append an entry in a transaction of its own (sign-in, denial, read).
    pub async fn audit_alone(&self, origin: &Origin, change: Change) -> Result<(), StoreError> {
        let tx = self.begin_write().await?;
        append(&tx, origin, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every entry the filter selects, newest first, up to the count cap
    /// lists keep (`COUNT_CAP`): what the audit export holds.
    pub async fn audit_export_rows(
        &self,
        ctx: &Ctx,
        f: &AuditFilter,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        crate::all_pages(AUDIT_PAGE, |page| {
            let f = AuditFilter {
                page: Some(page),
                ..f.clone()
            };
            async move { self.audit_list(ctx, &f).await }
        })
        .await
    }

    /// Browse the trail (admins only), newest first.
    pub async fn audit_list(
        &self,
        ctx: &Ctx,
        f: &AuditFilter,
    ) -> Result<Page<AuditEntry>, StoreError> {
        if !ctx.actor.is_admin() {
            return Err(StoreError::forbidden());
        }
        let mut q = audit_log::Entity::find().filter(visible(&ctx.actor));
        let nonempty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(t) = nonempty(&f.entity_type) {
            q = q.filter(audit_log::Column::EntityType.eq(t));
        }
        if let Some(t) = nonempty(&f.entity_id) {
            q = q.filter(audit_log::Column::EntityId.eq(t));
        }
        if let Some(t) = nonempty(&f.action) {
            q = q.filter(audit_log::Column::Action.eq(t));
        }
        if let Some(t) = nonempty(&f.actor) {
            q = q.filter(audit_log::Column::ActorName.eq(t.to_lowercase()));
        }
        let total = q.clone().count(&self.db).await?;
        let page = Ord::clamp(
            f.page.unwrap_or(1),
            1,
            Ord::max(total.div_ceil(AUDIT_PAGE), 1),
        );
        let items = q
            .order_by_desc(audit_log::Column::Seq)
            .offset((page - 1) * AUDIT_PAGE)
            .limit(AUDIT_PAGE)
            .all(&self.db)
            .await?;
        let items = self.audit_shown(&ctx.actor, items).await?;
        Ok(Page {
            items,
            total,
            page,
            per_page: AUDIT_PAGE,
        })
    }

    /// Entries as `actor` may read them. An entry is within clearance (the
    /// queries see to that), but a version inside it may not be: the classified
    /// version before a declassifying edit is left out, and so is every id of a
    /// partner above clearance that a version names (linked partners, a merge's
    /// other side) — such a partner does not exist for this reader.
    pub(crate) async fn audit_shown(
        &self,
        actor: &Actor,
        rows: Vec<audit_log::Model>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let clearance = rank(actor.clearance);
        let mut entries: Vec<AuditEntry> = rows
            .into_iter()
            .map(|m| {
                let row = m.classification;
                let mut e = AuditEntry::from_row(m);
                for v in [&mut e.before, &mut e.after] {
                    if v.as_ref()
                        .is_some_and(|v| version_class(v, row) > clearance)
                    {
                        *v = None;
                    }
                }
                e
            })
            .collect();
        if actor.clearance == Classification::TuyetMat {
            return Ok(entries);
        }
        let mut ids = Vec::new();
        for e in &entries {
            for v in [&e.before, &e.after].into_iter().flatten() {
                ids_in(v, &mut ids);
            }
        }
        ids.sort();
        ids.dedup();
        let mut hidden = std::collections::HashSet::new();
        for chunk in ids.chunks(1_000) {
            let rows: Vec<Uuid> = crate::entity::partner::Entity::find()
                .select_only()
                .column(crate::entity::partner::Column::Id)
                .filter(crate::entity::partner::Column::Id.is_in(chunk.to_vec()))
                .filter(crate::entity::partner::Column::Classification.gt(clearance))
                .into_tuple()
                .all(&self.db)
                .await?;
            hidden.extend(rows);
        }
        if !hidden.is_empty() {
            for e in &mut entries {
                for v in [&mut e.before, &mut e.after].into_iter().flatten() {
                    without_ids(v, &hidden);
                }
            }
        }
        Ok(entries)
    }

    /// The names of the agencies, users and partners these entries name by
    /// id, for showing a change in words: agencies and partners within the
    /// reader's clearance (a partner above it is already out of the entries).
    pub async fn audit_names(
        &self,
        ctx: &Ctx,
        entries: &[AuditEntry],
    ) -> Result<std::collections::HashMap<Uuid, String>, StoreError> {
        let mut ids = Vec::new();
        for e in entries {
            for v in [&e.before, &e.after].into_iter().flatten() {
                ids_in(v, &mut ids);
            }
        }
        ids.sort();
        ids.dedup();
        let mut names = std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(names);
        }
        let clearance = rank(ctx.actor.clearance);
        let dir = self.directory().await?;
        for id in &ids {
            if let Some(a) = dir.by_id.get(id).and_then(|i| dir.rows.get(*i))
                && a.classification <= clearance
            {
                names.insert(*id, a.name_vi.clone());
            }
        }
        let rest: Vec<Uuid> = ids.into_iter().filter(|i| !names.contains_key(i)).collect();
        for chunk in rest.chunks(1_000) {
            names.extend(self.user_names(chunk.to_vec()).await?);
            let partners: Vec<(Uuid, String)> = crate::entity::partner::Entity::find()
                .select_only()
                .columns([
                    crate::entity::partner::Column::Id,
                    crate::entity::partner::Column::NameVi,
                ])
                .filter(crate::entity::partner::Column::Id.is_in(chunk.to_vec()))
                .filter(crate::entity::partner::Column::Classification.lte(clearance))
                .into_tuple()
                .all(&self.db)
                .await?;
            names.extend(partners);
        }
        Ok(names)
    }

    /// Entries about one record, newest first, within the reader's clearance.
    pub(crate) async fn audit_of(
        &self,
        actor: &Actor,
        entity_type: &str,
        entity_id: &str,
    ) -> Result<Vec<audit_log::Model>, StoreError> {
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::EntityType.eq(entity_type))
            .filter(audit_log::Column::EntityId.eq(entity_id))
            .filter(audit_log::Column::Classification.lte(rank(actor.clearance)))
            .order_by_desc(audit_log::Column::Seq)
            .all(&self.db)
            .await?)
    }

    pub(crate) async fn audit_entry(
        &self,
        seq: i64,
    ) -> Result<Option<audit_log::Model>, StoreError> {
        Ok(audit_log::Entity::find_by_id(seq).one(&self.db).await?)
    }

    /// The chain's head: the last entry's sequence number and hash.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        let head = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT seq, hash FROM audit_head WHERE id = 1",
            ))
            .await?
            .ok_or_else(|| StoreError::Internal("audit head missing".into()))?;
        Ok((head.try_get("", "seq")?, head.try_get("", "hash")?))
    }

    /// A checkpoint of the head now, signed with `key` (kept outside the database).
    pub async fn audit_checkpoint(
        &self,
        key: &[u8],
    ) -> Result<kieng_domain::audit::Checkpoint, StoreError> {
        let (seq, hash) = self.audit_head().await?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(kieng_domain::audit::Checkpoint::sign(seq, &hash, &at, key))
    }

    /// Compare the chain with checkpoints taken earlier: each must be signed with
    /// `key`, the log must still reach it, and its entry must still have the hash
    /// it had. Run after `audit_verify`, which proves the chain links up.
    pub async fn audit_check_against(
        &self,
        checkpoints: &[kieng_domain::audit::Checkpoint],
        key: &[u8],
    ) -> Result<Result<(), kieng_domain::audit::CheckpointBreak>, StoreError> {
        let (head, _) = self.audit_head().await?;
        for cp in checkpoints {
            let hash = self.audit_entry(cp.seq).await?.map(|e| e.hash);
            if let Err(e) = cp.check(key, head, hash.as_deref()) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Walk the whole chain in batches and compare its end with the head.
    pub async fn audit_verify(&self) -> Result<VerifyReport, StoreError> {
        let mut v = Verifier::default();
        let mut after = 0i64;
        loop {
            let batch = audit_log::Entity::find()
                .filter(audit_log::Column::Seq.gt(after))
                .order_by_asc(audit_log::Column::Seq)
                .limit(5000)
                .all(&self.db)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for m in &batch {
                if let Err(e) = v.step(&chain_fields(m), &m.prev_hash, &m.hash) {
                    return Ok(VerifyReport {
                        checked: v.checked,
                        result: Err(e),
                    });
                }
            }
        }
        let (seq, hash) = self.audit_head().await?;
        let result = v.finish(seq, &hash);
        Ok(VerifyReport {
            checked: v.checked,
            result,
        })
    }
}
