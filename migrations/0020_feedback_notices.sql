-- Feedback's notices to an item's author also go out through the author's own notification
-- channels, on the channels that ask for them.

-- Channels that asked for everything (every rule, every department, not only critical) take
-- them from now on; the others keep receiving only what they chose.
ALTER TABLE alert_channels ADD COLUMN feedback INTEGER NOT NULL DEFAULT 0 CHECK (feedback IN (0, 1));
UPDATE alert_channels SET feedback = 1 WHERE rules = '' AND department_id IS NULL AND min_severity = 'warning';

-- A delivery may now tell of feedback, not only of an alert: the table is rebuilt for its list
-- of events. Nothing refers to it, so it is copied, dropped and renamed in place.
CREATE TABLE alert_deliveries_new (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL REFERENCES alert_channels(id) ON DELETE CASCADE,
    alert_id     INTEGER REFERENCES alerts(id) ON DELETE SET NULL,
    event        TEXT NOT NULL CHECK (event IN ('fired', 'escalated', 'repeat', 'resolved', 'test', 'feedback')),
    rule         TEXT NOT NULL,
    severity     TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    link         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    last_status  INTEGER,
    last_error   TEXT,
    last_ms      INTEGER,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER
);
INSERT INTO alert_deliveries_new SELECT id, channel_id, alert_id, event, rule, severity, title, summary, link, state, attempts,
       next_at, last_status, last_error, last_ms, created_at, sent_at FROM alert_deliveries;
DROP TABLE alert_deliveries;
ALTER TABLE alert_deliveries_new RENAME TO alert_deliveries;
CREATE INDEX alert_deliveries_due ON alert_deliveries(next_at) WHERE state IN ('pending', 'sending');
CREATE INDEX alert_deliveries_channel ON alert_deliveries(channel_id, id);

-- How far the relay has read another area's notices: the last one it queued deliveries for.
-- Notices from before this migration were told in the app only.
CREATE TABLE alert_relayed (
    source   TEXT PRIMARY KEY CHECK (source IN ('feedback')),
    last_id  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO alert_relayed (source, last_id) SELECT 'feedback', coalesce(max(id), 0) FROM notices;
