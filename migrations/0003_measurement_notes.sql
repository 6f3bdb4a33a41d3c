-- Measurements with a note are drawn as annotations; find them without scanning the series.
CREATE INDEX measurements_with_notes ON measurements(kpi_id, ts) WHERE note IS NOT NULL AND note <> '';
