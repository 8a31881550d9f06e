// Errors shared across modules, below all of them (providers, the purge runner, HTTP, MQTT, the CLI import them
// from here, never from each other). First the closed list of ways an account's purge can fail, shown the same
// everywhere (CLI, database, status page, MQTT): providers throw PurgeError with one of these kinds; anything
// else is classified by classify(). Then the refusals a purge request can meet.
export const ERROR_KINDS = [
  'needs_login', 'captcha', 'mfa_required', 'bad_credentials', 'page_changed', 'rate_limited', 'vendor_error',
  'network', 'timeout', 'verification_failed', 'browser_crashed', 'cancelled', 'over_deleted',
] as const;
export type ErrorKind = typeof ERROR_KINDS[number];

/** Kinds only a person can clear: never retried, exit code 3, "needs a person" on the page. */
export const NEEDS_PERSON: ReadonlySet<ErrorKind> = new Set(['needs_login', 'captcha', 'mfa_required', 'bad_credentials']);
/** Kinds worth another attempt in the same run, after a pause. */
export const RETRYABLE: ReadonlySet<ErrorKind> = new Set(['network', 'vendor_error', 'timeout', 'browser_crashed']);
/** Kinds that pause the account's purges until a person acknowledges them: recordings the run meant to keep
 *  disappeared, so no further delete runs on that account until someone has looked at the evidence. */
export const PAUSES: ReadonlySet<ErrorKind> = new Set(['over_deleted']);

export class PurgeError extends Error {
  readonly kind: ErrorKind;
  /** For rate_limited: how long the vendor asked us to wait (Retry-After). */
  readonly retryAfterMs?: number;
  constructor(kind: ErrorKind, message: string, opts: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'PurgeError';
    this.kind = kind;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Maps whatever was thrown (Playwright, fetch, our own) onto the closed list. */
export function classify(err: unknown): PurgeError {
  if (err instanceof PurgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || /aborted|cancelled/i.test(message)) return new PurgeError('cancelled', 'the run was cancelled', { cause: err });
  if (name === 'TimeoutError' || /Timeout \d+ms exceeded|timed out/i.test(message)) return new PurgeError('timeout', firstLine(message), { cause: err });
  if (/Target (page, context or browser )?(has been |)closed|Browser (has been )?closed|crash/i.test(message)) {
    return new PurgeError('browser_crashed', firstLine(message), { cause: err });
  }
  if (/net::ERR_|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|fetch failed|socket hang up/i.test(message)) {
    return new PurgeError('network', firstLine(message), { cause: err });
  }
  return new PurgeError('vendor_error', firstLine(message), { cause: err });
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 300);
}

/** A purge was asked for while one is running in this process. */
export class RunBusy extends Error {
  readonly runId: number;
  constructor(runId: number) {
    super(`a purge is already running (run ${runId})`);
    this.name = 'RunBusy';
    this.runId = runId;
  }
}

/** An account id that the config does not have, or has switched off. */
export class UnknownAccount extends Error {
  constructor(id: string, known: string[], why = 'is not in the config') {
    super(`account "${id}" ${why} (enabled accounts: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownAccount';
  }
}

/** Another voicewipe process (the daemon, or a `voicewipe purge`) holds the state directory's purge lock. */
export class PurgeLocked extends Error {
  readonly pid: number;
  constructor(pid: number) {
    super(`another voicewipe process (pid ${pid}) is purging right now`);
    this.name = 'PurgeLocked';
    this.pid = pid;
  }
}
