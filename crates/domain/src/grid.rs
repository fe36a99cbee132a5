//! The calendar's month grid: which activities each day's cell shows (the first
//! few by start) and how many more it holds, from the days each activity covers.

use chrono::{Duration, NaiveDate};

/// One day's cell: the indexes (into the spans given) shown, earliest start
/// first, and how many more activities cover that day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    pub shown: Vec<usize>,
    pub more: usize,
}

/// The cells of the days `first..=last` (none when `last < first`), for activities
/// covering the days `spans[i] = (first day, last day)` and given earliest start first:
/// each cell shows up to `cap` of the activities covering its day, in that order, and
/// counts the rest. An activity whose last day is before its first covers its first day.
pub fn cells(
    spans: &[(NaiveDate, NaiveDate)],
    first: NaiveDate,
    last: NaiveDate,
    cap: usize,
) -> Vec<Cell> {
    let n = (last - first).num_days() + 1;
    if n <= 0 {
        return Vec::new();
    }
    let mut out = vec![Cell::default(); n as usize];
    for (i, &(from, to)) in spans.iter().enumerate() {
        let from = from.max(first);
        let to = to.max(from).min(last);
        let mut d = from;
        while d <= to {
            let cell = &mut out[(d - first).num_days() as usize];
            if cell.shown.len() < cap {
                cell.shown.push(i);
            } else {
                cell.more += 1;
            }
            d += Duration::days(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    #[test]
    fn a_span_fills_each_day_it_covers_within_the_grid() {
        // 1–3 March inside, 28 Feb – 2 March clipped at the grid's start, 5–9 clipped at its end.
        let feb = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        let spans = [(d(1), d(3)), (feb, d(2)), (d(5), d(9))];
        let c = cells(&spans, d(1), d(6), 6);
        assert_eq!(c.len(), 6);
        assert_eq!(c[0].shown, vec![0, 1]);
        assert_eq!(c[1].shown, vec![0, 1]);
        assert_eq!(c[2].shown, vec![0]);
        assert!(c[3].shown.is_empty());
        assert_eq!(c[4].shown, vec![2]);
        assert_eq!(c[5].shown, vec![2]);
        assert!(c.iter().all(|c| c.more == 0));
    }

    #[test]
    fn a_full_cell_shows_the_earliest_and_counts_the_rest() {
        let spans: Vec<_> = (0..10).map(|_| (d(2), d(2))).collect();
        let c = cells(&spans, d(1), d(3), 6);
        assert_eq!(c[1].shown, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(c[1].more, 4);
        assert_eq!(c[0], Cell::default());
        assert_eq!(c[2], Cell::default());
    }

    #[test]
    fn spans_outside_or_reversed_and_an_empty_grid() {
        let spans = [(d(10), d(12)), (d(3), d(1))];
        let c = cells(&spans, d(1), d(5), 6);
        assert_eq!(c[2].shown, vec![1], "a reversed span covers its first day");
        assert_eq!(c.iter().map(|c| c.shown.len()).sum::<usize>(), 1);
        assert!(cells(&spans, d(5), d(1), 6).is_empty());
        let c = cells(&spans, d(1), d(1), 0);
        assert_eq!(c[0].more, 0);
    }
}
