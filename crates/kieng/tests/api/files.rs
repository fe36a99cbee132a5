//! Attachments: only real files of accepted kinds, served as downloads only, to
//! readers of the activity; uploads from the page need the CSRF token.

use crate::activities::{create, visit};
use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;

async fn upload(
    app: &TestApp,
    token: &str,
    activity: &str,
    name: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let r = app
        .anon()
        .post(app.url(&format!(
            "/api/v1/activities/{activity}/attachments?name={name}"
        )))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or_default())
}

pub(crate) fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kiengboundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn files_are_checked_stored_and_served_as_downloads(app: &TestApp) {
    let officer = app.token("officer").await;
    let a = create(
        app,
        &officer,
        visit("Đoàn ra có tài liệu", "A", vec![], 5, 6),
    )
    .await;
    let id = a["activity"]["id"].as_str().unwrap().to_string();
    let pdf = b"%PDF-1.7\n% Chuong trinh lam viec\n".to_vec();
    let (s, f) = upload(app, &officer, &id, "Chương%20trình.pdf", pdf.clone()).await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(f["content_type"], "application/pdf");
    assert_eq!(f["file_name"], "Chương trình.pdf");
    assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    // Markup dressed as a PDF, a web page, an executable: refused with the reason.
    for (name, body) in [
        ("x.pdf", b"<html><script>alert(1)</script>".to_vec()),
        ("x.html", b"<p>hi</p>".to_vec()),
        ("x.exe", b"MZ\x90\0".to_vec()),
    ] {
        let (s, e) = upload(app, &officer, &id, name, body).await;
        assert_eq!(s, 422, "{name}: {e}");
        assert!(e["error"]["fields"]["file"].is_string());
    }
    let (s, _) = upload(app, &officer, &id, "big.pdf", {
        let mut v = b"%PDF-".to_vec();
        v.resize(kieng_domain::attachment::MAX_BYTES + 1, b' ');
        v
    })
    .await;
    assert_eq!(s, 422, "over the size limit");
    let (_, list) = app
        .api(
            &officer,
            Method::GET,
            &format!("/api/v1/activities/{id}/attachments"),
            None,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let fid = f["id"].as_str().unwrap();
    let r = app
        .anon()
        .get(app.url(&format!("/activities/{id}/attachments/{fid}")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''Ch%C6%B0%C6%A1ng")
    );
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    // Outside the activity's scope the file does not exist.
    let root = app.token("root").await;
    let other = create(app, &root, visit("Hoạt động của Ban", "B", vec![], 5, 5)).await;
    let oid = other["activity"]["id"].as_str().unwrap().to_string();
    let (s, g) = upload(
        app,
        &root,
        &oid,
        "ghi%20chu.txt",
        "Ghi chú nội bộ".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(s, 201, "{g}");
    let r = app
        .anon()
        .get(app.url(&format!(
            "/activities/{oid}/attachments/{}",
            g["id"].as_str().unwrap()
        )))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (s, _) = upload(app, &officer, &oid, "x.txt", b"hello".to_vec()).await;
    assert_eq!(s, 404);
    // The page's form: multipart, its token in the action URL.
    let session = app.signed_in("officer").await;
    let (ct, body) = multipart(
        "Danh sách đoàn.csv",
        "Họ tên,Chức vụ\nNguyễn Văn An,Vụ trưởng\n".as_bytes(),
    );
    let url = format!("{}/activities/{id}/attachments", session.base);
    let r = session
        .client
        .post(&url)
        .header("content-type", &ct)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "no token, no upload (the CSRF refusal)");
    let r = session
        .client
        .post(format!("{url}?_csrf={}", session.csrf))
        .header("content-type", &ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = session
        .get(&format!("/activities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Danh sách đoàn.csv") && html.contains("Chương trình.pdf"));
    // Removed: gone from the list and the link, kept in the audit trail.
    let (s, _) = app
        .api(
            &officer,
            Method::DELETE,
            &format!("/api/v1/activities/{id}/attachments/{fid}"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let r = app
        .anon()
        .get(app.url(&format!("/activities/{id}/attachments/{fid}")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
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
    assert_eq!(actions.iter().filter(|a| **a == "attach").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "detach").count(), 1);
}

both!(files_are_checked_stored_and_served_as_downloads);
