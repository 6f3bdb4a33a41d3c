-- Infrastructure: the system inventory, the checks the server runs, their results and
-- rollups, status history, maintenance windows, and incidents (the DORA table, extended).

CREATE TABLE systems (
    id             INTEGER PRIMARY KEY,
    -- Matches `incidents.service`, so incidents reported over the API land on their system.
    key            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'database', 'network', 'saas', 'storage', 'queue', 'other')),
    department_id  INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    tier           INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
    -- Percent, e.g. 99.9.
    slo_target     REAL NOT NULL CHECK (slo_target > 0 AND slo_target < 100),
    description    TEXT NOT NULL DEFAULT '',
    links          TEXT NOT NULL DEFAULT '',   -- one URL per line
    -- Set by a person for systems without checks (a SaaS vendor, say).
    manual_status  TEXT CHECK (manual_status IN ('operational', 'degraded', 'down')),
    manual_note    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'operational', 'degraded', 'down', 'maintenance')),
    status_since   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE system_dependencies (
    system_id   INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    depends_on  INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (system_id, depends_on),
    CHECK (system_id <> depends_on)
) WITHOUT ROWID;

CREATE TABLE checks (
    id                 INTEGER PRIMARY KEY,
    system_id          INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('http', 'tcp')),
    target             TEXT NOT NULL,   -- a URL, or host:port
    method             TEXT NOT NULL DEFAULT 'GET' CHECK (method IN ('GET', 'HEAD')),
    expect_min         INTEGER NOT NULL DEFAULT 200,
    expect_max         INTEGER NOT NULL DEFAULT 299,
    keyword            TEXT NOT NULL DEFAULT '',
    follow_redirects   INTEGER NOT NULL DEFAULT 1 CHECK (follow_redirects IN (0, 1)),
    timeout_ms         INTEGER NOT NULL CHECK (timeout_ms > 0),
    interval_secs      INTEGER NOT NULL CHECK (interval_secs >= 10),
    failure_threshold  INTEGER NOT NULL CHECK (failure_threshold >= 1),
    -- A success slower than this counts as degraded.
    degraded_ms        INTEGER,
    enabled            INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- The check's own state, kept so a restart resumes where it was.
    state              TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'up', 'degraded', 'down')),
    failures           INTEGER NOT NULL DEFAULT 0,   -- consecutive
    failing_since      INTEGER,
    last_at            INTEGER,
    last_latency_ms    INTEGER,
    last_error         TEXT
);
CREATE INDEX checks_system ON checks(system_id);

-- Raw results, kept for NORTHSTAR_CHECK_RETENTION_DAYS.
CREATE TABLE check_results (
    check_id    INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    at_ms       INTEGER NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    latency_ms  INTEGER NOT NULL,
    error       TEXT,
    PRIMARY KEY (check_id, at_ms)
) WITHOUT ROWID;
CREATE INDEX check_results_time ON check_results(at_ms);

-- Hourly and daily summaries, kept for good, for the long view.
CREATE TABLE check_rollups (
    check_id       INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    width          INTEGER NOT NULL CHECK (width IN (3600, 86400)),
    bucket         INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    failures       INTEGER NOT NULL,
    latency_total  INTEGER NOT NULL,
    latency_max    INTEGER NOT NULL,
    PRIMARY KEY (check_id, width, bucket)
) WITHOUT ROWID;

-- Every change of a system's status; uptime is computed from these spans.
CREATE TABLE status_changes (
    id         INTEGER PRIMARY KEY,
    system_id  INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('unknown', 'operational', 'degraded', 'down', 'maintenance')),
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_changes_system ON status_changes(system_id, at);

CREATE TABLE maintenance_windows (
    id          INTEGER PRIMARY KEY,
    system_id   INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX maintenance_system ON maintenance_windows(system_id, starts_at);

-- Incidents stay one table with the DORA metrics: the monitor, people and the API all write here.
ALTER TABLE incidents ADD COLUMN system_id INTEGER REFERENCES systems(id) ON DELETE SET NULL;
ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE incidents ADD COLUMN opened_by TEXT NOT NULL DEFAULT 'api' CHECK (opened_by IN ('api', 'monitor', 'person'));
-- Set when a person takes an incident over: recovery then no longer closes it by itself.
ALTER TABLE incidents ADD COLUMN taken_over_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX incidents_system ON incidents(system_id, started_at);

-- Incidents reported by service name find their system.
CREATE TRIGGER incidents_link_system AFTER INSERT ON incidents
WHEN NEW.system_id IS NULL
BEGIN
    UPDATE incidents SET system_id = (SELECT id FROM systems WHERE key = NEW.service) WHERE id = NEW.id;
END;

CREATE TABLE incident_notes (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    author_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('note', 'opened', 'acknowledged', 'taken_over', 'resolved', 'recovered', 'reopened')),
    body         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_notes_incident ON incident_notes(incident_id, at);
