//! Agencies: validation, concurrency, trash, history, lineage roll-up, the
//! classification ceiling, atomicity, and hostile input.

use crate::both;
use crate::helpers::{Db, TestApp};
use reqwest::Method;
use serde_json::json;

async fn create_list_and_search_without_diacritics(app: &TestApp) {
    let t = app.token("root").await;
    let body = json!({"code": "snv-dn", "name_vi": "Sở Ngoại vụ Đà Nẵng", "pillar": "state", "level": "provincial", "province_code": "VN34-04"});
    let (s, a) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(body))
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["code"], "SNV-DN");
    assert_eq!(a["version"], 1);
    for q in [
        "da%20nang",
        "%C4%90%C3%80%20N%E1%BA%B4NG",
        "DA NANG",
        "snv-dn",
    ] {
        let (_, page) = app
            .api(&t, Method::GET, &format!("/api/v1/agencies?q={q}"), None)
            .await;
        assert_eq!(page["total"], 1, "query {q}");
    }
    // Duplicate code: a field error, in both languages.
    let (s, e) = app.api(&t, Method::POST, "/api/v1/agencies", Some(json!({"code": "SNV-DN", "name_vi": "Khác", "pillar": "state", "level": "provincial", "province_code": "VN34-04"}))).await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["code"], "invalid");
    assert!(
        e["error"]["fields"]["code"]
            .as_str()
            .unwrap()
            .contains("đã được dùng")
    );
    // A unit merged away in 2025 cannot be chosen for a new agency.
    let (s, e) = app.api(&t, Method::POST, "/api/v1/agencies", Some(json!({"code": "SNV-QNAM2", "name_vi": "Sở", "pillar": "state", "level": "provincial", "province_code": "VN-27"}))).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["province_code"].is_string());
}

