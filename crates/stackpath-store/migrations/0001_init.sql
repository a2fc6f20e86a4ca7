-- Stackpath database, schema version 1.
--
-- Applied once, in its own transaction, by `migrate.rs`; never edit a
-- migration that has shipped: add the next numbered file instead.
-- Dates are `YYYY-MM-DD`, timestamps RFC 3339 in UTC with milliseconds.

CREATE TABLE learners (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    -- The credential id of the learner's goal, `publisher:local`.
    target     TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Credentials a learner already holds, in the order the learner listed them.
CREATE TABLE holdings (
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    credential TEXT NOT NULL,
    earned     TEXT NOT NULL CHECK (date(earned) IS earned),
    source     TEXT,
    PRIMARY KEY (learner_id, position)
) STRICT, WITHOUT ROWID;

-- One row per learner, written together with the learner.
CREATE TABLE constraints (
    learner_id      INTEGER PRIMARY KEY REFERENCES learners (id) ON DELETE CASCADE,
    start           TEXT CHECK (start IS NULL OR date(start) IS start),
    hours_per_week  REAL,
    budget_amount   REAL,
    budget_currency TEXT,
    CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
) STRICT;

-- Credentials the learner does not want in a plan (`constraints.avoid`).
CREATE TABLE avoids (
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    credential TEXT NOT NULL,
    PRIMARY KEY (learner_id, position)
) STRICT, WITHOUT ROWID;

-- Pathway files as imported, byte for byte, so that a signature can be
-- checked again later. Importing a file of the same name replaces it and
-- bumps `revision`.
CREATE TABLE pathway_files (
    name        TEXT PRIMARY KEY,
    content     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    -- The file's own `version` member, when it has one.
    version     TEXT,
    revision    INTEGER NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

-- Saved plans ("scenarios") an advisor keeps to compare what-ifs.
CREATE TABLE plans (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    objective  TEXT NOT NULL,
    plan_json  TEXT NOT NULL CHECK (json_valid(plan_json)),
    created_at TEXT NOT NULL,
    UNIQUE (learner_id, name)
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
