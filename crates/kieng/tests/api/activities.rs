//! Activities: the workflow and who may move it, times in their zone, the
//! filing lead time, coordination warnings across agencies and pillars.

use crate::both;
use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

/// A local date-time string `days` from now in Vietnam (UTC+7, no daylight saving).
pub fn day(days: i64, hour: u32) -> String {
    let d = (Utc::now() + Duration::hours(7) + Duration::days(days)).date_naive();
    format!("{d}T{hour:02}:00")
}

pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let (s, a) = app
        .api(token, Method::POST, "/api/v1/activities", Some(body))
        .await;
    assert_eq!(s, 201, "{a}");
    a
}

/// Move an activity just created (version 1) to the trash.
async fn trash_new(app: &TestApp, token: &str, id: &str) {
    let (s, e) = app
        .api(
            token,
            Method::DELETE,
            &format!("/api/v1/activities/{id}?version=1"),
            None,
        )
        .await;
    assert_eq!(s, 204, "{e}");
}

pub async fn step(
    app: &TestApp,
    token: &str,
    a: &Value,
    transition: &str,
    note: Option<&str>,
) -> (u16, Value) {
    let id = a["activity"]["id"].as_str().unwrap();
    let (_, now) = app
        .api(
            token,
            Method::GET,
            &format!("/api/v1/activities/{id}"),
            None,
        )
        .await;
    app.api(
        token,
        Method::POST,
        &format!("/api/v1/activities/{id}/transitions"),
        Some(
            json!({"transition": transition, "note": note, "version": now["activity"]["version"]}),
        ),
    )
    .await
}

pub fn visit(title: &str, lead: &str, partners: Vec<&str>, from: i64, to: i64) -> Value {
    json!({"title": title, "type_code": "talks", "lead_agency": lead, "partners": partners,
           "starts_at": day(from, 9), "ends_at": day(to, 17)})
}

async fn the_workflow_runs_from_draft_to_report_and_only_a_leader_decides(app: &TestApp) {
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let mut body = visit(
        "Hội đàm với Bộ Ngoại giao Nhật Bản",
        "A",
        vec!["Nhat Ban"],
        -3,
        -2,
    );
    body["members"] = json!([{"name": "Nguyễn Văn An", "position": "Vụ trưởng"}]);
    body["head_name"] = json!("Lê Thị Bình");
    body["head_level"] = json!("vice_minister");
    let a = create(app, &officer, body).await;
    assert_eq!(a["activity"]["status"], "draft");
    assert_eq!(
        a["activity"]["pillar"], "state",
        "the lead agency's pillar by default"
    );
    assert_eq!(a["partners"][0]["name_vi"], "Nhật Bản");
    assert_eq!(a["people"][0]["name"], "Lê Thị Bình");
    assert_eq!(a["people"][0]["head"], true);
    assert_eq!(a["moves"], json!(["submit", "cancel"]));
    let (s, _) = step(app, &officer, &a, "approve", None).await;
    assert_eq!(s, 403, "nothing is approved by its author");
    let (s, r) = step(app, &officer, &a, "submit", None).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["status"], "submitted");
    let (s, e) = step(app, &officer, &a, "approve", None).await;
    assert_eq!(s, 403);
    assert!(e["error"]["message"].as_str().unwrap().contains("lãnh đạo"));
    let (s, e) = step(app, &leader, &a, "return", None).await;
    assert_eq!(s, 422, "returning says why");
    assert!(e["error"]["fields"]["note"].is_string());
    let (s, r) = step(
        app,
        &leader,
        &a,
        "return",
        Some("Bổ sung chương trình làm việc"),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["activity"]["status_note"],
        "Bổ sung chương trình làm việc"
    );
    step(app, &officer, &a, "submit", None).await;
    let (s, r) = step(app, &leader, &a, "approve", None).await;
    assert_eq!(s, 200, "{r}");
    let (s, e) = step(app, &officer, &a, "report", Some("Sớm quá")).await;
    assert_eq!(s, 422, "a report follows the activity: {e}");
    let (s, _) = step(app, &officer, &a, "complete", None).await;
    assert_eq!(s, 200);
    let (s, _) = step(app, &officer, &a, "report", None).await;
    assert_eq!(s, 422, "the report carries the outcome");
    let (s, r) = step(
        app,
        &officer,
        &a,
        "report",
        Some("Hai bên thống nhất kế hoạch hợp tác 2027."),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["status"], "reported");
    assert_eq!(r["moves"], json!([]));
    let events: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["transition"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "submit", "return", "submit", "approve", "complete", "report"
        ]
    );
    // A reported activity is a closed record.
    let id = a["activity"]["id"].as_str().unwrap();
    let mut edit = visit("Sửa sau khi báo cáo", "A", vec![], 20, 21);
    edit["version"] = r["activity"]["version"].clone();
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 403);
    // Every move is in the audit trail.
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}/history"),
            None,
        )
        .await;
    assert_eq!(
        h.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "transition")
            .count(),
        6
    );
    // A leader outside the lead agency's scope does not even see it.
    let root = app.token("root").await;
    let b = create(
        app,
        &root,
        visit("Tiếp Đảng Cộng sản Nhật Bản", "B", vec![], 30, 30),
    )
    .await;
    let (s, _) = step(app, &root, &b, "submit", None).await;
    assert_eq!(s, 200);
    let bid = b["activity"]["id"].as_str().unwrap();
    let (s, _) = app
        .api(
            &leader,
            Method::POST,
            &format!("/api/v1/activities/{bid}/transitions"),
            Some(json!({"transition": "approve", "version": 2})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = step(app, &root, &b, "approve", None).await;
    assert_eq!(s, 403, "an administrator is not a leader");
    let (s, r) = step(
        app,
        &root,
        &b,
        "cancel",
        Some("Phía bạn đề nghị lùi thời gian"),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["status"], "cancelled");
}

async fn input_is_checked_and_times_kept_in_their_zone(app: &TestApp) {
    let officer = app.token("officer").await;
    let body = json!({"title": "Dự Diễn đàn Hòa bình Paris", "type_code": "conference_abroad", "lead_agency": "a",
        "starts_at": "2026-07-01T09:00", "ends_at": "2026-07-02T18:00", "time_zone": "Europe/Paris",
        "country_code": "fr", "city": "Paris", "agencies": ["A1"]});
    let a = create(app, &officer, body.clone()).await;
    assert_eq!(a["activity"]["starts_at"], "2026-07-01T07:00:00Z");
    assert_eq!(a["activity"]["time_zone"], "Europe/Paris");
    assert_eq!(a["activity"]["country_code"], "FR");
    assert_eq!(a["agencies"][0]["code"], "A1");
    let mut bad = body.clone();
    bad["time_zone"] = json!("Paris");
    bad["ends_at"] = json!("2026-06-30T09:00");
    bad["partners"] = json!(["Xứ Sở Thần Tiên"]);
    bad["agencies"] = json!(["KHONGCO"]);
    bad["type_code"] = json!("picnic");
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(bad))
        .await;
    assert_eq!(s, 422, "{e}");
    for f in ["time_zone", "type_code", "ends_at"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    bad = body.clone();
    bad["partners"] = json!(["Xứ Sở Thần Tiên"]);
    bad["agencies"] = json!(["KHONGCO"]);
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(bad))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["fields"]["partners"]
            .as_str()
            .unwrap()
            .contains("Xứ Sở Thần Tiên")
    );
    assert!(
        e["error"]["fields"]["agencies"]
            .as_str()
            .unwrap()
            .contains("KHONGCO")
    );
    // An officer records only for their own agency.
    bad = body.clone();
    bad["lead_agency"] = json!("B");
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(bad))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["lead_agency"].is_string());
    // Hosting an international conference: filed 10 days ahead, 40 needed.
    let conf = json!({"title": "Hội thảo quốc tế Biển Đông", "type_code": "conference_hosted", "lead_agency": "A",
        "authority": "prime_minister", "starts_at": day(10, 8), "ends_at": day(11, 17)});
    let c = create(app, &officer, conf.clone()).await;
    assert_eq!(c["filed_late"], json!([40, 10]));
    // The lead time counts from the day the dossier reached the approver,
    // as the officer records it.
    let mut filed = conf.clone();
    let forty_ago = chrono::Utc::now().date_naive() - chrono::Duration::days(40);
    filed["filed_on"] = json!(forty_ago.format("%d/%m/%Y").to_string());
    let c = create(app, &officer, filed).await;
    assert_eq!(c["filed_late"], json!(null), "{c}");
    assert_eq!(c["activity"]["filed_on"], json!(forty_ago.to_string()));
    // The Fatherland Front's and mass organisations' conferences follow the
    // Party's rules (Decision 06/2020/QĐ-TTg, Art. 1(2)(b)): never late here.
    let mut party = conf.clone();
    party["authority"] = json!("party_rules");
    let c = create(app, &officer, party).await;
    assert_eq!(c["filed_late"], json!(null), "{c}");
    // A channel beyond the pillars: defence, public security, the Assembly.
    let mut defence = conf.clone();
    defence["channel"] = json!("defence");
    let c = create(app, &officer, defence.clone()).await;
    assert_eq!(c["activity"]["channel"], "defence");
    defence["channel"] = json!("army");
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(defence))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["channel"].is_string(), "{e}");
    // A stale edit is refused with the current record.
    let id = a["activity"]["id"].as_str().unwrap();
    let mut edit = body.clone();
    edit["version"] = json!(1);
    let (s, r) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["version"], 2);
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["current"]["version"], 2);
}

