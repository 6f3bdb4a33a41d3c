-- Cloud and SaaS cost from FOCUS exports: each import's cost summed per month, provider,
-- account, service and tags; the CTO's mapping rules that give each such line a department,
-- a system and an investment category; and the Cloud expenses the mapped cost becomes.

CREATE TABLE cloud_rules (
    id                      INTEGER PRIMARY KEY,
    -- Tried in ascending order; the first that matches decides.
    priority                INTEGER NOT NULL,
    match_on                TEXT NOT NULL CHECK (match_on IN ('tag', 'account', 'service', 'provider')),
    tag_key                 TEXT NOT NULL DEFAULT '',
    match_value             TEXT NOT NULL CHECK (match_value <> ''),
    department_id           INTEGER NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
    system_id               INTEGER REFERENCES systems(id) ON DELETE SET NULL,
    investment_category_id  INTEGER REFERENCES investment_categories(id) ON DELETE SET NULL,
    created_at              INTEGER NOT NULL,
    CHECK ((match_on = 'tag') = (tag_key <> ''))
);

CREATE TABLE cloud_imports (
    id               INTEGER PRIMARY KEY,
    file_name        TEXT NOT NULL DEFAULT '',
    rows             INTEGER NOT NULL,
    billed_minor     INTEGER NOT NULL,
    effective_minor  INTEGER NOT NULL,
    first_month      INTEGER NOT NULL,   -- YYYYMM
    last_month       INTEGER NOT NULL,
    providers        TEXT NOT NULL,      -- comma-separated, for the list
    imported_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    imported_at      INTEGER NOT NULL
);

-- One line per month, provider, account, service and tags of an import. A later import of the
-- same provider and month replaces these lines. The mapping columns are the rules' verdict,
-- written again whenever the rules change; NULL department: no rule matches yet.
CREATE TABLE cloud_costs (
    id                      INTEGER PRIMARY KEY,
    import_id               INTEGER NOT NULL REFERENCES cloud_imports(id) ON DELETE CASCADE,
    month                   INTEGER NOT NULL,
    provider                TEXT NOT NULL,
    account_id              TEXT NOT NULL,
    account_name            TEXT NOT NULL,
    service                 TEXT NOT NULL,
    tags                    TEXT NOT NULL,   -- JSON object, keys sorted
    rows                    INTEGER NOT NULL,
    billed_minor            INTEGER NOT NULL,
    effective_minor         INTEGER NOT NULL,
    rule_id                 INTEGER REFERENCES cloud_rules(id) ON DELETE SET NULL,
    department_id           INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    system_id               INTEGER REFERENCES systems(id) ON DELETE SET NULL,
    investment_category_id  INTEGER REFERENCES investment_categories(id) ON DELETE SET NULL
);
CREATE INDEX cloud_costs_period ON cloud_costs(provider, month);
CREATE INDEX cloud_costs_import ON cloud_costs(import_id);
CREATE INDEX cloud_costs_system ON cloud_costs(system_id, month, effective_minor) WHERE system_id IS NOT NULL;

-- Expenses another part of Northstar keeps ('cloud': the monthly totals of mapped cloud cost).
-- They are written again from their source, so the expense form does not edit them. No CHECK:
-- SQLite cannot widen one later, and only Northstar's code writes it.
ALTER TABLE expenses ADD COLUMN origin TEXT;
CREATE INDEX expenses_origin ON expenses(origin, month) WHERE origin IS NOT NULL;

-- A contract may pay for one system (a SaaS subscription, a support plan), which counts it in
-- that system's cost.
ALTER TABLE contracts ADD COLUMN system_id INTEGER REFERENCES systems(id) ON DELETE SET NULL;
