-- The audit trail: one row per change, written in the transaction of the change itself.
-- It replaces audit_log, whose free-text rows it keeps.
CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,                -- unix milliseconds
    -- Who: a person, an API token, a share link, the server itself or the command line.
    -- The name is copied as it was, so renaming or deactivating an account keeps the history.
    actor_kind    TEXT NOT NULL CHECK (actor_kind IN ('user', 'token', 'link', 'anonymous', 'system', 'cli')),
    actor_id      INTEGER,
    actor         TEXT NOT NULL,
    area          TEXT NOT NULL,
    action        TEXT NOT NULL,
    object_kind   TEXT NOT NULL DEFAULT '',
    object_id     TEXT NOT NULL DEFAULT '',
    object_label  TEXT NOT NULL DEFAULT '',
    -- A JSON array of {"field", "before", "after"}; values are text, null when absent.
    changes       TEXT NOT NULL DEFAULT '[]',
    detail        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_object ON audit_events(object_kind, object_id, at);
CREATE INDEX audit_events_actor ON audit_events(actor, at);

INSERT INTO audit_events (at, actor_kind, actor_id, actor, area, action, detail)
SELECT CAST(strftime('%s', a.at) AS INTEGER) * 1000,
       CASE WHEN a.actor_id IS NULL THEN 'cli' ELSE 'user' END,
       a.actor_id,
       COALESCE(u.name, 'command line'),
       CASE
           WHEN a.action LIKE '%report%' OR a.action LIKE '%share_link%' THEN 'reports'
           WHEN a.action LIKE '%kpi%' OR a.action = 'set_target' THEN 'kpis'
           WHEN a.action LIKE '%expense%' OR a.action LIKE '%contract%' OR a.action LIKE 'budget%' THEN 'budgets'
           WHEN a.action = 'change_password' THEN 'account'
           ELSE 'admin'
       END,
       a.action,
       a.detail
FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
ORDER BY a.id;

DROP TABLE audit_log;

-- Nothing in the app may rewrite or remove history.
CREATE TRIGGER audit_events_cannot_change
BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be changed');
END;

CREATE TRIGGER audit_events_cannot_be_deleted
BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit trail cannot be deleted');
END;
