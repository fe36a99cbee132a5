//! What every spreadsheet import shares: the sheet as read, problems that name
//! the spreadsheet row and the file's own column heading, and the layout that
//! matches a file's headings to a kind of record's columns (either language;
//! case, diacritics and punctuation ignored).

use crate::text::{clean, fold};
use crate::{FieldErrors, Msg};
use serde::Serialize;

/// The most rows one import takes (a larger register goes in several files).
pub const MAX_ROWS: usize = 5_000;

/// The largest file an import reads.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// One problem: the spreadsheet row (1 is the heading row) and the column's
/// heading as the file spells it (none when the problem is the whole file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub message: Msg,
}

/// A sheet as read from a file: the heading row and the rows under it, as text.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Sheet {
    /// The spreadsheet row number of the headings (1 unless blank rows precede them).
    pub heading_row: usize,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// A sheet from rows of cells: the first row with any text is the headings.
    pub fn from_rows(first_row: usize, rows: Vec<Vec<String>>) -> Self {
        let blank = |r: &Vec<String>| r.iter().all(|c| c.trim().is_empty());
        let skip = rows.iter().take_while(|r| blank(r)).count();
        let mut it = rows.into_iter().skip(skip);
        Self {
            heading_row: first_row + skip,
            headings: it.next().unwrap_or_default(),
            rows: it.collect(),
        }
    }

    /// The spreadsheet row number of data row `i` (from 0).
    pub fn row_number(&self, i: usize) -> usize {
        self.heading_row + 1 + i
    }

    /// The problem of a sheet longer than an import takes.
    pub fn too_long(&self) -> Option<Problem> {
        self.longer_than(MAX_ROWS)
    }

    /// The problem of a sheet with more than `max` data rows.
    pub fn longer_than(&self, max: usize) -> Option<Problem> {
        (self.rows.len() > max).then(|| Problem {
            row: self.row_number(max),
            column: None,
            message: Msg::new(
                format!("Mỗi lần nhập tối đa {max} dòng; chia tệp ra."),
                format!("At most {max} rows per import; split the file."),
            ),
        })
    }
}

/// The columns of one kind of sheet.
pub trait SheetColumn: Copy + Eq + 'static {
    /// Every column, in the order of the export.
    fn all() -> &'static [Self];
    /// The columns a file must have.
    fn required() -> &'static [Self];
    /// The heading in both languages.
    fn label(self) -> Msg;
    /// Other headings officials give this column ("STT" for a number).
    fn also_called(self) -> &'static [&'static str] {
        &[]
    }
    /// The column a validation error on a form field belongs to.
    fn of_field(_field: &str) -> Option<Self> {
        None
    }
    /// What an unknown heading is told: whose export's headings to use.
    fn unknown() -> Msg;
}

/// Which column each heading is, checked once for the whole file.
#[derive(Debug, Clone)]
pub struct Layout<C> {
    columns: Vec<Option<C>>,
    headings: Vec<String>,
}

fn formula() -> Msg {
    Msg::new(
        "Ô bắt đầu bằng =, + hoặc @ là công thức bảng tính, không phải văn bản: hãy bỏ ký tự đó.",
        "A cell beginning with =, + or @ is a spreadsheet formula, not text: remove that character.",
    )
}

