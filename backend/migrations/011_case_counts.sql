-- The case list's totals without counting rows: how many cases each submitter has in each
-- status and type, kept by triggers in the transaction of every change. A list's total is the
-- sum of a few of these rows instead of a count over every matching case (100 000 of them for
-- a large company's unfiltered list). Searches still count their few matches.
CREATE TABLE case_counts (
    company_id   INTEGER NOT NULL,
    submitter_id INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    case_type    TEXT    NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (company_id, submitter_id, status, case_type)
);

INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
    SELECT company_id, submitter_id, status, case_type, COUNT(*) FROM cases
    GROUP BY company_id, submitter_id, status, case_type;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
        VALUES (NEW.company_id, NEW.submitter_id, NEW.status, NEW.case_type, 1)
        ON CONFLICT (company_id, submitter_id, status, case_type)
        DO UPDATE SET n = case_counts.n + 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF company_id, submitter_id, status, case_type ON cases
WHEN OLD.company_id IS NOT NEW.company_id OR OLD.submitter_id IS NOT NEW.submitter_id
  OR OLD.status IS NOT NEW.status OR OLD.case_type IS NOT NEW.case_type
BEGIN
    UPDATE case_counts SET n = n - 1
        WHERE company_id = OLD.company_id AND submitter_id = OLD.submitter_id
          AND status = OLD.status AND case_type = OLD.case_type;
    INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
        VALUES (NEW.company_id, NEW.submitter_id, NEW.status, NEW.case_type, 1)
        ON CONFLICT (company_id, submitter_id, status, case_type)
        DO UPDATE SET n = case_counts.n + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_counts SET n = n - 1
        WHERE company_id = OLD.company_id AND submitter_id = OLD.submitter_id
          AND status = OLD.status AND case_type = OLD.case_type;
END;
