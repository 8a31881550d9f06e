// The shapes of what the daemon answers (GET /api/status, /api/runs, /api/runs/:id, the event stream), as JSDoc
// types for the type checker (web/tsconfig.json). Nothing runs here. The source of truth is the routes' schemas
// (src/http/routes/status.ts, runs.ts, src/http/schemas.ts); a visitor's status has only some of the fields.

/**
 * @typedef {object} Schedule
 * @property {boolean} enabled
 * @property {string} [cron]
 * @property {string} [timezone]
 * @property {number} [jitter_minutes]
 * @property {string | null} [next_run_at]
 */

/**
 * @typedef {object} LastResult
 * @property {number} run_id
 * @property {string} status
 * @property {number | null} found
 * @property {number | null} deleted
 * @property {number | null} remaining
 * @property {number | null} pending
 * @property {string | null} error_kind
 * @property {string | null} finished_at
 */

/**
 * One configured account. `state`, `headline`, `help` and `who` are decided by the daemon (src/purge/status.ts)
 * and shown as they are; the other fields are the admin's only.
 * @typedef {object} Account
 * @property {string} id
 * @property {string} name
 * @property {string} provider
 * @property {boolean} enabled
 * @property {string} state
 * @property {string | null} headline
 * @property {string | null} help
 * @property {string | null} [who]
 * @property {boolean} [overdue]
 * @property {number} [keep_days]
 * @property {number} [total_deleted]
 * @property {string | null} [last_success_at]
 * @property {LastResult | null} [last_result]
 * @property {string} [signin_method]
 * @property {string | null} [signin_renewed_at]
 */

/**
 * @typedef {object} LiveAccount
 * @property {string} account_id
 * @property {string} status
 * @property {string | null} phase
 * @property {number | null} [found]
 * @property {number | null} [deleted]
 * @property {number | null} [remaining]
 * @property {string | null} [error_kind]
 * @property {boolean} [needs_person]
 */

/**
 * The running run (the admin's: a visitor's status has none).
 * @typedef {object} LiveRun
 * @property {number} run_id
 * @property {string} [trigger]
 * @property {boolean} dry_run
 * @property {string} started_at
 * @property {LiveAccount[]} accounts
 */

/**
 * @typedef {object} RunSummary
 * @property {number} id
 * @property {string} trigger
 * @property {string} status
 * @property {boolean} dry_run
 * @property {string} started_at
 * @property {number | null} duration_ms
 * @property {number} found
 * @property {number} deleted
 * @property {number} remaining
 */

/** @typedef {RunSummary & { accounts: { account_id: string; error_kind?: string | null }[] }} RunListItem */

/**
 * @typedef {object} RunAccount
 * @property {string} account_id
 * @property {string | null} [name]
 * @property {string} status
 * @property {number | null} found
 * @property {number | null} deleted
 * @property {number | null} remaining
 * @property {number | null} [pending]
 * @property {string | null} [cutoff]
 * @property {number} [attempts]
 * @property {string | null} error_kind
 * @property {string | null} error_message
 * @property {string | null} help
 * @property {boolean} has_evidence
 * @property {{ screenshot?: string | null; html?: string | null }} [evidence]
 */

/** @typedef {RunSummary & { accounts: RunAccount[] }} RunDetail */

/**
 * GET /api/status. A visitor's (public_status: true) has version, admin, public_status, mqtt, schedule.enabled
 * and the accounts' states only.
 * @typedef {object} Status
 * @property {string} version
 * @property {boolean} admin
 * @property {number} [uptime_seconds]
 * @property {Schedule} schedule
 * @property {LiveRun | null} [running]
 * @property {RunSummary | null} [last_run]
 * @property {Account[]} accounts
 */

/**
 * A server-sent event's data as the admin gets it (src/purge/events.ts); a visitor's says only which account
 * changed (src/http/public-view.ts) and the page reads the states again.
 * @typedef {object} PurgeEvent
 * @property {number} run_id
 * @property {string} [trigger]
 * @property {boolean} [dry_run]
 * @property {string} [at]
 * @property {string[]} [accounts]
 * @property {string} [account_id]
 * @property {string} [phase]
 * @property {number} [found]
 * @property {number} [deleted]
 * @property {string} [status]
 * @property {string} [error_kind]
 * @property {LiveAccount} [result]
 */

export {};
