//! Importing a plan's tasks from the spreadsheet officials keep: one row per
//! task, its level given by its number ("1", "1.1", "1.1.2"), the lead and
//! coordinating agencies by name, abbreviation or code, the deadline as
//! officials write it. The columns are those of the plan's task export.

use super::parse_number;
use crate::import::{Layout, Problem, SheetColumn};
use crate::{Msg, text};
use std::collections::HashMap;

/// A column of a plan's task sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Number,
    Title,
    Lead,
    Coordinating,
    Output,
    Deadline,
    Weight,
    Source,
    Progress,
    Status,
}

impl Column {
    /// In the order of the export.
    pub const ALL: [Column; 10] = [
        Self::Number,
        Self::Title,
        Self::Lead,
        Self::Coordinating,
        Self::Output,
        Self::Deadline,
        Self::Weight,
        Self::Source,
        Self::Progress,
        Self::Status,
    ];

    /// Whether an import reads this column: progress and status come from the
    /// progress reports, never from a file.
    pub fn imported(self) -> bool {
        !matches!(self, Self::Progress | Self::Status)
    }
}

impl SheetColumn for Column {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn required() -> &'static [Self] {
        &[Self::Number, Self::Title, Self::Lead, Self::Deadline]
    }

    fn label(self) -> Msg {
        let (vi, en) = match self {
            Self::Number => ("Số thứ tự", "No."),
            Self::Title => ("Nhiệm vụ", "Task"),
            Self::Lead => ("Cơ quan chủ trì", "Lead agency"),
            Self::Coordinating => ("Cơ quan phối hợp", "Coordinating agencies"),
            Self::Output => ("Sản phẩm", "Output"),
            Self::Deadline => ("Thời hạn", "Deadline"),
            Self::Weight => ("Trọng số", "Weight"),
            Self::Source => ("Trích văn bản", "Source sentence"),
            Self::Progress => ("Tiến độ (%)", "Progress (%)"),
            Self::Status => ("Tình trạng", "Status"),
        };
        Msg::new(vi, en)
    }

    fn also_called(self) -> &'static [&'static str] {
        match self {
            Self::Number => &["STT", "TT", "Số TT", "Mục", "Number"],
            Self::Title => &[
                "Nội dung",
                "Nội dung nhiệm vụ",
                "Tên nhiệm vụ",
                "Nhiệm vụ, giải pháp",
            ],
            Self::Lead => &["Chủ trì", "Đơn vị chủ trì", "Cơ quan, đơn vị chủ trì"],
            Self::Coordinating => &["Phối hợp", "Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp"],
            Self::Output => &["Sản phẩm đầu ra", "Kết quả", "Hình thức văn bản"],
            Self::Deadline => &["Thời gian hoàn thành", "Thời hạn hoàn thành", "Thời gian"],
            Self::Weight => &[],
            Self::Source => &["Căn cứ"],
            Self::Progress => &["Tiến độ"],
            Self::Status => &[],
        }
    }

    fn of_field(field: &str) -> Option<Self> {
        Some(match field {
            "title" => Self::Title,
            "lead_agency" => Self::Lead,
            "coordinating" => Self::Coordinating,
            "output" => Self::Output,
            "deadline" => Self::Deadline,
            "weight" => Self::Weight,
            "source_quote" => Self::Source,
            _ => return None,
        })
    }

    fn unknown() -> Msg {
        Msg::new(
            "Cột không rõ: dùng đúng tên cột như tệp xuất nhiệm vụ của kế hoạch.",
            "Unknown column: use the headings of the plan's task export.",
        )
    }
}

/// The task sheet's layout.
pub type TaskLayout = Layout<Column>;

/// One data row as written, before its agencies are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub row: usize,
    pub number: Vec<u32>,
    pub title: String,
    pub lead: String,
    pub coordinating: Vec<String>,
    pub output: Option<String>,
    pub deadline: String,
    pub weight: Option<String>,
    pub source: Option<String>,
}

impl Layout<Column> {
    /// Read data row `row` (spreadsheet numbering); `None` for a blank row.
    /// Problems here are those of the row alone; the tree and the agencies
    /// are checked over the whole file.
    pub fn task_line(&self, row: usize, cells: &[String]) -> Option<Result<Line, Vec<Problem>>> {
        if self.blank(cells) {
            return None;
        }
        let get = |c: Column| self.value(cells, c);
        let mut problems = self.formulas(row, cells);
        let number = match get(Column::Number) {
            None => {
                problems.push(self.problem(row, Column::Number, crate::error::msgs::required()));
                vec![]
            }
            Some(n) => parse_number(&n).unwrap_or_else(|| {
                problems.push(self.problem(
                    row,
                    Column::Number,
                    Msg::new(
                        format!("«{n}» không phải số thứ tự; ghi 1, 1.1, 1.1.2…"),
                        format!("«{n}» is not a task number; write 1, 1.1, 1.1.2…"),
                    ),
                ));
                vec![]
            }),
        };
        let line = Line {
            row,
            number,
            title: get(Column::Title).unwrap_or_default(),
            lead: get(Column::Lead).unwrap_or_default(),
            coordinating: text::list(get(Column::Coordinating).as_deref(), &[',', ';', '\n']),
            output: get(Column::Output),
            deadline: get(Column::Deadline).unwrap_or_default(),
            weight: get(Column::Weight),
            source: get(Column::Source),
        };
        Some(if problems.is_empty() {
            Ok(line)
        } else {
            Err(problems)
        })
    }
}

