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
    } else if password.chars().all(|c| password.starts_with(c)) {
        errors.add(
            field,
            Msg::new(
                "Mật khẩu quá dễ đoán.",
                "The password is too easy to guess.",
            ),
        )
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
