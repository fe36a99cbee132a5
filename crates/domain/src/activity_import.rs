//! Importing past activities from the spreadsheets agencies keep (delegation
//! lists by year, registers of visits): the columns are the activity list
//! export's (an export re-imports as "nothing new"), with the other headings
//! officials give them; dates in the forms officials write them, their
//! precision kept; the status the sheet gives, one of the final ones — no
//! workflow is replayed for a record of the past.

use crate::Msg;
use crate::activity::Status;
use crate::agency::Pillar;
use crate::import::{Problem, SheetColumn};
use crate::partner::Precision;
use crate::text::fold;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub use crate::import::{MAX_BYTES, Sheet};

/// The most rows one activities file takes.
pub const MAX_ROWS: usize = 20_000;

/// The activities sheet's layout.
pub type Layout = crate::import::Layout<Column>;

/// A column of the activities spreadsheet, exported and imported alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Starts,
    Ends,
    Title,
    Type,
    Pillar,
    Channel,
    LeadAgency,
    Partners,
    City,
    Country,
    Head,
    Status,
    Classification,
}

impl Column {
    /// In the order of the export.
    pub const ALL: [Column; 13] = [
        Self::Starts,
        Self::Ends,
        Self::Title,
        Self::Type,
        Self::Pillar,
        Self::Channel,
        Self::LeadAgency,
        Self::Partners,
        Self::City,
        Self::Country,
        Self::Head,
        Self::Status,
        Self::Classification,
    ];

    pub fn label(self) -> Msg {
        let (vi, en) = match self {
            Self::Starts => ("Bắt đầu (giờ Việt Nam)", "Starts (Vietnam time)"),
            Self::Ends => ("Kết thúc (giờ Việt Nam)", "Ends (Vietnam time)"),
            Self::Title => ("Tên hoạt động", "Title"),
            Self::Type => ("Loại hoạt động", "Type"),
            Self::Pillar => ("Trụ cột", "Pillar"),
            Self::Channel => ("Kênh", "Channel"),
            Self::LeadAgency => ("Cơ quan chủ trì", "Lead agency"),
            Self::Partners => ("Đối tác", "Partners"),
            Self::City => ("Thành phố", "City"),
            Self::Country => ("Quốc gia (mã)", "Country (code)"),
            Self::Head => ("Trưởng đoàn", "Head of delegation"),
            Self::Status => ("Trạng thái", "Status"),
            Self::Classification => ("Độ mật", "Classification"),
        };
        Msg::new(vi, en)
    }

    /// Whether an import reads this column: the classification is the whole
    /// file's, chosen with the upload (each record needs its basis on the
    /// secrets list), and is only exported.
    pub fn imported(self) -> bool {
        self != Self::Classification
    }
}

impl SheetColumn for Column {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn required() -> &'static [Self] {
        &[
            Self::Starts,
            Self::Title,
            Self::Type,
            Self::LeadAgency,
            Self::Status,
        ]
    }

    fn label(self) -> Msg {
        Column::label(self)
    }

    fn also_called(self) -> &'static [&'static str] {
        match self {
            Self::Starts => &[
                "Bắt đầu",
                "Ngày bắt đầu",
                "Từ ngày",
                "Thời gian",
                "Ngày",
                "Starts",
                "Start",
                "Date",
            ],
            Self::Ends => &["Kết thúc", "Ngày kết thúc", "Đến ngày", "Ends", "End"],
            Self::Title => &["Hoạt động", "Nội dung", "Tên đoàn", "Activity"],
            Self::Type => &["Loại", "Hình thức", "Kind"],
            Self::LeadAgency => &["Đơn vị chủ trì", "Cơ quan", "Đơn vị", "Agency"],
            Self::Partners => &["Đối tác nước ngoài", "Partner", "Phía bạn"],
            Self::City => &["Địa điểm", "Place"],
            Self::Country => &["Quốc gia", "Country", "Mã nước"],
            Self::Head => &["Trưởng đoàn (họ tên)", "Head"],
            Self::Status => &["Tình trạng", "Kết quả thực hiện"],
            _ => &[],
        }
    }

    fn unknown() -> Msg {
        Msg::new(
            "Cột không rõ: dùng đúng tên cột như tệp mẫu hoặc tệp xuất từ danh sách hoạt động.",
            "Unknown column: use the headings of the template or of the activity list export.",
        )
    }
}

