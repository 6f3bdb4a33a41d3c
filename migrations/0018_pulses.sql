-- Satisfaction pulses: a short survey the CTO sends to chosen roles and departments, once or
-- on a schedule; each sending is a round. Answers are anonymous: who answered a round and what
-- was answered are kept in tables that share nothing but the round.

CREATE TABLE pulses (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(title) BETWEEN 1 AND 60),
    question     TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    scale        TEXT NOT NULL CHECK (scale IN ('five', 'ten')),
    every        TEXT NOT NULL CHECK (every IN ('once', 'month', 'quarter')),
    -- Comma-separated roles asked: department_head, investor.
    roles        TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

-- The departments whose heads are asked; none: every department.
CREATE TABLE pulse_departments (
    pulse_id       INTEGER NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
    department_id  INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    PRIMARY KEY (pulse_id, department_id)
) WITHOUT ROWID;

CREATE TABLE pulse_rounds (
    id         INTEGER PRIMARY KEY,
    pulse_id   INTEGER NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
    opens_at   INTEGER NOT NULL,
    closes_at  INTEGER NOT NULL CHECK (closes_at > opens_at)
);
CREATE INDEX pulse_rounds_pulse ON pulse_rounds(pulse_id, opens_at);

-- Who has answered a round, so nobody answers twice. No time and no row order: nothing here
-- can be matched with an answer.
CREATE TABLE pulse_responded (
    round_id  INTEGER NOT NULL REFERENCES pulse_rounds(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;

-- What was answered: the score, an optional comment, and the department it counts for (the
-- answerer's, for a head; none for an investor).
CREATE TABLE pulse_answers (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES pulse_rounds(id) ON DELETE CASCADE,
    department_id  INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    score          INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment        TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000)
);
CREATE INDEX pulse_answers_round ON pulse_answers(round_id, department_id);

-- The KPI each pulse keeps a score in: one per department, and the company's (department NULL).
CREATE TABLE pulse_kpis (
    pulse_id       INTEGER NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
    department_id  INTEGER REFERENCES departments(id) ON DELETE CASCADE,
    kpi_id         INTEGER NOT NULL UNIQUE REFERENCES kpis(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX pulse_kpis_group ON pulse_kpis(pulse_id, coalesce(department_id, 0));
