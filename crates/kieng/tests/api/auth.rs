//! Sign-in, sessions, CSRF, throttling, tokens, disabled users, forced password change.

use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;

async fn sign_in_session_and_sign_out(app: &TestApp) {
    let c = app.anon();
    let r = c.get(app.url("/agencies")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=/agencies")
    );

    let r = c
        .post(app.url("/login"))
        .form(&[("username", "officer"), ("password", "sai mật khẩu rồi")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Tên đăng nhập hoặc mật khẩu không đúng")
    );

    let s = app.signed_in("officer").await;
    let cookie_header = s.get("/").await;
    assert_eq!(cookie_header.status(), 200);
    // Sessions live in the database: a second server process would accept it too.
    let r = s.post_form("/logout", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.get("/").await.status(), 303, "signed out");
    let audit = app.store.audit_verify().await.unwrap();
    assert!(audit.result.is_ok());
}

async fn session_cookie_is_httponly_and_samesite(app: &TestApp) {
    let r = app
        .anon()
        .post(app.url("/login"))
        .form(&[("username", "viewer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

async fn csrf_is_required_for_session_posts(app: &TestApp) {
    let s = app.signed_in("admin").await;
    let a = app.agencies["A"].id;
    // No token: refused, nothing written.
    let r = s
        .client
        .post(app.url("/agencies"))
        .form(&[
            ("code", "X1"),
            ("name_vi", "X"),
            ("pillar", "state"),
            ("level", "central"),
            ("parent_id", &a.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Wrong token.
    let r = s
        .client
        .post(app.url("/agencies"))
        .form(&[
            ("code", "X1"),
            ("name_vi", "X"),
            ("pillar", "state"),
            ("level", "central"),
            ("_csrf", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // A cross-site origin, even with the right token.
    let r = s
        .client
        .post(app.url("/agencies"))
        .header("origin", "http://evil.example")
        .form(&[
            ("code", "X1"),
            ("name_vi", "X"),
            ("pillar", "state"),
            ("level", "central"),
            ("_csrf", s.csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(app.store.agency_by_code("X1").await.unwrap().is_none());
    // With the token: created.
    let r = s
        .post_form(
            "/agencies",
            &[
                ("code", "X1"),
                ("name_vi", "Vụ X"),
                ("pillar", "state"),
                ("level", "central"),
                ("parent_id", &a.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(app.store.agency_by_code("X1").await.unwrap().is_some());
    // The JSON API with a session needs the header.
    let r = s.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .client
        .post(app.url("/api/v1/me/tokens"))
        .json(&serde_json::json!({"label": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = s
        .client
        .post(app.url("/api/v1/me/tokens"))
        .header("x-csrf-token", &s.csrf)
        .json(&serde_json::json!({"label": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

async fn failed_sign_ins_are_throttled(app: &TestApp) {
    let c = app.anon();
    for _ in 0..kieng_store::auth::ACCOUNT_LIMIT {
        let r = c
            .post(app.url("/login"))
            .form(&[("username", "viewer"), ("password", "không phải mật khẩu")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // Now even the right password is refused for a while.
    let r = c
        .post(app.url("/login"))
        .form(&[("username", "viewer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("quá nhiều lần"));
    // Another account from the same address is not locked yet.
    let r = c
        .post(app.url("/login"))
        .form(&[("username", "officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, audit) = app
        .api(
            &app.token("root").await,
            Method::GET,
            "/api/v1/audit?action=sign_in_failed",
            None,
        )
        .await;
    assert_eq!(audit["total"], kieng_store::auth::ACCOUNT_LIMIT);
}

async fn tokens_work_and_revocation_is_immediate(app: &TestApp) {
    let t = app.token("viewer").await;
    let (s, me) = app.api(&t, Method::GET, "/api/v1/me", None).await;
    assert_eq!(s, 200);
    assert_eq!(me["user"]["username"], "viewer");
    let (s, _) = app
        .api("kieng_not-a-token", Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(s, 401);
    let (_, list) = app.api(&t, Method::GET, "/api/v1/me/tokens", None).await;
    let id = list[0]["id"].as_str().unwrap().to_string();
    let (s, _) = app
        .api(&t, Method::DELETE, &format!("/api/v1/me/tokens/{id}"), None)
        .await;
    assert_eq!(s, 204);
    let (s, body) = app.api(&t, Method::GET, "/api/v1/me", None).await;
    assert_eq!(s, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

async fn disabled_users_cannot_sign_in_and_keep_records(app: &TestApp) {
    let s = app.signed_in("officer").await;
    let root = app.token("root").await;
    let id = app.users["officer"];
    let (st, u) = app
        .api(
            &root,
            Method::POST,
            &format!("/api/v1/users/{id}/disable"),
            None,
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(u["disabled"], true);
    assert_eq!(s.get("/").await.status(), 303, "the open session ended");
    let r = app
        .anon()
        .post(app.url("/login"))
        .form(&[("username", "officer"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("vô hiệu hóa"));
    let (st, _) = app
        .api(&root, Method::GET, &format!("/api/v1/users/{id}"), None)
        .await;
    assert_eq!(st, 200, "the user record stays");
}

async fn one_time_password_must_be_changed_first(app: &TestApp) {
    let root = app.token("root").await;
    let (st, created) = app
        .api(&root, Method::POST, "/api/v1/users", Some(serde_json::json!({"username": "moi", "agency_id": app.agencies["A"].id, "role": "officer"})))
        .await;
    assert_eq!(st, 201, "{created}");
    let otp = created["one_time_password"].as_str().unwrap().to_string();
    let c = app.anon();
    let r = c
        .post(app.url("/login"))
        .form(&[("username", "moi"), ("password", otp.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(app.url("/agencies")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/account");
    let html = c
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::helpers::csrf_of(&html);
    let r = c
        .post(app.url("/account/password"))
        .form(&[
            ("current_password", otp.as_str()),
            ("new_password", "ngắn"),
            ("confirm_password", "ngắn"),
            ("_csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ít nhất 12 ký tự"));
    let r = c
        .post(app.url("/account/password"))
        .form(&[
            ("current_password", otp.as_str()),
            ("new_password", PASSWORD),
            ("confirm_password", PASSWORD),
            ("_csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        c.get(app.url("/agencies")).send().await.unwrap().status(),
        200
    );
}

async fn language_switch_is_remembered(app: &TestApp) {
    let s = app.signed_in("viewer").await;
    assert!(s.get("/").await.text().await.unwrap().contains("Tổng quan"));
    let r = s
        .post_form(
            "/account/language",
            &[("lang", "en"), ("back", "/agencies")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = s.get("/agencies").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Agencies"));
    // Remembered for the user, not just the browser: a fresh sign-in sees English.
    let s2 = app.signed_in("viewer").await;
    assert!(s2.get("/").await.text().await.unwrap().contains("Overview"));
}

both!(
    sign_in_session_and_sign_out,
    session_cookie_is_httponly_and_samesite,
    csrf_is_required_for_session_posts,
    failed_sign_ins_are_throttled,
    tokens_work_and_revocation_is_immediate,
    disabled_users_cannot_sign_in_and_keep_records,
    one_time_password_must_be_changed_first,
    language_switch_is_remembered,
);
