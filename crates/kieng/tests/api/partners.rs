//! Partners: the seeded registry, duplicate detection, framework history.

use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

async fn find(app: &TestApp, token: &str, q: &str) -> Value {
    let (s, page) = app
        .api(token, Method::GET, &format!("/api/v1/partners?q={q}"), None)
        .await;
    assert_eq!(s, 200);
    page
}

async fn countries_and_frameworks_are_seeded(app: &TestApp) {
    let t = app.token("viewer").await;
    let (_, all) = app
        .api(&t, Method::GET, "/api/v1/partners?kind=country", None)
        .await;
    assert_eq!(all["total"], 249, "every ISO 3166-1 country is a partner");
    // Found by Vietnamese name without diacritics, by English name, by ISO alpha-3.
    for q in ["han%20quoc", "South%20Korea", "KOR"] {
        let page = find(app, &t, q).await;
        assert_eq!(page["items"][0]["partner"]["code"], "KR", "{q}");
        assert_eq!(
            page["items"][0]["current"]["level_code"],
            "comprehensive_strategic"
        );
        assert_eq!(page["items"][0]["current"]["since"], "05/12/2022");
    }
    let (_, csp) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?level=comprehensive_strategic",
            None,
        )
        .await;
    assert!(csp["total"].as_u64().unwrap() >= 15);
    // The EU is an organisation, not a country, with its framework.
    let eu = find(app, &t, "lien%20minh%20chau%20au").await;
    assert_eq!(eu["items"][0]["partner"]["kind"], "organisation");
    assert_eq!(eu["items"][0]["current"]["since"], "29/01/2026");
    // The dossier carries the history with its source.
    assert_eq!(
        find(app, &t, "trung%20quoc").await["items"][0]["partner"]["code"],
        "CN",
        "the exact name ranks first"
    );
    let id = find(app, &t, "CHN").await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, d) = app
        .api(&t, Method::GET, &format!("/api/v1/partners/{id}"), None)
        .await;
    assert!(
        d["frameworks"][0]["source"]
            .as_str()
            .unwrap()
            .contains("thanhnien.vn")
    );
    assert!(
        d["current"]["official_name"]
            .as_str()
            .unwrap()
            .contains("hợp tác chiến lược toàn diện")
    );
    // Each partner's history, newest first, every step with its source.
    let jp = find(app, &t, "JPN").await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, d) = app
        .api(&t, Method::GET, &format!("/api/v1/partners/{jp}"), None)
        .await;
    let steps: Vec<&str> = d["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["level_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "comprehensive_strategic",
            "extensive_strategic",
            "strategic"
        ]
    );
    assert!(
        d["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["source"].is_string())
    );
    for code in ["DEU", "ITA", "PHL", "BLR"] {
        let p = find(app, &t, code).await;
        assert_eq!(
            p["items"][0]["current"]["level_code"], "strategic",
            "{code}"
        );
    }
}

async fn duplicates_are_caught_whatever_the_diacritics_and_case(app: &TestApp) {
    let t = app.token("officer").await;
    let body = |name: &str, aliases: Vec<&str>| json!({"kind": "party", "name_vi": name, "aliases": aliases, "country_code": "FR"});
    let (s, p) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(body("Đảng Cộng sản Pháp", vec!["PCF"])),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    for (name, aliases) in [
        ("dang cong san phap", vec![]),
        ("ĐẢNG CỘNG SẢN PHÁP", vec![]),
        ("Parti communiste", vec!["pcf"]),
    ] {
        let (s, e) = app
            .api(
                &t,
                Method::POST,
                "/api/v1/partners",
                Some(body(name, aliases)),
            )
            .await;
        assert_eq!(s, 409, "{name}");
        assert_eq!(e["error"]["code"], "duplicate");
        assert_eq!(e["error"]["current"][0]["id"], p["id"]);
    }
    // A country cannot be created twice: countries are not created at all.
    let (s, e) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "country", "name_vi": "Hàn Quốc"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["kind"].is_string());
    // "Han Quoc" as another kind of partner is offered the country first.
    let (s, e) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "other_organisation", "name_vi": "Han Quoc"})),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"]["current"][0]["kind"], "country");
    // Confirmed as a different partner, it is created.
    let (s, _) = app.api(&t, Method::POST, "/api/v1/partners", Some(json!({"kind": "other_organisation", "name_vi": "Han Quoc", "allow_duplicate": true}))).await;
    assert_eq!(s, 201);
    // Viewers record nothing.
    let v = app.token("viewer").await;
    let (s, _) = app
        .api(
            &v,
            Method::POST,
            "/api/v1/partners",
            Some(body("Đảng Xanh", vec![])),
        )
        .await;
    assert_eq!(s, 403);
}

