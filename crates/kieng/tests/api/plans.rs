//! Programmes and plans: the workflow and its permissions, tasks assigned
//! down, progress reported with evidence and rolled up by weight, and who
//! sees which task — a task's lead and coordinating agencies' readers and
//! the plan's, nobody else, nothing above clearance; bad input is a 422 that
//! names the field and writes nothing.

use crate::activities::{create, day};
use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    a_plan_is_issued_and_its_tasks_progress_by_weight,
    a_task_is_seen_by_its_agencies_readers_and_nobody_else,
    the_plan_pages_show_the_tree_and_take_progress_with_evidence,
    a_plans_tasks_are_imported_from_the_sheet_officials_keep,
    a_delegation_plan_is_compared_with_what_happened,
    a_tasks_indicators_are_reported_period_by_period,
    an_administrator_saves_a_plan_as_a_template,
);

fn year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(7)).year()
}

pub(crate) async fn new_plan(app: &TestApp, token: &str, owner: &str) -> Value {
    let y = year();
    let (s, p) = app
        .api(
            token,
            Method::POST,
            "/api/v1/plans",
            Some(json!({"kind": "yearly_programme", "title": format!("Chương trình đối ngoại năm {y}"),
                "owner_agency": owner, "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31")})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    p
}

async fn issue(app: &TestApp, token: &str, plan: &Value) -> Value {
    let id = plan["id"].as_str().unwrap();
    let mut body = plan.clone();
    body["owner_agency"] = plan["issuer"]["code"].clone();
    body["decision_number"] = json!("15/QĐ-BNG");
    body["decision_date"] = json!(format!("{}-01-10", year()));
    let (s, p) = app
        .api(
            token,
            Method::PUT,
            &format!("/api/v1/plans/{id}"),
            Some(body),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let (s, p) = app
        .api(
            token,
            Method::POST,
            &format!("/api/v1/plans/{id}/move"),
            Some(json!({"move": "issue", "version": p["version"]})),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["status"], "issued");
    p
}

pub(crate) async fn add_task(app: &TestApp, token: &str, plan: &str, body: Value) -> Value {
    let (s, t) = app
        .api(
            token,
            Method::POST,
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(body),
        )
        .await;
    assert_eq!(s, 201, "{t}");
    t
}

pub(crate) async fn viewer(app: &TestApp, name: &str, agency: &str, clearance: &str) -> String {
    let form = kieng_domain::user::UserForm {
        username: name.into(),
        agency_id: app.agencies[agency].id.to_string(),
        role: "viewer".into(),
        scope: "agency".into(),
        clearance: clearance.into(),
        ..Default::default()
    };
    let input =
        kieng_domain::user::UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    let user = app.store.user_add_cli(&input, PASSWORD).await.unwrap();
    let origin = kieng_store::audit::Origin::default();
    app.store
        .token_create(user.id, "test", &origin)
        .await
        .unwrap()
        .1
}

async fn a_plan_is_issued_and_its_tasks_progress_by_weight(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let viewer_a = app.token("viewer").await;
    let y = year();

    // Bad input names each field and writes nothing; a viewer records nothing.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(json!({"kind": "x", "title": "", "owner_agency": "A",
                "period_from": format!("{y}-12-31"), "period_to": format!("{y}-01-01")})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    for f in ["kind", "title", "period_to"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (s, _) = app
        .api(
            &viewer_a,
            Method::POST,
            "/api/v1/plans",
            Some(json!({"kind": "plan", "title": "X", "owner_agency": "A",
                "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31")})),
        )
        .await;
    assert_eq!(s, 403);
    // An officer of A records no plan for the party's agency.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(json!({"kind": "plan", "title": "X", "owner_agency": "B",
                "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31")})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["owner_agency"].is_string());
    let (_, l) = app.api(&root, Method::GET, "/api/v1/plans", None).await;
    assert_eq!(l["total"], 0, "{l}");

    let plan = new_plan(app, &officer, "A").await;
    let id = plan["id"].as_str().unwrap().to_string();
    assert_eq!(plan["status"], "draft");
    // Issuing needs the decision's number and date.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/{id}/move"),
            Some(json!({"move": "issue", "version": plan["version"]})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    // A stale version is a 409.
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/{id}/move"),
            Some(json!({"move": "start", "version": 99})),
        )
        .await;
    assert_eq!(s, 409);

    let t1 = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Tổ chức chuyến thăm cấp cao", "lead_agency": "A", "coordinating": ["B"],
            "deadline": format!("quý IV/{y}"), "weight": 3}),
    )
    .await;
    assert_eq!(t1["number"], "1");
    assert_eq!(t1["deadline"], format!("quý IV/{y}"));
    let t2 = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Hội nghị ngoại giao", "lead_agency": "A1", "deadline": format!("{y}"), "weight": 1}),
    )
    .await;
    assert_eq!(t2["number"], "2");
    // Split T1 among A's units: a sub-task led by A1.
    let t11 = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Chuẩn bị nội dung", "lead_agency": "A1", "deadline": format!("31/12/{y}"),
            "parent": t1["id"]}),
    )
    .await;
    assert_eq!(t11["number"], "1.1");
    // A bad deadline and weight are named.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/{id}/tasks"),
            Some(json!({"title": "X", "lead_agency": "A", "deadline": "sớm", "weight": 500})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["deadline"].is_string());
    assert!(e["error"]["fields"]["weight"].is_string());

    // No progress on a draft.
    let progress = |pct: u32, ev: Value| json!({"percent": pct, "period": format!("quý II/{y}"), "done": "Đã làm việc với đối tác.", "evidence": ev});
    let t11_id = t11["id"].as_str().unwrap().to_string();
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(50, json!([]))),
        )
        .await;
    assert_eq!(s, 422);
    issue(app, &officer, &plan).await;

    // Evidence: an activity of A; one above the reporter's clearance is refused.
    let act = create(
        app,
        &officer,
        json!({"title": "Hội đàm với Nhật Bản", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(-3, 9), "ends_at": day(-3, 11)}),
    )
    .await;
    let top = create(
        app,
        &root,
        json!({"title": "Trao đổi tối mật", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(-2, 9), "ends_at": day(-2, 11),
            "classification": "toi_mat", "secret_item": "TOI_MAT"}),
    )
    .await;
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(
                50,
                json!([{"kind": "activity", "id": top["activity"]["id"]}]),
            )),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["evidence"].is_string());
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(120, json!([]))),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, t) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(
                50,
                json!([{"kind": "activity", "id": act["activity"]["id"]}]),
            )),
        )
        .await;
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["progress"], 50);
    assert_eq!(
        t["reports"][0]["evidence"][0]["title"],
        "Hội đàm với Nhật Bản"
    );

    // T1 takes its one sub-task's 50%; the plan (3×50 + 1×0) / 4 = 37, and
    // the first report started it.
    let (_, p) = app
        .api(&officer, Method::GET, &format!("/api/v1/plans/{id}"), None)
        .await;
    assert_eq!(p["status"], "in_progress");
    assert_eq!(p["progress"], 37, "{p}");
    let tasks = p["tasks"].as_array().unwrap();
    let numbers: Vec<&str> = tasks
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1", "1.1", "2"]);
    assert_eq!(tasks[0]["progress"], 50);

    // Cancelling T2 leaves it out of the roll-up: the plan is at T1's 50%.
    let t2_id = t2["id"].as_str().unwrap();
    let mut edit = json!({"title": "Hội nghị ngoại giao", "lead_agency": "A1", "deadline": format!("{y}"),
        "weight": 1, "cancelled": true, "version": t2["version"]});
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/plans/tasks/{t2_id}"),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["cancel_reason"].is_string());
    edit["cancel_reason"] = json!("Ghép vào nhiệm vụ 1.");
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/plans/tasks/{t2_id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["state"], "cancelled");
    let (_, p) = app
        .api(&officer, Method::GET, &format!("/api/v1/plans/{id}"), None)
        .await;
    assert_eq!(p["progress"], 50, "{p}");

    // Done: 100% on the sub-task makes T1 done.
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(100, json!([]))),
        )
        .await;
    assert_eq!(s, 201);
    let (_, t) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/plans/tasks/{}", t1["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["state"], "done", "{t}");
    assert_eq!(t["children"][0]["number"], "1.1");
    // A viewer reports nothing.
    let (s, _) = app
        .api(
            &viewer_a,
            Method::POST,
            &format!("/api/v1/plans/tasks/{t11_id}/progress"),
            Some(progress(10, json!([]))),
        )
        .await;
    assert_eq!(s, 403);
    // The history holds each step.
    let s = app.signed_in("officer").await;
    let r = s.get(&format!("/plans/{id}/history")).await;
    assert_eq!(r.status(), 200);
    let r = s.get(&format!("/plans/tasks/{t11_id}/history")).await;
    assert_eq!(r.status(), 200);
}

