//! What an attack from outside found, each pinned: hidden partners named or
//! numbered by public records, filters answering as oracles, classified versions
//! in history, hostile files and forms, formulas in CSV, weak passwords and
//! tokens outliving the password.

use crate::activities::{create, visit};
use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use crate::search::{partner, search, until_found};
use reqwest::Method;
use serde_json::{Value, json};

fn date(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::days(days))
        .date_naive()
        .to_string()
}

/// Everything an officer (cleared for Mật) reads of public records that link a
/// Tối mật partner: never its name, never its id; filters by its id answer as
/// for an id nobody knows.
async fn a_hidden_partner_is_not_named_or_numbered_by_public_records(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let p = partner(
        app,
        &root,
        json!({"kind": "ngo", "name_vi": "Quỹ Rồng Vàng", "classification": "toi_mat", "secret_item": "TOI_MAT"}),
    )
    .await;
    let first = create(app, &root, visit("Tiếp đoàn Rồng", "A", vec![&p], 3, 4)).await;
    create(
        app,
        &root,
        visit("Làm việc với đoàn Rồng", "A", vec![&p], 5, 5),
    )
    .await;
    let (s, c) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/commitments",
            Some(
                json!({"title": "Gửi tài liệu cho đoàn Rồng", "source": "plan",
                "plan": "Kế hoạch 2027", "owner_agency": "A", "partner": p, "due_on": date(-3)}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let cid = c["commitment"]["id"]
        .as_str()
        .or(c["id"].as_str())
        .unwrap()
        .to_string();
    let aid = first["activity"]["id"].as_str().unwrap().to_string();
    // Search: the public activity is found by its own words, never by the
    // partner's name, and its snippet does not carry it.
    until_found(app, &root, "tiep doan rong", "Tiếp đoàn Rồng", true).await;
    let (_, v) = search(app, &officer, "rong vang", "").await;
    assert_eq!(v["total"], 0, "{v}");
    let (_, v) = search(app, &officer, "doan rong", "").await;
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
    let text = v.to_string();
    assert!(!text.contains("Rồng Vàng") && !text.contains(&p), "{text}");
    let html = app
        .signed_in("officer")
        .await
        .get("/search?q=doan+rong")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Tiếp") && !html.contains("Rồng Vàng"),
        "{html}"
    );
    // Records, lists, the board, warnings, history: neither name nor id.
    for path in [
        format!("/api/v1/activities/{aid}"),
        format!("/api/v1/activities/{aid}/history"),
        "/api/v1/activities".to_string(),
        "/api/v1/commitments".to_string(),
        format!("/api/v1/commitments/{cid}"),
        format!("/api/v1/commitments/{cid}/history"),
        "/api/v1/commitments/board".to_string(),
        "/api/v1/coordination".to_string(),
    ] {
        let (s, v) = app.api(&officer, Method::GET, &path, None).await;
        assert_eq!(s, 200, "{path}: {v}");
        let text = v.to_string();
        assert!(
            !text.contains(&p) && !text.contains("Rồng Vàng"),
            "{path} names the hidden partner: {text}"
        );
    }
    let (_, board) = app
        .api(&officer, Method::GET, "/api/v1/commitments/board", None)
        .await;
    let sum: u64 = board["by_partner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["overdue"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, board["overdue_total"].as_u64().unwrap(), "{board}");
    let sess = app.signed_in("officer").await;
    for path in [
        format!("/commitments/{cid}/edit"),
        "/commitments/board".to_string(),
    ] {
        let html = sess.get(&path).await.text().await.unwrap();
        assert!(!html.contains(&p), "{path}");
    }
    // Filters: the hidden id answers as an unknown one.
    let unknown = uuid::Uuid::new_v4().to_string();
    for list in [
        "/api/v1/activities?partner=",
        "/api/v1/agreements?partner=",
        "/api/v1/commitments?partner=",
    ] {
        let (s1, hidden) = app
            .api(&officer, Method::GET, &format!("{list}{p}"), None)
            .await;
        let (s2, random) = app
            .api(&officer, Method::GET, &format!("{list}{unknown}"), None)
            .await;
        assert_eq!((s1, &hidden["total"]), (s2, &random["total"]), "{list}");
        assert_eq!(hidden["total"], 0, "{list}");
    }
    let (s, all) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities?partner={p}"),
            None,
        )
        .await;
    assert_eq!((s, all["total"].as_u64()), (200, Some(2)));
    let month = |id: &str| format!("/calendar?partner={id}");
    let shown_hidden = sess.get(&month(&p)).await.text().await.unwrap();
    let shown_random = sess.get(&month(&unknown)).await.text().await.unwrap();
    assert!(!shown_hidden.contains("Tiếp đoàn Rồng"));
    assert_eq!(
        shown_hidden.matches("Tiếp đoàn").count(),
        shown_random.matches("Tiếp đoàn").count()
    );
    // The officer edits the activity without seeing the partner: the link stays.
    let mut edit = visit("Tiếp đoàn Rồng (sửa)", "A", vec!["Nhat Ban"], 3, 4);
    edit["version"] = json!(1);
    let (s, r) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/activities/{aid}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert!(!r.to_string().contains(&p));
    let (_, seen) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities/{aid}"),
            None,
        )
        .await;
    let ids: Vec<&str> = seen["partners"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["id"].as_str())
        .collect();
    assert!(ids.contains(&p.as_str()) && ids.len() == 2, "{seen}");
}