async fn current_level_is_the_latest_by_date_whatever_the_order_of_entry(app: &TestApp) {
    let root = app.token("root").await;
    let id = find(app, &root, "argentina").await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let add = |level: &str, since: &str| json!({"level_code": level, "since": since, "source": "kiểm thử"});
    // The upgrade is entered first, the older establishment after it.
    let (s, d) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("comprehensive_strategic", "2025-06-01")),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let (_, d) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("strategic", "2015")),
        )
        .await;
    assert_eq!(d["current"]["level_code"], "comprehensive_strategic");
    assert_eq!(d["current"]["since"], "01/06/2025");
    assert_eq!(
        d["frameworks"].as_array().unwrap().len(),
        3,
        "seeded 2010 step + two new"
    );
    assert_eq!(d["frameworks"][0]["since"], "01/06/2025", "newest first");
    // Bad input: no source, a future date, an unknown level.
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(json!({"level_code": "best_friends", "since": "2999", "source": ""})),
        )
        .await;
    assert_eq!(s, 422);
    for f in ["level_code", "since", "source"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    // A scoped administrator cannot change the shared registry.
    let admin = app.token("admin").await;
    let (s, _) = app
        .api(
            &admin,
            Method::POST,
            &format!("/api/v1/partners/{id}/frameworks"),
            Some(add("strategic", "2020")),
        )
        .await;
    assert_eq!(s, 403);
    // Audited.
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}&action=framework"),
            None,
        )
        .await;
    assert_eq!(audit["total"], 2);
    // Corrected: the corrected step takes the old one's place, both audited.
    let step = d["frameworks"][1]["id"].as_str().unwrap().to_string();
    let (s, d) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/partners/{id}/frameworks/{step}"),
            Some(json!({"level_code": "strategic", "since": "2016", "source": "Tuyên bố chung, báo Nhân Dân"})),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["frameworks"].as_array().unwrap().len(), 3);
    assert!(d.to_string().contains("Tuyên bố chung, báo Nhân Dân"));
    assert!(!d.to_string().contains(&step), "the old step is replaced");
    let (s, _) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/partners/{id}/frameworks/{step}"),
            Some(add("strategic", "2017")),
        )
        .await;
    assert_eq!(s, 404, "a replaced step cannot be corrected again");
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={id}&action=framework_correct"),
            None,
        )
        .await;
    assert_eq!(audit["total"], 1);
    // Removed through the page: gone from the history, kept in the audit.
    let newest = d["frameworks"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .signed_in("root")
        .await
        .post_form(&format!("/partners/{id}/frameworks/{newest}/remove"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, d) = app
        .api(&root, Method::GET, &format!("/api/v1/partners/{id}"), None)
        .await;
    assert_eq!(d["frameworks"].as_array().unwrap().len(), 2);
    assert_eq!(d["current"]["since"], "2016");
    let (s, _) = app
        .api(
            &admin,
            Method::DELETE,
            &format!("/api/v1/partners/{id}/frameworks/{step}"),
            None,
        )
        .await;
    assert_eq!(s, 403, "a scoped administrator may not remove it");
}

async fn classified_partners_stay_hidden_above_clearance(app: &TestApp) {
    let root = app.token("root").await;
    let (s, p) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Bí Mật", "classification": "toi_mat", "secret_item": "TOI_MAT"})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let officer = app.token("officer").await;
    assert_eq!(find(app, &officer, "quy%20bi%20mat").await["total"], 0);
    let (s, _) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{}", p["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, 404);
    // Nor is it offered as a duplicate (its existence would leak).
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ bí mật"})),
        )
        .await;
    assert_eq!(s, 201);
}

