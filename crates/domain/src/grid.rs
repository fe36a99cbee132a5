//! The calendar's grids. The month: which activities each day's cell shows (the
//! first few by start) and how many more it holds, from the days each activity
//! covers. The week: activities within one day as blocks on an hour axis, side by
//! side where they overlap; activities over several days as bars across the days.

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

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

/// Half-hour slots: the week view's rows.
pub const SLOT_MINUTES: u32 = 30;
/// The hours the axis always shows (a working day); widened to fit what the week holds.
pub const AXIS_FROM: u32 = 7;
pub const AXIS_TO: u32 = 19;
/// Side-by-side blocks in one day, and bar rows above the days, before "+N".
pub const MAX_LANES: usize = 4;
pub const MAX_BAR_LANES: usize = 6;

/// Where one activity sits in the week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Over several days: a bar from column `col` (1 = Monday) across `width` days,
    /// on bar row `lane` (1-based).
    Bar { col: u32, width: u32, lane: u32 },
    /// Within one day (`day` 0 = Monday): rows `row..row + rows` of the axis
    /// (1-based half-hour slots), in column `lane` of the day's `lanes`.
    Block {
        day: usize,
        row: u32,
        rows: u32,
        lane: u32,
    },
    /// Not drawn: the day (or the bar rows) is full; counted in `Week::more`.
    Hidden,
}

/// The week's layout, for activities given earliest start first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// The axis: from `from` o'clock to `to` o'clock (0..=24).
    pub from: u32,
    pub to: u32,
    /// One per activity given, in the same order.
    pub placed: Vec<Placement>,
    /// Per day (0 = Monday): the columns its blocks need.
    pub lanes: [u32; 7],
    /// Bar rows used above the days.
    pub bar_lanes: u32,
    /// Per day: activities on it that are not drawn.
    pub more: [usize; 7],
}

impl Week {
    /// The axis' slots (rows).
    pub fn rows(&self) -> u32 {
        (self.to - self.from) * 60 / SLOT_MINUTES
    }
}

/// The last day an activity occupies: one ending at midnight ends the day before.
fn last_day(start: NaiveDateTime, end: NaiveDateTime) -> NaiveDate {
    if end > start && end.time() == chrono::NaiveTime::MIN {
        end.date() - Duration::days(1)
    } else {
        end.date().max(start.date())
    }
}

