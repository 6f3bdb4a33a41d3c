//! Satisfaction pulses' words and rules: the two scales, how often a survey goes out, who is
//! asked, and the anonymity threshold below which no result is shown.

use crate::access::Role;
use crate::platform::named::named_enum;

/// No score, average or comment of a group is shown until this many have answered: below it,
/// a result could say how one person answered.
pub const MIN_GROUP: usize = 5;

/// How long a round stays open for answers.
pub const OPEN_DAYS: i64 = 14;

named_enum!(
    Scale {
        Five = "five" / "1 to 5",
        Ten = "ten" / "0 to 10",
    }
);

named_enum!(
    Every {
        Once = "once" / "Once",
        Month = "month" / "Every month",
        Quarter = "quarter" / "Every quarter",
    }
);

impl Scale {
    pub fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Scale::Five => 1..=5,
            Scale::Ten => 0..=10,
        }
    }

    /// The KPI target a new score starts with: (target, amber, red), the CTO may change it.
    pub fn default_target(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Scale::Five => ("4", "4", "3.5"),
            Scale::Ten => ("8", "8", "7"),
        }
    }
}

impl Every {
    /// Days between rounds; `None` for once.
    pub fn days(self) -> Option<i64> {
        match self {
            Every::Once => None,
            Every::Month => Some(30),
            Every::Quarter => Some(91),
        }
    }
}

/// Whether a survey sent to `roles` (and, for department heads, to `departments`, empty for
/// all) asks this user.
pub fn asks(roles: &[Role], departments: &[i64], role: Role, department: Option<i64>) -> bool {
    roles.contains(&role) && (role != Role::DepartmentHead || departments.is_empty() || department.is_some_and(|d| departments.contains(&d)))
}

/// A group's result as shown: `None` while fewer than `MIN_GROUP` have answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The mean score, to one decimal.
    pub mean: f64,
    /// How many gave each score, lowest first.
    pub spread: Vec<(i64, usize)>,
}

pub fn outcome(scale: Scale, scores: &[i64]) -> Option<Outcome> {
    if scores.len() < MIN_GROUP {
        return None;
    }
    let mean = scores.iter().sum::<i64>() as f64 / scores.len() as f64;
    let spread = scale.range().map(|s| (s, scores.iter().filter(|x| **x == s).count())).collect();
    Some(Outcome { mean: (mean * 10.0).round() / 10.0, spread })
}

/// Whether everyone's result may show, given how many answered in each of its groups (each
/// department, and those with none). Beside a group shown, a group hidden below the threshold
/// would be everyone's minus the shown ones: its result would show by subtraction.
pub fn everyone_shown(groups: &[usize]) -> bool {
    let total: usize = groups.iter().sum();
    let hidden = groups.iter().any(|n| (1..MIN_GROUP).contains(n));
    let shown = groups.iter().any(|n| *n >= MIN_GROUP);
    total >= MIN_GROUP && !(hidden && shown)
}

/// A group's comments, in an order that does not follow who answered first, and none below
/// the threshold.
pub fn comments(mut texts: Vec<String>, answers: usize) -> Vec<String> {
    if answers < MIN_GROUP {
        return Vec::new();
    }
    texts.retain(|t| !t.trim().is_empty());
    texts.sort();
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_result_below_five_answers() {
        assert_eq!(outcome(Scale::Five, &[]), None);
        assert_eq!(outcome(Scale::Five, &[5, 4, 4, 2]), None);
        let five = outcome(Scale::Five, &[5, 4, 4, 2, 3]).unwrap();
        assert_eq!(five.mean, 3.6);
        assert_eq!(five.spread, [(1, 0), (2, 1), (3, 1), (4, 2), (5, 1)]);
        let ten = outcome(Scale::Ten, &[0, 10, 10, 9, 7, 8]).unwrap();
        assert_eq!(ten.mean, 7.3);
        assert_eq!(ten.spread.len(), 11);
        assert!(comments(vec!["Slow laptops".into(); 4], 4).is_empty(), "four answers show no comment either");
    }

    #[test]
    fn everyone_is_hidden_when_subtraction_would_show_a_small_group() {
        assert!(everyone_shown(&[5, 6]));
        assert!(!everyone_shown(&[5, 3]), "Operations 5 shown, Engineering 3: everyone minus Operations is Engineering");
        assert!(everyone_shown(&[2, 3]), "neither shown: everyone's 5 says nothing of either");
        assert!(!everyone_shown(&[2, 2]));
        assert!(everyone_shown(&[7]));
        assert!(!everyone_shown(&[6, 1]), "one investor beside a department");
    }

    #[test]
    fn comments_keep_no_order_of_answering() {
        let texts = vec!["b".to_string(), " ".into(), "a".into(), "c".into(), "".into()];
        assert_eq!(comments(texts, 5), ["a", "b", "c"]);
    }

    #[test]
    fn a_survey_asks_its_roles_and_departments() {
        let heads = [Role::DepartmentHead];
        assert!(asks(&heads, &[], Role::DepartmentHead, Some(2)));
        assert!(asks(&heads, &[1], Role::DepartmentHead, Some(1)));
        assert!(!asks(&heads, &[1], Role::DepartmentHead, Some(2)));
        assert!(!asks(&heads, &[], Role::Investor, None));
        assert!(asks(&[Role::Investor, Role::DepartmentHead], &[1], Role::Investor, None), "departments narrow the heads asked, not the investors");
    }

    #[test]
    fn scales_and_schedules() {
        assert_eq!(Scale::Five.range(), 1..=5);
        assert!(Scale::Ten.range().contains(&0));
        assert_eq!(Every::Quarter.days(), Some(91));
        assert_eq!(Every::Once.days(), None);
    }
}
