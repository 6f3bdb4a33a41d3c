//! Where each entry sits on the radar: in its quadrant's sector of its ring, never on another.
//!
//! Every cell (a quadrant of a ring) offers slots on arcs a blip's width apart, each slot clear
//! of the cell's edges (further from the axes, which carry the rings' names), so two blips in
//! different cells cannot touch, and
//! slots on one arc are a chord of `SPACING` apart, so two in the same cell cannot either.
//! When a cell has fewer slots than entries the whole chart grows (blips keep their size), so
//! any number of entries fits. The same entries always land in the same places.

use std::f64::consts::FRAC_PI_2;

/// A blip's radius, in the chart's units.
pub const BLIP: f64 = 9.0;
/// The furthest a drawn mark reaches from its centre: a moved entry's ring goes round its
/// circle.
pub const REACH: f64 = BLIP + 2.5;
/// The closest two blips' centres come.
const SPACING: f64 = 2.0 * REACH + 1.0;
/// The closest a blip's centre comes to a ring's circle.
const MARGIN: f64 = REACH + 1.0;
/// The closest it comes to an axis, which carries the rings' names.
const AXIS_CLEAR: f64 = BLIP + 11.0;
/// The rings' outer edges as shares of the radius, adopt first.
const RINGS: [f64; 4] = [0.4, 0.62, 0.82, 1.0];
/// The radius at scale 1.
const RADIUS: f64 = 300.0;

/// The geometry of a drawn radar: its centre is (`radius`, `radius`) plus the page margin the
/// picture adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub radius: f64,
    /// Each ring's (inner, outer) radius.
    pub rings: [(f64, f64); 4],
    /// Per entry, in the order given: its centre relative to the radar's centre.
    pub points: Vec<(f64, f64)>,
}

/// The angles (radians, clockwise from the right, screen coordinates) a quadrant spans, in
/// reading order: top left, top right, bottom left, bottom right.
pub fn quadrant_angles(quadrant: usize) -> (f64, f64) {
    let start = match quadrant % 4 {
        0 => 2.0,
        1 => 3.0,
        2 => 1.0,
        _ => 0.0,
    };
    (start * FRAC_PI_2, (start + 1.0) * FRAC_PI_2)
}

fn rings_at(radius: f64) -> [(f64, f64); 4] {
    let mut out = [(0.0, 0.0); 4];
    let mut inner = 0.0;
    for (i, share) in RINGS.iter().enumerate() {
        out[i] = (inner, share * radius);
        inner = share * radius;
    }
    out
}

/// The slots of one cell, arc by arc from the inside, each arc's from its start angle.
fn slots(quadrant: usize, (inner, outer): (f64, f64)) -> Vec<(f64, f64)> {
    let (from, to) = quadrant_angles(quadrant);
    let mut out = Vec::new();
    // Near the centre an arc is too short to keep its slots clear of both axes.
    let mut r = if inner == 0.0 { AXIS_CLEAR * std::f64::consts::SQRT_2 + 1.0 } else { inner + MARGIN };
    while r <= outer - MARGIN {
        let edge = (AXIS_CLEAR / r).min(1.0).asin();
        let span = (to - from) - 2.0 * edge;
        if span >= 0.0 {
            let step = 2.0 * (SPACING / (2.0 * r)).min(1.0).asin();
            let count = (span / step).floor() as usize + 1;
            for j in 0..count {
                let angle = if count == 1 { from + (to - from) / 2.0 } else { from + edge + span * j as f64 / (count - 1) as f64 };
                out.push((r * angle.cos(), r * angle.sin()));
            }
        }
        r += SPACING;
    }
    out
}

