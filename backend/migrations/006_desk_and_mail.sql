-- The support desk and the partners' emails.

-- Each account's language (its emails are written in it) and whether it wants emails at all.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 1;

-- Why support rejected a case (rejected records only).
ALTER TABLE records ADD COLUMN reason TEXT;

-- When the partner first fetched the answer (copied the key, downloaded the file): no expiry
-- reminder after that.
ALTER TABLE cases ADD COLUMN answer_retrieved_at INTEGER;
CREATE INDEX cases_status_owner_updated ON cases(status, owner_id, updated_at);

-- Support's internal notes: a table of their own, so no query that builds a partner's answer
-- can reach them by forgetting a filter.
CREATE TABLE notes (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    message   TEXT    NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX notes_case ON notes(case_id, id);

-- Replies support keeps at hand, one row per topic and language.
CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    topic      TEXT    NOT NULL,
    language   TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (topic, language)
);

-- Emails to send, written in the transaction of the change they tell about, sent by a worker.
-- `dedupe_key` makes enqueueing the same news twice (a reminder scan run again) a no-op.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    kind            TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    -- Set once the mail server took it, or once kept (no mail server configured).
    sent_at         INTEGER,
    kept            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;
