// The purge run: every enabled account in turn (one run at a time), each in a fresh browser context with its
// saved session: sign in if needed → count → delete (unless dry run) → count again until the vendor agrees →
// save the session → result. Emits typed events; the recorder turns them into rows.
import type { Config, AccountConfig } from '../config/types.ts';
import type { Logger } from '../log.ts';
import type { RunBrowser } from '../browser/launch.ts';
import { captureEvidence } from '../browser/evidence.ts';
import type { SessionVault } from '../browser/vault.ts';
import { SignInKeeper } from '../signin/keeper.ts';
import { SignInRecords } from '../signin/record.ts';
import type { Inventory, Observations, Provider, ProviderSession } from '../providers/types.ts';
import { providerNamed } from '../providers/load.ts';
import type { ProviderSource } from '../providers/load.ts';
import { sleep, withDeadline } from '../async.ts';
import { cutoffFor } from './cutoff.ts';
import { NEEDS_PERSON, PAUSES, PurgeError, RETRYABLE, RunBusy, UnknownAccount, classify } from '../errors.ts';
import type { AccountResult, Phase, PurgeEvents, RunStatus, Trigger } from './events.ts';
import { takePurgeLock } from './lock.ts';
import { redactUrls } from './redact.ts';
import type { Recorder } from './recorder.ts';
import { lostKept, describeLost } from './survivors.ts';
import { openProviderSession } from './session.ts';

/** Bounds on the clean-up after a failure, so a wedged page cannot hold the run. */
const EVIDENCE_DEADLINE_MS = 20_000;
/** Google: "pending items that stay listed for more than a day and a half have not been deleted". */
export const PENDING_LIMIT_MS = 36 * 3_600_000;

export interface RunRequest {
  trigger: Trigger;
  /** Only this account (an account disabled in the config is refused: its secrets are not loaded). */
  accountId?: string;
  dryRun?: boolean;
}

export interface RunSummary {
  run_id: number;
  status: RunStatus;
  dry_run: boolean;
  results: AccountResult[];
  duration_ms: number;
}

export interface RunnerOptions {
  /** Pause before the second and third attempt of a retryable failure (doubles each time). */
  retryDelayMs?: number;
  maxAttempts?: number;
  /** Longest Retry-After honoured within a run; longer waits end the account until the next run. */
  maxRetryAfterMs?: number;
  /** How often to re-count while waiting for deletions to show. */
  verifyIntervalMs?: number;
  /** Overrides the providers' settle time (tests, benchmark). */
  settleMs?: number;
}

export interface RunnerDeps {
  config: Config;
  recorder: Recorder;
  events: PurgeEvents;
  log: Logger;
  vault: SessionVault;
  /** The daemon and the CLI load the providers at the first purge (providers/load.ts). */
  providers: ProviderSource;
  launch: (config: Config['browser']) => Promise<RunBrowser>;
  now?: () => number;
  options?: RunnerOptions;
}

export class PurgeRunner {
  private readonly deps: RunnerDeps;
  private readonly now: () => number;
  private readonly opts: Required<Omit<RunnerOptions, 'settleMs'>> & { settleMs?: number };
  private active?: { runId: number; abort: AbortController; done: Promise<RunSummary> };
  private readonly keeper: SignInKeeper;

  constructor(deps: RunnerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.keeper = new SignInKeeper(deps.vault, new SignInRecords(deps.vault), this.now);
    this.opts = { retryDelayMs: 5_000, maxAttempts: 3, maxRetryAfterMs: 120_000, verifyIntervalMs: 5_000, ...deps.options };
  }

  get running(): { runId: number } | undefined {
    return this.active ? { runId: this.active.runId } : undefined;
  }

