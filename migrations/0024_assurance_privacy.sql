-- The record of processing (GDPR Art. 30): for each system, the personal data it holds, why,
-- on what legal basis, for how long, where, with which processors, and when it was last
-- reviewed. One record per system, since the systems are what the company already keeps.

CREATE TABLE processing_records (
    system_id         INTEGER PRIMARY KEY REFERENCES systems(id) ON DELETE CASCADE,
    -- 0: reviewed and found to hold no personal data; the other fields stay empty.
    personal_data     INTEGER NOT NULL CHECK (personal_data IN (0, 1)),
    purpose           TEXT NOT NULL DEFAULT '',
    legal_basis       TEXT CHECK (legal_basis IN ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests')),
    retention         TEXT NOT NULL DEFAULT '',
    hosting           TEXT NOT NULL DEFAULT '',
    -- Data leaves the EEA and the UK: the safeguard (adequacy, SCCs...) is then required.
    transfer          INTEGER NOT NULL DEFAULT 0 CHECK (transfer IN (0, 1)),
    safeguard         TEXT NOT NULL DEFAULT '',
    dpia_required     INTEGER NOT NULL DEFAULT 0 CHECK (dpia_required IN (0, 1)),
    dpia_link         TEXT,
    dpia_on           TEXT,
    reviewed_on       TEXT NOT NULL,
    reviewed_by       TEXT NOT NULL
);
CREATE INDEX processing_records_review ON processing_records(reviewed_on);

-- Kinds of personal data and of people, by their keys in `assurance::privacy`.
CREATE TABLE processing_categories (
    system_id  INTEGER NOT NULL REFERENCES processing_records(system_id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    PRIMARY KEY (system_id, category)
) WITHOUT ROWID;

CREATE TABLE processing_subjects (
    system_id  INTEGER NOT NULL REFERENCES processing_records(system_id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    PRIMARY KEY (system_id, subject)
) WITHOUT ROWID;

-- Processors are vendors, so their contracts (and what they cost) are one click away.
CREATE TABLE processing_processors (
    system_id  INTEGER NOT NULL REFERENCES processing_records(system_id) ON DELETE CASCADE,
    vendor_id  INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    PRIMARY KEY (system_id, vendor_id)
) WITHOUT ROWID;
CREATE INDEX processing_processors_vendor ON processing_processors(vendor_id);
