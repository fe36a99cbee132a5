//! Importing partners and contacts from a spreadsheet: the columns (the export's
//! headings, in Vietnamese or English), reading each row into a partner form and
//! a position, and problems that name the spreadsheet row and column.

use crate::Msg;
use crate::partner::{PartnerForm, PartnerKind};
use crate::person::PositionForm;
use crate::text::fold;

pub use crate::import::{MAX_BYTES, MAX_ROWS, Problem, Sheet};

/// The partner sheet's layout.
pub type Layout = crate::import::Layout<Column>;

/// A column of the partner spreadsheet, exported and imported alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    NameVi,
    NameEn,
    Kind,
    Code,
    Abbreviation,
    Aliases,
    Country,
    Framework,
    Since,
    Neighbour,
    TraditionalFriend,
    Note,
    Position,
    PositionAt,
    PositionFrom,
}

impl Column {
    /// In the order of the export.
    pub const ALL: [Column; 15] = [
        Self::NameVi,
        Self::NameEn,
        Self::Kind,
        Self::Code,
        Self::Abbreviation,
        Self::Aliases,
        Self::Country,
        Self::Framework,
        Self::Since,
        Self::Neighbour,
        Self::TraditionalFriend,
        Self::Note,
        Self::Position,
        Self::PositionAt,
        Self::PositionFrom,
    ];

    /// The heading in both languages.
    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Self::NameVi => ("Tên tiếng Việt", "Vietnamese name"),
            Self::NameEn => ("Tên tiếng Anh", "English name"),
            Self::Kind => ("Loại đối tác", "Kind of partner"),
            Self::Code => ("Mã", "Code"),
            Self::Abbreviation => ("Tên viết tắt", "Abbreviation"),
            Self::Aliases => ("Tên gọi khác", "Other names"),
            Self::Country => ("Nước", "Country"),
            Self::Framework => ("Khuôn khổ quan hệ", "Relationship framework"),
            Self::Since => ("Từ", "Since"),
            Self::Neighbour => ("Láng giềng", "Neighbour"),
            Self::TraditionalFriend => ("Bạn bè truyền thống", "Traditional friend"),
            Self::Note => ("Ghi chú", "Notes"),
            Self::Position => ("Chức vụ hiện nay", "Current position"),
            Self::PositionAt => ("Nơi giữ chức vụ", "Position held at"),
            Self::PositionFrom => ("Giữ chức vụ từ", "Position held since"),
        };
        Msg::new(vi, en)
    }

    /// Whether an import reads this column. The code, framework and its date are
    /// kept elsewhere (the reference list, the dated framework history with its
    /// source) and are only exported.
    pub fn imported(self) -> bool {
        !matches!(self, Self::Code | Self::Framework | Self::Since)
    }
}

impl crate::import::SheetColumn for Column {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn required() -> &'static [Self] {
        &[Self::NameVi, Self::Kind]
    }

    fn label(self) -> Msg {
        Column::label(self)
    }

    fn unknown() -> Msg {
        Msg::new(
            "Cột không rõ: dùng đúng tên cột như tệp xuất từ danh sách đối tác.",
            "Unknown column: use the headings of the partner list export.",
        )
    }

    /// The column a validation error on a partner or position field belongs to.
    fn of_field(field: &str) -> Option<Self> {
        Some(match field {
            "name_vi" => Self::NameVi,
            "name_en" => Self::NameEn,
            "kind" => Self::Kind,
            "abbreviation" => Self::Abbreviation,
            "aliases" => Self::Aliases,
            "country_code" => Self::Country,
            "notes" => Self::Note,
            "title" => Self::Position,
            "organisation" => Self::PositionAt,
            "from" => Self::PositionFrom,
            _ => return None,
        })
    }
}

/// One data row read into the forms the registry validates.
#[derive(Debug, Clone)]
pub struct Line {
    /// The spreadsheet row number (the first data row is 2).
    pub row: usize,
    pub form: PartnerForm,
    pub position: Option<PositionForm>,
}