/// The levels of a file's rows from their numbers, in file order: each row's
/// parent (the index of an earlier row), or a problem. A number is given once;
/// a sub-task follows its parent ("1.2" after "1"); at most `max_levels` levels.
pub fn tree(
    layout: &TaskLayout,
    numbers: &[(usize, &[u32])],
    max_levels: usize,
) -> (Vec<Option<usize>>, Vec<Problem>) {
    let mut seen: HashMap<&[u32], usize> = HashMap::new();
    let mut parents = Vec::with_capacity(numbers.len());
    let mut problems = Vec::new();
    for (i, (row, n)) in numbers.iter().enumerate() {
        let mut problem = |vi: String, en: String| {
            problems.push(layout.problem(*row, Column::Number, Msg::new(vi, en)));
        };
        let shown = n.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let parent = if n.len() > max_levels {
            problem(
                format!("Nhiệm vụ chỉ chia đến {max_levels} cấp."),
                format!("Tasks go at most {max_levels} levels deep."),
            );
            None
        } else if n.len() > 1 {
            let up = &n[..n.len() - 1];
            let p = seen.get(up).copied();
            if p.is_none() {
                let up = up.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
                problem(
                    format!("Nhiệm vụ {shown} cần nhiệm vụ {up} ở một dòng trước nó."),
                    format!("Task {shown} needs task {up} on a row before it."),
                );
            }
            p
        } else {
            None
        };
        if let Some(first) = seen.get(*n).map(|j| numbers[*j].0) {
            problem(
                format!("Số {shown} đã có ở dòng {first}."),
                format!("Number {shown} is already on row {first}."),
            );
        } else {
            seen.insert(n, i);
        }
        parents.push(parent);
    }
    (parents, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn layout() -> TaskLayout {
        TaskLayout::read(&s(&[
            "STT",
            "Nội dung nhiệm vụ",
            "Chủ trì",
            "Phối hợp",
            "Thời gian hoàn thành",
        ]))
        .unwrap()
    }

    #[test]
    fn headings_officials_write() {
        let l = layout();
        let line = l
            .task_line(
                3,
                &s(&[
                    "1.2.",
                    "Tổ chức hội nghị",
                    "BNG",
                    "VPCP; BQP",
                    "quý III/2026",
                ]),
            )
            .unwrap()
            .unwrap();
        assert_eq!(line.number, vec![1, 2]);
        assert_eq!(line.coordinating, s(&["VPCP", "BQP"]));
        assert_eq!(line.deadline, "quý III/2026");
        assert!(l.task_line(4, &s(&["", ""])).is_none());
        let e = TaskLayout::read(&s(&["STT", "Nhiệm vụ"])).unwrap_err();
        assert_eq!(e.len(), 2, "lead and deadline are required: {e:?}");
        let e = TaskLayout::read(&s(&[
            "No.",
            "Task",
            "Lead agency",
            "Deadline",
            "Tiến độ (%)",
            "Ghi chú",
        ]))
        .unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("Ghi chú"));
    }

    #[test]
    fn bad_numbers_name_the_column_as_the_file_spells_it() {
        let l = layout();
        let e = l
            .task_line(5, &s(&["1.a", "X", "BNG", "", "2026"]))
            .unwrap()
            .unwrap_err();
        assert_eq!((e[0].row, e[0].column.as_deref()), (5, Some("STT")));
        let e = l
            .task_line(6, &s(&["", "X", "BNG", "", "2026"]))
            .unwrap()
            .unwrap_err();
        assert_eq!(e[0].column.as_deref(), Some("STT"));
    }

    #[test]
    fn the_tree_follows_the_numbers() {
        let l = layout();
        let rows: Vec<(usize, Vec<u32>)> = vec![
            (2, vec![1]),
            (3, vec![1, 1]),
            (4, vec![1, 1, 1]),
            (5, vec![2]),
            (6, vec![1, 2]),
            (7, vec![3, 1]),
            (8, vec![1, 1]),
            (9, vec![2, 1, 1, 1]),
        ];
        let refs: Vec<(usize, &[u32])> = rows.iter().map(|(r, n)| (*r, n.as_slice())).collect();
        let (parents, problems) = tree(&l, &refs, 3);
        assert_eq!(parents[..5], [None, Some(0), Some(1), None, Some(0)]);
        assert_eq!(parents[5], None, "3 is not in the file");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(problems[0].row, 7);
        assert!(problems[0].message.get("en").contains("needs task 3"));
        assert_eq!(
            problems[1].message.get("en"),
            "Number 1.1 is already on row 3."
        );
        assert!(problems[2].message.get("en").contains("3 levels"));
    }
}
