//! `kieng check`: each column copy the visibility rule reads, knocked out of
//! step with its row by hand, is named — by the store and by the command,
//! which exits 1 — and agrees again once put back.

use crate::activities::{create, visit};
use crate::both;
use crate::helpers::{Db, TestApp};
use reqwest::Method;
use serde_json::json;

/// `kieng check` run as a process on the test's database.
fn command(app: &TestApp) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
        .arg("--database-url")
        .arg(&app.database_url)
        .arg("--data-dir")
        .arg(app.dir.join("check"))
        .arg("check")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

async fn the_check_names_every_copy_out_of_step(app: &TestApp) {
    let root = app.token("root").await;
    let mut body = visit("Hội đàm với Bộ Ngoại giao Lào", "A", vec!["Lao"], 5, 6);
    body["agencies"] = json!(["B"]);
    let act = create(app, &root, body).await;
    let aid = act["activity"]["id"].as_str().unwrap().to_string();
    let (s, c) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/commitments",
            Some(json!({"title": "Gửi dự thảo biên bản",
            "source": "activity", "source_id": aid, "owner_agency": "B",
            "due_on": "2030-01-01"})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert!(app.store.check().await.unwrap().is_empty());
    assert_eq!(command(app).0, 0);
    let id = |col: &str| match app.db {
        Db::Postgres => format!("{col} = '{aid}'"),
        Db::Sqlite => format!("lower(hex({col})) = '{}'", aid.replace('-', "")),
    };
    let cases = [
        (
            "activity_agencies",
            "classification = 2",
            "activity_agencies:",
        ),
        ("activity_partners", "vn_year = 1999", "activity_partners:"),
        (
            "activity_partners",
            "pillar = 'party'",
            "activity_partners:",
        ),
        (
            "commitments",
            "source_agency_id = owner_agency_id",
            "commitments: the source activity",
        ),
    ];
    for (table, wrong, named) in cases {
        let col = "activity_id";
        let saved = format!(
            "CREATE TABLE saved AS SELECT * FROM {table} WHERE {}",
            id(col)
        );
        app.sql(&saved).await;
        app.sql(&format!("UPDATE {table} SET {wrong} WHERE {}", id(col)))
            .await;
        let problems = app.store.check().await.unwrap();
        assert!(
            !problems.is_empty() && problems.iter().all(|p| p.copy.starts_with(named)),
            "{table} {wrong}: {problems:?}"
        );
        let (code, stderr) = command(app);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
        // Put the rows back as they were.
        app.sql(&format!("DELETE FROM {table} WHERE {}", id(col)))
            .await;
        app.sql(&format!("INSERT INTO {table} SELECT * FROM saved"))
            .await;
        app.sql("DROP TABLE saved").await;
        assert!(
            app.store.check().await.unwrap().is_empty(),
            "{table} restored"
        );
    }
    // A partner link with no participation row behind it is named too.
    app.sql(&format!(
        "DELETE FROM activity_partner_agencies WHERE {}",
        id("activity_id")
    ))
    .await;
    let problems = app.store.check().await.unwrap();
    assert!(
        problems.iter().any(|p| p.row.ends_with("missing")),
        "{problems:?}"
    );
    app.sql(&format!(
        "INSERT INTO activity_partner_agencies (partner_id, agency_id, activity_id)
         SELECT ap.partner_id, aa.agency_id, ap.activity_id FROM activity_partners ap
         JOIN activity_agencies aa ON aa.activity_id = ap.activity_id WHERE {}",
        id("ap.activity_id")
    ))
    .await;
}

both!(the_check_names_every_copy_out_of_step);
