-- IT budgets: settings, categories, budget lines with kept revisions, vendors, contracts and
-- expenses. Money is integer minor units of the one configured currency.

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES
    ('fiscal_year_start_month', '1'),
    ('variance_amber_pct', '5'),
    ('variance_red_pct', '10');

CREATE TABLE budget_categories (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO budget_categories (name, position) VALUES
    ('Cloud', 1), ('Software and SaaS', 2), ('Hardware', 3), ('Staff', 4), ('Contractors', 5),
    ('Telecom', 6), ('Security', 7), ('Training', 8), ('Other', 9);

-- One line per fiscal year, department, category and CapEx/OpEx; its plan lives in revisions.
CREATE TABLE budget_lines (
    id             INTEGER PRIMARY KEY,
    fiscal_year    INTEGER NOT NULL,
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
    category_id    INTEGER NOT NULL REFERENCES budget_categories(id) ON DELETE RESTRICT,
    kind           TEXT NOT NULL CHECK (kind IN ('capex', 'opex')),
    UNIQUE (fiscal_year, department_id, category_id, kind)
);

-- Every change of a plan is a new row: the first is the original budget, the last the current.
CREATE TABLE budget_revisions (
    id           INTEGER PRIMARY KEY,
    line_id      INTEGER NOT NULL REFERENCES budget_lines(id) ON DELETE CASCADE,
    months       TEXT NOT NULL,     -- twelve amounts, fiscal month order, comma-separated
    total_minor  INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    changed_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    changed_at   INTEGER NOT NULL   -- unix seconds
);
CREATE INDEX budget_revisions_line ON budget_revisions(line_id, id);

CREATE TABLE vendors (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE contracts (
    id                   INTEGER PRIMARY KEY,
    vendor_id            INTEGER NOT NULL REFERENCES vendors(id) ON DELETE RESTRICT,
    name                 TEXT NOT NULL,
    owner                TEXT NOT NULL DEFAULT '',
    department_id        INTEGER REFERENCES departments(id) ON DELETE RESTRICT,  -- NULL: company-wide
    annual_value_minor   INTEGER NOT NULL CHECK (annual_value_minor >= 0),
    starts_on            TEXT NOT NULL,   -- YYYY-MM-DD
    ends_on              TEXT NOT NULL,
    renews_on            TEXT,            -- NULL: does not renew
    notice_days          INTEGER NOT NULL DEFAULT 0 CHECK (notice_days >= 0),
    auto_renew           INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0, 1)),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX contracts_renewal ON contracts(renews_on);

CREATE TABLE expenses (
    id             INTEGER PRIMARY KEY,
    spent_on       TEXT NOT NULL,     -- YYYY-MM-DD
    month          INTEGER NOT NULL,  -- YYYYMM of spent_on, for the rollups
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE RESTRICT,
    category_id    INTEGER NOT NULL REFERENCES budget_categories(id) ON DELETE RESTRICT,
    kind           TEXT NOT NULL CHECK (kind IN ('capex', 'opex')),
    vendor_id      INTEGER REFERENCES vendors(id) ON DELETE RESTRICT,
    description    TEXT NOT NULL DEFAULT '',
    invoice_ref    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'csv', 'demo')),
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at     INTEGER
);
CREATE INDEX expenses_department_date ON expenses(department_id, spent_on);
-- Covers the list's count and total when it filters by vendor or text, without table reads.
CREATE INDEX expenses_date ON expenses(spent_on, department_id, category_id, kind, vendor_id, amount_minor);

-- Monthly sums kept by triggers in the same transaction as every expense write, so the
-- budget pages read a few thousand rows however many expenses there are.
CREATE TABLE expense_months (
    department_id  INTEGER NOT NULL,
    category_id    INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    month          INTEGER NOT NULL,
    total_minor    INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (month, department_id, category_id, kind)
) WITHOUT ROWID;

CREATE TABLE vendor_months (
    vendor_id      INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    total_minor    INTEGER NOT NULL,
    PRIMARY KEY (month, department_id, vendor_id)
) WITHOUT ROWID;

CREATE TRIGGER expenses_rollup_insert AFTER INSERT ON expenses BEGIN
    INSERT INTO expense_months (department_id, category_id, kind, month, total_minor, n)
    VALUES (NEW.department_id, NEW.category_id, NEW.kind, NEW.month, NEW.amount_minor, 1)
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor, n = n + 1;
    INSERT INTO vendor_months (vendor_id, department_id, month, total_minor)
    SELECT NEW.vendor_id, NEW.department_id, NEW.month, NEW.amount_minor WHERE NEW.vendor_id IS NOT NULL
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor;
END;

CREATE TRIGGER expenses_rollup_delete AFTER DELETE ON expenses BEGIN
    UPDATE expense_months SET total_minor = total_minor - OLD.amount_minor, n = n - 1
    WHERE month = OLD.month AND department_id = OLD.department_id AND category_id = OLD.category_id AND kind = OLD.kind;
    UPDATE vendor_months SET total_minor = total_minor - OLD.amount_minor
    WHERE month = OLD.month AND department_id = OLD.department_id AND vendor_id = OLD.vendor_id;
END;

CREATE TRIGGER expenses_rollup_update AFTER UPDATE OF spent_on, month, amount_minor, department_id, category_id, kind, vendor_id ON expenses BEGIN
    UPDATE expense_months SET total_minor = total_minor - OLD.amount_minor, n = n - 1
    WHERE month = OLD.month AND department_id = OLD.department_id AND category_id = OLD.category_id AND kind = OLD.kind;
    UPDATE vendor_months SET total_minor = total_minor - OLD.amount_minor
    WHERE month = OLD.month AND department_id = OLD.department_id AND vendor_id = OLD.vendor_id;
    INSERT INTO expense_months (department_id, category_id, kind, month, total_minor, n)
    VALUES (NEW.department_id, NEW.category_id, NEW.kind, NEW.month, NEW.amount_minor, 1)
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor, n = n + 1;
    INSERT INTO vendor_months (vendor_id, department_id, month, total_minor)
    SELECT NEW.vendor_id, NEW.department_id, NEW.month, NEW.amount_minor WHERE NEW.vendor_id IS NOT NULL
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor;
END;
