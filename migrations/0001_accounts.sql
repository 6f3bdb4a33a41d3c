-- Departments, people and their sessions.

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 80),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A department's head is the department_head user bound to it, so the binding lives in one
-- place (users.department_id) and cannot disagree with a second copy on departments.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('cto', 'department_head', 'investor')),
    department_id  INTEGER REFERENCES departments(id) ON DELETE RESTRICT,
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((role = 'department_head') = (department_id IS NOT NULL))
);
CREATE INDEX users_department ON users(department_id);

-- Only a hash of the session token is stored: a copy of the database does not let anyone in.
CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,  -- unix seconds
    last_seen_at  INTEGER NOT NULL,  -- unix seconds
    client        TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Who changed what, for the administrative actions a CTO may later need to account for.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    actor_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL
);
