-- Who uploaded each file, so the bytes one account uploads per hour can be limited.
ALTER TABLE files ADD COLUMN uploaded_by INTEGER REFERENCES users(id);
UPDATE files SET uploaded_by = COALESCE(
    (SELECT actor_id FROM records WHERE records.id = files.record_id),
    (SELECT submitter_id FROM cases WHERE cases.id = files.case_id));
CREATE INDEX files_uploader_created ON files(uploaded_by, created_at);
