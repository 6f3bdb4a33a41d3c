-- Unit economics: a cost per unit is a KPI whose monthly values Strategy computes as a
-- technology cost (all spending, cloud cost, or one system's cost) divided by a business KPI
-- (customers, orders, API calls). `kpis.kept_by` names the part of Northstar that writes a
-- KPI's measurements; such a KPI takes none by hand, by CSV or by the API.
ALTER TABLE kpis ADD COLUMN kept_by TEXT;

CREATE TABLE unit_costs (
    kpi_id      INTEGER PRIMARY KEY REFERENCES kpis(id) ON DELETE CASCADE,
    cost        TEXT NOT NULL CHECK (cost IN ('technology', 'cloud', 'system')),
    system_id   INTEGER REFERENCES systems(id) ON DELETE CASCADE,
    per_kpi_id  INTEGER NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    -- The cost is per this many units of the denominator: 1, 1,000 (cost per thousand API
    -- calls) or 1,000,000, so a fraction of a cent still shows.
    per_units   INTEGER NOT NULL DEFAULT 1 CHECK (per_units IN (1, 1000, 1000000)),
    CHECK ((cost = 'system') = (system_id IS NOT NULL)),
    CHECK (per_kpi_id <> kpi_id)
);
CREATE INDEX unit_costs_per ON unit_costs(per_kpi_id);

-- A cost per unit that loses its system or its denominator stops being computed; its KPI
-- keeps its history and takes measurements again like any other.
CREATE TRIGGER unit_costs_release AFTER DELETE ON unit_costs
BEGIN
    UPDATE kpis SET kept_by = NULL WHERE id = OLD.kpi_id;
END;
