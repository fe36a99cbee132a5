//! The `kieng` process itself: the allocators' settings (glibc's arenas capped,
//! mimalloc returning freed pages) set when the operator has not said otherwise
//! (the process replaces itself, keeping its PID).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `kieng serve` on a fresh data directory; returns once it answers `/readyz`.
fn serve(arenas: Option<&str>) -> (Child, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("kieng-process-{}", uuid::Uuid::now_v7()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kieng"));
    cmd.args([
        "--data-dir",
        &dir.display().to_string(),
        "serve",
        "--listen",
    ])
    .arg(format!("127.0.0.1:{port}"))
    .env("KIENG_LOG", "error")
    .env_remove("MALLOC_ARENA_MAX")
    .env_remove("MIMALLOC_ARENA_EAGER_COMMIT")
    .env_remove("MIMALLOC_PURGE_DELAY")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    if let Some(a) = arenas {
        cmd.env("MALLOC_ARENA_MAX", a);
    }
    let child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "kieng serve did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, dir)
}

/// The process's environment as the kernel holds it (after any exec).
fn environ(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .unwrap()
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

#[test]
fn the_server_runs_with_its_allocator_settings_unless_told_otherwise() {
    if !cfg!(target_os = "linux") {
        return;
    }
    for (given, expected) in [
        (None, "MALLOC_ARENA_MAX=2"),
        (Some("4"), "MALLOC_ARENA_MAX=4"),
    ] {
        let (mut child, dir) = serve(given);
        let env = environ(child.id());
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(env.iter().any(|v| v == expected), "{given:?}: {env:?}");
        for set in ["MIMALLOC_ARENA_EAGER_COMMIT=0", "MIMALLOC_PURGE_DELAY=0"] {
            assert!(env.iter().any(|v| v == set), "{given:?}: {set} in {env:?}");
        }
    }
}
