//! Server-side SVG charts: no JavaScript, testable, reusable in reports. Text is
//! escaped here because the SVG is inserted into the page as markup.

use crate::i18n::Lang;
use chrono::Datelike;
use kieng_store::entity::framework_level;
use kieng_store::partners::Dossier;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A step chart of the relationship framework over the years: each dated step
/// raises (or lowers) the line to its level's rank. Empty when nothing is dated.
pub fn framework_timeline(d: &Dossier, levels: &[framework_level::Model], lang: Lang) -> String {
    let mut steps: Vec<(i32, &str, i32)> = d
        .frameworks
        .iter()
        .filter_map(|f| {
            let year = f.step.since_date?.year();
            let rank = levels.iter().find(|l| l.code == f.step.level_code)?.rank;
            Some((
                year,
                if lang == Lang::En {
                    f.level_en.as_str()
                } else {
                    f.level_vi.as_str()
                },
                rank,
            ))
        })
        .collect();
    if steps.is_empty() {
        return String::new();
    }
    steps.sort_by_key(|s| s.0);
    let first = steps[0].0 - 1;
    let last = chrono::Utc::now().year().max(steps[steps.len() - 1].0) + 1;
    let (w, h, left, right, top, bottom) = (
        720.0_f64, 220.0_f64, 190.0_f64, 20.0_f64, 16.0_f64, 28.0_f64,
    );
    let x = |year: i32| {
        left + (w - left - right) * f64::from(year - first) / f64::from((last - first).max(1))
    };
    let mut ranks: Vec<&framework_level::Model> = levels.iter().collect();
    ranks.sort_by_key(|l| l.rank);
    let band = (h - top - bottom) / ranks.len().max(1) as f64;
    let y = |rank: i32| {
        let i = ranks.iter().position(|l| l.rank == rank).unwrap_or(0) as f64;
        h - bottom - band * (i + 0.5)
    };
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(if lang == Lang::En {
            "Relationship framework over time"
        } else {
            "Khuôn khổ quan hệ qua các năm"
        })
    );
    for l in &ranks {
        let yy = y(l.rank);
        let name = if lang == Lang::En {
            &l.name_en
        } else {
            &l.name_vi
        };
        svg.push_str(&format!(
            r##"<line x1="{left}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e3e6ec"/><text x="{}" y="{:.1}" font-size="12" text-anchor="end" fill="#5b6475">{}</text>"##,
            w - right,
            left - 6.0,
            yy + 4.0,
            esc(name)
        ));
    }
    let tick = ((last - first) / 8).max(1);
    let mut year = first;
    while year <= last {
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{}" font-size="12" text-anchor="middle" fill="#5b6475">{year}</text>"##,
            x(year),
            h - 8.0
        ));
        year += tick;
    }
    let mut path = String::new();
    for (i, (yr, _, rank)) in steps.iter().enumerate() {
        let (px, py) = (x(*yr), y(*rank));
        if i == 0 {
            path.push_str(&format!("M{px:.1},{py:.1}"));
        } else {
            path.push_str(&format!(" H{px:.1} V{py:.1}"));
        }
    }
    path.push_str(&format!(" H{:.1}", x(last)));
    svg.push_str(&format!(
        r##"<path d="{path}" fill="none" stroke="#a3161b" stroke-width="3"/>"##
    ));
    for (yr, label, rank) in &steps {
        svg.push_str(&format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#a3161b"><title>{yr}: {}</title></circle>"##,
            x(*yr),
            y(*rank),
            esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Stacked bars of engagements per year, one colour a pillar, with a legend.
/// `rows` are (year, pillar code, count); empty when there is nothing to draw.
pub fn engagements_by_year(rows: &[(i32, String, u32)], lang: Lang) -> String {
    let (Some(first), Some(last)) = (
        rows.iter().map(|r| r.0).min(),
        rows.iter().map(|r| r.0).max(),
    ) else {
        return String::new();
    };
    let columns: Vec<String> = (first..=last).map(|y| y.to_string()).collect();
    let cells: Vec<(usize, &str, u32)> = rows
        .iter()
        .filter_map(|(y, p, n)| Some((usize::try_from(y - first).ok()?, p.as_str(), *n)))
        .collect();
    let aria = if lang == Lang::En {
        "Engagements per year by pillar"
    } else {
        "Số hoạt động mỗi năm theo trụ cột"
    };
    stacked_by_pillar(&columns, &cells, aria, lang, &|_, _| None)
}

/// Activities of one year by month, stacked by pillar. `rows` are (month
/// 1–12, pillar code, count); empty when there is nothing to draw.
pub fn activities_by_month(year: i32, rows: &[(u32, String, u32)], lang: Lang) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let columns: Vec<String> = (1..=12)
        .map(|m| {
            if lang == Lang::En {
                [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ][m - 1]
                    .to_string()
            } else {
                format!("T{m}")
            }
        })
        .collect();
    let cells: Vec<(usize, &str, u32)> = rows
        .iter()
        .filter_map(|(m, p, n)| Some((usize::try_from(*m).ok()?.checked_sub(1)?, p.as_str(), *n)))
        .collect();
    let aria = if lang == Lang::En {
        format!("Activities in {year} by month and pillar")
    } else {
        format!("Hoạt động năm {year} theo tháng và trụ cột")
    };
    stacked_by_pillar(&columns, &cells, &aria, lang, &|_, _| None)
}

fn month_name(m: u32, lang: Lang) -> String {
    if lang == Lang::En {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .get(m.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
        .to_string()
    } else {
        format!("T{m}")
    }
}

/// A period's activities by month, stacked by pillar, each segment opening
/// the list of that month and pillar (`href(column, pillar)`). A period over
/// more than one year names each month with its year.
pub fn months_by_pillar(
    months: &[(i32, u32)],
    counts: &std::collections::BTreeMap<((i32, u32), String), u64>,
    lang: Lang,
    href: &dyn Fn(usize, &str) -> Option<String>,
) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let years = months.first().map(|m| m.0) != months.last().map(|m| m.0);
    let columns: Vec<String> = months
        .iter()
        .map(|(y, m)| {
            if years {
                format!("{}/{}", month_name(*m, lang), y % 100)
            } else {
                month_name(*m, lang)
            }
        })
        .collect();
    let cells: Vec<(usize, &str, u32)> = counts
        .iter()
        .filter_map(|((ym, p), n)| {
            let c = months.iter().position(|m| m == ym)?;
            Some((c, p.as_str(), u32::try_from(*n).unwrap_or(u32::MAX)))
        })
        .collect();
    let aria = if lang == Lang::En {
        "Activities by month and pillar"
    } else {
        "Hoạt động theo tháng và trụ cột"
    };
    stacked_by_pillar(&columns, &cells, aria, lang, href)
}

/// Horizontal bars, one a row: (label, count, link). Empty when no row.
pub fn bars(rows: &[(String, u64, String)], aria: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let peak = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let (w, row, left, right) = (480.0_f64, 26.0_f64, 170.0_f64, 40.0_f64);
    let h = row * rows.len() as f64 + 8.0;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(aria)
    );
    for (i, (label, n, href)) in rows.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let len = ((w - left - right) * *n as f64 / peak).max(2.0);
        let shown: String = label.chars().take(24).collect();
        let shown = if shown.chars().count() < label.chars().count() {
            format!("{shown}…")
        } else {
            shown
        };
        svg.push_str(&format!(
            r##"<a href="{}" data-n="{n}"><text x="{}" y="{:.1}" font-size="13" text-anchor="end" fill="#1f4e8c">{}</text><rect x="{left}" y="{:.1}" width="{len:.1}" height="{:.1}" fill="#1f4e8c"><title>{}: {n}</title></rect><text x="{:.1}" y="{:.1}" font-size="13" fill="#3d4554">{n}</text></a>"##,
            esc(href),
            left - 8.0,
            y + 17.0,
            esc(&shown),
            y + 3.0,
            row - 8.0,
            esc(label),
            left + len + 6.0,
            y + 17.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Natural Earth's 1:110m country shapes (public domain; see
/// `data/reference/LICENSES.md`), projected to a 1000 × 500 box.
static WORLD: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../../data/reference/world-map.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let (code, d) = l.split_once(',')?;
                Some((code, d.trim_matches('"')))
            })
            .collect()
    });

