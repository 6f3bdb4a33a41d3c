//! The radar's words: its rings, in the order the chart draws them from the centre, and the
//! states an entry passes through.

use crate::platform::named::named_enum;

named_enum!(
    #[derive(PartialOrd, Ord)]
    Ring {
        Adopt = "adopt" / "Adopt",
        Trial = "trial" / "Trial",
        Assess = "assess" / "Assess",
        Hold = "hold" / "Hold",
    }
);

impl Ring {
    /// 0 for the centre (adopt) to 3 for the outer ring (hold).
    pub fn index(self) -> usize {
        Ring::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }

    /// What the ring asks of teams, as the radar's legend says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Ring::Adopt => "Use it: we are confident it serves us.",
            Ring::Trial => "Worth using on a project that can handle the risk.",
            Ring::Assess => "Worth understanding how it would affect us.",
            Ring::Hold => "Do not start anything new with it.",
        }
    }
}

named_enum!(
    EntryState {
        Proposed = "proposed" / "Proposed",
        Placed = "placed" / "On the radar",
        Declined = "declined" / "Declined",
        Retired = "retired" / "Off the radar",
    }
);

/// How an entry stands against the previous edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Change {
    New,
    Moved(Ring),
}

impl Change {
    pub fn label(self) -> String {
        match self {
            Change::New => "New".into(),
            Change::Moved(from) => format!("Moved from {}", from.label()),
        }
    }
}

/// A decision as its history reads: "Moved from Trial to Adopt", "Placed in Assess".
pub fn decision_words(from: Option<Ring>, to: Option<Ring>) -> String {
    match (from, to) {
        (None, Some(to)) => format!("Placed in {}", to.label()),
        (Some(from), Some(to)) => format!("Moved from {} to {}", from.label(), to.label()),
        (Some(from), None) => format!("Taken off the radar from {}", from.label()),
        (None, None) => "Proposal declined".into(),
    }
}