async fn coordination_warnings_cross_agencies_and_pillars(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // The party pillar's visit with Japan, a few days after the ministry's.
    let mut mine = visit(
        "Đoàn Bộ Ngoại giao thăm Nhật Bản",
        "A",
        vec!["Nhật Bản"],
        40,
        42,
    );
    mine["members"] = json!([{"name": "Trần Văn Cường"}]);
    let mine = create(app, &officer, mine).await;
    let mut theirs = visit(
        "Đoàn Ban Đối ngoại làm việc tại Tokyo",
        "B",
        vec!["JPN"],
        45,
        46,
    );
    theirs["members"] = json!([{"name": "tran van cuong"}]);
    let theirs = create(app, &root, theirs).await;
    // Someone in two places at once.
    let mut clash = visit("Tiếp Đại sứ Hàn Quốc", "B", vec!["Hàn Quốc"], 41, 41);
    clash["members"] = json!([{"name": "Trần Văn Cường", "position": "Phó Vụ trưởng"}]);
    create(app, &root, clash).await;
    // Above the officer's clearance: never shown.
    let mut secret = visit("Hoạt động tối mật", "B", vec!["Nhật Bản"], 41, 41);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    let id = mine["activity"]["id"].as_str().unwrap();
    let (_, a) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}"),
            None,
        )
        .await;
    // One warning per other activity, with every reason it clashes.
    let kinds: Vec<(Vec<&str>, &str)> = a["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["kind"], "clash", "{w}");
            (
                w["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["kind"].as_str().unwrap())
                    .collect(),
                w["other"]["title"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        kinds.contains(&(
            vec!["same_partner"],
            "Đoàn Ban Đối ngoại làm việc tại Tokyo"
        )),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(vec!["same_person"], "Tiếp Đại sứ Hàn Quốc")),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|(_, t)| t.contains("tối mật")),
        "{kinds:?}"
    );
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    // The label says what is true: the two Japan visits are three days apart
    // (days 42 and 45), and the other pillar's visit is out of the officer's
    // scope, so it is shown as text.
    let tokyo = a["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["other"]["title"] == "Đoàn Ban Đối ngoại làm việc tại Tokyo")
        .unwrap();
    assert_eq!(tokyo["reasons"][0]["days_apart"], 3, "{tokyo}");
    assert_eq!(
        tokyo["label_vi"], "cùng đối tác Nhật Bản, cách nhau 3 ngày",
        "{tokyo}"
    );
    assert_eq!(tokyo["other"]["in_scope"], false);
    // The other pillar's record itself stays out of the officer's scope.
    let other = theirs["activity"]["id"].as_str().unwrap();
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{other}"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    // Beyond the window: no warning.
    let far = create(
        app,
        &officer,
        visit("Đoàn khác thăm Nhật Bản", "A", vec!["Nhật Bản"], 60, 61),
    )
    .await;
    assert_eq!(far["warnings"], json!([]));
    // Two incoming delegations from one partner in a week.
    let mut inc = visit("Đón đoàn Thượng viện Pháp", "A", vec!["Pháp"], 70, 70);
    inc["type_code"] = json!("incoming_delegation");
    create(app, &officer, inc.clone()).await;
    inc["title"] = json!("Đón đoàn Hạ viện Pháp");
    let second = create(app, &officer, inc).await;
    // Both reasons of the pair in one warning: the same partner on the same
    // day, and two incoming delegations in one week.
    let reasons: Vec<&str> = second["warnings"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["same_partner", "incoming_week"],
        "{}",
        second["warnings"]
    );
    assert_eq!(second["warnings"].as_array().unwrap().len(), 1);
    // Ended without a report.
    let past = create(
        app,
        &officer,
        visit("Tiếp xúc đã diễn ra", "A", vec![], -40, -39),
    )
    .await;
    let leader = app.token("leader").await;
    step(app, &officer, &past, "submit", None).await;
    let (_, r) = step(app, &leader, &past, "approve", None).await;
    assert!(r["report_overdue"].as_bool().unwrap());
    assert_eq!(r["warnings"][0]["kind"], "report_overdue");
    // A coordinator acknowledges a warning with a note; an officer may not.
    let key = a["warnings"][0]["key"].as_str().unwrap();
    let url = format!("/api/v1/activities/{id}/acknowledgements");
    let ack = json!({"key": key, "note": "Đã trao đổi với Ban Đối ngoại, hai đoàn phối hợp."});
    let (s, _) = app
        .api(&officer, Method::POST, &url, Some(ack.clone()))
        .await;
    assert_eq!(s, 403);
    let coord = app.token("coordinator").await;
    let (s, r) = app.api(&coord, Method::POST, &url, Some(ack)).await;
    assert_eq!(s, 200, "{r}");
    let w = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["key"] == key)
        .unwrap();
    assert!(
        w["acknowledged_note"]
            .as_str()
            .unwrap()
            .contains("phối hợp")
    );
    assert!(w["acknowledged_by"].as_str().is_some(), "{w}");
    // One acknowledgement covers the pair: the other side reads it too.
    let other_id = w["other"]["id"].as_str().unwrap();
    let (_, o) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities/{other_id}"),
            None,
        )
        .await;
    let back = o["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["other"]["id"] == id)
        .unwrap();
    assert!(
        back["acknowledged_note"]
            .as_str()
            .unwrap()
            .contains("phối hợp"),
        "{back}"
    );
    // The board lists each pair once, however many sides are in scope.
    let (s, board) = app
        .api(&root, Method::GET, "/api/v1/coordination", None)
        .await;
    assert_eq!(s, 200);
    let pairs: Vec<(String, String)> = board
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["warning"]["kind"] == "clash")
        .map(|e| {
            let a = e["activity"]["id"].as_str().unwrap().to_string();
            let b = e["warning"]["other"]["id"].as_str().unwrap().to_string();
            if a < b { (a, b) } else { (b, a) }
        })
        .collect();
    let unique: std::collections::HashSet<_> = pairs.iter().cloned().collect();
    assert_eq!(pairs.len(), unique.len(), "{board}");
    let mine_pair = if id < other_id {
        (id.to_string(), other_id.to_string())
    } else {
        (other_id.to_string(), id.to_string())
    };
    assert!(unique.contains(&mine_pair), "{board}");
    // The coordinator's board has the entry too.
    let (s, board) = app
        .api(&coord, Method::GET, "/api/v1/coordination", None)
        .await;
    assert_eq!(s, 200);
    assert!(
        board
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["activity"]["id"] == id || e["warning"]["other"]["id"] == id)
    );
}

