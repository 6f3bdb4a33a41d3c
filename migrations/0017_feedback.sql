-- Stakeholder feedback: requests, problems and praise from anyone signed in, about a KPI, a
-- system, a budget category, a report or technology in general; the CTO's answers as they
-- move through the workflow; votes and comments; and the notices that tell an author.

CREATE TABLE feedback_items (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('request', 'problem', 'praise')),
    -- What it is about; the matching id below says which one (none for technology).
    about           TEXT NOT NULL CHECK (about IN ('technology', 'kpi', 'system', 'budget', 'report')),
    kpi_id          INTEGER REFERENCES kpis(id) ON DELETE SET NULL,
    system_id       INTEGER REFERENCES systems(id) ON DELETE SET NULL,
    category_id     INTEGER REFERENCES budget_categories(id) ON DELETE SET NULL,
    report_id       INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body            TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 4000),
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- The author's department when a head filed it: its head and the CTO see it, another
    -- department's head does not. NULL: company-wide (the CTO's own items).
    department_id   INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    -- An investor's item: only its author and the CTO see it.
    private         INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
    state           TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'under_review', 'planned', 'done', 'declined')),
    -- The CTO's latest public answer.
    answer          TEXT NOT NULL DEFAULT '',
    -- A planned item names the work that answers it.
    initiative_id   INTEGER REFERENCES initiatives(id) ON DELETE SET NULL,
    radar_entry_id  INTEGER REFERENCES radar_entries(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    -- When the CTO first answered or moved it; when it was last done or declined.
    answered_at     INTEGER,
    closed_at       INTEGER,
    updated_at      INTEGER NOT NULL,
    CHECK ((state IN ('done', 'declined')) = (closed_at IS NOT NULL))
);
CREATE INDEX feedback_items_state ON feedback_items(state, created_at);
CREATE INDEX feedback_items_kpi ON feedback_items(kpi_id) WHERE kpi_id IS NOT NULL;
CREATE INDEX feedback_items_system ON feedback_items(system_id) WHERE system_id IS NOT NULL;
CREATE INDEX feedback_items_category ON feedback_items(category_id) WHERE category_id IS NOT NULL;
CREATE INDEX feedback_items_report ON feedback_items(report_id) WHERE report_id IS NOT NULL;
CREATE INDEX feedback_items_author ON feedback_items(author_id);

-- Each move and answer, kept as the item's history: what its author and readers see.
CREATE TABLE feedback_answers (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES feedback_items(id) ON DELETE CASCADE,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    by_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX feedback_answers_item ON feedback_answers(item_id, id);

CREATE TABLE feedback_votes (
    item_id     INTEGER NOT NULL REFERENCES feedback_items(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    PRIMARY KEY (item_id, user_id)
) WITHOUT ROWID;

CREATE TABLE feedback_comments (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES feedback_items(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    at          INTEGER NOT NULL
);
CREATE INDEX feedback_comments_item ON feedback_comments(item_id, id);

-- What a user is told in the app: "Your request … is planned". Read when they open it.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    item_id     INTEGER REFERENCES feedback_items(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notices_unread ON notices(user_id) WHERE read_at IS NULL;
