//! The OpenAPI document tells the truth: it is valid OpenAPI 3.1
//! (openapi-spec-validator), the server keeps it under schemathesis's every
//! check over every operation (fixed seed, a few examples each), and a client
//! generated from it (openapi-python-client) runs a journey. `.ci/run`
//! installs the three tools; the API is the same on both databases, so this
//! runs on SQLite.

use crate::helpers::{Db, spawn};
use std::path::Path;
use std::process::Command;

fn run(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what} could not start ({e}); .ci/run installs it"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_its_openapi_contract() {
    let app = spawn(Db::Sqlite).await;
    let dir = app.dir.join("contract");
    std::fs::create_dir_all(&dir).unwrap();
    let doc = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, &doc).unwrap();
    run(
        Command::new("openapi-spec-validator").arg(&file),
        "openapi-spec-validator",
    );
    // A client generated from the document, one journey with it.
    let journey_token = app.token("officer").await;
    run(
        Command::new("openapi-python-client").args([
            "generate",
            "--path",
            &file.to_string_lossy(),
            "--output-path",
            &dir.join("kieng_client").to_string_lossy(),
            "--meta",
            "none",
        ]),
        "openapi-python-client",
    );
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract");
    run(
        Command::new("python3")
            .arg(here.join("journey.py"))
            .arg(&dir)
            .arg(app.url(""))
            .arg(&journey_token),
        "the generated client's journey",
    );
    // Every operation, every check. The caller's own token is left alone
    // (revoking it would end the run, not test anything).
    let token = app.token("root").await;
    run(
        Command::new("st").current_dir(&dir).args([
            "--config-file",
            &here.join("schemathesis.toml").to_string_lossy(),
            "run",
            &app.url("/api/v1/openapi.json"),
            "-H",
            &format!("Authorization: Bearer {token}"),
            "--checks",
            "all",
            "--max-examples",
            "5",
            "--seed",
            "1",
            "--workers",
            "2",
            "--exclude-path-regex",
            r"/me/tokens/\{id\}$",
            "--no-color",
        ]),
        "schemathesis",
    );
    app.stop().await;
}
