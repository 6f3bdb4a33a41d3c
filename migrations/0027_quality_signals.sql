-- A system's quality as its CI pipeline or defect tracker reports it through the token API:
-- a test run's results and coverage, and the defects found in production since the last
-- report. A report carries at least one of them. The same run sent again (same system, source
-- and time) replaces the first, so a pipeline can retry.
CREATE TABLE quality_signals (
    id               INTEGER PRIMARY KEY,
    system_id        INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    at               INTEGER NOT NULL,
    source           TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 100),
    -- The commit, build or release it speaks for.
    reference        TEXT NOT NULL DEFAULT '' CHECK (length(reference) <= 200),
    tests_run        INTEGER CHECK (tests_run > 0),
    tests_passed     INTEGER CHECK (tests_passed >= 0 AND tests_passed <= tests_run),
    -- Line coverage in hundredths of a percent (8125 is 81.25 %), exact as sent.
    coverage_bp      INTEGER CHECK (coverage_bp BETWEEN 0 AND 10000),
    escaped_defects  INTEGER CHECK (escaped_defects >= 0),
    by_label         TEXT NOT NULL,
    CHECK ((tests_run IS NULL) = (tests_passed IS NULL)),
    CHECK (tests_run IS NOT NULL OR coverage_bp IS NOT NULL OR escaped_defects IS NOT NULL),
    UNIQUE (system_id, source, at)
);
CREATE INDEX quality_signals_time ON quality_signals(system_id, at);
