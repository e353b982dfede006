-- When each user last looked at each case, so lists can mark what changed since.
CREATE TABLE case_views (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    case_id  INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, case_id)
) WITHOUT ROWID;
