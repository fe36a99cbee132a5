//! Schema migrations, in `crates/store/migrations/` in their order: SQL files
//! written once for both databases, and Rust steps beside them (`NNNN_*.rs`)
//! for what SQL alone cannot say — loading the reference data shipped in the
//! repo, triggers written per database. Each migration runs in its own
//! transaction and is recorded in `schema_migrations`, so a failed one leaves
//! nothing behind and the next start retries it.
//!
//! A migration does the same thing forever: it names its own tables, columns
//! and trigger lists (never an entity or a list the code keeps today), so a
//! later module cannot change what an old step does to a fresh database.

use crate::StoreError;
use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement, Value,
};

#[path = "../migrations/0002_countries_provinces.rs"]
mod m0002;
#[path = "../migrations/0005_partner_registry.rs"]
mod m0005;
#[path = "../migrations/0007_activity_types.rs"]
mod m0007;
#[path = "../migrations/0015_activity_partner_links.rs"]
mod m0015;
#[path = "../migrations/0017_world_regions.rs"]
mod m0017;
#[path = "../migrations/0018_search_changes.rs"]
mod m0018;
#[path = "../migrations/0026_activity_scope_changes.rs"]
mod m0026;
#[path = "../migrations/0030_partner_reclassified.rs"]
mod m0030;
#[path = "../migrations/0031_partners_rev.rs"]
mod m0031;
#[path = "../migrations/0033_board_rev.rs"]
mod m0033;
#[path = "../migrations/0034_pair_acks.rs"]
mod m0034;
#[path = "../migrations/0038_warnings_rev.rs"]
mod m0038;
#[path = "../migrations/0039_framework_history.rs"]
mod m0039;
#[path = "../migrations/0044_communes.rs"]
mod m0044;
#[path = "../migrations/0052_reports_searchable.rs"]
mod m0052;
#[path = "../migrations/0054_plan_templates.rs"]
mod m0054;
#[path = "../migrations/0055_plans_searchable.rs"]
mod m0055;
#[path = "../migrations/0061_protection_searchable.rs"]
mod m0061;
#[path = "../migrations/0063_crisis_tallies.rs"]
mod m0063;
#[path = "../migrations/0065_mechanisms_shipped.rs"]
mod m0065;
#[path = "../migrations/0066_multilateral_woven.rs"]
mod m0066;

type BoxFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send + 'a>>;