pub(crate) async fn partner_id(app: &TestApp, token: &str, q: &str) -> String {
    find(app, token, q).await["items"][0]["partner"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn edits_are_versioned_checked_for_duplicates_and_audited(app: &TestApp) {
    let t = app.token("officer").await;
    let (s, p) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "party", "name_vi": "Đảng Xã hội Chile", "country_code": "CL"})),
        )
        .await;
    assert_eq!(s, 201, "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/partners/{id}");
    let edit = |version: i64, aliases: Vec<&str>| {
        json!({"kind": "party", "name_vi": "Đảng Xã hội Chile", "name_en": "Socialist Party of Chile",
               "aliases": aliases, "country_code": "CL", "traditional_friend": true, "version": version})
    };
    let (s, p) = app
        .api(&t, Method::PUT, &url, Some(edit(1, vec!["PS Chile"])))
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["version"], 2);
    assert_eq!(p["traditional_friend"], true);
    assert_eq!(
        find(app, &t, "ps%20chile").await["items"][0]["partner"]["id"],
        id.as_str()
    );
    // A stale edit is refused with the record as it is now; nothing is overwritten.
    let (s, e) = app
        .api(&t, Method::PUT, &url, Some(edit(1, vec!["Khác"])))
        .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "conflict");
    assert_eq!(e["error"]["current"]["version"], 2);
    // A new alias that another partner answers to is offered, not saved silently.
    let (s, e) = app
        .api(
            &t,
            Method::PUT,
            &url,
            Some(edit(2, vec!["PS Chile", "Hoa Ky"])),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "duplicate");
    assert_eq!(e["error"]["current"][0]["name_vi"], "Hoa Kỳ");
    // Its own names are not duplicates of itself.
    let (s, p) = app
        .api(&t, Method::PUT, &url, Some(edit(2, vec!["PS Chile"])))
        .await;
    assert_eq!(s, 200, "{p}");
    // Missing version: told what to send.
    let (s, e) = app
        .api(
            &t,
            Method::PUT,
            &url,
            Some(json!({"kind": "party", "name_vi": "X"})),
        )
        .await;
    assert_eq!(s, 422);
    assert!(e["error"]["fields"]["version"].is_string());
    let (_, h) = app
        .api(&t, Method::GET, &format!("{url}/history"), None)
        .await;
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "update", "create"]);
    // Seeded countries belong to the deployment: an officer cannot edit them.
    let laos = partner_id(app, &t, "LAO").await;
    let (s, _) = app
        .api(
            &t,
            Method::PUT,
            &format!("/api/v1/partners/{laos}"),
            Some(json!({"kind": "country", "name_vi": "Lào", "version": 1})),
        )
        .await;
    assert_eq!(s, 403);
}

async fn a_country_stays_a_country_and_keeps_its_iso_names(app: &TestApp) {
    let root = app.token("root").await;
    let laos = partner_id(app, &root, "LAO").await;
    let url = format!("/api/v1/partners/{laos}");
    let (_, d) = app.api(&root, Method::GET, &url, None).await;
    let body = json!({"kind": "party", "name_vi": d["partner"]["name_vi"], "name_en": "Laos",
        "aliases": ["Lào", "Ai Lao"], "country_code": "VN", "neighbour": true, "traditional_friend": true,
        "version": d["partner"]["version"]});
    let (s, p) = app.api(&root, Method::PUT, &url, Some(body)).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["kind"], "country");
    assert_eq!(p["code"], "LA");
    assert_eq!(p["country_code"], "LA");
    assert_eq!(p["neighbour"], true);
    for q in ["LAO", "ai%20lao", "Laos"] {
        assert_eq!(
            find(app, &root, q).await["items"][0]["partner"]["code"],
            "LA",
            "{q}"
        );
    }
}