/// Lays out the week starting `monday` for activities with local `(start, end)`
/// times, given earliest start first. An activity whose days differ is a bar
/// (clipped to the week); one within a day is a block on the axis, at least one
/// slot tall. The axis is the working day widened to the whole hours the blocks need.
pub fn week(items: &[(NaiveDateTime, NaiveDateTime)], monday: NaiveDate) -> Week {
    let sunday = monday + Duration::days(6);
    let day_of = |d: NaiveDate| (d - monday).num_days().clamp(0, 6) as usize;
    let minutes = |t: NaiveDateTime| t.hour() * 60 + t.minute();
    let single = |&(s, e): &(NaiveDateTime, NaiveDateTime)| last_day(s, e) == s.date();
    let (mut from, mut to) = (AXIS_FROM, AXIS_TO);
    for &(s, e) in items.iter().filter(|i| single(i)) {
        if s.date() < monday || s.date() > sunday {
            continue;
        }
        from = from.min(s.hour());
        let end = if e.date() > s.date() {
            24 * 60
        } else {
            minutes(e).max(minutes(s))
        };
        to = to.max(end.div_ceil(60)).min(24);
    }
    let slots = (to - from) * 60 / SLOT_MINUTES;
    let mut week = Week {
        from,
        to,
        placed: Vec::with_capacity(items.len()),
        lanes: [0; 7],
        bar_lanes: 0,
        more: [0; 7],
    };
    // Each lane's first free day (bars) or minute (blocks per day).
    let mut bar_free: Vec<usize> = Vec::new();
    let mut day_free: [Vec<u32>; 7] = Default::default();
    for item @ &(s, e) in items {
        let last = last_day(s, e);
        if last < monday || s.date() > sunday {
            week.placed.push(Placement::Hidden);
            continue;
        }
        if !single(item) {
            let (a, b) = (day_of(s.date().max(monday)), day_of(last.min(sunday)));
            let lane = bar_free.iter().position(|&free| free <= a);
            let lane = match lane {
                Some(l) => Some(l),
                None if bar_free.len() < MAX_BAR_LANES => {
                    bar_free.push(0);
                    Some(bar_free.len() - 1)
                }
                None => None,
            };
            match lane {
                Some(l) => {
                    bar_free[l] = b + 1;
                    week.placed.push(Placement::Bar {
                        col: a as u32 + 1,
                        width: (b - a) as u32 + 1,
                        lane: l as u32 + 1,
                    });
                }
                None => {
                    (a..=b).for_each(|d| week.more[d] += 1);
                    week.placed.push(Placement::Hidden);
                }
            }
            continue;
        }
        let day = day_of(s.date());
        let start = minutes(s) - from * 60;
        let end = if e.date() > s.date() {
            (to - from) * 60
        } else {
            minutes(e).saturating_sub(from * 60)
        };
        let row = start / SLOT_MINUTES + 1;
        let rows = end.div_ceil(SLOT_MINUTES).max(row) + 1 - row;
        let rows = rows.min(slots + 1 - row).max(1);
        let occupied_to = (row + rows - 1) * SLOT_MINUTES;
        let free = &mut day_free[day];
        let lane = free.iter().position(|&f| f <= start - start % SLOT_MINUTES);
        let lane = match lane {
            Some(l) => Some(l),
            None if free.len() < MAX_LANES => {
                free.push(0);
                Some(free.len() - 1)
            }
            None => None,
        };
        match lane {
            Some(l) => {
                free[l] = occupied_to;
                week.lanes[day] = week.lanes[day].max(l as u32 + 1);
                week.placed.push(Placement::Block {
                    day,
                    row,
                    rows,
                    lane: l as u32 + 1,
                });
            }
            None => {
                week.more[day] += 1;
                week.placed.push(Placement::Hidden);
            }
        }
    }
    week.bar_lanes = bar_free.len() as u32;
    week
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

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        d(day).and_hms_opt(h, m, 0).unwrap()
    }

    // 2 March 2026 is a Monday.
    #[test]
    fn blocks_sit_on_the_axis_and_overlaps_go_side_by_side() {
        let items = [
            (at(2, 9, 0), at(2, 10, 30)),
            (at(2, 10, 0), at(2, 11, 0)),
            (at(2, 11, 0), at(2, 12, 0)),
            (at(4, 14, 15), at(4, 14, 20)),
        ];
        let w = week(&items, d(2));
        assert_eq!((w.from, w.to, w.rows()), (7, 19, 24));
        // 09:00 is slot 5 (07:00 is slot 1); 90 minutes are three slots.
        assert_eq!(
            w.placed[0],
            Placement::Block {
                day: 0,
                row: 5,
                rows: 3,
                lane: 1
            }
        );
        assert_eq!(
            w.placed[1],
            Placement::Block {
                day: 0,
                row: 7,
                rows: 2,
                lane: 2
            }
        );
        // 11:00 starts after the first ends: back in the first column.
        assert_eq!(
            w.placed[2],
            Placement::Block {
                day: 0,
                row: 9,
                rows: 2,
                lane: 1
            }
        );
        // Five minutes still take a slot; 14:15 sits in the 14:00 slot.
        assert_eq!(
            w.placed[3],
            Placement::Block {
                day: 2,
                row: 15,
                rows: 1,
                lane: 1
            }
        );
        assert_eq!(w.lanes, [2, 0, 1, 0, 0, 0, 0]);
        assert_eq!(w.bar_lanes, 0);
    }

    #[test]
    fn the_axis_widens_to_early_and_late_activities() {
        let items = [(at(3, 5, 30), at(3, 6, 0)), (at(5, 20, 0), at(5, 22, 10))];
        let w = week(&items, d(2));
        assert_eq!((w.from, w.to), (5, 23));
        assert_eq!(
            w.placed[0],
            Placement::Block {
                day: 1,
                row: 2,
                rows: 1,
                lane: 1
            }
        );
        assert_eq!(
            w.placed[1],
            Placement::Block {
                day: 3,
                row: 31,
                rows: 5,
                lane: 1
            }
        );
    }

    #[test]
    fn several_days_make_bars_clipped_to_the_week() {
        let items = [
            (at(1, 8, 0), at(3, 17, 0)),  // Sunday before – Tuesday
            (at(3, 8, 0), at(5, 17, 0)),  // Tuesday – Thursday: overlaps the first on Tuesday
            (at(4, 8, 0), at(12, 17, 0)), // Wednesday – next week: the first row is free again
            (at(6, 9, 0), at(7, 0, 0)),   // ends at midnight: a block on Friday
        ];
        let w = week(&items, d(2));
        assert_eq!(
            w.placed[0],
            Placement::Bar {
                col: 1,
                width: 2,
                lane: 1
            }
        );
        assert_eq!(
            w.placed[1],
            Placement::Bar {
                col: 2,
                width: 3,
                lane: 2
            }
        );
        assert_eq!(
            w.placed[2],
            Placement::Bar {
                col: 3,
                width: 5,
                lane: 1
            }
        );
        assert_eq!(
            w.placed[3],
            Placement::Block {
                day: 4,
                row: 5,
                rows: 30,
                lane: 1
            }
        );
        assert_eq!((w.from, w.to), (7, 24));
        assert_eq!(w.bar_lanes, 2);
    }

    #[test]
    fn a_full_day_counts_what_it_cannot_draw() {
        let mut items: Vec<_> = (0..6).map(|_| (at(2, 9, 0), at(2, 10, 0))).collect();
        items.extend((0..8).map(|_| (at(3, 9, 0), at(4, 10, 0))));
        items.push((at(20, 9, 0), at(20, 10, 0)));
        let w = week(&items, d(2));
        assert_eq!(w.lanes[0], MAX_LANES as u32);
        assert_eq!(w.more[0], 6 - MAX_LANES);
        assert_eq!(w.bar_lanes, MAX_BAR_LANES as u32);
        assert_eq!(
            (w.more[1], w.more[2]),
            (8 - MAX_BAR_LANES, 8 - MAX_BAR_LANES)
        );
        assert_eq!(
            w.placed.last(),
            Some(&Placement::Hidden),
            "outside the week"
        );
    }
}