async fn lists_filter_and_respect_scope(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    create(
        app,
        &officer,
        visit("Làm việc với Đại sứ quán Lào", "A1", vec!["Lào"], 5, 5),
    )
    .await;
    create(
        app,
        &root,
        visit("Tiếp Đảng Nhân dân Cách mạng Lào", "B", vec!["Lào"], 6, 6),
    )
    .await;
    let mut joint = visit("Hội nghị phối hợp về Lào", "B", vec!["Lào"], 7, 7);
    joint["agencies"] = json!(["A"]);
    create(app, &root, joint).await;
    let (_, l) = app
        .api(&officer, Method::GET, "/api/v1/activities?q=lao", None)
        .await;
    let titles: Vec<&str> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["activity"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Hội nghị phối hợp về Lào", "Làm việc với Đại sứ quán Lào"],
        "newest start first; a participating agency sees it"
    );
    assert_eq!(l["total"], 2);
    // Read from the partner's side: the same rows, and the dossier's timeline too.
    let lao = crate::partners::partner_id(app, &officer, "Lào").await;
    let (_, by_partner) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities?partner={lao}"),
            None,
        )
        .await;
    assert_eq!(by_partner["items"], l["items"], "{by_partner}");
    assert_eq!(by_partner["total"], 2);
    // An edit that moves an activity out of the officer's reach moves it out of
    // the partner's lists too (the link copies the activity's columns).
    let hidden = create(
        app,
        &root,
        visit("Hội đàm với Lào, sau đổi độ mật", "A", vec!["Lào"], 8, 8),
    )
    .await;
    let hid = hidden["activity"]["id"].as_str().unwrap();
    let (_, l3) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities?partner={lao}"),
            None,
        )
        .await;
    assert_eq!(l3["total"], 3);
    let mut edit = visit("Hội đàm với Lào, sau đổi độ mật", "A", vec!["Lào"], 8, 8);
    edit["classification"] = json!("toi_mat");
    edit["secret_item"] = json!("TOI_MAT");
    edit["version"] = json!(1);
    let (s, r) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{hid}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (_, l3) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities?partner={lao}"),
            None,
        )
        .await;
    assert_eq!(l3["total"], 2, "{l3}");
    let (_, l3) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities?partner={lao}"),
            None,
        )
        .await;
    assert_eq!(l3["total"], 4, "{l3}");
    let html = app
        .signed_in("officer")
        .await
        .get(&format!("/partners/{lao}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Hội nghị phối hợp về Lào") && html.contains("Làm việc với Đại sứ quán Lào")
    );
    assert!(
        !html.contains("Tiếp Đảng Nhân dân Cách mạng Lào"),
        "another agency's, not shared"
    );
    let (_, l) = app
        .api(
            &root,
            Method::GET,
            "/api/v1/activities?q=lao&pillar=party",
            None,
        )
        .await;
    assert_eq!(l["total"], 2);
    let (_, l) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities?partner={lao}&pillar=party"),
            None,
        )
        .await;
    assert_eq!(l["total"], 2, "{l}");
    let viewer = app.token("viewer").await;
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            "/api/v1/activities",
            Some(visit("x", "A", vec![], 1, 1)),
        )
        .await;
    assert_eq!(s, 403);
    let (_, types) = app
        .api(&viewer, Method::GET, "/api/v1/activity-types", None)
        .await;
    assert_eq!(types.as_array().unwrap().len(), 8);
}

