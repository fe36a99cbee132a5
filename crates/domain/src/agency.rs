//! Agencies (cơ quan, đơn vị): pillar, level, place in the tree, and their lineage
//! — renamed, merged into, split from, dissolved — so that no record made under
//! an agency is ever orphaned or re-attributed when the organisation changes.

use crate::access::AgencyGraph;
use crate::error::{FieldErrors, Msg, msgs};
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pillar {
    Party,
    State,
    People,
}

impl Pillar {
    pub const ALL: [Pillar; 3] = [Self::Party, Self::State, Self::People];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Party => "party",
            Self::State => "state",
            Self::People => "people",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    pub fn label(self) -> Msg {
        match self {
            Self::Party => Msg::new("Đối ngoại Đảng", "Party external relations"),
            Self::State => Msg::new("Ngoại giao Nhà nước", "State diplomacy"),
            Self::People => Msg::new("Đối ngoại nhân dân", "People's diplomacy"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Central,
    Provincial,
    /// A commune-level body (since 1 July 2025 the second of two levels of
    /// local government; border communes sign agreements too).
    Commune,
    Mission,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Self::Central,
        Self::Provincial,
        Self::Commune,
        Self::Mission,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Provincial => "provincial",
            Self::Commune => "commune",
            Self::Mission => "mission",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    pub fn label(self) -> Msg {
        match self {
            Self::Central => Msg::new("Trung ương", "Central"),
            Self::Provincial => Msg::new("Địa phương (tỉnh, thành phố)", "Provincial"),
            Self::Commune => Msg::new(
                "Cấp xã (xã, phường, đặc khu)",
                "Commune (commune, ward, special zone)",
            ),
            Self::Mission => Msg::new("Cơ quan đại diện ở nước ngoài", "Mission abroad"),
        }
    }
}

/// Where an agency stands after its lineage events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyStatus {
    Active,
    Merged,
    Dissolved,
}

impl AgencyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Merged => "merged",
            Self::Dissolved => "dissolved",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Merged, Self::Dissolved]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
    pub fn label(self) -> Msg {
        match self {
            Self::Active => Msg::new("Đang hoạt động", "Active"),
            Self::Merged => Msg::new("Đã sáp nhập", "Merged"),
            Self::Dissolved => Msg::new("Đã giải thể", "Dissolved"),
        }
    }
}

/// A validated agency as submitted by a form or the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    pub pillar: Pillar,
    /// A second pillar whose work the agency also carries out (the Ministry of
    /// Foreign Affairs carries out the Party's external work since 2025).
    pub also_pillar: Option<Pillar>,
    pub level: Level,
    pub parent_id: Option<Uuid>,
    pub country_code: Option<String>,
    pub province_code: Option<String>,
    /// A commune-level agency's commune (its official code); its province
    /// follows from the commune.
    pub commune_code: Option<String>,
}

/// The raw strings of an agency form, before parsing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgencyForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    #[serde(default)]
    pub pillar: String,
    /// Empty, or a pillar other than `pillar` the agency also serves.
    pub also_pillar: Option<String>,
    #[serde(default)]
    pub level: String,
    pub parent_id: Option<String>,
    pub country_code: Option<String>,
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub classification: Option<String>,
    /// The state-secrets catalogue item (code or id) a classified record rests on.
    pub secret_item: Option<String>,
}

