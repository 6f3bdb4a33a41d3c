-- Alerts: the rules the CTO sets, and every condition they found, open or past.

-- One row per kind of rule, shipped enabled with sensible defaults. `threshold` is the rule's
-- one number, in the unit its kind names (minutes, days, or the status a KPI must reach).
CREATE TABLE alert_rules (
    kind          TEXT PRIMARY KEY CHECK (kind IN ('kpi_status', 'system_down', 'incident_unacknowledged', 'contract_notice')),
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    threshold     INTEGER NOT NULL CHECK (threshold >= 0),
    -- A condition that clears and comes back within this many minutes reopens its alert
    -- instead of starting a new one, so a flapping check is one alert, not a stream of them.
    hold_minutes  INTEGER NOT NULL DEFAULT 15 CHECK (hold_minutes >= 0)
);

INSERT INTO alert_rules (kind, threshold) VALUES
    ('kpi_status', 1),               -- 1: amber or red; 2: red only
    ('system_down', 5),              -- minutes down or degraded
    ('incident_unacknowledged', 15), -- minutes open without acknowledgement
    ('contract_notice', 30);         -- days before the notice deadline

-- An alert is open while `resolved_at` is NULL; acknowledged when someone took it.
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    rule             TEXT NOT NULL REFERENCES alert_rules(kind),
    -- What the condition is about, as its page addresses it: kpi:availability, system:3.
    subject_kind     TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    subject_label    TEXT NOT NULL,
    -- The department it belongs to; NULL for company-wide things, which only the CTO gets.
    department_id    INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    -- The evidence as it stands: the value and the threshold, in words.
    summary          TEXT NOT NULL,
    link             TEXT NOT NULL,
    started_at       INTEGER NOT NULL,   -- unix seconds
    updated_at       INTEGER NOT NULL,
    acknowledged_at  INTEGER,
    acknowledged_by  TEXT,
    resolved_at      INTEGER,
    -- How many times the condition cleared and came back within the hold time.
    flaps            INTEGER NOT NULL DEFAULT 0
);

-- The same condition cannot be open twice.
CREATE UNIQUE INDEX alerts_open ON alerts(rule, subject_kind, subject_id) WHERE resolved_at IS NULL;
CREATE INDEX alerts_subject ON alerts(subject_kind, subject_id, resolved_at);
CREATE INDEX alerts_started ON alerts(started_at);

-- The scheduled pass reads only open incidents, never the whole history.
CREATE INDEX incidents_open ON incidents(started_at) WHERE resolved_at IS NULL;
-- A page asks for the open alerts about itself on every view.
CREATE INDEX alerts_link ON alerts(link) WHERE resolved_at IS NULL;
