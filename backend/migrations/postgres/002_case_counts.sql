-- SQLite's 011: the case list's totals without counting rows (see there), kept by one trigger
-- function for inserts, changes and deletes.
CREATE TABLE case_counts (
    company_id   BIGINT NOT NULL,
    submitter_id BIGINT NOT NULL,
    status       TEXT   NOT NULL,
    case_type    TEXT   NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (company_id, submitter_id, status, case_type)
);

INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
    SELECT company_id, submitter_id, status, case_type, COUNT(*) FROM cases
    GROUP BY company_id, submitter_id, status, case_type;

CREATE FUNCTION case_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_counts SET n = n - 1
            WHERE company_id = OLD.company_id AND submitter_id = OLD.submitter_id
              AND status = OLD.status AND case_type = OLD.case_type;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO case_counts (company_id, submitter_id, status, case_type, n)
            VALUES (NEW.company_id, NEW.submitter_id, NEW.status, NEW.case_type, 1)
            ON CONFLICT (company_id, submitter_id, status, case_type)
            DO UPDATE SET n = case_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_change();
CREATE TRIGGER case_counts_update
    AFTER UPDATE OF company_id, submitter_id, status, case_type ON cases
    FOR EACH ROW
    WHEN ((OLD.company_id, OLD.submitter_id, OLD.status, OLD.case_type)
          IS DISTINCT FROM (NEW.company_id, NEW.submitter_id, NEW.status, NEW.case_type))
    EXECUTE FUNCTION case_counts_change();
