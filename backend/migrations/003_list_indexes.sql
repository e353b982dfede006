-- Search and count without scanning: the short serial gets its own column, and every filter
-- combination of the list (scope × status × type) has an index that also yields both sort
-- orders, so no page needs a sort of its own.
ALTER TABLE cases ADD COLUMN short_serial TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_serial_company       ON cases(serial, company_id);
CREATE INDEX cases_short_serial_company ON cases(short_serial, company_id);

CREATE INDEX cases_company_status_updated      ON cases(company_id, status, updated_at);
CREATE INDEX cases_company_status_created      ON cases(company_id, status, created_at);
CREATE INDEX cases_company_type_updated        ON cases(company_id, case_type, updated_at);
CREATE INDEX cases_company_type_created        ON cases(company_id, case_type, created_at);
CREATE INDEX cases_company_status_type_updated ON cases(company_id, status, case_type, updated_at);
CREATE INDEX cases_company_status_type_created ON cases(company_id, status, case_type, created_at);

CREATE INDEX cases_submitter_status_updated      ON cases(submitter_id, status, updated_at);
CREATE INDEX cases_submitter_status_created      ON cases(submitter_id, status, created_at);
CREATE INDEX cases_submitter_type_updated        ON cases(submitter_id, case_type, updated_at);
CREATE INDEX cases_submitter_type_created        ON cases(submitter_id, case_type, created_at);
CREATE INDEX cases_submitter_status_type_updated ON cases(submitter_id, status, case_type, updated_at);
CREATE INDEX cases_submitter_status_type_created ON cases(submitter_id, status, case_type, created_at);

CREATE INDEX cases_status_updated      ON cases(status, updated_at);
CREATE INDEX cases_status_created      ON cases(status, created_at);
CREATE INDEX cases_type_updated        ON cases(case_type, updated_at);
CREATE INDEX cases_type_created        ON cases(case_type, created_at);
CREATE INDEX cases_status_type_updated ON cases(status, case_type, updated_at);
CREATE INDEX cases_status_type_created ON cases(status, case_type, created_at);