enum Step {
    Sql(&'static str),
    /// SQL that rewrites copies of columns, changing no record: run with the
    /// search and scope change logs' triggers dropped and put back from the
    /// definitions the database reports, in the same transaction, so no
    /// process re-indexes or re-reads lists for it.
    Quiet(&'static str),
    Rust(for<'a> fn(&'a DatabaseTransaction) -> BoxFuture<'a>),
}

struct Migration {
    version: i64,
    name: &'static str,
    step: Step,
}

/// The schema version this build migrates to: its last migration's.
pub const LATEST: i64 = 67;

fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            version: 1,
            name: "foundation",
            step: Step::Sql(include_str!("../migrations/0001_foundation.sql")),
        },
        Migration {
            version: 2,
            name: "reference data: countries and provinces",
            step: Step::Rust(|tx| Box::pin(m0002::run(tx))),
        },
        Migration {
            version: 3,
            name: "agency directory index",
            step: Step::Sql(include_str!(
                "../migrations/0003_agency_directory_index.sql"
            )),
        },
        Migration {
            version: 4,
            name: "partners and relationship frameworks",
            step: Step::Sql(include_str!("../migrations/0004_partners.sql")),
        },
        Migration {
            version: 5,
            name: "partner registry: countries, the EU, framework history",
            step: Step::Rust(|tx| Box::pin(m0005::run(tx))),
        },
        Migration {
            version: 6,
            name: "activities",
            step: Step::Sql(include_str!("../migrations/0006_activities.sql")),
        },
        Migration {
            version: 7,
            name: "activity types",
            step: Step::Rust(|tx| Box::pin(m0007::run(tx))),
        },
        Migration {
            version: 8,
            name: "calendar feeds",
            step: Step::Sql(include_str!("../migrations/0008_calendar_feeds.sql")),
        },
        Migration {
            version: 9,
            name: "activity start index",
            step: Step::Sql(include_str!("../migrations/0009_activity_start_index.sql")),
        },
        Migration {
            version: 10,
            name: "attachments",
            step: Step::Sql(include_str!("../migrations/0010_attachments.sql")),
        },
        Migration {
            version: 11,
            name: "agreements and commitments",
            step: Step::Sql(include_str!("../migrations/0011_agreements.sql")),
        },
        Migration {
            version: 12,
            name: "commitments revision",
            step: Step::Sql(include_str!("../migrations/0012_commitments_rev.sql")),
        },
        Migration {
            version: 13,
            name: "people: positions over time",
            step: Step::Sql(include_str!("../migrations/0013_person_positions.sql")),
        },
        Migration {
            version: 14,
            name: "import batches awaiting confirmation",
            step: Step::Sql(include_str!("../migrations/0014_import_batches.sql")),
        },
        Migration {
            version: 15,
            name: "activity links carry what visibility and tallies need",
            step: Step::Rust(|tx| Box::pin(m0015::run(tx))),
        },
        Migration {
            version: 16,
            name: "world regions",
            step: Step::Sql(include_str!("../migrations/0016_regions.sql")),
        },
        Migration {
            version: 17,
            name: "world regions: UN M.49 via CLDR",
            step: Step::Rust(|tx| Box::pin(m0017::run(tx))),
        },
        Migration {
            version: 18,
            name: "search change log and its triggers",
            step: Step::Rust(|tx| Box::pin(m0018::run(tx))),
        },
        Migration {
            version: 19,
            name: "activities in the trash keep their partner links aside",
            step: Step::Sql(include_str!("../migrations/0019_activity_trash.sql")),
        },
        Migration {
            version: 20,
            name: "activity span index",
            step: Step::Sql(include_str!("../migrations/0020_activity_span_index.sql")),
        },
        Migration {
            version: 21,
            name: "partner links carry their end in the index",
            step: Step::Sql(include_str!("../migrations/0021_partner_links_end.sql")),
        },
        Migration {
            version: 22,
            name: "participating agencies carry the activity's start",
            step: Step::Sql(include_str!(
                "../migrations/0022_activity_agencies_start.sql"
            )),
        },
        Migration {
            version: 23,
            name: "partner links know the agencies taking part",
            step: Step::Sql(include_str!(
                "../migrations/0023_activity_partner_agencies.sql"
            )),
        },
        Migration {
            version: 24,
            name: "the owner index carries what the newest-first list tests",
            step: Step::Sql(include_str!("../migrations/0024_activity_owner_index.sql")),
        },
        Migration {
            version: 25,
            name: "partner links read by owner",
            step: Step::Sql(include_str!(
                "../migrations/0025_partner_links_by_owner.sql"
            )),
        },
        Migration {
            version: 26,
            name: "activity scope change log",
            step: Step::Rust(|tx| Box::pin(m0026::run(tx))),
        },
        Migration {
            version: 27,
            name: "a partner's commitments read with their visibility",
            step: Step::Sql(include_str!(
                "../migrations/0027_commitments_by_partner_visible.sql"
            )),
        },
        Migration {
            version: 28,
            name: "live agreements by expiry date",
            step: Step::Sql(include_str!("../migrations/0028_agreements_watch.sql")),
        },
        Migration {
            version: 29,
            name: "participations carry what their activity is seen by",
            step: Step::Quiet(include_str!(
                "../migrations/0029_participations_carry_visibility.sql"
            )),
        },
        Migration {
            version: 30,
            name: "a partner's new classification re-indexes what links it",
            step: Step::Rust(|tx| Box::pin(m0030::run(tx))),
        },
        Migration {
            version: 31,
            name: "partners revision, bumped by the database",
            step: Step::Rust(|tx| Box::pin(m0031::run(tx))),
        },
        Migration {
            version: 32,
            name: "provincial agreements by signing date",
            step: Step::Sql(include_str!("../migrations/0032_agreements_provincial.sql")),
        },
        Migration {
            version: 33,
            name: "the board's revision follows agreements, legal steps and calendar days",
            step: Step::Rust(|tx| Box::pin(m0033::run(tx))),
        },
        Migration {
            version: 34,
            name: "coordination warnings acknowledged once per pair",
            step: Step::Rust(|tx| Box::pin(m0034::run(tx))),
        },
        Migration {
            version: 35,
            name: "notifications",
            step: Step::Sql(include_str!("../migrations/0035_notifications.sql")),
        },
        Migration {
            version: 36,
            name: "land neighbours flagged",
            step: Step::Sql(include_str!("../migrations/0036_land_neighbours.sql")),
        },
        Migration {
            version: 37,
            name: "an author's activities by status",
            step: Step::Sql(include_str!("../migrations/0037_activities_by_author.sql")),
        },
        Migration {
            version: 38,
            name: "warnings revision, bumped by the database",
            step: Step::Rust(|tx| Box::pin(m0038::run(tx))),
        },
        Migration {
            version: 39,
            name: "relationship frameworks with their history and sources",
            step: Step::Rust(|tx| Box::pin(m0039::run(tx))),
        },
        Migration {
            version: 40,
            name: "in whose name an agreement is signed",
            step: Step::Sql(include_str!("../migrations/0040_agreements_signed_for.sql")),
        },
        Migration {
            version: 41,
            name: "the day a conference dossier was filed",
            step: Step::Sql(include_str!("../migrations/0041_activities_filed_on.sql")),
        },
        Migration {
            version: 42,
            name: "provinces left whole in 2025 show no break; Huế from 1 January 2025",
            step: Step::Sql(include_str!("../migrations/0042_unchanged_provinces.sql")),
        },
        Migration {
            version: 43,
            name: "an author's activities in end order",
            step: Step::Sql(include_str!(
                "../migrations/0043_activities_by_author_end.sql"
            )),
        },
        Migration {
            version: 44,
            name: "the communes of 2025 and an agency's commune",
            step: Step::Rust(|tx| Box::pin(m0044::run(tx))),
        },
        Migration {
            version: 45,
            name: "an activity's channel beyond the pillars",
            step: Step::Sql(include_str!("../migrations/0045_activities_channel.sql")),
        },
        Migration {
            version: 46,
            name: "the state-secrets catalogue items classified records rest on",
            step: Step::Sql(include_str!("../migrations/0046_secret_items.sql")),
        },
        Migration {
            version: 47,
            name: "a second pillar an agency serves",
            step: Step::Sql(include_str!("../migrations/0047_agencies_also_pillar.sql")),
        },
        Migration {
            version: 48,
            name: "the bodies consulted on a hosted conference",
            step: Step::Sql(include_str!(
                "../migrations/0048_activity_consultations.sql"
            )),
        },
        Migration {
            version: 49,
            name: "corrections of shipped reference facts are kept",
            step: Step::Sql(include_str!("../migrations/0049_reference_corrections.sql")),
        },
        Migration {
            version: 50,
            name: "the backups taken",
            step: Step::Sql(include_str!("../migrations/0050_backups.sql")),
        },
        Migration {
            version: 51,
            name: "review reports, their frozen figures and the register of numbers",
            step: Step::Sql(include_str!("../migrations/0051_reports.sql")),
        },
        Migration {
            version: 52,
            name: "review reports found by search",
            step: Step::Rust(|tx| Box::pin(m0052::run(tx))),
        },
        Migration {
            version: 53,
            name: "programmes and plans: templates, tasks, progress and evidence",
            step: Step::Sql(include_str!("../migrations/0053_plans.sql")),
        },
        Migration {
            version: 54,
            name: "the external line's key tasks as a plan template",
            step: Step::Rust(|tx| Box::pin(m0054::run(tx))),
        },
        Migration {
            version: 55,
            name: "plans and their tasks found by search",
            step: Step::Rust(|tx| Box::pin(m0055::run(tx))),
        },
        Migration {
            version: 56,
            name: "the delegation plan's planned delegations",
            step: Step::Sql(include_str!("../migrations/0056_plan_delegations.sql")),
        },
        Migration {
            version: 57,
            name: "a task's indicators and their actual figures",
            step: Step::Sql(include_str!("../migrations/0057_plan_indicators.sql")),
        },
        Migration {
            version: 58,
            name: "a revision for the kept plan lists; planned delegations by partner",
            step: Step::Sql(include_str!("../migrations/0058_plans_rev.sql")),
        },
        Migration {
            version: 59,
            name: "the agencies each plan is seen through",
            step: Step::Sql(include_str!("../migrations/0059_plan_agencies.sql")),
        },
        Migration {
            version: 60,
            name: "citizen protection cases, their people sealed, team, actions and openings",
            step: Step::Sql(include_str!("../migrations/0060_protection.sql")),
        },
        Migration {
            version: 61,
            name: "citizen protection cases found by search (number, category, place)",
            step: Step::Rust(|tx| Box::pin(m0061::run(tx))),
        },
        Migration {
            version: 62,
            name: "crises and their registry; keyed digests finding a case by a person",
            step: Step::Sql(include_str!("../migrations/0062_crises.sql")),
        },
        Migration {
            version: 63,
            name: "a crisis's counts kept as its registry changes",
            step: Step::Rust(|tx| Box::pin(m0063::run(tx))),
        },
        Migration {
            version: 64,
            name: "multilateral mechanisms, roles held, candidacies and pledges",
            step: Step::Sql(include_str!("../migrations/0064_multilateral.sql")),
        },
        Migration {
            version: 65,
            name: "the mechanisms Vietnam belongs to, roles held and the UN's members, shipped",
            step: Step::Rust(|tx| Box::pin(m0065::run(tx))),
        },
        Migration {
            version: 66,
            name: "outcomes on the secrets list; mechanisms, roles and candidacies searchable",
            step: Step::Rust(|tx| Box::pin(m0066::run(tx))),
        },
        Migration {
            version: 67,
            name: "records imported from spreadsheets: their file, row and date precision",
            step: Step::Sql(include_str!("../migrations/0067_record_imports.sql")),
        },
    ]
}

