//! People in the partner registry: positions over time, key contacts of a
//! partner, the people list, clearance, and merging two records of one person.

use crate::both;
use crate::helpers::TestApp;
use crate::partners::partner_id;
use reqwest::Method;
use serde_json::{Value, json};

async fn person(app: &TestApp, token: &str, body: Value) -> String {
    let (s, p) = app
        .api(token, Method::POST, "/api/v1/partners", Some(body))
        .await;
    assert_eq!(s, 201, "{p}");
    p["id"].as_str().unwrap().to_string()
}

async fn positions_make_key_contacts_and_obey_clearance(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let japan = partner_id(app, &officer, "JP").await;
    let id = person(
        app,
        &officer,
        json!({"kind": "person", "name_vi": "Kamikawa Yōko",
        "aliases": ["Kamikawa Yoko"], "country_code": "JP"}),
    )
    .await;
    let add = |body: Value| {
        let (officer, id) = (officer.clone(), id.clone());
        async move {
            app.api(
                &officer,
                Method::POST,
                &format!("/api/v1/people/{id}/positions"),
                Some(body),
            )
            .await
        }
    };
    // Dates in order, a real partner, a title.
    let (s, e) = add(json!({"title": "Bộ trưởng Ngoại giao", "organisation": "Nhat Ban", "from": "2023", "to": "2021"})).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["to"].is_string());
    let (s, e) = add(json!({"title": "Bộ trưởng", "organisation": "Không có nước này"})).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["error"]["fields"]["organisation"].is_string());
    let (s, v) = add(json!({"title": "Bộ trưởng Tư pháp", "organisation": "Nhật Bản", "from": "2017", "to": "10/2018"})).await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = add(
        json!({"title": "Bộ trưởng Ngoại giao", "organisation": "nhat ban", "from": "13/09/2023",
        "source": "Thông cáo báo chí (kiểm thử)"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v[0]["title"], "Bộ trưởng Ngoại giao", "held now first: {v}");
    assert_eq!(v[0]["current"], true);
    assert_eq!(v[0]["from"], "13/09/2023");
    assert_eq!(v[1]["current"], false);
    assert_eq!(v[1]["to"], "10/2018");

    // A country or organisation holds no positions.
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/people/{japan}/positions"),
            Some(json!({"title": "Bộ trưởng"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");

    // Japan's dossier lists who holds a position there now; the people list too.
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{japan}"),
            None,
        )
        .await;
    let contacts = d["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 1, "{d}");
    assert_eq!(contacts[0]["person_name"], "Kamikawa Yōko");
    let (_, l) = app
        .api(&officer, Method::GET, "/api/v1/people?q=kamikawa", None)
        .await;
    assert_eq!(l["total"], 1);
    assert_eq!(l["items"][0]["current"][0]["organisation_name"], "Nhật Bản");
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{id}"),
            None,
        )
        .await;
    assert_eq!(d["positions"].as_array().unwrap().len(), 2);

    // A top-secret person never shows to an officer: not in lists, not among contacts.
    let secret = person(
        app,
        &root,
        json!({"kind": "person", "name_vi": "Nhân vật tối mật",
        "classification": "toi_mat", "secret_item": "TOI_MAT"}),
    )
    .await;
    let (s, _) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/people/{secret}/positions"),
            Some(json!({"title": "Cố vấn", "organisation": "Nhật Bản"})),
        )
        .await;
    assert_eq!(s, 201);
    let (_, d) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/partners/{japan}"),
            None,
        )
        .await;
    assert_eq!(d["contacts"].as_array().unwrap().len(), 2);
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{japan}"),
            None,
        )
        .await;
    assert_eq!(d["contacts"].as_array().unwrap().len(), 1);
    let (_, l) = app.api(&officer, Method::GET, "/api/v1/people", None).await;
    assert_eq!(l["total"], 1, "{l}");
    for path in [
        format!("/api/v1/people/{secret}/positions"),
        format!("/api/v1/partners/{secret}"),
    ] {
        let (s, _) = app.api(&officer, Method::GET, &path, None).await;
        assert_eq!(s, 404, "{path}");
    }

    // Removing a position recorded in error: gone from the page, kept in the history.
    let pos = v[1]["id"].as_str().unwrap();
    let viewer = app.token("viewer").await;
    let (s, _) = app
        .api(
            &viewer,
            Method::DELETE,
            &format!("/api/v1/people/{id}/positions/{pos}"),
            None,
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/people/{id}/positions/{pos}"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (_, v) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/people/{id}/positions"),
            None,
        )
        .await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{id}/history"),
            None,
        )
        .await;
    let actions: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"position_removed"), "{actions:?}");
}

async fn merging_two_records_of_a_person_moves_the_positions(app: &TestApp) {
    let officer = app.token("officer").await;
    let keep = person(
        app,
        &officer,
        json!({"kind": "person", "name_vi": "Nguyễn Văn Khách"}),
    )
    .await;
    let dup = person(
        app,
        &officer,
        json!({"kind": "person", "name_vi": "Nguyen Van Khach (trùng)",
        "allow_duplicate": true}),
    )
    .await;
    let (s, _) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/people/{dup}/positions"),
            Some(json!({"title": "Đại sứ", "organisation": "LAO", "from": "2024"})),
        )
        .await;
    assert_eq!(s, 201);
    // Nothing merges a person into an organisation.
    let org = partner_id(app, &officer, "LAO").await;
    let (s, e) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": org})),
        )
        .await;
    assert_eq!(s, 403, "{e}");
    let (s, r) = app
        .api(
            &officer,
            Method::POST,
            &format!("/api/v1/partners/{dup}/merge"),
            Some(json!({"into": keep})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["positions"], 1);
    let (_, v) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/people/{keep}/positions"),
            None,
        )
        .await;
    assert_eq!(v[0]["title"], "Đại sứ");
    assert_eq!(v[0]["organisation_name"], "Lào");
}

both!(
    positions_make_key_contacts_and_obey_clearance,
    merging_two_records_of_a_person_moves_the_positions,
);
