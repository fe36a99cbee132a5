//! Personal data sealed at rest: each person's `PersonData` is encrypted as
//! one value with XChaCha20-Poly1305 under a 256-bit key held outside the
//! database (a key file or `KIENG_PERSONAL_DATA_KEY`), bound to its row's id,
//! so a copied database file or backup reveals nothing of it and a sealed
//! value moved to another row does not open.
//!
//! A sealed value is `"<key id>.<base64 of the 24-byte nonce and the
//! ciphertext>"`. The key id names the key that sealed it, so a database
//! being moved to a new key (`kieng rekey`) holds values of both while it
//! runs. `sealing_keys` records each key's id and check value: a server given
//! a key the database was not sealed with refuses to start.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::fmt;
use uuid::Uuid;

/// A personal-data key.
#[derive(Clone)]
pub struct Sealer {
    id: String,
    cipher: XChaCha20Poly1305,
    check: String,
    /// The key of the keyed digests (`blind`), derived from the sealing key.
    blind_key: [u8; 32],
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealer({})", self.id)
    }
}

/// Why a sealed value did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsealed {
    /// Sealed under another key (its id).
    OtherKey(String),
    /// Altered, truncated, or moved from another row.
    Damaged,
}

fn digest(label: &str, key: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update(key);
    hex::encode(h.finalize())
}

impl Sealer {
    /// A key from its 32 bytes.
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            id: digest("kieng personal-data key id", key)[..16].to_string(),
            cipher: XChaCha20Poly1305::new(key.into()),
            check: digest("kieng personal-data key check", key),
            blind_key: {
                let mut h = Sha256::new();
                h.update(b"kieng personal-data blind index");
                h.update(key);
                h.finalize().into()
            },
        }
    }

    /// A key as written in its file or variable: 32 bytes in standard base64
    /// (what `kieng keygen` writes), surrounding whitespace ignored.
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the personal-data key is not base64".to_string())?;
        let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "the personal-data key must be 32 bytes (256 bits), this one is {}",
                b.len()
            )
        })?;
        Ok(Self::new(&key))
    }

    /// A new random key, in the form `from_base64` reads.
    pub fn generate() -> String {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        STANDARD.encode(key)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// What `sealing_keys` holds to recognise the key.
    pub fn check_value(&self) -> &str {
        &self.check
    }

    /// Seal `plain` for the row `row`.
    pub fn seal(&self, row: Uuid, plain: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encrypting into memory cannot fail for these sizes; an empty value
        // is the fallback that `open` then reports as damaged.
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: row.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("{}.{}", self.id, STANDARD.encode(out))
    }

    /// Open what `seal` made for the row `row`.
    pub fn open(&self, row: Uuid, sealed: &str) -> Result<Vec<u8>, Unsealed> {
        let (id, body) = sealed.split_once('.').ok_or(Unsealed::Damaged)?;
        if id != self.id {
            return Err(Unsealed::OtherKey(id.to_string()));
        }
        let raw = STANDARD.decode(body).map_err(|_| Unsealed::Damaged)?;
        if raw.len() < 24 {
            return Err(Unsealed::Damaged);
        }
        let (nonce, ct) = raw.split_at(24);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: row.as_bytes(),
                },
            )
            .map_err(|_| Unsealed::Damaged)
    }

    /// A keyed digest (HMAC-SHA-256, 128 bits kept) of an identifying text
    /// such as a passport number or a folded full name: equal texts give
    /// equal digests, so a table can find the same person twice without
    /// holding the text, and without the key no one can test a guess
    /// against it. Digests change with the key (`kieng rekey` redoes them).
    pub fn blind(&self, text: &str) -> String {
        use hmac::{KeyInit as _, Mac};
        let Ok(mut m) = hmac::Hmac::<Sha256>::new_from_slice(&self.blind_key) else {
            // HMAC takes a key of any length; this branch is never taken.
            return String::new();
        };
        m.update(text.as_bytes());
        hex::encode(&m.finalize().into_bytes()[..16])
    }

    /// The key id a sealed value names.
    pub fn key_of(sealed: &str) -> Option<&str> {
        sealed.split_once('.').map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_row() {
        let k = Sealer::from_base64(&Sealer::generate()).unwrap();
        let other = Sealer::from_base64(&Sealer::generate()).unwrap();
        let row = Uuid::now_v7();
        let s = k.seal(row, "Hộ chiếu C1234567".as_bytes());
        assert!(!s.contains("C1234567"));
        assert_eq!(k.open(row, &s).unwrap(), "Hộ chiếu C1234567".as_bytes());
        // Two seals of one value differ (a fresh nonce each).
        assert_ne!(s, k.seal(row, "Hộ chiếu C1234567".as_bytes()));
        assert_eq!(k.open(Uuid::now_v7(), &s), Err(Unsealed::Damaged));
        assert_eq!(
            other.open(row, &s),
            Err(Unsealed::OtherKey(k.id().to_string()))
        );
        let mut bad = s.clone();
        bad.pop();
        bad.push(if s.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(k.open(row, &bad), Err(Unsealed::Damaged));
        assert_eq!(Sealer::key_of(&s), Some(k.id()));
        assert_ne!(k.check_value(), other.check_value());
    }

    #[test]
    fn a_digest_is_keyed_and_never_the_text() {
        let k = Sealer::new(&[3u8; 32]);
        let other = Sealer::new(&[4u8; 32]);
        let d = k.blind("passport:C1234567");
        assert_eq!(d, k.blind("passport:C1234567"));
        assert_eq!(d.len(), 32);
        assert!(!d.contains("1234567"));
        assert_ne!(d, k.blind("passport:C1234568"));
        assert_ne!(d, other.blind("passport:C1234567"));
    }

    #[test]
    fn a_key_is_32_bytes_of_base64() {
        assert!(Sealer::from_base64("not base64!").is_err());
        assert!(Sealer::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        let k = Sealer::from_base64(&format!("  {}\n", STANDARD.encode([7u8; 32]))).unwrap();
        assert_eq!(k.id(), Sealer::new(&[7u8; 32]).id());
    }
}
