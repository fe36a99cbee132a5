//! A database made by an earlier commit of main (fixtures/README.md) migrates
//! to the current schema with its records and audit chain whole, and serves.

use crate::helpers::{config, pg_admin_url, serve};
use kieng::startup::open_store;
use sea_orm::{ConnectionTrait, Database, Statement};
use std::io::Read;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn gunzip(name: &str) -> Vec<u8> {
    let file = std::fs::File::open(format!("{FIXTURES}/{name}")).unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// What the demo put in, read straight from the database.
async fn counts(url: &str) -> Vec<i64> {
    let db = Database::connect(url).await.unwrap();
    let mut out = Vec::new();
    for table in [
        "activities",
        "agreements",
        "commitments",
        "partners",
        "users",
        "audit_log",
    ] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        out.push(row.try_get::<i64>("", "n").unwrap());
    }
    db.close().await.unwrap();
    out
}

async fn upgrade(url: String, dir: std::path::PathBuf, password: &str, activities: i64) {
    let before = counts(&url).await;
    assert_eq!(before[0], activities, "the demo's activities");
    let store = open_store(&config(url.clone(), dir.clone())).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        kieng_store::migrate::LATEST
    );
    let after = counts(&url).await;
    assert_eq!(before[..5], after[..5], "every record came through");
    let audit = store.audit_verify().await.unwrap();
    assert!(audit.result.is_ok(), "the audit chain still links up");
    assert_eq!(audit.checked as i64, after[5], "every entry verified");
    let problems = store.check().await.unwrap();
    assert!(
        problems.is_empty(),
        "copies agree with their rows: {problems:?}"
    );
    let (base, stop) = serve(&config(url, dir.clone()), store).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(format!("{base}/login"))
        .form(&[("username", "lanhdao"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the demo leader signs in");
    let page = client
        .get(format!("{base}/activities"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Bộ trưởng Ngoại giao thăm chính thức Nhật Bản"),
        "the old records list"
    );
    let _ = stop.send(());
    let _ = std::fs::remove_dir_all(&dir);
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kieng-upgrade-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fixture's SQLite file, upgraded.
async fn upgrades_on_sqlite(fixture: &str, password: &str, activities: i64) {
    let dir = temp_dir();
    let file = dir.join("kieng.db");
    std::fs::write(&file, gunzip(&format!("{fixture}.sqlite.gz"))).unwrap();
    upgrade(kieng::config::sqlite_url(&file), dir, password, activities).await;
}

/// A fixture's PostgreSQL dump, loaded into a fresh database and upgraded.
async fn upgrades_on_postgres(fixture: &str, password: &str, activities: i64) {
    let admin = pg_admin_url();
    let name = format!(
        "kieng_up_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    );
    let conn = Database::connect(&admin).await.unwrap();
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (prefix, _) = admin.rsplit_once('/').unwrap();
    let url = format!("{prefix}/{name}");
    let db = Database::connect(&url).await.unwrap();
    let dump = String::from_utf8(gunzip(&format!("{fixture}.pg.sql.gz"))).unwrap();
    db.execute_unprepared(&dump).await.unwrap();
    db.close().await.unwrap();
    upgrade(url, temp_dir(), password, activities).await;
    let _ = conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_30_database_upgrades_on_sqlite() {
    upgrades_on_sqlite("demo-763e5fe", "vjcfr-4bcqx-zjc74-2ndsn", 12).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_30_database_upgrades_on_postgres() {
    upgrades_on_postgres("demo-763e5fe", "q6mqg-r78qv-eu6hv-5ybg8", 12).await;
}

/// The database of the release before this one (schema 47: secret items,
/// channels, communes, a second pillar).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_47_database_upgrades_on_sqlite() {
    upgrades_on_sqlite("demo-870b419", "d82vy-9wrms-e7a89-yr8z9", ACTIVITIES_47).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_47_database_upgrades_on_postgres() {
    upgrades_on_postgres("demo-870b419", "2pgzm-y5wdw-j8rbd-p69kb", ACTIVITIES_47).await;
}

/// The demo's activities at commit 870b419.
const ACTIVITIES_47: i64 = 16;
