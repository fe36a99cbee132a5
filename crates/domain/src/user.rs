//! Users: the rules for names and passwords, and the validated user input.

use crate::access::{Role, Scope};
use crate::classification::Classification;
use crate::error::{FieldErrors, Msg, msgs};
use crate::text;
use serde::Deserialize;

pub const MIN_PASSWORD_CHARS: usize = 12;

/// A user name: 3–64 of a–z, 0–9, `.`, `_`, `-`, compared in lower case.
pub fn parse_username(errors: &mut FieldErrors, input: &str) -> String {
    let v = text::clean(input, false).to_lowercase();
    let ok_chars = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if v.is_empty() {
        errors.add("username", msgs::required());
    } else if !(3..=64).contains(&v.chars().count()) || !ok_chars {
        errors.add(
            "username",
            Msg::new(
                "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ thường không dấu, chữ số và . _ -",
                "A user name has 3–64 characters: unaccented lower-case letters, digits and . _ -",
            ),
        );
    }
    v
}

/// The password policy: long enough, not all one character, not the user name.
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str, username: &str) {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        errors.add(
            field,
            Msg::new(
                format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."),
                format!("The password needs at least {MIN_PASSWORD_CHARS} characters."),
            ),
        );
    } else if n > 256 {
        errors.add(field, msgs::too_long(256));
    } else if password.to_lowercase().contains(&username.to_lowercase()) && !username.is_empty() {
        errors.add(
            field,
            Msg::new(
                "Mật khẩu không được chứa tên đăng nhập.",
                "The password must not contain the user name.",
            ),
        );
    } else if let Some(why) = guessable(password) {
        errors.add(field, why);
    }
}

/// The passwords no account may have: SecLists' 100,000 most common ones
/// (`data/reference/LICENSES.md`), lower-cased and sorted by byte, one a line.
const COMMON: &str = include_str!("../../../data/reference/passwords/common-passwords.txt");