/// Replace the type placeholders with the backend's types.
pub(crate) fn render(sql: &str, backend: DbBackend) -> String {
    let pg = backend == DbBackend::Postgres;
    sql.replace("{uuid}", if pg { "uuid" } else { "blob" })
        .replace("{ts}", if pg { "timestamptz" } else { "text" })
        .replace("{date}", if pg { "date" } else { "text" })
        .replace("{bigint}", "bigint")
        .replace("{bool}", "boolean")
        .replace("{bytes}", if pg { "bytea" } else { "blob" })
}

/// Split a migration file into statements (no statement of ours holds a `;` in a literal).
fn statements(sql: &str) -> impl Iterator<Item = String> {
    let without_comments: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(|l| [l, "\n"])
        .collect();
    without_comments
        .split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .into_iter()
}

/// Insert `rows` into `table` under a migration's own column list, so what
/// it writes never follows a later entity.
pub(crate) async fn insert_rows<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    // 400 rows of at most 16 values stay under both databases' parameter limits.
    for chunk in rows.chunks(400) {
        let mut q = Query::insert();
        q.into_table(table.to_string())
            .columns(columns.iter().map(|c| c.to_string()));
        for r in chunk {
            q.values_panic(r.iter().cloned().map(SimpleExpr::from));
        }
        db.execute(&q).await?;
    }
    Ok(())
}