async fn a_task_is_seen_by_its_agencies_readers_and_nobody_else(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let y = year();
    let plan = new_plan(app, &officer, "A").await;
    let id = plan["id"].as_str().unwrap().to_string();
    let shared = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Phối hợp với Ban Đối ngoại", "lead_agency": "A", "coordinating": ["B"],
            "deadline": format!("{y}")}),
    )
    .await;
    let below = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Phần việc của Cục Lãnh sự", "lead_agency": "A1", "deadline": format!("{y}"),
            "parent": shared["id"]}),
    )
    .await;
    let own = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Việc riêng của Bộ", "lead_agency": "A", "deadline": format!("{y}")}),
    )
    .await;
    let secret = add_task(
        app,
        &root,
        &id,
        json!({"title": "Việc mật phối hợp", "lead_agency": "A", "coordinating": ["B"],
            "deadline": format!("{y}"), "classification": "mat", "secret_item": "MAT"}),
    )
    .await;
    issue(app, &officer, &plan).await;

    // B's unclassified reader: the plan through the shared task, that task and
    // the one below it; not A's own task nor the classified one.
    let b = viewer(app, "xem.b", "B", "none").await;
    let (_, l) = app.api(&b, Method::GET, "/api/v1/plans", None).await;
    assert_eq!(l["total"], 1, "{l}");
    let (s, p) = app
        .api(&b, Method::GET, &format!("/api/v1/plans/{id}"), None)
        .await;
    assert_eq!(s, 200);
    let titles: Vec<&str> = p["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Phối hợp với Ban Đối ngoại", "Phần việc của Cục Lãnh sự"]
    );
    assert_eq!(p["tasks"][0]["number"], "1");
    for t in [&own, &secret] {
        let (s, _) = app
            .api(
                &b,
                Method::GET,
                &format!("/api/v1/plans/tasks/{}", t["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(s, 404);
    }
    let (s, _) = app
        .api(
            &b,
            Method::GET,
            &format!("/api/v1/plans/tasks/{}", below["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (_, m) = app.api(&b, Method::GET, "/api/v1/plans/tasks", None).await;
    assert_eq!(m["total"], 1, "{m}");
    assert_eq!(m["items"][0]["role"], "coordinating");

    // With clearance Mật, B's reader also has the classified task it coordinates.
    let bm = viewer(app, "xem.b.mat", "B", "mat").await;
    let (_, m) = app.api(&bm, Method::GET, "/api/v1/plans/tasks", None).await;
    assert_eq!(m["total"], 2, "{m}");

    // A reader of the MAT unit (under A, but nothing of this plan is its):
    // the plan does not exist for it anywhere.
    let outsider = viewer(app, "xem.mat", "MAT", "mat").await;
    let (_, l) = app.api(&outsider, Method::GET, "/api/v1/plans", None).await;
    assert_eq!(l["total"], 0, "{l}");
    let (s, _) = app
        .api(&outsider, Method::GET, &format!("/api/v1/plans/{id}"), None)
        .await;
    assert_eq!(s, 404);
    for t in [&shared, &below, &own, &secret] {
        let (s, _) = app
            .api(
                &outsider,
                Method::GET,
                &format!("/api/v1/plans/tasks/{}", t["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(s, 404);
    }
    let (_, m) = app
        .api(
            &outsider,
            Method::GET,
            &format!("/api/v1/plans/tasks?agency={}", app.agencies["A"].id),
            None,
        )
        .await;
    assert_eq!(m["total"], 0, "{m}");
    let s = app.signed_in("xem.mat").await;
    assert_eq!(s.get(&format!("/plans/{id}")).await.status(), 404);
    assert_eq!(s.get(&format!("/plans/{id}/history")).await.status(), 404);
    let csv = s.get("/plans.csv").await.text().await.unwrap();
    assert!(!csv.contains("Chương trình đối ngoại"), "{csv}");

    // Search finds tasks and plans by their words within the same rule: once
    // the officer finds them, B's reader finds the shared task but not A's
    // own, and the outsider finds neither.
    use crate::search::until_found;
    until_found(
        app,
        &officer,
        "Việc riêng của Bộ",
        "Việc riêng của Bộ",
        true,
    )
    .await;
    until_found(
        app,
        &officer,
        "Việc mật phối hợp",
        "Việc mật phối hợp",
        true,
    )
    .await;
    until_found(
        app,
        &officer,
        "chương trình đối ngoại",
        &format!("Chương trình đối ngoại năm {y}"),
        true,
    )
    .await;
    until_found(
        app,
        &b,
        "Phối hợp với Ban",
        "Phối hợp với Ban Đối ngoại",
        true,
    )
    .await;
    until_found(
        app,
        &b,
        "Chương trình đối ngoại",
        &format!("Chương trình đối ngoại năm {y}"),
        true,
    )
    .await;
    let (_, v) = crate::search::search(app, &b, "Việc riêng của Bộ", "").await;
    assert_eq!(v["total"], 0, "{v}");
    let (_, v) = crate::search::search(app, &b, "Việc mật phối hợp", "").await;
    assert_eq!(v["total"], 0, "{v}");
    for q in ["Phối hợp với Ban", "Chương trình đối ngoại"] {
        let (_, v) = crate::search::search(app, &outsider, q, "").await;
        assert_eq!(v["total"], 0, "{q}: {v}");
    }

    // The plan's officer (A, Mật) sees all four; A's readers see A1's task.
    let (_, p) = app
        .api(&officer, Method::GET, &format!("/api/v1/plans/{id}"), None)
        .await;
    assert_eq!(p["tasks"].as_array().unwrap().len(), 4, "{p}");
    // B's reader cannot assign below the shared task (a viewer), and A1's
    // officer could not assign to B.
    let (s, _) = app
        .api(
            &b,
            Method::POST,
            &format!("/api/v1/plans/{id}/tasks"),
            Some(json!({"title": "X", "lead_agency": "B", "deadline": format!("{y}"), "parent": shared["id"]})),
        )
        .await;
    assert_eq!(s, 403);
}

async fn the_plan_pages_show_the_tree_and_take_progress_with_evidence(app: &TestApp) {
    let officer = app.token("officer").await;
    let y = year();
    let plan = new_plan(app, &officer, "A").await;
    let id = plan["id"].as_str().unwrap().to_string();
    let t = add_task(
        app,
        &officer,
        &id,
        json!({"title": "Đón đoàn cấp cao", "lead_agency": "A", "deadline": format!("tháng 12/{y}")}),
    )
    .await;
    issue(app, &officer, &plan).await;
    let act = create(
        app,
        &officer,
        json!({"title": "Đón đoàn Bộ Ngoại giao Lào", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(-1, 9), "ends_at": day(-1, 11)}),
    )
    .await;
    let s = app.signed_in("officer").await;
    for path in [
        "/plans".to_string(),
        "/plans/new".into(),
        "/plans/tasks".into(),
        format!("/plans/{id}"),
        format!("/plans/{id}?state=not_started"),
        format!("/plans/{id}/edit"),
        format!("/plans/{id}/tasks/new?parent={}", t["id"].as_str().unwrap()),
        format!("/plans/tasks/{}/edit", t["id"].as_str().unwrap()),
    ] {
        let r = s.get(&path).await;
        assert_eq!(r.status(), 200, "{path}");
    }
    let html = s.get(&format!("/plans/{id}")).await.text().await.unwrap();
    assert!(html.contains("Đón đoàn cấp cao"));
    assert!(html.contains(&format!("tháng 12/{y}")));
    assert!(html.contains("<svg class=\"chart timeline\""));
    let task = t["id"].as_str().unwrap();
    let page = s
        .get(&format!("/plans/tasks/{task}"))
        .await
        .text()
        .await
        .unwrap();
    // The activity is offered as evidence, by its title.
    let pick = format!("activity:{}", act["activity"]["id"].as_str().unwrap());
    assert!(page.contains(&pick), "evidence not offered");
    // A form with two picks, one of them not a record.
    let r = s
        .post_form(
            &format!("/plans/tasks/{task}/progress"),
            &[
                ("period", "quý II/2026"),
                ("percent", "40"),
                ("done", "Đã đón đoàn."),
                ("evidence", &pick),
                ("evidence", "activity:not-an-id"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Đã đón đoàn."), "what was typed is kept");
    let r = s
        .post_form(
            &format!("/plans/tasks/{task}/progress"),
            &[
                ("period", "quý II/2026"),
                ("percent", "40"),
                ("done", "Đã đón đoàn."),
                ("evidence", &pick),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = s
        .get(&format!("/plans/tasks/{task}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-progress=\"40\""));
    assert!(page.contains("Đón đoàn Bộ Ngoại giao Lào"));
    // A plan copied from the external line's template has its nine tasks,
    // each citing its source sentence.
    let r = s
        .post_form(
            "/plans",
            &[
                ("kind", "implementation"),
                ("title", "Kế hoạch thực hiện đường lối đối ngoại"),
                ("owner_agency", "A"),
                ("period_from", &format!("01/01/{y}")),
                ("period_to", &format!("31/12/{y}")),
                ("template", "XIII-DOI-NGOAI"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, l) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/plans?kind=implementation",
            None,
        )
        .await;
    let copied = l["items"][0]["id"].as_str().unwrap().to_string();
    let (_, p) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/plans/{copied}"),
            None,
        )
        .await;
    let tasks = p["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 9, "{p}");
    assert_eq!(tasks[8]["number"], "9");
    assert!(
        tasks[0]["source_quote"]
            .as_str()
            .unwrap()
            .starts_with("Một là")
    );
    assert_eq!(tasks[0]["deadline"], format!("năm {y}"));
    let r = s.get("/plans.xlsx").await;
    assert_eq!(r.status(), 200);
    let mine = s.get("/plans/tasks?due=open").await.text().await.unwrap();
    assert!(mine.contains("Đón đoàn cấp cao"));
}

/// POST a file to a plan's task import.
async fn import(app: &TestApp, token: &str, plan: &str, query: &str, body: &[u8]) -> (u16, Value) {
    let r = app
        .anon()
        .post(app.url(&format!("/api/v1/plans/{plan}/tasks/import{query}")))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn tree(app: &TestApp, token: &str, plan: &str) -> Vec<Value> {
    let (s, p) = app
        .api(token, Method::GET, &format!("/api/v1/plans/{plan}"), None)
        .await;
    assert_eq!(s, 200, "{p}");
    p["tasks"].as_array().unwrap().clone()
}

async fn a_plans_tasks_are_imported_from_the_sheet_officials_keep(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer_a = app.token("viewer").await;
    let y = year();
    let plan = new_plan(app, &officer, "A").await;
    let id = plan["id"].as_str().unwrap().to_string();
    add_task(
        app,
        &officer,
        &id,
        json!({"title": "Đón đoàn cấp cao", "lead_agency": "A", "deadline": format!("tháng 12/{y}")}),
    )
    .await;
    // Headings as officials write them; agencies by name without diacritics,
    // by abbreviation-free name and by code; the first row is already there.
    let head = "STT,Nội dung nhiệm vụ,Chủ trì,Phối hợp,Thời gian hoàn thành,Trọng số\n";
    let good = format!(
        "{head}1,Đón đoàn cấp cao,Bộ Ngoại giao,,tháng 12/{y},\n\
         1.1,Chuẩn bị nội dung hội đàm,Cuc Lanh su,Ban Doi ngoai,quý III/{y},2\n\
         2,Tổ chức hội nghị người Việt Nam ở nước ngoài,A1,,năm {y},3\n\
         2.1.,Mời đại biểu,bo ngoai giao,\"A1, B\",30/06/{y},\n"
    );
    let bad = format!(
        "{good}3.1,Việc lạc chỗ,A,,năm {y},\n\
         4,Đón đoàn Sao Hỏa,Sở Ngoại vụ Sao Hỏa,,quý V/{y},\n"
    );
    for query in ["?dry_run=true", ""] {
        let (s, r) = import(app, &officer, &id, query, bad.as_bytes()).await;
        assert_eq!(s, 422, "{r}");
        assert_eq!(r["applied"], false);
        let p: Vec<(u64, String)> = r["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["row"].as_u64().unwrap(),
                    p["column"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (6, "STT".to_string()),
                (7, "Chủ trì".to_string()),
                (7, "Thời gian hoàn thành".to_string())
            ],
            "{r}"
        );
    }
    assert_eq!(tree(app, &officer, &id).await.len(), 1, "nothing written");
    let (s, r) = import(app, &viewer_a, &id, "", good.as_bytes()).await;
    assert_eq!(s, 403, "{r}");

    let (s, r) = import(app, &officer, &id, "", good.as_bytes()).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (
            r["applied"].as_bool(),
            r["new"].as_u64(),
            r["existing"].as_u64()
        ),
        (Some(true), Some(3), Some(1)),
        "{r}"
    );
    let tasks = tree(app, &officer, &id).await;
    let numbered: Vec<(String, String, String)> = tasks
        .iter()
        .map(|t| {
            (
                t["number"].as_str().unwrap().to_string(),
                t["lead"]["code"].as_str().unwrap().to_string(),
                t["deadline"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        numbered,
        vec![
            ("1".into(), "A".into(), format!("tháng 12/{y}")),
            ("1.1".into(), "A1".into(), format!("quý III/{y}")),
            ("2".into(), "A1".into(), format!("năm {y}")),
            ("2.1".into(), "A".into(), format!("30/06/{y}")),
        ]
    );
    let coord = |i: usize| -> Vec<String> {
        tasks[i]["coordinating"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(coord(1), vec!["B"]);
    assert_eq!(coord(3).len(), 2);
    assert_eq!(tasks[2]["weight"], 3);
    // Each new task is audited.
    let (_, h) = app
        .api(
            &app.token("admin").await,
            Method::GET,
            &format!(
                "/api/v1/audit?entity_id={}",
                tasks[3]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert!(h.to_string().contains("create"), "{h}");

    // The same file again, and the plan's own export, add nothing.
    let (s, r) = import(app, &officer, &id, "", good.as_bytes()).await;
    assert_eq!(
        (s, r["new"].as_u64(), r["existing"].as_u64()),
        (200, Some(0), Some(4)),
        "{r}"
    );
    let session = app.signed_in("officer").await;
    for ext in ["xlsx", "csv"] {
        let r = session.get(&format!("/plans/{id}/tasks.{ext}")).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let (s, r) = import(app, &officer, &id, "", &bytes).await;
        assert_eq!(
            (s, r["new"].as_u64(), r["existing"].as_u64()),
            (200, Some(0), Some(4)),
            "{ext}: {r}"
        );
    }

    // The page: upload, preview, confirm; a sub-task goes under an existing task.
    let csv = format!(
        "{head}2,Tổ chức hội nghị người Việt Nam ở nước ngoài,A1,,năm {y},\n2.2,Tổng kết hội nghị,A1,,tháng 12/{y},\n"
    );
    let (ct, body) = crate::files::multipart("nhiem-vu.csv", csv.as_bytes());
    let r = session
        .client
        .post(format!(
            "{}/plans/{id}/import?_csrf={}",
            session.base, session.csrf
        ))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("nhiem-vu.csv") && html.contains("Tổng kết hội nghị"),
        "{html}"
    );
    let batch = html
        .split(&format!("action=\"/plans/{id}/import/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(
        tree(app, &officer, &id).await.len(),
        4,
        "a preview writes nothing"
    );
    let r = session
        .post_form(&format!("/plans/{id}/import/{batch}"), &[])
        .await;
    assert!(
        r.status().is_redirection() || r.status() == 200,
        "{}",
        r.status()
    );
    let tasks = tree(app, &officer, &id).await;
    assert_eq!(tasks.len(), 5);
    assert_eq!(tasks[4]["number"], "2.2");
    assert_eq!(tasks[4]["title"], "Tổng kết hội nghị");
    // A confirmation is applied once.
    let r = session
        .post_form(&format!("/plans/{id}/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 404);
}

async fn board(app: &TestApp, token: &str, plan: &str) -> Value {
    let (s, b) = app
        .api(
            token,
            Method::GET,
            &format!("/api/v1/plans/{plan}/delegations"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b
}

async fn a_delegation_plan_is_compared_with_what_happened(app: &TestApp) {
    use chrono::{Datelike, Duration, Utc};
    let officer = app.token("officer").await;
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let earlier = today - Duration::days(40);
    let month = |d: chrono::NaiveDate| format!("{}/{}", d.month(), d.year());
    let (s, plan) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(
                json!({"kind": "delegation_plan", "title": "Kế hoạch đoàn ra, đoàn vào",
                "owner_agency": "A", "period_from": format!("{}-01-01", earlier.year()),
                "period_to": format!("{}-12-31", today.year())}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{plan}");
    let id = plan["id"].as_str().unwrap().to_string();
    let add = |body: Value| {
        let id = id.clone();
        let officer = officer.clone();
        async move {
            app.api(
                &officer,
                Method::POST,
                &format!("/api/v1/plans/{id}/delegations"),
                Some(body),
            )
            .await
        }
    };
    // Bad input names its fields and writes nothing.
    let (s, e) =
        add(json!({"direction": "sideways", "partner": "Sao Hỏa", "month": "quý II/2026"})).await;
    assert_eq!(s, 422, "{e}");
    for f in ["direction", "month"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (s, e) = add(
        json!({"direction": "outgoing_delegation", "partner": "Sao Hỏa", "month": month(today)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["partner"].is_string(), "{e}");
    let (s, e) = add(json!({"direction": "outgoing_delegation", "partner": "Nhật Bản", "month": format!("1/{}", today.year() + 1)})).await;
    assert_eq!(s, 422, "a month outside the plan: {e}");
    // Another kind of plan lists no delegations.
    let other = new_plan(app, &officer, "A").await;
    let (s, _) = app
        .api(&officer, Method::POST, &format!("/api/v1/plans/{}/delegations", other["id"].as_str().unwrap()),
            Some(json!({"direction": "outgoing_delegation", "partner": "Nhật Bản", "month": month(today)})))
        .await;
    assert_eq!(s, 422);

    let (s, _) = add(
        json!({"direction": "outgoing_delegation", "partner": "Nhat Ban", "head_level": "minister",
        "month": format!("tháng {}", month(today)), "purpose": "Thăm chính thức"}),
    )
    .await;
    assert_eq!(s, 201);
    add(json!({"direction": "incoming_delegation", "partner": "Lào", "month": month(today)})).await;
    let (s, b) =
        add(json!({"direction": "outgoing_delegation", "partner": "Lào", "month": month(earlier)}))
            .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["planned"], 3);

    // What happened: the Japan visit as planned, a Korean one outside the plan
    // (approved), a secret incoming Lao delegation.
    let mut japan = json!({"title": "Bộ trưởng thăm chính thức Nhật Bản", "type_code": "outgoing_delegation",
        "lead_agency": "A", "partners": ["Nhật Bản"], "head_level": "minister",
        "starts_at": day(0, 9), "ends_at": day(0, 17)});
    let a1 = create(app, &officer, japan.clone()).await;
    japan["title"] = json!("Đoàn công tác thăm Hàn Quốc");
    japan["partners"] = json!(["Hàn Quốc"]);
    let a2 = create(app, &officer, japan.clone()).await;
    let leader = app.token("leader").await;
    let (s, r) = crate::activities::step(app, &officer, &a2, "submit", None).await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = crate::activities::step(app, &leader, &a2, "approve", Some("Đồng ý")).await;
    assert_eq!(s, 200, "{r}");
    let a4 = create(app, &officer, json!({"title": "Đón đoàn Ban Đối ngoại Trung ương Đảng NDCM Lào",
        "type_code": "incoming_delegation", "lead_agency": "A", "partners": ["Lào"],
        "classification": "mat", "secret_item": "MAT", "starts_at": day(0, 9), "ends_at": day(0, 17)})).await;
    let aid = |a: &Value| a["activity"]["id"].as_str().unwrap().to_string();

    let b = board(app, &officer, &id).await;
    let rows = b["delegations"].as_array().unwrap();
    let by = |dir: &str, m: String| {
        rows.iter()
            .find(|r| r["direction"] == dir && r["month"].as_str().unwrap().starts_with(&m))
            .unwrap()
            .clone()
    };
    let ym = |d: chrono::NaiveDate| format!("{}-{:02}", d.year(), d.month());
    let d1 = by("outgoing_delegation", ym(today));
    let d2 = by("incoming_delegation", ym(today));
    let d3 = by("outgoing_delegation", ym(earlier));
    assert_eq!(d1["outcome"], "pending");
    assert_eq!(
        d1["suggestions"][0]["id"].as_str(),
        Some(aid(&a1).as_str()),
        "{d1}"
    );
    assert_eq!(d1["suggestions"][0]["fit"], 4);
    assert_eq!(
        d1["suggestions"].as_array().unwrap().len(),
        1,
        "Korea is not Japan: {d1}"
    );
    assert_eq!(d2["suggestions"][0]["id"].as_str(), Some(aid(&a4).as_str()));
    assert_eq!(d3["outcome"], "not_held");
    assert!(d3["suggestions"].as_array().unwrap().is_empty());
    let outside: Vec<&str> = b["outside"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        outside,
        vec![aid(&a2).as_str()],
        "drafts are not yet delegations outside the plan: {b}"
    );

    // The officer confirms; a stale version is refused; a drop needs its reason.
    let decide = |d: &Value, body: Value| {
        let path = format!("/api/v1/plans/delegations/{}", d["id"].as_str().unwrap());
        let officer = officer.clone();
        async move { app.api(&officer, Method::POST, &path, Some(body)).await }
    };
    let (s, b) = decide(
        &d1,
        json!({"action": "match", "activity": aid(&a1), "version": d1["version"]}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (s, _) = decide(&d1, json!({"action": "unmatch", "version": d1["version"]})).await;
    assert_eq!(s, 409);
    let (s, e) = decide(
        &d2,
        json!({"action": "match", "activity": aid(&a2), "version": d2["version"]}),
    )
    .await;
    assert_eq!(
        s, 422,
        "an outgoing delegation does not carry out an incoming one: {e}"
    );
    let (s, _) = decide(
        &d2,
        json!({"action": "match", "activity": aid(&a4), "version": d2["version"]}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, e) = decide(&d3, json!({"action": "drop", "version": d3["version"]})).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["reason"].is_string());
    let (s, b) = decide(&d3, json!({"action": "drop", "reason": "Phía bạn đề nghị lùi sang năm sau", "version": d3["version"]})).await;
    assert_eq!(s, 200);
    assert_eq!(
        (
            b["planned"].as_u64(),
            b["held"].as_u64(),
            b["dropped"].as_u64()
        ),
        (Some(3), Some(2), Some(1)),
        "{b}"
    );
    let d1 = by_id(&b, &d1);
    assert_eq!(d1["outcome"], "held");
    assert_eq!(d1["activity"]["id"].as_str(), Some(aid(&a1).as_str()));
    assert_eq!(
        by_id(&b, &d2)["classification"],
        "mat",
        "a match is as secret as its activity"
    );

    // Below Mật, the Lao delegation and its match do not exist; the counts agree.
    let plain = viewer(app, "xem-khong-mat", "A", "none").await;
    let b = board(app, &plain, &id).await;
    assert_eq!(
        (
            b["planned"].as_u64(),
            b["held"].as_u64(),
            b["dropped"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "{b}"
    );
    assert!(
        !b.to_string().contains(&aid(&a4)) && !b.to_string().contains("Ban Đối ngoại Trung ương"),
        "{b}"
    );
    let (s, _) = app
        .api(
            &plain,
            Method::POST,
            &format!("/api/v1/plans/delegations/{}", d2["id"].as_str().unwrap()),
            Some(json!({"action": "unmatch", "version": 2})),
        )
        .await;
    assert!(s == 403 || s == 404, "{s}");
    // Outside agency A, the plan is not there.
    let other_reader = viewer(app, "xem-ban-doi-ngoai", "B", "toi_mat").await;
    let (s, _) = app
        .api(
            &other_reader,
            Method::GET,
            &format!("/api/v1/plans/{id}/delegations"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    // The partner's dossier lists the planned delegations with it to the
    // plan's readers only.
    let japan_page = format!("/partners/{}", d1["partner_id"].as_str().unwrap());
    let html = app
        .signed_in("officer")
        .await
        .get(&japan_page)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"planned\"") && html.contains(&format!("/plans/{id}#delegations")),
        "{html}"
    );
    let html = app
        .signed_in("xem-ban-doi-ngoai")
        .await
        .get(&japan_page)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("id=\"planned\"") && !html.contains(&format!("/plans/{id}")),
        "{html}"
    );

    // The page: the comparison, and the form adding a delegation.
    let session = app.signed_in("officer").await;
    let html = session
        .get(&format!("/plans/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-outcome=\"held\"") && html.contains("Phía bạn đề nghị"),
        "{html}"
    );
    let r = session
        .post_form(
            &format!("/plans/{id}/delegations"),
            &[
                ("direction", "incoming_delegation"),
                ("partner", "Nhật Bản"),
                ("month", "13/2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let m = month(today);
    let r = session
        .post_form(
            &format!("/plans/{id}/delegations"),
            &[
                ("direction", "incoming_delegation"),
                ("partner", "Nhật Bản"),
                ("month", m.as_str()),
            ],
        )
        .await;
    assert!(
        r.status().is_redirection() || r.status() == 200,
        "{}",
        r.status()
    );
    assert_eq!(board(app, &officer, &id).await["planned"], 4);

    // The review report counts them as its reader sees them (unclassified here).
    let first = chrono::NaiveDate::from_ymd_opt(earlier.year(), earlier.month(), 1).unwrap();
    let (s, r) = app
        .api(&officer, Method::POST, "/api/v1/reports", Some(json!({"title": "Báo cáo đối ngoại",
            "period": "custom", "from": first.to_string(), "to": today.to_string(), "scope": "all",
            "recipients": ["Ban Thường vụ"], "signer_position": "Bộ trưởng", "classification": "none"})))
        .await;
    assert_eq!(s, 201, "{r}");
    let planned = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tables"].as_array().unwrap().iter())
        .find(|t| t["key"] == "planned")
        .unwrap_or_else(|| panic!("{r}"))
        .clone();
    let now = |k: &str| {
        planned["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == k)
            .map_or(0, |r| r["now"].as_i64().unwrap())
    };
    assert_eq!(
        (
            now("planned"),
            now("held"),
            now("pending"),
            now("dropped"),
            now("outside")
        ),
        (3, 1, 1, 1, 1),
        "{planned}"
    );
}

fn by_id(b: &Value, d: &Value) -> Value {
    b["delegations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == d["id"])
        .unwrap()
        .clone()
}

async fn task(app: &TestApp, token: &str, id: &str) -> Value {
    let (s, t) = app
        .api(
            token,
            Method::GET,
            &format!("/api/v1/plans/tasks/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{t}");
    t
}

async fn a_tasks_indicators_are_reported_period_by_period(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer_a = app.token("viewer").await;
    let outsider = viewer(app, "ngoai", "B", "mat").await;
    let y = year();
    let plan = new_plan(app, &officer, "A").await;
    let pid = plan["id"].as_str().unwrap().to_string();
    // Due in three days: a task the ticker tells its follower of.
    let due = (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(3))
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    let t = add_task(
        app,
        &officer,
        &pid,
        json!({"title": "Đón các đoàn cấp cao", "lead_agency": "A1", "deadline": due}),
    )
    .await;
    let tid = t["id"].as_str().unwrap().to_string();
    let add = |body: Value| {
        let tid = tid.clone();
        let officer = officer.clone();
        async move {
            app.api(
                &officer,
                Method::POST,
                &format!("/api/v1/plans/tasks/{tid}/indicators"),
                Some(body),
            )
            .await
        }
    };

    // Bad input names each field and writes nothing.
    let (s, e) = add(json!({"name": " ", "unit": "", "baseline": "vài", "target": "1,2,3"})).await;
    assert_eq!(s, 422, "{e}");
    for f in ["name", "unit", "baseline", "target"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    assert_eq!(task(app, &officer, &tid).await["indicators"], json!([]));
    // A viewer sets no indicator; one who does not see the task finds none.
    let (s, _) = app
        .api(
            &viewer_a,
            Method::POST,
            &format!("/api/v1/plans/tasks/{tid}/indicators"),
            Some(json!({"name": "X", "unit": "đoàn", "target": "1"})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, d) =
        add(json!({"name": "Số đoàn cấp cao", "unit": "đoàn", "baseline": "2", "target": "10"}))
            .await;
    assert_eq!(s, 201, "{d}");
    let ind = d["indicators"][0].clone();
    assert_eq!(ind["target"], "10");
    assert_eq!(ind["baseline"], "2");
    assert_eq!(ind["achieved"], Value::Null);
    let iid = ind["id"].as_str().unwrap().to_string();
    let (s, _) = app
        .api(
            &outsider,
            Method::GET,
            &format!("/api/v1/plans/tasks/{tid}"),
            None,
        )
        .await;
    assert_eq!(s, 404);

    issue(app, &officer, &plan).await;
    let report = |period: String, actual: &str| {
        json!({"percent": 40, "period": period, "done": "Đã đón đoàn.",
            "actuals": [{"indicator": iid, "value": actual}]})
    };
    let post = |body: Value| {
        let tid = tid.clone();
        let officer = officer.clone();
        async move {
            app.api(
                &officer,
                Method::POST,
                &format!("/api/v1/plans/tasks/{tid}/progress"),
                Some(body),
            )
            .await
        }
    };
    // A figure that is not one, or an indicator the task does not have, is
    // named and nothing is written.
    let (s, e) = post(report(format!("quý I/{y}"), "nhiều")).await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["fields"][format!("actual_{iid}")].is_string(),
        "{e}"
    );
    let other = uuid::Uuid::now_v7();
    let (s, e) = post(
        json!({"percent": 40, "period": format!("quý I/{y}"), "done": "X",
        "actuals": [{"indicator": other, "value": "1"}]}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(task(app, &officer, &tid).await["reports"], json!([]));

    let (s, d) = post(report(format!("quý I/{y}"), "4")).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["indicators"][0]["achieved"], 25);
    let (_, d) = post(report(format!("quý II/{y}"), "6,5")).await;
    assert_eq!(d["indicators"][0]["achieved"], 56);
    // A later report for the same period replaces its figure.
    let (_, d) = post(report(format!("quý II/{y}"), "8")).await;
    let i = &d["indicators"][0];
    assert_eq!(i["actuals"].as_array().unwrap().len(), 2, "{i}");
    assert_eq!(i["actuals"][0]["value"], "8");
    assert_eq!(i["actuals"][1]["value"], "4");
    assert_eq!(i["achieved"], 75);
    assert_eq!(d["reports"][0]["actuals"][0]["figure"], "8 đoàn");

    // Changed at a stale version: 409; at the one read: the target moves.
    let put = |version: i64| {
        let officer = officer.clone();
        let iid = iid.clone();
        async move {
            app.api(
                &officer,
                Method::PUT,
                &format!("/api/v1/plans/indicators/{iid}"),
                Some(
                    json!({"name": "Số đoàn cấp cao", "unit": "đoàn", "baseline": "2",
                    "target": "12", "version": version}),
                ),
            )
            .await
        }
    };
    let (s, _) = put(7).await;
    assert_eq!(s, 409);
    let (s, d) = put(1).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["indicators"][0]["achieved"], 60);
    // Removed: gone from the task, its figures kept in the reports.
    let (s, d) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/plans/indicators/{iid}?version=2"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["indicators"], json!([]));
    assert_eq!(
        d["reports"][0]["actuals"][0]["indicator"],
        "Số đoàn cấp cao"
    );
    // The task due in three days is told once to the one who last reported it.
    app.store.notify_due().await.unwrap();
    app.store.notify_due().await.unwrap();
    let (_, n) = app
        .api(&officer, Method::GET, "/api/v1/notifications", None)
        .await;
    let mine: Vec<&Value> = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["record_id"] == json!(tid))
        .collect();
    assert_eq!(mine.len(), 1, "{n}");
    assert_eq!(mine[0]["kind"], "task_soon");
    assert_eq!(mine[0]["record_kind"], "plan_task");
    // The lead agency's page counts it among its tasks due soon.
    let html = app
        .signed_in("officer")
        .await
        .get(&format!("/agencies/{}", app.agencies["A1"].id))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("due=soon\" data-n=\"1\""), "{html}");
    // Whoever does not see the task is told nothing of it.
    let (_, n) = app
        .api(&outsider, Method::GET, "/api/v1/notifications", None)
        .await;
    assert_eq!(n["items"], json!([]), "{n}");
}

async fn an_administrator_saves_a_plan_as_a_template(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let plan = new_plan(app, &officer, "A").await;
    let pid = plan["id"].as_str().unwrap().to_string();
    let y = year();
    let t1 = add_task(
        app,
        &officer,
        &pid,
        json!({"title": "Nâng tầm đối ngoại đa phương", "lead_agency": "A", "deadline": format!("{y}"),
            "source_quote": "Nâng tầm đối ngoại đa phương."}),
    )
    .await;
    add_task(
        app,
        &officer,
        &pid,
        json!({"title": "Chủ động đề xuất sáng kiến", "lead_agency": "A1", "deadline": format!("{y}"),
            "parent": t1["id"]}),
    )
    .await;
    add_task(
        app,
        &officer,
        &pid,
        json!({"title": "Bảo hộ công dân", "lead_agency": "A", "deadline": format!("{y}")}),
    )
    .await;
    add_task(
        app,
        &officer,
        &pid,
        json!({"title": "Nhiệm vụ mật", "lead_agency": "A", "deadline": format!("{y}"),
            "classification": "mat", "secret_item": "MAT"}),
    )
    .await;
    let save = |token: String, body: Value| {
        let pid = pid.clone();
        async move {
            app.api(
                &token,
                Method::POST,
                &format!("/api/v1/plans/{pid}/template"),
                Some(body),
            )
            .await
        }
    };
    let body = json!({"code": "dai-hoi-14", "title": "Nhiệm vụ đối ngoại nhiệm kỳ Đại hội XIV",
        "source": "Văn kiện Đại hội XIV"});
    let (s, _) = save(officer.clone(), body.clone()).await;
    assert_eq!(s, 403);
    let (s, e) = save(
        root.clone(),
        json!({"code": "Đại hội", "title": "", "source": ""}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    for f in ["code", "title", "source"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (_, before) = app
        .api(&root, Method::GET, "/api/v1/plans/templates", None)
        .await;
    let (s, t) = save(root.clone(), body.clone()).await;
    assert_eq!(s, 201, "{t}");
    // The classified task is not in a template every agency reads.
    let numbers: Vec<&str> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1", "1.1", "2"]);
    assert_eq!(
        t["items"][0]["source_quote"],
        "Nâng tầm đối ngoại đa phương."
    );
    assert!(!t.to_string().contains("Nhiệm vụ mật"));
    let (s, e) = save(root.clone(), body.clone()).await;
    assert_eq!(s, 422, "{e}");
    let (_, after) = app
        .api(&root, Method::GET, "/api/v1/plans/templates", None)
        .await;
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1
    );

    // A new plan copies it, tree and quotes.
    let (s, p) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(
                json!({"kind": "programme", "title": "Chương trình hành động", "owner_agency": "A",
                "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31"),
                "template": "dai-hoi-14"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let copied = tree(app, &officer, p["id"].as_str().unwrap()).await;
    assert_eq!(copied.len(), 3);
    assert_eq!(copied[1]["number"], "1.1");
    // Retired, it is no longer offered; offered again, it is.
    let tid = t["id"].as_str().unwrap();
    let (s, r) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/plans/templates/{tid}/retire"),
            Some(json!({"retired": true})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert!(r["retired_at"].is_string());
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(
                json!({"kind": "programme", "title": "Y", "owner_agency": "A",
                "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31"),
                "template": "dai-hoi-14"}),
            ),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["template"].is_string());
    let page = app
        .signed_in("officer")
        .await
        .get(&format!("/plans/templates/{tid}"))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Chủ động đề xuất sáng kiến"));
    assert!(html.contains("Ngừng dùng"));

    // A classified plan makes no template.
    let (_, secret) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/plans",
            Some(
                json!({"kind": "plan", "title": "Kế hoạch mật", "owner_agency": "A",
                "period_from": format!("{y}-01-01"), "period_to": format!("{y}-12-31"),
                "classification": "mat", "secret_item": "MAT"}),
            ),
        )
        .await;
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/plans/{}/template", secret["id"].as_str().unwrap()),
            Some(json!({"code": "mat-1", "title": "X", "source": "Y"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");

    // A draft goes to the trash with its tasks and comes back; an issued plan
    // is closed, never deleted.
    let (_, before) = app.api(&officer, Method::GET, "/api/v1/plans", None).await;
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/plans/{pid}?version=99"),
            None,
        )
        .await;
    assert_eq!(s, 409);
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/plans/{pid}?version={}", plan["version"]),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = app
        .api(&officer, Method::GET, &format!("/api/v1/plans/{pid}"), None)
        .await;
    assert_eq!(s, 404);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/plans/tasks/{}", t1["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (_, after) = app.api(&officer, Method::GET, "/api/v1/plans", None).await;
    assert_eq!(
        after["total"].as_i64().unwrap(),
        before["total"].as_i64().unwrap() - 1
    );
    let trash = app.signed_in("officer").await.get("/trash").await;
    assert_eq!(trash.status(), 403);
    let (s, r) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/plans/{pid}/restore"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["tasks"].as_array().unwrap().len(), 4, "{r}");
    let issued = issue(app, &officer, &r).await;
    let (s, e) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/plans/{pid}?version={}", issued["version"]),
            None,
        )
        .await;
    assert_eq!(s, 422, "{e}");
}
