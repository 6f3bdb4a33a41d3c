//! The starter set of controls Northstar ships: data (`controls.json`), not code, so the set and
//! its mapping to frameworks change without touching a rule. Read and checked here; a mapping
//! to an id the framework does not have fails the unit tests, not a customer's audit.

use super::model::{Frequency, Source};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct StarterControl {
    pub id: String,
    pub title: String,
    pub requires: String,
    #[serde(deserialize_with = "frequency")]
    pub frequency: Frequency,
    pub evidence: Source,
    pub iso27001: Vec<String>,
    pub soc2: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    controls: Vec<StarterControl>,
}

fn frequency<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Frequency, D::Error> {
    let text = String::deserialize(d)?;
    Frequency::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("“{text}” is not a frequency")))
}

/// The starter controls, in the order the file lists them.
pub fn controls() -> Vec<StarterControl> {
    serde_json::from_str::<File>(include_str!("controls.json")).map(|f| f.controls).unwrap_or_default()
}

/// Whether `id` is an ISO/IEC 27001:2022 Annex A control: A.5.1–A.5.37 organizational,
/// A.6.1–A.6.8 people, A.7.1–A.7.14 physical, A.8.1–A.8.34 technological (93 in all).
pub fn is_iso27001_annex_a(id: &str) -> bool {
    let Some((theme, n)) = id.strip_prefix("A.").and_then(|rest| rest.split_once('.')) else { return false };
    let last = match theme {
        "5" => 37,
        "6" => 8,
        "7" => 14,
        "8" => 34,
        _ => return false,
    };
    !n.starts_with('0') && n.parse::<u32>().is_ok_and(|n| (1..=last).contains(&n))
}

/// Whether `id` is a SOC 2 Trust Services Criterion: the common criteria CC1.1–CC9.2 and the
/// additional ones for availability (A1), confidentiality (C1), processing integrity (PI1) and
/// privacy (P1–P8).
pub fn is_soc2_criterion(id: &str) -> bool {
    const COUNTS: &[(&str, u32)] = &[
        ("CC1", 5), ("CC2", 3), ("CC3", 4), ("CC4", 2), ("CC5", 3), ("CC6", 8), ("CC7", 5), ("CC8", 1), ("CC9", 2),
        ("A1", 3), ("C1", 2), ("PI1", 5),
        ("P1", 1), ("P2", 1), ("P3", 2), ("P4", 3), ("P5", 2), ("P6", 7), ("P7", 1), ("P8", 1),
    ];
    let Some((group, n)) = id.split_once('.') else { return false };
    COUNTS.iter().any(|(g, last)| *g == group && !n.starts_with('0') && n.parse::<u32>().is_ok_and(|n| (1..=*last).contains(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn framework_ids_are_the_frameworks_own() {
        for ok in ["A.5.1", "A.5.37", "A.6.8", "A.7.14", "A.8.34", "A.8.13"] {
            assert!(is_iso27001_annex_a(ok), "{ok}");
        }
        // 2013's numbering, out of range, malformed.
        for bad in ["A.12.3.1", "A.5.38", "A.6.9", "A.8.0", "A.8.01", "A.9.1", "5.1", "A.8.", ""] {
            assert!(!is_iso27001_annex_a(bad), "{bad}");
        }
        for ok in ["CC1.1", "CC6.8", "CC8.1", "CC9.2", "A1.3", "C1.2", "PI1.5", "P6.7", "P8.1"] {
            assert!(is_soc2_criterion(ok), "{ok}");
        }
        for bad in ["CC6.9", "CC8.2", "CC10.1", "A1.4", "P9.1", "PI1.6", "CC1.0", "cc6.1", "CC6"] {
            assert!(!is_soc2_criterion(bad), "{bad}");
        }
    }

    #[test]
    fn the_starter_set_is_about_thirty_controls_each_mapped_to_both_frameworks() {
        let all = controls();
        assert!((28..=36).contains(&all.len()), "{} controls", all.len());
        let ids: HashSet<&str> = all.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for c in &all {
            assert!(!c.title.is_empty() && c.title.chars().count() <= 80 && c.requires.ends_with('.'), "{}", c.id);
            assert!(!c.iso27001.is_empty() && !c.soc2.is_empty(), "{} maps to both frameworks", c.id);
            for id in &c.iso27001 {
                assert!(is_iso27001_annex_a(id), "{}: {id}", c.id);
            }
            for id in &c.soc2 {
                assert!(is_soc2_criterion(id), "{}: {id}", c.id);
            }
        }
        // The ones the issue names are there, with the evidence Northstar records itself.
        let find = |title: &str| all.iter().find(|c| c.title == title).unwrap_or_else(|| panic!("{title}"));
        assert_eq!(find("Access review").evidence, Source::AccessReview);
        assert_eq!(find("Backup restore test").evidence, Source::RestoreTest);
        assert_eq!(find("Encryption in transit and valid certificates").evidence, Source::Tls);
        assert_eq!(find("Backups").frequency, Frequency::Continuous);
        for title in ["Vulnerability scanning", "Security awareness training", "Incident response test", "Encryption at rest"] {
            find(title);
        }
        // Every theme of Annex A the set touches, and the common criteria it covers.
        let iso: HashSet<&str> = all.iter().flat_map(|c| c.iso27001.iter().map(|i| &i[..3])).collect();
        assert_eq!(iso, HashSet::from(["A.5", "A.6", "A.7", "A.8"]));
        let cc: HashSet<&str> = all.iter().flat_map(|c| c.soc2.iter()).filter(|i| i.starts_with("CC")).map(|i| &i[..3]).collect();
        assert_eq!(cc.len(), 9, "every common criterion group: {cc:?}");
    }
}