/// The rows of a CSV file shipped in `data/reference/`.
pub(crate) fn reference_rows<T: for<'de> serde::Deserialize<'de>>(
    csv_text: &str,
) -> Result<Vec<T>, StoreError> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| StoreError::Internal(format!("reference data: {e}")))
}

/// What applying a shipped list to a reference table did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reshipped {
    pub added: usize,
    pub updated: usize,
    /// Rows the shipped list differs on that an administrator corrected: left
    /// as corrected.
    pub kept: usize,
}

/// Apply a commune list in the shipped format (`data/reference/communes.csv`)
/// to the table: units missing are added, units that differ are updated
/// unless an administrator corrected them (`corrected_at` set), which stay.
/// A reference migration after 49 changes shipped communes only this way; it
/// names its columns, like every migration, so it does the same thing forever.
pub(crate) async fn reship_communes<C: ConnectionTrait>(
    db: &C,
    csv_text: &str,
) -> Result<Reshipped, StoreError> {
    use kieng_domain::text::fold;
    use m0044::{Row, kind_code, province_key};
    let backend = db.get_database_backend();
    let sql = |s: &str| Statement::from_string(backend, s.to_string());
    let mut provinces = std::collections::HashMap::new();
    for r in db
        .query_all_raw(sql(
            "SELECT code, name FROM provinces WHERE valid_to IS NULL",
        ))
        .await?
    {
        let name: String = r.try_get("", "name")?;
        provinces.insert(province_key(&name), r.try_get::<String>("", "code")?);
    }
    // code → (name, full_name, name_en, kind, province_code, corrected)
    type Held = (String, String, Option<String>, String, String, bool);
    let mut have: std::collections::HashMap<String, Held> = std::collections::HashMap::new();
    for r in db
        .query_all_raw(sql(
            "SELECT code, name, full_name, name_en, kind, province_code,
                    corrected_at IS NOT NULL AS corrected FROM communes",
        ))
        .await?
    {
        have.insert(
            r.try_get("", "code")?,
            (
                r.try_get("", "name")?,
                r.try_get("", "full_name")?,
                r.try_get("", "name_en")?,
                r.try_get("", "kind")?,
                r.try_get("", "province_code")?,
                r.try_get("", "corrected")?,
            ),
        );
    }
    let mut done = Reshipped::default();
    for r in reference_rows::<Row>(csv_text)? {
        let province = provinces
            .get(&province_key(&r.province_name))
            .ok_or_else(|| {
                StoreError::Internal(format!("communes: no province {}", r.province_name))
            })?
            .clone();
        let kind = kind_code(&r.kind)
            .ok_or_else(|| StoreError::Internal(format!("communes: kind {}", r.kind)))?;
        let code = r.commune_code.trim().to_string();
        let name_en = Some(r.name_en.trim().to_string()).filter(|s| !s.is_empty());
        let shipped = (
            r.name.trim().to_string(),
            r.full_name.trim().to_string(),
            name_en.clone(),
            kind.to_string(),
            province.clone(),
        );
        let values: Vec<Value> = vec![
            shipped.0.clone().into(),
            shipped.1.clone().into(),
            name_en.into(),
            kind.into(),
            province.into(),
            fold(&format!("{} {}", r.full_name, r.name_en)).into(),
            code.clone().into(),
        ];
        match have.get(&code) {
            None => {
                db.execute_raw(Statement::from_sql_and_values(
                    backend,
                    "INSERT INTO communes (name, full_name, name_en, kind, province_code, name_fold, code)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    values,
                ))
                .await?;
                done.added += 1;
            }
            Some(h)
                if (&h.0, &h.1, &h.2, &h.3, &h.4)
                    == (&shipped.0, &shipped.1, &shipped.2, &shipped.3, &shipped.4) => {}
            Some(h) if h.5 => done.kept += 1,
            Some(_) => {
                db.execute_raw(Statement::from_sql_and_values(
                    backend,
                    "UPDATE communes SET name = $1, full_name = $2, name_en = $3, kind = $4,
                        province_code = $5, name_fold = $6
                     WHERE code = $7 AND corrected_at IS NULL",
                    values,
                ))
                .await?;
                done.updated += 1;
            }
        }
    }
    Ok(done)
}

