-- Technology KPIs: the registry, effective-dated targets, measurements and their rollups.

CREATE TABLE kpis (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    formula           TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL CHECK (category IN ('delivery', 'reliability', 'security', 'cost', 'people', 'product')),
    unit              TEXT NOT NULL,
    direction         TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    aggregation       TEXT NOT NULL CHECK (aggregation IN ('last', 'sum', 'mean', 'median')),
    owner             TEXT NOT NULL DEFAULT '',
    department_id     INTEGER REFERENCES departments(id) ON DELETE RESTRICT,  -- NULL: company-wide
    investor_visible  INTEGER NOT NULL DEFAULT 0 CHECK (investor_visible IN (0, 1)),
    -- Set for the DORA metrics, whose values are computed from deployment and incident events.
    computed          TEXT UNIQUE CHECK (computed IN ('deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore')),
    -- Bumped by every write to the KPI's measurements; cached summaries key on it.
    data_version      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX kpis_department ON kpis(department_id);

-- A target applies from its date on; status at any moment is judged against the target then
-- in force, so a new target never rewrites past judgements.
CREATE TABLE kpi_targets (
    id              INTEGER PRIMARY KEY,
    kpi_id          INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    effective_from  TEXT NOT NULL,   -- YYYY-MM-DD, UTC
    target          REAL NOT NULL,
    amber           REAL NOT NULL,
    red             REAL NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    set_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    set_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (kpi_id, effective_from)
);

-- Money values are integer minor units (cents), held exactly in the REAL column.
CREATE TABLE measurements (
    kpi_id  INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    ts      INTEGER NOT NULL,   -- unix seconds, UTC
    value   REAL NOT NULL,
    source  TEXT NOT NULL CHECK (source IN ('manual', 'csv', 'api', 'computed')),
    note    TEXT,
    PRIMARY KEY (kpi_id, ts)
) WITHOUT ROWID;

-- Hourly and daily summaries, so a chart over a million points reads a few thousand rows.
CREATE TABLE measurement_rollups (
    kpi_id   INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    width    INTEGER NOT NULL CHECK (width IN (3600, 86400)),
    bucket   INTEGER NOT NULL,   -- unix seconds at the bucket's start
    n        INTEGER NOT NULL,
    total    REAL NOT NULL,
    low      REAL NOT NULL,
    high     REAL NOT NULL,
    PRIMARY KEY (kpi_id, width, bucket)
) WITHOUT ROWID;

-- Ingest-only credentials for the REST API. Only a hash of the token is kept.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    token_hash    BLOB NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_used_at  TEXT,
    revoked_at    TEXT
);

-- Delivery events, from which the DORA metrics are computed.
CREATE TABLE deployments (
    id           INTEGER PRIMARY KEY,
    service      TEXT NOT NULL,
    deployed_at  INTEGER NOT NULL,   -- unix seconds
    succeeded    INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    external_id  TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (service, external_id)
);
CREATE INDEX deployments_time ON deployments(deployed_at);

-- One row per change (commit) shipped by a deployment: lead time is a median over changes.
CREATE TABLE deployment_changes (
    deployment_id   INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    lead_time_secs  INTEGER NOT NULL CHECK (lead_time_secs >= 0)
);
CREATE INDEX deployment_changes_deployment ON deployment_changes(deployment_id);

CREATE TABLE incidents (
    id             INTEGER PRIMARY KEY,
    service        TEXT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    severity       TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    started_at     INTEGER NOT NULL,
    resolved_at    INTEGER CHECK (resolved_at IS NULL OR resolved_at >= started_at),
    deployment_id  INTEGER REFERENCES deployments(id) ON DELETE SET NULL,
    external_id    TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (service, external_id)
);
CREATE INDEX incidents_time ON incidents(started_at);
