-- voicewipe schema v1. Times are Unix epoch milliseconds (INTEGER): compact, and sortable without parsing.

-- One purge run: every enabled account in turn (or one, when asked for).
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  trigger       TEXT    NOT NULL CHECK (trigger IN ('schedule', 'catch_up', 'manual', 'api', 'mqtt', 'cli', 'demo')),
  status        TEXT    NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'needs_person', 'cancelled', 'interrupted')),
  dry_run       INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  found         INTEGER NOT NULL DEFAULT 0,
  deleted       INTEGER NOT NULL DEFAULT 0,
  remaining     INTEGER NOT NULL DEFAULT 0,
  message       TEXT
);
CREATE INDEX runs_started_at ON runs (started_at);

-- What happened to one account in one run. error_kind is the closed list of shared/DESIGN.md.
CREATE TABLE account_results (
  run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  account_id    TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'ok', 'failed', 'skipped', 'cancelled', 'interrupted')),
  found         INTEGER,
  deleted       INTEGER,
  remaining     INTEGER,
  oldest_at     INTEGER,
  newest_at     INTEGER,
  error_kind    TEXT CHECK (error_kind IS NULL OR error_kind IN ('needs_login', 'captcha', 'mfa_required',
                  'bad_credentials', 'page_changed', 'rate_limited', 'vendor_error', 'network', 'timeout',
                  'verification_failed', 'browser_crashed', 'cancelled')),
  error_message TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  started_at    INTEGER,
  finished_at   INTEGER,
  evidence_dir  TEXT,
  -- JSON: which locators matched, the delete request the page sent (method, path, status), pending items.
  details       TEXT,
  PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;
CREATE INDEX account_results_account ON account_results (account_id, run_id);

-- Per-account figures that must outlive history pruning (lifetime total, last success).
CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  provider        TEXT    NOT NULL,
  total_deleted   INTEGER NOT NULL DEFAULT 0,
  last_run_id     INTEGER,
  last_run_at     INTEGER,
  last_success_at INTEGER,
  last_status     TEXT,
  last_error_kind TEXT
) WITHOUT ROWID;

-- Run-time switches that survive restarts (the schedule on/off switch, …). Values are JSON.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