/// The plain list (no search words, at most pillar and dates) is read agency by
/// agency; it must answer exactly what the general query answers, page by page.
async fn the_plain_list_answers_as_the_searched_list(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    // More than a page of A1's, over two years.
    for i in 0..56 {
        create(
            app,
            &root,
            visit(
                &format!("Đoàn khảo sát số {i}"),
                "A1",
                vec![],
                i * 13 - 400,
                i * 13 - 400,
            ),
        )
        .await;
    }
    // Led by A with A1 taking part: both in the officer's scope, listed once.
    let mut both_in = visit("Đoàn khảo sát chung", "A", vec![], 3, 3);
    both_in["agencies"] = json!(["A1"]);
    create(app, &root, both_in).await;
    // Led by another pillar's B with A and A1 taking part: counted once.
    let mut shared = visit("Đoàn khảo sát của Ban, Bộ tham gia", "B", vec![], 4, 4);
    shared["agencies"] = json!(["A", "A1"]);
    create(app, &root, shared).await;
    // Not the officer's: B's own, one above the officer's clearance, one in the trash.
    create(
        app,
        &root,
        visit("Đoàn khảo sát riêng của Ban", "B", vec![], 2, 2),
    )
    .await;
    let mut secret = visit("Đoàn khảo sát tối mật", "A", vec![], 5, 5);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    let trashed = create(app, &officer, visit("Đoàn khảo sát bỏ", "A1", vec![], 6, 6)).await;
    trash_new(app, &officer, trashed["activity"]["id"].as_str().unwrap()).await;
    // Led by B with A1 taking part, but above the officer's clearance, or in the
    // trash: the participation's own copy of the activity says so (migration 29).
    let mut shared_secret = visit("Đoàn khảo sát tối mật của Ban", "B", vec![], 7, 7);
    shared_secret["agencies"] = json!(["A1"]);
    shared_secret["classification"] = json!("toi_mat");
    shared_secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, shared_secret).await;
    let mut shared_gone = visit("Đoàn khảo sát bỏ của Ban", "B", vec![], 8, 8);
    shared_gone["agencies"] = json!(["A1"]);
    let gone = create(app, &root, shared_gone).await;
    let gone = gone["activity"]["id"].as_str().unwrap().to_string();
    trash_new(app, &root, &gone).await;
    let year = &day(-200, 0)[..4];
    let from = &day(-100, 0)[..10];
    let mut pages = 0;
    let mut titles: Vec<String> = Vec::new();
    for (token, args) in [
        (&officer, String::new()),
        (&officer, "&page=2".into()),
        (&officer, "&page=9".into()),
        (&officer, "&page=100000".into()),
        (&officer, "&pillar=state".into()),
        (&officer, "&pillar=party".into()),
        (&officer, format!("&year={year}")),
        (&officer, format!("&from={from}")),
        (&officer, format!("&from={from}&year={year}&page=2")),
        (&root, "&page=2".into()),
    ] {
        let (s, plain) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/activities?lang=vi{args}"),
                None,
            )
            .await;
        assert_eq!(s, 200, "{plain}");
        let (_, searched) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/activities?q=khao%20sat{args}"),
                None,
            )
            .await;
        assert_eq!(plain["items"], searched["items"], "{args}");
        assert_eq!(plain["total"], searched["total"], "{args}");
        assert_eq!(plain["page"], searched["page"], "{args}");
        if token == &officer && (args.is_empty() || args == "&page=2") {
            assert_eq!(
                plain["total"], 58,
                "56 of A1, the joint one, the shared one"
            );
            titles.extend(
                plain["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["activity"]["title"].as_str().unwrap().to_string()),
            );
        }
        pages += plain["items"].as_array().unwrap().len();
    }
    assert!(pages > 100, "the comparisons saw rows: {pages}");
    titles.sort();
    let before = titles.len();
    titles.dedup();
    assert_eq!(
        (before, titles.len()),
        (58, 58),
        "two pages, each activity once"
    );
    assert!(titles.iter().any(|t| t == "Đoàn khảo sát chung"));
    assert!(
        titles
            .iter()
            .any(|t| t == "Đoàn khảo sát của Ban, Bộ tham gia")
    );
    // Out of the trash, the shared one counts again, in both readings.
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/activities/{gone}/restore"),
            None,
        )
        .await;
    assert!(s == 200 || s == 204, "{s} {e}");
    let (_, plain) = app
        .api(&officer, Method::GET, "/api/v1/activities", None)
        .await;
    let (_, searched) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/activities?q=khao%20sat",
            None,
        )
        .await;
    assert_eq!(
        (&plain["total"], &searched["total"]),
        (&json!(59), &json!(59))
    );
    assert_eq!(plain["items"], searched["items"]);
}

