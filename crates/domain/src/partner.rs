//! Partners (đối tác) and their relationship frameworks (khuôn khổ quan hệ): the
//! kinds of partner, the framework levels, dates known to a year, month or day,
//! and the rule that a partner's current level is the latest by date, whatever
//! the order the history was entered in.

use crate::error::{FieldErrors, Msg, msgs};
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    Country,
    Organisation,
    Party,
    Parliament,
    Locality,
    Ngo,
    Enterprise,
    OtherOrganisation,
    /// A dignitary or contact, with the positions held over time.
    Person,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 9] = [
        Self::Country,
        Self::Organisation,
        Self::Party,
        Self::Parliament,
        Self::Locality,
        Self::Ngo,
        Self::Enterprise,
        Self::OtherOrganisation,
        Self::Person,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Organisation => "organisation",
            Self::Party => "party",
            Self::Parliament => "parliament",
            Self::Locality => "locality",
            Self::Ngo => "ngo",
            Self::Enterprise => "enterprise",
            Self::OtherOrganisation => "other_organisation",
            Self::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Country => Msg::new("Quốc gia, vùng lãnh thổ", "Country or territory"),
            Self::Organisation => Msg::new(
                "Tổ chức quốc tế, khu vực",
                "International or regional organisation",
            ),
            Self::Party => Msg::new("Đảng chính trị nước ngoài", "Foreign political party"),
            Self::Parliament => Msg::new("Nghị viện nước ngoài", "Foreign parliament"),
            Self::Locality => Msg::new("Địa phương nước ngoài", "Foreign locality"),
            Self::Ngo => Msg::new("Tổ chức phi chính phủ nước ngoài", "Foreign NGO"),
            Self::Enterprise => Msg::new("Doanh nghiệp", "Enterprise"),
            Self::OtherOrganisation => Msg::new("Tổ chức khác", "Other organisation"),
            Self::Person => Msg::new("Nhân vật, đầu mối liên hệ", "Person (dignitary or contact)"),
        }
    }

    /// Which kinds carry a relationship framework.
    pub fn has_framework(self) -> bool {
        matches!(self, Self::Country | Self::Organisation)
    }
}

/// How precisely a date in a framework history is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Month => "month",
            Self::Day => "day",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Year, Self::Month, Self::Day]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A date known to a year, a month or a day: "2016", "2008-05", "2024-10-07",
/// also typed as "05/2008" or "07/10/2024". Stored as the first day it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub date: NaiveDate,
    pub precision: Precision,
}

impl PartialDate {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        let num = |p: &str| p.parse::<u32>().ok();
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let (date, precision) = match parts.as_slice() {
            [y] if y.len() == 4 => (ymd(num(y)? as i32, 1, 1)?, Precision::Year),
            [y, m] if y.len() == 4 => (ymd(num(y)? as i32, num(m)?, 1)?, Precision::Month),
            [m, y] if y.len() == 4 => (ymd(num(y)? as i32, num(m)?, 1)?, Precision::Month),
            [y, m, d] if y.len() == 4 => (ymd(num(y)? as i32, num(m)?, num(d)?)?, Precision::Day),
            [d, m, y] if y.len() == 4 => (ymd(num(y)? as i32, num(m)?, num(d)?)?, Precision::Day),
            _ => return None,
        };
        (1900..=2200)
            .contains(&chrono::Datelike::year(&date))
            .then_some(Self { date, precision })
    }

    /// Shown the Vietnamese way: "2016", "05/2008", "07/10/2024".
    pub fn display(&self) -> String {
        match self.precision {
            Precision::Year => self.date.format("%Y").to_string(),
            Precision::Month => self.date.format("%m/%Y").to_string(),
            Precision::Day => self.date.format("%d/%m/%Y").to_string(),
        }
    }
}

