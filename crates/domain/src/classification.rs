//! Security classification of a record (Law on Protection of State Secrets,
//! Law 117/2025/QH15, in force from 1 March 2026; the levels keep the names
//! of the 2018 law it replaced): none, Mật, Tối mật, Tuyệt mật — ordered, so
//! "above the ceiling" is a comparison.

use crate::error::{FieldErrors, Msg, msgs};
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    #[default]
    None,
    Mat,
    ToiMat,
    TuyetMat,
}

impl Classification {
    pub const ALL: [Classification; 4] = [Self::None, Self::Mat, Self::ToiMat, Self::TuyetMat];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Mat => "mat",
            Self::ToiMat => "toi_mat",
            Self::TuyetMat => "tuyet_mat",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Self::None => Msg::new("Không mật", "Unclassified"),
            Self::Mat => Msg::new("Mật", "Confidential"),
            Self::ToiMat => Msg::new("Tối mật", "Secret"),
            Self::TuyetMat => Msg::new("Tuyệt mật", "Top secret"),
        }
    }

    /// Parse a form value and check it against the deployment ceiling and the
    /// author's own clearance; the message says what to do instead.
    pub fn parse_for_record(
        errors: &mut FieldErrors,
        input: Option<&str>,
        ceiling: Classification,
        clearance: Classification,
    ) -> Classification {
        let value = match input.map(str::trim).filter(|s| !s.is_empty()) {
            None => Classification::None,
            Some(s) => match Self::parse(s) {
                Some(c) => c,
                None => {
                    errors.add("classification", msgs::invalid_choice());
                    return Classification::None;
                }
            },
        };
        if value > ceiling {
            errors.add("classification", above_ceiling(value, ceiling));
        } else if value > clearance {
            errors.add(
                "classification",
                Msg::new(
                    format!(
                        "Bạn không được cấp quyền tiếp cận thông tin mức {}.",
                        value.label().vi
                    ),
                    format!(
                        "Your clearance does not cover {} information.",
                        value.label().en
                    ),
                ),
            );
        }
        value
    }
}

/// The message for content refused because the deployment may not hold it.
pub fn above_ceiling(value: Classification, ceiling: Classification) -> Msg {
    Msg::new(
        format!(
            "Hệ thống này chỉ được phép lưu thông tin đến mức “{}”; thông tin mức “{}” phải được xử lý trên hệ thống được phép.",
            ceiling.label().vi,
            value.label().vi
        ),
        format!(
            "This deployment may hold information up to “{}” only; “{}” information must be handled on an authorised system.",
            ceiling.label().en,
            value.label().en
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_and_round_trips() {
        assert!(Classification::None < Classification::Mat);
        assert!(Classification::ToiMat < Classification::TuyetMat);
        for c in Classification::ALL {
            assert_eq!(Classification::parse(c.as_str()), Some(c));
        }
        assert_eq!(Classification::parse("secret"), None);
    }

    #[test]
    fn ceiling_and_clearance_refuse_with_messages() {
        let mut e = FieldErrors::new();
        let v = Classification::parse_for_record(
            &mut e,
            Some("toi_mat"),
            Classification::Mat,
            Classification::TuyetMat,
        );
        assert_eq!(v, Classification::ToiMat);
        assert!(
            e.get("classification")
                .unwrap()
                .vi
                .contains("chỉ được phép")
        );
        let mut e = FieldErrors::new();
        Classification::parse_for_record(
            &mut e,
            Some("mat"),
            Classification::TuyetMat,
            Classification::None,
        );
        assert!(e.get("classification").unwrap().en.contains("clearance"));
        let mut e = FieldErrors::new();
        assert_eq!(
            Classification::parse_for_record(
                &mut e,
                Some(""),
                Classification::None,
                Classification::None
            ),
            Classification::None
        );
        assert!(e.is_empty());
    }
}