/// Apply every pending migration; returns the versions applied.
pub async fn run(db: &DatabaseConnection) -> Result<Vec<i64>, StoreError> {
    let backend = db.get_database_backend();
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    // A database a newer Kiềng has migrated holds what this one does not
    // know how to read or keep: refuse it rather than write beside it.
    let at: i64 = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations",
        ))
        .await?
        .map(|r| r.try_get("", "v"))
        .transpose()?
        .unwrap_or(0);
    if at > LATEST {
        return Err(StoreError::Internal(format!(
            "the database is at schema {at}, newer than this Kiềng knows (schema {LATEST}): run the Kiềng that migrated it, or a newer one"
        )));
    }
    let mut applied = Vec::new();
    for m in migrations() {
        let tx = crate::db::begin_write(db).await?;
        // Take the lock first (PostgreSQL), so two servers starting together do
        // not both apply the same migration.
        if backend == DbBackend::Postgres {
            tx.execute_unprepared("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .await?;
        }
        let done = tx
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT version FROM schema_migrations WHERE version = $1",
                [m.version.into()],
            ))
            .await?
            .is_some();
        if done {
            tx.rollback().await?;
            continue;
        }
        match &m.step {
            Step::Sql(sql) => {
                for stmt in statements(&render(sql, backend)) {
                    tx.execute_unprepared(&stmt).await?;
                }
            }
            Step::Quiet(sql) => {
                let logs = crate::search::changes::suspend_log(&tx).await?;
                for stmt in statements(&render(sql, backend)) {
                    tx.execute_unprepared(&stmt).await?;
                }
                crate::search::changes::resume_log(&tx, logs).await?;
            }
            Step::Rust(f) => f(&tx).await?,
        }
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            [
                m.version.into(),
                m.name.into(),
                chrono::Utc::now().to_rfc3339().into(),
            ],
        ))
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied.push(m.version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_latest_version_is_the_last_migration() {
        let all = super::migrations();
        assert_eq!(all.last().map(|m| m.version), Some(super::LATEST));
        for (i, m) in all.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
        }
    }

    use super::*;

    /// Every SQL file in `migrations/` is registered under the version its name
    /// starts with, every Rust step has its file there, and versions run on.
    #[test]
    fn every_migration_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let all = migrations();
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let version: i64 = name[..4].parse().unwrap();
            let m = all
                .iter()
                .find(|m| m.version == version)
                .unwrap_or_else(|| panic!("{name} is not registered"));
            match &m.step {
                Step::Sql(sql) | Step::Quiet(sql) => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(*sql == text, "{name} is not version {version}'s SQL");
                }
                Step::Rust(_) => assert!(name.ends_with(".rs"), "{name}: a Rust step"),
            }
            files += 1;
        }
        assert_eq!(files, all.len(), "one file per migration");
        let versions: Vec<i64> = all.iter().map(|m| m.version).collect();
        assert!(
            versions.windows(2).all(|w| w[1] == w[0] + 1),
            "versions are consecutive"
        );
    }

    /// The built-in activity types are the ones migrations loaded: a type added
    /// to the domain's list comes with a migration that inserts it.
    #[test]
    fn builtin_activity_types_are_loaded_by_a_migration() {
        assert_eq!(m0007::TYPES, kieng_domain::activity::BUILTIN_TYPES);
    }

    #[test]
    fn renders_per_backend_and_splits() {
        let sql = "CREATE TABLE t (id {uuid} PRIMARY KEY, at {ts});\n-- note; with a semicolon\nINSERT INTO t VALUES (1, 2);";
        let pg = render(sql, DbBackend::Postgres);
        assert!(pg.contains("id uuid") && pg.contains("at timestamptz"));
        let lite = render(sql, DbBackend::Sqlite);
        assert!(lite.contains("id blob"));
        assert_eq!(statements(&lite).count(), 2);
    }
}