async fn missions_are_accredited_and_removed(app: &TestApp) {
    let root = app.token("root").await;
    let (s, m) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/agencies",
            Some(
                json!({"code": "DSQ-VIENTIANE", "name_vi": "Đại sứ quán Việt Nam tại Lào",
                "pillar": "state", "level": "mission", "country_code": "LA"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let mission = m["id"].as_str().unwrap().to_string();
    let laos = partner_id(app, &root, "LAO").await;
    let url = format!("/api/v1/partners/{laos}/missions/{mission}");
    let (s, d) = app
        .api(&root, Method::PUT, &url, Some(json!({"resident": true})))
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["missions"][0]["agency"]["code"], "DSQ-VIENTIANE");
    assert_eq!(d["missions"][0]["resident"], true);
    // Saying it again changes it, never duplicates it.
    let (_, d) = app
        .api(&root, Method::PUT, &url, Some(json!({"resident": false})))
        .await;
    assert_eq!(d["missions"].as_array().unwrap().len(), 1);
    assert_eq!(d["missions"][0]["resident"], false);
    // Only a mission abroad can be accredited.
    let ministry = app.agencies["A"].id;
    let (s, e) = app
        .api(
            &root,
            Method::PUT,
            &format!("/api/v1/partners/{laos}/missions/{ministry}"),
            Some(json!({"resident": true})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["agency_id"].is_string());
    let (s, _) = app.api(&root, Method::DELETE, &url, None).await;
    assert_eq!(s, 204);
    let (s, _) = app.api(&root, Method::DELETE, &url, None).await;
    assert_eq!(s, 404);
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={laos}&action=mission"),
            None,
        )
        .await;
    assert_eq!(audit["total"], 3);
}

async fn edit_pages_keep_what_was_typed_on_a_stale_save(app: &TestApp) {
    let t = app.token("officer").await;
    let (_, p) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Hội Hữu nghị Pháp – Việt"})),
        )
        .await;
    let id = p["id"].as_str().unwrap().to_string();
    let s = app.signed_in("officer").await;
    let html = s
        .get(&format!("/partners/{id}/edit"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"name="version" value="1""#), "{html}");
    let form = |name: &'static str, version: &'static str| {
        vec![
            ("kind", "ngo"),
            ("name_vi", name),
            ("neighbour", "1"),
            ("version", version),
        ]
    };
    let r = s
        .post_form(
            &format!("/partners/{id}"),
            &form("Hội Hữu nghị Pháp – Việt Nam", "1"),
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = s
        .post_form(&format!("/partners/{id}"), &form("Tên tôi gõ", "1"))
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("Hội Hữu nghị Pháp – Việt Nam") && html.contains("Tên tôi gõ"));
    assert!(
        html.contains(r#"name="version" value="2""#),
        "saving again targets the current version"
    );
    let r = s
        .post_form(&format!("/partners/{id}"), &form("", "2"))
        .await;
    assert_eq!(r.status(), 422);
    // The history page lists the changes in words.
    let html = s
        .get(&format!("/partners/{id}/history"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Cập nhật") && html.contains("Tạo mới"));
    // Viewers see the dossier without an edit button.
    let v = app.signed_in("viewer").await;
    let html = v
        .get(&format!("/partners/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("/partners/{id}/edit")));
}

async fn a_merge_keeps_every_link(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let org = |name: &str, aliases: Vec<&str>| json!({"kind": "organisation", "name_vi": name, "aliases": aliases, "allow_duplicate": true});
    let (_, keep) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(org("Tổ chức Hợp tác Hồi giáo", vec![])),
        )
        .await;
    let (_, dup) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(org("Tổ chức các nước Hồi giáo", vec!["OIC"])),
        )
        .await;
    let (keep, dup) = (
        keep["id"].as_str().unwrap().to_string(),
        dup["id"].as_str().unwrap().to_string(),
    );
    let (s, _) = app
        .api(&root, Method::POST, &format!("/api/v1/partners/{dup}/frameworks"),
            Some(json!({"level_code": "comprehensive", "since": "2019", "source": "Thông cáo (kiểm thử)"})))
        .await;
    assert_eq!(s, 201);
    let (s, m) = app
        .api(&root, Method::POST, "/api/v1/agencies",
            Some(json!({"code": "DSQ-SA", "name_vi": "Đại sứ quán tại Ả Rập Xê Út", "pillar": "state", "level": "mission", "country_code": "SA"})))
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, _) = app
        .api(
            &root,
            Method::PUT,
            &format!(
                "/api/v1/partners/{dup}/missions/{}",
                m["id"].as_str().unwrap()
            ),
            Some(json!({"resident": false})),
        )
        .await;
    assert_eq!(s, 200);
    let a = crate::activities::create(
        app,
        &officer,
        crate::activities::visit("Làm việc với OIC", "A", vec![dup.as_str()], 3, 3),
    )
    .await;
    let (s, g) = app
        .api(&officer, Method::POST, "/api/v1/agreements",
            Some(json!({"kind": "memorandum", "title_vi": "Bản ghi nhớ với OIC", "owner_agency": "A", "partners": [dup]})))
        .await;
    assert_eq!(s, 201, "{g}");
    let (s, c) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/commitments",
            Some(
                json!({"title": "Gửi tài liệu cho OIC", "source": "activity",
                "source_id": a["activity"]["id"], "owner_agency": "A", "due_on": "2020-01-01"}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["partner_id"], dup.as_str());
    let (_, b) = app
        .api(&officer, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(b["by_partner"][0]["id"], dup.as_str(), "{b}");
    // The officer's kept list of the surviving partner (empty so far).
    let kept = format!("/api/v1/activities?partner={keep}");
    let (_, l) = app.api(&officer, Method::GET, &kept, None).await;
    assert_eq!(l["total"], 0, "{l}");
    // An officer may not merge records that belong to another agency.
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, r) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let (_, l) = app.api(&officer, Method::GET, &kept, None).await;
    assert_eq!(l["total"], 1, "the moved link shows at once: {l}");
    assert_eq!(
        r,
        json!({"names": 2, "frameworks": 1, "missions": 1, "activities": 1,
            "agreements": 1, "commitments": 1, "positions": 0})
    );
    let (_, g) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/agreements/{}", g["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(g["partners"][0]["id"], keep.as_str(), "{g}");
    let (_, c) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/commitments/{}", c["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(c["partner_id"], keep.as_str());
    let (_, b) = app
        .api(&officer, Method::GET, "/api/v1/commitments/board", None)
        .await;
    assert_eq!(
        b["by_partner"][0]["id"],
        keep.as_str(),
        "the board counts under the survivor at once: {b}"
    );
    let (_, d) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/partners/{keep}"),
            None,
        )
        .await;
    assert_eq!(d["current"]["level_code"], "comprehensive");
    assert_eq!(d["missions"][0]["agency"]["code"], "DSQ-SA");
    assert!(
        d["aliases"].as_array().unwrap().iter().any(|x| x == "OIC"),
        "{d}"
    );
    let (_, act) = app
        .api(
            &officer,
            Method::GET,
            &format!(
                "/api/v1/activities/{}",
                a["activity"]["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(act["partners"][0]["id"], keep.as_str());
    assert_eq!(
        find(app, &root, "oic").await["items"][0]["partner"]["id"],
        keep.as_str(),
        "the duplicate's alias finds the survivor"
    );
    let (_, all) = app
        .api(&root, Method::GET, "/api/v1/partners?q=hoi%20giao", None)
        .await;
    assert_eq!(all["total"], 1, "the merged record is out of the lists");
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 403, "merged once");
    let laos = partner_id(app, &root, "LAO").await;
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/partners/{laos}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 403, "a country is never merged away");
    let (_, h) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/partners/{keep}/history"),
            None,
        )
        .await;
    assert_eq!(h[0]["action"], "merge");
    let (_, h) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/partners/{dup}/history"),
            None,
        )
        .await;
    assert_eq!(h[0]["action"], "merged_into");
}

async fn the_list_exports_to_xlsx_and_csv_as_filtered(app: &TestApp) {
    let root = app.token("root").await;
    let (s, _) = app
        .api(&root, Method::POST, "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Hữu nghị «Cầu nối», Hà Nội", "aliases": ["Quỹ Cầu nối", "CN"]})))
        .await;
    assert_eq!(s, 201);
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Quỹ Cầu nối mật", "classification": "toi_mat", "secret_item": "TOI_MAT"})),
        )
        .await;
    assert_eq!(s, 201);
    let officer = app.signed_in("officer").await;
    let r = officer.get("/partners.csv?kind=ngo&q=cau%20noi").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let body = r.bytes().await.unwrap();
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "a BOM for spreadsheet programs"
    );
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "the heading and the one partner: {text}");
    assert!(lines[0].starts_with("Tên tiếng Việt,"));
    assert!(
        lines[1].starts_with("\"Quỹ Hữu nghị «Cầu nối», Hà Nội\","),
        "quoted because of the comma: {}",
        lines[1]
    );
    assert!(
        lines[1].contains("CN; Quỹ Cầu nối") || lines[1].contains("Quỹ Cầu nối; CN"),
        "{}",
        lines[1]
    );
    assert!(
        !text.contains("mật"),
        "nothing above the reader's clearance"
    );
    let r = officer.get("/partners.xlsx?kind=country").await;
    assert_eq!(r.status(), 200);
    let body = r.bytes().await.unwrap();
    assert!(body.starts_with(b"PK"), "an XLSX is a zip");
    assert!(body.len() > 5_000, "every country: {} bytes", body.len());
}