async fn bad_input_gets_field_messages_in_both_languages(app: &TestApp) {
    let s = app.signed_in("root").await;
    let r = s
        .post_form(
            "/agencies",
            &[
                ("code", "Sở ngoại vụ!"),
                ("name_vi", ""),
                ("pillar", "nope"),
                ("level", "mission"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Trường này bắt buộc."));
    assert!(html.contains("Cơ quan đại diện ở nước ngoài phải có nước sở tại."));
    assert!(
        html.contains("value=\"SỞ NGOẠI VỤ!\"") || html.contains("value=\"Sở ngoại vụ!\""),
        "the form keeps the input"
    );
    let t = app.token("root").await;
    let en = app
        .anon()
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&t)
        .json(&json!({"code": "", "name_vi": "", "pillar": "", "level": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(en.status(), 422);
    // The same rule in English for an English-speaking user.
    app.store.set_locale(app.users["root"], "en").await.unwrap();
    let (_, e) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/agencies",
            Some(json!({"code": "", "name_vi": "", "pillar": "", "level": ""})),
        )
        .await;
    assert_eq!(e["error"]["fields"]["name_vi"], "This field is required.");
}

async fn stale_edit_gets_409_and_loses_nothing(app: &TestApp) {
    let t = app.token("root").await;
    let a = &app.agencies["A1"];
    let base = json!({"code": "A1", "name_vi": "Cục Lãnh sự", "pillar": "state", "level": "central", "parent_id": app.agencies["A"].id});
    let mut first = base.clone();
    first["name_vi"] = json!("Cục Lãnh sự (sửa lần 1)");
    first["version"] = json!(a.version);
    let (s, _) = app
        .api(
            &t,
            Method::PUT,
            &format!("/api/v1/agencies/{}", a.id),
            Some(first),
        )
        .await;
    assert_eq!(s, 200);
    let mut stale = base.clone();
    stale["name_vi"] = json!("Bản sửa dựa trên bản cũ");
    stale["version"] = json!(a.version);
    let (s, e) = app
        .api(
            &t,
            Method::PUT,
            &format!("/api/v1/agencies/{}", a.id),
            Some(stale),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["code"], "conflict");
    assert_eq!(e["error"]["current"]["name_vi"], "Cục Lãnh sự (sửa lần 1)");
    let (_, now) = app
        .api(&t, Method::GET, &format!("/api/v1/agencies/{}", a.id), None)
        .await;
    assert_eq!(
        now["agency"]["name_vi"], "Cục Lãnh sự (sửa lần 1)",
        "the first edit was not overwritten"
    );
    // The page shows both values and keeps what the user typed.
    let s = app.signed_in("root").await;
    let r = s
        .post_form(
            &format!("/agencies/{}", a.id),
            &[
                ("code", "A1"),
                ("name_vi", "Tên của tôi"),
                ("pillar", "state"),
                ("level", "central"),
                ("parent_id", &app.agencies["A"].id.to_string()),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("Cục Lãnh sự (sửa lần 1)") && html.contains("Tên của tôi"));
}

async fn trash_restore_and_history(app: &TestApp) {
    let t = app.token("root").await;
    let b = &app.agencies["B"];
    let (s, _) = app
        .api(
            &t,
            Method::DELETE,
            &format!("/api/v1/agencies/{}?version={}", b.id, b.version),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (_, list) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/agencies?q=ban%20doi%20ngoai",
            None,
        )
        .await;
    assert_eq!(list["total"], 0);
    let (_, trash) = app.api(&t, Method::GET, "/api/v1/trash", None).await;
    assert_eq!(trash["agencies"][0]["code"], "B");
    let (s, restored) = app
        .api(
            &t,
            Method::POST,
            &format!("/api/v1/agencies/{}/restore", b.id),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let v = restored["version"].as_i64().unwrap();
    // Rename, then restore the first version from the history.
    let (s, _) = app
        .api(&t, Method::PUT, &format!("/api/v1/agencies/{}", b.id), Some(json!({"code": "B", "name_vi": "Tên mới", "pillar": "party", "level": "central", "version": v})))
        .await;
    assert_eq!(s, 200);
    let (_, hist) = app
        .api(
            &t,
            Method::GET,
            &format!("/api/v1/agencies/{}/history", b.id),
            None,
        )
        .await;
    let actions: Vec<&str> = hist
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "restore", "delete", "create"]);
    let first = hist.as_array().unwrap().last().unwrap()["seq"]
        .as_i64()
        .unwrap();
    let (s, r) = app
        .api(
            &t,
            Method::POST,
            &format!("/api/v1/agencies/{}/history/{first}/restore", b.id),
            Some(json!({"version": v + 1})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["name_vi"], "Ban Đối ngoại");
    // A parent with live sub-units cannot be deleted.
    let a = &app.agencies["A"];
    let (s, e) = app
        .api(
            &t,
            Method::DELETE,
            &format!("/api/v1/agencies/{}?version={}", a.id, a.version),
            None,
        )
        .await;
    assert_eq!(s, 403);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("đơn vị trực thuộc")
    );
}

async fn merged_agency_records_roll_up_to_successor(app: &TestApp) {
    let t = app.token("root").await;
    let b = &app.agencies["B"];
    let a = &app.agencies["A"];
    // An officer of A (own-agency scope) cannot manage B…
    let (s, _) = app
        .api(&t, Method::POST, &format!("/api/v1/agencies/{}/lineage", b.id), Some(json!({"kind": "merged_into", "effective_date": "2025-03-01", "related_agency_id": a.id})))
        .await;
    assert_eq!(s, 201);
    let (_, detail) = app
        .api(&t, Method::GET, &format!("/api/v1/agencies/{}", a.id), None)
        .await;
    assert_eq!(detail["predecessors"][0]["code"], "B");
    let (_, bd) = app
        .api(&t, Method::GET, &format!("/api/v1/agencies/{}", b.id), None)
        .await;
    assert_eq!(bd["agency"]["status"], "merged");
    assert_eq!(bd["agency"]["successor_id"], a.id.to_string());
    // …but after the merger an admin of A manages B's record: it rolled up into A's scope.
    let admin = app.token("admin").await;
    let (s, _) = app.api(&admin, Method::PUT, &format!("/api/v1/agencies/{}", b.id), Some(json!({"code": "B", "name_vi": "Ban Đối ngoại (lưu trữ)", "pillar": "party", "level": "central", "version": bd["agency"]["version"]}))).await;
    assert_eq!(s, 200);
    // A merged agency takes no further change and no new users.
    let (s, _) = app
        .api(
            &t,
            Method::POST,
            &format!("/api/v1/agencies/{}/lineage", b.id),
            Some(json!({"kind": "dissolved", "effective_date": "2025-04-01"})),
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/users",
            Some(json!({"username": "nguoimoi", "agency_id": b.id, "role": "viewer"})),
        )
        .await;
    assert_eq!(s, 422);
}

async fn content_above_the_ceiling_is_refused(app: &TestApp) {
    let t = app.token("root").await;
    let (s, e) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(json!({"code": "TM", "name_vi": "Đơn vị", "pillar": "state", "level": "central", "parent_id": app.agencies["A"].id, "classification": "tuyet_mat", "secret_item": "TUYET_MAT"})))
        .await;
    assert_eq!(s, 422);
    assert!(
        e["error"]["fields"]["classification"]
            .as_str()
            .unwrap()
            .contains("chỉ được phép lưu thông tin đến mức")
    );
}

async fn failure_mid_transaction_leaves_nothing(app: &TestApp) {
    // Make the audit insert fail for one agency code: the agency row written
    // before it in the same transaction must vanish with it.
    match app.db {
        Db::Sqlite => {
            app.sql("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.after_json LIKE '%FAILME%' BEGIN SELECT RAISE(ABORT, 'injected'); END").await;
        }
        Db::Postgres => {
            app.sql("CREATE FUNCTION fail_audit() RETURNS trigger AS $$ BEGIN IF NEW.after_json LIKE '%FAILME%' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql").await;
            app.sql("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fail_audit()").await;
        }
    }
    let t = app.token("root").await;
    let (s, e) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(json!({"code": "FAILME", "name_vi": "Không được ghi", "pillar": "state", "level": "central", "parent_id": app.agencies["A"].id})))
        .await;
    assert_eq!(s, 500);
    assert_eq!(e["error"]["code"], "internal");
    assert!(
        !e["error"]["message"].as_str().unwrap().contains("injected"),
        "database detail must not leak"
    );
    assert!(app.store.agency_by_code("FAILME").await.unwrap().is_none());
    assert!(
        app.store.audit_verify().await.unwrap().result.is_ok(),
        "the chain has no hole"
    );
}

async fn hostile_input_never_500s(app: &TestApp) {
    let t = app.token("root").await;
    let c = app.anon();
    let long = "x".repeat(10_000);
    let reversed: String = "Ngoại giao".chars().rev().collect();
    let weird = [
        "",
        "'; DROP TABLE agencies; --",
        "\u{0}\u{7}",
        "👩🏽‍💻",
        &long,
        "%",
        "_",
        &reversed,
        "a\u{0301}\u{0301}",
    ];
    for w in weird {
        let r = c
            .get(app.url("/api/v1/agencies"))
            .query(&[("q", w), ("pillar", w), ("page", "99999")])
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "q={w:?}");
        let body = json!({"code": w, "name_vi": w, "pillar": w, "level": w, "classification": w, "country_code": w, "province_code": w});
        let (s, _) = app
            .api(&t, Method::POST, "/api/v1/agencies", Some(body))
            .await;
        assert_eq!(s, 422, "body {w:?}");
    }
    for path in [
        "/api/v1/agencies/not-a-uuid",
        "/api/v1/agencies/00000000-0000-0000-0000-000000000000",
        "/agencies/%00",
        "/api/v1/nope",
    ] {
        let r = c.get(app.url(path)).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = c
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    let r = c
        .get(app.url("/api/v1/agencies?page=-1"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .put(app.url(&format!("/api/v1/agencies/{}", app.agencies["A"].id)))
        .bearer_auth(&t)
        .json(&json!({"code": "A", "name_vi": "x", "pillar": "state", "level": "central"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "version is required");
}

async fn openapi_document_lists_every_api_route(app: &TestApp) {
    let doc: serde_json::Value = app
        .anon()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for spec in kieng_web::routes::specs() {
        if spec.path.starts_with("/api/") || spec.path.ends_with("z") {
            let op = paths
                .get(spec.path)
                .and_then(|p| p.get(spec.method.as_str().to_lowercase()));
            assert!(
                op.is_some(),
                "{} {} is missing from the OpenAPI document",
                spec.method,
                spec.path
            );
        }
    }
}

/// The provincial units of 2025: 34 current; the eleven left whole show no
/// break on 1 July 2025, Huế's is on 1 January 2025.
async fn provinces_left_whole_show_no_break(app: &TestApp) {
    let t = app.token("viewer").await;
    let (s, all) = app.api(&t, Method::GET, "/api/v1/provinces", None).await;
    assert_eq!(s, 200);
    let all = all.as_array().unwrap();
    let current: Vec<_> = all.iter().filter(|p| p["valid_to"].is_null()).collect();
    assert_eq!(current.len(), 34);
    let one = |code: &str| all.iter().find(|p| p["code"] == code).cloned();
    let hn = one("VN34-01").unwrap();
    assert_eq!(hn["iso_code"], "VN-HN");
    assert!(hn["valid_from"].is_null(), "{hn}");
    assert!(one("VN-HN").is_none(), "no earlier Hà Nội");
    let hue = one("VN34-02").unwrap();
    assert_eq!(hue["valid_from"], "2025-01-01");
    assert_eq!(one("VN-26").unwrap()["valid_to"], "2024-12-31");
    // A merged province still ends on 30 June 2025.
    assert_eq!(one("VN-27").unwrap()["valid_to"], "2025-06-30");
    assert_eq!(all.len() - current.len(), 53);
}

/// A border commune's People's Committee is an agency at commune level: its
/// commune chosen by typing its name, its province following from it.
async fn a_commune_level_agency_takes_its_province_from_its_commune(app: &TestApp) {
    let t = app.token("root").await;
    let body = json!({"code": "UBND-SLL", "name_vi": "Ủy ban nhân dân xã Sì Lở Lầu",
        "pillar": "state", "level": "commune", "commune_code": "03562"});
    let (s, a) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(body.clone()))
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["commune_code"], "03562");
    assert_eq!(a["province_code"], "VN34-07", "Lai Châu");
    let mut bad = body.clone();
    bad["code"] = json!("UBND-X");
    bad["commune_code"] = json!("99999");
    let (s, e) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(bad.clone()))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["commune_code"].is_string(), "{e}");
    bad.as_object_mut().unwrap().remove("commune_code");
    let (s, e) = app
        .api(&t, Method::POST, "/api/v1/agencies", Some(bad))
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["commune_code"].is_string(), "{e}");
    // Typed without diacritics.
    let s = app.signed_in("officer").await;
    let picks = s
        .get("/pick/communes?q=si%20lo%20lau")
        .await
        .text()
        .await
        .unwrap();
    assert!(picks.contains("\"03562\""), "{picks}");
    assert!(picks.contains("Lai Châu"), "{picks}");
    let page = s
        .get(&format!("/agencies/{}", a["id"].as_str().unwrap()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Xã Sì Lở Lầu"), "the commune by name");
}

both!(
    communes_are_listed_by_province_and_name,
    an_agency_serving_a_second_pillar_is_read_from_it,
    provinces_left_whole_show_no_break,
    a_commune_level_agency_takes_its_province_from_its_commune,
    create_list_and_search_without_diacritics,
    bad_input_gets_field_messages_in_both_languages,
    stale_edit_gets_409_and_loses_nothing,
    trash_restore_and_history,
    merged_agency_records_roll_up_to_successor,
    content_above_the_ceiling_is_refused,
    failure_mid_transaction_leaves_nothing,
    hostile_input_never_500s,
    openapi_document_lists_every_api_route,
);

/// The ministry carries out the Party's external work: set as its second
/// pillar, a Party-wide reader sees its records, and it is shown on its page.
async fn an_agency_serving_a_second_pillar_is_read_from_it(app: &TestApp) {
    use kieng_domain::user::{UserForm, UserInput};
    let form = UserForm {
        username: "dangvien".into(),
        agency_id: app.agencies["B"].id.to_string(),
        role: "viewer".into(),
        scope: "pillar".into(),
        clearance: "none".into(),
        ..Default::default()
    };
    let input = UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    let u = app
        .store
        .user_add_cli(&input, crate::helpers::PASSWORD)
        .await
        .unwrap();
    let origin = kieng_store::audit::Origin::default();
    let party = app.store.token_create(u.id, "t", &origin).await.unwrap().1;
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let a = crate::activities::create(
        app,
        &officer,
        crate::activities::visit(
            "Làm việc với Đảng Nhân dân Cách mạng Lào",
            "A",
            vec!["Lao"],
            3,
            3,
        ),
    )
    .await;
    let path = format!(
        "/api/v1/activities/{}",
        a["activity"]["id"].as_str().unwrap()
    );
    let (s, _) = app.api(&party, Method::GET, &path, None).await;
    assert_eq!(s, 404, "another pillar's agency is out of scope");

    let ministry = &app.agencies["A"];
    let mut body = json!({"code": "A", "name_vi": "Bộ Ngoại giao", "pillar": "state", "also_pillar": "people-ish",
        "level": "central", "version": ministry.version});
    let (s, e) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/agencies/{}", ministry.id),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["also_pillar"].is_string(), "{e}");
    body["also_pillar"] = json!("party");
    let (s, v) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/agencies/{}", ministry.id),
            Some(body),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["also_pillar"], "party", "{v}");
    let (s, r) = app.api(&party, Method::GET, &path, None).await;
    assert_eq!(
        s, 200,
        "the Party-wide reader now sees the ministry's work: {r}"
    );
    let html = app
        .signed_in("root")
        .await
        .get(&format!("/agencies/{}", ministry.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("tag party"), "both pillars show on the page");
}

/// The commune list: all 3,321 counted, narrowed by province and by a name
/// typed without diacritics; a hostile filter is only text.
async fn communes_are_listed_by_province_and_name(app: &TestApp) {
    let web = app.signed_in("viewer").await;
    let all = web.get("/reference/communes").await.text().await.unwrap();
    assert!(all.contains(": 3321"), "every unit is counted");
    let lai_chau = web
        .get("/reference/communes?province=VN34-07&q=si+lo+lau")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        lai_chau.contains("Xã Sì Lở Lầu"),
        "found without diacritics"
    );
    assert!(lai_chau.contains(": 1<"), "and only it");
    let r = web
        .get("/reference/communes?province=%27%3B--&q=%25%25%25")
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(": 0<"));
    // The list exports as filtered; the countries and provinces whole.
    let s = app.signed_in("viewer").await;
    let r = s
        .get("/reference/communes.csv?province=VN34-07&q=si+lo")
        .await;
    assert_eq!(r.status(), 200);
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    assert!(text.contains("03562,Xã Sì Lở Lầu"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    let r = s.get("/reference/provinces.csv").await;
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let (_, all) = app
        .api(
            &app.token("viewer").await,
            reqwest::Method::GET,
            "/api/v1/provinces",
            None,
        )
        .await;
    assert_eq!(
        text.lines().count(),
        1 + all.as_array().unwrap().len(),
        "the units in force and before: {text}"
    );
    let r = s.get("/reference/countries.xlsx").await;
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
}