/// One partner's activities, read agency by agency on the partner's side for a
/// scope and walked newest first for everyone: the same pages and totals as the
/// general list filtered by that partner, and tallies that add up to them.
async fn a_partners_activities_answer_as_the_searched_list(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let with_cuba = |title: &str, lead: &str, d: i64| visit(title, lead, vec!["Cuba"], d, d);
    // More than a page of A1's with Cuba, over two years, and one without.
    let mut first = Value::Null;
    for i in 0..56 {
        let a = create(
            app,
            &root,
            with_cuba(&format!("Đoàn khảo sát Cuba số {i}"), "A1", i * 13 - 400),
        )
        .await;
        if i == 0 {
            first = a;
        }
    }
    let cuba = first["partners"][0]["id"].as_str().unwrap().to_string();
    create(
        app,
        &root,
        visit("Đoàn khảo sát Lào", "A1", vec!["Lao"], 1, 1),
    )
    .await;
    // Led by A with A1 taking part: owned and shared in scope, counted once.
    let mut both_in = with_cuba("Đoàn khảo sát chung Cuba", "A", 3);
    both_in["agencies"] = json!(["A1"]);
    create(app, &root, both_in).await;
    // Led by another pillar's B with A and A1 taking part: shared twice, counted once.
    let mut shared = with_cuba("Đoàn khảo sát Cuba của Ban, Bộ tham gia", "B", 4);
    shared["agencies"] = json!(["A", "A1"]);
    create(app, &root, shared).await;
    // Not the officer's: B's own, one above their clearance, one in the trash.
    create(
        app,
        &root,
        with_cuba("Đoàn khảo sát Cuba riêng của Ban", "B", 2),
    )
    .await;
    let mut secret = with_cuba("Đoàn khảo sát Cuba tối mật", "A", 5);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    let trashed = create(app, &officer, with_cuba("Đoàn khảo sát Cuba bỏ", "A1", 6)).await;
    let (s, e) = app
        .api(
            &officer,
            Method::DELETE,
            &format!(
                "/api/v1/activities/{}?version=1",
                trashed["activity"]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(s, 204, "{e}");
    let year = &day(-200, 0)[..4];
    let from = &day(-100, 0)[..10];
    let mut rows = 0;
    for (token, args) in [
        (&officer, String::new()),
        (&officer, "&page=2".into()),
        (&officer, "&page=9".into()),
        (&officer, "&pillar=state".into()),
        (&officer, "&pillar=party".into()),
        (&officer, format!("&year={year}")),
        (&officer, format!("&from={from}")),
        (&officer, format!("&from={from}&year={year}&page=2")),
        (&root, String::new()),
        (&root, "&page=2".into()),
        (&root, format!("&from={from}")),
    ] {
        let (s, by_partner) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/activities?partner={cuba}{args}"),
                None,
            )
            .await;
        assert_eq!(s, 200, "{by_partner}");
        let (_, searched) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/activities?partner={cuba}&q=khao%20sat{args}"),
                None,
            )
            .await;
        assert_eq!(by_partner["items"], searched["items"], "{args}");
        assert_eq!(by_partner["total"], searched["total"], "{args}");
        assert_eq!(by_partner["page"], searched["page"], "{args}");
        rows += by_partner["items"].as_array().unwrap().len();
    }
    assert!(rows > 150, "the comparisons saw rows: {rows}");
    // The tallies: per year and pillar, adding up to each reader's total.
    for (token, total) in [(&officer, 58), (&root, 60)] {
        let (s, t) = app
            .api(
                token,
                Method::GET,
                &format!("/api/v1/partners/{cuba}/engagements"),
                None,
            )
            .await;
        assert_eq!(s, 200, "{t}");
        let sum: u64 = t
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["activities"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total, "{t}");
        let party: u64 = t
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["pillar"] == "party")
            .map(|e| e["activities"].as_u64().unwrap())
            .sum();
        assert_eq!(party, if token == &officer { 1 } else { 2 }, "{t}");
    }
    // The tallies are kept per reader: a shared activity added, and one of the
    // officer's own moved to the trash, show in them at once.
    let path = format!("/api/v1/partners/{cuba}/engagements");
    let total = |t: String| {
        let path = path.clone();
        async move {
            let (_, e) = app.api(&t, Method::GET, &path, None).await;
            e.as_array()
                .unwrap()
                .iter()
                .map(|e| e["activities"].as_u64().unwrap())
                .sum::<u64>()
        }
    };
    let mut more = with_cuba("Đoàn khảo sát Cuba thứ hai của Ban", "B", 7);
    more["agencies"] = json!(["A1"]);
    create(app, &root, more).await;
    assert_eq!(total(officer.clone()).await, 59, "a shared one added");
    let mine = first["activity"]["id"].as_str().unwrap();
    trash_new(app, &root, mine).await;
    assert_eq!(total(officer.clone()).await, 58, "one moved to the trash");
    assert_eq!(
        total(root.clone()).await,
        60,
        "the other reader's, likewise"
    );
}

