//! Agreements and commitments: the status history rules, working-day deadlines
//! of provincial agreements across weekends and holidays, commitments turning
//! overdue on the board, and scope and clearance on every new list.

use crate::activities::{create, visit};
use crate::both;
use crate::helpers::TestApp;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

/// A date `days` from today in Vietnam, as yyyy-mm-dd.
fn date(days: i64) -> String {
    (Utc::now() + Duration::hours(7) + Duration::days(days))
        .date_naive()
        .to_string()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.api(token, Method::POST, path, Some(body)).await
}

async fn agreement_history_follows_the_rules(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    let base = json!({"kind": "memorandum", "title_vi": "Bản ghi nhớ hợp tác lãnh sự",
        "owner_agency": "A", "partners": ["Nhat Ban"], "expires_on": "2031-03-01"});
    // Nothing is in force before it is signed.
    let mut b = base.clone();
    b["in_force_on"] = json!("2026-03-01");
    let (s, e) = post(app, &officer, "/api/v1/agreements", b.clone()).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["in_force_on"].is_string());
    b["signed_on"] = json!("2026-03-10");
    let (s, e) = post(app, &officer, "/api/v1/agreements", b.clone()).await;
    assert_eq!(s, 422, "in force before signing: {e}");
    assert!(e["error"]["fields"]["in_force_on"].is_string());
    b["signed_on"] = json!("2026-02-10");
    let (s, a) = post(app, &officer, "/api/v1/agreements", b).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["status"], "in_force");
    assert_eq!(a["signed_on"], "2026-02-10");
    assert_eq!(a["history"].as_array().unwrap().len(), 2);
    assert_eq!(a["partners"][0]["name_vi"], "Nhật Bản");
    assert_eq!(a["next"], json!(["suspended", "expired", "terminated"]));
    let (s, _) = post(app, &viewer, "/api/v1/agreements", base.clone()).await;
    assert_eq!(s, 403, "viewers record nothing");

    // Negotiating → signed, in order, never in the future.
    let (s, n) = post(app, &officer, "/api/v1/agreements", base.clone()).await;
    assert_eq!(s, 201, "{n}");
    assert_eq!(n["status"], "negotiating");
    let path = format!("/api/v1/agreements/{}/statuses", n["id"].as_str().unwrap());
    let (s, e) = post(
        app,
        &officer,
        &path,
        json!({"status": "in_force", "on_date": date(0)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["status"].is_string());
    let (s, e) = post(
        app,
        &officer,
        &path,
        json!({"status": "signed", "on_date": date(1)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["on_date"].is_string());
    let (s, e) = post(
        app,
        &officer,
        &path,
        json!({"status": "signed", "on_date": date(-400)}),
    )
    .await;
    assert_eq!(s, 422, "before the negotiations began: {e}");
    let (s, r) = post(
        app,
        &officer,
        &path,
        json!({"status": "signed", "on_date": date(0), "note": "Ký tại Tokyo"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "signed");
    assert_eq!(r["signed_on"], date(0));
    assert_eq!(r["history"][1]["note"], "Ký tại Tokyo");

    // Edits are version-checked and never rewrite the history.
    let id = a["id"].as_str().unwrap();
    let mut edit = base.clone();
    edit["title_vi"] = json!("Bản ghi nhớ về hợp tác lãnh sự");
    edit["signed_on"] = json!("2020-01-01");
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(s, 422, "the version is required: {e}");
    edit["version"] = a["version"].clone();
    let (s, u) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    assert_eq!(u["signed_on"], "2026-02-10");
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/agreements/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 409, "a stale version");
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/agreements/{id}/history"),
            None,
        )
        .await;
    assert_eq!(
        h.as_array().unwrap().len(),
        2,
        "create and update audited: {h}"
    );

    // Its texts in each language: files checked by content, readable by the agreement's readers.
    let pdf = b"%PDF-1.7\n% Ban tieng Viet\n".to_vec();
    let r = app
        .anon()
        .post(app.url(&format!(
            "/api/v1/agreements/{id}/attachments?name=ban-tieng-viet.pdf"
        )))
        .bearer_auth(&officer)
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let file: Value = r.json().await.unwrap();
    let r = app
        .anon()
        .post(app.url(&format!(
            "/api/v1/agreements/{id}/attachments?name=trang.html"
        )))
        .bearer_auth(&officer)
        .body(b"<html><script>x</script></html>".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "no markup");
    let r = app
        .anon()
        .post(app.url(&format!("/api/v1/agreements/{id}/attachments?name=x.pdf")))
        .bearer_auth(&viewer)
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (_, files) = app
        .api(
            &viewer,
            Method::GET,
            &format!("/api/v1/agreements/{id}/attachments"),
            None,
        )
        .await;
    assert_eq!(files.as_array().unwrap().len(), 1, "{files}");
    let got = app
        .signed_in("viewer")
        .await
        .get(&format!(
            "/agreements/{id}/attachments/{}",
            file["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(got.status(), 200);
    assert!(
        got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    // The same file id is not reachable through another record's path.
    let r = app
        .signed_in("viewer")
        .await
        .get(&format!(
            "/activities/{id}/attachments/{}",
            file["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 404);

    // The partner's dossier lists it; the expiry watch does not (2031).
    let (_, list) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/agreements?expiring=true",
            None,
        )
        .await;
    assert_eq!(list["total"], 0, "{list}");
    let partner = a["partners"][0]["id"].as_str().unwrap();
    let page = app
        .signed_in("viewer")
        .await
        .get(&format!("/partners/{partner}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bản ghi nhớ về hợp tác lãnh sự"));
}

async fn provincial_deadlines_count_working_days_and_holidays(app: &TestApp) {
    let root = app.token("root").await;
    let admin = app.token("admin").await;
    let (s, p) = post(
        app,
        &root,
        "/api/v1/agencies",
        json!({"code": "SNV-HP", "name_vi": "Sở Ngoại vụ Hải Phòng",
        "pillar": "state", "level": "provincial", "province_code": "VN34-01"}),
    )
    .await;
    assert_eq!(s, 201, "{p}");
    // A provincial department's own agreement follows Decree 64/2021: the
    // Law's steps are not asked of it.
    let (s, dept) = post(app, &root, "/api/v1/agreements", json!({"kind": "international_agreement",
        "title_vi": "Thỏa thuận giữa Sở Ngoại vụ Hải Phòng và Sở Quốc tế tỉnh Kanagawa", "owner_agency": "SNV-HP",
        "signed_for": "attached_unit", "signed_on": "2026-09-15"})).await;
    assert_eq!(s, 201, "{dept}");
    assert_eq!(dept["provincial"], false);
    let (s, e) = post(
        app,
        &root,
        &format!("/api/v1/agreements/{}/steps", dept["id"].as_str().unwrap()),
        json!({"kind": "report", "done_on": "2026-09-20"}),
    )
    .await;
    assert_eq!(s, 422);
    assert!(e.to_string().contains("Điều 18, 19"), "{e}");
    let (s, e) = post(
        app,
        &root,
        "/api/v1/agreements",
        json!({"kind": "international_agreement",
        "title_vi": "Thỏa thuận X", "owner_agency": "SNV-HP", "signed_for": "the_mayor"}),
    )
    .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["signed_for"].is_string(), "{e}");
    // In the name of the city's People's Committee: the Law's steps apply.
    let (s, a) = post(app, &root, "/api/v1/agreements", json!({"kind": "international_agreement",
        "title_vi": "Thỏa thuận hợp tác giữa thành phố Hải Phòng và tỉnh Kanagawa", "owner_agency": "SNV-HP",
        "signed_for": "provincial_committee", "signed_on": "2026-09-15"})).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["provincial"], true);
    assert_eq!(a["signed_for"], "provincial_committee");
    let steps = format!("/api/v1/agreements/{}/steps", a["id"].as_str().unwrap());
    // Requested on Friday 28/08/2026; answered Wednesday 9/09.
    let (s, r) = post(
        app,
        &root,
        &steps,
        json!({"kind": "opinion", "body": "Bộ Ngoại giao",
        "requested_on": "2026-08-28", "done_on": "2026-09-09"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let opinion = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "opinion")
        .unwrap()
        .clone();
    assert_eq!(
        opinion["due"], "2026-09-08",
        "7 working days over one weekend"
    );
    assert_eq!(opinion["late"], true);
    let decision = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "decision")
        .unwrap()
        .clone();
    assert_eq!(
        decision["missing"], true,
        "signed without a recorded decision"
    );
    let report = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "report")
        .unwrap()
        .clone();
    assert_eq!(report["due"], "2026-09-30", "15 days after signing");
    assert_eq!(report["late"], true);
    // Still not done: it says by how many days.
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let due = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    assert_eq!(report["overdue_days"], (today - due).num_days(), "{report}");
    // The board lists the late steps of one signed a month ago.
    let (s, recent) = post(
        app,
        &root,
        "/api/v1/agreements",
        json!({"kind": "international_agreement",
        "title_vi": "Bản ghi nhớ giữa Hải Phòng và Incheon", "owner_agency": "SNV-HP",
        "signed_for": "provincial_committee",
        "signed_on": (today - Duration::days(30)).to_string()}),
    )
    .await;
    assert_eq!(s, 201, "{recent}");
    let (s, b) = app
        .api(&root, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(s, 200, "{b}");
    let id = recent["id"].as_str().unwrap();
    let late: Vec<(&str, &str, i64)> = b["late_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["agreement"]["id"].as_str().unwrap(),
                l["step"]["kind"].as_str().unwrap(),
                l["step"]["overdue_days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(late.contains(&(id, "decision", 30)), "{b}");
    assert!(late.contains(&(id, "report", 15)), "{b}");
    // A reader who may not see the agreement is not told of its steps.
    let officer = app.token("officer").await;
    let (_, b) = app
        .api(&officer, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert!(!b["late_steps"].to_string().contains(id), "{b}");
    // National Day: 1 and 2 September are off; the answer came in time after all.
    let (s, n) = post(
        app,
        &admin,
        "/api/v1/calendar-days",
        json!({"from": "2026-09-01", "to": "2026-09-02",
        "kind": "holiday", "name": "Quốc khánh"}),
    )
    .await;
    assert_eq!(s, 201, "{n}");
    assert_eq!(n, 2);
    let (s, e) = post(
        app,
        &admin,
        "/api/v1/calendar-days",
        json!({"from": "2026-09-03", "kind": "workday", "name": "x"}),
    )
    .await;
    assert_eq!(s, 422, "a Thursday is already a working day: {e}");
    let (_, v) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/agreements/{}", a["id"].as_str().unwrap()),
            None,
        )
        .await;
    let opinion = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "opinion")
        .unwrap()
        .clone();
    assert_eq!(opinion["due"], "2026-09-10");
    assert_eq!(opinion["late"], false);
    let (_, days) = app
        .api(&admin, Method::GET, "/api/v1/calendar-days?year=2026", None)
        .await;
    assert_eq!(days.as_array().unwrap().len(), 2, "{days}");
    // The report arrives on day 14: no longer late.
    let (s, r) = post(
        app,
        &root,
        &steps,
        json!({"kind": "report", "done_on": "2026-09-29", "reference": "123/BC-UBND"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let report = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "report")
        .unwrap()
        .clone();
    assert_eq!(report["late"], false);
    // A central agency's agreement has no such steps.
    let officer = app.token("officer").await;
    let (_, c) = post(
        app,
        &officer,
        "/api/v1/agreements",
        json!({"kind": "memorandum", "title_vi": "Bản ghi nhớ", "owner_agency": "A"}),
    )
    .await;
    let (s, _) = post(
        app,
        &officer,
        &format!("/api/v1/agreements/{}/steps", c["id"].as_str().unwrap()),
        json!({"kind": "report", "done_on": date(0)}),
    )
    .await;
    assert_eq!(s, 422);
}

async fn commitments_turn_overdue_on_the_board(app: &TestApp) {
    let officer = app.token("officer").await;
    let coordinator = app.token("coordinator").await;
    let act = create(
        app,
        &officer,
        visit("Thăm chính thức Hàn Quốc", "A", vec!["Han Quoc"], -10, -8),
    )
    .await;
    let aid = act["activity"]["id"].as_str().unwrap();
    let (s, c) = post(app, &officer, "/api/v1/commitments", json!({"title": "Cử đoàn chuyên gia sang Seoul",
        "source": "activity", "source_id": aid, "owner_agency": "A1", "responsible": "Trần Văn Cường",
        "responsible_user": "officer", "due_on": date(3)})).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(
        c["partner_name"], "Hàn Quốc",
        "the activity's partner by default"
    );
    assert_eq!(c["due_state"], "soon");
    let id = c["id"].as_str().unwrap().to_string();
    let (_, b) = app
        .api(&coordinator, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["soon_total"], 1, "{b}");
    assert_eq!(b["overdue_total"], 0);
    // The deadline moves to yesterday: overdue, counted by owner and by partner.
    let mut edit = json!({"title": "Cử đoàn chuyên gia sang Seoul", "source": "activity", "source_id": aid,
        "owner_agency": "A1", "responsible_user": "officer", "due_on": date(-1), "version": c["version"]});
    let (s, u) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/commitments/{id}"),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    assert_eq!(u["due_state"], "overdue");
    assert_eq!(u["due_days"], 1);
    let (_, b) = app
        .api(&coordinator, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["overdue_total"], 1, "{b}");
    assert_eq!(b["overdue"][0]["id"], id.as_str());
    assert_eq!(b["by_owner"][0]["name"], "Cục Lãnh sự");
    assert_eq!(b["by_partner"][0]["name"], "Hàn Quốc");
    edit["version"] = json!(1);
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/commitments/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 409);
    // The activity shows what was promised; the officer's home page lists it.
    let (_, list) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/commitments?due=overdue",
            None,
        )
        .await;
    assert_eq!(list["total"], 1);
    let home = app
        .signed_in("officer")
        .await
        .get("/")
        .await
        .text()
        .await
        .unwrap();
    assert!(home.contains("Cử đoàn chuyên gia sang Seoul"));
    let page = app
        .signed_in("viewer")
        .await
        .get(&format!("/activities/{aid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Cử đoàn chuyên gia sang Seoul"));
    // Progress: dropping needs a reason; done leaves the board.
    let notes = format!("/api/v1/commitments/{id}/notes");
    let (s, e) = post(app, &officer, &notes, json!({"status": "dropped"})).await;
    assert_eq!(s, 422, "{e}");
    let (s, r) = post(
        app,
        &officer,
        &notes,
        json!({"note": "Đã làm việc với Đại sứ quán", "status": "in_progress"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = post(
        app,
        &officer,
        &notes,
        json!({"note": "Đoàn đã sang", "status": "done"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "done");
    assert_eq!(r["done_on"], date(0));
    assert_eq!(r["notes"].as_array().unwrap().len(), 2);
    let (_, b) = app
        .api(&coordinator, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["overdue_total"], 0, "{b}");
    let (s, e) = post(app, &officer, &notes, json!({"status": "open"})).await;
    assert_eq!(s, 422, "reopening says why: {e}");
    let viewer = app.token("viewer").await;
    let (s, _) = post(app, &viewer, &notes, json!({"note": "x"})).await;
    assert_eq!(s, 403);
    // The board exports to a workbook.
    let x = app
        .signed_in("coordinator")
        .await
        .get("/commitments/board.xlsx")
        .await;
    assert_eq!(x.status(), 200);
    assert!(
        x.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = x.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip container");
}

async fn scope_and_clearance_hold_on_every_new_list(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    // Promised to another agency outside the officer's scope, and a top-secret one.
    let (s, _) = post(
        app,
        &root,
        "/api/v1/commitments",
        json!({"title": "Việc của Ban Đối ngoại",
        "source": "plan", "plan": "Kế hoạch 2027", "owner_agency": "B", "due_on": date(-5)}),
    )
    .await;
    assert_eq!(s, 201);
    let mut secret = visit("Tiếp xúc đặc biệt", "A", vec!["Nhat Ban"], -3, -2);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    let act = create(app, &root, secret).await;
    let (s, c) = post(app, &root, "/api/v1/commitments", json!({"title": "Cam kết tối mật",
        "source": "activity", "source_id": act["activity"]["id"], "owner_agency": "A", "due_on": date(-2)})).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["classification"], "toi_mat", "never below its source");
    let (s, g) = post(app, &root, "/api/v1/agreements", json!({"kind": "treaty", "title_vi": "Hiệp định tối mật",
        "owner_agency": "A", "signed_on": date(-30), "expires_on": date(10), "classification": "toi_mat", "secret_item": "TOI_MAT"})).await;
    assert_eq!(s, 201, "{g}");
    let (_, b) = app
        .api(&root, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["overdue_total"], 2, "{b}");
    assert_eq!(b["expiring"].as_array().unwrap().len(), 1);
    let (_, b) = app
        .api(&officer, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["overdue_total"], 0, "not even counted: {b}");
    assert!(b["by_partner"].as_array().unwrap().is_empty());
    assert!(b["expiring"].as_array().unwrap().is_empty());
    let (_, l) = app
        .api(&officer, Method::GET, "/api/v1/commitments", None)
        .await;
    assert_eq!(l["total"], 0);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/commitments/{}", c["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/agreements/{}", g["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (_, l) = app
        .api(&officer, Method::GET, "/api/v1/agreements", None)
        .await;
    assert_eq!(l["total"], 0);
    // An officer cannot name a top-secret source, nor owe for another agency.
    let (s, e) = post(
        app,
        &officer,
        "/api/v1/commitments",
        json!({"title": "x", "source": "activity",
        "source_id": act["activity"]["id"], "owner_agency": "A", "due_on": date(1)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["source_id"].is_string());
    let (s, e) = post(
        app,
        &officer,
        "/api/v1/commitments",
        json!({"title": "x", "source": "plan", "plan": "P",
        "owner_agency": "B", "due_on": date(1)}),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["owner_agency"].is_string());
}

async fn the_list_shows_open_commitments_first_across_pages(app: &TestApp) {
    let officer = app.token("officer").await;
    let mut ids = Vec::new();
    for i in 0..52 {
        let (s, c) = post(
            app,
            &officer,
            "/api/v1/commitments",
            json!({"title": format!("Việc số {i}"),
            "source": "plan", "plan": "Kế hoạch năm", "owner_agency": "A", "due_on": date(i - 60)}),
        )
        .await;
        assert_eq!(s, 201, "{c}");
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    // The four with the earliest deadlines are done: they go to the end.
    for id in &ids[..4] {
        let (s, r) = post(
            app,
            &officer,
            &format!("/api/v1/commitments/{id}/notes"),
            json!({"status": "done", "note": "Đã xong"}),
        )
        .await;
        assert_eq!(s, 200, "{r}");
    }
    let list = |page: u32| {
        let officer = officer.clone();
        async move {
            let (_, l) = app
                .api(
                    &officer,
                    Method::GET,
                    &format!("/api/v1/commitments?page={page}"),
                    None,
                )
                .await;
            l
        }
    };
    let titles = |l: &Value| -> Vec<String> {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_string())
            .collect()
    };
    let one = list(1).await;
    assert_eq!(one["total"], 52);
    let t = titles(&one);
    assert_eq!(t.len(), 50);
    assert_eq!(t[0], "Việc số 4", "open ones first, nearest deadline first");
    assert_eq!(t[47], "Việc số 51");
    assert_eq!(&t[48..], ["Việc số 0", "Việc số 1"], "then the closed ones");
    assert_eq!(titles(&list(2).await), ["Việc số 2", "Việc số 3"]);
}

/// The dossier's timeline holds every module's records about the partner, newest
/// first, and pages by the activities without showing a record twice.
async fn the_dossier_timeline_merges_every_module(app: &TestApp) {
    let officer = app.token("officer").await;
    for d in 10..=60 {
        create(
            app,
            &officer,
            visit(
                &format!("Làm việc với Cuba lần {d}"),
                "A",
                vec!["Cuba"],
                d,
                d,
            ),
        )
        .await;
    }
    let (s, c) = post(app, &officer, "/api/v1/commitments", json!({"title": "Gửi tài liệu cho phía Cuba",
        "source": "plan", "plan": "Kế hoạch năm", "owner_agency": "A", "partner": "Cuba", "due_on": date(30)})).await;
    assert_eq!(s, 201, "{c}");
    cuba_memorandum(app, &officer).await;
    let cuba = crate::partners::partner_id(app, &officer, "Cuba").await;
    let session = app.signed_in("officer").await;
    let page = |n: u32| {
        let path = format!("/partners/{cuba}?page={n}");
        let session = &session;
        async move { session.get(&path).await.text().await.unwrap() }
    };
    let one = page(1).await;
    assert!(one.contains("Làm việc với Cuba lần 60") && one.contains("Làm việc với Cuba lần 11"));
    assert!(
        !one.contains("Làm việc với Cuba lần 10<"),
        "the 51st activity is on page 2"
    );
    assert!(
        one.contains("Gửi tài liệu cho phía Cuba"),
        "due within page 1's stretch of time"
    );
    let at = |html: &str, needle: &str| html.find(needle).unwrap();
    assert!(
        at(&one, "lần 31<") < at(&one, "Gửi tài liệu cho phía Cuba")
            && at(&one, "Gửi tài liệu cho phía Cuba") < at(&one, "lần 29<"),
        "newest first, across modules"
    );
    assert_eq!(
        one.matches("Bản ghi nhớ hợp tác văn hóa với Cuba").count(),
        1,
        "in the agreements section only, not on page 1 of the timeline"
    );
    let two = page(2).await;
    assert!(two.contains("Làm việc với Cuba lần 10<"));
    assert!(!two.contains("Làm việc với Cuba lần 11<"));
    assert!(
        two.contains("t-agreement"),
        "signed 20 days ago: the last page"
    );
    assert!(!two.contains("t-commitment"));
}

/// The dossier's agreements and open commitments sections show the first 20
/// and, when there are more, link to the list filtered by the partner.
async fn the_dossier_shows_twenty_and_links_to_the_rest(app: &TestApp) {
    let officer = app.token("officer").await;
    let commit = |n: i64| {
        let officer = &officer;
        async move {
            let (s, c) = post(app, officer, "/api/v1/commitments", json!({"title": format!("Việc thứ {n} với Cuba"),
                "source": "plan", "plan": "Kế hoạch năm", "owner_agency": "A", "partner": "Cuba", "due_on": date(n)})).await;
            assert_eq!(s, 201, "{c}");
        }
    };
    for n in 1..=20 {
        commit(n).await;
    }
    cuba_memorandum(app, &officer).await;
    let cuba = crate::partners::partner_id(app, &officer, "Cuba").await;
    let session = app.signed_in("officer").await;
    let section = || async {
        let html = session
            .get(&format!("/partners/{cuba}"))
            .await
            .text()
            .await
            .unwrap();
        let at = html
            .find("id=\"commitments\"")
            .expect("the commitments section");
        (html[at..].to_string(), html)
    };
    let link = format!("/commitments?partner={cuba}");
    let (open, html) = section().await;
    assert!(open.contains("Việc thứ 1 với Cuba<") && open.contains("Việc thứ 20 với Cuba<"));
    assert!(!open.contains(&link), "all 20 shown: nothing more to see");
    assert!(
        !html.contains(&format!("/agreements?partner={cuba}")),
        "one agreement, shown"
    );
    commit(21).await;
    let (open, _) = section().await;
    assert!(
        open.contains("Việc thứ 20 với Cuba<") && !open.contains("Việc thứ 21 với Cuba<"),
        "the twenty nearest deadlines"
    );
    assert!(open.contains(&link), "the rest one click away");
    let list = session.get(&link).await.text().await.unwrap();
    assert!(list.contains("Việc thứ 21 với Cuba<") && list.contains("Việc thứ 1 với Cuba<"));
}

/// A memorandum with Cuba signed 20 days ago, owned by agency A.
async fn cuba_memorandum(app: &TestApp, token: &str) {
    let (s, g) = post(app, token, "/api/v1/agreements", json!({"kind": "memorandum",
        "title_vi": "Bản ghi nhớ hợp tác văn hóa với Cuba", "owner_agency": "A", "partners": ["Cuba"],
        "signed_on": date(-20)})).await;
    assert_eq!(s, 201, "{g}");
}

/// The board's expiring agreements and the list's expiring filter: live ones
/// within the watch window (or already past their date), nearest first;
/// expired and far-off ones not.
async fn the_board_lists_expiring_agreements_nearest_first(app: &TestApp) {
    let root = app.token("root").await;
    // Signed the later, the sooner they expire: the signing order is the reverse.
    for (i, (title, expires, status)) in [
        ("Hiệp định hết hạn sau 40 ngày", 40, None),
        ("Hiệp định hết hạn sau 5 ngày", 5, None),
        ("Hiệp định đã quá hạn 3 ngày", -3, None),
        ("Hiệp định còn 2 năm", 730, None),
        ("Hiệp định đã hết hiệu lực", -1, Some("expired")),
    ]
    .into_iter()
    .enumerate()
    {
        let (s, g) = post(
            app,
            &root,
            "/api/v1/agreements",
            json!({"kind": "treaty", "title_vi": title,
            "owner_agency": "A", "signed_on": date(-800 - 10 * i as i64), "expires_on": date(expires)}),
        )
        .await;
        assert_eq!(s, 201, "{g}");
        if let Some(status) = status {
            let path = format!("/api/v1/agreements/{}/statuses", g["id"].as_str().unwrap());
            for (st, on) in [("in_force", -700), (status, -1)] {
                let (s, e) = post(
                    app,
                    &root,
                    &path,
                    json!({"status": st, "on_date": date(on)}),
                )
                .await;
                assert_eq!(s, 200, "{e}");
            }
        }
    }
    let (_, b) = app
        .api(&root, Method::GET, "/api/v1/commitments/board", None)
        .await;
    let titles = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["title_vi"].as_str().unwrap().to_string())
            .collect()
    };
    let nearest_first = [
        "Hiệp định đã quá hạn 3 ngày",
        "Hiệp định hết hạn sau 5 ngày",
        "Hiệp định hết hạn sau 40 ngày",
    ];
    assert_eq!(titles(&b["expiring"]), nearest_first, "{b}");
    // The list's "expiring" filter: the same agreements in the same order.
    let (_, l) = app
        .api(&root, Method::GET, "/api/v1/agreements?expiring=true", None)
        .await;
    assert_eq!(l["total"], 3, "{l}");
    assert_eq!(titles(&l["items"]), nearest_first, "{l}");
}

/// A commitment answers to the readers of the record it came from: when the
/// activity's lead agency or classification, or the agreement's owner, changes,
/// the commitment follows — gone from the old owner's readers in the list, the
/// totals, the board, search and the partner's dossier.
async fn a_commitment_follows_its_sources_new_owner(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let act = create(
        app,
        &root,
        visit(
            "Đối thoại chiến lược Hàn Quốc",
            "A",
            vec!["Han Quoc"],
            -6,
            -5,
        ),
    )
    .await;
    let aid = act["activity"]["id"].as_str().unwrap().to_string();
    // Owed by the Party's agency B, seen in A's scope because it came from A's activity.
    let (s, c) = post(
        app,
        &root,
        "/api/v1/commitments",
        json!({"title": "Trao đổi đoàn nghiên cứu Hải Phòng",
        "source": "activity", "source_id": aid, "owner_agency": "B", "due_on": date(-1)}),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    let cid = c["id"].as_str().unwrap().to_string();
    let korea = crate::partners::partner_id(app, &root, "Han Quoc").await;
    let seen = |token: String| {
        let (cid, korea) = (cid.clone(), korea.clone());
        async move {
            let (one, _) = app
                .api(
                    &token,
                    Method::GET,
                    &format!("/api/v1/commitments/{cid}"),
                    None,
                )
                .await;
            let (_, list) = app
                .api(&token, Method::GET, "/api/v1/commitments", None)
                .await;
            let (_, board) = app
                .api(&token, Method::GET, "/api/v1/commitments/board", None)
                .await;
            let (_, of_partner) = app
                .api(
                    &token,
                    Method::GET,
                    &format!("/api/v1/commitments?partner={korea}"),
                    None,
                )
                .await;
            let by_partner = board["by_partner"].as_array().unwrap().len();
            [
                (one == 200) as i64,
                list["total"].as_i64().unwrap(),
                board["overdue_total"].as_i64().unwrap(),
                by_partner as i64,
                of_partner["total"].as_i64().unwrap(),
            ]
        }
    };
    let title = "Trao đổi đoàn nghiên cứu Hải Phòng";
    let found = |token: String, present: bool| async move {
        crate::search::until_found(app, &token, "doan nghien cuu Hai Phong", title, present).await;
    };
    assert_eq!(seen(officer.clone()).await, [1; 5], "A's officer sees it");
    found(officer.clone(), true).await;
    // The activity moves to B: the commitment is B's alone.
    let mut edit = visit(
        "Đối thoại chiến lược Hàn Quốc",
        "B",
        vec!["Han Quoc"],
        -6,
        -5,
    );
    edit["version"] = act["activity"]["version"].clone();
    let (s, moved) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{aid}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{moved}");
    assert_eq!(seen(officer.clone()).await, [0; 5], "gone from A's readers");
    found(officer.clone(), false).await;
    assert_eq!(seen(root.clone()).await, [1; 5]);
    found(root.clone(), true).await;
    // Back to A, now top secret: the commitment rises with it, above the officer.
    let mut edit = visit(
        "Đối thoại chiến lược Hàn Quốc",
        "A",
        vec!["Han Quoc"],
        -6,
        -5,
    );
    edit["version"] = moved["activity"]["version"].clone();
    edit["classification"] = json!("toi_mat");
    edit["secret_item"] = json!("TOI_MAT");
    let (s, _) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{aid}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        seen(officer.clone()).await,
        [0; 5],
        "above the officer's clearance"
    );
    found(officer.clone(), false).await;
    let (_, c) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/commitments/{cid}"),
            None,
        )
        .await;
    assert_eq!(c["classification"], "toi_mat", "{c}");
    // An agreement's owner changing carries its commitments too.
    let (s, g) = post(app, &root, "/api/v1/agreements", json!({"kind": "memorandum",
        "title_vi": "Bản ghi nhớ hợp tác nghiên cứu biển", "owner_agency": "A", "partners": ["Han Quoc"],
        "signed_on": date(-40)})).await;
    assert_eq!(s, 201, "{g}");
    let gid = g["id"].as_str().unwrap();
    let (s, k) = post(
        app,
        &root,
        "/api/v1/commitments",
        json!({"title": "Khảo sát chung vùng biển",
        "source": "agreement", "source_id": gid, "owner_agency": "B", "due_on": date(20)}),
    )
    .await;
    assert_eq!(s, 201, "{k}");
    let path = format!("/api/v1/commitments/{}", k["id"].as_str().unwrap());
    let (s, _) = app.api(&officer, Method::GET, &path, None).await;
    assert_eq!(s, 200, "seen through A's agreement");
    let (s, e) = app
        .api(&root, Method::PUT, &format!("/api/v1/agreements/{gid}"), Some(json!({"kind": "memorandum",
            "title_vi": "Bản ghi nhớ hợp tác nghiên cứu biển", "owner_agency": "B", "partners": ["Han Quoc"],
            "version": g["version"]})))
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, _) = app.api(&officer, Method::GET, &path, None).await;
    assert_eq!(
        s, 404,
        "the agreement is B's now, and so is what it promised"
    );
    let (_, h) = app
        .api(&root, Method::GET, &format!("{path}/history"), None)
        .await;
    assert!(h.to_string().contains("follow_source"), "audited: {h}");
}

both!(
    a_commitment_follows_its_sources_new_owner,
    the_board_lists_expiring_agreements_nearest_first,
    the_dossier_shows_twenty_and_links_to_the_rest,
    the_dossier_timeline_merges_every_module,
    the_list_shows_open_commitments_first_across_pages,
    agreement_history_follows_the_rules,
    provincial_deadlines_count_working_days_and_holidays,
    commitments_turn_overdue_on_the_board,
    scope_and_clearance_hold_on_every_new_list,
);
