-- Strategy: the business's objectives for a period and the KPIs that measure them, and the
-- technology initiatives that serve them, with milestones, a budget, the systems they touch
-- and the expenses booked to them. Health is computed when read, never stored.

-- One set that covers all work without overlap; budget lines and expenses take it later.
CREATE TABLE investment_categories (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO investment_categories (name, position) VALUES
    ('New capabilities', 1), ('Improvement of existing products', 2), ('Keeping the lights on', 3),
    ('Technical debt', 4), ('Security and compliance', 5);

CREATE TABLE objectives (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description   TEXT NOT NULL DEFAULT '',
    owner_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    starts_on     TEXT NOT NULL,   -- YYYY-MM-DD
    ends_on       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (ends_on > starts_on)
);

-- The KPIs that measure an objective, each with the value it must reach by the period's end.
CREATE TABLE objective_kpis (
    objective_id  INTEGER NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    kpi_id        INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    target        REAL NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (objective_id, kpi_id)
) WITHOUT ROWID;
CREATE INDEX objective_kpis_kpi ON objective_kpis(kpi_id);

CREATE TABLE initiatives (
    id             INTEGER PRIMARY KEY,
    -- NULL: work that serves no stated objective (it still has a category and a budget).
    objective_id   INTEGER REFERENCES objectives(id) ON DELETE SET NULL,
    title          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description    TEXT NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
    starts_on      TEXT NOT NULL,
    target_on      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'in_progress', 'done', 'stopped')),
    category_id    INTEGER NOT NULL REFERENCES investment_categories(id) ON DELETE RESTRICT,
    budget_minor   INTEGER NOT NULL DEFAULT 0 CHECK (budget_minor >= 0),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK (target_on >= starts_on)
);
CREATE INDEX initiatives_objective ON initiatives(objective_id);
CREATE INDEX initiatives_department ON initiatives(department_id);

CREATE TABLE milestones (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    done_on        TEXT,           -- NULL: not reached yet
    UNIQUE (initiative_id, title)
);
CREATE INDEX milestones_initiative ON milestones(initiative_id, due_on);

CREATE TABLE initiative_systems (
    initiative_id  INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    system_id      INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, system_id)
) WITHOUT ROWID;
CREATE INDEX initiative_systems_system ON initiative_systems(system_id);

-- The spend of an initiative is the expenses booked to it.
ALTER TABLE expenses ADD COLUMN initiative_id INTEGER REFERENCES initiatives(id) ON DELETE SET NULL;
CREATE INDEX expenses_initiative ON expenses(initiative_id) WHERE initiative_id IS NOT NULL;