/// A day or a moment as officials write it, with how precisely it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The moment (Vietnam time); the first of the month or year when only
    /// those are known, at the start of the day when no time is given.
    pub at: NaiveDateTime,
    pub precision: Precision,
}

/// Read "12/05/2019", "12/05/2019 09:30" (the export's form), "2019-05-12",
/// "05/2019", "tháng 5/2019", "tháng 5 năm 2019", "năm 2019" or "2019".
pub fn parse_when(s: &str) -> Option<When> {
    // The words officials write around the numbers ("ngày", "tháng",
    // "năm") go; "tháng 5 năm 2019" is 5/2019.
    let mut date = String::new();
    let mut time = None;
    for tok in s.split_whitespace() {
        match fold(tok).as_str() {
            "ngay" | "thang" => {}
            "nam" => {
                if !date.is_empty() && !date.ends_with('/') {
                    date.push('/');
                }
            }
            _ if tok.contains(':') => time = Some(tok),
            _ => {
                if !date.is_empty() && !date.ends_with('/') {
                    date.push('/');
                }
                date.push_str(tok);
            }
        }
    }
    let date = date.as_str();
    let time = match time {
        None => NaiveTime::MIN,
        Some(x) => NaiveTime::parse_from_str(x, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(x, "%H:%M:%S"))
            .ok()?,
    };
    let day = |d: NaiveDate, precision| {
        Some(When {
            at: d.and_time(time),
            precision,
        })
    };
    let num = |x: &str| x.parse::<u32>().ok();
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    match parts.as_slice() {
        [y] if y.len() == 4 => day(
            NaiveDate::from_ymd_opt(num(y)? as i32, 1, 1)?,
            Precision::Year,
        ),
        [m, y] if y.len() == 4 => day(
            NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, 1)?,
            Precision::Month,
        ),
        [y, m, d] if y.len() == 4 => day(
            NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)?,
            Precision::Day,
        ),
        [d, m, y] if y.len() == 4 => day(
            NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)?,
            Precision::Day,
        ),
        _ => None,
    }
}

/// The last moment a partial date covers (an activity of "2019" ends by the
/// year's end when no end is given).
pub fn end_of(w: When) -> NaiveDateTime {
    let d = w.at.date();
    let last = match w.precision {
        Precision::Day => return w.at,
        Precision::Month => {
            let (y, m) = if d.month0() == 11 {
                (d.year() + 1, 1)
            } else {
                (d.year(), d.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).and_then(|n| n.pred_opt())
        }
        Precision::Year => NaiveDate::from_ymd_opt(d.year(), 12, 31),
    };
    last.unwrap_or(d).and_time(NaiveTime::MIN)
}

use chrono::Datelike;

/// A status written as its label in either language or its code.
pub fn parse_status(s: &str) -> Option<Status> {
    let key = fold(s);
    Status::ALL.iter().copied().find(|st| {
        let l = st.label();
        fold(l.get("vi")) == key || fold(l.get("en")) == key || fold(st.as_str()) == key
    })
}

/// The statuses a record of the past may enter with.
pub const PAST: [Status; 3] = [Status::Done, Status::Reported, Status::Cancelled];

/// A pillar written as its label in either language or its code.
pub fn parse_pillar(s: &str) -> Option<Pillar> {
    let key = fold(s);
    Pillar::ALL.iter().copied().find(|p| {
        let l = p.label();
        fold(l.get("vi")) == key || fold(l.get("en")) == key || fold(p.as_str()) == key
    })
}

/// One data row as read, before names are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub row: usize,
    pub title: String,
    pub starts: When,
    pub ends: NaiveDateTime,
    /// The type as written (a code or a name).
    pub type_name: String,
    pub pillar: Option<Pillar>,
    pub lead: String,
    /// Partners as written, one per name.
    pub partners: Vec<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub head: Option<String>,
    pub status: Status,
}

