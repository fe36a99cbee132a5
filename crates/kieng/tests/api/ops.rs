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
    a_newer_database_is_refused,
    scheduled_backups_keep_the_newest_and_show_on_the_system_page
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

async fn scheduled_backups_keep_the_newest_and_show_on_the_system_page(app: &TestApp) {
    let admin = app.token("admin").await;
    let (s, sys) = app
        .api(&admin, reqwest::Method::GET, "/api/v1/system", None)
        .await;
    assert_eq!(s, 200, "{sys}");
    assert_eq!(sys["schema"], sys["schema_latest"]);
    assert_eq!(sys["schema_latest"], kieng_store::migrate::LATEST);
    assert!(sys["last_backup"].is_null());
    assert!(sys["disk_free_bytes"].as_u64().unwrap() > 0);

    let dir = temp_dir("scheduled");
    for old in [
        "kieng-20200101-020000.db",
        "kieng-20200102-020000.db",
        "kieng-20200103-020000.db",
    ] {
        std::fs::write(dir.join(old), b"old").unwrap();
    }
    let schedule = kieng::config::BackupSchedule {
        at: chrono::NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
        keep: 2,
        dir: dir.clone(),
    };
    let b = kieng::ops::scheduled_backup(&app.store, &schedule)
        .await
        .unwrap()
        .expect("the first one is taken");
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "kieng-20200103-020000.db".to_string(),
            b.path.file_name().unwrap().to_string_lossy().into_owned()
        ]
    );
    // Another server with the same schedule finds it taken.
    assert!(
        kieng::ops::scheduled_backup(&app.store, &schedule)
            .await
            .unwrap()
            .is_none()
    );
    let (_, sys) = app
        .api(&admin, reqwest::Method::GET, "/api/v1/system", None)
        .await;
    assert_eq!(sys["last_backup"]["bytes"].as_u64(), Some(b.bytes));
    let page = app
        .signed_in("admin")
        .await
        .get("/system")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&b.path.display().to_string()), "{page}");
    assert!(page.contains("Lần sao lưu gần nhất"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `/metrics` parses as the Prometheus text format (Python's
/// `prometheus_client` parser, independent of Kiềng) and a request moves
/// its route's counter; the metrics address serves it without sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_a_request_moves_its_counter() {
    let app = crate::helpers::spawn(Db::Sqlite).await;
    let admin = app.token("admin").await;
    let scrape = || async {
        let r = reqwest::Client::new()
            .get(app.url("/metrics"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        r.text().await.unwrap()
    };
    let count = |text: &str| -> u64 {
        text.lines()
            .find(|l| {
                l.starts_with("kieng_http_requests_total{")
                    && l.contains("route=\"/api/v1/activities\"")
                    && l.contains("method=\"GET\"")
                    && l.contains("status=\"200\"")
            })
            .and_then(|l| l.rsplit(' ').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    let before = count(&scrape().await);
    let officer = app.token("officer").await;
    for _ in 0..3 {
        let (s, _) = app
            .api(&officer, reqwest::Method::GET, "/api/v1/activities", None)
            .await;
        assert_eq!(s, 200);
    }
    let text = scrape().await;
    assert_eq!(count(&text), before + 3, "{text}");
    assert!(text.contains("kieng_http_request_duration_seconds_bucket{"));
    assert!(text.contains("kieng_schema_version"));
    // A wrong password is counted.
    let r = app
        .anon()
        .post(app.url("/login"))
        .form(&[("username", "officer"), ("password", "sai mật khẩu rồi")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let text = scrape().await;
    assert!(
        text.contains("kieng_sign_in_failures_total{outcome=\"failed\"} 1"),
        "{text}"
    );
    // An independent parser reads every family.
    let dir = temp_dir("metrics");
    let file = dir.join("metrics.txt");
    std::fs::write(&file, &text).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys\nfrom prometheus_client.parser import text_string_to_metric_families\n\
             fams = list(text_string_to_metric_families(open(sys.argv[1]).read()))\n\
             names = {f.name for f in fams}\n\
             assert 'kieng_http_requests' in names, names\n\
             assert 'kieng_http_request_duration_seconds' in names, names\n\
             print(len(fams))",
        )
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    app.stop().await;
}

/// `kieng export`: what the user may see, as the API shows it; nothing above
/// their clearance or outside their scope; the export is in the audit trail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_holds_what_the_user_may_see() {
    let app = crate::helpers::spawn(Db::Sqlite).await;
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let mine = create(
        &app,
        &officer,
        json!({"title": "Tiếp Đại sứ xuất dữ liệu", "type_code": "talks", "lead_agency": "A",
            "starts_at": day(3, 9), "ends_at": day(3, 11)}),
    )
    .await;
    let theirs = create(
        &app,
        &root,
        json!({"title": "Hoạt động của Ban Đối ngoại", "type_code": "talks", "lead_agency": "B",
            "starts_at": day(3, 9), "ends_at": day(3, 11)}),
    )
    .await;
    let dir = temp_dir("export").join("out");
    let o = Overrides {
        database_url: Some(app.database_url.clone()),
        data_dir: Some(app.dir.clone()),
        ..Default::default()
    };
    assert_eq!(
        kieng::ops::export_command(o.clone(), "officer".into(), Some(dir.clone()))
            .await
            .unwrap(),
        0
    );
    let read = |kind: &str| -> Vec<serde_json::Value> {
        std::fs::read_to_string(dir.join(format!("{kind}.jsonl")))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let activities = read("activities");
    let ids: Vec<&str> = activities
        .iter()
        .map(|a| a["activity"]["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&mine["activity"]["id"].as_str().unwrap()));
    assert!(!ids.contains(&theirs["activity"]["id"].as_str().unwrap()));
    let agencies = read("agencies");
    assert!(!agencies.is_empty());
    assert!(
        !agencies.iter().any(|a| a.to_string().contains("SECRET")),
        "an agency above the reader's clearance does not exist for them"
    );
    for kind in ["partners", "agreements", "commitments"] {
        assert!(dir.join(format!("{kind}.jsonl")).exists());
    }
    // Never over an earlier export.
    assert!(
        kieng::ops::export_command(o, "officer".into(), Some(dir.clone()))
            .await
            .is_err()
    );
    let (_, log) = app
        .api(
            &root,
            reqwest::Method::GET,
            "/api/v1/audit?action=export",
            None,
        )
        .await;
    assert_eq!(log["items"].as_array().unwrap().len(), 1, "{log}");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    app.stop().await;
}

/// `metrics_listen` serves `/metrics` alone, without sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_metrics_address_serves_only_metrics() {
    let dir = temp_dir("metrics-listen");
    let mut config = crate::helpers::config(sqlite_url(&dir.join("kieng.db")), dir.clone());
    config.metrics_listen = Some("127.0.0.1:0".into());
    let store = kieng::startup::open_store(&config).await.unwrap();
    let server = kieng::startup::Server::build(&config, store).await.unwrap();
    let (main, metrics) = (server.port(), server.metrics_port().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run_until(async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::new();
    let r = client
        .get(format!("http://127.0.0.1:{main}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = client
        .get(format!("http://127.0.0.1:{metrics}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "kieng_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    let r = client
        .get(format!("http://127.0.0.1:{metrics}/activities"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "nothing but /metrics there");
    let _ = tx.send(());
    task.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
