//! Investment allocation as arithmetic: the mix of planned
//! and actual money by category and month, and how a share stands against the CTO's target.
//! Pure, so the rules are tested without a database. Money stays in integer minor units; only
//! shares (a display figure) are floating point.

use serde::{Deserialize, Serialize};

/// A share within a tenth of its target (and at least one point) is near, not missed: 54 %
/// against "at least 60 %" is near, 0.1 % against "at least 5 %" is not.
pub fn near_points(target: Target) -> f64 {
    (f64::from(target.pct) / 10.0).max(1.0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetRule {
    AtLeast,
    AtMost,
}

impl TargetRule {
    pub fn parse(s: &str) -> Option<TargetRule> {
        match s {
            "at_least" => Some(TargetRule::AtLeast),
            "at_most" => Some(TargetRule::AtMost),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetRule::AtLeast => "at_least",
            TargetRule::AtMost => "at_most",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TargetRule::AtLeast => "at least",
            TargetRule::AtMost => "at most",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub rule: TargetRule,
    pub pct: u8,
}

impl Target {
    pub fn describe(self) -> String {
        format!("{} {} %", self.rule.label(), self.pct)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MixStatus {
    Met,
    /// Missed by no more than [`near_points`].
    Near,
    Missed,
}

impl MixStatus {
    pub fn label(self) -> &'static str {
        match self {
            MixStatus::Met => "Meets target",
            MixStatus::Near => "Near target",
            MixStatus::Missed => "Misses target",
        }
    }

    /// The class of the status badge shared with the KPI and budget pages.
    pub fn css(self) -> &'static str {
        match self {
            MixStatus::Met => "green",
            MixStatus::Near => "amber",
            MixStatus::Missed => "red",
        }
    }
}

/// The legend swatch of the `i`th category's colour in the allocation chart (the server's
/// palette in the same order), and of the unassigned money.
pub const SWATCHES: [&str; 6] = ["fill", "fill line-2", "fill line-3", "fill note", "fill deploy", "fill axis"];
pub const UNASSIGNED_SWATCH: &str = "fill grid";

/// How `share` (percent) stands against `target`.
pub fn judge(target: Target, share: f64) -> MixStatus {
    let pct = f64::from(target.pct);
    let short_by = match target.rule {
        TargetRule::AtLeast => pct - share,
        TargetRule::AtMost => share - pct,
    };
    // Shares are shown to one decimal; a share that reads as the target meets it.
    if short_by < 0.05 {
        MixStatus::Met
    } else if short_by <= near_points(target) {
        MixStatus::Near
    } else {
        MixStatus::Missed
    }
}

/// Targets whose floors add up past 100 % cannot all be met at once.
pub fn floors_fit(targets: &[Target]) -> bool {
    targets.iter().filter(|t| t.rule == TargetRule::AtLeast).map(|t| u32::from(t.pct)).sum::<u32>() <= 100
}

/// Money by category slot and fiscal month: slot `i` is the `i`th category, the last slot the
/// unassigned money.
#[derive(Clone, Debug, PartialEq)]
pub struct Mix {
    cells: Vec<[i64; 12]>,
}

impl Mix {
    pub fn new(categories: usize) -> Mix {
        Mix { cells: vec![[0; 12]; categories + 1] }
    }

    pub fn unassigned_slot(&self) -> usize {
        self.cells.len() - 1
    }

    pub fn add(&mut self, slot: usize, month: usize, amount: i64) {
        let slot = slot.min(self.unassigned_slot());
        if let Some(cell) = self.cells[slot].get_mut(month) {
            *cell = cell.saturating_add(amount);
        }
    }

    pub fn at(&self, slot: usize, month: usize) -> i64 {
        self.cells.get(slot).and_then(|c| c.get(month)).copied().unwrap_or(0)
    }

    pub fn slot_total(&self, slot: usize) -> i64 {
        self.cells.get(slot).map_or(0, |c| crate::platform::money::sum(c.iter().copied()))
    }

    pub fn month_total(&self, month: usize) -> i64 {
        crate::platform::money::sum(self.cells.iter().map(|c| c.get(month).copied().unwrap_or(0)))
    }

    pub fn total(&self) -> i64 {
        crate::platform::money::sum((0..12).map(|m| self.month_total(m)))
    }

    /// The slot's percentage of all the money; `None` when there is none.
    pub fn share(&self, slot: usize) -> Option<f64> {
        percent(self.slot_total(slot), self.total())
    }

    pub fn month_share(&self, slot: usize, month: usize) -> Option<f64> {
        percent(self.at(slot, month), self.month_total(month))
    }

    pub fn merge(&mut self, other: &Mix) {
        for (mine, theirs) in self.cells.iter_mut().zip(&other.cells) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a = a.saturating_add(*b);
            }
        }
    }
}

pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_least(pct: u8) -> Target {
        Target { rule: TargetRule::AtLeast, pct }
    }

    #[test]
    fn shares_add_up_with_the_unassigned_money() {
        let mut m = Mix::new(2);
        m.add(0, 0, 600);
        m.add(1, 0, 300);
        m.add(m.unassigned_slot(), 1, 100);
        // A slot past the last category is unassigned money, never lost.
        m.add(7, 1, 0);
        assert_eq!(m.total(), 1_000);
        assert_eq!(m.share(0), Some(60.0));
        assert_eq!(m.share(2), Some(10.0));
        assert_eq!((0..3).filter_map(|s| m.share(s)).sum::<f64>(), 100.0);
        assert_eq!(m.month_share(0, 0), Some(600.0 * 100.0 / 900.0));
        assert_eq!(m.month_share(0, 5), None);
        assert_eq!(Mix::new(2).share(0), None);
    }

    #[test]
    fn mixes_merge_cell_by_cell() {
        let (mut a, mut b) = (Mix::new(1), Mix::new(1));
        a.add(0, 3, 5);
        b.add(0, 3, 7);
        b.add(1, 11, i64::MAX);
        a.merge(&b);
        assert_eq!(a.at(0, 3), 12);
        assert_eq!(a.at(1, 11), i64::MAX);
    }

    #[test]
    fn a_share_meets_nears_or_misses_its_target() {
        assert_eq!(judge(at_least(60), 60.0), MixStatus::Met);
        assert_eq!(judge(at_least(60), 59.96), MixStatus::Met);
        assert_eq!(judge(at_least(60), 54.0), MixStatus::Near);
        assert_eq!(judge(at_least(60), 53.9), MixStatus::Missed);
        assert_eq!(judge(at_least(5), 4.0), MixStatus::Near);
        assert_eq!(judge(at_least(5), 0.1), MixStatus::Missed);
        let ceiling = Target { rule: TargetRule::AtMost, pct: 20 };
        assert_eq!(judge(ceiling, 12.0), MixStatus::Met);
        assert_eq!(judge(ceiling, 22.0), MixStatus::Near);
        assert_eq!(judge(ceiling, 22.5), MixStatus::Missed);
        assert_eq!(ceiling.describe(), "at most 20 %");
    }

    #[test]
    fn floors_past_a_hundred_percent_cannot_all_be_met() {
        assert!(floors_fit(&[at_least(60), at_least(40), Target { rule: TargetRule::AtMost, pct: 90 }]));
        assert!(!floors_fit(&[at_least(60), at_least(41)]));
    }
}
