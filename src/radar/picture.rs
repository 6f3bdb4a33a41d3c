//! The radar drawn: four quadrants, four rings, a numbered blip per entry (ringed when it is
//! new or moved since the edition compared with). Rings, axes and
//! quadrant names are drawn with plotters; ring names and blips by hand on top, each blip with
//! its name as a tooltip.
//! The numbers are the ones the table beside the picture lists.

use super::layout::{layout, BLIP, REACH};
use super::view::Blip;
use crate::charts::{finish_svg, ink};
use crate::platform::encode::html as esc;
use crate::platform::error::AppError;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Room around the rings for the quadrants' names.
const PAD: f64 = 34.0;

pub fn draw(id: &str, title: &str, quadrants: &[String], blips: &[Blip]) -> Result<String, AppError> {
    let l = layout(&blips.iter().map(|b| (b.quadrant, b.ring.index())).collect::<Vec<_>>());
    let side = (2.0 * (l.radius + PAD)).ceil() as u32;
    let c = l.radius + PAD;
    let at = |x: f64, y: f64| ((c + x).round() as i32, (c + y).round() as i32);
    let mut raw = String::new();
    {
        let root = SVGBackend::with_string(&mut raw, (side, side)).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| {
            tracing::error!(error = %e, "radar picture failed");
            AppError::Internal
        };
        for (_, outer) in l.rings.iter().rev() {
            root.draw(&Circle::new(at(0.0, 0.0), outer.round() as i32, ink::GRID.stroke_width(2))).map_err(|e| fail(&e))?;
        }
        let r = l.radius;
        root.draw(&PathElement::new(vec![at(-r, 0.0), at(r, 0.0)], ink::AXIS.stroke_width(1))).map_err(|e| fail(&e))?;
        root.draw(&PathElement::new(vec![at(0.0, -r), at(0.0, r)], ink::AXIS.stroke_width(1))).map_err(|e| fail(&e))?;
        let heading = ("sans-serif", 18).into_font().style(FontStyle::Bold).color(&ink::TEXT);
        for (q, name) in quadrants.iter().enumerate().take(4) {
            let (h, x) = if q % 2 == 0 { (HPos::Left, -c + 6.0) } else { (HPos::Right, c - 6.0) };
            let (v, y) = if q < 2 { (VPos::Top, -c + 6.0) } else { (VPos::Bottom, c - 6.0) };
            root.draw(&Text::new(name.clone(), at(x, y), heading.clone().pos(Pos::new(h, v)))).map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    // The rings' names sit on the horizontal axis, on both sides, over a halo of the page's
    // colour so the axis does not strike them through; the layout keeps blips clear of them.
    let mut marks = String::new();
    for (ring, (inner, outer)) in super::model::Ring::ALL.iter().zip(l.rings) {
        let mid = (inner + outer) / 2.0;
        for x in [c - mid, c + mid] {
            marks.push_str(&format!(r#"<text class="ring-name" x="{x:.1}" y="{:.1}">{}</text>"#, c + 4.5, ring.label().to_uppercase()));
        }
    }
    for (b, (x, y)) in blips.iter().zip(&l.points) {
        let (x, y) = (c + x, c + y);
        let tip = match b.change {
            Some(change) => format!("{}. {} — {}, {}", b.number, b.name, b.ring.label(), change.label().to_lowercase()),
            None => format!("{}. {} — {}", b.number, b.name, b.ring.label()),
        };
        // A new or moved entry wears a ring, within the reach the layout keeps clear for it.
        let halo = match b.change {
            Some(_) => format!(r#"<circle class="halo" cx="{x:.1}" cy="{y:.1}" r="{:.1}"/>"#, REACH - 1.0),
            None => String::new(),
        };
        marks.push_str(&format!(
            r#"<g class="blip q{}"><title>{}</title>{halo}<circle cx="{x:.1}" cy="{y:.1}" r="{BLIP}"/><text x="{x:.1}" y="{:.1}">{}</text></g>"#,
            b.quadrant,
            esc(&tip),
            y + 3.5,
            b.number
        ));
    }
    Ok(finish_svg(&raw, id, title, &describe(quadrants, blips), "chart radar-chart", &marks))
}

/// The picture in words, for whoever cannot see it: how many entries each quadrant holds in
/// each ring, and how many moved.
fn describe(quadrants: &[String], blips: &[Blip]) -> String {
    if blips.is_empty() {
        return "No entries on the radar.".into();
    }
    let mut parts = Vec::new();
    for (q, name) in quadrants.iter().enumerate() {
        let rings: Vec<String> = super::model::Ring::ALL
            .iter()
            .filter_map(|ring| {
                let n = blips.iter().filter(|b| b.quadrant == q && b.ring == *ring).count();
                (n > 0).then(|| format!("{n} in {}", ring.label()))
            })
            .collect();
        if !rings.is_empty() {
            parts.push(format!("{name}: {}", rings.join(", ")));
        }
    }
    let changed = blips.iter().filter(|b| b.change.is_some()).count();
    format!("{} on the radar. {}. {changed} new or moved, drawn with a ring around them; the table lists every entry by its number.", crate::ui::plural(blips.len() as u64, "entry", "entries"), parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::radar::model::{Change, Ring};

    #[test]
    fn the_picture_names_itself_and_draws_each_entry_once() {
        let quadrants: Vec<String> = ["Languages", "Platforms", "Tools", "Techniques"].map(String::from).to_vec();
        let blips = vec![
            Blip { number: 1, id: 4, name: "Rust <2024>".into(), quadrant: 0, ring: Ring::Adopt, change: None, description: String::new() },
            Blip { number: 2, id: 5, name: "Kafka".into(), quadrant: 1, ring: Ring::Hold, change: Some(Change::Moved(Ring::Trial)), description: String::new() },
        ];
        let svg = draw("r", "Technology radar", &quadrants, &blips).unwrap();
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"r-title\">Technology radar</title>"));
        assert!(svg.contains("2 entries on the radar. Languages: 1 in Adopt; Platforms: 1 in Hold. 1 new or moved"), "{svg}");
        assert!(svg.contains("<title>1. Rust &lt;2024&gt; — Adopt</title><circle cx"), "unchanged: no ring");
        assert!(svg.contains("<title>2. Kafka — Hold, moved from trial</title><circle class=\"halo\""));
        assert_eq!(svg.matches("class=\"blip").count(), 2);
        assert_eq!(svg.matches("class=\"ring-name\"").count(), 8, "each ring named on both sides");
        for name in ["Languages", "Techniques", "ADOPT", "HOLD"] {
            assert!(svg.contains(name), "{name}");
        }
    }
}
