//! SARIF 2.1.0, the open format scanners write (Trivy, Grype, Semgrep, CodeQL), read as one
//! system's findings. Only what Northstar keeps is read: the rule, how bad it is, where it is,
//! and what says it is the same finding as last time; the rest of a log is left alone.
//!
//! How bad: a rule's `security-severity` (a CVSS score, as Trivy, Grype and CodeQL write it)
//! when there is one, else the result's level (or its rule's default): error is high, warning
//! medium, note and none low. The same finding: the rule with the result's own fingerprint when
//! the scanner gives one (stable when lines move), else the rule with its file and line, or the
//! rule alone for a result with no location (a finding about the whole system).

use super::model::Severity;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// A problem with the file, where it is: "line 3, column 7", "runs[0].results[12]".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: String,
    pub message: String,
}

/// One result as a finding.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanFinding {
    /// The scanner (`tool.driver.name`): a new scan by it fixes what it no longer reports.
    pub tool: String,
    pub rule: String,
    /// The rule's short description (or full, when the short one is only its id), or its id.
    pub title: String,
    pub severity: Severity,
    /// "app/run.py:12", "library/openssl", or empty for none.
    pub location: String,
    /// What makes it the same finding in the next scan, within its tool.
    pub key: String,
    pub message: String,
    /// The rule's help page, when it names one.
    pub help: Option<String>,
    /// When it was first seen, when the source says (a register's file); else when imported.
    pub first_seen: Option<i64>,
    /// When it was fixed, when the source says so; a scan's results are open.
    pub fixed_at: Option<i64>,
}

/// What a scan found, and which scanners ran: a scanner that ran and found nothing fixed all
/// it found before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scan {
    pub tools: Vec<String>,
    pub findings: Vec<ScanFinding>,
}

/// At most this many problems are told; a file with more has the first ones to fix.
const MAX_PROBLEMS: usize = 20;

/// Reads a SARIF 2.1.0 log; every problem, or its findings (one per distinct finding: a result
/// reported twice counts once).
pub fn parse(bytes: &[u8]) -> Result<Scan, Vec<Problem>> {
    let log: Log = serde_json::from_slice(bytes).map_err(|e| {
        let at = if e.line() > 0 { format!("line {}, column {}", e.line(), e.column()) } else { "the file".into() };
        vec![Problem { at, message: format!("This is not a SARIF log: {}.", plain(&e)) }]
    })?;
    if log.version != "2.1.0" {
        return Err(vec![Problem { at: "version".into(), message: format!("SARIF {} is not read; export SARIF 2.1.0.", log.version) }]);
    }
    let mut problems = Vec::new();
    let mut scan = Scan::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (r, run) in log.runs.iter().enumerate() {
        let tool = run.tool.driver.name.trim();
        if tool.is_empty() {
            problems.push(Problem { at: format!("runs[{r}].tool.driver.name"), message: "The scanner has no name.".into() });
            continue;
        }
        if !scan.tools.iter().any(|t| t == tool) {
            scan.tools.push(tool.to_string());
        }
        for (i, result) in run.results.iter().flatten().enumerate() {
            match finding(tool, &run.tool, result) {
                Ok(f) => {
                    if seen.insert((f.tool.clone(), f.key.clone())) {
                        scan.findings.push(f);
                    }
                }
                Err(message) => problems.push(Problem { at: format!("runs[{r}].results[{i}]"), message }),
            }
            if problems.len() >= MAX_PROBLEMS {
                return Err(problems);
            }
        }
    }
    if problems.is_empty() {
        Ok(scan)
    } else {
        Err(problems)
    }
}

/// serde's message without its own "at line …" (the place is said apart).
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

/// The rules a result's index counts in: the driver's, or those of the extension its
/// `rule.toolComponent` names (CodeQL keeps its queries' rules in extensions).
fn rules_of<'a>(tool: &'a Tool, result: &ResultRecord) -> Result<&'a [Rule], String> {
    match result.rule.as_ref().and_then(|r| r.tool_component.as_ref()).and_then(|c| c.index) {
        None => Ok(&tool.driver.rules),
        Some(k) => tool.extensions.get(k).map(|e| e.rules.as_slice()).ok_or_else(|| format!("It refers to tool extension {k}, and the scanner lists {}.", tool.extensions.len())),
    }
}