/// A record declassified: its classified version stays out of the history and
/// the audit browser of anyone not cleared for it.
async fn a_declassified_record_keeps_its_past_from_uncleared_readers(app: &TestApp) {
    let root = app.token("root").await;
    let mut body = visit("Kế hoạch Hải Âu", "A", vec!["Nhat Ban"], 8, 9);
    body["classification"] = json!("toi_mat");
    body["secret_item"] = json!("TOI_MAT");
    body["purpose"] = json!("Chuẩn bị chuyến thăm bí mật");
    let a = create(app, &root, body.clone()).await;
    let id = a["activity"]["id"].as_str().unwrap().to_string();
    let mut edit = body;
    edit["classification"] = json!("none");
    edit["title"] = json!("Giao lưu công khai");
    edit["purpose"] = json!("Giao lưu");
    edit["version"] = json!(1);
    let (s, r) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/activities/{id}"),
            Some(edit),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let officer = app.token("officer").await;
    let (s, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}/history"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{h}");
    let text = h.to_string();
    assert!(text.contains("Giao lưu công khai"), "{text}");
    assert!(
        !text.contains("Hải Âu") && !text.contains("bí mật"),
        "{text}"
    );
    let admin = app.token("admin").await;
    let (s, v) = app
        .api(
            &admin,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["total"].as_u64().unwrap() >= 1);
    assert!(!v.to_string().contains("Hải Âu"));
    let html = app
        .signed_in("officer")
        .await
        .get(&format!("/activities/{id}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Giao lưu công khai") && !html.contains("Hải Âu"));
    // Root, cleared for it, still reads both versions.
    let (_, h) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/activities/{id}/history"),
            None,
        )
        .await;
    assert!(h.to_string().contains("Hải Âu"));
}

/// Input that once cost seconds, gigabytes or a 500 is refused at once with a
/// message that says what to fix.
async fn hostile_input_is_refused_cheaply(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // Ten thousand aliases: refused by the limit, not after pairwise work.
    let many: Vec<String> = (0..10_000).map(|i| format!("Tên khác {i}")).collect();
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "party", "name_vi": "Đảng Thử", "aliases": many})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["aliases"].is_string(), "{e}");
    // Pages past any range are refused by name; the last allowed one clamps
    // to the list's last page.
    for path in [
        "/api/v1/audit?page=9223372036854775807",
        "/api/v1/audit?page=18446744073709551615",
        "/api/v1/activities?page=0",
    ] {
        let (s, v) = app.api(&root, Method::GET, path, None).await;
        assert_eq!(s, 400, "{path}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().contains("1–100000"));
    }
    let (s, v) = app
        .api(&root, Method::GET, "/api/v1/audit?page=100000", None)
        .await;
    assert_eq!(s, 200, "{v}");
    let root_session = app.signed_in("root").await;
    assert_eq!(
        root_session
            .get("/audit?page=9223372036854775807")
            .await
            .status(),
        400
    );
    assert_eq!(root_session.get("/audit?page=100000").await.status(), 200);
    // Control characters are dropped at the edge, on both databases alike.
    for path in [
        "/api/v1/activities?type_code=%00",
        "/api/v1/audit?action=%00",
        "/api/v1/partners?q=a%00b",
        "/api/v1/search?q=%00",
        "/api/v1/commitments?q=%00%01",
    ] {
        let (s, v) = app.api(&root, Method::GET, path, None).await;
        assert!(s == 200 || s == 422, "{path}: {v}");
    }
    let (s, v) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "party", "name_vi": "Đảng\u{0}Thử", "notes": "a\u{0}\nb"})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["name_vi"], "ĐảngThử");
    // A workbook of 1.4 KB naming A1 and the last cell of a sheet.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Tên tiếng Việt").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = app
        .anon()
        .post(app.url("/api/v1/partners/import?dry_run=true"))
        .bearer_auth(&officer)
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("quá lớn"));
    // Fullwidth letters are the letters they look like.
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "other_organisation", "name_vi": "Ｈàn Ｑuốc"})),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "duplicate");
}