async fn administrators_keep_the_framework_level_catalogue(app: &TestApp) {
    let root = app.token("root").await;
    let admin = app.token("admin").await;
    let officer = app.token("officer").await;
    let level = json!({"code": "hop_tac_sau_rong", "name_vi": "Đối tác hợp tác sâu rộng",
        "name_en": "Broad cooperation partner", "rank": 45});
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            "/api/v1/framework-levels",
            Some(level.clone()),
        )
        .await;
    assert_eq!(s, 403);
    let (s, l) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/framework-levels",
            Some(level.clone()),
        )
        .await;
    assert_eq!(s, 201, "{l}");
    let (s, e) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/framework-levels",
            Some(level.clone()),
        )
        .await;
    assert_eq!(s, 422, "the code is taken: {e}");
    assert!(e["error"]["fields"]["code"].is_string());
    let (s, e) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/framework-levels",
            Some(json!({"code": "Hợp tác", "name_vi": "x", "name_en": "x", "rank": 1})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, l) = app
        .api(&admin, Method::PUT, "/api/v1/framework-levels/hop_tac_sau_rong",
            Some(json!({"name_vi": "Đối tác hợp tác toàn diện sâu rộng", "name_en": "Broad cooperation partner", "rank": 46})))
        .await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(l["rank"], 46);
    let (s, _) = app
        .api(
            &admin,
            Method::PUT,
            "/api/v1/framework-levels/khong_co",
            Some(json!({"name_vi": "x", "name_en": "x", "rank": 1})),
        )
        .await;
    assert_eq!(s, 404);
    // The new level is usable at once and shows in the list filter.
    let (s, p) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "organisation", "name_vi": "Liên minh Thử nghiệm"})),
        )
        .await;
    assert_eq!(s, 201);
    let id = p["id"].as_str().unwrap();
    let (s, d) = app
        .api(&root, Method::POST, &format!("/api/v1/partners/{id}/frameworks"),
            Some(json!({"level_code": "hop_tac_sau_rong", "since": "2025", "source": "Thông cáo (kiểm thử)"})))
        .await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(
        d["current"]["level_vi"],
        "Đối tác hợp tác toàn diện sâu rộng"
    );
    let (_, list) = app
        .api(
            &officer,
            Method::GET,
            "/api/v1/partners?level=hop_tac_sau_rong",
            None,
        )
        .await;
    assert_eq!(list["total"], 1);
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            "/api/v1/audit?entity_type=framework_level",
            None,
        )
        .await;
    assert!(
        audit.to_string().contains("hop_tac_sau_rong"),
        "audited: {audit}"
    );
}

