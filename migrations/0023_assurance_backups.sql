-- Backups and restore tests: Northstar's own (no system) recorded by `northstar backup` and
-- the restore test run from Admin; the evidence of the backup controls comes from them.

CREATE TABLE backup_runs (
    id           INTEGER PRIMARY KEY,
    -- None: Northstar's own database.
    system_id    INTEGER REFERENCES systems(id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
    size_bytes   INTEGER,
    duration_ms  INTEGER NOT NULL,
    -- The file written, for a restore test to find.
    location     TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    by_label     TEXT NOT NULL
);
CREATE INDEX backup_runs_latest ON backup_runs(system_id, at);

CREATE TABLE restore_tests (
    id           INTEGER PRIMARY KEY,
    system_id    INTEGER REFERENCES systems(id) ON DELETE CASCADE,
    backup_id    INTEGER REFERENCES backup_runs(id) ON DELETE SET NULL,
    at           INTEGER NOT NULL,
    ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
    duration_ms  INTEGER NOT NULL,
    -- What was checked and found, or what went wrong.
    detail       TEXT NOT NULL,
    by_label     TEXT NOT NULL
);
CREATE INDEX restore_tests_latest ON restore_tests(system_id, at);
