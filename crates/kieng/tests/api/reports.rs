//! Review reports: figures counted as the reader sees the records, capped at
//! the report's classification and never above the reader's; the workflow
//! and who moves it; the frozen figures of a submitted report; numbers from
//! the issuing agency's register; the Decree-30 document read back by
//! python-docx; bad input answered 422 with nothing written.

use crate::activities::{create, day, step};
use crate::both;
use crate::briefing::read;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

both!(a_review_counts_what_its_reader_may_see_and_freezes_when_submitted);
both!(the_report_workflow_answers_bad_moves_and_input);

fn ymd(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
        .date_naive()
        .to_string()
}

/// A report over the days from a month ago to two months ahead.
fn report(title: &str, classification: &str) -> Value {
    let mut r = json!({"title": title, "period": "custom", "from": ymd(-30), "to": ymd(60),
        "scope": "all", "recipients": ["Ban Thường vụ"], "signer_position": "Bộ trưởng",
        "classification": classification});
    if classification != "none" {
        r["secret_item"] = json!(classification.to_uppercase());
    }
    r
}

/// An activity carried through to "approved".
async fn approved(app: &TestApp, writer: &str, leader: &str, body: Value) -> Value {
    let a = create(app, writer, body).await;
    let (s, e) = step(app, writer, &a, "submit", None).await;
    assert_eq!(s, 200, "{e}");
    let (s, e) = step(app, leader, &a, "approve", None).await;
    assert_eq!(s, 200, "{e}");
    a
}

fn total(r: &Value) -> (i64, i64) {
    let t = &r["sections"][0]["tables"][0]["rows"][0];
    (t["now"].as_i64().unwrap(), t["before"].as_i64().unwrap())
}

