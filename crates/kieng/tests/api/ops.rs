//! Operating a deployment: a backup taken under writes restores what was
//! acknowledged before it began, with its audit chain; a move from SQLite to
//! PostgreSQL and back keeps every row and the chain; a database newer than
//! this build is refused.

use crate::activities::{create, day};
use crate::both;
use crate::helpers::{Db, TestApp, pg_admin_url};
use kieng::config::{Overrides, sqlite_url};
use kieng_store::{Store, StoreConfig};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

both!(
    a_backup_under_writes_restores_what_was_acknowledged,
    a_newer_database_is_refused
);

/// An empty PostgreSQL database: its URL and name.
async fn fresh_postgres() -> (String, String) {
    let admin = pg_admin_url();
    let name = format!(
        "kieng_ops_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    );
    let conn = Database::connect(&admin).await.unwrap();
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (prefix, _) = admin.rsplit_once('/').unwrap();
    (format!("{prefix}/{name}"), name)
}

async fn drop_postgres(name: &str) {
    let conn = Database::connect(&pg_admin_url()).await.unwrap();
    let _ = conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    conn.close().await.unwrap();
}

async fn migrated(url: &str) -> Store {
    let s = Store::connect(url, StoreConfig::default()).await.unwrap();
    s.migrate().await.unwrap();
    s
}

fn temp_dir(what: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kieng-{what}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn ids_in(store: &Store) -> std::collections::HashSet<String> {
    let db = store.connection();
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT id FROM activities",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<uuid::Uuid>("", "id").unwrap().to_string())
    .collect()
}

async fn a_backup_under_writes_restores_what_was_acknowledged(app: &TestApp) {
    let officer = app.token("officer").await;
    for i in 0..5 {
        create(
            app,
            &officer,
            json!({"title": format!("Trước sao lưu {i}"), "type_code": "talks", "lead_agency": "A",
                "starts_at": day(3, 9), "ends_at": day(3, 11)}),
        )
        .await;
    }
    // An officer keeps recording while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (written, mut progress) = tokio::sync::watch::channel(0usize);
    let writer = {
        let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
        let (base, token) = (app.base.clone(), officer.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) && i < 400 {
                i += 1;
                let r = client
                    .post(format!("{base}/api/v1/activities"))
                    .bearer_auth(&token)
                    .json(
                        &json!({"title": format!("Trong lúc sao lưu {i}"), "type_code": "talks",
                        "lead_agency": "A", "starts_at": day(4, 9), "ends_at": day(4, 11)}),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                let v: serde_json::Value = r.json().await.unwrap();
                acknowledged
                    .lock()
                    .unwrap()
                    .push(v["activity"]["id"].as_str().unwrap().to_string());
                written.send_modify(|n| *n += 1);
            }
        })
    };
    progress.wait_for(|n| *n >= 3).await.unwrap();
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let before_all = ids_in(&app.store).await;
    let dir = temp_dir("backup");
    let file = dir.join("sao-luu.db");
    let b = kieng::ops::backup(&app.store, &file).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(b.bytes > 0 && b.rows > 0 && b.audit_entries > 0);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600,
        "only its owner reads a backup"
    );
    let last = app.store.last_backup().await.unwrap().unwrap();
    assert_eq!(last.bytes as u64, b.bytes);

    // Everything acknowledged before the backup began is in it, and its chain
    // is a prefix of the live one.
    let copy = Store::connect(&sqlite_url(&file), StoreConfig::default())
        .await
        .unwrap();
    let in_backup = ids_in(&copy).await;
    for id in before.iter().chain(before_all.iter()) {
        assert!(
            in_backup.contains(id),
            "{id} acknowledged before the backup"
        );
    }
    assert!(copy.audit_verify().await.unwrap().result.is_ok());
    let (seq, hash) = copy.audit_head().await.unwrap();
    let db = app.store.connection();
    let live: String = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT hash FROM audit_log WHERE seq = $1",
            [seq.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "hash")
        .unwrap();
    assert_eq!(
        live, hash,
        "the backup's chain is the live chain's beginning"
    );
    let counts = copy.table_counts().await.unwrap();
    copy.close().await;

    // Restored into an empty database of the same kind as the source.
    let (url, pg) = match app.db {
        Db::Sqlite => (sqlite_url(&dir.join("restored").join("kieng.db")), None),
        Db::Postgres => {
            let (u, n) = fresh_postgres().await;
            (u, Some(n))
        }
    };
    let o = Overrides {
        database_url: Some(url.clone()),
        data_dir: Some(dir.join("restored")),
        ..Default::default()
    };
    assert_eq!(
        kieng::ops::restore_command(o.clone(), file.clone())
            .await
            .unwrap(),
        0
    );
    let restored = migrated(&url).await;
    let mut after = restored.table_counts().await.unwrap();
    // The restore notes nothing; the backup row of the source came with it.
    after.remove("backups");
    let mut expected = counts.clone();
    expected.remove("backups");
    assert_eq!(after, expected);
    assert_eq!(restored.audit_head().await.unwrap(), (seq, hash));
    restored.close().await;
    // A database holding records is never restored over.
    let again = kieng::ops::restore_command(o, file).await;
    assert!(
        again
            .unwrap_err()
            .to_string()
            .contains("already holds records")
    );
    if let Some(n) = pg {
        drop_postgres(&n).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_both_ways_keeps_every_row_and_the_chain() {
    let app = crate::helpers::spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    let a = create(
        &app,
        &officer,
        json!({"title": "Hội thảo chuyển dữ liệu", "type_code": "conference_hosted", "lead_agency": "A",
            "authority": "prime_minister", "starts_at": day(50, 9), "ends_at": day(50, 17)}),
    )
    .await;
    let id = a["activity"]["id"].as_str().unwrap();
    let (s, _) = app
        .api(
            &officer,
            reqwest::Method::POST,
            &format!("/api/v1/activities/{id}/consultations"),
            Some(json!({"body": "Bộ Công an", "requested_on": "2026-01-05"})),
        )
        .await;
    assert_eq!(s, 200);
    let counts = app.store.table_counts().await.unwrap();
    let head = app.store.audit_head().await.unwrap();

    let (pg_url, pg_name) = fresh_postgres().await;
    let pg = migrated(&pg_url).await;
    let copied = app.store.copy_into(&pg).await.unwrap();
    assert_eq!(copied.tables, counts);
    assert_eq!(pg.table_counts().await.unwrap(), counts);
    assert_eq!(pg.audit_head().await.unwrap(), head);
    assert!(pg.audit_verify().await.unwrap().result.is_ok());
    assert!(pg.check().await.unwrap().is_empty());
    // Copying into a database that holds records is refused.
    assert!(app.store.copy_into(&pg).await.is_err());

    let dir = temp_dir("move-back");
    let back = migrated(&sqlite_url(&dir.join("kieng.db"))).await;
    pg.copy_into(&back).await.unwrap();
    assert_eq!(back.table_counts().await.unwrap(), counts);
    assert_eq!(back.audit_head().await.unwrap(), head);
    assert!(back.audit_verify().await.unwrap().result.is_ok());
    // The record reads back the same, to its dates and its consultation.
    let row = |s: &Store| {
        let db = s.connection().clone();
        async move {
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT a.title, a.starts_at, c.body, c.requested_on
                 FROM activities a JOIN activity_consultations c ON c.activity_id = a.id",
            ))
            .await
            .unwrap()
            .map(|r| {
                (
                    r.try_get::<String>("", "title").unwrap(),
                    r.try_get::<chrono::DateTime<chrono::Utc>>("", "starts_at")
                        .unwrap(),
                    r.try_get::<String>("", "body").unwrap(),
                    r.try_get::<chrono::NaiveDate>("", "requested_on").unwrap(),
                )
            })
        }
    };
    let original = row(&app.store).await;
    assert!(original.is_some());
    assert_eq!(row(&pg).await, original);
    assert_eq!(row(&back).await, original);
    pg.close().await;
    back.close().await;
    drop_postgres(&pg_name).await;
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}

async fn a_newer_database_is_refused(app: &TestApp) {
    app.sql(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01')",
    )
    .await;
    let e = app.store.migrate().await.unwrap_err().to_string();
    assert!(e.contains("schema 999") && e.contains("newer"), "{e}");
    app.sql("DELETE FROM schema_migrations WHERE version = 999")
        .await;
}