async fn lists_sort_by_framework_and_date(app: &TestApp) {
    let t = app.token("viewer").await;
    let (_, l) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?kind=country&sort=level",
            None,
        )
        .await;
    let levels: Vec<&str> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(8)
        .map(|r| r["current"]["level_code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(&levels[..3], ["special"; 3], "{levels:?}");
    assert_eq!(&levels[3..8], ["comprehensive_strategic"; 5], "{levels:?}");
    let (_, l) = app
        .api(&t, Method::GET, "/api/v1/partners?sort=since", None)
        .await;
    let dates: Vec<&str> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map_while(|r| r["current"]["since_date"].as_str())
        .collect();
    assert!(dates.len() > 20, "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "latest first: {dates:?}"
    );
    let (_, l) = app
        .api(&t, Method::GET, "/api/v1/partners?sort=kind&page=5", None)
        .await;
    assert_eq!(
        l["items"][0]["partner"]["kind"], "country",
        "countries first"
    );
}

async fn lists_filter_by_world_region(app: &TestApp) {
    let t = app.token("officer").await;
    let codes = |l: &serde_json::Value| -> Vec<String> {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partner"]["country_code"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let (_, l) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?kind=country&region=035",
            None,
        )
        .await;
    let mut sea = codes(&l);
    sea.sort();
    assert_eq!(
        sea,
        [
            "BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"
        ],
        "South-Eastern Asia as CLDR lists it"
    );
    let (_, asia) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?kind=country&region=142",
            None,
        )
        .await;
    assert!(asia["total"].as_u64().unwrap() > 40, "{}", asia["total"]);
    // An organisation is where its home country is; one without a country is in no region.
    let (s, _) = app
        .api(
            &t,
            Method::POST,
            "/api/v1/partners",
            Some(json!({"kind": "ngo", "name_vi": "Hội Hữu nghị Nhật – Việt Kansai", "country_code": "JP"})),
        )
        .await;
    assert_eq!(s, 201);
    let (_, l) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?kind=ngo&region=030",
            None,
        )
        .await;
    assert_eq!(l["total"], 1, "{l}");
    let (_, l) = app
        .api(
            &t,
            Method::GET,
            "/api/v1/partners?region=150&q=kansai",
            None,
        )
        .await;
    assert_eq!(l["total"], 0);
    let html = app
        .signed_in("officer")
        .await
        .get("/partners?region=035")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Đông Nam Á") && html.contains("Campuchia"),
        "the page's region select"
    );
}

both!(
    lists_filter_by_world_region,
    lists_sort_by_framework_and_date,
    administrators_keep_the_framework_level_catalogue,
    the_list_exports_to_xlsx_and_csv_as_filtered,
    a_merge_keeps_every_link,
    edit_pages_keep_what_was_typed_on_a_stale_save,
    edits_are_versioned_checked_for_duplicates_and_audited,
    a_country_stays_a_country_and_keeps_its_iso_names,
    missions_are_accredited_and_removed,
    countries_and_frameworks_are_seeded,
    duplicates_are_caught_whatever_the_diacritics_and_case,
    current_level_is_the_latest_by_date_whatever_the_order_of_entry,
    classified_partners_stay_hidden_above_clearance,
);