impl AgencyInput {
    /// Parse the form. Reference checks that need the database (the parent, the
    /// country and province exist) are the store's; the shape rules are here.
    pub fn parse(form: &AgencyForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = text::required(&mut e, "code", &form.code, 32).to_uppercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            e.add(
                "code",
                Msg::new(
                    "Mã chỉ gồm chữ Latinh không dấu, chữ số và các dấu - _ .",
                    "The code may hold only unaccented Latin letters, digits and - _ .",
                ),
            );
        }
        let name_vi = text::required(&mut e, "name_vi", &form.name_vi, 300);
        let name_en = text::optional(&mut e, "name_en", form.name_en.as_deref(), 300);
        let abbreviation = text::optional(&mut e, "abbreviation", form.abbreviation.as_deref(), 50);
        let pillar = Pillar::parse(&form.pillar);
        if pillar.is_none() {
            e.add("pillar", msgs::invalid_choice());
        }
        let also_pillar = match form.also_pillar.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match Pillar::parse(s) {
                // The agency's own pillar named again adds nothing.
                Some(p) if Some(p) == pillar => None,
                Some(p) => Some(p),
                None => {
                    e.add("also_pillar", msgs::invalid_choice());
                    None
                }
            },
        };
        let level = Level::parse(&form.level);
        if level.is_none() {
            e.add("level", msgs::invalid_choice());
        }
        let parent_id = match form
            .parent_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match Uuid::parse_str(s) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("parent_id", msgs::invalid_choice());
                    None
                }
            },
        };
        let country_code = text::optional(&mut e, "country_code", form.country_code.as_deref(), 2)
            .map(|s| s.to_uppercase());
        let province_code =
            text::optional(&mut e, "province_code", form.province_code.as_deref(), 16);
        if level == Some(Level::Mission) && country_code.is_none() {
            e.add(
                "country_code",
                Msg::new(
                    "Cơ quan đại diện ở nước ngoài phải có nước sở tại.",
                    "A mission abroad needs its host country.",
                ),
            );
        }
        let commune_code = text::optional(&mut e, "commune_code", form.commune_code.as_deref(), 16);
        if level == Some(Level::Commune) && commune_code.is_none() {
            e.add(
                "commune_code",
                Msg::new(
                    "Cơ quan cấp xã phải thuộc một xã, phường, đặc khu.",
                    "A commune-level agency needs its commune.",
                ),
            );
        }
        if level == Some(Level::Provincial) && province_code.is_none() {
            e.add(
                "province_code",
                Msg::new(
                    "Cơ quan địa phương phải thuộc một tỉnh, thành phố.",
                    "A provincial agency needs its province.",
                ),
            );
        }
        match (pillar, level) {
            (Some(pillar), Some(level)) if e.is_empty() => Ok(Self {
                code,
                name_vi,
                name_en,
                abbreviation,
                pillar,
                also_pillar,
                level,
                parent_id,
                country_code: if level == Level::Mission {
                    country_code
                } else {
                    None
                },
                province_code: if level == Level::Provincial {
                    province_code
                } else {
                    None
                },
                commune_code: if level == Level::Commune {
                    commune_code
                } else {
                    None
                },
            }),
            _ => Err(e),
        }
    }

    /// The tree rules: the parent exists, is active and is not the agency itself or
    /// one of its own sub-units.
    pub fn check_parent(
        &self,
        this: Option<Uuid>,
        parent_status: Option<AgencyStatus>,
        graph: &AgencyGraph,
    ) -> Result<(), FieldErrors> {
        let Some(parent) = self.parent_id else {
            return Ok(());
        };
        match parent_status {
            None => Err(FieldErrors::single("parent_id", msgs::invalid_choice())),
            Some(AgencyStatus::Active) => match this {
                Some(id) if graph.is_ancestor_or_self(id, parent) => Err(FieldErrors::single(
                    "parent_id",
                    Msg::new(
                        "Không thể đặt cơ quan trực thuộc chính nó hoặc đơn vị cấp dưới của nó.",
                        "An agency cannot sit under itself or one of its own sub-units.",
                    ),
                )),
                _ => Ok(()),
            },
            Some(_) => Err(FieldErrors::single(
                "parent_id",
                Msg::new(
                    "Cơ quan cấp trên đã sáp nhập hoặc giải thể; hãy chọn cơ quan kế thừa.",
                    "The parent agency was merged or dissolved; choose its successor.",
                ),
            )),
        }
    }
}

/// The kinds of change in an agency's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    Renamed,
    MergedInto,
    SplitFrom,
    Dissolved,
}

