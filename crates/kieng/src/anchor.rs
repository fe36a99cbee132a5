//! The audit trail's anchor outside the database: signed checkpoints of the
//! chain's head, appended to `<data-dir>/audit-checkpoints.jsonl` and logged.
//!
//! The key is 32 random bytes in `<data-dir>/audit-checkpoint.key` (mode 0600),
//! made the first time it is needed; the database never holds it. Whoever can
//! write the database can rewrite the chain but cannot sign a checkpoint that
//! agrees; an administrator keeps a copy of the key and of the checkpoint file
//! (or of the log lines) somewhere the database's writers cannot reach, and
//! runs `kieng audit verify --against FILE --key KEY`.

use anyhow::Context;
use kieng_domain::audit::Checkpoint;
use kieng_store::Store;
use rand::RngCore;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const KEY_FILE: &str = "audit-checkpoint.key";
pub const CHECKPOINTS_FILE: &str = "audit-checkpoints.jsonl";
/// How often a running server writes a checkpoint (when the head moved).
pub const EVERY: Duration = Duration::from_secs(15 * 60);

/// Read the key, or make one if the file does not exist.
pub fn key(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => read_key(&text).with_context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("creating {}", data_dir.display()))?;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            writeln!(f, "{}", hex::encode(bytes))?;
            Ok(bytes.to_vec())
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// A key file's text: 64 hexadecimal digits.
pub fn read_key(text: &str) -> anyhow::Result<Vec<u8>> {
    let k = hex::decode(text.trim()).context("the key is not hexadecimal")?;
    anyhow::ensure!(k.len() == 32, "the key must be 32 bytes (64 hex digits)");
    Ok(k)
}

/// Checkpoints from a file of one JSON object a line (blank lines skipped).
pub fn read_checkpoints(path: &Path) -> anyhow::Result<Vec<Checkpoint>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{} line {}: not a checkpoint", path.display(), i + 1))
        })
        .collect()
}

/// Take a checkpoint of the head now, append it to the file and log it.
pub async fn write(store: &Store, data_dir: &Path) -> anyhow::Result<Checkpoint> {
    let key = key(data_dir)?;
    let cp = store.audit_checkpoint(&key).await?;
    let path: PathBuf = data_dir.join(CHECKPOINTS_FILE);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    writeln!(f, "{}", serde_json::to_string(&cp)?)?;
    f.sync_data()?;
    tracing::info!(seq = cp.seq, hash = %cp.hash, at = %cp.at, mac = %cp.mac, "audit checkpoint");
    Ok(cp)
}

/// While the server runs: a checkpoint at start and then every `EVERY`, each
/// time the head has moved since the last.
pub fn spawn(store: Store, data_dir: PathBuf) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last: Option<i64> = None;
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            let head = match store.audit_head().await {
                Ok((seq, _)) => seq,
                Err(e) => {
                    tracing::warn!(error = %e, "audit checkpoint: reading the head failed");
                    continue;
                }
            };
            if last == Some(head) {
                continue;
            }
            match write(&store, &data_dir).await {
                Ok(cp) => last = Some(cp.seq),
                Err(e) => tracing::warn!(error = %e, "audit checkpoint: writing failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("kieng-anchor-{}", uuid::Uuid::new_v4()));
        let k1 = key(&dir).unwrap();
        let k2 = key(&dir).unwrap();
        assert_eq!(k1, k2);
        assert_eq!(k1.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(read_key("zz").is_err());
        assert!(read_key("00").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
