-- Vulnerability findings per system, from scanners (SARIF), CSV files and the API, and the
-- deadlines they are fixed by.

-- Days to fix a finding of each severity, from when it was first seen (one row).
CREATE TABLE assurance_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    critical_days  INTEGER NOT NULL DEFAULT 7 CHECK (critical_days BETWEEN 1 AND 3650),
    high_days      INTEGER NOT NULL DEFAULT 30 CHECK (high_days BETWEEN 1 AND 3650),
    medium_days    INTEGER NOT NULL DEFAULT 90 CHECK (medium_days BETWEEN 1 AND 3650),
    low_days       INTEGER NOT NULL DEFAULT 180 CHECK (low_days BETWEEN 1 AND 3650),
    CHECK (critical_days <= high_days AND high_days <= medium_days AND medium_days <= low_days)
);
INSERT INTO assurance_settings (id) VALUES (1);

-- One finding on one system, as its scanner (`tool`) reports it. `match_key` makes a result of
-- the next scan the same finding (see `assurance::sarif`); a finding the scanner no longer
-- reports is fixed, and one reported again is open again with its first sighting kept.
CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    system_id   INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    tool        TEXT NOT NULL CHECK (length(tool) BETWEEN 1 AND 100),
    rule        TEXT NOT NULL CHECK (length(rule) BETWEEN 1 AND 200),
    match_key   TEXT NOT NULL,
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    location    TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    help        TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    fixed_at    INTEGER,
    UNIQUE (system_id, tool, match_key)
);
-- The SLA figures count ranges of these without reading the table (see
-- `assurance::service::sql`): open ones by severity and first sighting, fixed ones by severity
-- and when.
CREATE INDEX findings_open ON findings(severity, first_seen, system_id, fixed_at) WHERE fixed_at IS NULL;
CREATE INDEX findings_fixed ON findings(severity, fixed_at, first_seen, system_id) WHERE fixed_at IS NOT NULL;

-- Each import: what it brought, for the system's history.
CREATE TABLE finding_imports (
    id         INTEGER PRIMARY KEY,
    system_id  INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    source     TEXT NOT NULL CHECK (source IN ('sarif', 'csv', 'api')),
    tools      TEXT NOT NULL,
    new        INTEGER NOT NULL,
    seen       INTEGER NOT NULL,
    reopened   INTEGER NOT NULL,
    fixed      INTEGER NOT NULL,
    by_label   TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX finding_imports_system ON finding_imports(system_id, id);

-- The KPIs kept from the findings (see `assurance::service::kpis`): open critical findings
-- each day, and the share of each month's fixes made within their deadline.
CREATE TABLE assurance_kpis (
    measure  TEXT PRIMARY KEY CHECK (measure IN ('open_critical', 'fixed_within_sla')),
    kpi_id   INTEGER NOT NULL UNIQUE REFERENCES kpis(id) ON DELETE CASCADE
);

-- Findings open past their deadline, per system; the threshold warns that many days before.
INSERT INTO alert_rules (kind, threshold) VALUES ('finding_deadline', 0);
