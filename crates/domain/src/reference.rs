//! Corrections of the reference facts Kiềng ships (communes, provincial units,
//! countries): an administrator fixes a name or a kind the official lists
//! give differently; codes never change, because records refer to them.

use crate::error::{FieldErrors, Msg, msgs};
use crate::text::{optional, required};
use serde::Deserialize;

/// A commune-level unit as corrected.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommuneForm {
    /// Its own name without the kind: "Sì Lở Lầu".
    #[serde(default)]
    pub name: String,
    pub name_en: Option<String>,
    /// xa | phuong | dac_khu
    #[serde(default)]
    pub kind: String,
    /// The provincial unit in force it belongs to.
    #[serde(default)]
    pub province_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneInput {
    pub name: String,
    /// The kind and the name, as official lists write it: "Xã Sì Lở Lầu".
    pub full_name: String,
    pub name_en: Option<String>,
    pub kind: &'static str,
    pub province_code: String,
}

/// The commune-level kinds since 1 July 2025, with the word that opens a
/// unit's full name.
pub const COMMUNE_KINDS: [(&str, &str, &str); 3] = [
    ("xa", "Xã", "Commune"),
    ("phuong", "Phường", "Ward"),
    ("dac_khu", "Đặc khu", "Special zone"),
];

/// The provincial kinds: (code, Vietnamese, English).
pub const PROVINCE_KINDS: [(&str, &str, &str); 2] = [
    ("province", "Tỉnh", "Province"),
    (
        "city",
        "Thành phố trực thuộc trung ương",
        "Centrally run city",
    ),
];

fn kind_of(
    e: &mut FieldErrors,
    kinds: &[(&'static str, &str, &str)],
    v: &str,
) -> Option<(&'static str, String)> {
    let k = kinds.iter().find(|(code, _, _)| *code == v.trim());
    if k.is_none() {
        e.add("kind", msgs::invalid_choice());
    }
    k.map(|(code, vi, _)| (*code, vi.to_string()))
}

fn no_kind_in_name(e: &mut FieldErrors, name: &str) {
    let folded = crate::text::fold(name);
    if COMMUNE_KINDS
        .iter()
        .any(|(_, vi, _)| folded.starts_with(&format!("{} ", crate::text::fold(vi))))
    {
        e.add(
            "name",
            Msg::new(
                "Ghi tên riêng, không kèm “Xã”, “Phường”, “Đặc khu”: loại đơn vị chọn ở ô bên.",
                "Enter the unit's own name without “Xã”, “Phường” or “Đặc khu”: the kind is chosen beside it.",
            ),
        );
    }
}

impl CommuneForm {
    pub fn parse(&self) -> Result<CommuneInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required(&mut e, "name", &self.name, 100);
        no_kind_in_name(&mut e, &name);
        let name_en = optional(&mut e, "name_en", self.name_en.as_deref(), 100);
        let kind = kind_of(&mut e, &COMMUNE_KINDS, &self.kind);
        let province_code = required(&mut e, "province_code", &self.province_code, 16);
        let Some((kind, word)) = kind else {
            return Err(e);
        };
        e.into_result(CommuneInput {
            full_name: format!("{word} {name}"),
            name,
            name_en,
            kind,
            province_code,
        })
    }
}

/// A provincial unit as corrected.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProvinceForm {
    #[serde(default)]
    pub name: String,
    /// province | city
    #[serde(default)]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceInput {
    pub name: String,
    pub kind: &'static str,
}

impl ProvinceForm {
    pub fn parse(&self) -> Result<ProvinceInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required(&mut e, "name", &self.name, 100);
        let kind = kind_of(&mut e, &PROVINCE_KINDS, &self.kind);
        let Some((kind, _)) = kind else {
            return Err(e);
        };
        e.into_result(ProvinceInput { name, kind })
    }
}

/// A country's names as corrected.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CountryForm {
    #[serde(default)]
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInput {
    pub name_vi: String,
    pub name_en: String,
}

impl CountryForm {
    pub fn parse(&self) -> Result<CountryInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name_vi = required(&mut e, "name_vi", &self.name_vi, 120);
        let name_en = required(&mut e, "name_en", &self.name_en, 120);
        e.into_result(CountryInput { name_vi, name_en })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commune_gets_its_full_name_from_its_kind() {
        let c = CommuneForm {
            name: "  Sì Lở Lầu ".into(),
            name_en: Some("".into()),
            kind: "xa".into(),
            province_code: "VN34-07".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(c.full_name, "Xã Sì Lở Lầu");
        assert_eq!(c.name, "Sì Lở Lầu");
        assert_eq!(c.name_en, None);
        let c = CommuneForm {
            name: "Phú Quốc".into(),
            kind: "dac_khu".into(),
            province_code: "VN34-33".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(c.full_name, "Đặc khu Phú Quốc");
    }

    #[test]
    fn a_commune_needs_a_known_kind_a_province_and_a_bare_name() {
        let e = CommuneForm {
            name: "Phường Ba Đình".into(),
            kind: "quan".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert!(e.get("name").is_some());
        assert!(e.get("kind").is_some());
        assert!(e.get("province_code").is_some());
        // A name that merely starts like a kind is a name.
        assert!(
            CommuneForm {
                name: "Xuân Phương".into(),
                kind: "phuong".into(),
                province_code: "VN34-01".into(),
                ..Default::default()
            }
            .parse()
            .is_ok()
        );
    }

    #[test]
    fn provinces_and_countries_keep_their_names_required() {
        assert!(
            ProvinceForm {
                name: "Huế".into(),
                kind: "city".into()
            }
            .parse()
            .is_ok()
        );
        assert!(
            ProvinceForm {
                name: "Huế".into(),
                kind: "municipality".into()
            }
            .parse()
            .unwrap_err()
            .get("kind")
            .is_some()
        );
        let e = CountryForm {
            name_vi: " ".into(),
            name_en: "Czechia".into(),
        }
        .parse()
        .unwrap_err();
        assert!(e.get("name_vi").is_some());
        assert_eq!(
            CountryForm {
                name_vi: "Séc".into(),
                name_en: "Czechia".into()
            }
            .parse()
            .unwrap()
            .name_vi,
            "Séc"
        );
    }
}