fn required(layout: &Layout, row: usize, col: Column, problems: &mut Vec<Problem>) {
    problems.push(layout.problem(row, col, crate::error::msgs::required()));
}

fn bad_date(v: &str) -> Msg {
    Msg::new(
        format!("«{v}» không phải ngày; ghi dd/mm/yyyy, tháng/năm (vd. 5/2019) hoặc năm."),
        format!("«{v}» is not a date; write dd/mm/yyyy, month/year (e.g. 5/2019) or a year."),
    )
}

impl Layout {
    /// Read data row `row` (spreadsheet numbering); `None` for a blank row.
    pub fn activity(&self, row: usize, cells: &[String]) -> Option<Result<Line, Vec<Problem>>> {
        if self.blank(cells) {
            return None;
        }
        let get = |c: Column| self.value(cells, c);
        let mut problems = self.formulas(row, cells);
        let title = get(Column::Title);
        if title.is_none() {
            required(self, row, Column::Title, &mut problems);
        }
        if title.as_ref().is_some_and(|t| t.chars().count() > 500) {
            problems.push(self.problem(row, Column::Title, crate::error::msgs::too_long(500)));
        }
        let starts = match get(Column::Starts) {
            None => {
                required(self, row, Column::Starts, &mut problems);
                None
            }
            Some(v) => {
                let w = parse_when(&v);
                if w.is_none() {
                    problems.push(self.problem(row, Column::Starts, bad_date(&v)));
                }
                w
            }
        };
        let ends = match get(Column::Ends) {
            None => starts.map(end_of),
            Some(v) => match parse_when(&v) {
                Some(w) => Some(end_of(w)),
                None => {
                    problems.push(self.problem(row, Column::Ends, bad_date(&v)));
                    None
                }
            },
        };
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s.at
        {
            problems.push(self.problem(
                row,
                Column::Ends,
                Msg::new("Kết thúc trước khi bắt đầu.", "It ends before it starts."),
            ));
        }
        let type_name = get(Column::Type);
        if type_name.is_none() {
            required(self, row, Column::Type, &mut problems);
        }
        let lead = get(Column::LeadAgency);
        if lead.is_none() {
            required(self, row, Column::LeadAgency, &mut problems);
        }
        let pillar = match get(Column::Pillar) {
            None => None,
            Some(v) => {
                let p = parse_pillar(&v);
                if p.is_none() {
                    problems.push(self.problem(
                        row,
                        Column::Pillar,
                        crate::error::msgs::invalid_choice(),
                    ));
                }
                p
            }
        };
        let status = match get(Column::Status) {
            None => {
                required(self, row, Column::Status, &mut problems);
                None
            }
            Some(v) => {
                let s = parse_status(&v);
                if s.is_none() {
                    problems.push(self.problem(
                        row,
                        Column::Status,
                        Msg::new(
                            format!("Trạng thái «{v}» không có; ghi: {}.", past_names("vi")),
                            format!("No status «{v}»; write: {}.", past_names("en")),
                        ),
                    ));
                }
                s
            }
        };
        let partners: Vec<String> = get(Column::Partners)
            .map(|v| {
                v.split([';', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let too_long = |c: Column, max: usize, problems: &mut Vec<Problem>| {
            let v = get(c);
            if v.as_ref().is_some_and(|x| x.chars().count() > max) {
                problems.push(self.problem(row, c, crate::error::msgs::too_long(max)));
            }
            v
        };
        let city = too_long(Column::City, 200, &mut problems);
        let country = too_long(Column::Country, 100, &mut problems);
        let head = too_long(Column::Head, 200, &mut problems);
        if partners.len() > 50 {
            problems.push(self.problem(
                row,
                Column::Partners,
                Msg::new("Tối đa 50 đối tác một dòng.", "At most 50 partners a row."),
            ));
        }
        match (title, starts, ends, type_name, lead, status) {
            (Some(title), Some(starts), Some(ends), Some(type_name), Some(lead), Some(status))
                if problems.is_empty() =>
            {
                Some(Ok(Line {
                    row,
                    title,
                    starts,
                    ends,
                    type_name,
                    pillar,
                    lead,
                    partners,
                    city,
                    country,
                    head,
                    status,
                }))
            }
            _ => Some(Err(problems)),
        }
    }
}

/// The final statuses' names, for messages.
pub fn past_names(lang: &str) -> String {
    PAST.iter()
        .map(|s| s.label().get(lang).to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, day)
            .unwrap()
            .and_time(NaiveTime::MIN)
    }

    #[test]
    fn dates_as_officials_write_them_keep_their_precision() {
        let w = |x: &str| parse_when(x).map(|w| (w.at, w.precision));
        assert_eq!(w("12/05/2019"), Some((d(2019, 5, 12), Precision::Day)));
        assert_eq!(w("2019-05-12"), Some((d(2019, 5, 12), Precision::Day)));
        assert_eq!(
            w("12/05/2019 09:30").map(|x| x.0.time()),
            NaiveTime::from_hms_opt(9, 30, 0)
        );
        assert_eq!(w("tháng 5/2019"), Some((d(2019, 5, 1), Precision::Month)));
        assert_eq!(
            w("Tháng 5 năm 2019"),
            Some((d(2019, 5, 1), Precision::Month))
        );
        assert_eq!(w("05/2019"), Some((d(2019, 5, 1), Precision::Month)));
        assert_eq!(w("2019"), Some((d(2019, 1, 1), Precision::Year)));
        assert_eq!(w("năm 2019"), Some((d(2019, 1, 1), Precision::Year)));
        for bad in ["31/02/2019", "19", "mai", "12/05/2019 25:00", ""] {
            assert_eq!(w(bad), None, "{bad}");
        }
        let y = parse_when("2019").unwrap();
        assert_eq!(end_of(y), d(2019, 12, 31));
        assert_eq!(end_of(parse_when("2/2020").unwrap()), d(2020, 2, 29));
        assert_eq!(end_of(parse_when("12/2020").unwrap()), d(2020, 12, 31));
    }

    #[test]
    fn an_export_row_reads_back_and_problems_name_row_and_column() {
        let headings: Vec<String> = Column::ALL
            .iter()
            .map(|c| c.label().get("vi").to_string())
            .collect();
        let l = Layout::read(&headings).unwrap();
        let row = s(&[
            "12/05/2019 09:00",
            "14/05/2019 17:00",
            "Đoàn Sở Ngoại vụ thăm Lào",
            "Đoàn ra",
            "Ngoại giao Nhà nước",
            "",
            "SNV-QN",
            "Lào; Tỉnh Chăm-pa-xắc",
            "Viêng Chăn",
            "LA",
            "Nguyễn Văn A",
            "Đã thực hiện",
            "Không mật",
        ]);
        let line = l.activity(5, &row).unwrap().unwrap();
        assert_eq!(line.partners, vec!["Lào", "Tỉnh Chăm-pa-xắc"]);
        assert_eq!(line.status, Status::Done);
        assert_eq!(line.pillar, Some(Pillar::State));
        assert_eq!(line.starts.precision, Precision::Day);
        let mut bad = row.clone();
        bad[0] = "32/05/2019".into();
        bad[11] = "Đang làm".into();
        let p = l.activity(7, &bad).unwrap().unwrap_err();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(
            (p[0].row, p[0].column.as_deref()),
            (7, Some("Bắt đầu (giờ Việt Nam)"))
        );
        assert_eq!(p[1].column.as_deref(), Some("Trạng thái"));
        assert!(l.activity(8, &s(&["", " "])).is_none());
    }

    #[test]
    fn headings_officials_give_are_understood() {
        let l = Layout::read(&s(&[
            "NGAY",
            "noi dung",
            "Hình thức",
            "Đơn vị chủ trì",
            "Tình trạng",
        ]))
        .unwrap();
        let line = l
            .activity(
                2,
                &s(&["tháng 3/2018", "Đón đoàn", "Đoàn vào", "SNV", "Done"]),
            )
            .unwrap()
            .unwrap();
        assert_eq!(line.starts.precision, Precision::Month);
        assert_eq!(line.ends, d(2018, 3, 31));
        assert_eq!(line.status, Status::Done);
    }
}