/// One step of a framework history as the rule needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkStep<L> {
    pub level: L,
    /// `None`: the relation has no dated establishment (e.g. special relations).
    pub since: Option<PartialDate>,
    /// Order of entry, to break ties between steps with the same date.
    pub entered: i64,
}

/// The current framework: the latest dated step; undated steps count only when
/// nothing is dated. Ties on the date go to the step entered last.
pub fn current_framework<L: Clone>(steps: &[FrameworkStep<L>]) -> Option<&FrameworkStep<L>> {
    steps
        .iter()
        .max_by_key(|s| (s.since.is_some(), s.since.map(|d| d.date), s.entered))
}

/// The raw strings of a partner form.
/// The most other names one partner may carry.
pub const MAX_ALIASES: usize = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartnerForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    /// Aliases, one per line or separated by semicolons (or a list).
    pub aliases: Option<crate::text::Listed>,
    /// The partner's home country (for a party, parliament, locality, NGO…).
    pub country_code: Option<String>,
    pub notes: Option<String>,
    pub classification: Option<String>,
    /// The state-secrets catalogue item (code or id) a classified record rests on.
    pub secret_item: Option<String>,
    /// Checkboxes: present when ticked.
    pub neighbour: Option<String>,
    pub traditional_friend: Option<String>,
}

/// A validated partner.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerInput {
    pub kind: PartnerKind,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub aliases: Vec<String>,
    pub country_code: Option<String>,
    pub notes: Option<String>,
    pub neighbour: bool,
    pub traditional_friend: bool,
}

impl PartnerInput {
    /// Parse a new partner: countries come only from the reference data.
    pub fn parse(form: &PartnerForm) -> Result<Self, FieldErrors> {
        Self::parse_with(form, false)
    }

    /// Parse an edit of an existing partner of kind `existing`: a country stays a
    /// country, and nothing else becomes one.
    pub fn parse_edit(form: &PartnerForm, existing: PartnerKind) -> Result<Self, FieldErrors> {
        let mut f = form.clone();
        if existing == PartnerKind::Country {
            f.kind = PartnerKind::Country.as_str().into();
        }
        Self::parse_with(&f, existing == PartnerKind::Country)
    }

    fn parse_with(form: &PartnerForm, country_allowed: bool) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = PartnerKind::parse(&form.kind);
        match kind {
            None => e.add("kind", msgs::invalid_choice()),
            Some(PartnerKind::Country) if !country_allowed => e.add(
                "kind",
                Msg::new(
                    "Quốc gia có sẵn từ danh mục ISO 3166-1, không tạo thêm được.",
                    "Countries come from the ISO 3166-1 list and cannot be added.",
                ),
            ),
            _ => {}
        }
        let name_vi = text::required(&mut e, "name_vi", &form.name_vi, 300);
        let name_en = text::optional(&mut e, "name_en", form.name_en.as_deref(), 300);
        let abbreviation = text::optional(&mut e, "abbreviation", form.abbreviation.as_deref(), 50);
        // Linear in what was sent, and stops at the first alias past the limit.
        let mut aliases: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let none = crate::text::Listed::Items(Vec::new());
        for a in form.aliases.as_ref().unwrap_or(&none).pieces(&['\n', ';']) {
            if aliases.len() > MAX_ALIASES {
                break;
            }
            if a.len() > 4 * 200 {
                e.add("aliases", msgs::too_long(200));
                continue;
            }
            let a = text::clean(a, false);
            if a.is_empty() || !seen.insert(text::fold(&a)) {
                continue;
            }
            if a.chars().count() > 200 {
                e.add("aliases", msgs::too_long(200));
            }
            aliases.push(a);
        }
        if aliases.len() > MAX_ALIASES {
            e.add(
                "aliases",
                Msg::new("Tối đa 50 tên gọi khác.", "At most 50 aliases."),
            );
        }
        let country_code = text::optional(&mut e, "country_code", form.country_code.as_deref(), 2)
            .map(|c| c.to_uppercase());
        let notes = form
            .notes
            .as_deref()
            .map(|n| text::clean(n, true))
            .filter(|n| !n.is_empty());
        if notes.as_ref().is_some_and(|n| n.chars().count() > 10_000) {
            e.add("notes", msgs::too_long(10_000));
        }
        match kind {
            Some(kind) if e.is_empty() => Ok(Self {
                kind,
                name_vi,
                name_en,
                abbreviation,
                aliases,
                country_code,
                notes,
                neighbour: ticked(form.neighbour.as_deref()),
                traditional_friend: ticked(form.traditional_friend.as_deref()),
            }),
            _ => Err(e),
        }
    }

    /// Every name the partner answers to, for duplicate detection and search.
    pub fn names(&self) -> Vec<String> {
        let mut v = vec![self.name_vi.clone()];
        v.extend(self.name_en.clone());
        v.extend(self.abbreviation.clone());
        v.extend(self.aliases.iter().cloned());
        v
    }
}

