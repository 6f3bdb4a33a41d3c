//! The strategy map's timeline: each initiative a bar from its start to its target date,
//! coloured by health, with its milestones as dots (filled once reached) and a line at today.
//! Drawn with plotters into SVG, with the same facts as a table beside it.

use super::mix::Mix;
use super::model::Health;
use crate::budget::model::Month;
use super::repo::MilestoneRecord;
use super::view::InitiativeRow;
use crate::charts::{finish_svg, ink, themed};
use crate::platform::error::AppError;
use crate::ui::chart::ChartData;
use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::RGBColor;

const WIDTH: u32 = 760;
const ROW: u32 = 30;
const LABELS: u32 = 230;
/// More rows than this make a chart nobody reads; the table below the chart lists them all.
pub const MAX_ROWS: usize = 40;

fn days(d: NaiveDate) -> f64 {
    (d - NaiveDate::default()).num_days() as f64
}

fn parse(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default()
}

fn colour(h: Option<Health>) -> RGBColor {
    match h {
        Some(Health::OnTrack) => ink::GREEN,
        Some(Health::AtRisk) => ink::AMBER,
        Some(Health::OffTrack) => ink::RED,
        None => ink::GRID,
    }
}

fn short(title: &str) -> String {
    const MAX: usize = 30;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let cut: String = title.chars().take(MAX - 1).collect();
    // At a word's end when one is near, so no word is left half-written.
    let cut = match cut.rfind(' ') {
        Some(space) if space > MAX / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{cut}…")
}

/// The work still open (proposed, approved, in progress), by start date; `None` when there is
/// none.
pub fn timeline(rows: &[(&InitiativeRow, &[MilestoneRecord])], today: NaiveDate) -> Result<Option<ChartData>, AppError> {
    let all_open: Vec<_> = rows.iter().filter(|(r, _)| !matches!(r.status, super::model::InitiativeStatus::Done | super::model::InitiativeStatus::Stopped)).collect();
    let open = &all_open[..all_open.len().min(MAX_ROWS)];
    if open.is_empty() {
        return Ok(None);
    }
    let first = open.iter().map(|(r, _)| parse(&r.starts)).chain([today]).min().unwrap_or(today);
    let last = open.iter().map(|(r, _)| parse(&r.target)).chain([today]).max().unwrap_or(today);
    let (x0, x1) = (days(first) - 7.0, days(last) + 7.0);
    let n = open.len();
    let late = |m: &MilestoneRecord| m.done_on.is_none() && parse(&m.due_on) < today;
    let milestones = open.iter().flat_map(|(_, ms)| ms.iter());
    let (total, reached, overdue) = milestones.fold((0, 0, 0), |(t, r, l), m| (t + 1, r + usize::from(m.done_on.is_some()), l + usize::from(late(m))));
    let shown = if all_open.len() > n { format!("The first {n} of {} open initiatives", all_open.len()) } else { format!("{n} open initiatives") };
    let desc = format!("{shown} from {first} to {last}; today is {today}. {reached} of {total} milestones reached, {overdue} late.");
    let mut raw = String::new();
    {
        let height = 50 + ROW * n as u32;
        let root = SVGBackend::with_string(&mut raw, (WIDTH, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(26)
            .y_label_area_size(LABELS)
            .build_cartesian_2d(x0..x1, 0.0..n as f64)
            .map_err(failed)?;
        let span = ((x1 - x0) * 86_400.0) as i64;
        themed(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&|x: &f64| crate::charts::date_label((*x as i64 - days(NaiveDate::default()) as i64) * 86_400, span))
            .draw()
            .map_err(failed)?;
        let label_font = ("sans-serif", 15).into_font().color(&ink::TEXT);
        for (i, (r, ms)) in open.iter().enumerate() {
            // Row 0 at the top.
            let y = (n - 1 - i) as f64;
            let (a, b) = (days(parse(&r.starts)), days(parse(&r.target)).max(days(parse(&r.starts)) + 1.0));
            chart.draw_series(std::iter::once(Rectangle::new([(a, y + 0.25), (b, y + 0.75)], colour(r.health).filled()))).map_err(failed)?;
            let dots = ms.iter().map(|m| {
                let at = (days(parse(&m.due_on)), y + 0.5);
                let style = if m.done_on.is_some() { ink::TEXT.filled() } else if late(m) { ink::RED.stroke_width(2) } else { ink::TEXT.stroke_width(2) };
                Circle::new(at, 5, style)
            });
            chart.draw_series(dots).map_err(failed)?;
            let (_, py) = chart.backend_coord(&(x0, y + 0.5));
            root.draw(&Text::new(short(&r.title), (8, py - 7), label_font.clone())).map_err(failed)?;
        }
        let t = days(today);
        chart.draw_series(std::iter::once(PathElement::new([(t, 0.0), (t, n as f64)], ink::TARGET_DASHED.stroke_width(2)))).map_err(failed)?;
        root.present().map_err(failed)?;
    }
    let svg = finish_svg(&raw, "strategy-timeline", "Initiatives over time", &desc, "chart strategy-timeline", "");
    let rows = open
        .iter()
        .map(|(r, ms)| {
            vec![
                r.title.clone(),
                r.health.map(|h| h.label()).unwrap_or(r.status.label()).to_string(),
                r.starts.clone(),
                r.target.clone(),
                format!("{} of {}, {} late", ms.iter().filter(|m| m.done_on.is_some()).count(), ms.len(), ms.iter().filter(|m| late(m)).count()),
            ]
        })
        .collect();
    Ok(Some(ChartData {
        svg,
        caption: desc,
        columns: ["Initiative", "Health", "Starts", "Target", "Milestones reached"].map(String::from).to_vec(),
        rows,
    }))
}

/// Category colours in order, the unassigned money's last; `mix::SWATCHES` names them for the
/// legend.
const PALETTE: [RGBColor; 6] = [ink::LINE, ink::SERIES2, ink::SERIES3, ink::NOTE, ink::DEPLOY, ink::AXIS];

/// The actual mix month by month as 100 % stacked bars, one segment per column (`slots` are
/// the mix's slots in column order, the unassigned one last when shown); `None` before any
/// spending.
pub fn mix_chart(mix: &Mix, slots: &[usize], columns: &[String], months: &[Month]) -> Result<Option<ChartData>, AppError> {
    let spent: Vec<usize> = (0..months.len().min(12)).filter(|m| mix.month_total(*m) > 0).collect();
    let (Some(first), Some(last)) = (spent.first(), spent.last()) else { return Ok(None) };
    let unassigned = mix.unassigned_slot();
    let colour_of = |i: usize, slot: usize| if slot == unassigned { ink::GRID } else { PALETTE[i % PALETTE.len()] };
    let desc = format!(
        "The share of each investment category in the money spent each month, {} to {}. {}",
        months[*first].label(),
        months[*last].label(),
        slots
            .iter()
            .zip(columns)
            .filter_map(|(s, name)| mix.share(*s).map(|v| format!("{name} {v:.1} %")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (WIDTH, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(26)
            .y_label_area_size(48)
            .build_cartesian_2d(-0.5..11.5, 0.0..100.0)
            .map_err(failed)?;
        themed(&mut chart.configure_mesh())
            .disable_x_mesh()
            .x_labels(12)
            .y_labels(6)
            .x_label_formatter(&|x: &f64| months.get(x.round().max(0.0) as usize).filter(|_| (x - x.round()).abs() < 0.01).map(|m| m.short()).unwrap_or_default())
            .y_label_formatter(&|y: &f64| format!("{y:.0} %"))
            .draw()
            .map_err(failed)?;
        for m in &spent {
            let mut base = 0.0;
            for (i, slot) in slots.iter().enumerate() {
                let share = mix.month_share(*slot, *m).unwrap_or(0.0);
                if share <= 0.0 {
                    continue;
                }
                let x = *m as f64;
                let bar = Rectangle::new([(x - 0.35, base), (x + 0.35, (base + share).min(100.0))], colour_of(i, *slot).filled());
                chart.draw_series(std::iter::once(bar)).map_err(failed)?;
                base += share;
            }
        }
        root.present().map_err(failed)?;
    }
    let svg = finish_svg(&raw, "allocation-mix", "Investment mix by month", &desc, "chart allocation-mix", "");
    let rows = spent
        .iter()
        .map(|m| {
            std::iter::once(months[*m].label())
                .chain(slots.iter().map(|s| mix.month_share(*s, *m).map(|v| format!("{v:.1} %")).unwrap_or_default()))
                .collect()
        })
        .collect();
    Ok(Some(ChartData { svg, caption: desc, columns: std::iter::once("Month".to_string()).chain(columns.iter().cloned()).collect(), rows }))
}

fn failed(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "strategy chart failed");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::model::InitiativeStatus;

    fn row(title: &str, status: InitiativeStatus, health: Option<Health>) -> InitiativeRow {
        InitiativeRow {
            id: 1,
            title: title.into(),
            department: "Engineering".into(),
            owner: None,
            status,
            category: "New capabilities".into(),
            starts: "2026-01-05".into(),
            target: "2026-09-30".into(),
            health,
            why: String::new(),
            milestones: (0, 0),
            budget: "—".into(),
            spent: "$0.00".into(),
        }
    }

    #[test]
    fn the_timeline_draws_open_work_with_its_milestones_and_leaves_out_finished_work() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let a = row("Migrate payments to the new cluster", InitiativeStatus::InProgress, Some(Health::AtRisk));
        let b = row("Retired search", InitiativeStatus::Done, None);
        let ms = vec![
            MilestoneRecord { id: 1, initiative_id: 1, title: "Design".into(), due_on: "2026-02-01".into(), done_on: Some("2026-01-30".into()) },
            MilestoneRecord { id: 2, initiative_id: 1, title: "Cut-over".into(), due_on: "2026-05-01".into(), done_on: None },
        ];
        let chart = timeline(&[(&a, &ms), (&b, &[])], today).unwrap().unwrap();
        assert_eq!(chart.rows.len(), 1);
        assert_eq!(chart.rows[0], ["Migrate payments to the new cluster", "At risk", "2026-01-05", "2026-09-30", "1 of 2, 1 late"]);
        assert!(chart.caption.contains("1 of 2 milestones reached, 1 late"), "{}", chart.caption);
        assert!(chart.svg.contains("Migrate payments to the new…"), "long titles are shortened");
        assert!(chart.svg.contains("var(--status-amber)"), "the bar takes its health's colour");
        assert!(chart.svg.contains("role=\"img\""));
        assert_eq!(timeline(&[(&b, &[])], today).unwrap(), None);
        // More open work than a chart can hold: the first rows, and the caption says so.
        let many: Vec<(&InitiativeRow, &[MilestoneRecord])> = (0..MAX_ROWS + 1).map(|_| (&a, &[][..])).collect();
        let chart = timeline(&many, today).unwrap().unwrap();
        assert_eq!(chart.rows.len(), MAX_ROWS);
        assert!(chart.caption.starts_with("The first 40 of 41 open initiatives"), "{}", chart.caption);
    }
}
