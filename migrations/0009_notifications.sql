-- Notifications: where alerts go (channels), what was sent where (deliveries), how often an
-- open alert is repeated, and muting.

-- The rules table is rebuilt without its list of kinds: the kinds are the application's enum,
-- and new ones then need a row, not another rebuild. `alerts` refers to it by name, so the
-- rebuilt table takes the old one's place, and its rows go in after the rename: that settles
-- the references the drop left open (deferred, they are checked at commit).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE alert_rules_new (
    kind            TEXT PRIMARY KEY,
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    threshold       INTEGER NOT NULL CHECK (threshold >= 0),
    hold_minutes    INTEGER NOT NULL DEFAULT 15 CHECK (hold_minutes >= 0),
    -- An alert nobody has acknowledged is sent again after this many minutes; 0: never.
    repeat_minutes  INTEGER NOT NULL DEFAULT 240 CHECK (repeat_minutes >= 0)
);
CREATE TEMP TABLE alert_rules_kept AS SELECT kind, enabled, threshold, hold_minutes FROM alert_rules;
DROP TABLE alert_rules;
ALTER TABLE alert_rules_new RENAME TO alert_rules;
-- Inserted after the rename, so each row settles the references the drop left open.
INSERT INTO alert_rules (kind, enabled, threshold, hold_minutes) SELECT kind, enabled, threshold, hold_minutes FROM alert_rules_kept;
DROP TABLE alert_rules_kept;

-- Two budget rules: a year-end forecast more than 10 % over budget; spending to date amber
-- or red against the plan to date (1: amber or red; 2: red only).
INSERT INTO alert_rules (kind, threshold) VALUES ('budget_forecast', 10), ('spend_variance', 1);
-- A system that has used more than 80 % of the month's error budget (critical past 100 %).
INSERT INTO alert_rules (kind, threshold) VALUES ('error_budget', 80);

-- When the certificate an HTTPS check last saw expires (unix seconds), for the TLS rule.
ALTER TABLE checks ADD COLUMN tls_expires_at INTEGER;
-- Certificates that expire within 14 days (critical within 3, or expired).
INSERT INTO alert_rules (kind, threshold) VALUES ('tls_expiry', 14);

-- When an alert was last sent out (its start, an escalation or a repeat); NULL: never.
ALTER TABLE alerts ADD COLUMN notified_at INTEGER;
-- A resolution is told once the condition has stayed away for the rule's hold time, so a
-- flapping condition is one notice when it starts and one when it is really over.
ALTER TABLE alerts ADD COLUMN resolve_notified INTEGER NOT NULL DEFAULT 0 CHECK (resolve_notified IN (0, 1));
-- Muted: nothing is sent about it, and the bell does not count it, until then.
ALTER TABLE alerts ADD COLUMN muted_until INTEGER;
ALTER TABLE alerts ADD COLUMN muted_by TEXT;

-- Alerts from before notifications existed were never sent; none is told of late.
UPDATE alerts SET notified_at = updated_at, resolve_notified = 1;

CREATE INDEX alerts_resolve_pending ON alerts(resolved_at) WHERE resolve_notified = 0 AND resolved_at IS NOT NULL;

-- A destination for alerts, owned by the account that set it up. What it receives is what its
-- owner may see, judged when each alert is sent: the CTO's channels every alert (or one
-- department's), a department head's their own department's only.
CREATE TABLE alert_channels (
    id             INTEGER PRIMARY KEY,
    owner_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    -- generic, slack and teams are webhooks (JSON POSTed to `target`); email sends to `target`.
    format         TEXT NOT NULL CHECK (format IN ('generic', 'slack', 'teams', 'email')),
    target         TEXT NOT NULL,
    -- The webhook's HMAC-SHA256 key. Only signatures leave the server; the page never shows it.
    secret         TEXT,
    -- Comma-separated rule kinds; empty: every rule.
    rules          TEXT NOT NULL DEFAULT '',
    -- For the CTO's channels: one department's alerts only. NULL: all the owner sees.
    department_id  INTEGER REFERENCES departments(id) ON DELETE CASCADE,
    min_severity   TEXT NOT NULL DEFAULT 'warning' CHECK (min_severity IN ('warning', 'critical')),
    enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at     INTEGER NOT NULL
);
CREATE INDEX alert_channels_owner ON alert_channels(owner_id);

-- One message to one channel: written in the same transaction as the alert change it tells
-- of (so none is lost to a crash), then sent, and retried with backoff until it goes or gives
-- up. What it says is kept as it was when the alert changed.
CREATE TABLE alert_deliveries (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
    alert_id     INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
    event        TEXT NOT NULL CHECK (event IN ('fired', 'escalated', 'repeat', 'resolved', 'test')),
    rule         TEXT NOT NULL,
    severity     TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    link         TEXT NOT NULL,
    -- pending: waiting for its next attempt; sending: taken by the sender until `next_at`
    -- (a sender that died leaves it to be taken again); sent; failed: given up.
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    last_status  INTEGER,
    last_error   TEXT,
    last_ms      INTEGER,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
CREATE INDEX alert_deliveries_due ON alert_deliveries(next_at) WHERE state IN ('pending', 'sending');
CREATE INDEX alert_deliveries_channel ON alert_deliveries(channel_id, id);
