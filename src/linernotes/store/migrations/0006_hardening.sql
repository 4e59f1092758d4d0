-- Schema 6: rows skipped on import, and who has the store open for writing
-- (issue "Hardening").

-- Rows of an imported file that were passed over for an impossible value (a
-- date that does not exist, a negative duration, a key of 99 ...): one row per
-- file and reason, with how many rows, where the first one is and its value.
-- Shown by `linernotes status`.
CREATE TABLE skipped_rows (
    sha256    TEXT NOT NULL,
    name      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    first_at  TEXT NOT NULL,
    example   TEXT NOT NULL,
    PRIMARY KEY (sha256, reason)
);

-- One row per process that has the store open for writing, removed when it
-- closes the store. A row left by a process that is gone means an unclean stop:
-- the next writer checks the file (PRAGMA quick_check) before trusting it.
CREATE TABLE open_writers (
    id         INTEGER PRIMARY KEY,
    pid        INTEGER NOT NULL,
    host       TEXT NOT NULL,
    opened_at  TEXT NOT NULL
);
