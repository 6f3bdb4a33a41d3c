//! What the radar's pages receive and send.

use super::model::{Change, EntryState, Ring};
use serde::{Deserialize, Serialize};

/// One entry as the picture draws it; `number` is the one the table lists it under.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blip {
    pub number: usize,
    pub id: i64,
    pub name: String,
    pub quadrant: usize,
    pub ring: Ring,
    /// Against the edition compared with; `None` when unchanged or when there is none.
    pub change: Option<Change>,
    pub description: String,
}

/// The radar as drawn, frozen as it is in editions and investor reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RadarPicture {
    pub quadrants: Vec<String>,
    pub blips: Vec<Blip>,
    pub svg: String,
    /// The edition new and moved entries are measured against, e.g. "2026 H1".
    pub compared_with: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub name: String,
    pub quadrant: String,
    pub state: EntryState,
    pub ring: Option<Ring>,
    pub proposed_ring: Option<Ring>,
    pub proposed_by: Option<String>,
    /// The last decision's date, or when it was proposed.
    pub since: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionRow {
    pub id: i64,
    pub title: String,
    pub published_on: String,
    pub entries: usize,
}

/// The radar page: the picture and its table, what waits for a decision, what left it, and the
/// editions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RadarView {
    pub picture: RadarPicture,
    pub proposals: Vec<EntryRow>,
    /// Declined proposals and entries taken off the radar.
    pub off: Vec<EntryRow>,
    pub editions: Vec<EditionRow>,
    /// The CTO: decides proposals, publishes editions, names quadrants.
    pub decides: bool,
    /// Whether investor reports show the radar's entries marked for investors.
    pub investors_see_radar: bool,
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveRow {
    pub decided_on: String,
    /// "Moved from Trial to Adopt".
    pub words: String,
    pub reason: String,
    /// Sanitised HTML from the evidence's Markdown.
    pub evidence_html: String,
    pub cost: Option<String>,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryPage {
    pub id: i64,
    pub name: String,
    pub quadrant: String,
    pub state: EntryState,
    pub ring: Option<Ring>,
    pub proposed_ring: Option<Ring>,
    pub proposal: String,
    pub proposed_by: Option<String>,
    pub description: String,
    pub owner: Option<String>,
    pub initiative: Option<(i64, String)>,
    pub systems: Vec<(i64, String)>,
    pub vendors: Vec<String>,
    pub investor_visible: bool,
    /// Newest first.
    pub history: Vec<MoveRow>,
    pub can_edit: bool,
    pub decides: bool,
    pub today: String,
}

/// The entry form's options and, when editing, its values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryEditor {
    pub id: Option<i64>,
    pub name: String,
    pub quadrant: String,
    pub ring: String,
    pub description: String,
    pub proposal: String,
    pub owner: String,
    pub initiative: String,
    pub systems: Vec<i64>,
    pub vendors: Vec<i64>,
    pub investor_visible: bool,
    /// A new entry from a department head is a proposal: its ring is the one it asks for.
    pub proposing: bool,
    pub quadrants: Vec<(i64, String)>,
    pub owners: Vec<(i64, String)>,
    pub initiatives: Vec<(i64, String)>,
    pub system_choices: Vec<(i64, String)>,
    pub vendor_choices: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryInput {
    pub id: String,
    pub name: String,
    pub quadrant: String,
    /// For a new entry: the CTO's ring, or the ring a proposal asks for. Moves go through a
    /// decision instead.
    #[serde(default)]
    pub ring: String,
    pub description: String,
    /// Why: the proposal's case, or the CTO's reason for placing a new entry.
    #[serde(default)]
    pub proposal: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub initiative: String,
    #[serde(default)]
    pub systems: Vec<String>,
    #[serde(default)]
    pub vendors: Vec<String>,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub investor_visible: bool,
}

/// A decision on an entry: `ring` empty takes it off the radar, or declines a proposal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionInput {
    pub entry: String,
    pub ring: String,
    pub decided_on: String,
    pub reason: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub cost: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EditionInput {
    pub title: String,
    pub published_on: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsInput {
    /// The quadrants' names, in their positions.
    #[serde(default)]
    pub name: Vec<String>,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub investors_see_radar: bool,
}

/// An entry on the radar as another page links to it: "OpenTelemetry", "Tools · Adopt".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub id: i64,
    pub name: String,
    pub standing: String,
}

/// One published edition and how it differs from the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionPage {
    pub id: i64,
    pub title: String,
    pub published_on: String,
    pub published_by: Option<String>,
    pub picture: RadarPicture,
    pub previous: Option<(i64, String)>,
    pub next: Option<(i64, String)>,
    /// (entry, what happened): new, moved, or left since the previous edition.
    pub changes: Vec<(String, String)>,
}