  /** Starts a run; throws RunBusy while one is going (PurgeLocked when another process runs one),
   *  UnknownAccount for an account id that is not in the config or disabled. */
  start(request: RunRequest): { runId: number; done: Promise<RunSummary> } {
    if (this.active) throw new RunBusy(this.active.runId);
    const { config } = this.deps;
    let accounts = config.accounts.filter((a) => a.enabled);
    if (request.accountId !== undefined) {
      const one = config.accounts.find((a) => a.id === request.accountId);
      if (!one) throw new UnknownAccount(request.accountId, config.accounts.map((a) => a.id));
      if (!one.enabled) throw new UnknownAccount(request.accountId, accounts.map((a) => a.id), 'is disabled in the config');
      accounts = [one];
    }
    const dryRun = request.dryRun === true;
    const release = takePurgeLock(config.state_dir);
    const startedAt = this.now();
    let runId: number;
    try {
      runId = this.deps.recorder.createRun(request.trigger, dryRun, accounts, startedAt);
    } catch (err) {
      release();
      throw err;
    }
    const abort = new AbortController();
    const done = this.execute(runId, request.trigger, dryRun, accounts, startedAt, abort.signal)
      .finally(() => { this.active = undefined; release(); });
    this.active = { runId, abort, done };
    return { runId, done };
  }

