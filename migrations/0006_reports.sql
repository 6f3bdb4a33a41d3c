-- Investor reports: a draft the CTO edits, published versions frozen as they were, and
-- read-only share links to one report.

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    -- "2026-Q3" or "2026-11", as the SLA report reads it.
    period      TEXT NOT NULL,
    -- The draft commentary, one Markdown text per section, as a JSON object.
    commentary  TEXT NOT NULL DEFAULT '{}',
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A published version never changes: the snapshot holds every figure, chart and rendered
-- commentary as they were when it was published.
CREATE TABLE report_versions (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    title         TEXT NOT NULL,
    period_label  TEXT NOT NULL,
    -- What changed since the previous version; required from version 2 on.
    note          TEXT,
    snapshot      TEXT NOT NULL,
    published_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    published_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (report_id, version)
);

-- Only `published_by` may change, to NULL, should its account ever be deleted.
CREATE TRIGGER report_versions_are_frozen
BEFORE UPDATE OF report_id, version, title, period_label, note, snapshot, published_at ON report_versions
BEGIN
    SELECT RAISE(ABORT, 'published report versions cannot be changed');
END;

CREATE TABLE report_share_links (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash  BLOB NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    last_used_at INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX report_share_links_report ON report_share_links(report_id);
