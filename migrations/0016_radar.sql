-- The technology radar: entries in four quadrants and four rings, each move between rings a
-- dated decision with its reasoning, and dated editions frozen as they were published.

-- The chart has four quadrants; the CTO names them.
CREATE TABLE radar_quadrants (
    position  INTEGER PRIMARY KEY CHECK (position BETWEEN 0 AND 3),
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60)
);
INSERT INTO radar_quadrants (position, name) VALUES
    (0, 'Languages and frameworks'), (1, 'Platforms'), (2, 'Tools'), (3, 'Techniques');

CREATE TABLE radar_entries (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    quadrant        INTEGER NOT NULL REFERENCES radar_quadrants(position),
    -- 'proposed' waits for the CTO; 'placed' is on the radar in `ring`; 'declined' was a
    -- proposal the CTO turned down; 'retired' was taken off the radar.
    state           TEXT NOT NULL CHECK (state IN ('proposed', 'placed', 'declined', 'retired')),
    ring            TEXT CHECK (ring IN ('adopt', 'trial', 'assess', 'hold')),
    -- The ring a proposal asks for.
    proposed_ring   TEXT CHECK (proposed_ring IN ('adopt', 'trial', 'assess', 'hold')),
    -- Why it was proposed, with whatever evidence the proposer has.
    proposal        TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    initiative_id   INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    investor_visible INTEGER NOT NULL DEFAULT 0,
    proposed_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- The proposer's department: a head sees their department's proposals, not another's.
    department_id   INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((state = 'placed') = (ring IS NOT NULL))
);

CREATE TABLE radar_entry_systems (
    entry_id   INTEGER NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    system_id  INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, system_id)
) WITHOUT ROWID;
CREATE INDEX radar_entry_systems_system ON radar_entry_systems(system_id);

CREATE TABLE radar_entry_vendors (
    entry_id   INTEGER NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    vendor_id  INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, vendor_id)
) WITHOUT ROWID;

-- Every decision about an entry, kept as history. from_ring NULL: it entered the radar;
-- to_ring NULL: it left it (or, with from_ring NULL too, its proposal was declined).
CREATE TABLE radar_moves (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES radar_entries(id) ON DELETE CASCADE,
    from_ring     TEXT CHECK (from_ring IN ('adopt', 'trial', 'assess', 'hold')),
    to_ring       TEXT CHECK (to_ring IN ('adopt', 'trial', 'assess', 'hold')),
    decided_on    TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (length(reason) > 0),
    -- Links, a trial's results: Markdown.
    evidence      TEXT NOT NULL DEFAULT '',
    -- What adopting it is estimated to cost, in minor units.
    cost_minor    INTEGER CHECK (cost_minor >= 0),
    decided_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- The decider's name as it was, so the history reads the same after an account goes.
    decided_by_name TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX radar_moves_entry ON radar_moves(entry_id, decided_on);

-- A published edition never changes: the snapshot holds the entries, the quadrants' names and
-- the drawn picture as they were.
CREATE TABLE radar_editions (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    published_on  TEXT NOT NULL,
    snapshot      TEXT NOT NULL,
    published_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL
);

CREATE TRIGGER radar_editions_are_frozen
BEFORE UPDATE OF title, published_on, snapshot, created_at ON radar_editions
BEGIN
    SELECT RAISE(ABORT, 'published radar editions cannot be changed');
END;

-- Whether investor reports show the radar (only its entries marked for investors).
INSERT INTO settings (key, value) VALUES ('investors_see_radar', '0');
