//! The audit trail's integrity: each entry carries the hash of the one before, so
//! altering or removing a row breaks the chain at a place `kieng audit verify` names.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that stands before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that the hash covers, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainFields {
    pub seq: i64,
    pub id: String,
    /// RFC 3339 with microseconds, UTC.
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_agency_id: Option<String>,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub owner_agency_id: Option<String>,
    pub classification: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl ChainFields {
    /// sha256 over the previous hash and every field, each length-prefixed so no
    /// two different entries serialise the same.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut put = |s: Option<&str>| match s {
            None => h.update(b"\xff"),
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        };
        put(Some(prev_hash));
        put(Some(&self.seq.to_string()));
        for v in [
            Some(self.id.as_str()),
            Some(self.at.as_str()),
            self.actor_id.as_deref(),
            self.actor_name.as_deref(),
            self.actor_agency_id.as_deref(),
            Some(self.entity_type.as_str()),
            self.entity_id.as_deref(),
            self.owner_agency_id.as_deref(),
            Some(self.classification.as_str()),
            Some(self.action.as_str()),
            self.before.as_deref(),
            self.after.as_deref(),
            self.request_id.as_deref(),
            self.ip.as_deref(),
        ] {
            put(v);
        }
        hex::encode(h.finalize())
    }
}

/// Why a chain does not verify, naming the first entry at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: its content does not match its hash (the row was altered)")]
    Altered { seq: i64 },
    #[error(
        "entry {seq}: it does not follow entry {expected_prev} (entries before it were removed or reordered)"
    )]
    Gap { seq: i64, expected_prev: i64 },
    #[error(
        "entry {seq}: its link to the previous entry is wrong (an entry before it was altered or removed)"
    )]
    Link { seq: i64 },
    #[error(
        "the log ends at entry {last} but the head records entry {head} (entries at the end were removed)"
    )]
    Truncated { last: i64, head: i64 },
}

/// Walks a chain in order of `seq`, entry by entry, so a long log need not fit in memory.
#[derive(Debug)]
pub struct Verifier {
    prev_seq: i64,
    prev_hash: String,
    pub checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            prev_seq: 0,
            prev_hash: GENESIS.to_string(),
            checked: 0,
        }
    }
}

impl Verifier {
    pub fn step(
        &mut self,
        fields: &ChainFields,
        prev_hash: &str,
        hash: &str,
    ) -> Result<(), ChainBreak> {
        if fields.seq != self.prev_seq + 1 {
            return Err(ChainBreak::Gap {
                seq: fields.seq,
                expected_prev: self.prev_seq + 1,
            });
        }
        if prev_hash != self.prev_hash {
            return Err(ChainBreak::Link { seq: fields.seq });
        }
        if fields.hash(prev_hash) != hash {
            return Err(ChainBreak::Altered { seq: fields.seq });
        }
        self.prev_seq = fields.seq;
        self.prev_hash = hash.to_string();
        self.checked += 1;
        Ok(())
    }

    /// Compare the end of the walk with the head the log keeps.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        if head_seq != self.prev_seq || head_hash != self.prev_hash {
            return Err(ChainBreak::Truncated {
                last: self.prev_seq,
                head: head_seq,
            });
        }
        Ok(())
    }
}

/// Fields of a record's snapshot that are bookkeeping, not what a reader
/// changed: left out when a change is shown in words.
const BOOKKEEPING: &[&str] = &[
    "id",
    "version",
    "sequence",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "deleted_by",
    "password_hash",
];