impl<C: SheetColumn> Layout<C> {
    /// Match the headings. Unknown, repeated and missing required headings are
    /// problems of the heading row.
    pub fn read(headings: &[String]) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut columns = Vec::with_capacity(headings.len());
        for h in headings {
            let key = fold(h);
            if key.is_empty() {
                columns.push(None);
                continue;
            }
            let col = C::all().iter().copied().find(|c| {
                let l = c.label();
                fold(l.get("vi")) == key
                    || fold(l.get("en")) == key
                    || c.also_called().iter().any(|a| fold(a) == key)
            });
            match col {
                None => problems.push(Problem {
                    row: 1,
                    column: Some(h.clone()),
                    message: C::unknown(),
                }),
                Some(c) if columns.contains(&Some(c)) => problems.push(Problem {
                    row: 1,
                    column: Some(h.clone()),
                    message: Msg::new("Cột này có hai lần.", "This column appears twice."),
                }),
                Some(_) => {}
            }
            columns.push(col);
        }
        for required in C::required() {
            if !columns.contains(&Some(*required)) {
                let l = required.label();
                problems.push(Problem {
                    row: 1,
                    column: None,
                    message: Msg::new(
                        format!("Thiếu cột «{}».", l.get("vi")),
                        format!("The column «{}» is missing.", l.get("en")),
                    ),
                });
            }
        }
        if problems.is_empty() {
            Ok(Self {
                columns,
                headings: headings.to_vec(),
            })
        } else {
            Err(problems)
        }
    }

    /// Whether the file has this column.
    pub fn has(&self, col: C) -> bool {
        self.columns.contains(&Some(col))
    }

    /// The heading the file gives a column (for messages), or its Vietnamese label.
    pub fn heading(&self, col: C) -> String {
        self.columns
            .iter()
            .position(|c| *c == Some(col))
            .and_then(|i| self.headings.get(i).cloned())
            .unwrap_or_else(|| col.label().get("vi").to_string())
    }

    /// A problem on a column of a row.
    pub fn problem(&self, row: usize, col: C, message: Msg) -> Problem {
        Problem {
            row,
            column: Some(self.heading(col)),
            message,
        }
    }

    /// Validation errors of the forms a row was read into, as problems of that row.
    pub fn field_problems(&self, row: usize, errors: &FieldErrors) -> Vec<Problem> {
        errors
            .0
            .iter()
            .map(|(field, msg)| Problem {
                row,
                column: C::of_field(field).map(|c| self.heading(c)),
                message: msg.clone(),
            })
            .collect()
    }

    /// A row's cleaned value in a column, if the file has the column and the cell
    /// is not blank.
    pub fn value(&self, cells: &[String], col: C) -> Option<String> {
        let i = self.columns.iter().position(|c| *c == Some(col))?;
        let v = clean(
            crate::text::from_csv_cell(cells.get(i).map(String::as_str).unwrap_or("")),
            true,
        );
        (!v.is_empty()).then_some(v)
    }

    /// Whether a row has no text in any column the file's layout reads.
    pub fn blank(&self, cells: &[String]) -> bool {
        self.columns
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_none() || cells.get(i).is_none_or(|v| v.trim().is_empty()))
    }

    /// A problem for each cell of the row that a spreadsheet would run as a formula.
    pub fn formulas(&self, row: usize, cells: &[String]) -> Vec<Problem> {
        self.columns
            .iter()
            .flatten()
            .filter(|c| {
                self.value(cells, **c)
                    .is_some_and(|v| crate::text::formula_like(&v))
            })
            .map(|c| self.problem(row, *c, formula()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Col {
        Number,
        Title,
    }

    impl SheetColumn for Col {
        fn all() -> &'static [Self] {
            &[Col::Number, Col::Title]
        }
        fn required() -> &'static [Self] {
            &[Col::Title]
        }
        fn label(self) -> Msg {
            match self {
                Col::Number => Msg::new("Số thứ tự", "Number"),
                Col::Title => Msg::new("Nhiệm vụ", "Task"),
            }
        }
        fn also_called(self) -> &'static [&'static str] {
            match self {
                Col::Number => &["STT", "TT"],
                Col::Title => &[],
            }
        }
        fn unknown() -> Msg {
            Msg::new("?", "?")
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn headings_by_label_or_other_name() {
        let l = Layout::<Col>::read(&s(&["stt", "NHIEM VU", ""])).unwrap();
        assert!(l.has(Col::Number));
        assert_eq!(l.heading(Col::Number), "stt");
        assert_eq!(
            l.value(&s(&[" 1.2 ", "Việc"]), Col::Number).as_deref(),
            Some("1.2")
        );
        assert!(l.blank(&s(&["", " ", "ignored"])));
        let e = Layout::<Col>::read(&s(&["TT", "STT"])).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].column.as_deref(), Some("STT"));
        assert!(e[1].message.get("en").contains("Task"));
    }

    #[test]
    fn formulas_are_named_by_column() {
        let l = Layout::<Col>::read(&s(&["Task"])).unwrap();
        let p = l.formulas(5, &s(&["=1+1"]));
        assert_eq!((p[0].row, p[0].column.as_deref()), (5, Some("Task")));
    }

    #[test]
    fn sheets_skip_leading_blank_rows_and_keep_row_numbers() {
        let sh = Sheet::from_rows(1, vec![s(&["", " "]), s(&["A", "B"]), s(&["1", "2"])]);
        assert_eq!(sh.heading_row, 2);
        assert_eq!(sh.headings, s(&["A", "B"]));
        assert_eq!(sh.row_number(0), 3);
        assert!(Sheet::from_rows(1, vec![]).headings.is_empty());
        assert!(sh.too_long().is_none());
    }
}
