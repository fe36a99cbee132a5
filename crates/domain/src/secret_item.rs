//! The items of the state-secrets catalogues a classified record rests on.
//!
//! Rules (Law on Protection of State Secrets 2025, Law 117/2025/QH15, in force
//! 1 March 2026; the catalogues are issued by decision and kept here by the
//! administrator):
//! - A record above "none" names the catalogue item it falls under; classifying
//!   what no catalogue lists is prohibited.
//! - The item gives the level: the record's classification is the item's.
//! - An item is retired, never deleted; a retired item stays on the records
//!   that already name it but is not chosen anew.
//! - An unclassified record names no item.

use crate::classification::Classification;
use crate::error::{FieldErrors, Msg, msgs};
use crate::text;
use serde::Deserialize;

/// The raw strings of the administrator's item form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SecretItemForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub catalogue: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub level: String,
}

/// A checked item.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretItemInput {
    /// The administrator's short reference, e.g. "NG-TM-03".
    pub code: String,
    /// The decision issuing the catalogue, e.g. "Quyết định số …/QĐ-TTg".
    pub catalogue: String,
    /// The item's wording in the catalogue.
    pub title: String,
    pub level: Classification,
}

impl SecretItemInput {
    pub fn parse(f: &SecretItemForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = text::required(&mut e, "code", &f.code, 40).to_uppercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'))
        {
            e.add(
                "code",
                Msg::new(
                    "Mã chỉ gồm chữ không dấu, chữ số và các dấu - . / _",
                    "A code holds letters without diacritics, digits and - . / _ only.",
                ),
            );
        }
        let catalogue = text::required(&mut e, "catalogue", &f.catalogue, 300);
        let title = text::required(&mut e, "title", &f.title, 2000);
        let level = match Classification::parse(&f.level) {
            Some(c) if c > Classification::None => c,
            Some(_) => {
                e.add(
                    "level",
                    Msg::new(
                        "Mục của danh mục bí mật nhà nước phải có độ mật (Mật, Tối mật hoặc Tuyệt mật).",
                        "A catalogue item has a level (Confidential, Secret or Top secret).",
                    ),
                );
                Classification::None
            }
            None => {
                e.add("level", msgs::invalid_choice());
                Classification::None
            }
        };
        e.into_result(Self {
            code,
            catalogue,
            title,
            level,
        })
    }
}

/// What the basis rule reads of an item a form names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemRef {
    pub level: Classification,
    pub retired: bool,
    /// The record already names it (an edit keeping its basis).
    pub kept: bool,
}

/// Check a record's basis against its classification, adding what to fix to
/// `errors` under `secret_item`. `named` says a value was typed; `item` is what
/// it found (none: unknown). Answers whether the record keeps the item.
pub fn check_basis(
    errors: &mut FieldErrors,
    class: Classification,
    named: bool,
    item: Option<ItemRef>,
) -> bool {
    if class == Classification::None {
        return false;
    }
    let Some(item) = item else {
        errors.add(
            "secret_item",
            if named {
                Msg::new(
                    "Không có mục này trong danh mục bí mật nhà nước.",
                    "There is no such item in the state-secrets catalogue.",
                )
            } else {
                Msg::new(
                    "Thông tin có độ mật phải nêu mục của danh mục bí mật nhà nước làm căn cứ (Luật Bảo vệ bí mật nhà nước 2025).",
                    "Classified information names the state-secrets catalogue item it falls under (Law on Protection of State Secrets 2025).",
                )
            },
        );
        return false;
    };
    if item.retired && !item.kept {
        errors.add(
            "secret_item",
            Msg::new(
                "Mục này đã thôi áp dụng; chọn mục đang có hiệu lực.",
                "This item is retired; choose one in force.",
            ),
        );
        return false;
    }
    if item.level != class {
        errors.add(
            "secret_item",
            Msg::new(
                format!(
                    "Danh mục xác định mục này ở độ “{}”; chọn độ mật đó hoặc mục khác.",
                    item.level.label().vi
                ),
                format!(
                    "The catalogue puts this item at “{}”; choose that level or another item.",
                    item.level.label().en
                ),
            ),
        );
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(level: Classification, retired: bool, kept: bool) -> Option<ItemRef> {
        Some(ItemRef {
            level,
            retired,
            kept,
        })
    }

    #[test]
    fn classified_records_name_an_item_of_their_level() {
        let mut e = FieldErrors::new();
        assert!(!check_basis(&mut e, Classification::Mat, false, None));
        assert!(e.get("secret_item").unwrap().vi.contains("danh mục"));

        let mut e = FieldErrors::new();
        assert!(!check_basis(&mut e, Classification::Mat, true, None));
        assert!(e.get("secret_item").unwrap().en.contains("no such item"));

        let mut e = FieldErrors::new();
        let toi_mat = item(Classification::ToiMat, false, false);
        assert!(!check_basis(&mut e, Classification::Mat, true, toi_mat));
        assert!(e.get("secret_item").unwrap().vi.contains("Tối mật"));

        let mut e = FieldErrors::new();
        assert!(check_basis(&mut e, Classification::ToiMat, true, toi_mat));
        assert!(e.is_empty());
    }

    #[test]
    fn unclassified_records_name_none() {
        let mut e = FieldErrors::new();
        let mat = item(Classification::Mat, false, false);
        assert!(!check_basis(&mut e, Classification::None, true, mat));
        assert!(!check_basis(&mut e, Classification::None, false, None));
        assert!(e.is_empty());
    }

    #[test]
    fn retired_items_stay_where_they_are_but_are_not_chosen_anew() {
        let mut e = FieldErrors::new();
        let old = item(Classification::Mat, true, true);
        assert!(check_basis(&mut e, Classification::Mat, true, old));
        assert!(e.is_empty());
        let fresh = item(Classification::Mat, true, false);
        assert!(!check_basis(&mut e, Classification::Mat, true, fresh));
        assert!(e.get("secret_item").unwrap().en.contains("retired"));
    }

    #[test]
    fn the_item_form_is_checked() {
        let ok = SecretItemInput::parse(&SecretItemForm {
            code: " ng-m-03 ".into(),
            catalogue: "Quyết định ban hành danh mục".into(),
            title: "Nội dung đàm phán chưa công bố".into(),
            level: "mat".into(),
        })
        .unwrap();
        assert_eq!(ok.code, "NG-M-03");
        assert_eq!(ok.level, Classification::Mat);
        let bad = SecretItemInput::parse(&SecretItemForm {
            code: "mục 1".into(),
            catalogue: String::new(),
            title: "x".into(),
            level: "none".into(),
        })
        .unwrap_err();
        assert!(bad.get("code").is_some());
        assert!(bad.get("catalogue").is_some());
        assert!(bad.get("level").is_some());
    }
}