/// A scope of many agencies (a pillar) takes another query shape on SQLite: the
/// same answers as a small one.
async fn a_pillar_wide_scope_sees_the_same_rules(app: &TestApp) {
    let root = app.token("root").await;
    let mut last = String::new();
    for i in 0..40 {
        let code = format!("SNV-{i:02}");
        let (s, a) = app
            .api(
                &root,
                Method::POST,
                "/api/v1/agencies",
                Some(json!({"code": code, "name_vi": format!("Sở Ngoại vụ số {i}"), "pillar": "state",
                    "level": "provincial", "province_code": "VN34-01"})),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        last = code;
    }
    let (s, u) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/users",
            Some(
                json!({"username": "dieuphoi.khoi", "agency_id": app.agencies["A"].id,
                "role": "coordinator", "scope": "pillar", "clearance": "mat"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{u}");
    let uid: uuid::Uuid = u["user"]["id"]
        .as_str()
        .or(u["id"].as_str())
        .unwrap()
        .parse()
        .unwrap();
    // Past the one-time password (not what this test is about).
    app.sql("UPDATE users SET must_change_password = false WHERE username = 'dieuphoi.khoi'")
        .await;
    let (_, coord) = app
        .store
        .token_create(uid, "test", &kieng_store::audit::Origin::default())
        .await
        .unwrap();
    create(
        app,
        &root,
        visit("Sở số 39 tiếp Đại sứ Cuba", &last, vec!["Cuba"], 3, 3),
    )
    .await;
    create(
        app,
        &root,
        visit(
            "Ban Đối ngoại tiếp Đảng Cộng sản Cuba",
            "B",
            vec!["Cuba"],
            4,
            4,
        ),
    )
    .await;
    let mut joint = visit(
        "Ban Đối ngoại và Sở số 0 đón đoàn Cuba",
        "B",
        vec!["Cuba"],
        5,
        5,
    );
    joint["agencies"] = json!(["SNV-00"]);
    create(app, &root, joint).await;
    let mut secret = visit(
        "Sở số 1 làm việc tối mật với Cuba",
        "SNV-01",
        vec!["Cuba"],
        6,
        6,
    );
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    let (s, l) = app
        .api(&coord, Method::GET, "/api/v1/activities?q=cuba", None)
        .await;
    assert_eq!(s, 200, "{l}");
    let titles: Vec<&str> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["activity"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Ban Đối ngoại và Sở số 0 đón đoàn Cuba",
            "Sở số 39 tiếp Đại sứ Cuba"
        ]
    );
    assert_eq!(l["total"], 2);
    // The plain list (read as "newest first over every activity" for a scope this
    // large) answers the same.
    for args in ["", "&pillar=party", "&pillar=state"] {
        let (_, plain) = app
            .api(
                &coord,
                Method::GET,
                &format!("/api/v1/activities?lang=vi{args}"),
                None,
            )
            .await;
        let (_, searched) = app
            .api(
                &coord,
                Method::GET,
                &format!("/api/v1/activities?q=cuba{args}"),
                None,
            )
            .await;
        assert_eq!(plain["items"], searched["items"], "{args}");
        assert_eq!(plain["total"], searched["total"], "{args}");
    }
    let cuba = crate::partners::partner_id(app, &root, "Cuba").await;
    let (_, by_partner) = app
        .api(
            &coord,
            Method::GET,
            &format!("/api/v1/activities?partner={cuba}"),
            None,
        )
        .await;
    assert_eq!(by_partner["items"], l["items"], "{by_partner}");
    let (s, cal) = app
        .api(
            &coord,
            Method::GET,
            &format!(
                "/api/v1/calendar?from={}&to={}",
                &day(0, 0)[..10],
                &day(10, 0)[..10]
            ),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(cal.as_array().unwrap().len(), 2, "{cal}");
}

async fn partner_total(app: &TestApp, token: &str, p: &str) -> u64 {
    let (_, l) = app
        .api(
            token,
            Method::GET,
            &format!("/api/v1/activities?partner={p}"),
            None,
        )
        .await;
    l["total"].as_u64().unwrap()
}

/// Drafts, returned and cancelled activities go to the trash and come back; their
/// partner links leave the partner's lists and tallies with them, in one step.
async fn the_trash_takes_drafts_and_their_partner_links_and_gives_them_back(app: &TestApp) {
    let officer = app.token("officer").await;
    let japan = crate::partners::partner_id(app, &officer, "Nhật Bản").await;
    let draft = create(
        app,
        &officer,
        visit(
            "Dự thảo đón đoàn Nhật Bản",
            "A",
            vec![japan.as_str()],
            12,
            13,
        ),
    )
    .await;
    let held = create(
        app,
        &officer,
        visit("Hội đàm đã trình", "A", vec![japan.as_str()], 14, 15),
    )
    .await;
    assert_eq!(partner_total(app, &officer, &japan).await, 2);
    let id = draft["activity"]["id"].as_str().unwrap();
    let version = draft["activity"]["version"].as_i64().unwrap();
    // A submitted activity is an official record: cancelled, not deleted.
    let (s, _) = step(app, &officer, &held, "submit", None).await;
    assert_eq!(s, 200);
    let hid = held["activity"]["id"].as_str().unwrap();
    let (_, now) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{hid}"),
            None,
        )
        .await;
    let (s, e) = app
        .api(
            &officer,
            Method::DELETE,
            &format!(
                "/api/v1/activities/{hid}?version={}",
                now["activity"]["version"]
            ),
            None,
        )
        .await;
    assert_eq!(s, 403, "{e}");
    // A stale version is a conflict; the right one moves it to the trash.
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/activities/{id}?version={}", version + 5),
            None,
        )
        .await;
    assert_eq!(s, 409);
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/activities/{id}?version={version}"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(
        partner_total(app, &officer, &japan).await,
        1,
        "its link left the partner's list"
    );
    // The dossier page's timeline (the JSON dossier carries no timeline).
    let dossier = app
        .signed_in("leader")
        .await
        .get(&format!("/partners/{japan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dossier.contains("Hội đàm đã trình"),
        "the timeline is there"
    );
    assert!(!dossier.contains("Dự thảo đón đoàn Nhật Bản"));
    // Back from the trash, with its link.
    let (s, r) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/activities/{id}/restore"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["activity"]["title"], "Dự thảo đón đoàn Nhật Bản");
    assert_eq!(partner_total(app, &officer, &japan).await, 2);
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/activities/{id}/restore"),
            None,
        )
        .await;
    assert_eq!(s, 404, "only what is in the trash is restored");
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}/history"),
            None,
        )
        .await;
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.starts_with(&["restore", "delete"]), "{actions:?}");
    // The page: a delete button on a draft, the trash lists it for an administrator.
    let s = app.signed_in("officer").await;
    let html = s
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/activities/{id}/delete")));
    let r = s
        .post_form(
            &format!("/activities/{id}/delete"),
            &[("version", &(version + 2).to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let admin = app.signed_in("admin").await;
    let html = admin.get("/trash").await.text().await.unwrap();
    assert!(html.contains("Dự thảo đón đoàn Nhật Bản"));
}

/// An activity another agency leads, with the reader's agency taking part: it is
/// in the partner's lists and dossier for that reader exactly while the agency
/// takes part and the activity is out of the trash, and follows a partner merge.
async fn a_shared_activity_follows_its_participants_to_the_partner_side(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let org =
        |name: &str| json!({"kind": "organisation", "name_vi": name, "allow_duplicate": true});
    let mut ids = Vec::new();
    for name in ["Hội Hữu nghị Thử nghiệm", "Hội Hữu nghị Thử nghiệm (trùng)"]
    {
        let (s, p) = app
            .api(&root, Method::POST, "/api/v1/partners", Some(org(name)))
            .await;
        assert_eq!(s, 201, "{p}");
        ids.push(p["id"].as_str().unwrap().to_string());
    }
    let (keep, dup) = (ids[0].clone(), ids[1].clone());
    let mut body = visit(
        "Đoàn liên ngành gặp Hội Hữu nghị",
        "B",
        vec![dup.as_str()],
        8,
        8,
    );
    body["agencies"] = json!(["A"]);
    let a = create(app, &root, body.clone()).await;
    let id = a["activity"]["id"].as_str().unwrap().to_string();
    // The dossier page's timeline (the JSON dossier carries no timeline).
    let page = app.signed_in("officer").await;
    let dossier_has = |p: String| {
        let page = &page;
        async move {
            let r = page.get(&format!("/partners/{p}")).await;
            assert_eq!(r.status(), 200);
            r.text()
                .await
                .unwrap()
                .contains("Đoàn liên ngành gặp Hội Hữu nghị")
        }
    };
    assert_eq!(partner_total(app, &officer, &dup).await, 1, "A takes part");
    assert!(dossier_has(dup.clone()).await);
    // Without A taking part the officer no longer sees it from the partner's side.
    let version = |v: &Value| v["activity"]["version"].as_i64().unwrap();
    body["agencies"] = json!([]);
    body["version"] = json!(version(&a));
    let (s, a) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(partner_total(app, &officer, &dup).await, 0);
    assert!(!dossier_has(dup.clone()).await);
    body["agencies"] = json!(["A"]);
    body["version"] = json!(version(&a));
    let (s, a) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(body),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(partner_total(app, &officer, &dup).await, 1);
    // To the trash and back.
    let (s, _) = app
        .api(
            &root,
            Method::DELETE,
            &format!("/api/v1/activities/{id}?version={}", version(&a)),
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(partner_total(app, &officer, &dup).await, 0);
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/activities/{id}/restore"),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(partner_total(app, &officer, &dup).await, 1);
    assert!(dossier_has(dup.clone()).await);
    // A merge moves it to the surviving partner, for this reader too.
    let (s, m) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(partner_total(app, &officer, &keep).await, 1);
    assert!(dossier_has(keep.clone()).await);
}

/// Partners are named any way — name, alias, code, id — several at once; a
/// name that fits two partners, or none, is refused naming them; the same
/// partner named twice is linked once.
async fn partners_are_named_any_way_several_at_once(app: &TestApp) {
    let officer = app.token("officer").await;
    let mut ids = Vec::new();
    for name in ["Đảng Xanh Pháp", "Đảng Xanh Bỉ"] {
        let (s, p) = app
            .api(
                &officer,
                Method::POST,
                "/api/v1/partners",
                Some(
                    json!({"kind": "party", "name_vi": name, "aliases": ["Đảng Xanh"],
                    "country_code": "FR", "allow_duplicate": true}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{p}");
        ids.push(p["id"].as_str().unwrap().to_string());
    }
    let body = |partners: Vec<&str>| visit("Trao đổi với các đảng Xanh", "A", partners, 60, 61);
    // The first name that fails is the one the field names.
    for (named, said) in [
        (
            "dang xanh",
            vec!["dang xanh", "Đảng Xanh Pháp", "Đảng Xanh Bỉ"],
        ),
        ("Không Có Đảng Này", vec!["Không Có Đảng Này"]),
    ] {
        let (s, e) = app
            .api(
                &officer,
                Method::POST,
                "/api/v1/activities",
                Some(body(vec!["Nhật Bản", named])),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        let field = e["error"]["fields"]["partners"].as_str().unwrap();
        for part in said {
            assert!(field.contains(part), "{part}: {field}");
        }
        assert!(!field.contains("Nhật Bản"), "{field}");
    }
    let a = create(
        app,
        &officer,
        body(vec![
            "Nhật Bản",
            "jpn",
            &ids[0],
            "ĐẢNG XANH BỈ",
            " dang xanh phap ",
        ]),
    )
    .await;
    let mut got: Vec<&str> = a["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name_vi"].as_str().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, ["Nhật Bản", "Đảng Xanh Bỉ", "Đảng Xanh Pháp"], "{a}");
}

/// A list page kept in memory is never older than the last committed change:
/// an activity created shows at once, one raised above the reader's clearance
/// or moved to the trash leaves at once — and the rest of the page answers as
/// before.
async fn a_kept_list_page_follows_every_change(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let list = |t: String| async move {
        let (s, l) = app.api(&t, Method::GET, "/api/v1/activities", None).await;
        assert_eq!(s, 200, "{l}");
        let ids: Vec<String> = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["activity"]["id"].as_str().unwrap().to_string())
            .collect();
        (l["total"].as_u64().unwrap(), ids)
    };
    let lao = create(app, &officer, visit("Tiếp Đại sứ Lào", "A", vec![], 20, 20)).await;
    let (before, page) = list(officer.clone()).await;
    assert_eq!(
        list(officer.clone()).await,
        (before, page.clone()),
        "read again, the same"
    );
    let body = visit("Đoàn Bộ trưởng thăm Viên Chăn", "A", vec![], 400, 401);
    let a = create(app, &root, body.clone()).await;
    let id = a["activity"]["id"].as_str().unwrap().to_string();
    let (n, ids) = list(officer.clone()).await;
    assert_eq!(
        (n, ids.first()),
        (before + 1, Some(&id)),
        "created: shown at once"
    );
    // The root's own list is another scope: its page was never the officer's.
    assert!(list(root.clone()).await.1.contains(&id));
    let mut secret = body;
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    secret["version"] = a["activity"]["version"].clone();
    let (s, r) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(secret),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        list(officer.clone()).await,
        (before, page.clone()),
        "above clearance: gone at once"
    );
    assert!(list(root.clone()).await.1.contains(&id));
    let lao = lao["activity"]["id"].as_str().unwrap().to_string();
    assert!(page.contains(&lao));
    trash_new(app, &officer, &lao).await;
    let (n, ids) = list(officer.clone()).await;
    assert_eq!(n, before - 1);
    assert!(!ids.contains(&lao), "trashed: gone at once");
    // Led by another pillar with A1 taking part: a move of its own shows in the
    // officer's kept page at once, as does A1 leaving it; another scope's new
    // activity leaves the officer's page as it was.
    let mut shared = visit("Ban Đối ngoại đón đoàn, Cục tham gia", "B", vec![], 30, 30);
    shared["agencies"] = json!(["A1"]);
    let shared = create(app, &root, shared).await;
    let sid = shared["activity"]["id"].as_str().unwrap().to_string();
    let status_of = |t: String, id: String| async move {
        let (_, l) = app.api(&t, Method::GET, "/api/v1/activities", None).await;
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["activity"]["id"] == id.as_str())
            .map(|r| r["activity"]["status"].as_str().unwrap().to_string())
    };
    assert_eq!(
        status_of(officer.clone(), sid.clone()).await.as_deref(),
        Some("draft")
    );
    create(
        app,
        &root,
        visit("Ban Đối ngoại làm việc riêng", "B", vec![], 31, 31),
    )
    .await;
    let (n, _) = list(officer.clone()).await;
    assert_eq!(
        n, before,
        "another scope's activity: the officer's total unchanged"
    );
    let (s, r) = step(app, &root, &shared, "submit", None).await;
    assert_eq!(s, 200, "{r}");
    assert_ne!(
        status_of(officer.clone(), sid.clone()).await.as_deref(),
        Some("draft"),
        "moved by its owner: shown moved at once"
    );
    let (_, now) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities/{sid}"),
            None,
        )
        .await;
    let mut without = visit("Ban Đối ngoại đón đoàn, Cục tham gia", "B", vec![], 30, 30);
    without["agencies"] = json!([]);
    without["version"] = now["activity"]["version"].clone();
    let (s, r) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{sid}"),
            Some(without),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        status_of(officer.clone(), sid.clone()).await,
        None,
        "A1 no longer taking part: gone at once"
    );
}

/// JSON and the form parse into the same input: lists sent as lists are never
/// split again, so a member named "A — B" and an alias with a semicolon
/// survive the API as sent.
async fn lists_sent_to_the_api_stay_whole(app: &TestApp) {
    let officer = app.token("officer").await;
    let (s, p) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo",
            "name_vi": "Quỹ Hòa bình", "aliases": ["Quỹ HB; chi nhánh phía Nam", "Peace Fund"]})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{}", p["id"].as_str().unwrap()),
            None,
        )
        .await;
    let aliases: Vec<&str> = d["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        aliases.contains(&"Quỹ HB; chi nhánh phía Nam") && aliases.contains(&"Peace Fund"),
        "{d}"
    );
    assert!(!aliases.contains(&"chi nhánh phía Nam"), "{d}");
    let mut body = visit("Tiếp đoàn Quỹ Hòa bình", "A", vec!["Quỹ Hòa bình"], 3, 3);
    body["members"] = json!([
        {"name": "Nguyễn Văn An — Bình", "position": null},
        {"name": "Trần Thị Cúc", "position": "Vụ trưởng | Vụ Châu Âu"},
    ]);
    let a = create(app, &officer, body).await;
    let people: Vec<(String, Option<String>)> = a["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["position"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert!(
        people.contains(&("Nguyễn Văn An — Bình".into(), None)),
        "{people:?}"
    );
    assert!(
        people.contains(&("Trần Thị Cúc".into(), Some("Vụ trưởng | Vụ Châu Âu".into()))),
        "{people:?}"
    );
}

