-- The status page's admin sessions and one-time sign-in links, kept so a restart signs nobody out. Only a
-- SHA-256 of each cookie or link token is stored: a copy of the database opens nothing.
CREATE TABLE sessions (
  id_hash     TEXT    PRIMARY KEY,
  -- admin: a signed-in admin's browser · invite: a one-time sign-in link · invite_session: the browser that
  -- opened one, allowed only that account's remote sign-in
  kind        TEXT    NOT NULL CHECK (kind IN ('admin', 'invite', 'invite_session')),
  account_id  TEXT,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  -- invite: when the link was opened (it works once)
  used_at     INTEGER,
  CHECK ((kind = 'admin') = (account_id IS NULL))
) WITHOUT ROWID;
CREATE INDEX sessions_expires_at ON sessions (expires_at);