/// Whether a lower-cased text is on the common list: a binary search over the
/// embedded lines, nothing built in memory.
fn is_common(lower: &str) -> bool {
    let text = COMMON.as_bytes();
    let (mut lo, mut hi) = (0usize, text.len());
    // Invariant: every line starting before `lo` is less than `lower`; every
    // line starting at or after `hi` is greater.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = text[..mid]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let start = start.max(lo);
        let end = text[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| start + i);
        match text[start..end].cmp(lower.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// Why a password that passed the length rules is still easy to guess, if it is:
/// on the common list (also once trailing digits and signs are taken off, as in
/// `Password1234`), digits only, one short run repeated (`passwordpassword`), or
/// a run of the alphabet or the digits (`abcdefghijkl`).
pub fn guessable(password: &str) -> Option<Msg> {
    let lower = password.to_lowercase();
    let core = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    let chars: Vec<char> = lower.chars().collect();
    let repeated = (1..=chars.len() / 2)
        .any(|k| chars.len().is_multiple_of(k) && chars.chunks(k).all(|c| c == &chars[..k]));
    let sequence = chars.len() > 2
        && chars
            .windows(2)
            .all(|w| u32::from(w[1]) == u32::from(w[0]) + 1 || (w[0] == '9' && w[1] == '0'));
    let common = is_common(&lower) || (core.chars().count() >= 4 && is_common(core));
    if common {
        Some(Msg::new(
            "Mật khẩu này nằm trong danh sách mật khẩu phổ biến đã bị lộ: hãy chọn một câu dài mà chỉ bạn nhớ.",
            "This password is on the list of common, leaked passwords: choose a long sentence only you would remember.",
        ))
    } else if chars.iter().all(char::is_ascii_digit) || repeated || sequence {
        Some(Msg::new(
            "Mật khẩu quá dễ đoán (chỉ có chữ số, lặp lại hoặc theo thứ tự): hãy chọn một câu dài mà chỉ bạn nhớ.",
            "The password is too easy to guess (digits only, repeated or in sequence): choose a long sentence only you would remember.",
        ))
    } else {
        None
    }
}

/// A rough strength for the hint beside a new password: 0 (weak) to 3 (strong),
/// from its length and the kinds of characters in it. The rules above decide
/// what is refused; this only says how far beyond them a password goes.
pub fn strength(password: &str) -> u8 {
    if guessable(password).is_some() || password.chars().count() < MIN_PASSWORD_CHARS {
        return 0;
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
        !password.is_ascii(),
    ]
    .into_iter()
    .filter(|k| *k)
    .count();
    let n = password.chars().count();
    match (n, kinds) {
        (20.., 2..) | (16.., 3..) => 3,
        (16.., _) | (_, 3..) => 2,
        _ => 1,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub agency_id: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub clearance: String,
    pub password: Option<String>,
}

/// The validated profile of a user (the agency is checked against the store).
#[derive(Debug, Clone, PartialEq)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub agency_id: uuid::Uuid,
    pub role: Role,
    pub scope: Scope,
    pub clearance: Classification,
}

impl UserInput {
    pub fn parse(form: &UserForm, ceiling: Classification) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let username = parse_username(&mut e, &form.username);
        let mut display_name =
            text::optional(&mut e, "display_name", Some(&form.display_name), 200)
                .unwrap_or_default();
        if display_name.is_empty() {
            display_name = username.clone();
        }
        let agency_id = uuid::Uuid::parse_str(form.agency_id.trim()).ok();
        if agency_id.is_none() {
            e.add(
                "agency_id",
                Msg::new("Chọn cơ quan của người dùng.", "Choose the user's agency."),
            );
        }
        let role = Role::parse(&form.role);
        if role.is_none() {
            e.add("role", msgs::invalid_choice());
        }
        let scope = if form.scope.trim().is_empty() {
            Some(Scope::Agency)
        } else {
            Scope::parse(&form.scope)
        };
        if scope.is_none() {
            e.add("scope", msgs::invalid_choice());
        }
        let clearance = if form.clearance.trim().is_empty() {
            Some(Classification::None)
        } else {
            Classification::parse(&form.clearance)
        };
        match clearance {
            None => e.add("clearance", msgs::invalid_choice()),
            Some(c) if c > ceiling => e.add(
                "clearance",
                crate::classification::above_ceiling(c, ceiling),
            ),
            _ => {}
        }
        match (agency_id, role, scope, clearance) {
            (Some(agency_id), Some(role), Some(scope), Some(clearance)) if e.is_empty() => {
                Ok(Self {
                    username,
                    display_name,
                    agency_id,
                    role,
                    scope,
                    clearance,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        let mut e = FieldErrors::new();
        assert_eq!(parse_username(&mut e, " Lan.Nguyen "), "lan.nguyen");
        assert!(e.is_empty());
        parse_username(&mut e, "lân");
        assert!(e.get("username").is_some());
    }

    #[test]
    fn password_policy() {
        let check = |p: &str| {
            let mut e = FieldErrors::new();
            check_password(&mut e, "password", p, "lan");
            e.is_empty()
        };
        assert!(!check("short"));
        assert!(!check("aaaaaaaaaaaaaaaa"));
        assert!(!check("my-name-is-LAN-ok"));
        assert!(check("mây trắng bay về núi"));
        // The shapes the attack found accepted.
        assert!(!check("123456789012"));
        assert!(!check("passwordpassword"));
        assert!(!check("Password1234"));
        assert!(!check("abcdefghijkl"));
        assert!(!check("qwertyuiop123"));
        assert!(!check("abcabcabcabc"));
        assert!(check("Hoa sen nở giữa hồ 2026"));
        assert!(check("ngựa-ô-phi-qua-cầu"));
    }

    #[test]
    fn the_common_list_is_sorted_and_searched_whole() {
        let lines: Vec<&str> = COMMON.lines().collect();
        assert!(lines.len() > 90_000);
        assert!(lines.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        // Every line is found, and nothing between them is.
        for w in [
            lines[0],
            lines[1],
            lines[lines.len() / 2],
            lines[lines.len() - 1],
        ] {
            assert!(is_common(w), "{w}");
        }
        assert!(lines.iter().step_by(997).all(|w| is_common(w)));
        assert!(is_common("password") && is_common("123456"));
        assert!(!is_common("mây trắng bay về núi") && !is_common("") && !is_common("~~~~zzzz"));
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(strength("password"), 0);
        assert_eq!(strength("123456789012"), 0);
        assert_eq!(strength("hoasennogiuaho"), 1);
        assert_eq!(strength("Hoa sen nở giữa hồ"), 3);
        assert_eq!(strength("hoa-sen-no-giua-ho-ao"), 3);
    }

    #[test]
    fn user_form_defaults_and_ceiling() {
        let form = UserForm {
            username: "lan".into(),
            agency_id: uuid::Uuid::new_v4().to_string(),
            role: "officer".into(),
            clearance: "toi_mat".into(),
            ..Default::default()
        };
        let e = UserInput::parse(&form, Classification::Mat).unwrap_err();
        assert!(e.get("clearance").is_some());
        let u = UserInput::parse(
            &UserForm {
                clearance: "".into(),
                ..form
            },
            Classification::Mat,
        )
        .unwrap();
        assert_eq!(
            (u.scope, u.clearance, u.display_name.as_str()),
            (Scope::Agency, Classification::None, "lan")
        );
    }
}
