//! `kieng demo --scale`: a generated dataset in a fresh database, coherent
//! (counts, shared activities, agreements whose status is their history's last
//! entry) and its printed accounts sign in with the printed password.

use crate::both;
use crate::helpers::{TestApp, pg_admin_url};
use kieng_store::Store;
use sea_orm::{ConnectionTrait, Database, Statement};

/// A fresh, empty database of the app's kind; with the PostgreSQL one's name to drop.
async fn fresh_database(app: &TestApp) -> (String, Option<String>) {
    if !app.database_url.starts_with("postgres") {
        return (
            kieng::config::sqlite_url(&app.dir.join("generated.db")),
            None,
        );
    }
    let name = format!(
        "kieng_g_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..16]
    );
    let admin = pg_admin_url();
    let conn = Database::connect(&admin).await.unwrap();
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (prefix, _) = admin.rsplit_once('/').unwrap();
    (format!("{prefix}/{name}"), Some(name))
}

async fn a_generated_town_is_coherent_and_its_accounts_sign_in(app: &TestApp) {
    let (url, pg_name) = fresh_database(app).await;
    let run = |scale: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
            .args(["--database-url", &url, "--data-dir"])
            .arg(app.dir.join("generated"))
            .args(["demo", "--scale", scale])
            .env("KIENG_LOG", "error")
            .output()
            .unwrap()
    };
    let out = run("galactic");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("town, province, national"));
    let out = run("town");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = stdout
        .lines()
        .find_map(|l| {
            l.split_once("shown once): ")
                .map(|(_, p)| p.trim().to_string())
        })
        .unwrap_or_else(|| panic!("{stdout}"));
    let admin = stdout
        .lines()
        .find(|l| l.trim_end().ends_with(" admin"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{stdout}"))
        .to_string();
    assert!(!run("town").status.success(), "only into a fresh database");

    let store = Store::connect(&url, kieng_store::StoreConfig::default())
        .await
        .unwrap();
    let db = store.connection();
    let count = |sql: &'static str| async move {
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    };
    assert_eq!(count("SELECT COUNT(*) FROM activities").await, 10_000);
    let shared = count("SELECT COUNT(*) FROM activity_agencies").await;
    assert!(
        (1_500..=2_000).contains(&shared),
        "one in five shared: {shared}"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM activity_partners").await,
        count(
            "SELECT COUNT(*) FROM activity_partners ap JOIN activities a ON a.id = ap.activity_id
         WHERE ap.starts_at = a.starts_at AND ap.owner_agency_id = a.owner_agency_id"
        )
        .await,
        "the links copy their activity"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM partners WHERE kind = 'person'").await,
        1_000
    );
    assert_eq!(count("SELECT COUNT(*) FROM person_positions").await, 1_000);
    assert!(
        count("SELECT COUNT(*) FROM partners WHERE kind NOT IN ('country', 'person')").await >= 50
    );
    assert_eq!(count("SELECT COUNT(*) FROM agreements").await, 500);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM agreements g WHERE g.status <> (SELECT s.status FROM agreement_statuses s
             WHERE s.agreement_id = g.id ORDER BY s.on_date DESC, s.id DESC LIMIT 1)"
        )
        .await,
        0,
        "each agreement's status is its history's last entry"
    );
    assert_eq!(count("SELECT COUNT(*) FROM commitments").await, 3_000);
    // The bulk load put back every index and trigger it set aside: the same as a
    // database migrated the ordinary way (the app's own).
    let schema = |url: String| async move {
        let db = Database::connect(&url).await.unwrap();
        let sql = if url.starts_with("postgres") {
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'
             UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
        } else {
            "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 1"
        };
        let names: Vec<String> = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect();
        db.close().await.unwrap();
        names
    };
    let generated = schema(url.clone()).await;
    assert!(generated.iter().any(|n| n == "activities_span"));
    assert_eq!(generated, schema(app.database_url.clone()).await);
    assert!(
        store
            .sign_in(&admin, &password, None, None, None)
            .await
            .is_ok(),
        "{admin} signs in with the printed password"
    );
    assert!(
        store
            .sign_in(&admin, "sai mật khẩu rồi", None, None, None)
            .await
            .is_err()
    );
    store.close().await;
    if let Some(name) = pg_name {
        let conn = Database::connect(&pg_admin_url()).await.unwrap();
        conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}

both!(a_generated_town_is_coherent_and_its_accounts_sign_in);
