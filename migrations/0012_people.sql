-- People cost and software capitalization: teams with their roles' headcount and loaded
-- monthly cost (effective-dated), each team's monthly time allocation, the development stage
-- of capitalizable initiatives, and the closed months whose capitalization is frozen.

CREATE TABLE teams (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX teams_department ON teams(department_id);

-- A team's roles as of a month: the set with the latest `from_month` not after a month is the
-- one in effect. An empty set (no role rows) says the team has nobody from that month on.
CREATE TABLE team_role_sets (
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    from_month  INTEGER NOT NULL,   -- YYYYMM
    PRIMARY KEY (team_id, from_month)
) WITHOUT ROWID;

CREATE TABLE team_roles (
    team_id             INTEGER NOT NULL,
    from_month          INTEGER NOT NULL,
    role                TEXT NOT NULL COLLATE NOCASE,
    headcount           INTEGER NOT NULL CHECK (headcount > 0),
    -- Salary, taxes and benefits of one person for a month, as the company computes it.
    monthly_cost_minor  INTEGER NOT NULL CHECK (monthly_cost_minor >= 0),
    position            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, from_month, role),
    FOREIGN KEY (team_id, from_month) REFERENCES team_role_sets(team_id, from_month) ON DELETE CASCADE
) WITHOUT ROWID;

-- Each team's effort in a month, in whole percent: on an initiative, or on work outside
-- initiatives by investment category. A month's rows add up to 100.
CREATE TABLE time_allocations (
    team_id        INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    month          INTEGER NOT NULL,   -- YYYYMM
    initiative_id  INTEGER REFERENCES initiatives(id) ON DELETE CASCADE,
    category_id    INTEGER REFERENCES investment_categories(id) ON DELETE CASCADE,
    pct            INTEGER NOT NULL CHECK (pct BETWEEN 1 AND 100),
    CHECK ((initiative_id IS NULL) <> (category_id IS NULL))
);
CREATE UNIQUE INDEX time_allocations_initiative ON time_allocations(team_id, month, initiative_id) WHERE initiative_id IS NOT NULL;
CREATE UNIQUE INDEX time_allocations_category ON time_allocations(team_id, month, category_id) WHERE category_id IS NOT NULL;
CREATE INDEX time_allocations_month ON time_allocations(month);
CREATE INDEX time_allocations_of_initiative ON time_allocations(initiative_id) WHERE initiative_id IS NOT NULL;

-- The development stage of a capitalizable initiative: from the day feasibility is
-- established to the day it goes into service (NULL: still in development). An initiative
-- without a start of the stage is not capitalizable.
ALTER TABLE initiatives ADD COLUMN capitalize_from TEXT;
ALTER TABLE initiatives ADD COLUMN in_service_on TEXT;

-- A closed month's capitalization as it was computed when it closed; the report reads it from
-- here ever after, so a later change to a team or an allocation cannot move an audited figure.
CREATE TABLE capitalization_closes (
    month              INTEGER PRIMARY KEY,   -- YYYYMM
    lines              TEXT NOT NULL,          -- JSON array of the month's lines
    people_cost_minor  INTEGER NOT NULL,
    capitalized_minor  INTEGER NOT NULL,
    closed_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    closed_at          INTEGER NOT NULL
);
