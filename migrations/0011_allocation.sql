-- Investment allocation: budget lines and expenses carry an investment category (initiatives
-- already do), and the CTO sets a target share for any category. An expense without its own
-- category takes its initiative's, then its budget line's; that is resolved when read, so
-- changing an initiative's or a line's category moves its money at once.

ALTER TABLE investment_categories ADD COLUMN target_rule TEXT CHECK (target_rule IN ('at_least', 'at_most'));
ALTER TABLE investment_categories ADD COLUMN target_pct INTEGER CHECK (target_pct BETWEEN 0 AND 100);

ALTER TABLE budget_lines ADD COLUMN investment_category_id INTEGER REFERENCES investment_categories(id) ON DELETE RESTRICT;
ALTER TABLE expenses ADD COLUMN investment_category_id INTEGER REFERENCES investment_categories(id) ON DELETE RESTRICT;
CREATE INDEX expenses_investment ON expenses(investment_category_id) WHERE investment_category_id IS NOT NULL;

-- An initiative's spend summed from the index alone, without reading each expense's row.
DROP INDEX expenses_initiative;
CREATE INDEX expenses_initiative ON expenses(initiative_id, amount_minor) WHERE initiative_id IS NOT NULL;

-- Monthly sums kept by triggers like expense_months, with the two keys the category is
-- resolved from (0 for none), so the allocation page reads a few thousand rows.
CREATE TABLE allocation_months (
    month          INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    category_id    INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    investment_id  INTEGER NOT NULL,
    initiative_id  INTEGER NOT NULL,
    total_minor    INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (month, department_id, category_id, kind, investment_id, initiative_id)
) WITHOUT ROWID;

INSERT INTO allocation_months
SELECT month, department_id, category_id, kind, coalesce(investment_category_id, 0), coalesce(initiative_id, 0), sum(amount_minor), count(*)
FROM expenses GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER expenses_allocation_insert AFTER INSERT ON expenses BEGIN
    INSERT INTO allocation_months VALUES (NEW.month, NEW.department_id, NEW.category_id, NEW.kind,
        coalesce(NEW.investment_category_id, 0), coalesce(NEW.initiative_id, 0), NEW.amount_minor, 1)
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor, n = n + 1;
END;

CREATE TRIGGER expenses_allocation_delete AFTER DELETE ON expenses BEGIN
    UPDATE allocation_months SET total_minor = total_minor - OLD.amount_minor, n = n - 1
    WHERE month = OLD.month AND department_id = OLD.department_id AND category_id = OLD.category_id AND kind = OLD.kind
      AND investment_id = coalesce(OLD.investment_category_id, 0) AND initiative_id = coalesce(OLD.initiative_id, 0);
END;

-- Also fires when deleting an initiative sets its expenses' initiative_id to NULL.
CREATE TRIGGER expenses_allocation_update
AFTER UPDATE OF month, amount_minor, department_id, category_id, kind, investment_category_id, initiative_id ON expenses BEGIN
    UPDATE allocation_months SET total_minor = total_minor - OLD.amount_minor, n = n - 1
    WHERE month = OLD.month AND department_id = OLD.department_id AND category_id = OLD.category_id AND kind = OLD.kind
      AND investment_id = coalesce(OLD.investment_category_id, 0) AND initiative_id = coalesce(OLD.initiative_id, 0);
    INSERT INTO allocation_months VALUES (NEW.month, NEW.department_id, NEW.category_id, NEW.kind,
        coalesce(NEW.investment_category_id, 0), coalesce(NEW.initiative_id, 0), NEW.amount_minor, 1)
    ON CONFLICT DO UPDATE SET total_minor = total_minor + excluded.total_minor, n = n + 1;
END;