fn finding(name: &str, tool: &Tool, result: &ResultRecord) -> Result<ScanFinding, String> {
    let rules = rules_of(tool, result)?;
    let named = result.rule_id.clone().or_else(|| result.rule.as_ref().and_then(|r| r.id.clone())).filter(|id| !id.trim().is_empty());
    let index = result.rule_index.or(result.rule.as_ref().and_then(|r| r.index));
    let by_index = match index.map(|i| (i, rules.get(i))) {
        Some((_, Some(r))) => Some(r),
        // A rule named by id is found by its id; an index alone must point at a rule.
        Some((i, None)) if named.is_none() => return Err(format!("It refers to rule {i}, and the scanner lists {}.", rules.len())),
        _ => None,
    };
    let Some(id) = named.or_else(|| by_index.map(|r| r.id.clone())) else {
        return Err("It names no rule (ruleId, rule.id or ruleIndex).".into());
    };
    let rule = by_index.filter(|r| r.id == id).or_else(|| tool.driver.rules.iter().chain(tool.extensions.iter().flat_map(|e| e.rules.iter())).find(|r| r.id == id));
    let level = match result.level.as_deref().or(rule.and_then(|r| r.default_configuration.as_ref()).and_then(|c| c.level.as_deref())) {
        None => "warning",
        Some(l @ ("none" | "note" | "warning" | "error")) => l,
        Some(other) => return Err(format!("Its level “{other}” is not one of none, note, warning, error.")),
    };
    let score = rule.and_then(|r| r.properties.as_ref()).or(result.properties.as_ref()).and_then(|p| p.security_severity.as_ref()).and_then(cvss);
    let severity = score.and_then(Severity::from_cvss).unwrap_or(match level {
        "error" => Severity::High,
        "warning" => Severity::Medium,
        _ => Severity::Low,
    });
    let location = result.locations.first().map(place).unwrap_or_default();
    let fingerprint = first(result.fingerprints.as_ref()).or_else(|| first(result.partial_fingerprints.as_ref()));
    let key = format!("{id}\u{1f}{}", fingerprint.unwrap_or_else(|| location.clone()));
    let title = rule.and_then(|r| title(r, &id)).unwrap_or_else(|| id.clone());
    let first_seen = match result.provenance.as_ref().and_then(|p| p.first_detection_time_utc.as_deref()) {
        None => None,
        Some(t) => Some(chrono::DateTime::parse_from_rfc3339(t).map_err(|_| format!("Its provenance.firstDetectionTimeUtc “{t}” is not a date and time."))?.timestamp()),
    };
    Ok(ScanFinding {
        tool: name.to_string(),
        title: clip(&title, 200),
        rule: clip(&id, 200),
        severity,
        location: clip(&location, 500),
        key,
        message: clip(&result.message.as_ref().and_then(Message::text).unwrap_or_default(), 2000),
        help: rule.and_then(|r| r.help_uri.clone()).filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        first_seen,
        fixed_at: None,
    })
}

/// What the rule is called: its short description, unless that only restates the rule's id
/// (Semgrep's "Semgrep Finding: <id>"), then its full description.
fn title(rule: &Rule, id: &str) -> Option<String> {
    let said = |m: &Option<Message>| m.as_ref().and_then(Message::text).filter(|t| !t.trim().is_empty());
    said(&rule.short_description).filter(|t| !t.contains(id)).or_else(|| said(&rule.full_description))
}

/// A `security-severity`, written as a string ("7.5") by most scanners and as a number by some.
fn cvss(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// "path:line", the path alone, or a logical location's name.
fn place(l: &Location) -> String {
    let physical = l.physical_location.as_ref();
    match physical.and_then(|p| p.artifact_location.as_ref()).and_then(|a| a.uri.as_deref()) {
        Some(uri) => match physical.and_then(|p| p.region.as_ref()).and_then(|r| r.start_line) {
            Some(line) => format!("{uri}:{line}"),
            None => uri.to_string(),
        },
        None => l.logical_locations.iter().find_map(|x| x.fully_qualified_name.clone().or(x.name.clone())).unwrap_or_default(),
    }
}

/// The first fingerprint by name, as "name=value", so the same scanner's next run matches.
fn first(prints: Option<&BTreeMap<String, String>>) -> Option<String> {
    prints.and_then(|p| p.iter().next()).map(|(k, v)| format!("{k}={v}"))
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[derive(Deserialize)]
struct Log {
    version: String,
    #[serde(default)]
    runs: Vec<Run>,
}

#[derive(Deserialize)]
struct Run {
    tool: Tool,
    #[serde(default)]
    results: Option<Vec<ResultRecord>>,
}

#[derive(Deserialize)]
struct Tool {
    driver: Driver,
    #[serde(default)]
    extensions: Vec<Driver>,
}

#[derive(Deserialize)]
struct Driver {
    #[serde(default)]
    name: String,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Option<Message>,
    full_description: Option<Message>,
    default_configuration: Option<Configuration>,
    help_uri: Option<String>,
    properties: Option<Properties>,
}

#[derive(Deserialize)]
struct Configuration {
    level: Option<String>,
}

#[derive(Deserialize)]
struct Properties {
    #[serde(rename = "security-severity")]
    security_severity: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultRecord {
    rule_id: Option<String>,
    rule_index: Option<usize>,
    rule: Option<RuleReference>,
    level: Option<String>,
    message: Option<Message>,
    #[serde(default)]
    locations: Vec<Location>,
    fingerprints: Option<BTreeMap<String, String>>,
    partial_fingerprints: Option<BTreeMap<String, String>>,
    properties: Option<Properties>,
    provenance: Option<Provenance>,
}

/// When the scanner first saw the result, for scanners that keep history (GitHub code
/// scanning and others write it).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Provenance {
    first_detection_time_utc: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RuleReference {
    id: Option<String>,
    index: Option<usize>,
    tool_component: Option<ComponentReference>,
}

#[derive(Deserialize)]
struct ComponentReference {
    index: Option<usize>,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
    markdown: Option<String>,
}

impl Message {
    fn text(&self) -> Option<String> {
        self.text.clone().or(self.markdown.clone())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Option<PhysicalLocation>,
    #[serde(default)]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Option<ArtifactLocation>,
    region: Option<Region>,
}

#[derive(Deserialize)]
struct ArtifactLocation {
    uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: Option<String>,
    name: Option<String>,
}

#[cfg(test)]
mod tests;