impl Layout {
    /// Read data row `row` (spreadsheet numbering); `None` for a blank row.
    pub fn line(&self, row: usize, cells: &[String]) -> Option<Result<Line, Vec<Problem>>> {
        let get = |col: Column| self.value(cells, col);
        if self.blank(cells) {
            return None;
        }
        let mut problems = self.formulas(row, cells);
        let kind = match get(Column::Kind) {
            None => {
                problems.push(self.problem(row, Column::Kind, crate::error::msgs::required()));
                String::new()
            }
            Some(k) => match parse_kind(&k) {
                Some(kind) => kind.as_str().to_string(),
                None => {
                    problems.push(self.problem(
                        row,
                        Column::Kind,
                        Msg::new(
                            format!("Loại «{k}» không có; dùng một trong: {}.", kind_names("vi")),
                            format!("No kind «{k}»; use one of: {}.", kind_names("en")),
                        ),
                    ));
                    String::new()
                }
            },
        };
        let mut flag = |col: Column| -> Option<String> {
            let v = get(col)?;
            match parse_flag(&v) {
                Some(true) => Some("on".into()),
                Some(false) => None,
                None => {
                    problems.push(self.problem(
                        row,
                        col,
                        Msg::new(
                            format!("«{v}» không hiểu được; ghi «x» (có) hoặc để trống (không)."),
                            format!("«{v}» is not understood; write «x» (yes) or leave it empty."),
                        ),
                    ));
                    None
                }
            }
        };
        let neighbour = flag(Column::Neighbour);
        let traditional_friend = flag(Column::TraditionalFriend);
        let form = PartnerForm {
            kind,
            name_vi: get(Column::NameVi).unwrap_or_default(),
            name_en: get(Column::NameEn),
            abbreviation: get(Column::Abbreviation),
            aliases: get(Column::Aliases).map(Into::into),
            country_code: get(Column::Country),
            notes: get(Column::Note),
            classification: None,
            secret_item: None,
            neighbour,
            traditional_friend,
        };
        let title = get(Column::Position);
        let at = get(Column::PositionAt);
        let from = get(Column::PositionFrom);
        let position = match (title, at.is_some() || from.is_some()) {
            (Some(title), _) => Some(PositionForm {
                title,
                organisation: at,
                from,
                ..Default::default()
            }),
            (None, true) => {
                problems.push(self.problem(
                    row,
                    Column::Position,
                    Msg::new(
                        "Ghi chức vụ khi đã ghi nơi hoặc thời gian giữ chức vụ.",
                        "Give the position when its place or date is given.",
                    ),
                ));
                None
            }
            (None, false) => None,
        };
        if position.is_some() && form.kind != PartnerKind::Person.as_str() && !form.kind.is_empty()
        {
            problems.push(self.problem(
                row,
                Column::Position,
                Msg::new(
                    "Chỉ nhân vật mới có chức vụ.",
                    "Only a person holds a position.",
                ),
            ));
        }
        Some(if problems.is_empty() {
            Ok(Line {
                row,
                form,
                position,
            })
        } else {
            Err(problems)
        })
    }
}

/// A kind written as its label in either language, the label's first part
/// ("Nhân vật", "Quốc gia", "Person") or its code.
pub fn parse_kind(s: &str) -> Option<PartnerKind> {
    let key = fold(s);
    let short = |label: &str| fold(label.split([',', '(']).next().unwrap_or(label));
    PartnerKind::ALL.into_iter().find(|k| {
        let l = k.label();
        [l.get("vi"), l.get("en")]
            .into_iter()
            .any(|x| fold(x) == key || short(x) == key)
            || fold(k.as_str()) == key
    })
}

