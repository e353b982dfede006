-- Files' bytes move to the object store (`objects.rs`): a row names its object by key. Rows
-- from before keep their bytes in `data` until they are moved; moved and new rows hold none.
ALTER TABLE files ADD COLUMN object_key TEXT;
CREATE INDEX files_object_key ON files(object_key);