impl LineageKind {
    pub const ALL: [LineageKind; 4] = [
        Self::Renamed,
        Self::MergedInto,
        Self::SplitFrom,
        Self::Dissolved,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Renamed => "renamed",
            Self::MergedInto => "merged_into",
            Self::SplitFrom => "split_from",
            Self::Dissolved => "dissolved",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
    pub fn label(self) -> Msg {
        match self {
            Self::Renamed => Msg::new("Đổi tên", "Renamed"),
            Self::MergedInto => Msg::new("Sáp nhập vào", "Merged into"),
            Self::SplitFrom => Msg::new("Tách ra từ", "Split from"),
            Self::Dissolved => Msg::new("Giải thể", "Dissolved"),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineageForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub effective_date: String,
    pub related_agency_id: Option<String>,
    pub new_name_vi: Option<String>,
    pub new_name_en: Option<String>,
    pub note: Option<String>,
}

/// A validated lineage event for one agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineageInput {
    pub kind: LineageKind,
    pub effective_date: NaiveDate,
    /// Merged into / split from this agency; for a dissolution, optionally the
    /// agency that takes over its records.
    pub related_agency_id: Option<Uuid>,
    pub new_name_vi: Option<String>,
    pub new_name_en: Option<String>,
    pub note: Option<String>,
}

/// Parse a date typed as dd/mm/yyyy (the way it is shown) or yyyy-mm-dd (HTML date inputs, the API).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

impl LineageInput {
    pub fn parse(form: &LineageForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = LineageKind::parse(&form.kind);
        if kind.is_none() {
            e.add("kind", msgs::invalid_choice());
        }
        let effective_date = parse_date(&form.effective_date);
        if effective_date.is_none() {
            e.add(
                "effective_date",
                Msg::new(
                    "Nhập ngày theo dạng dd/mm/yyyy.",
                    "Enter the date as dd/mm/yyyy.",
                ),
            );
        }
        let related = match form
            .related_agency_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match Uuid::parse_str(s) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("related_agency_id", msgs::invalid_choice());
                    None
                }
            },
        };
        let new_name_vi = text::optional(&mut e, "new_name_vi", form.new_name_vi.as_deref(), 300);
        let new_name_en = text::optional(&mut e, "new_name_en", form.new_name_en.as_deref(), 300);
        let note = text::optional(&mut e, "note", form.note.as_deref(), 2000);
        match kind {
            Some(LineageKind::MergedInto | LineageKind::SplitFrom) if related.is_none() => e.add(
                "related_agency_id",
                Msg::new("Chọn cơ quan liên quan.", "Choose the related agency."),
            ),
            Some(LineageKind::Renamed) if new_name_vi.is_none() => e.add(
                "new_name_vi",
                Msg::new("Nhập tên mới.", "Enter the new name."),
            ),
            _ => {}
        }
        match (kind, effective_date) {
            (Some(kind), Some(effective_date)) if e.is_empty() => Ok(Self {
                kind,
                effective_date,
                related_agency_id: related,
                new_name_vi,
                new_name_en,
                note,
            }),
            _ => Err(e),
        }
    }

    /// The rules against the current state: only an active agency changes, a
    /// merge goes into another active agency that is not below it.
    pub fn check(
        &self,
        this: Uuid,
        status: AgencyStatus,
        related_status: Option<AgencyStatus>,
        graph: &AgencyGraph,
    ) -> Result<(), FieldErrors> {
        if status != AgencyStatus::Active {
            return Err(FieldErrors::single(
                "kind",
                Msg::new(
                    "Cơ quan này đã sáp nhập hoặc giải thể; không ghi thêm thay đổi.",
                    "This agency was already merged or dissolved; no further change can be recorded.",
                ),
            ));
        }
        if let Some(rel) = self.related_agency_id {
            if rel == this {
                return Err(FieldErrors::single(
                    "related_agency_id",
                    Msg::new(
                        "Cơ quan liên quan phải là một cơ quan khác.",
                        "The related agency must be another agency.",
                    ),
                ));
            }
            if related_status.is_none() {
                return Err(FieldErrors::single(
                    "related_agency_id",
                    msgs::invalid_choice(),
                ));
            }
            let into = matches!(self.kind, LineageKind::MergedInto | LineageKind::Dissolved);
            if into && related_status != Some(AgencyStatus::Active) {
                return Err(FieldErrors::single(
                    "related_agency_id",
                    Msg::new(
                        "Cơ quan kế thừa phải đang hoạt động.",
                        "The successor agency must be active.",
                    ),
                ));
            }
            if into && graph.is_ancestor_or_self(this, rel) {
                return Err(FieldErrors::single(
                    "related_agency_id",
                    Msg::new(
                        "Không thể sáp nhập vào một đơn vị cấp dưới của chính cơ quan này.",
                        "An agency cannot be merged into one of its own sub-units.",
                    ),
                ));
            }
        }
        Ok(())
    }

    /// What the event does to the agency: its new status and successor.
    pub fn outcome(&self) -> (AgencyStatus, Option<Uuid>) {
        match self.kind {
            LineageKind::Renamed | LineageKind::SplitFrom => (AgencyStatus::Active, None),
            LineageKind::MergedInto => (AgencyStatus::Merged, self.related_agency_id),
            LineageKind::Dissolved => (AgencyStatus::Dissolved, self.related_agency_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AgencyNode;

    fn form() -> AgencyForm {
        AgencyForm {
            code: " snv-hn ".into(),
            name_vi: "Sở Ngoại vụ  Hà Nội".into(),
            pillar: "state".into(),
            level: "provincial".into(),
            province_code: Some("VN34-01".into()),
            ..Default::default()
        }
    }

    #[test]
    fn parses_and_cleans() {
        let a = AgencyInput::parse(&form()).unwrap();
        assert_eq!(a.code, "SNV-HN");
        assert_eq!(a.name_vi, "Sở Ngoại vụ Hà Nội");
        assert_eq!(a.province_code.as_deref(), Some("VN34-01"));
    }

    #[test]
    fn reports_every_bad_field() {
        let e = AgencyInput::parse(&AgencyForm {
            code: "Sở!".into(),
            level: "mission".into(),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["code", "name_vi", "pillar", "country_code"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn lineage_rules() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let g = AgencyGraph::new([
            (
                a,
                AgencyNode {
                    parent: None,
                    successor: None,
                    pillar: Pillar::State,
                    also: None,
                },
            ),
            (
                b,
                AgencyNode {
                    parent: Some(a),
                    successor: None,
                    pillar: Pillar::State,
                    also: None,
                },
            ),
        ]);
        let merge = LineageInput::parse(&LineageForm {
            kind: "merged_into".into(),
            effective_date: "01/03/2025".into(),
            related_agency_id: Some(b.to_string()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            merge.effective_date,
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
        assert!(
            merge
                .check(a, AgencyStatus::Active, Some(AgencyStatus::Active), &g)
                .is_err(),
            "into own sub-unit"
        );
        assert!(
            merge
                .check(b, AgencyStatus::Active, Some(AgencyStatus::Active), &g)
                .is_err(),
            "into itself"
        );
        let c = Uuid::new_v4();
        let m2 = LineageInput {
            related_agency_id: Some(c),
            ..merge.clone()
        };
        assert!(
            m2.check(b, AgencyStatus::Active, Some(AgencyStatus::Merged), &g)
                .is_err(),
            "into a merged one"
        );
        assert!(
            m2.check(b, AgencyStatus::Merged, Some(AgencyStatus::Active), &g)
                .is_err(),
            "already merged"
        );
        assert!(
            m2.check(b, AgencyStatus::Active, Some(AgencyStatus::Active), &g)
                .is_ok()
        );
        assert_eq!(m2.outcome(), (AgencyStatus::Merged, Some(c)));
        let rename = LineageForm {
            kind: "renamed".into(),
            effective_date: "2025-03-01".into(),
            ..Default::default()
        };
        assert!(
            LineageInput::parse(&rename)
                .unwrap_err()
                .get("new_name_vi")
                .is_some()
        );
    }
}