/// A checkbox is ticked when present with any value but an explicit "false"/"0"/"off".
fn ticked(v: Option<&str>) -> bool {
    v.is_some_and(|v| !matches!(v.trim(), "" | "false" | "0" | "off"))
}

/// The key two names share when they are "the same" name: case and diacritics
/// ignored ("Han Quoc" = "Hàn Quốc"), punctuation ignored ("TP.HCM" = "TP HCM").
pub fn name_key(name: &str) -> String {
    text::fold(name)
}

/// The raw strings of a framework level form (the administrator's catalogue).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LevelForm {
    /// Only when creating: lower-case letters, digits and `_`.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    /// Higher is closer; orders the levels in lists and charts.
    #[serde(default)]
    pub rank: String,
}

/// A validated framework level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub rank: i32,
}

impl LevelInput {
    /// `creating`: the code is read and checked; otherwise it is left empty.
    pub fn parse(form: &LevelForm, creating: bool) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = form.code.trim().to_string();
        let plain = (2..=40).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if creating && !plain {
            e.add(
                "code",
                Msg::new(
                    "Mã gồm 2–40 chữ thường không dấu, số hoặc dấu gạch dưới (vd. chien_luoc).",
                    "2–40 lower-case letters, digits or underscores (e.g. strategic).",
                ),
            );
        }
        let name_vi = text::required(&mut e, "name_vi", &form.name_vi, 200);
        let name_en = text::required(&mut e, "name_en", &form.name_en, 200);
        let rank = match form.rank.trim().parse::<i32>() {
            Ok(r) if (0..=1000).contains(&r) => r,
            _ => {
                e.add(
                    "rank",
                    Msg::new(
                        "Nhập một số từ 0 đến 1000 (lớn hơn là gần gũi hơn).",
                        "Enter a number from 0 to 1000 (higher is closer).",
                    ),
                );
                0
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Self {
            code: if creating { code } else { String::new() },
            name_vi,
            name_en,
            rank,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        let d = PartialDate::parse("2008-05").unwrap();
        assert_eq!(
            (d.date, d.precision),
            (
                NaiveDate::from_ymd_opt(2008, 5, 1).unwrap(),
                Precision::Month
            )
        );
        assert_eq!(d.display(), "05/2008");
        assert_eq!(PartialDate::parse("2016").unwrap().display(), "2016");
        assert_eq!(
            PartialDate::parse("07/10/2024").unwrap(),
            PartialDate::parse("2024-10-07").unwrap()
        );
        assert_eq!(PartialDate::parse("05/2008").unwrap(), d);
        for bad in ["", "2024-13", "31/02/2024", "abc", "20-20-20", "0999"] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn current_level_is_the_latest_by_date_whatever_the_entry_order() {
        let step = |level: &'static str, since: &str, entered| FrameworkStep {
            level,
            since: PartialDate::parse(since),
            entered,
        };
        // Entered out of order: the upgrade first, the older step later.
        let steps = vec![
            step("comprehensive_strategic", "2023-09", 1),
            step("comprehensive", "2013-07", 2),
        ];
        assert_eq!(
            current_framework(&steps).unwrap().level,
            "comprehensive_strategic"
        );
        // An undated special relation does not beat a dated step, but stands alone.
        let steps = vec![step("special", "", 1), step("comprehensive", "2013", 2)];
        assert_eq!(current_framework(&steps).unwrap().level, "comprehensive");
        assert_eq!(
            current_framework(&[step("special", "", 1)]).unwrap().level,
            "special"
        );
        // Same date: the one entered last is the correction.
        let steps = vec![
            step("strategic", "2009-12", 1),
            step("comprehensive_strategic", "2009-12", 2),
        ];
        assert_eq!(
            current_framework(&steps).unwrap().level,
            "comprehensive_strategic"
        );
        assert!(current_framework::<&str>(&[]).is_none());
    }

    #[test]
    fn names_fold_for_duplicates() {
        assert_eq!(name_key("Han Quoc"), name_key("Hàn Quốc"));
        assert_eq!(name_key("HÀN QUỐC"), name_key("hàn quốc"));
        assert_eq!(name_key("TP.HCM"), name_key("TP HCM"));
        assert_ne!(name_key("Hàn Quốc"), name_key("Hà Nội"));
    }

    #[test]
    fn partner_form() {
        let f = PartnerForm {
            kind: "party".into(),
            name_vi: " Đảng Cộng sản  Pháp ".into(),
            abbreviation: Some("PCF".into()),
            aliases: Some("Parti communiste français; PCF\nĐảng CS Pháp".into()),
            country_code: Some("fr".into()),
            ..Default::default()
        };
        let p = PartnerInput::parse(&f).unwrap();
        assert_eq!(p.name_vi, "Đảng Cộng sản Pháp");
        assert_eq!(
            p.aliases,
            ["Parti communiste français", "PCF", "Đảng CS Pháp"]
        );
        assert_eq!(p.country_code.as_deref(), Some("FR"));
        let e = PartnerInput::parse(&PartnerForm {
            kind: "country".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.get("kind").is_some() && e.get("name_vi").is_some());
    }

    #[test]
    fn ten_thousand_aliases_are_refused_at_once() {
        let many: Vec<String> = (0..10_000).map(|i| format!("Tên gọi {i}")).collect();
        let f = PartnerForm {
            kind: "party".into(),
            name_vi: "Đảng A".into(),
            aliases: Some(many.join(";").into()),
            ..Default::default()
        };
        let e = PartnerInput::parse(&f).unwrap_err();
        assert!(e.get("aliases").is_some());
        let dupes = PartnerForm {
            aliases: Some((vec!["Ｈàn Ｑuốc"; 5_000].join("\n") + "\nHàn Quốc").into()),
            ..f
        };
        assert_eq!(PartnerInput::parse(&dupes).unwrap().aliases, ["Ｈàn Ｑuốc"]);
    }

    #[test]
    fn a_framework_level_has_a_plain_code_two_names_and_a_rank() {
        let f = |code: &str, rank: &str| LevelForm {
            code: code.into(),
            name_vi: "Đối tác hợp tác".into(),
            name_en: "Cooperation partner".into(),
            rank: rank.into(),
        };
        assert!(LevelInput::parse(&f("hop_tac", "35"), true).is_ok());
        let e = LevelInput::parse(&f("Hợp tác", "35"), true).unwrap_err();
        assert!(e.0.contains_key("code"));
        let e = LevelInput::parse(&f("hop_tac", "nhiều"), true).unwrap_err();
        assert!(e.0.contains_key("rank"));
        assert!(LevelInput::parse(&f("hop_tac", "5000"), true).is_err());
        let edit = LevelInput::parse(&f("", "35"), false).unwrap();
        assert_eq!(edit.code, "", "an edit never changes the code");
    }
}
