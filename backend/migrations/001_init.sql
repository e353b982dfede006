-- The reference backend's schema. Times are Unix milliseconds, UTC.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    region      TEXT    NOT NULL DEFAULT 'EU',
    verified    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER REFERENCES companies(id),
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    phone         TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL CHECK (role IN ('installer', 'reseller', 'support')),
    password_hash TEXT    NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies(id),
    submitter_id      INTEGER NOT NULL REFERENCES users(id),
    case_type         TEXT    NOT NULL,
    method            TEXT    NOT NULL,
    serial            TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    contact_name      TEXT    NOT NULL,
    contact_email     TEXT    NOT NULL,
    contact_phone     TEXT    NOT NULL DEFAULT '',
    description       TEXT    NOT NULL DEFAULT '',
    qr_payload        TEXT    NOT NULL DEFAULT '',
    owner_id          INTEGER REFERENCES users(id),
    answer_kind       TEXT,
    answer_key        TEXT,
    answer_file_id    INTEGER,
    answer_message    TEXT,
    answer_expires_at INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
-- One index per scope and sort, so every list page is an index range scan.
CREATE INDEX cases_company_updated   ON cases(company_id, updated_at);
CREATE INDEX cases_company_created   ON cases(company_id, created_at);
CREATE INDEX cases_submitter_updated ON cases(submitter_id, updated_at);
CREATE INDEX cases_submitter_created ON cases(submitter_id, created_at);
CREATE INDEX cases_updated           ON cases(updated_at);
CREATE INDEX cases_created           ON cases(created_at);
CREATE INDEX cases_serial            ON cases(serial);
CREATE INDEX cases_resolved_expiry   ON cases(answer_expires_at) WHERE status = 'resolved';

CREATE TABLE records (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    kind      TEXT    NOT NULL,
    actor_id  INTEGER NOT NULL REFERENCES users(id),
    message   TEXT    NOT NULL DEFAULT '',
    at        INTEGER NOT NULL
);
CREATE INDEX records_case ON records(case_id, id);

CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    record_id   INTEGER REFERENCES records(id),
    purpose     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    data        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX files_case ON files(case_id);

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users(id),
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Which account a device is bound to on the platform, by its 9-character short serial.
CREATE TABLE device_bindings (
    short_serial TEXT PRIMARY KEY,
    account      TEXT NOT NULL,
    region       TEXT NOT NULL
);
