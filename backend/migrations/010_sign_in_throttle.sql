-- Sign-in throttling's state (`throttle.rs`), in the database so that every instance on it
-- applies the same limits. Times are Unix milliseconds.

-- Failures in a row of one account from one address.
CREATE TABLE throttle_backoffs (
    account  TEXT    NOT NULL,
    address  TEXT    NOT NULL,
    failures INTEGER NOT NULL,
    last_ms  INTEGER NOT NULL,
    PRIMARY KEY (account, address)
);
CREATE INDEX throttle_backoffs_last ON throttle_backoffs(last_ms);

-- Each address's token bucket and its last failure.
CREATE TABLE throttle_addresses (
    address         TEXT    PRIMARY KEY,
    tokens          REAL    NOT NULL,
    at_ms           INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL
);
CREATE INDEX throttle_addresses_last_failure ON throttle_addresses(last_failure_ms);

-- Addresses someone signed in from successfully (their checks go first when busy).
CREATE TABLE throttle_known (
    address TEXT    PRIMARY KEY,
    at_ms   INTEGER NOT NULL
);
CREATE INDEX throttle_known_at ON throttle_known(at_ms);

-- The one bucket over every failure.
CREATE TABLE throttle_global (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    tokens REAL    NOT NULL,
    at_ms  INTEGER NOT NULL
);
