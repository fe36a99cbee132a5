//! Importing partners and contacts from CSV and XLSX: one bad row stops the whole
//! file (named by row and column), a clean file creates every new partner and
//! contact position in one go, partners already present are skipped, and the
//! export reads back as "already present".

use crate::both;
use crate::files::multipart;
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::Value;

/// POST a file to the import API.
async fn import(app: &TestApp, token: &str, query: &str, body: &[u8]) -> (u16, Value) {
    let r = app
        .anon()
        .post(app.url(&format!("/api/v1/partners/import{query}")))
        .bearer_auth(token)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn total(app: &TestApp, token: &str, q: &str) -> u64 {
    let (_, l) = app
        .api(token, Method::GET, &format!("/api/v1/partners?q={q}"), None)
        .await;
    l["total"].as_u64().unwrap()
}

const HEAD: &str = "Tên tiếng Việt,Tên tiếng Anh,Loại đối tác,Nước,Tên gọi khác,Láng giềng,Chức vụ hiện nay,Nơi giữ chức vụ,Giữ chức vụ từ\n";

fn file(kind_of_row_4: &str) -> Vec<u8> {
    format!(
        "\u{FEFF}{HEAD}\
         Quỹ Hữu nghị Sông Mê Kông,Mekong Friendship Fund,Tổ chức phi chính phủ nước ngoài,LA,Quỹ Mê Kông,,,,\n\
         Ông Somsak Phimmasone,,Nhân vật,Lào,,,Chủ tịch,Quy Me Kong,03/2021\n\
         Hội Hữu nghị Sông Hồng,,{kind_of_row_4},,,,,,\n\
         Nhật Bản,Japan,Quốc gia,,,,,,\n"
    )
    .into_bytes()
}

async fn an_import_with_one_bad_row_writes_nothing(app: &TestApp) {
    let officer = app.token("officer").await;
    let bad = file("hành tinh");
    for query in ["?dry_run=true", ""] {
        let (s, r) = import(app, &officer, query, &bad).await;
        assert_eq!(s, 422, "{r}");
        assert_eq!(r["applied"], false);
        let problems = r["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{r}");
        assert_eq!(problems[0]["row"], 4);
        assert_eq!(problems[0]["column"], "Loại đối tác");
        assert!(
            problems[0]["message"]
                .as_str()
                .unwrap()
                .contains("hành tinh")
        );
        assert_eq!(r["rows"][3]["status"], "exists", "Japan is skipped: {r}");
    }
    assert_eq!(
        total(app, &officer, "song%20me%20kong").await,
        0,
        "nothing half-imported"
    );
    assert_eq!(total(app, &officer, "somsak").await, 0);

    // Fixed: every new row at once, the contact's position held at a partner of the same file.
    let (s, r) = import(app, &officer, "", &file("Tổ chức khác")).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["applied"], true);
    assert_eq!(
        (r["new"].as_u64(), r["existing"].as_u64()),
        (Some(3), Some(1))
    );
    let fund = r["rows"][0]["created"].as_str().unwrap().to_string();
    let person = r["rows"][1]["created"].as_str().unwrap().to_string();
    let (_, d) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/partners/{fund}"),
            None,
        )
        .await;
    assert_eq!(d["partner"]["country_code"], "LA", "{d}");
    assert_eq!(
        d["contacts"][0]["person_name"], "Ông Somsak Phimmasone",
        "{d}"
    );
    let (_, p) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/people/{person}/positions"),
            None,
        )
        .await;
    assert_eq!(p[0]["title"], "Chủ tịch", "{p}");
    assert_eq!(p[0]["from"], "03/2021");
    assert_eq!(p[0]["organisation_name"], "Quỹ Hữu nghị Sông Mê Kông");
    let root = app.token("root").await;
    let (_, audit) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={fund}"),
            None,
        )
        .await;
    assert_eq!(audit["total"], 1, "the creation is audited: {audit}");

    // The same file again: everything is already there.
    let (s, r) = import(app, &officer, "", &file("Tổ chức khác")).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (r["new"].as_u64(), r["existing"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(total(app, &officer, "song%20me%20kong").await, 1);
}

async fn files_are_checked_as_a_whole(app: &TestApp) {
    let officer = app.token("officer").await;
    // The same partner twice in one file (by an alias), an unknown country, a
    // position for an organisation, a classification above the officer's clearance.
    let csv = format!(
        "{HEAD}\
         Hội Doanh nhân Á Âu,,Doanh nghiệp,XX,HDN,,,,\n\
         Hiệp hội Doanh nhân Á-Âu,,Doanh nghiệp,,hdn,,,,\n\
         Đảng Xanh,,Đảng chính trị nước ngoài,,,,Chủ tịch,,\n\
         Ông Không Tên,,Nhân vật,,,,Cố vấn,Tổ chức không có,\n"
    );
    let (s, r) = import(
        app,
        &officer,
        "?dry_run=true&classification=toi_mat&secret_item=TOI_MAT",
        csv.as_bytes(),
    )
    .await;
    assert_eq!(s, 422, "{r}");
    let at: Vec<(u64, String)> = r["problems"]
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
        at,
        vec![
            (1, String::new()),
            (2, "Nước".into()),
            (3, "Tên tiếng Việt".into()),
            (4, "Chức vụ hiện nay".into()),
            (5, "Nơi giữ chức vụ".into()),
        ],
        "{r}"
    );
    // Headings the import does not know stop it before any row is read.
    let (s, r) = import(app, &officer, "", "Tên;Loại\nA;party\n".as_bytes()).await;
    assert_eq!(s, 422);
    assert!(r["problems"].as_array().unwrap().len() >= 2, "{r}");
    // Not a spreadsheet at all.
    let (s, r) = import(app, &officer, "", &[0xD0, 0xCF, 0x11, 0xE0, 1, 2]).await;
    assert_eq!(s, 422, "{r}");
    assert!(r["error"]["fields"]["file"].is_string(), "{r}");
    // Viewers import nothing.
    let viewer = app.token("viewer").await;
    let (s, _) = import(app, &viewer, "", csv.as_bytes()).await;
    assert_eq!(s, 403);
}

