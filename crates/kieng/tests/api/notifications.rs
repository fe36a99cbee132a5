//! Notifications and the home page: a submission reaches the leader who
//! decides it, the decision (with its note) reaches the author, a clash
//! reaches the other activity's author, a commitment reaches whom it is given
//! to; none names a record above its reader's clearance, in the list or the count.

use crate::activities::{create, step, visit};
use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

async fn inbox(app: &TestApp, token: &str) -> Value {
    let (s, n) = app
        .api(token, Method::GET, "/api/v1/notifications", None)
        .await;
    assert_eq!(s, 200, "{n}");
    n
}

fn kinds(n: &Value) -> Vec<(String, String)> {
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn moves_reach_who_they_concern(app: &TestApp) {
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let root = app.token("root").await;
    let a = create(
        app,
        &officer,
        visit(
            "Đón đoàn Bộ Ngoại giao Singapore",
            "A",
            vec!["Singapore"],
            30,
            31,
        ),
    )
    .await;
    step(app, &officer, &a, "submit", None).await;
    // The leader of A decides: told of the submission.
    let n = inbox(app, &leader).await;
    assert!(
        kinds(&n).contains(&(
            "submitted".into(),
            "Đón đoàn Bộ Ngoại giao Singapore".into()
        )),
        "{n}"
    );
    assert!(n["unread"].as_u64().unwrap() >= 1);
    // Returned with a reason: the author reads it with the note and who.
    let (s, _) = step(
        app,
        &leader,
        &a,
        "return",
        Some("Bổ sung dự toán kinh phí."),
    )
    .await;
    assert_eq!(s, 200);
    let n = inbox(app, &officer).await;
    let back = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "returned")
        .unwrap_or_else(|| panic!("{n}"));
    assert_eq!(back["note"], "Bổ sung dự toán kinh phí.");
    assert!(back["by"].as_str().is_some());
    assert_eq!(back["read"], false);
    // Read one: the count drops.
    let before = n["unread"].as_u64().unwrap();
    let id = back["id"].as_str().unwrap();
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/notifications/{id}/read"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(
        inbox(app, &officer).await["unread"].as_u64().unwrap(),
        before - 1
    );
    // Nobody is told of their own move.
    assert!(
        !kinds(&inbox(app, &leader).await)
            .iter()
            .any(|(k, _)| k == "returned")
    );

    // A clash: the other activity's author is told, about their own activity.
    create(
        app,
        &root,
        visit("Tiếp Đại sứ Singapore", "A1", vec!["Singapore"], 30, 30),
    )
    .await;
    let n = inbox(app, &officer).await;
    assert!(
        kinds(&n).contains(&("clash".into(), "Đón đoàn Bộ Ngoại giao Singapore".into())),
        "{n}"
    );

    // A record above the reader's clearance is neither listed nor counted:
    // the officer (clearance Mật) is told of a clash, then the other activity
    // is raised to Tối mật — the notification about it drops out of both.
    let mut secret = visit(
        "Làm việc với đối tác Singapore",
        "A",
        vec!["Singapore"],
        45,
        45,
    );
    secret["classification"] = json!("mat");
    secret["secret_item"] = json!("MAT");
    let s2 = create(app, &root, secret).await;
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/commitments",
            Some(json!({"title": "Gửi thông tin về dự án cho phía Singapore", "source": "activity",
                "source_id": s2["activity"]["id"], "owner_agency": "A", "responsible_user": "officer",
                "due_on": "2027-06-30"})),
        )
        .await;
    assert_eq!(s, 201);
    let n = inbox(app, &officer).await;
    assert!(
        kinds(&n).contains(&(
            "assigned".into(),
            "Gửi thông tin về dự án cho phía Singapore".into()
        )),
        "{n}"
    );
    let unread = n["unread"].as_u64().unwrap();
    app.sql(
        "UPDATE commitments SET classification = 3 WHERE title = 'Gửi thông tin về dự án cho phía Singapore'",
    )
    .await;
    let n = inbox(app, &officer).await;
    assert!(
        !n.to_string().contains("Gửi thông tin về dự án"),
        "above clearance, nothing shows: {n}"
    );
    assert_eq!(n["unread"].as_u64().unwrap(), unread - 1);
}