  /** Cancels the running run (shutdown): the current account ends `cancelled`, the browser is closed. */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.abort.abort(new PurgeError('cancelled', 'the run was cancelled'));
    await active.done.catch(() => {});
  }

  private async execute(runId: number, trigger: Trigger, dryRun: boolean, accounts: AccountConfig[], startedAt: number, signal: AbortSignal): Promise<RunSummary> {
    const { events, config, log } = this.deps;
    events.emit('run_started', { run_id: runId, trigger, dry_run: dryRun, accounts: accounts.map((a) => a.id), at: startedAt });
    // The run's hard deadline: past it the browser is killed and the account in progress ends `timeout`.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new PurgeError('timeout', `the run took longer than ${config.browser.run_timeout_minutes} minutes`)),
      config.browser.run_timeout_minutes * 60_000);
    timer.unref();
    const runSignal = AbortSignal.any([signal, deadline.signal]);
    const browserHolder: { current?: RunBrowser } = {};
    const killOnAbort = () => browserHolder.current?.kill();
    runSignal.addEventListener('abort', killOnAbort, { once: true });
    const results: AccountResult[] = [];
    try {
      for (const account of accounts) {
        if (runSignal.aborted) {
          results.push(this.skipped(runId, account, runSignal.reason));
          continue;
        }
        results.push(await this.purgeAccount(runId, account, dryRun, runSignal, browserHolder));
      }
    } finally {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', killOnAbort);
      await browserHolder.current?.close().catch(() => {});
    }
    const status = runStatus(results, signal.aborted);
    const sum = (key: 'found' | 'deleted' | 'remaining') => results.reduce((n, r) => n + (r[key] ?? 0), 0);
    const finishedAt = this.now();
    const failedIds = results.filter((r) => r.status === 'failed').map((r) => `${r.account_id}: ${r.error_kind}`);
    events.emit('run_finished', {
      run_id: runId, status, dry_run: dryRun, found: sum('found'), deleted: sum('deleted'), remaining: sum('remaining'),
      duration_ms: finishedAt - startedAt, at: finishedAt, message: failedIds.length ? failedIds.join('; ') : null,
    });
    log.info({ run_id: runId, status, deleted: sum('deleted'), remaining: sum('remaining') }, 'purge finished');
    return { run_id: runId, status, dry_run: dryRun, results, duration_ms: finishedAt - startedAt };
  }

  private skipped(runId: number, account: AccountConfig, reason: unknown): AccountResult {
    const at = this.now();
    const kind = classify(reason).kind;
    const result: AccountResult = {
      account_id: account.id, provider: account.provider, status: kind === 'cancelled' ? 'cancelled' : 'failed', found: null, found_exact: null, deleted: null,
      remaining: null, oldest_at: null, newest_at: null, error_kind: kind, error_message: 'not started: the run ended first',
      attempts: 0, started_at: at, finished_at: at, evidence_dir: null, details: {},
    };
    this.deps.events.emit('account_finished', { run_id: runId, result, at });
    return result;
  }

  /** A paused account (over_deleted, until a person acknowledges it) is not touched at all. */
  private pausedResult(runId: number, account: AccountConfig): AccountResult | undefined {
    const paused = this.deps.recorder.pausedAccount(account.id);
    if (!paused) return undefined;
    const at = this.now();
    this.deps.events.emit('account_started', { run_id: runId, account_id: account.id, at });
    const result: AccountResult = {
      account_id: account.id, provider: account.provider, status: 'skipped', found: null, found_exact: null, deleted: null, remaining: null,
      oldest_at: null, newest_at: null, error_kind: 'over_deleted',
      error_message: `purges of this account are paused since ${new Date(paused.paused_at).toISOString()} (${paused.paused_reason}); ` +
        `acknowledge it on the status page, in Home Assistant or with "voicewipe acknowledge ${account.id}"`,
      attempts: 0, started_at: at, finished_at: at, evidence_dir: null, details: { paused_at: paused.paused_at },
    };
    this.deps.events.emit('account_finished', { run_id: runId, result, at });
    return result;
  }

  private async purgeAccount(runId: number, account: AccountConfig, dryRun: boolean, signal: AbortSignal, browserHolder: { current?: RunBrowser }): Promise<AccountResult> {
    const paused = this.pausedResult(runId, account);
    if (paused) return paused;
    const { events, log: runLog } = this.deps;
    const log = runLog.child({ run_id: runId, account: account.id });
    const startedAt = this.now();
    events.emit('account_started', { run_id: runId, account_id: account.id, at: startedAt });
    const cutoff = cutoffFor(account.keep_days, startedAt, this.deps.config.timezone);
    const progress: Progress = { found: null, exact: true, deleted: 0, pending: 0, pendingOldestAt: null, inventory: null };
    let attempts = 0;
    let lastError: PurgeError | undefined;
    let evidenceDir: string | null = null;
    let observations: Observations = { locators: {}, delete_requests: [], notes: [], timings: {} };
    for (;;) {
      attempts++;
      observations = { locators: {}, delete_requests: [], notes: [], timings: {} };
      try {
        await this.attempt(runId, account, dryRun, cutoff, signal, browserHolder, observations, progress, log);
        lastError = undefined;
        evidenceDir = null;
        break;
      } catch (err) {
        lastError = signal.aborted ? classify(signal.reason) : classify(err);
        evidenceDir = (err as { evidenceDir?: string }).evidenceDir ?? null;
        log.warn({ kind: lastError.kind, attempt: attempts, message: redactUrls(lastError.message) }, 'account attempt failed');
        if (signal.aborted || NEEDS_PERSON.has(lastError.kind)) break;
        const wait = this.retryWait(lastError, attempts);
        if (wait === undefined) break;
        log.info({ wait_ms: wait }, 'retrying');
        await sleep(wait, signal);
        if (signal.aborted) { lastError = classify(signal.reason); break; }
      }
    }
    // What is stored and published (SQLite, API, MQTT, events) carries no URL query: tokens and codes live there.
    const errorMessage = redactUrls(lastError?.message ?? null);
    if (lastError?.kind === 'bad_credentials') this.deps.vault.drop(account.id);
    if (lastError && PAUSES.has(lastError.kind)) {
      this.deps.recorder.pause(account, errorMessage ?? lastError.kind, this.now());
      events.emit('account_paused', { run_id: runId, account_id: account.id, message: errorMessage ?? lastError.kind, at: this.now() });
      log.error({ kind: lastError.kind, message: errorMessage }, 'purges of this account are paused until a person acknowledges');
    }
    if (lastError && NEEDS_PERSON.has(lastError.kind)) {
      events.emit('needs_login', { run_id: runId, account_id: account.id, error_kind: lastError.kind, message: errorMessage ?? '', at: this.now() });
    }
    const inv = progress.inventory;
    const result: AccountResult = {
      account_id: account.id,
      provider: account.provider,
      status: !lastError ? 'ok' : lastError.kind === 'cancelled' ? 'cancelled' : 'failed',
      found: progress.found,
      found_exact: progress.found === null ? null : progress.exact,
      deleted: dryRun ? 0 : (progress.found === null ? null : progress.deleted),
      // Without a count we cannot say what is left; otherwise what was found minus what went away and what
      // the vendor still lists as pending.
      remaining: progress.found === null ? null : Math.max(0, progress.found - (dryRun ? 0 : progress.deleted + progress.pending)),
      ...(progress.pending > 0 ? { pending: progress.pending, pending_oldest_at: progress.pendingOldestAt } : {}),
      oldest_at: inv?.oldest_at ?? null,
      newest_at: inv?.newest_at ?? null,
      error_kind: lastError?.kind ?? null,
      error_message: errorMessage,
      attempts,
      started_at: startedAt,
      finished_at: this.now(),
      evidence_dir: evidenceDir,
      details: {
        ...observations, cutoff: new Date(cutoff).toISOString(), keep_days: account.keep_days,
        ...(progress.exact ? {} : { found_at_least: true }),
        ...(progress.pending > 0 ? { pending: progress.pending, pending_oldest_at: progress.pendingOldestAt } : {}),
      },
    };
    events.emit('account_finished', { run_id: runId, result, at: result.finished_at });
    return result;
  }

  /** How long to wait before another attempt, or undefined when it is not worth one in this run. */
  private retryWait(err: PurgeError, attempts: number): number | undefined {
    if (attempts >= this.opts.maxAttempts) return undefined;
    if (err.kind === 'rate_limited') {
      const asked = err.retryAfterMs ?? this.opts.retryDelayMs;
      // A vendor asking for a long pause gets it: we come back next night rather than hammer it.
      return asked <= this.opts.maxRetryAfterMs ? asked : undefined;
    }
    if (err.kind === 'verification_failed' || !RETRYABLE.has(err.kind)) return undefined;
    return this.opts.retryDelayMs * 2 ** (attempts - 1);
  }

  private async attempt(runId: number, account: AccountConfig, dryRun: boolean, cutoff: number, signal: AbortSignal,
    browserHolder: { current?: RunBrowser }, observations: Observations, progress: Progress, log: Logger): Promise<void> {
    const { config, events, vault } = this.deps;
    const provider = await providerNamed(this.deps.providers, account.provider);
    if (!provider) throw new PurgeError('vendor_error', `no provider for "${account.provider}" in this version`);
    // Each phase's duration goes into the result's details (where the time went, for a person and the benchmark).
    const TIMING: Record<Phase, string> = { starting_browser: 'browser', signing_in: 'sign_in', counting: 'count', deleting: 'delete', verifying: 'verify' };
    let current: { phase: Phase; since: number } | undefined;
    const phase = (p: Phase, extra: { found?: number; deleted?: number } = {}) => {
      const at = performance.now();
      if (current?.phase !== p) {
        if (current) observations.timings[TIMING[current.phase]] = Math.round(at - current.since);
        current = { phase: p, since: at };
        log.debug({ phase: p, ...extra }, 'phase');
      }
      events.emit('account_progress', { run_id: runId, account_id: account.id, phase: p, ...extra, at: this.now() });
    };
    const endPhase = () => { if (current) observations.timings[TIMING[current.phase]] = Math.round(performance.now() - current.since); current = undefined; };

    // Never signed in and nothing to sign in with: say so now, not after a browser and a network failure.
    const saved = vault.load(account.id);
    if (saved.problem) log.warn(saved.problem);
    this.keeper.checkSignedInOnce(account, saved.state);
    phase('starting_browser');
    if (!browserHolder.current?.browser.isConnected()) {
      await browserHolder.current?.close().catch(() => {});
      browserHolder.current = undefined;
      try {
        browserHolder.current = await this.deps.launch(config.browser);
      } catch (err) {
        throw new PurgeError('browser_crashed', `Chromium did not start: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
    }
    const browser = browserHolder.current;
    const opened = await openProviderSession(browser, { config, account, provider, storageState: saved.state, log, observations, signal, now: this.now });
    const { session } = opened;
    const { context, page } = session;
    let signedIn = false;
    try {
      phase('signing_in');
      const kept = await this.keeper.before(account, context, saved.state, signal);
      observations.notes.push(...kept.notes);
      const how = await provider.signIn(session);
      signedIn = true;
      observations.notes.push(how === 'session_reused' ? 'signed in with the saved session' : 'signed in with the account credentials');
      this.keeper.after(account, how, await context.storageState() as never);
      phase('counting');
      const found = await provider.inventory(session, cutoff);
      progress.inventory = found;
      // On a retry, what was deleted before counts too: found stays the first count of the run.
      if (progress.found === null) { progress.found = found.count; progress.exact = found.exact; }
      if (!found.exact) observations.notes.push(`counting stopped early: at least ${found.count} recordings older than the cut-off`);
      const before = progress.deleted;
      phase('counting', { found: progress.found });
      if (!dryRun && (found.count > 0 || !found.exact)) {
        const keptBefore = provider.kept ? await provider.kept(session, cutoff) : undefined;
        phase('deleting', { found: progress.found, deleted: progress.deleted });
        let deletedNow = 0;
        const outcome = await provider.delete(session, cutoff, found, (n) => {
          deletedNow = n;
          progress.deleted = progress.exact ? Math.min(before + n, progress.found ?? before + n) : before + n;
          phase('deleting', { found: progress.found ?? undefined, deleted: progress.deleted });
        });
        // A delete bounded on purpose leaves the rest to the next run: that much still listed is expected, not waited for.
        // Only an exact count says how much that is; after a count cut short the usual verification applies.
        const leftOnPurpose = outcome?.capped && found.exact ? Math.max(0, found.count - deletedNow) : 0;
        phase('verifying', { found: progress.found, deleted: progress.deleted });
        const left = await this.verify(session, provider, cutoff, leftOnPurpose);
        // Deleted means verified gone: what was found less what is still listed (for a count cut short, at least that).
        progress.deleted = Math.max(0, (progress.found ?? 0) - left.count);
        if (keptBefore && provider.kept) {
          const lost = lostKept(keptBefore, await provider.kept(session, cutoff));
          if (lost.size > 0) {
            observations.notes.push(`survivor check: ${describeLost(lost, config.timezone)}`);
            throw new PurgeError('over_deleted', `${describeLost(lost, config.timezone)}; purges of this account are paused until a person acknowledges`);
          }
          observations.notes.push(`survivor check: all ${keptBefore.items.size} recordings listed at or after the cut-off are still there`);
        }
        if (left.count > 0 && provider.eventual) this.notePending(account, left, progress, observations);
        else if (left.count > 0 && left.exact && left.count <= leftOnPurpose) {
          observations.notes.push(`${left.count} left for the next run: the delete stops at ${outcome!.capped} a run here`);
        } else if (left.count > 0) {
          throw new PurgeError('verification_failed', `${left.count} recording${left.count === 1 ? '' : 's'} older than the cut-off still listed ` +
            `${Math.round((this.opts.settleMs ?? provider.settleMs) / 1000)} s after deleting`);
        } else {
          this.deps.recorder.clearPending(account.id);
        }
      } else if (!dryRun && found.count === 0) {
        this.deps.recorder.clearPending(account.id);
      }
      endPhase();
      vault.save(account.id, await context.storageState() as never);
    } catch (err) {
      endPhase();
      const failure = signal.aborted ? classify(signal.reason) : classify(err);
      if (signedIn && failure.kind !== 'bad_credentials') {
        try { vault.save(account.id, await context.storageState() as never); } catch { /* browser gone */ }
      }
      const secrets = [account.password, account.totp_secret].filter((s): s is string => Boolean(s));
      try { for (const c of await context.cookies()) secrets.push(c.value); } catch { /* browser gone */ }
      if (failure.kind !== 'cancelled') {
        // A wedged page can hang the capture too: past the deadline the browser goes, evidence or not.
        const evidence = await withDeadline(captureEvidence(page, { stateDir: config.state_dir, runId, accountId: account.id, secrets }),
          EVIDENCE_DEADLINE_MS, () => browser.kill());
        if (evidence?.screenshot || evidence?.html) (failure as PurgeError & { evidenceDir?: string }).evidenceDir = evidence.dir;
      }
      throw failure;
    } finally {
      await opened.close();
    }
  }

  /** Re-counts until no more than `expected` recordings older than the cut-off are listed (what a bounded delete
   *  left for the next run; usually 0), or the provider's settle time has passed. */
  private async verify(session: ProviderSession, provider: Provider, cutoff: number, expected = 0): Promise<Inventory> {
    // Real time, not the run's clock (which tests and the demo may hold still): the settle time is a wait.
    const until = performance.now() + (this.opts.settleMs ?? provider.settleMs);
    for (;;) {
      const left = await provider.inventory(session, cutoff);
      if ((left.count <= expected && left.exact) || performance.now() >= until || session.signal.aborted) return left;
      await session.sleep(Math.min(this.opts.verifyIntervalMs, Math.max(0, until - performance.now())));
    }
  }

  /** Items the vendor still lists after deleting them (Google: "up to a day"): pending, aged by when voicewipe
   *  first deleted each one. Still listed 36 hours later means the delete did not happen. */
  private notePending(account: AccountConfig, left: Inventory, progress: Progress, observations: Observations): void {
    const now = this.now();
    progress.pending = left.count;
    progress.deleted = Math.max(0, (progress.found ?? 0) - left.count);
    if (!left.items) {
      observations.notes.push(`${left.count} deleted items still listed; the provider gave no keys, so their age is not tracked`);
      return;
    }
    const oldest = this.deps.recorder.notePending(account.id, left.items, now);
    progress.pendingOldestAt = oldest;
    const ageH = oldest === null ? 0 : (now - oldest) / 3_600_000;
    observations.notes.push(`${left.count} deleted item${left.count === 1 ? '' : 's'} still listed; the oldest was first deleted ${ageH.toFixed(1)} h ago ` +
      '(the vendor says this can take up to a day; the next run checks again)');
    if (oldest !== null && now - oldest > PENDING_LIMIT_MS) {
      throw new PurgeError('verification_failed', `${left.count} item${left.count === 1 ? '' : 's'} still listed more than 36 h after voicewipe deleted ` +
        `${left.count === 1 ? 'it' : 'them'} (the oldest first deleted ${new Date(oldest).toISOString()}): the vendor's delete did not take`);
    }
  }
}

interface Progress {
  found: number | null;
  /** The first count of the run was complete (not "at least"). */
  exact: boolean;
  deleted: number;
  pending: number;
  pendingOldestAt: number | null;
  inventory: Inventory | null;
}

function runStatus(results: AccountResult[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  // A paused account (skipped with its reason) keeps the run red until a person acknowledges it.
  if (results.some((r) => (r.status === 'failed' || r.status === 'skipped') && r.error_kind && !NEEDS_PERSON.has(r.error_kind))) return 'failed';
  if (results.some((r) => r.error_kind && NEEDS_PERSON.has(r.error_kind))) return 'needs_person';
  return 'ok';
}
