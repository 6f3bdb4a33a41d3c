//! A file of findings for one system, from a person's upload or a scanner's pipeline: read
//! whole (SARIF or CSV, told apart by their first character), then applied in one transaction.
//! Checking a file applies it and rolls back, so the preview's counts are exactly what
//! importing would do.

use super::super::import::{apply, Counts};
use super::super::sarif::{Problem as FileProblem, Scan};
use super::super::view::{ImportReport, Problem};
use crate::platform::audit::Actor;
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::AppError;
use crate::platform::state::AppState;

/// The largest file taken: a monorepo's SARIF with tens of thousands of results and their
/// rules is tens of MB.
pub const MAX_SCAN_BYTES: u64 = 256 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Sarif,
    Csv,
}

impl Format {
    /// A SARIF log is a JSON object; anything else is read as CSV.
    pub fn of(bytes: &[u8]) -> Format {
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match start.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Sarif,
            _ => Format::Csv,
        }
    }
}

/// Reads a file of either format.
pub fn read(bytes: &[u8], today: chrono::NaiveDate) -> (Format, Result<Scan, Vec<FileProblem>>) {
    let format = Format::of(bytes);
    let scan = match format {
        Format::Sarif => super::super::sarif::parse(bytes),
        Format::Csv => super::super::findings_csv::parse(bytes, today),
    };
    (format, scan)
}

/// The report of a file that cannot be imported.
pub fn refused(system: &str, problems: Vec<FileProblem>) -> ImportReport {
    ImportReport { system: system.into(), problems: problems.into_iter().map(|p| Problem { at: p.at, message: p.message }).collect(), ..Default::default() }
}

/// Where a file came from, as the system's import history says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Upload(Format),
    Api,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Upload(Format::Sarif) => "sarif",
            Channel::Upload(Format::Csv) => "csv",
            Channel::Api => "api",
        }
    }
}

/// Applies `scan` to `system`; stored only when `commit`.
pub async fn store(st: &AppState, by: &Actor, (system, name): (i64, &str), channel: Channel, scan: &Scan, commit: bool) -> Result<ImportReport, AppError> {
    let now = now_unix();
    let mut tx = begin_write(&st.pool).await?;
    let counts = apply(&mut tx, system, &scan.tools, &scan.findings, now).await?;
    let mut report = ImportReport {
        system: name.into(),
        tools: scan.tools.clone(),
        findings: scan.findings.len() as u64,
        new: counts.new,
        seen: counts.seen,
        reopened: counts.reopened,
        fixed: counts.fixed,
        problems: Vec::new(),
        imported: false,
    };
    if !commit {
        tx.rollback().await?;
        return Ok(report);
    }
    let Counts { new, seen, reopened, fixed } = counts;
    sqlx::query("INSERT INTO finding_imports (system_id, source, tools, new, seen, reopened, fixed, by_label, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(system)
        .bind(channel.as_str())
        .bind(scan.tools.join(", "))
        .bind(new as i64)
        .bind(seen as i64)
        .bind(reopened as i64)
        .bind(fixed as i64)
        .bind(&by.label)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let changed = super::kpis::refresh(&mut tx, now).await?;
    crate::platform::audit::Entry::new(by, "assurance", "import_findings")
        .object("system", system, name.to_string())
        .detail(format!("{} from {}: {new} new, {seen} seen again, {reopened} reopened, {fixed} fixed", channel.as_str().to_uppercase(), scan.tools.join(", ")))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(Changed::Findings(Some(system)));
    for kpi in changed {
        st.changes.tell(Changed::Kpi(kpi));
    }
    report.imported = true;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_object_is_sarif_and_anything_else_csv() {
        assert_eq!(Format::of(b"\xEF\xBB\xBF  \n{\"version\": \"2.1.0\"}"), Format::Sarif);
        assert_eq!(Format::of(b"title,severity\n"), Format::Csv);
        assert_eq!(Format::of(b""), Format::Csv);
    }
}
