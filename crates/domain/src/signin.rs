//! Sign-in throttling: failed sign-ins are counted per client address, per
//! account from one address, and per account from every address.
//!
//! The rules, and why:
//! - An address with `ADDRESS_LIMIT` failures in a window waits out the window:
//!   one machine guessing at many accounts.
//! - An account with `PAIR_LIMIT` failures from one address is locked *for that
//!   address only*: a stranger guessing at a colleague's account does not lock the
//!   colleague out at their own desk.
//! - An account with `ACCOUNT_LIMIT` failures from anywhere is slowed, not locked:
//!   each further failure makes the next try wait twice as long, from 30 s up to
//!   the window. A distributed guesser gets a handful of tries an hour; the
//!   owner waits a minute or two at worst.
//!
//! Keys are fixed-size digests, so a request cannot store more than a few bytes
//! whatever it sends as a user name.

use chrono::Duration;
use sha2::{Digest, Sha256};

/// Failures are counted in windows of this length.
pub const WINDOW_MINUTES: i64 = 15;
pub const ADDRESS_LIMIT: i32 = 30;
pub const PAIR_LIMIT: i32 = 5;
pub const ACCOUNT_LIMIT: i32 = 20;
/// The longest user name that can exist; a longer one is an unknown account.
pub const MAX_USERNAME: usize = 64;
/// The longest password that can exist; a longer one is simply wrong.
pub const MAX_PASSWORD: usize = 256;

/// What a count of failures is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Address,
    AccountAtAddress,
    Account,
}

impl Counter {
    /// The throttle key: a prefix and the SHA-256 of what is counted.
    pub fn key(self, username: &str, address: &str) -> String {
        let (prefix, text) = match self {
            Counter::Address => ("a", address.to_string()),
            Counter::AccountAtAddress => ("p", format!("{username}\n{address}")),
            Counter::Account => ("u", username.to_string()),
        };
        format!("{prefix}:{}", hex::encode(Sha256::digest(text.as_bytes())))
    }

    /// How long a key with `failures` in its window is refused, if at all.
    pub fn lock_for(self, failures: i32) -> Option<Duration> {
        let window = Duration::minutes(WINDOW_MINUTES);
        match self {
            Counter::Address if failures >= ADDRESS_LIMIT => Some(window),
            Counter::AccountAtAddress if failures >= PAIR_LIMIT => Some(window),
            Counter::Account if failures >= ACCOUNT_LIMIT => {
                let doublings = (failures - ACCOUNT_LIMIT).min(10) as u32;
                Some(Duration::seconds(30 << doublings).min(window))
            }
            _ => None,
        }
    }

    /// Every counter, in the order they are checked.
    pub const ALL: [Counter; 3] = [
        Counter::Address,
        Counter::AccountAtAddress,
        Counter::Account,
    ];
}

/// The user name as sign-in compares it, or `None` when no account can bear
/// it (too long): such a name is never stored, not even in the audit trail.
pub fn username_key(cleaned_lowercase: &str) -> Option<&str> {
    (cleaned_lowercase.chars().count() <= MAX_USERNAME).then_some(cleaned_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fixed_size_whatever_is_sent() {
        let long = "x".repeat(1 << 20);
        for c in Counter::ALL {
            assert_eq!(c.key(&long, "10.0.0.1").len(), 66);
            assert_eq!(c.key("a", "").len(), 66);
        }
        assert_ne!(
            Counter::AccountAtAddress.key("lan", "10.0.0.1"),
            Counter::AccountAtAddress.key("lan", "10.0.0.2")
        );
        assert_ne!(
            Counter::Account.key("lan", ""),
            Counter::Address.key("", "lan")
        );
    }

    #[test]
    fn an_account_is_slowed_not_locked() {
        assert_eq!(Counter::AccountAtAddress.lock_for(4), None);
        assert_eq!(
            Counter::AccountAtAddress.lock_for(5),
            Some(Duration::minutes(15))
        );
        assert_eq!(Counter::Address.lock_for(29), None);
        assert_eq!(Counter::Address.lock_for(30), Some(Duration::minutes(15)));
        assert_eq!(Counter::Account.lock_for(19), None);
        assert_eq!(Counter::Account.lock_for(20), Some(Duration::seconds(30)));
        assert_eq!(Counter::Account.lock_for(21), Some(Duration::seconds(60)));
        assert_eq!(Counter::Account.lock_for(24), Some(Duration::seconds(480)));
        assert_eq!(Counter::Account.lock_for(25), Some(Duration::minutes(15)));
        assert_eq!(Counter::Account.lock_for(1000), Some(Duration::minutes(15)));
    }

    #[test]
    fn names_longer_than_any_account_are_not_kept() {
        assert_eq!(username_key("lan.nguyen"), Some("lan.nguyen"));
        assert_eq!(username_key(&"a".repeat(65)), None);
    }
}
