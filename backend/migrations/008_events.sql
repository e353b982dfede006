-- Live updates: one row for every change to a case, written by triggers in the transaction of
-- the change, so no code path that changes a case can forget to tell the open pages. Streams
-- (`GET /api/v1/events`) read new rows after each commit; a reconnecting page asks for the rows
-- after the last id it saw. Rows older than a day are swept.
--
-- `support_only` marks changes partners must not even hear of (internal notes).
CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    support_only INTEGER NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX events_case ON events(case_id, id);
CREATE INDEX events_at ON events(at);

-- A record is every change a partner sees: filing, replies, questions, answers, status changes,
-- assignment and expiry all write one.
CREATE TRIGGER events_on_record AFTER INSERT ON records
BEGIN
    INSERT INTO events (case_id, support_only, at) VALUES (NEW.case_id, 0, NEW.at);
END;

CREATE TRIGGER events_on_note AFTER INSERT ON notes
BEGIN
    INSERT INTO events (case_id, support_only, at) VALUES (NEW.case_id, 1, NEW.at);
END;