/// Defects a new user hit in the workflow: done before it starts, a member
/// dropped with their position, the approval's note missing from the audit,
/// and every problem of a form reported at once.
async fn the_workflow_refuses_what_cannot_be_true_and_keeps_every_word(app: &TestApp) {
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let a = create(
        app,
        &officer,
        visit("Đoàn ra Hàn Quốc", "A", vec!["Han Quoc"], 90, 92),
    )
    .await;
    step(app, &officer, &a, "submit", None).await;
    let (s, r) = step(
        app,
        &leader,
        &a,
        "approve",
        Some("Đồng ý, báo cáo sau chuyến đi."),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert!(
        r["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["by"].as_str().is_some_and(|b| !b.is_empty())),
        "the timeline names who made each move: {r}"
    );
    let (s, e) = step(app, &officer, &a, "complete", None).await;
    assert_eq!(s, 422, "nothing is done before it starts: {e}");
    assert!(
        e["error"]["fields"]["transition"]
            .as_str()
            .unwrap()
            .contains("chưa bắt đầu")
    );
    // The approval's note is in the audit entry.
    let admin = app.token("admin").await;
    let id = a["activity"]["id"].as_str().unwrap();
    let (s, log) = app
        .api(
            &admin,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{log}");
    assert!(
        log.to_string().contains("Đồng ý, báo cáo sau chuyến đi."),
        "the approval's note is audited: {log}"
    );

    // The head listed again as a member is refused, not dropped.
    let mut body = visit("Tiếp đoàn Lào", "A", vec!["Lao"], 30, 30);
    body["head_name"] = json!("Lê Văn Cường");
    body["members"] =
        json!([{"name": "Lê Văn Cường", "position": "Thứ trưởng"}, {"name": "Trần Thị B"}]);
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(body))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["fields"]["members"]
            .as_str()
            .unwrap()
            .contains("trưởng đoàn")
    );

    // One round: a bad date, an unknown partner and an unknown agency together.
    let mut body = visit("Hội thảo", "KHONG-CO", vec!["Không có nước này"], 30, 30);
    body["ends_at"] = json!("not a date");
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/activities", Some(body))
        .await;
    assert_eq!(s, 422, "{e}");
    let fields = &e["error"]["fields"];
    for f in ["ends_at", "partners", "lead_agency"] {
        assert!(
            fields[f].is_string(),
            "{f} is reported in the same answer: {e}"
        );
    }
}

both!(
    the_list_exports_as_filtered,
    the_workflow_refuses_what_cannot_be_true_and_keeps_every_word,
    lists_sent_to_the_api_stay_whole,
    a_kept_list_page_follows_every_change,
    partners_are_named_any_way_several_at_once,
    the_plain_list_answers_as_the_searched_list,
    a_partners_activities_answer_as_the_searched_list,
    a_shared_activity_follows_its_participants_to_the_partner_side,
    the_trash_takes_drafts_and_their_partner_links_and_gives_them_back,
    a_pillar_wide_scope_sees_the_same_rules,
    the_workflow_runs_from_draft_to_report_and_only_a_leader_decides,
    input_is_checked_and_times_kept_in_their_zone,
    coordination_warnings_cross_agencies_and_pillars,
    lists_filter_and_respect_scope,
);

/// The list exports to CSV and XLSX as filtered, within the reader's scope.
async fn the_list_exports_as_filtered(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    for (who, title, lead) in [
        (&officer, "Xuất danh sách: tiếp Đại sứ Cuba", "A"),
        (&officer, "Xuất danh sách: hội đàm", "A"),
        (&root, "Xuất danh sách: của Ban Đối ngoại", "B"),
        (&officer, "Không thuộc bộ lọc", "A"),
    ] {
        create(
            app,
            who,
            json!({"title": title, "type_code": "talks", "lead_agency": lead,
                "starts_at": day(5, 9), "ends_at": day(5, 11), "city": "Hà Nội", "country_code": "VN"}),
        )
        .await;
    }
    let s = app.signed_in("officer").await;
    let r = s.get("/activities.csv?q=xuat+danh+sach").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("kieng-activities-")
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for spreadsheets"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Bắt đầu (giờ Việt Nam)"), "{text}");
    assert_eq!(lines.len(), 3, "the heading and the officer's two: {text}");
    assert!(text.contains("tiếp Đại sứ Cuba") && text.contains("Hội đàm"));
    assert!(!text.contains("Ban Đối ngoại") && !text.contains("Không thuộc"));
    let r = s.get("/activities.xlsx?q=xuat+danh+sach").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.bytes().await.unwrap().starts_with(b"PK"),
        "an XLSX is a zip"
    );
}