async fn the_export_reads_back_and_the_page_previews_before_importing(app: &TestApp) {
    let admin = app.signed_in("admin").await;
    // Every country, exported as XLSX, imports back as "already present".
    let xlsx = admin
        .get("/partners.xlsx?kind=country")
        .await
        .bytes()
        .await
        .unwrap();
    let token = app.token("admin").await;
    let (s, r) = import(app, &token, "?dry_run=true", &xlsx).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["new"], 0);
    assert!(r["existing"].as_u64().unwrap() > 200, "{}", r["existing"]);

    // The page: a file that is no spreadsheet gets the form back with what to do.
    let (ct, body) = multipart("cu.xls", &[0xD0, 0xCF, 0x11, 0xE0, 1, 2]);
    let r = admin
        .client
        .post(format!(
            "{}/partners/import?_csrf={}",
            admin.base, admin.csrf
        ))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(".xlsx"));
    // Upload, preview, confirm.
    let csv = format!("{HEAD}Trung tâm Giao lưu Văn hoá Việt – Lào,,Tổ chức khác,LA,,,,,\n");
    let (ct, body) = multipart("doi-tac.csv", csv.as_bytes());
    let r = admin
        .client
        .post(format!(
            "{}/partners/import?_csrf={}",
            admin.base, admin.csrf
        ))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("doi-tac.csv") && html.contains("Trung tâm Giao lưu"),
        "{html}"
    );
    let batch = html
        .split("action=\"/partners/import/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(
        total(app, &token, "giao%20luu%20van%20hoa").await,
        0,
        "not before the confirmation"
    );
    // Another user cannot apply someone else's upload.
    let officer = app.signed_in("officer").await;
    let r = officer
        .post_form(&format!("/partners/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 404);
    let r = admin
        .post_form(&format!("/partners/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/partners/import?created=1&skipped=0"
    );
    assert_eq!(total(app, &token, "giao%20luu%20van%20hoa").await, 1);
    let r = admin
        .post_form(&format!("/partners/import/{batch}"), &[])
        .await;
    assert_eq!(r.status(), 404, "an upload is applied once");
}

both!(
    an_import_with_one_bad_row_writes_nothing,
    files_are_checked_as_a_whole,
    the_export_reads_back_and_the_page_previews_before_importing,
);