fn kind_names(lang: &str) -> String {
    PartnerKind::ALL
        .iter()
        .map(|k| k.label().get(lang).to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// "x", "có", "yes", "1", "true" are yes; "không", "no", "0", "false" are no.
pub fn parse_flag(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "" | "khong" | "no" | "0" | "false" | "sai" => Some(false),
        "x" | "co" | "yes" | "y" | "1" | "true" | "dung" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldErrors;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn headings_in_either_language_without_diacritics() {
        let l = Layout::read(&s(&["TEN TIENG VIET", "Kind of partner", "láng giềng", ""])).unwrap();
        let line = l.line(2, &s(&["Đảng X", "Đảng chính trị nước ngoài", "x", ""]));
        let line = line.unwrap().unwrap();
        assert_eq!(line.form.kind, "party");
        assert_eq!(line.form.neighbour.as_deref(), Some("on"));
        assert_eq!(line.row, 2);
    }

    #[test]
    fn unknown_repeated_and_missing_headings() {
        let e = Layout::read(&s(&["Tên tiếng Việt", "Ten", "Tên tiếng Việt"])).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].column.as_deref(), Some("Ten"));
        assert_eq!(e[1].message.get("en"), "This column appears twice.");
        assert!(e[2].message.get("en").contains("Kind of partner"));
    }

    #[test]
    fn blank_rows_are_skipped_and_problems_name_the_column() {
        let l = Layout::read(&s(&["Tên tiếng Việt", "Loại", "Bạn bè truyền thống"]));
        assert!(l.is_err(), "«Loại» alone is not a heading");
        let l = Layout::read(&s(&[
            "Tên tiếng Việt",
            "Loại đối tác",
            "Bạn bè truyền thống",
        ]))
        .unwrap();
        assert!(l.line(3, &s(&["", " ", ""])).is_none());
        assert!(l.line(3, &s(&[])).is_none());
        let p = l
            .line(4, &s(&["A", "hành tinh", "có lẽ"]))
            .unwrap()
            .unwrap_err();
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].row, p[0].column.as_deref()),
            (4, Some("Loại đối tác"))
        );
        assert_eq!(p[1].column.as_deref(), Some("Bạn bè truyền thống"));
    }

    #[test]
    fn positions_belong_to_people() {
        let l = Layout::read(&s(&[
            "Tên tiếng Việt",
            "Loại đối tác",
            "Chức vụ hiện nay",
            "Nơi giữ chức vụ",
        ]))
        .unwrap();
        let ok = l
            .line(2, &s(&["Ông A", "person", "Chủ tịch", "Đảng X"]))
            .unwrap()
            .unwrap();
        assert_eq!(ok.position.unwrap().organisation.as_deref(), Some("Đảng X"));
        let e = l
            .line(3, &s(&["Đảng Y", "party", "Chủ tịch", ""]))
            .unwrap()
            .unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("Chức vụ hiện nay"));
        let e = l
            .line(4, &s(&["Ông B", "person", "", "Đảng X"]))
            .unwrap()
            .unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("Chức vụ hiện nay"));
    }

    #[test]
    fn kinds_and_flags() {
        assert_eq!(parse_kind("Doanh nghiep"), Some(PartnerKind::Enterprise));
        assert_eq!(parse_kind("FOREIGN NGO"), Some(PartnerKind::Ngo));
        assert_eq!(
            parse_kind("other_organisation"),
            Some(PartnerKind::OtherOrganisation)
        );
        assert_eq!(parse_kind("planet"), None);
        assert_eq!(parse_kind("Nhân vật"), Some(PartnerKind::Person));
        assert_eq!(parse_kind("quoc gia"), Some(PartnerKind::Country));
        assert_eq!(parse_kind("Person"), Some(PartnerKind::Person));
        assert_eq!(parse_kind("Tổ chức"), None, "not a kind on its own");
        assert_eq!(parse_flag("X"), Some(true));
        assert_eq!(parse_flag("Có"), Some(true));
        assert_eq!(parse_flag("không"), Some(false));
        assert_eq!(parse_flag("maybe"), None);
    }

    #[test]
    fn field_errors_map_to_the_files_headings() {
        let l = Layout::read(&s(&["Vietnamese name", "Kind of partner"])).unwrap();
        let mut e = FieldErrors::new();
        e.add("name_vi", Msg::new("a", "b"));
        e.add("other", Msg::new("c", "d"));
        let p = l.field_problems(7, &e);
        assert_eq!(p[0].column.as_deref(), Some("Vietnamese name"));
        assert_eq!(p[1].column, None);
        assert_eq!(l.heading(Column::Country), "Nước");
    }
}
