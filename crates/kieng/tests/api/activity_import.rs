//! Importing past activities: a file with one bad row writes nothing and
//! names the row and column; the fixed file writes every row, audited, with
//! the sheet's status and the file and row each came from; the same file
//! again and the list's own export are "nothing new"; names resolved with and
//! without diacritics and by another name; a merged agency's records stay its
//! own and are seen under its successor.

use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

both!(
    a_past_delegation_list_imports_once_and_its_export_reimports_as_nothing_new,
    a_merged_agencys_past_records_stay_its_own_under_its_successor,
    a_partner_missing_from_kieng_is_created_from_the_preview,
);

async fn import(app: &TestApp, token: &str, query: &str, body: &[u8]) -> (u16, Value) {
    let r = app
        .anon()
        .post(app.url(&format!("/api/v1/activities/import{query}")))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn total(app: &TestApp, token: &str) -> u64 {
    let (_, l) = app
        .api(token, Method::GET, "/api/v1/activities", None)
        .await;
    l["total"].as_u64().unwrap()
}

const HEAD: &str = "Ngày,Nội dung,Hình thức,Đơn vị chủ trì,Đối tác,Tình trạng\n";

fn file(status_of_row_4: &str) -> Vec<u8> {
    format!(
        "\u{FEFF}{HEAD}\
         12/05/2019,Hội đàm với Bộ Ngoại giao Nhật Bản,talks,A,Nhật Bản,Đã thực hiện\n\
         tháng 6/2018,Cục Lãnh sự làm việc với phía Nhật,talks,cuc lanh su,Nhat Ban,Done\n\
         2017,Tiếp xúc với Đại sứ quán Nhật Bản,talks,Bộ Ngoại giao,Japan,{status_of_row_4}\n"
    )
    .into_bytes()
}

async fn a_past_delegation_list_imports_once_and_its_export_reimports_as_nothing_new(
    app: &TestApp,
) {
    let officer = app.token("officer").await;
    let viewer = app.token("viewer").await;
    let (s, _) = import(app, &viewer, "", &file("Đã hủy")).await;
    assert_eq!(s, 403, "a viewer imports nothing");

    // One bad row: nothing is written, the row and the file's heading named.
    let (s, r) = import(app, &officer, "?file_name=doan-ra.csv", &file("Đang làm")).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["applied"], false);
    let p = &r["problems"][0];
    assert_eq!(
        (p["row"].as_u64(), p["column"].as_str()),
        (Some(4), Some("Tình trạng")),
        "{r}"
    );
    assert_eq!(total(app, &officer).await, 0, "nothing half-written");

    // The fixed file: every row written, with the sheet's status.
    let (s, r) = import(app, &officer, "?file_name=doan-ra.csv", &file("Đã hủy")).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["applied"].as_bool(), r["new"].as_u64()),
        (Some(true), Some(3)),
        "{r}"
    );
    assert_eq!(total(app, &officer).await, 3);
    let created: Vec<String> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["created"].as_str().unwrap().to_string())
        .collect();
    let (_, a) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{}", created[0]),
            None,
        )
        .await;
    assert_eq!(a["activity"]["status"], "done", "{a}");
    assert_eq!(a["partners"][0]["name_vi"], "Nhật Bản");
    let (_, c) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{}", created[2]),
            None,
        )
        .await;
    assert_eq!(c["activity"]["status"], "cancelled");
    assert_eq!(
        c["activity"]["lead_agency_id"],
        app.agencies["A"].id.to_string()
    );
    assert_eq!(
        c["partners"][0]["name_vi"], "Nhật Bản",
        "found by its English name"
    );
    // Audited, with where it came from.
    let (_, h) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{}/history", created[1]),
            None,
        )
        .await;
    let text = h.to_string();
    assert!(
        text.contains("import") && text.contains("doan-ra.csv"),
        "{h}"
    );
    // The chain holds with the batch of entries in it.
    let v = app.store.audit_verify().await.unwrap();
    assert!(v.result.is_ok() && v.checked > 3, "{:?}", v.result);
    let origin = app
        .store
        .activity_origin(created[1].parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (origin.row_number, origin.date_precision.as_str()),
        (3, "month")
    );

    // The same file again: nothing new.
    let (s, r) = import(app, &officer, "?file_name=doan-ra.csv", &file("Đã hủy")).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["new"].as_u64(), r["existing"].as_u64()),
        (Some(0), Some(3)),
        "{r}"
    );
    assert_eq!(total(app, &officer).await, 3);

    // The list's export re-imports as nothing new.
    let session = app.signed_in("officer").await;
    let csv = session.get("/activities.csv").await.bytes().await.unwrap();
    let (s, r) = import(app, &officer, "?dry_run=true", &csv).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["new"].as_u64(), r["existing"].as_u64()),
        (Some(0), Some(3)),
        "{r}"
    );

    // A partner nobody has is named; an unknown agency too.
    let bad = format!(
        "{HEAD}01/01/2016,Gặp gỡ,talks,KHONG-CO,Nước Không Có,Done\n\
         2016,Gặp gỡ khác,talks,KHONG-CO,Nhật Bản,Đang làm\n"
    );
    let (s, r) = import(app, &officer, "", bad.as_bytes()).await;
    assert_eq!(s, 422, "{r}");
    let cols: Vec<&str> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["column"].as_str())
        .collect();
    assert!(
        cols.contains(&"Đơn vị chủ trì") && cols.contains(&"Đối tác"),
        "{r}"
    );
    // A row read with a problem still has its names looked up: every
    // problem of the row at once.
    let row3: Vec<&str> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["row"] == 3)
        .filter_map(|p| p["column"].as_str())
        .collect();
    assert!(
        row3.contains(&"Đơn vị chủ trì") && row3.contains(&"Tình trạng"),
        "{r}"
    );
}

