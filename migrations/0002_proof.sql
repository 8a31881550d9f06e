-- voicewipe schema v2: proof of what a purge deleted. A new error kind (over_deleted: recordings the run meant
-- to keep are gone), whether the count was exact, items pending at the vendor kept apart from deleted ones,
-- and an account pause that only a person lifts.

-- SQLite cannot change a CHECK constraint in place: rebuild account_results with the longer list.
CREATE TABLE account_results_v2 (
  run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  account_id    TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'ok', 'failed', 'skipped', 'cancelled', 'interrupted')),
  found         INTEGER,
  -- 0 when counting stopped early: `found` is then "at least".
  found_exact   INTEGER CHECK (found_exact IS NULL OR found_exact IN (0, 1)),
  deleted       INTEGER,
  -- Deleted at the vendor but still listed after the settle time (Google's "up to a day").
  pending       INTEGER,
  remaining     INTEGER,
  oldest_at     INTEGER,
  newest_at     INTEGER,
  error_kind    TEXT CHECK (error_kind IS NULL OR error_kind IN ('needs_login', 'captcha', 'mfa_required',
                  'bad_credentials', 'page_changed', 'rate_limited', 'vendor_error', 'network', 'timeout',
                  'verification_failed', 'browser_crashed', 'cancelled', 'over_deleted')),
  error_message TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  started_at    INTEGER,
  finished_at   INTEGER,
  evidence_dir  TEXT,
  details       TEXT,
  PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;
INSERT INTO account_results_v2 (run_id, account_id, provider, status, found, found_exact, deleted, pending, remaining,
    oldest_at, newest_at, error_kind, error_message, attempts, started_at, finished_at, evidence_dir, details)
  SELECT run_id, account_id, provider, status, found, CASE WHEN found IS NULL THEN NULL ELSE 1 END, deleted,
    CAST(json_extract(details, '$.pending') AS INTEGER), remaining, oldest_at, newest_at, error_kind, error_message,
    attempts, started_at, finished_at, evidence_dir, details
  FROM account_results;
DROP TABLE account_results;
ALTER TABLE account_results_v2 RENAME TO account_results;
CREATE INDEX account_results_account ON account_results (account_id, run_id);

-- An account whose purges are paused until a person acknowledges why (over_deleted).
ALTER TABLE accounts ADD COLUMN paused_at INTEGER;
ALTER TABLE accounts ADD COLUMN paused_reason TEXT;

-- Items a run deleted that the vendor still lists, with when they were first deleted: an item still listed
-- 36 hours later was not deleted. Keys are the provider's item keys (delete tokens, record keys).
CREATE TABLE pending_deletes (
  account_id       TEXT    NOT NULL,
  item_key         TEXT    NOT NULL,
  item_at          INTEGER NOT NULL,
  first_deleted_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, item_key)
) WITHOUT ROWID;
