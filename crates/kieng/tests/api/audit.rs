//! The audit trail: written with each change, hidden above clearance, and
//! verified end to end — tampering directly in SQL is caught and named.

use crate::both;
use crate::helpers::TestApp;
use reqwest::Method;

async fn verify_catches_an_altered_row(app: &TestApp) {
    assert!(app.store.audit_verify().await.unwrap().result.is_ok());
    app.sql("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 3")
        .await;
    let r = app.store.audit_verify().await.unwrap();
    assert_eq!(
        r.result,
        Err(kieng_domain::audit::ChainBreak::Altered { seq: 3 })
    );
    assert_eq!(r.checked, 2);
}

async fn verify_catches_a_removed_row(app: &TestApp) {
    app.sql("DELETE FROM audit_log WHERE seq = 4").await;
    let r = app.store.audit_verify().await.unwrap();
    assert_eq!(
        r.result,
        Err(kieng_domain::audit::ChainBreak::Gap {
            seq: 5,
            expected_prev: 4
        })
    );
    // Removing the newest entries is caught against the head.
    let app_last = app.store.audit_verify().await.unwrap();
    assert!(app_last.result.is_err());
}

async fn verify_catches_a_removed_tail(app: &TestApp) {
    app.sql("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
        .await;
    assert!(matches!(
        app.store.audit_verify().await.unwrap().result,
        Err(kieng_domain::audit::ChainBreak::Truncated { .. })
    ));
}

async fn changes_reads_and_denials_are_audited_within_clearance(app: &TestApp) {
    let root = app.token("root").await;
    let admin = app.token("admin").await;
    // A read of a classified record is logged.
    let (s, _) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/agencies/{}", app.agencies["MAT"].id),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (_, reads) = app
        .api(&root, Method::GET, "/api/v1/audit?action=read", None)
        .await;
    assert_eq!(reads["total"], 1);
    assert_eq!(reads["items"][0]["actor_name"], "root");
    // A denial is logged.
    let viewer = app.token("viewer").await;
    let (s, _) = app.api(&viewer, Method::GET, "/api/v1/users", None).await;
    assert_eq!(s, 403);
    let (_, denied) = app
        .api(&root, Method::GET, "/api/v1/audit?action=denied", None)
        .await;
    assert_eq!(denied["items"][0]["actor_name"], "viewer");
    // The admin with clearance Mật never sees the entries about the Tối mật agency.
    let secret = app.agencies["SECRET"].id.to_string();
    let (_, mine) = app
        .api(
            &admin,
            Method::GET,
            &format!("/api/v1/audit?entity_id={secret}"),
            None,
        )
        .await;
    assert_eq!(mine["total"], 0);
    let (_, roots) = app
        .api(
            &root,
            Method::GET,
            &format!("/api/v1/audit?entity_id={secret}"),
            None,
        )
        .await;
    assert_eq!(roots["total"], 1);
    // Entry content is what changed, with request id and address.
    let (_, created) = app
        .api(
            &root,
            Method::GET,
            &format!(
                "/api/v1/audit?entity_id={}&action=create",
                app.agencies["A"].id
            ),
            None,
        )
        .await;
    assert_eq!(created["items"][0]["after"]["code"], "A");
}

async fn cli_audit_verify_exit_code(app: &TestApp) {
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
            .args(["--database-url", &app.database_url, "audit", "verify"])
            .env("KIENG_LOG", "error")
            .output()
            .unwrap()
    };
    let ok = run();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));
    app.sql("UPDATE audit_log SET after_json = '{}' WHERE seq = 2")
        .await;
    let bad = run();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("entry 2: its content does not match its hash")
    );
}

/// A chain cut back and its head moved with it still links up, so plain
/// `verify` passes; a checkpoint taken before catches it.
async fn a_checkpoint_catches_a_cut_chain(app: &TestApp) {
    let cli = |args: &[&str]| {
        let dir = app.dir.to_string_lossy().to_string();
        let mut all = vec!["--database-url", &app.database_url, "--data-dir", &dir];
        all.extend_from_slice(args);
        std::process::Command::new(env!("CARGO_BIN_EXE_kieng"))
            .args(&all)
            .env("KIENG_LOG", "error")
            .output()
            .unwrap()
    };
    let out = cli(&["audit", "checkpoint"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cp: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let seq = cp["seq"].as_i64().unwrap();
    assert!(seq > 2);
    let file = app.dir.join("audit-checkpoints.jsonl");
    let file = file.to_string_lossy().to_string();
    let ok = cli(&["audit", "verify", "--against", &file]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(
        text.contains(&format!("head: entry {seq}")) && text.contains("agrees"),
        "{text}"
    );
    // Cut the last two entries and move the head back onto the new last one.
    let keep = seq - 2;
    app.sql(&format!("DELETE FROM audit_log WHERE seq > {keep}"))
        .await;
    app.sql(&format!(
        "UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep}) WHERE id = 1"
    ))
    .await;
    let plain = cli(&["audit", "verify"]);
    assert_eq!(plain.status.code(), Some(0), "the cut chain still links up");
    let caught = cli(&["audit", "verify", "--against", &file]);
    assert_eq!(caught.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&caught.stderr).contains("were removed"));
    // A checkpoint edited to agree is not signed with the key.
    let forged =
        serde_json::json!({"seq": keep, "hash": "0".repeat(64), "at": cp["at"], "mac": cp["mac"]});
    let forged_file = app.dir.join("forged.jsonl");
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    let out = cli(&[
        "audit",
        "verify",
        "--against",
        &forged_file.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not signed"));
}

both!(
    a_checkpoint_catches_a_cut_chain,
    verify_catches_an_altered_row,
    verify_catches_a_removed_row,
    verify_catches_a_removed_tail,
    changes_reads_and_denials_are_audited_within_clearance,
    cli_audit_verify_exit_code,
);