async fn a_merged_agencys_past_records_stay_its_own_under_its_successor(app: &TestApp) {
    let root = app.token("root").await;
    let officer = app.token("officer").await;
    let (s, qn) = app
        .api(
            &root,
            Method::POST,
            "/api/v1/agencies",
            Some(json!({"code": "SNV-QNAM",
            "name_vi": "Sở Ngoại vụ tỉnh Quảng Nam", "abbreviation": "SNV Quảng Nam",
            "pillar": "state", "level": "provincial", "province_code": "VN34-04"})),
        )
        .await;
    assert_eq!(s, 201, "{qn}");
    let qn_id = qn["id"].as_str().unwrap().to_string();
    let (s, e) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/agencies/{qn_id}/lineage"),
            Some(
                json!({"kind": "merged_into", "effective_date": "2025-07-01",
                "related_agency_id": app.agencies["A"].id}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let sheet = format!(
        "{HEAD}20/08/2019,Đoàn Sở Ngoại vụ Quảng Nam thăm Nhật Bản,talks,SNV Quang Nam,Nhật Bản,Đã báo cáo kết quả\n"
    );
    let (s, r) = import(
        app,
        &root,
        "?file_name=quang-nam-2019.xlsx",
        sheet.as_bytes(),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let id = r["rows"][0]["created"].as_str().unwrap().to_string();
    let (s, a) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}"),
            None,
        )
        .await;
    assert_eq!(s, 200, "seen under its successor: {a}");
    assert_eq!(
        a["activity"]["lead_agency_id"],
        qn_id.as_str(),
        "still Quảng Nam's"
    );
    assert_eq!(a["activity"]["status"], "reported");
}

async fn a_partner_missing_from_kieng_is_created_from_the_preview(app: &TestApp) {
    let officer = app.signed_in("officer").await;
    let sheet = format!(
        "{HEAD}10/10/2015,Tiếp Hội hữu nghị thử nghiệm,talks,A,Hội Hữu nghị Thử nghiệm Xa Xôi,Đã thực hiện\n"
    );
    let (ct, body) = crate::files::multipart("tiep-khach-2015.csv", sheet.as_bytes());
    let r = officer
        .client
        .post(format!(
            "{}/activities/import?_csrf={}",
            officer.base, officer.csrf
        ))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-unknown=\"Hội Hữu nghị Thử nghiệm Xa Xôi\""),
        "{html}"
    );
    let batch = html
        .split("action=\"/activities/import/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    // Another user cannot act on this upload.
    let other = app.signed_in("coordinator").await;
    let r = other
        .post_form(
            &format!("/activities/import/{batch}/partners"),
            &[
                ("name", "Hội Hữu nghị Thử nghiệm Xa Xôi"),
                ("kind", "organisation"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = officer
        .post_form(
            &format!("/activities/import/{batch}/partners"),
            &[
                ("name", "Hội Hữu nghị Thử nghiệm Xa Xôi"),
                ("kind", "organisation"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-new=\"1\""),
        "checked again, the row is new: {html}"
    );
    let r = officer
        .post_form(&format!("/activities/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/activities/import?created=1&skipped=0"
    );
}