fn texts(d: &Value) -> Vec<String> {
    d["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

async fn get(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    app.api(token, Method::GET, &format!("/api/v1/reports/{id}"), None)
        .await
}

async fn a_review_counts_what_its_reader_may_see_and_freezes_when_submitted(app: &TestApp) {
    let officer = app.token("officer").await;
    let leader = app.token("leader").await;
    let root = app.token("root").await;
    // A leader of agency A cleared for Tối mật, to approve the Tối mật activity.
    let form = kieng_domain::user::UserForm {
        username: "lanhdao.tm".into(),
        agency_id: app.agencies["A"].id.to_string(),
        role: "leader".into(),
        scope: "agency".into(),
        clearance: "toi_mat".into(),
        ..Default::default()
    };
    let input =
        kieng_domain::user::UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    let u = app.store.user_add_cli(&input, PASSWORD).await.unwrap();
    let tm_leader = app
        .store
        .token_create(u.id, "test", &kieng_store::audit::Origin::default())
        .await
        .unwrap()
        .1;

    for d in [5, 6] {
        approved(
            app,
            &officer,
            &leader,
            json!({"title": format!("Hội đàm với Nhật Bản {d}"), "type_code": "talks", "lead_agency": "A",
                "partners": ["Nhật Bản"], "starts_at": day(d, 9), "ends_at": day(d, 11)}),
        )
        .await;
    }
    // A draft is not a result.
    create(
        app,
        &officer,
        json!({"title": "Dự thảo đoàn ra", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(7, 9), "ends_at": day(7, 11)}),
    )
    .await;
    let secret = |title: &str, level: &str| {
        json!({"title": title, "type_code": "talks", "lead_agency": "A", "partners": ["Nhật Bản"],
            "starts_at": day(8, 9), "ends_at": day(8, 11),
            "classification": level, "secret_item": level.to_uppercase()})
    };
    approved(
        app,
        &root,
        &leader,
        secret("Tham vấn mật với Nhật Bản", "mat"),
    )
    .await;
    approved(
        app,
        &root,
        &tm_leader,
        secret("Trao đổi tối mật với Nhật Bản", "toi_mat"),
    )
    .await;

    let new = |token: String, body: Value| async move {
        let (s, r) = app
            .api(&token, Method::POST, "/api/v1/reports", Some(body))
            .await;
        assert_eq!(s, 201, "{r}");
        r
    };
    // Unclassified: only unclassified records count.
    let open = new(officer.clone(), report("Báo cáo công khai", "none")).await;
    assert_eq!(total(&open), (2, 0), "{open}");
    assert_eq!(open["holds"], "none");
    // Mật: the Mật activity counts, the Tối mật one never does for this reader.
    let mut urgent = report("Báo cáo mật", "mat");
    urgent["urgency"] = json!("khan");
    let mat = new(officer.clone(), urgent).await;
    assert_eq!(total(&mat), (3, 0), "{mat}");
    assert_eq!(mat["holds"], "mat");
    // Tối mật, by a reader cleared for it: everything.
    let top = new(root.clone(), report("Báo cáo tối mật", "toi_mat")).await;
    assert_eq!(total(&top), (4, 0), "{top}");
    // A Mật reader cannot ask for more than their clearance …
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/reports",
            Some(report("Vượt quyền", "toi_mat")),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["classification"].is_string(), "{e}");
    // … and the Tối mật report does not exist for them.
    let top_id = top["id"].as_str().unwrap();
    assert_eq!(get(app, &officer, top_id).await.0, 404);
    let (_, list) = app
        .api(&officer, Method::GET, "/api/v1/reports", None)
        .await;
    assert_eq!(list["total"], 2, "{list}");
    assert!(
        !list.to_string().contains(top_id),
        "absent from the officer's list"
    );
    let s = app.signed_in("officer").await;
    assert_eq!(s.get(&format!("/reports/{top_id}")).await.status(), 404);
    assert_eq!(
        s.get(&format!("/reports/{top_id}/report.docx"))
            .await
            .status(),
        404
    );

    // The documents: unclassified without a mark, Mật with one, and neither
    // holds the Tối mật activity.
    let open_id = open["id"].as_str().unwrap();
    let mat_id = mat["id"].as_str().unwrap();
    let docx = |id: String| {
        let s = &s;
        async move {
            let r = s.get(&format!("/reports/{id}/report.docx")).await;
            assert_eq!(r.status(), 200);
            read(&r.bytes().await.unwrap())
        }
    };
    let d = docx(open_id.to_string()).await;
    assert_eq!(
        (d["width"].as_i64(), d["height"].as_i64()),
        (Some(11_906), Some(16_838))
    );
    assert_eq!(
        (
            d["top"].as_i64(),
            d["bottom"].as_i64(),
            d["left"].as_i64(),
            d["right"].as_i64()
        ),
        (Some(1_134), Some(1_134), Some(1_701), Some(850))
    );
    assert_eq!(d["fonts"], json!(["Times New Roman"]));
    let t = texts(&d);
    let has = |t: &[String], s: &str| t.iter().any(|x| x.contains(s));
    assert!(has(&t, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(has(&t, "Độc lập - Tự do - Hạnh phúc"));
    assert!(has(&t, "BÁO CÁO") && has(&t, "Báo cáo công khai"));
    assert!(has(&t, "Kính gửi: Ban Thường vụ"));
    assert!(has(&t, "Số:"));
    assert!(!t.iter().any(|x| x.trim() == "MẬT"), "{t:?}");
    assert!(!t.iter().any(|x| x.trim() == "KHẨN"), "not urgent: {t:?}");
    let d = docx(mat_id.to_string()).await;
    let t = texts(&d);
    assert!(t.iter().any(|x| x.trim() == "MẬT"), "{t:?}");
    assert!(
        t.iter().any(|x| x.trim() == "KHẨN"),
        "the urgency mark: {t:?}"
    );
    assert!(!has(&t, "TỐI MẬT") && !has(&t, "tối mật"));

    // Submitting freezes the figures and parts; a later record changes the
    // draft's figures, not the submitted report's.
    let (s2, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/reports/{mat_id}/parts/assessment"),
            Some(json!({"body": "Quan hệ với Nhật Bản tiếp tục phát triển.", "revision": 0})),
        )
        .await;
    assert_eq!(s2, 200, "{e}");
    let (s2, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/reports/{mat_id}/move"),
            Some(json!({"move": "submit", "version": 1})),
        )
        .await;
    assert_eq!(s2, 200, "{e}");
    assert_eq!(e["status"], "submitted");
    assert!(e["frozen_at"].is_string());
    approved(
        app,
        &officer,
        &leader,
        json!({"title": "Tiếp Đại sứ Nhật Bản", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(9, 9), "ends_at": day(9, 11)}),
    )
    .await;
    assert_eq!(total(&get(app, &officer, open_id).await.1), (3, 0));
    let (_, frozen) = get(app, &officer, mat_id).await;
    assert_eq!(total(&frozen), (3, 0), "frozen: {frozen}");
    // Only a leader approves; the number comes from the register.
    let (s2, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/reports/{mat_id}/move"),
            Some(json!({"move": "approve", "version": 2})),
        )
        .await;
    assert_eq!(s2, 422, "{e}");
    assert!(e["error"]["fields"]["move"].is_string(), "{e}");
    let (s2, e) = app
        .api(
            &leader,
            Method::POST,
            &format!("/api/v1/reports/{mat_id}/move"),
            Some(json!({"move": "approve", "version": 2})),
        )
        .await;
    assert_eq!(s2, 200, "{e}");
    assert_eq!(e["status"], "approved");
    let number = e["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("Số: 01/BC"), "{number}");
    assert_eq!(total(&e), (3, 0), "the approved report keeps its figures");
    assert_eq!(
        e["parts"][0]["body"],
        "Quan hệ với Nhật Bản tiếp tục phát triển."
    );
    let t = texts(&docx(mat_id.to_string()).await);
    assert!(has(&t, &number), "{t:?}");
    // An approved report no longer changes.
    let (s2, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/reports/{mat_id}/parts/assessment"),
            Some(json!({"body": "Sửa sau khi duyệt", "revision": 1})),
        )
        .await;
    assert_eq!(s2, 422, "{e}");
    // The next approval of the agency takes the next number.
    for (token, v) in [(&officer, 1), (&leader, 2)] {
        let mv = if v == 1 { "submit" } else { "approve" };
        let (s2, e) = app
            .api(
                token,
                Method::POST,
                &format!("/api/v1/reports/{open_id}/move"),
                Some(json!({"move": mv, "version": v})),
            )
            .await;
        assert_eq!(s2, 200, "{e}");
    }
    let (_, reg) = app
        .api(&officer, Method::GET, "/api/v1/reports/numbers", None)
        .await;
    let numbers: Vec<&str> = reg["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), 2, "{reg}");
    assert!(numbers.iter().any(|n| n.starts_with("Số: 02/BC")), "{reg}");

    // Every table as a workbook, the print view and the list export.
    for path in [
        format!("/reports/{mat_id}/tables.xlsx"),
        format!("/reports/{mat_id}/print"),
        "/reports.xlsx".to_string(),
        "/reports".to_string(),
        "/reports/numbers".to_string(),
    ] {
        assert_eq!(s.get(&path).await.status(), 200, "{path}");
    }
    let print = s
        .get(&format!("/reports/{mat_id}/print"))
        .await
        .text()
        .await
        .unwrap();
    assert!(print.contains("print-mat.css") && print.contains(&number));
}

async fn the_report_workflow_answers_bad_moves_and_input(app: &TestApp) {
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    let leader = app.token("leader").await;
    let mut bad = report("Quý không có", "none");
    bad["period"] = json!("quarter");
    bad["year"] = json!(2026);
    bad["part"] = json!(7);
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/reports", Some(bad))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["part"].is_string(), "{e}");
    let mut bad = report("Phạm vi lạ", "none");
    bad["scope"] = json!("province");
    bad["scope_ref"] = json!("VN99-99");
    let (s, e) = app
        .api(&officer, Method::POST, "/api/v1/reports", Some(bad))
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["scope_ref"].is_string(), "{e}");
    let (s, _) = app
        .api(
            &viewer,
            Method::POST,
            "/api/v1/reports",
            Some(report("Người xem", "none")),
        )
        .await;
    assert_eq!(s, 403);
    let (_, list) = app
        .api(&officer, Method::GET, "/api/v1/reports", None)
        .await;
    assert_eq!(list["total"], 0, "nothing written: {list}");

    let (s, r) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/reports",
            Some(
                json!({"title": "Sơ kết quý", "period": "quarter", "year": 2026, "part": 3,
                "scope": "agency", "scope_ref": "A"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["period_from"], "2026-07-01");
    assert_eq!(r["previous_from"], "2026-04-01");
    let id = r["id"].as_str().unwrap();
    let part = format!("/api/v1/reports/{id}/parts/lessons");
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            &part,
            Some(json!({"body": "Bài học thứ nhất.", "revision": 0})),
        )
        .await;
    assert_eq!(s, 200);
    // Written from a revision that is no longer the latest: 409, kept.
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &part,
            Some(json!({"body": "Bản cũ", "revision": 0})),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &part,
            Some(json!({"body": "x".repeat(50_001), "revision": 1})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, _) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/reports/{id}/parts/nonsense"),
            Some(json!({"body": "", "revision": 0})),
        )
        .await;
    assert_eq!(s, 404);
    // Approving a draft, returning without a reason, a stale version.
    let mv = |m: &str, v: i32, note: Option<&str>| json!({"move": m, "version": v, "note": note});
    let path = format!("/api/v1/reports/{id}/move");
    let (s, _) = app
        .api(&leader, Method::POST, &path, Some(mv("approve", 1, None)))
        .await;
    assert_eq!(s, 422);
    let (s, _) = app
        .api(&officer, Method::POST, &path, Some(mv("submit", 9, None)))
        .await;
    assert_eq!(s, 409);
    let (s, _) = app
        .api(&officer, Method::POST, &path, Some(mv("submit", 1, None)))
        .await;
    assert_eq!(s, 200);
    let (s, e) = app
        .api(&leader, Method::POST, &path, Some(mv("return", 2, None)))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["note"].is_string(), "{e}");
    let (s, e) = app
        .api(
            &leader,
            Method::POST,
            &path,
            Some(mv("return", 2, Some("Bổ sung số liệu quý"))),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["status"], "draft");
    assert!(e["frozen_at"].is_null(), "a returned draft counts afresh");
    // The moves are in the report's history.
    let s = app.signed_in("officer").await;
    let hist = s
        .get(&format!("/reports/{id}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        hist.contains("Bổ sung số liệu quý"),
        "history shows the reason"
    );
    let page = s
        .get(&format!("/reports/{id}/parts/lessons"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bài học thứ nhất."));
}