/// Each role's home page shows its rows: the leader the proposal to decide
/// with its buttons, the officer the returned proposal with its reason.
async fn home_pages_show_the_work_waiting(app: &TestApp) {
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let a = create(
        app,
        &officer,
        visit(
            "Hội đàm với Bộ Ngoại giao Malaysia",
            "A",
            vec!["Malaysia"],
            20,
            20,
        ),
    )
    .await;
    step(app, &officer, &a, "submit", None).await;
    let home = app.signed_in("leader").await.get("/").await;
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(
        html.contains("Hội đàm với Bộ Ngoại giao Malaysia"),
        "{html}"
    );
    assert!(html.contains("/transition?back=home"));
    assert!(html.contains(r#"class="count""#), "the bell counts");
    // Approved from the home page: back to the home page, the proposal gone.
    let s = app.signed_in("leader").await;
    let id = a["activity"]["id"].as_str().unwrap();
    let r = s
        .post_form(
            &format!("/activities/{id}/transition?back=home"),
            &[("transition", "approve"), ("version", "2"), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/?ok=approved")
    );
    let html = s.get("/").await.text().await.unwrap();
    assert!(!html.contains(&format!("/activities/{id}/transition")));
    // The officer: the approval is a notification; a returned one shows its reason.
    let b = create(
        app,
        &officer,
        visit("Tiếp xúc Đại sứ Malaysia", "A", vec!["Malaysia"], 25, 25),
    )
    .await;
    step(app, &officer, &b, "submit", None).await;
    step(
        app,
        &leader,
        &b,
        "return",
        Some("Làm rõ thành phần tham dự."),
    )
    .await;
    let html = app
        .signed_in("officer")
        .await
        .get("/")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tiếp xúc Đại sứ Malaysia"), "{html}");
    assert!(html.contains("Làm rõ thành phần tham dự."), "{html}");
    let html = app
        .signed_in("officer")
        .await
        .get("/notifications")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Làm rõ thành phần tham dự."), "{html}");
    // The history reads in words: the move and its reason, the lead agency
    // by name, never an id.
    let bid = b["activity"]["id"].as_str().unwrap();
    let html = app
        .signed_in("officer")
        .await
        .get(&format!("/activities/{bid}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Làm rõ thành phần tham dự."), "{html}");
    assert!(html.contains(&app.agencies["A"].name_vi), "{html}");
    assert!(
        !html.contains(&app.agencies["A"].id.to_string()),
        "no ids: {html}"
    );
    assert!(!html.contains("title_fold"), "{html}");
    // A classified record prints with its marking on every sheet; the list
    // holding it too, and an unclassified page has none.
    let root = app.token("root").await;
    let mut secret = visit(
        "Tham vấn chính trị với Malaysia",
        "A",
        vec!["Malaysia"],
        40,
        40,
    );
    secret["classification"] = json!("mat");
    secret["secret_item"] = json!("MAT");
    let secret = create(app, &root, secret).await;
    let sid = secret["activity"]["id"].as_str().unwrap();
    let leader_s = app.signed_in("leader").await;
    let page = leader_s
        .get(&format!("/activities/{sid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("/assets/print-mat.css"), "{page}");
    let list = leader_s.get("/activities").await.text().await.unwrap();
    assert!(list.contains("/assets/print-mat.css"));
    let plain = leader_s
        .get(&format!("/activities/{bid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!plain.contains("/assets/print-"));
    assert_eq!(leader_s.get("/assets/print-mat.css").await.status(), 200);
    // Every role's home page answers.
    for role in ["admin", "coordinator", "viewer"] {
        assert_eq!(
            app.signed_in(role).await.get("/").await.status(),
            200,
            "{role}"
        );
    }
}

/// A coordinator's home keeps the scope's warnings between changes, and
/// shows a new clash and drops an acknowledged one at once.
async fn a_coordinators_home_follows_clashes_and_acknowledgements(app: &TestApp) {
    let officer = app.token("officer").await;
    let coord = app.token("coordinator").await;
    let s = app.signed_in("coordinator").await;
    let home = || async { s.get("/").await.text().await.unwrap() };
    assert!(!home().await.contains("Đón đoàn Thái Lan"));
    let a = create(
        app,
        &officer,
        visit("Đón đoàn Thái Lan thứ nhất", "A", vec!["Thái Lan"], 12, 13),
    )
    .await;
    create(
        app,
        &officer,
        visit("Đón đoàn Thái Lan thứ hai", "A", vec!["Thái Lan"], 13, 14),
    )
    .await;
    let html = home().await;
    let warnings = &html[html.find(r#"id="warnings""#).unwrap()..];
    assert!(warnings.contains("Đón đoàn Thái Lan thứ nhất"), "{html}");
    assert!(warnings.contains("Đón đoàn Thái Lan thứ hai"), "{html}");
    // Acknowledged: gone from the home page at once.
    let id = a["activity"]["id"].as_str().unwrap();
    let (_, v) = app
        .api(
            &coord,
            Method::GET,
            &format!("/api/v1/activities/{id}"),
            None,
        )
        .await;
    let key = v["warnings"][0]["key"].as_str().unwrap();
    let (st, r) = app
        .api(
            &coord,
            Method::POST,
            &format!("/api/v1/activities/{id}/acknowledgements"),
            Some(json!({"key": key, "note": "Hai đoàn đã phối hợp lịch."})),
        )
        .await;
    assert_eq!(st, 200, "{r}");
    assert!(!home().await.contains("Đón đoàn Thái Lan"));
}

both!(
    moves_reach_who_they_concern,
    home_pages_show_the_work_waiting,
    a_coordinators_home_follows_clashes_and_acknowledgements,
);
