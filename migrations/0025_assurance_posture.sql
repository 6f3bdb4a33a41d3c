-- Every review of a system's record of processing (each save, each "confirm unchanged"), so
-- the posture's trend can tell which records were past their yearly review at a month's end.
CREATE TABLE processing_reviews (
    system_id    INTEGER NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
    reviewed_on  TEXT NOT NULL,
    PRIMARY KEY (system_id, reviewed_on)
) WITHOUT ROWID;
INSERT INTO processing_reviews (system_id, reviewed_on) SELECT system_id, reviewed_on FROM processing_records;

-- The posture at the end of each closed month, per reader's scope ('all', or a department's
-- id): worked out the first time it is asked for after the month ends, then kept as it stood,
-- so the trend a board saw last quarter reads the same today.
CREATE TABLE posture_months (
    month    TEXT NOT NULL,
    scope    TEXT NOT NULL,
    -- `assurance::view::PostureFigures` as JSON.
    figures  TEXT NOT NULL,
    PRIMARY KEY (month, scope)
) WITHOUT ROWID;
