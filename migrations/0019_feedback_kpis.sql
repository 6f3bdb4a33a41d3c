-- Feedback's response times kept as KPIs, once the CTO asks: which KPI holds which measure.
-- Deleting the KPI deletes its row, and the measure is no longer kept until the CTO asks again.
CREATE TABLE feedback_kpis (
    measure  TEXT PRIMARY KEY CHECK (measure IN ('first_answer', 'close')),
    kpi_id   INTEGER NOT NULL UNIQUE REFERENCES kpis(id) ON DELETE CASCADE
) WITHOUT ROWID;
