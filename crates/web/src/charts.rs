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
    stacked_by_pillar(&columns, &cells, aria, lang)
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
    stacked_by_pillar(&columns, &cells, &aria, lang)
}

/// Stacked bars, one a column, one colour a pillar, with a legend. `cells`
/// are (column index, pillar code, count).
fn stacked_by_pillar(
    columns: &[String],
    cells: &[(usize, &str, u32)],
    aria: &str,
    lang: Lang,
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
            svg.push_str(&format!(
                r#"<rect x="{x:.1}" y="{base:.1}" width="{bar:.1}" height="{height:.1}" fill="{}"><title>{} · {}: {k}</title></rect>"#,
                colour(p),
                esc(label),
                esc(p.label().get(lang.code()))
            ));
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
    fn months_keep_their_place_and_name() {
        let rows = vec![(1, "party".to_string(), 2), (12, "state".to_string(), 5)];
        let svg = activities_by_month(2026, &rows, Lang::Vi);
        assert!(svg.contains("T1 · Đối ngoại Đảng: 2"), "{svg}");
        assert!(svg.contains(">T7<"), "an empty month keeps its place");
        assert!(activities_by_month(2026, &rows, Lang::En).contains(">Dec<"));
        assert!(activities_by_month(2026, &[], Lang::Vi).is_empty());
    }
}
