//! The people of a case and their personal data (Law 91/2025/QH15 on
//! personal data protection): what is held about each, and the masked form
//! shown to readers of a case who are not on its team — initials, no numbers.

use crate::days::parse_date;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Why a person is on a case.
    Role {
        Citizen = "citizen", "Công dân cần bảo hộ", "Citizen concerned";
        Caller = "caller", "Người báo tin", "Caller";
        Relative = "relative", "Thân nhân", "Relative";
    }
);

/// Everything personal held about one person: sealed as one value in the
/// database (`store::protection::seal`), never in clear there, in the search
/// index or in the audit chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonData {
    pub full_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    /// Phone, e-mail, address: how to reach them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A person's data as a reader outside the team sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Masked {
    pub initials: String,
    pub has_birth_date: bool,
    pub has_passport: bool,
    pub has_id_number: bool,
    pub has_contact: bool,
    pub has_health: bool,
}

/// "Nguyễn Văn An" → "N. V. A."; nothing else of the name. Words in
/// brackets (a note such as "(nhân vật minh họa)") are not part of it.
pub fn initials(name: &str) -> String {
    let mut depth = 0usize;
    let bare: String = name
        .chars()
        .map(|c| match c {
            '(' | '[' => {
                depth += 1;
                ' '
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                ' '
            }
            _ if depth > 0 => ' ',
            c => c,
        })
        .collect();
    bare.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

impl PersonData {
    pub fn masked(&self) -> Masked {
        Masked {
            initials: initials(&self.full_name),
            has_birth_date: self.birth_date.is_some(),
            has_passport: self.passport.is_some(),
            has_id_number: self.id_number.is_some(),
            has_contact: self.contact.is_some(),
            has_health: self.health.is_some(),
        }
    }
}

/// A person as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub full_name: String,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub passport: Option<String>,
    pub id_number: Option<String>,
    pub contact: Option<String>,
    pub health: Option<String>,
    pub note: Option<String>,
}

/// A validated person.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInput {
    pub role: Role,
    pub data: PersonData,
}

/// A passport or ID number as compared: letters and digits, upper case.
pub fn document_number(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The texts a case is found by for its team, before the deployment's key
/// digests them: the person's folded full name and their document numbers.
pub fn lookup_texts(p: &PersonData) -> Vec<String> {
    let mut out = Vec::new();
    let name = crate::text::fold(&p.full_name);
    if !name.is_empty() {
        out.push(format!("name:{name}"));
    }
    for (kind, n) in [("passport", &p.passport), ("id", &p.id_number)] {
        if let Some(n) = n.as_deref().map(document_number).filter(|n| !n.is_empty()) {
            out.push(format!("{kind}:{n}"));
        }
    }
    out
}

/// What a search for `q` may match among `lookup_texts`: a full name, or a
/// passport or ID number (at least 5 letters and digits).
pub fn query_texts(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let name = crate::text::fold(q);
    if name.contains(' ') {
        out.push(format!("name:{name}"));
    }
    let n = document_number(q);
    if n.len() >= 5 && n.chars().any(|c| c.is_ascii_digit()) {
        out.push(format!("passport:{n}"));
        out.push(format!("id:{n}"));
    }
    out
}

impl PersonInput {
    pub fn parse(f: &PersonForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let role = Role::parse(f.role.trim());
        if role.is_none() {
            e.add("role", crate::error::msgs::invalid_choice());
        }
        let full_name = text::required(&mut e, "full_name", &f.full_name, 200);
        let birth_date = match f.birth_date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match parse_date(s) {
                Some(d) if d <= today && d.year_ce().1 >= 1900 => Some(d),
                _ => {
                    e.add(
                        "birth_date",
                        Msg::new(
                            "Ghi ngày sinh dạng 25/04/1990, không ở tương lai.",
                            "Write the birth date as 25/04/1990, not in the future.",
                        ),
                    );
                    None
                }
            },
        };
        let gender = text::optional(&mut e, "gender", f.gender.as_deref(), 20);
        let number = |e: &mut FieldErrors, field: &str, v: Option<&str>| {
            let n = text::optional(e, field, v, 40).map(|s| document_number(&s));
            match n {
                Some(n) if n.len() < 5 => {
                    e.add(
                        field,
                        Msg::new(
                            "Số giấy tờ có ít nhất 5 chữ và số.",
                            "A document number has at least 5 letters and digits.",
                        ),
                    );
                    None
                }
                n => n,
            }
        };
        let passport = number(&mut e, "passport", f.passport.as_deref());
        let id_number = number(&mut e, "id_number", f.id_number.as_deref());
        let contact = text::optional(&mut e, "contact", f.contact.as_deref(), 500);
        let health = text::optional(&mut e, "health", f.health.as_deref(), 2000);
        let note = text::optional(&mut e, "note", f.note.as_deref(), 2000);
        match role {
            Some(role) if e.is_empty() => Ok(Self {
                role,
                data: PersonData {
                    full_name,
                    birth_date,
                    gender,
                    passport,
                    id_number,
                    contact,
                    health,
                    note,
                },
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_masks_to_its_initials_only() {
        assert_eq!(initials("Nguyễn Văn An"), "N. V. A.");
        assert_eq!(initials("  đặng   thị  ánh "), "Đ. T. Á.");
        assert_eq!(initials(""), "");
        assert_eq!(initials("Đỗ Văn Khánh (nhân vật minh họa)"), "Đ. V. K.");
        let p = PersonData {
            full_name: "Lê Minh Châu".into(),
            passport: Some("C1234567".into()),
            ..Default::default()
        };
        let m = p.masked();
        assert_eq!(m.initials, "L. M. C.");
        assert!(m.has_passport && !m.has_birth_date);
        let shown = serde_json::to_string(&m).unwrap();
        assert!(!shown.contains("C1234567") && !shown.contains("Châu"));
    }

    #[test]
    fn a_search_matches_a_full_name_or_a_number_as_looked_up() {
        let p = PersonData {
            full_name: "Phạm Văn Dũng".into(),
            passport: Some("C1234567".into()),
            ..Default::default()
        };
        let held = lookup_texts(&p);
        assert_eq!(held, ["name:pham van dung", "passport:C1234567"]);
        assert!(
            query_texts("pham van  DŨNG")
                .iter()
                .any(|q| held.contains(q))
        );
        assert!(query_texts("c123-4567").iter().any(|q| held.contains(q)));
        // One word, or a short or letter-only text, looks nothing up.
        assert!(query_texts("Dũng").is_empty());
        assert!(query_texts("12").is_empty());
    }

    #[test]
    fn a_person_is_read_as_written() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let p = PersonInput::parse(
            &PersonForm {
                role: "citizen".into(),
                full_name: "Phạm Văn Dũng".into(),
                birth_date: Some("12/03/1985".into()),
                passport: Some("c 123-4567".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(p.data.passport.as_deref(), Some("C1234567"));
        assert_eq!(p.data.birth_date, NaiveDate::from_ymd_opt(1985, 3, 12));
        let e = PersonInput::parse(
            &PersonForm {
                role: "nobody".into(),
                full_name: String::new(),
                birth_date: Some("12/03/2030".into()),
                passport: Some("12".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        for f in ["role", "full_name", "birth_date", "passport"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
