//! Argon2id working in a memory block each hashing thread keeps while sign-ins
//! follow one another, and gives back once none is waiting (`release`): the
//! argon2 crate's own hasher allocates its 19 MiB for every hash, and glibc's
//! allocator kept each freed block resident — measured: every sign-in added
//! 19.5 MB to the server until eight were held (164 MB after eight sign-ins,
//! against 7 MB before); kept for good by the two hashing threads, the blocks
//! were 38 MiB of a busy server's 105–133 MB heap (the national bench's mix).
//! The same algorithm, parameters and PHC strings as `Argon2::default()`;
//! verifying is the `password_hash` crate's own, constant-time comparison
//! included (`PasswordVerifier` for every `PasswordHasher`).

use argon2::password_hash::{
    self, Decimal, Ident, Output, ParamsString, PasswordHash, PasswordHasher, Salt,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;

thread_local! {
    /// This thread's working memory, grown once to the default cost.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Give this thread's working memory back to the allocator (which returns it to
/// the system at once: `MIMALLOC_PURGE_DELAY=0`, set by `kieng`). The hashing
/// threads call it when no other hash is waiting; the block is already zeroed.
pub(crate) fn release() {
    BLOCKS.with(|cell| *cell.borrow_mut() = Vec::new());
}

/// How many blocks of working memory this thread keeps.
#[cfg(test)]
fn kept() -> usize {
    BLOCKS.with(|cell| cell.borrow().capacity())
}

/// The argon2id hasher of this server (see the module's note).
pub(crate) struct Hasher;

impl PasswordHasher for Hasher {
    type Params = Params;

    fn hash_password<'a>(
        &self,
        password: &[u8],
        salt: impl Into<Salt<'a>>,
    ) -> password_hash::Result<PasswordHash<'a>> {
        self.hash_password_customized(password, None, None, Params::default(), salt)
    }

    fn hash_password_customized<'a>(
        &self,
        password: &[u8],
        alg_id: Option<Ident<'a>>,
        version: Option<Decimal>,
        params: Params,
        salt: impl Into<Salt<'a>>,
    ) -> password_hash::Result<PasswordHash<'a>> {
        let algorithm = alg_id
            .map(Algorithm::try_from)
            .transpose()?
            .unwrap_or_default();
        let version = version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let salt = salt.into();
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf)?;
        let argon = Argon2::new(algorithm, version, params.clone());
        let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let n = params.block_count();
        let output = if n > Params::default().block_count() {
            // A hash made with a higher cost than ours: its memory is not kept.
            let mut blocks = vec![Block::default(); n];
            Output::init_with(len, |out| {
                Ok(argon.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks)?)
            })?
        } else {
            BLOCKS.with(|cell| {
                let mut blocks = cell.borrow_mut();
                if blocks.len() < n {
                    blocks.resize(n, Block::default());
                }
                let result = Output::init_with(len, |out| {
                    Ok(argon.hash_password_into_with_memory(
                        password,
                        salt_bytes,
                        out,
                        &mut blocks[..n],
                    )?)
                });
                // Nothing derived from a password stays in memory between hashes.
                blocks[..n].fill(Block::default());
                result
            })?
        };
        Ok(PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(salt),
            hash: Some(output),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Hasher;
    use argon2::Argon2;
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

    #[test]
    fn the_same_hashes_as_the_crates_own_hasher() -> Result<(), argon2::password_hash::Error> {
        let salt = SaltString::from_b64("c29tZXNhbHRzb21lc2FsdA")?;
        let ours = Hasher.hash_password(b"mat khau", &salt)?.to_string();
        let theirs = Argon2::default()
            .hash_password(b"mat khau", &salt)?
            .to_string();
        assert_eq!(ours, theirs);
        // Each verifies the other's, and a wrong password fails with both.
        let parsed = PasswordHash::new(&theirs)?;
        assert!(Hasher.verify_password(b"mat khau", &parsed).is_ok());
        assert!(Hasher.verify_password(b"mat khac", &parsed).is_err());
        let parsed = PasswordHash::new(&ours)?;
        assert!(
            Argon2::default()
                .verify_password(b"mat khau", &parsed)
                .is_ok()
        );
        // A second hash on the same thread reuses the kept memory: same answer.
        assert!(super::kept() >= argon2::Params::default().block_count());
        assert_eq!(Hasher.hash_password(b"mat khau", &salt)?.to_string(), ours);
        // Released, nothing is kept; the next hash grows it again, same answer.
        super::release();
        assert_eq!(super::kept(), 0);
        assert_eq!(Hasher.hash_password(b"mat khau", &salt)?.to_string(), ours);
        assert!(super::kept() >= argon2::Params::default().block_count());
        Ok(())
    }

    #[test]
    fn a_costlier_or_older_hash_still_verifies() -> Result<(), argon2::password_hash::Error> {
        let salt = SaltString::from_b64("c29tZXNhbHRzb21lc2FsdA")?;
        for params in [
            argon2::Params::new(32 * 1024, 2, 1, None),
            argon2::Params::new(8 * 1024, 3, 1, None),
        ] {
            let argon = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params?);
            let h = argon.hash_password(b"mat khau", &salt)?.to_string();
            let parsed = PasswordHash::new(&h)?;
            assert!(Hasher.verify_password(b"mat khau", &parsed).is_ok(), "{h}");
            assert!(Hasher.verify_password(b"khac", &parsed).is_err(), "{h}");
        }
        Ok(())
    }
}
