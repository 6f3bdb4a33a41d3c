-- The control register: what the company does to stay secure, who does it and how often, the
-- systems it covers and the frameworks it answers to; and the evidence of each time it was done.

CREATE TABLE controls (
    id             INTEGER PRIMARY KEY,
    -- The company's own reference, such as "ACC-01".
    code           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 20),
    title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    requires       TEXT NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- The department that performs it: its head sees and records it. None: the CTO's own.
    department_id  INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    frequency      TEXT NOT NULL CHECK (frequency IN ('continuous', 'monthly', 'quarterly', 'yearly')),
    -- Where its evidence comes from (see `assurance::starter::EvidenceSource`).
    evidence       TEXT NOT NULL DEFAULT 'manual'
                   CHECK (evidence IN ('manual', 'health_checks', 'tls', 'backup', 'restore_test', 'access_review')),
    -- A control is first due a period after it was adopted.
    adopted_on     TEXT NOT NULL,
    -- Retired controls keep their evidence and leave the register's figures.
    retired_on     TEXT
);
CREATE INDEX controls_department ON controls(department_id);

-- Framework ids a control answers to: data, so a mapping changes without a release.
CREATE TABLE control_mappings (
    control_id  INTEGER NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    framework   TEXT NOT NULL CHECK (framework IN ('iso27001', 'soc2')),
    ref         TEXT NOT NULL,
    PRIMARY KEY (control_id, framework, ref)
) WITHOUT ROWID;
CREATE INDEX control_mappings_ref ON control_mappings(framework, ref);

CREATE TABLE control_systems (
    control_id  INTEGER NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    system_id   INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (control_id, system_id)
) WITHOUT ROWID;

-- Each time a control was performed: its result, what was found, and what shows it.
CREATE TABLE control_evidence (
    id            INTEGER PRIMARY KEY,
    control_id    INTEGER NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    performed_on  TEXT NOT NULL,
    result        TEXT NOT NULL CHECK (result IN ('passed', 'failed', 'not_applicable')),
    note          TEXT NOT NULL DEFAULT '',
    link          TEXT,
    file_name     TEXT,
    file_type     TEXT,
    file_size     INTEGER,
    file_sha256   TEXT,
    by_label      TEXT NOT NULL,
    at            INTEGER NOT NULL,
    -- Recorded by Northstar from what it watches (health checks, certificates): one a day.
    automatic     INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
    CHECK ((file_name IS NULL) = (file_sha256 IS NULL))
);
-- A control's latest evidence, and the register's "last performed", without reading the rest.
CREATE INDEX control_evidence_latest ON control_evidence(control_id, performed_on, id);
CREATE UNIQUE INDEX control_evidence_daily ON control_evidence(control_id, performed_on) WHERE automatic = 1;

-- The files themselves, in the database so that `northstar backup` keeps them with the rest
-- and a restore brings them back; apart from their rows so listing evidence never reads them.
CREATE TABLE evidence_files (
    evidence_id  INTEGER PRIMARY KEY REFERENCES control_evidence(id) ON DELETE CASCADE,
    bytes        BLOB NOT NULL
);

-- Controls past their due day; the threshold warns that many days before.
INSERT INTO alert_rules (kind, threshold) VALUES ('control_overdue', 0);
