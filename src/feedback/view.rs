//! What the feedback pages receive and send.

use super::model::{About, Kind, State};
use serde::{Deserialize, Serialize};

/// What an item is about, as it reads and links: "System: Payments API" → its page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub label: String,
    /// The page it is about, when the reader may open it.
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    pub subject: Subject,
    pub state: State,
    pub votes: i64,
    pub comments: i64,
    /// "Priya Raman, Engineering"; "You" for the reader's own.
    pub author: String,
    pub created_on: String,
    pub age_days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub text: String,
    pub link: String,
    pub at: String,
}

/// Items grouped by what they are about, for the CTO: where feedback gathers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub subject: Subject,
    pub open: i64,
    pub total: i64,
    pub votes: i64,
}

/// The CTO's view of how feedback is handled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Triage {
    pub themes: Vec<Theme>,
    /// Median hours from filing to the first answer or move, over the last 90 days' items.
    pub first_answer_hours: Option<i64>,
    /// Median hours from filing to done or declined, over the items closed in the last 90 days.
    pub close_hours: Option<i64>,
    /// Open items nobody has answered for more than a week.
    pub waiting_over_a_week: i64,
    pub by_state: Vec<(State, i64)>,
    /// The response times kept as KPIs: (name, link to the KPI).
    pub kept: Vec<(String, String)>,
    /// Whether a response time is not kept as a KPI yet.
    pub can_keep: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub open: Vec<ItemRow>,
    /// Done or declined in the last 90 days.
    pub closed: Vec<ItemRow>,
    /// Unread notices for the reader.
    pub notices: Vec<NoticeRow>,
    pub triage: Option<Triage>,
    /// "votes" (most first) or "age" (oldest first).
    pub sort: String,
    /// Heads vote; investors see only their own items.
    pub can_vote: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub at: String,
    /// "Moved from New to Planned", or "Answered" when the state stayed.
    pub words: String,
    pub answer: String,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentRow {
    pub at: String,
    pub by: String,
    pub body: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemPage {
    pub id: i64,
    pub kind: Option<Kind>,
    pub title: String,
    pub body: String,
    pub subject: Subject,
    pub author: String,
    pub created_on: String,
    pub state: Option<State>,
    pub answer: String,
    pub initiative: Option<(i64, String)>,
    pub radar_entry: Option<(i64, String)>,
    pub history: Vec<AnswerRow>,
    pub comments: Vec<CommentRow>,
    pub votes: i64,
    pub voted: bool,
    pub can_vote: bool,
    /// The CTO: moves it and answers.
    pub decides: bool,
    pub initiatives: Vec<(i64, String)>,
    pub radar_entries: Vec<(i64, String)>,
    pub private: bool,
}

/// The form for a new item: what the reader may give feedback about.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackForm {
    pub abouts: Vec<About>,
    pub kpis: Vec<(i64, String)>,
    pub systems: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
    pub reports: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackInput {
    #[serde(default)]
    pub kind: String,
    /// What it is about: "technology", or "kpi:3", "system:5", "budget:2", "report:1".
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerInput {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub initiative: String,
    #[serde(default)]
    pub radar_entry: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommentInput {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub body: String,
}

/// The items about one KPI, system, budget or report that the reader may see, for its page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AboutList {
    pub items: Vec<ItemRow>,
    /// Where "Give feedback" leads, with what it is about filled in.
    pub new_link: String,
}