/// A world map of engagements: each country shaded by its count in five
/// steps of the largest, named with its count on hover, and opening the list
/// behind it. `places` are (alpha-2, name, count, link).
pub fn world_map(places: &[(String, String, u64, String)], lang: Lang) -> String {
    let peak = places.iter().map(|p| p.2).max().unwrap_or(0);
    let shades = ["#dbe6f3", "#a9c3e3", "#6f9bcf", "#3b6fb0", "#1f4e8c"];
    let aria = if lang == Lang::En {
        "World map of engagements by country"
    } else {
        "Bản đồ hoạt động theo quốc gia"
    };
    let mut svg = format!(
        r##"<svg class="chart map" viewBox="0 0 1000 440" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><rect width="1000" height="440" fill="#f6f8fb"/>"##,
        esc(aria)
    );
    for (code, d) in WORLD.iter() {
        match places.iter().find(|p| p.0 == *code).filter(|p| p.2 > 0) {
            Some((_, name, n, href)) => {
                let step = ((*n as f64 / peak.max(1) as f64) * 5.0).ceil() as usize;
                svg.push_str(&format!(
                    r##"<a href="{}" data-n="{n}"><path d="{d}" fill="{}" stroke="#fff" stroke-width="0.5"><title>{}: {n}</title></path></a>"##,
                    esc(href),
                    shades[step.clamp(1, 5) - 1],
                    esc(name)
                ));
            }
            None => svg.push_str(&format!(
                r##"<path d="{d}" fill="#e3e6ec" stroke="#fff" stroke-width="0.5"/>"##
            )),
        }
    }
    if peak > 0 {
        for (i, c) in shades.iter().enumerate() {
            let from = peak * i as u64 / 5 + 1;
            let to = peak * (i as u64 + 1) / 5;
            if to < from {
                continue;
            }
            let range = if from == to {
                from.to_string()
            } else {
                format!("{from}–{to}")
            };
            svg.push_str(&format!(
                r##"<rect x="{}" y="412" width="14" height="14" fill="{c}"/><text x="{}" y="424" font-size="13" fill="#3d4554">{range}</text>"##,
                20 + i * 110,
                38 + i * 110
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Stacked bars, one a column, one colour a pillar, with a legend. `cells`
/// are (column index, pillar code, count).
fn stacked_by_pillar(
    columns: &[String],
    cells: &[(usize, &str, u32)],
    aria: &str,
    lang: Lang,
    href: &dyn Fn(usize, &str) -> Option<String>,
) -> String {
    use kieng_domain::agency::Pillar;
    let n = columns.len().max(1);
    let total = |c: usize| cells.iter().filter(|r| r.0 == c).map(|r| r.2).sum::<u32>();
    let peak = (0..n).map(total).max().unwrap_or(1).max(1);
    let (w, h, left, right, top, bottom) =
        (720.0_f64, 200.0_f64, 40.0_f64, 10.0_f64, 28.0_f64, 24.0_f64);
    let slot = (w - left - right) / n as f64;
    let bar = (slot * 0.7).min(40.0);
    let scale = (h - top - bottom) / f64::from(peak);
    let colour = |p: Pillar| match p {
        Pillar::Party => "#a3161b",
        Pillar::State => "#1f4e8c",
        Pillar::People => "#2e7d32",
    };
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(aria)
    );
    for (i, p) in Pillar::ALL.iter().enumerate() {
        let x = left + 200.0 * i as f64;
        svg.push_str(&format!(
            r##"<rect x="{x}" y="6" width="12" height="12" fill="{}"/><text x="{}" y="16" font-size="13" fill="#3d4554">{}</text>"##,
            colour(*p),
            x + 16.0,
            esc(p.label().get(lang.code()))
        ));
    }
    svg.push_str(&format!(
        r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#3d4554">{peak}</text><line x1="{left}" x2="{}" y1="{}" y2="{}" stroke="#e3e6ec"/>"##,
        left - 4.0,
        top + 4.0,
        w - right,
        h - bottom,
        h - bottom
    ));
    let tick = (n / 12).max(1);
    for (c, label) in columns.iter().enumerate() {
        let x = left + slot * c as f64 + (slot - bar) / 2.0;
        let mut base = h - bottom;
        for p in Pillar::ALL {
            let k: u32 = cells
                .iter()
                .filter(|r| r.0 == c && r.1 == p.as_str())
                .map(|r| r.2)
                .sum();
            if k == 0 {
                continue;
            }
            let height = f64::from(k) * scale;
            base -= height;
            let rect = format!(
                r#"<rect x="{x:.1}" y="{base:.1}" width="{bar:.1}" height="{height:.1}" fill="{}"><title>{} · {}: {k}</title></rect>"#,
                colour(p),
                esc(label),
                esc(p.label().get(lang.code()))
            );
            match href(c, p.as_str()) {
                Some(h) => {
                    svg.push_str(&format!(r#"<a href="{}" data-n="{k}">{rect}</a>"#, esc(&h)))
                }
                None => svg.push_str(&rect),
            }
        }
        if c % tick == 0 {
            svg.push_str(&format!(
                r##"<text x="{:.1}" y="{}" font-size="13" text-anchor="middle" fill="#3d4554">{}</text>"##,
                x + bar / 2.0,
                h - 6.0,
                esc(label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The colour of a task's computed status, as the tree and the timeline show it.
pub fn state_colour(s: kieng_domain::plan::State) -> &'static str {
    use kieng_domain::plan::State;
    match s {
        State::NotStarted => "#6b7385",
        State::OnTrack => "#2e7d32",
        State::AtRisk => "#a15c00",
        State::Late => "#b3261e",
        State::Done => "#1f4e8c",
        State::Cancelled => "#aab0bb",
    }
}

/// The most tasks the timeline draws (the tree lists them all).
pub const TIMELINE_ROWS: usize = 300;

/// A plan's timeline: one row per task from the plan's start to its
/// deadline, the part done filled in its status colour, a line for today,
/// and the years (or months, for a plan of two years or less) along the top.
pub fn plan_timeline(
    tasks: &[&kieng_store::plans::TaskNode],
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    today: chrono::NaiveDate,
    lang: Lang,
) -> String {
    if tasks.is_empty() {
        return String::new();
    }
    let last = tasks
        .iter()
        .map(|t| t.task.due_on)
        .max()
        .unwrap_or(end)
        .max(end);
    let span = ((last - start).num_days().max(1)) as f64;
    let (w, row, left, top) = (900.0_f64, 20.0_f64, 260.0_f64, 24.0_f64);
    let shown = &tasks[..tasks.len().min(TIMELINE_ROWS)];
    let h = top + row * shown.len() as f64 + 6.0;
    let x = |d: chrono::NaiveDate| {
        left + (w - left - 10.0) * ((d - start).num_days() as f64 / span).clamp(0.0, 1.0)
    };
    let aria = if lang == Lang::En {
        "Timeline of the plan's tasks"
    } else {
        "Tiến độ các nhiệm vụ theo thời gian"
    };
    let mut svg = format!(
        r#"<svg class="chart timeline" viewBox="0 0 {w} {h}" role="img" aria-label="{aria}" xmlns="http://www.w3.org/2000/svg">"#
    );
    // The scale: years, or months for a short plan.
    let months = (last - start).num_days() <= 731;
    let mut d =
        chrono::NaiveDate::from_ymd_opt(start.year(), if months { start.month() } else { 1 }, 1)
            .unwrap_or(start);
    while d <= last {
        if d >= start {
            let label = if months {
                format!("{}/{}", d.month(), d.year() % 100)
            } else {
                d.year().to_string()
            };
            svg.push_str(&format!(
                r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{h}" stroke="#e3e6eb"/><text x="{0:.1}" y="14" font-size="11" fill="#3d4554">{label}</text>"##,
                x(d)
            ));
        }
        d = if months {
            d.checked_add_months(chrono::Months::new(1))
        } else {
            d.checked_add_months(chrono::Months::new(12))
        }
        .unwrap_or(chrono::NaiveDate::MAX);
    }
    for (i, t) in shown.iter().enumerate() {
        let y = top + row * i as f64;
        let x1 = x(start);
        let x2 = x(t.task.due_on).max(x1 + 2.0);
        let done = x1 + (x2 - x1) * f64::from(t.task.progress.clamp(0, 100)) / 100.0;
        let colour = state_colour(t.state);
        let label: String = format!("{} {}", t.number, t.task.title);
        let cut: String = label.chars().take(38).collect();
        let cut = if cut.chars().count() < label.chars().count() {
            format!("{cut}…")
        } else {
            cut
        };
        svg.push_str(&format!(
            r##"<a href="/plans/tasks/{id}"><text x="{tx:.1}" y="{ty:.1}" font-size="11" fill="#1f2733">{cut}</text><rect x="{x1:.1}" y="{ry:.1}" width="{bw:.1}" height="12" fill="#eef1f5" stroke="{colour}"/><rect x="{x1:.1}" y="{ry:.1}" width="{dw:.1}" height="12" fill="{colour}"><title>{title}: {p}% · {state}</title></rect></a>"##,
            id = t.task.id,
            tx = 4.0 + 10.0 * t.depth.min(6) as f64,
            ty = y + 14.0,
            cut = esc(&cut),
            ry = y + 4.0,
            bw = x2 - x1,
            dw = done - x1,
            title = esc(&label),
            p = t.task.progress,
            state = esc(t.state.label().get(lang.code())),
        ));
    }
    if today >= start && today <= last {
        svg.push_str(&format!(
            r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{h}" stroke="#b3261e" stroke-dasharray="4 3"/>"##,
            x(today)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_labels_and_draws_one_point_per_dated_step() {
        let t = chrono::Utc::now();
        let level = |code: &str, name: &str, rank| framework_level::Model {
            code: code.into(),
            name_vi: name.into(),
            name_en: name.into(),
            rank,
            created_at: t,
        };
        let levels = vec![level("a", "<A & co>", 10), level("b", "B", 20)];
        let step = |code: &str, year: i32| kieng_store::partners::FrameworkView {
            step: kieng_store::entity::partner_framework::Model {
                id: uuid::Uuid::new_v4(),
                partner_id: uuid::Uuid::nil(),
                level_code: code.into(),
                since_date: chrono::NaiveDate::from_ymd_opt(year, 1, 1),
                since_precision: Some("year".into()),
                official_name: None,
                source: None,
                note: None,
                created_at: t,
                created_by: None,
                deleted_at: None,
                deleted_by: None,
            },
            level_vi: code.into(),
            level_en: code.into(),
            since: year.to_string(),
        };
        let partner: kieng_store::entity::partner::Model = serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::nil(), "kind": "country", "code": "XX", "country_code": null, "name_vi": "X", "name_en": null,
            "abbreviation": null, "name_fold": "x", "neighbour": false, "traditional_friend": false, "notes": null,
            "merged_into_id": null, "owner_agency_id": uuid::Uuid::nil(), "classification": 0, "version": 1,
            "created_at": t, "created_by": null, "updated_at": t, "updated_by": null, "deleted_at": null, "deleted_by": null
        }))
        .unwrap();
        let d = Dossier {
            partner,
            country_name: None,
            aliases: vec![],
            current: None,
            frameworks: vec![step("a", 2010), step("b", 2020)],
            missions: vec![],
            positions: vec![],
            contacts: vec![],
            can_edit: false,
        };
        let svg = framework_timeline(&d, &levels, Lang::Vi);
        assert!(
            svg.starts_with("<svg") && svg.contains("&lt;A &amp; co&gt;") && !svg.contains("<A &")
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        let empty = Dossier {
            frameworks: vec![],
            ..d
        };
        assert!(framework_timeline(&empty, &levels, Lang::Vi).is_empty());
    }

    #[test]
    fn engagements_stack_one_bar_segment_per_pillar_and_year() {
        let rows = vec![
            (2024, "state".to_string(), 3),
            (2024, "people".to_string(), 1),
            (2026, "party".to_string(), 2),
        ];
        let svg = engagements_by_year(&rows, Lang::Vi);
        assert_eq!(
            svg.matches("<rect").count(),
            3 + 3,
            "three legend keys and three segments"
        );
        assert!(svg.contains("2024 · Ngoại giao Nhà nước: 3"), "{svg}");
        assert!(svg.contains(">2025<"), "an empty year keeps its place");
        assert!(engagements_by_year(&[], Lang::Vi).is_empty());
    }

    #[test]
    fn dashboard_months_link_each_segment_and_name_years_when_crossing() {
        let months = vec![(2025, 12), (2026, 1)];
        let mut counts = std::collections::BTreeMap::new();
        counts.insert(((2025, 12), "state".to_string()), 3u64);
        counts.insert(((2026, 1), "party".to_string()), 1u64);
        let svg = months_by_pillar(&months, &counts, Lang::Vi, &|c, p| {
            Some(format!("/activities?c={c}&pillar={p}"))
        });
        assert!(svg.contains("T12/25 · Ngoại giao Nhà nước: 3"), "{svg}");
        assert!(
            svg.contains(r#"href="/activities?c=1&amp;pillar=party""#),
            "{svg}"
        );
        assert_eq!(svg.matches("<a ").count(), 2);
    }

    #[test]
    fn bars_and_map_escape_names_and_link_each_place() {
        let rows = vec![("A <&> B".to_string(), 4, "/x?a=1&b=2".to_string())];
        let svg = bars(&rows, "t");
        assert!(svg.contains("A &lt;&amp;&gt; B") && svg.contains("/x?a=1&amp;b=2"));
        assert!(bars(&[], "t").is_empty());
        let places = vec![
            (
                "VN".to_string(),
                "Việt Nam".to_string(),
                0,
                "/v".to_string(),
            ),
            (
                "JP".to_string(),
                "Nhật Bản".to_string(),
                10,
                "/j".to_string(),
            ),
            ("LA".to_string(), "Lào".to_string(), 1, "/l".to_string()),
        ];
        let map = world_map(&places, Lang::Vi);
        assert!(WORLD.len() > 150, "the shapes ship with the binary");
        assert!(map.contains("<title>Nhật Bản: 10</title>") && map.contains(r##"fill="#1f4e8c""##));
        assert!(map.contains("<title>Lào: 1</title>"));
        assert!(
            !map.contains("href=\"/v\""),
            "a place with nothing is not a link"
        );
    }

    #[test]
    fn months_keep_their_place_and_name() {
        let rows = vec![(1, "party".to_string(), 2), (12, "state".to_string(), 5)];
        let svg = activities_by_month(2026, &rows, Lang::Vi);
        assert!(svg.contains("T1 · Đối ngoại Đảng: 2"), "{svg}");
        assert!(svg.contains(">T7<"), "an empty month keeps its place");
        assert!(activities_by_month(2026, &rows, Lang::En).contains(">Dec<"));
        assert!(activities_by_month(2026, &[], Lang::Vi).is_empty());
    }
}