/// Places entries given as (quadrant 0–3, ring index 0–3).
pub fn layout(entries: &[(usize, usize)]) -> Layout {
    let mut scale = 1.0;
    loop {
        let radius = RADIUS * scale;
        let rings = rings_at(radius);
        let mut cells: std::collections::HashMap<(usize, usize), Vec<(f64, f64)>> = std::collections::HashMap::new();
        let mut fits = true;
        for q in 0..4 {
            for (ring, bounds) in rings.iter().enumerate() {
                let wanted = entries.iter().filter(|e| **e == (q, ring)).count();
                if wanted == 0 {
                    continue;
                }
                let all = slots(q, *bounds);
                if all.len() < wanted {
                    fits = false;
                }
                // Spread the entries over the cell's slots rather than crowding its inside.
                let chosen = (0..wanted).filter_map(|i| all.get(((2 * i + 1) * all.len()) / (2 * wanted)).copied()).collect();
                cells.insert((q, ring), chosen);
            }
        }
        if fits || scale > 40.0 {
            let mut taken: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
            let points = entries
                .iter()
                .map(|cell| {
                    let n = taken.entry(*cell).or_default();
                    let p = cells.get(cell).and_then(|c| c.get(*n)).copied().unwrap_or_default();
                    *n += 1;
                    p
                })
                .collect();
            return Layout { radius, rings, points };
        }
        scale *= 1.15;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(l: &Layout, (q, ring): (usize, usize), (x, y): (f64, f64)) -> bool {
        let r = (x * x + y * y).sqrt();
        let (inner, outer) = l.rings[ring];
        let mut angle = y.atan2(x);
        if angle < 0.0 {
            angle += 4.0 * FRAC_PI_2;
        }
        let (from, to) = quadrant_angles(q);
        // The whole blip, not only its centre, and clear of the rings' names on the axes.
        let clear_of_axes = r * (angle - from).sin() >= REACH + 8.0 && r * (to - angle).sin() >= REACH + 8.0;
        r - REACH >= inner && r + REACH <= outer && angle >= from && angle <= to && clear_of_axes
    }

    fn check(entries: &[(usize, usize)]) -> Layout {
        let l = layout(entries);
        assert_eq!(l.points.len(), entries.len());
        for (i, (cell, p)) in entries.iter().zip(&l.points).enumerate() {
            assert!(inside(&l, *cell, *p), "entry {i} in {cell:?} at {p:?} is outside its cell");
            for (j, q) in l.points.iter().enumerate().skip(i + 1) {
                let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
                assert!(d >= 2.0 * REACH, "entries {i} and {j} overlap: {d:.1} apart");
            }
        }
        l
    }

    #[test]
    fn a_demo_sized_radar_fits_at_its_normal_size() {
        let entries: Vec<(usize, usize)> = (0..30).map(|i| (i % 4, (i / 4) % 4)).collect();
        assert_eq!(check(&entries).radius, RADIUS);
    }

    #[test]
    fn no_two_entries_overlap_and_each_stays_in_its_quadrant_and_ring() {
        // Every cell alone, every cell crowded, and mixes of both.
        for q in 0..4 {
            for ring in 0..4 {
                for n in [1, 2, 3, 7, 12] {
                    check(&vec![(q, ring); n]);
                }
            }
        }
        let mut seed = 7u64;
        for _ in 0..40 {
            let n = (seed % 90) as usize + 1;
            let entries: Vec<(usize, usize)> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((seed >> 33) % 4) as usize, ((seed >> 40) % 4) as usize)
                })
                .collect();
            check(&entries);
        }
    }

    #[test]
    fn a_crowded_centre_grows_the_chart_instead_of_piling_blips() {
        let l = check(&vec![(0, 0); 40]);
        assert!(l.radius > RADIUS, "{}", l.radius);
    }

    #[test]
    fn the_same_entries_land_in_the_same_places() {
        let entries = [(1, 2), (3, 0), (1, 2), (0, 3)];
        assert_eq!(layout(&entries), layout(&entries));
    }

    #[test]
    fn quadrants_read_top_left_top_right_bottom_left_bottom_right() {
        let l = layout(&[(0, 1), (1, 1), (2, 1), (3, 1)]);
        let [tl, tr, bl, br] = [l.points[0], l.points[1], l.points[2], l.points[3]];
        assert!(tl.0 < 0.0 && tl.1 < 0.0, "{tl:?}");
        assert!(tr.0 > 0.0 && tr.1 < 0.0, "{tr:?}");
        assert!(bl.0 < 0.0 && bl.1 > 0.0, "{bl:?}");
        assert!(br.0 > 0.0 && br.1 > 0.0, "{br:?}");
    }
}
