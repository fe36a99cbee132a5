//! The search box: Vietnamese with or without diacritics, word beginnings,
//! aliases and English names; ranking; the page rules (clearance, scope — not
//! even in a count); freshness after save, update and delete; any input safe.

use crate::activities::{create, visit};
use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// `q` and the other parameters, percent-encoded byte by byte.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn search(app: &TestApp, token: &str, q: &str, extra: &str) -> (u16, Value) {
    app.api(
        token,
        Method::GET,
        &format!("/api/v1/search?q={}{extra}", encode(q)),
        None,
    )
    .await
}

/// The same search against another server (`base`), as its JSON answer.
pub async fn search_on(base: &str, token: &str, q: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/search?q={}", encode(q)))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn titles(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

/// Wait until `q` finds a record titled `title` (or, with `present` false, no
/// longer does); returns how long it took. Fails after two seconds.
pub async fn until_found(
    app: &TestApp,
    token: &str,
    q: &str,
    title: &str,
    present: bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let (s, v) = search(app, token, q, "").await;
        assert_eq!(s, 200, "{v}");
        if titles(&v).iter().any(|t| t == title) == present {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{q:?} → {title:?} present={present} never held: {v}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn partner(app: &TestApp, token: &str, body: Value) -> String {
    let (s, p) = app
        .api(token, Method::POST, "/api/v1/partners", Some(body))
        .await;
    assert_eq!(s, 201, "{p}");
    p["id"].as_str().unwrap().to_string()
}

async fn vietnamese_is_found_with_or_without_diacritics_by_beginnings_and_aliases(app: &TestApp) {
    let root = app.token("root").await;
    partner(
        app,
        &root,
        json!({"kind": "ngo", "name_vi": "Hội hữu nghị Đà Nẵng – Hoa Kỳ", "aliases": ["Hội Việt – Mỹ miền Trung"]}),
    )
    .await;
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/agencies",
            Some(
                json!({"code": "SNV-HCM", "name_vi": "Sở Ngoại vụ Thành phố Hồ Chí Minh",
                "abbreviation": "SNV TP.HCM", "pillar": "state", "level": "central",
                "parent_id": app.agencies["A"].id}),
            ),
        )
        .await;
    assert_eq!(s, 201);
    let title = "Hội hữu nghị Đà Nẵng – Hoa Kỳ";
    until_found(app, &root, "da nang", title, true).await;
    for q in [
        "Đà Nẵng",
        "DA NANG",
        "đà nẵng",
        "\u{0110}a\u{0300} Na\u{0306}\u{0303}ng",
        "hoi huu ng",
        "my mien",
    ] {
        let (s, v) = search(app, &root, q, "").await;
        assert_eq!(s, 200, "{q}: {v}");
        assert!(titles(&v).contains(&title.to_string()), "{q}: {v}");
    }
    // Abbreviations with punctuation, and English names of the seeded countries.
    let (_, v) = search(app, &root, "TP.HCM", "").await;
    assert_eq!(titles(&v)[0], "Sở Ngoại vụ Thành phố Hồ Chí Minh", "{v}");
    // The short forms officials write find a long name nobody abbreviated.
    let youth = "Hội Liên hiệp Thanh niên Thành phố Hồ Chí Minh";
    partner(app, &root, json!({"kind": "ngo", "name_vi": youth})).await;
    until_found(app, &root, "thanh nien", youth, true).await;
    for q in ["TP HCM", "tphcm", "thanh nien TP.HCM"] {
        let (_, v) = search(app, &root, q, "").await;
        assert!(titles(&v).contains(&youth.to_string()), "{q}: {v}");
    }
    let (_, v) = search(app, &root, "united sta", "&kind=partner").await;
    assert_eq!(titles(&v)[0], "Hoa Kỳ", "{v}");
    // The matched words are marked in the original text.
    let (_, v) = search(app, &root, "da nang", "").await;
    let hit = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == title)
        .unwrap();
    let marked: Vec<&str> = hit["title_marked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["hit"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["Đà", "Nẵng"]);
    assert!(hit["href"].as_str().unwrap().starts_with("/partners/"));
}

async fn exact_and_title_matches_rank_first_then_recent_before_old(app: &TestApp) {
    let root = app.token("root").await;
    let japan = crate::partners::partner_id(app, &root, "Nhật Bản").await;
    create(
        app,
        &root,
        visit("Hội đàm với Nhật Bản về hợp tác", "A", vec![], -400, -399),
    )
    .await;
    create(
        app,
        &root,
        visit("Hội đàm với Nhật Bản về đầu tư", "A", vec![], 30, 31),
    )
    .await;
    create(
        app,
        &root,
        visit(
            "Đón Bộ trưởng Ngoại giao",
            "A",
            vec![japan.as_str()],
            60,
            61,
        ),
    )
    .await;
    let want = [
        "Nhật Bản",
        "Hội đàm với Nhật Bản về đầu tư",
        "Hội đàm với Nhật Bản về hợp tác",
        "Đón Bộ trưởng Ngoại giao",
    ];
    until_found(app, &root, "nhat ban", want[3], true).await;
    let (_, v) = search(app, &root, "nhat ban", "").await;
    let got: Vec<String> = titles(&v)
        .into_iter()
        .filter(|t| want.contains(&t.as_str()))
        .collect();
    assert_eq!(got, want, "{v}");
    assert_eq!(titles(&v)[0], "Nhật Bản");
    // The partner-only match shows where it matched.
    let body = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == want[3])
        .unwrap();
    assert!(body["snippet"].to_string().contains("Nhật"), "{body}");
}

async fn results_obey_clearance_and_scope_even_in_counts(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let mut secret = visit("Tham vấn chiến lược Xê-ri-a", "A", vec![], 5, 6);
    secret["classification"] = json!("toi_mat");
    secret["secret_item"] = json!("TOI_MAT");
    create(app, &root, secret).await;
    create(
        app,
        &root,
        visit("Giao lưu thanh niên Xê-ri-a", "B", vec![], 7, 8),
    )
    .await;
    create(
        app,
        &root,
        visit("Đối thoại Xê-ri-a tại Hà Nội", "A", vec![], 9, 10),
    )
    .await;
    until_found(app, &root, "xe ri a", "Giao lưu thanh niên Xê-ri-a", true).await;
    until_found(app, &root, "xe ri a", "Tham vấn chiến lược Xê-ri-a", true).await;
    until_found(app, &root, "xe ri a", "Đối thoại Xê-ri-a tại Hà Nội", true).await;
    let (_, all) = search(app, &root, "xe ri a", "").await;
    assert_eq!(all["total"], 3, "{all}");
    // The officer (agency A, clearance Mật) sees only the open activity of A.
    let (_, v) = search(app, &officer, "xe ri a", "").await;
    assert_eq!(titles(&v), ["Đối thoại Xê-ri-a tại Hà Nội"], "{v}");
    assert_eq!(
        v["total"], 1,
        "nothing above clearance or outside scope is counted"
    );
    let (_, v) = search(app, &officer, "tham van chien luoc", "").await;
    assert_eq!(v["total"], 0);
    // Filters: kind, pillar, year.
    let (_, v) = search(app, &root, "xe ri a", "&pillar=party").await;
    assert_eq!(titles(&v), ["Giao lưu thanh niên Xê-ri-a"]);
    let (_, v) = search(app, &root, "xe ri a", "&kind=agreement").await;
    assert_eq!(v["total"], 0);
    let (s, v) = search(app, &root, "xe ri a", "&kind=spaceship").await;
    assert_eq!(s, 422, "{v}");
    let (s, _) = search(app, &root, "xe ri a", "&year=").await;
    assert_eq!(s, 200);
    let (s, v) = search(app, &root, "xe ri a", "&year=abc").await;
    assert_eq!(s, 422, "{v}");
}

async fn a_record_is_findable_within_a_second_of_save_update_and_delete(app: &TestApp) {
    let root = app.token("root").await;
    let (s, a) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/agencies",
            Some(
                json!({"code": "QT-NV", "name_vi": "Sở Ngoại vụ Quảng Trị", "pillar": "state",
                "level": "central", "parent_id": app.agencies["A"].id}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let saved = until_found(app, &root, "quang tri", "Sở Ngoại vụ Quảng Trị", true).await;
    assert!(saved < Duration::from_secs(1), "after save: {saved:?}");
    let id = a["id"].as_str().unwrap();
    let (s, u) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/agencies/{id}"),
            Some(json!({"code": "QT-NV", "name_vi": "Sở Ngoại vụ tỉnh Quảng Trị mới", "pillar": "state",
                "level": "central", "parent_id": app.agencies["A"].id, "version": a["version"]})),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    let updated = until_found(
        app,
        &root,
        "quang tri moi",
        "Sở Ngoại vụ tỉnh Quảng Trị mới",
        true,
    )
    .await;
    assert!(
        updated < Duration::from_secs(1),
        "after update: {updated:?}"
    );
    let (_, v) = search(app, &root, "quang tri", "").await;
    assert!(
        !titles(&v).contains(&"Sở Ngoại vụ Quảng Trị".to_string()),
        "{v}"
    );
    let (s, d) = app
        .api(
            &root,
            Method::DELETE,
            &format!("/api/v1/agencies/{id}?version={}", u["version"]),
            None,
        )
        .await;
    assert!(s == 200 || s == 204, "{s} {d}");
    let deleted = until_found(
        app,
        &root,
        "quang tri moi",
        "Sở Ngoại vụ tỉnh Quảng Trị mới",
        false,
    )
    .await;
    assert!(
        deleted < Duration::from_secs(1),
        "after delete: {deleted:?}"
    );
}

async fn a_partners_new_name_finds_the_records_that_link_it(app: &TestApp) {
    let root = app.token("root").await;
    let id = partner(
        app,
        &root,
        json!({"kind": "ngo", "name_vi": "Quỹ Hòa Bình Xanh"}),
    )
    .await;
    create(
        app,
        &root,
        visit("Tiếp đoàn của quỹ", "A", vec![id.as_str()], 4, 5),
    )
    .await;
    until_found(app, &root, "hoa binh xanh", "Tiếp đoàn của quỹ", true).await;
    let (s, p) = app
        .api(&root, Method::GET, &format!("/api/v1/partners/{id}"), None)
        .await;
    assert_eq!(s, 200);
    let (s, u) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/partners/{id}"),
            Some(
                json!({"kind": "ngo", "name_vi": "Quỹ Biển Xanh Thái Bình Dương",
                "version": p["partner"]["version"]}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{u}");
    let took = until_found(app, &root, "thai binh duong", "Tiếp đoàn của quỹ", true).await;
    assert!(took < Duration::from_secs(1), "{took:?}");
    until_found(app, &root, "hoa binh xanh", "Tiếp đoàn của quỹ", false).await;
}

async fn any_query_gets_results_or_a_clear_message(app: &TestApp) {
    let root = app.token("root").await;
    // Strings drawn by proptest: any printable Unicode, and runs of what query
    // languages treat specially mixed with Vietnamese letters, combining marks,
    // control characters and emoji.
    use proptest::strategy::{Strategy, ValueTree};
    let strategy = proptest::string::string_regex(
        "\\PC{0,40}|[aăâeêioôơuưyđĐ \"'()\\[\\]{}:*?~^+\\-!\\\\/|&<>.,;=%_\u{0300}-\u{0323}\u{0000}-\u{001f}\u{200b}\u{feff}🇻🇳🎉😀]{0,60}|(AND |OR |NOT |ngoại |giao ){0,20}",
    )
    .unwrap();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..200 {
        let q = strategy.new_tree(&mut runner).unwrap().current();
        let (s, v) = search(app, &root, &q, "").await;
        match s {
            200 => assert!(v["items"].is_array(), "{q:?}: {v}"),
            422 => assert!(v["error"]["fields"]["q"].is_string(), "{q:?}: {v}"),
            _ => panic!("{q:?} answered {s}: {v}"),
        }
    }
    let (s, v) = search(app, &root, &"ngoại giao ".repeat(1000), "").await;
    assert_eq!(s, 422);
    assert!(
        v["error"]["fields"]["q"].as_str().unwrap().contains("12"),
        "{v}"
    );
    let (s, v) = search(app, &root, "\"()\":*", "").await;
    assert_eq!(s, 422, "{v}");
    // The page shows the same message instead of an error page.
    let sess = app.signed_in("officer").await;
    let html = sess
        .get("/search?q=%22%28%29%22%3A%2A")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("ít nhất một chữ"), "{html}");
    let html = sess
        .get("/search?q=ngo%E1%BA%A1i+gi")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<mark>"), "a result marked on the page");
}

/// `kieng search rebuild` builds an index from the database that a server then
/// serves from (here the second server's data directory).
async fn the_rebuild_command_builds_an_index_a_server_serves(app: &TestApp) {
    let root = app.token("root").await;
    create(
        app,
        &root,
        visit("Hội nghị cấp cao Mê Công thử nghiệm", "A", vec![], 2, 3),
    )
    .await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
        .args(["--database-url", &app.database_url, "--data-dir"])
        .arg(app.dir.join("second"))
        .args(["search", "rebuild"])
        .env("KIENG_LOG", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: u64 = stdout
        .split("rebuilt: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        records > 250,
        "every country, the agencies, the activity: {stdout}"
    );
    let (other, stop) = app.second_server().await;
    let v = search_on(&other, &root, "me cong thu nghiem").await;
    assert_eq!(titles(&v), ["Hội nghị cấp cao Mê Công thử nghiệm"], "{v}");
    assert_eq!(v["building"], false);
    let _ = stop.send(());
}

/// An index built from another database (a data directory reused, a restored
/// older copy) is rebuilt at start, never served: it is ahead of that log.
async fn an_index_of_another_database_is_rebuilt(app: &TestApp) {
    let root = app.token("root").await;
    create(
        app,
        &root,
        visit("Hội nghị cấp cao Mê Công thử nghiệm", "A", vec![], 2, 3),
    )
    .await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
        .args(["--database-url", &app.database_url, "--data-dir"])
        .arg(app.dir.join("second"))
        .args(["search", "rebuild"])
        .env("KIENG_LOG", "error")
        .output()
        .unwrap();
    assert!(out.status.success());
    // A fresh database with its first administrator, served with that index.
    let fresh = format!("sqlite://{}?mode=rwc", app.dir.join("fresh.db").display());
    let store = kieng_store::Store::connect(&fresh, kieng_store::StoreConfig::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let (admin, _) = store.ensure_first_admin().await.unwrap().unwrap();
    let agency = store.user_by_name(&admin).await.unwrap().unwrap().agency_id;
    let form = kieng_domain::user::UserForm {
        username: "reader".into(),
        agency_id: agency.to_string(),
        role: "admin".into(),
        scope: "all".into(),
        clearance: "mat".into(),
        ..Default::default()
    };
    let input =
        kieng_domain::user::UserInput::parse(&form, kieng_domain::Classification::ToiMat).unwrap();
    let reader = store
        .user_add_cli(&input, "một mật khẩu đủ dài cho phép thử")
        .await
        .unwrap();
    let (_, token) = store
        .token_create(reader.id, "test", &kieng_store::audit::Origin::default())
        .await
        .unwrap();
    store.close().await;
    let (other, stop) = app.server_on(&fresh, app.dir.join("second")).await;
    let v = search_on(&other, &token, "me cong thu nghiem").await;
    assert_eq!(
        v["total"], 0,
        "nothing of the other database, not even in the count: {v}"
    );
    let v = search_on(&other, &token, "Lào").await;
    assert!(
        v["total"].as_u64().unwrap() >= 1,
        "this database's own records: {v}"
    );
    let _ = stop.send(());
}

both!(
    the_rebuild_command_builds_an_index_a_server_serves,
    an_index_of_another_database_is_rebuilt,
    vietnamese_is_found_with_or_without_diacritics_by_beginnings_and_aliases,
    exact_and_title_matches_rank_first_then_recent_before_old,
    results_obey_clearance_and_scope_even_in_counts,
    a_record_is_findable_within_a_second_of_save_update_and_delete,
    a_partners_new_name_finds_the_records_that_link_it,
    any_query_gets_results_or_a_clear_message,
    review_reports_are_found_by_their_words_within_scope_and_clearance,
);

/// Review reports are found by title and by what their parts say, within a
/// second of the save, by the issuing agency's readers within clearance only.
async fn review_reports_are_found_by_their_words_within_scope_and_clearance(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let new = |title: &str, owner: &str, class: &str| {
        let mut r = json!({"title": title, "period": "year", "year": 2026, "scope": "all",
            "agency": owner, "recipients": ["Ban Thường vụ"], "signer_position": "Giám đốc",
            "classification": class});
        if class != "none" {
            r["secret_item"] = json!(class.to_uppercase());
        }
        r
    };
    let mut ids = Vec::new();
    for (title, owner, class) in [
        ("Tổng kết đối ngoại Vĩnh Phúc", "A", "none"),
        ("Tổng kết mật Vĩnh Phúc", "A", "toi_mat"),
        ("Tổng kết Ban Vĩnh Phúc", "B", "none"),
    ] {
        let (s, r) = app
            .api(
                &root,
                Method::POST,
                "/api/v1/reports",
                Some(new(title, owner, class)),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    until_found(app, &root, "vinh phuc", "Tổng kết Ban Vĩnh Phúc", true).await;
    let (_, v) = search(app, &root, "vinh phuc", "&kind=report").await;
    assert_eq!(v["total"], 3, "{v}");
    // The officer of A (Mật): A's open report only, not even counted otherwise.
    let (_, v) = search(app, &officer, "vinh phuc", "").await;
    assert_eq!(titles(&v), ["Tổng kết đối ngoại Vĩnh Phúc"], "{v}");
    assert_eq!(v["total"], 1);
    assert!(
        v["items"][0]["href"]
            .as_str()
            .unwrap_or_default()
            .starts_with("/reports/"),
        "{v}"
    );
    // What a part says finds it, once saved.
    let id = &ids[0];
    let (s, e) = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/v1/reports/{id}/parts/assessment"),
            Some(
                json!({"body": "Hợp tác hạ tầng số với Ê-xtô-ni-a tiến triển tốt.", "revision": 0}),
            ),
        )
        .await;
    assert!(s == 200 || s == 201, "{s} {e}");
    until_found(
        app,
        &officer,
        "e xto ni a",
        "Tổng kết đối ngoại Vĩnh Phúc",
        true,
    )
    .await;
}