/// What one audit entry changed, field by field: the keys whose value differs
/// between `before` and `after` (every filled key of a creation), without
/// bookkeeping and folded search copies (`*_fold`, `*_key`), in key order.
pub fn field_changes(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let obj = |v: Option<&Value>| match v {
        Some(Value::Object(m)) => m.clone(),
        _ => empty.clone(),
    };
    let (b, a) = (obj(before), obj(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            !BOOKKEEPING.contains(&k.as_str()) && !k.ends_with("_fold") && !k.ends_with("_key")
        })
        .filter_map(|k| {
            let (x, y) = (
                b.get(k).filter(|v| !v.is_null()),
                a.get(k).filter(|v| !v.is_null()),
            );
            (x != y).then(|| (k.clone(), x.cloned(), y.cloned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn changes_name_what_a_reader_changed() {
        let before = serde_json::json!({"title": "A", "title_fold": "a", "version": 1, "city": null, "status": "draft"});
        let after = serde_json::json!({"title": "B", "title_fold": "b", "version": 2, "city": "Huế", "status": "draft"});
        let c = super::field_changes(Some(&before), Some(&after));
        let keys: Vec<&str> = c.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(keys, ["city", "title"]);
        assert_eq!(c[0].1, None);
        assert_eq!(c[1].2, Some(serde_json::json!("B")));
        // A creation: every filled field.
        assert_eq!(super::field_changes(None, Some(&after)).len(), 3);
    }

    use super::*;

    fn entry(seq: i64) -> ChainFields {
        ChainFields {
            seq,
            id: format!("id-{seq}"),
            at: "2026-01-05T08:00:00.000000Z".into(),
            actor_id: Some("u".into()),
            actor_name: Some("lan".into()),
            actor_agency_id: None,
            entity_type: "agency".into(),
            entity_id: Some("a".into()),
            owner_agency_id: None,
            classification: "none".into(),
            action: "create".into(),
            before: None,
            after: Some("{\"name\":\"Bộ Ngoại giao\"}".into()),
            request_id: None,
            ip: None,
        }
    }

    fn chain(n: i64) -> Vec<(ChainFields, String, String)> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|s| {
                let f = entry(s);
                let h = f.hash(&prev);
                let row = (f, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn verify(rows: &[(ChainFields, String, String)], head: (i64, &str)) -> Result<(), ChainBreak> {
        let mut v = Verifier::default();
        for (f, p, h) in rows {
            v.step(f, p, h)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies_and_tampering_is_named() {
        let rows = chain(5);
        let head = (5, rows[4].2.clone());
        assert_eq!(verify(&rows, (head.0, &head.1)), Ok(()));

        let mut altered = rows.clone();
        altered[2].0.after = Some("{\"name\":\"khác\"}".into());
        assert_eq!(
            verify(&altered, (head.0, &head.1)),
            Err(ChainBreak::Altered { seq: 3 })
        );

        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(
            verify(&removed, (head.0, &head.1)),
            Err(ChainBreak::Gap {
                seq: 3,
                expected_prev: 2
            })
        );

        let truncated = &rows[..4];
        assert_eq!(
            verify(truncated, (head.0, &head.1)),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );

        // A None and an empty string must not hash the same.
        let mut a = entry(1);
        a.ip = Some(String::new());
        assert_ne!(a.hash(GENESIS), entry(1).hash(GENESIS));
    }
}

/// A signed record of the chain's head at one moment, kept outside the
/// database: whoever can write the database can rewrite an entry and every
/// hash after it, or cut the tail and move the head back, and the chain still
/// verifies — but no longer matches a checkpoint taken before. The MAC is
/// HMAC-SHA-256 under a key the database never holds, so a checkpoint file
/// cannot be forged by someone who can only edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub mac: String,
}

/// Why the chain does not agree with a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointBreak {
    #[error("the checkpoint of entry {seq} is not signed with this key (forged, or another key)")]
    BadSignature { seq: i64 },
    #[error(
        "the log now ends at entry {head}, before the checkpoint's entry {seq} (entries at the end were removed)"
    )]
    Truncated { seq: i64, head: i64 },
    #[error(
        "entry {seq} no longer has the hash the checkpoint recorded (the log was rewritten up to it)"
    )]
    Rewritten { seq: i64 },
}

impl Checkpoint {
    fn message(seq: i64, hash: &str, at: &str) -> String {
        format!("kieng-audit-checkpoint\n{seq}\n{hash}\n{at}")
    }

    fn mac_of(key: &[u8], message: &str) -> String {
        use hmac::{KeyInit, Mac};
        // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
        match hmac::Hmac::<Sha256>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(message.as_bytes());
                hex::encode(m.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }

    pub fn sign(seq: i64, hash: &str, at: &str, key: &[u8]) -> Self {
        Self {
            seq,
            hash: hash.to_string(),
            at: at.to_string(),
            mac: Self::mac_of(key, &Self::message(seq, hash, at)),
        }
    }

    /// Whether the checkpoint was signed with `key`, compared in constant time.
    pub fn signed_with(&self, key: &[u8]) -> bool {
        use hmac::{KeyInit, Mac};
        let Ok(expected) = hex::decode(&self.mac) else {
            return false;
        };
        match hmac::Hmac::<Sha256>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(Self::message(self.seq, &self.hash, &self.at).as_bytes());
                m.verify_slice(&expected).is_ok()
            }
            Err(_) => false,
        }
    }

    /// Compare with the chain as it is now: its head, and the hash of the entry
    /// at the checkpoint's position (`None` when there is no such entry).
    pub fn check(
        &self,
        key: &[u8],
        head_seq: i64,
        hash_at_seq: Option<&str>,
    ) -> Result<(), CheckpointBreak> {
        if !self.signed_with(key) {
            return Err(CheckpointBreak::BadSignature { seq: self.seq });
        }
        if head_seq < self.seq {
            return Err(CheckpointBreak::Truncated {
                seq: self.seq,
                head: head_seq,
            });
        }
        if self.seq > 0 && hash_at_seq != Some(self.hash.as_str()) {
            return Err(CheckpointBreak::Rewritten { seq: self.seq });
        }
        Ok(())
    }
}

#[cfg(test)]
mod checkpoint_tests {
    use super::*;

    #[test]
    fn a_checkpoint_catches_a_rewrite_and_a_truncation() {
        let key = b"k".repeat(32);
        let cp = Checkpoint::sign(10, "abc", "2026-12-03T10:00:00Z", &key);
        assert!(cp.signed_with(&key));
        assert!(!cp.signed_with(b"another key"));
        assert_eq!(cp.check(&key, 12, Some("abc")), Ok(()));
        assert_eq!(
            cp.check(&key, 9, None),
            Err(CheckpointBreak::Truncated { seq: 10, head: 9 })
        );
        assert_eq!(
            cp.check(&key, 12, Some("abd")),
            Err(CheckpointBreak::Rewritten { seq: 10 })
        );
        let forged = Checkpoint {
            hash: "abd".into(),
            ..cp.clone()
        };
        assert_eq!(
            forged.check(&key, 12, Some("abd")),
            Err(CheckpointBreak::BadSignature { seq: 10 })
        );
        let line = serde_json::to_string(&cp).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&line).unwrap(), cp);
    }
}