/// Formulas are neutralised in every CSV export and refused by the import.
async fn csv_carries_no_formula(app: &TestApp) {
    let officer = app.token("officer").await;
    partner(
        app,
        &officer,
        json!({"kind": "ngo", "name_vi": "=HYPERLINK(\"http://evil.example\",\"Mở\")",
               "notes": "@SUM(1+1)"}),
    )
    .await;
    let csv = app
        .signed_in("officer")
        .await
        .get("/partners.csv?q=hyperlink")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",=") && !csv.contains("\n=") && !csv.contains("\"="));
    let file = "Tên tiếng Việt,Loại đối tác\n=cmd|' /C calc'!A0,Tổ chức phi chính phủ nước ngoài\n";
    let r = app
        .anon()
        .post(app.url("/api/v1/partners/import?dry_run=true"))
        .bearer_auth(&officer)
        .body(file)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["problems"][0]["row"], 2, "{v}");
    assert!(v.to_string().contains("công thức"), "{v}");
}

/// Common passwords are refused; tokens end with the password and with a
/// disabled account.
async fn passwords_must_be_uncommon_and_tokens_end_with_them(app: &TestApp) {
    let s = app.signed_in("officer").await;
    let token = app.token("officer").await;
    for weak in ["123456789012", "passwordpassword", "Password1234"] {
        let r = s
            .client
            .post(app.url("/api/v1/me/password"))
            .header("x-csrf-token", &s.csrf)
            .json(&json!({"current_password": PASSWORD, "new_password": weak}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{weak}");
    }
    let (st, _) = app.api(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(st, 200);
    let r = s
        .client
        .post(app.url("/api/v1/me/password"))
        .header("x-csrf-token", &s.csrf)
        .json(&json!({"current_password": PASSWORD, "new_password": "sông Hồng chảy về biển Đông"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (st, _) = app.api(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(st, 401, "a token made before the change no longer works");
    // Disabled and enabled again: the viewer's token from before is over.
    let viewer = app.token("viewer").await;
    let root = app.token("root").await;
    let id = app.users["viewer"];
    for action in ["disable", "enable"] {
        let (st, v) = app
            .api(
                &root,
                Method::POST,
                &format!("/api/v1/users/{id}/{action}"),
                None,
            )
            .await;
        assert_eq!(st, 200, "{v}");
    }
    let (st, _) = app.api(&viewer, Method::GET, "/api/v1/me", None).await;
    assert_eq!(st, 401);
}

/// A classified agency created in a reader's scope does not move what the
/// reader is told about their scope.
async fn a_classified_agency_does_not_show_in_my_scope(app: &TestApp) {
    let officer = app.token("officer").await;
    let (_, before) = app.api(&officer, Method::GET, "/api/v1/me", None).await;
    let root = app.token("root").await;
    let a = app.agencies["A"].id;
    let (s, v) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/agencies",
            Some(
                json!({"code": "TM2", "name_vi": "Đơn vị tối mật hai", "pillar": "state",
                "level": "central", "parent_id": a, "classification": "toi_mat", "secret_item": "TOI_MAT"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (_, after) = app.api(&officer, Method::GET, "/api/v1/me", None).await;
    assert_eq!(before["read_scope_agencies"], after["read_scope_agencies"]);
    let (_, root_after) = app.api(&root, Method::GET, "/api/v1/me", None).await;
    assert!(root_after["read_scope_agencies"].is_null());
}

both!(
    a_hidden_partner_is_not_named_or_numbered_by_public_records,
    a_declassified_record_keeps_its_past_from_uncleared_readers,
    hostile_input_is_refused_cheaply,
    csv_carries_no_formula,
    passwords_must_be_uncommon_and_tokens_end_with_them,
    a_classified_agency_does_not_show_in_my_scope,
);
