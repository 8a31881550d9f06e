// The statements of src/db/queries.ts that the recorder, the sessions, the schedule and the pruning use, each on
// a real SQLite file migrated by openDatabase: what they write, what they leave alone, and their edge cases.
import t from 'tap';
import type { Test } from 'tap';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open.ts';
import type { Database } from '../../src/db/open.ts';
import {
  addAccountOutcome, clearPendingDeletes, deleteAllSessions, deleteRuns, deleteSession, finishRun, getAccountState, getRun,
  getSession, insertPendingResult, insertRun, insertSession, interruptRun, keepPendingDeletes, lastRunStarts, listAccountResults,
  listAccountStates, listRunningRunIds, markResultRunning, markSessionUsed, oldRunIds, pageCounts, pauseAccount, resumeAccount,
  saveAccountResult, vacuum,
} from '../../src/db/queries.ts';
import type { AccountResult } from '../../src/purge/events.ts';

function database(t: Test): Database {
  const { db } = openDatabase(join(t.testdir(), 'voicewipe.db'));
  t.teardown(() => db.close());
  return db;
}

function result(over: Partial<AccountResult> = {}): AccountResult {
  return {
    account_id: 'kitchen', provider: 'alexa', status: 'ok', found: 10, found_exact: true, deleted: 10, remaining: 0,
    oldest_at: 1_000, newest_at: 2_000, error_kind: null, error_message: null, attempts: 1, started_at: 5_000, finished_at: 6_000,
    evidence_dir: null, details: { cutoff: '2026-11-01T00:00:00.000Z' }, ...over,
  };
}

const KITCHEN = { id: 'kitchen', provider: 'alexa' };
const BEDROOM = { id: 'bedroom', provider: 'google' };

function pendingKeys(db: Database, accountId: string): { item_key: string; first_deleted_at: number }[] {
  return db.prepare('SELECT item_key, first_deleted_at FROM pending_deletes WHERE account_id = ? ORDER BY item_key').all(accountId) as
    { item_key: string; first_deleted_at: number }[];
}

t.test('a run from its row to its finish: results written in place, the account\'s lasting figures moved on', async (t) => {
  const db = database(t);
  const runId = insertRun(db, 'api', false, 4_000);
  insertPendingResult(db, runId, KITCHEN);
  insertPendingResult(db, runId, BEDROOM);
  t.match(getRun(db, runId), { trigger: 'api', status: 'running', dry_run: 0, started_at: 4_000, finished_at: null });
  t.same(listAccountResults(db, runId).map((r) => r.status), ['pending', 'pending'], 'one pending result per account');
  t.same(listRunningRunIds(db), [runId]);

  markResultRunning(db, runId, 'kitchen', 5_000);
  t.match(listAccountResults(db, runId)[0], { account_id: 'kitchen', status: 'running', started_at: 5_000 }, 'started first, listed first');
  saveAccountResult(db, runId, result({ found_exact: false, pending: 2 }));
  const row = db.prepare('SELECT * FROM account_results WHERE run_id = ? AND account_id = ?').get(runId, 'kitchen') as Record<string, unknown>;
  t.match(row, { status: 'ok', found: 10, found_exact: 0, deleted: 10, pending: 2, remaining: 0, attempts: 1, finished_at: 6_000 });
  t.same(JSON.parse(row.details as string), { cutoff: '2026-11-01T00:00:00.000Z' }, 'details kept as JSON text');
  saveAccountResult(db, runId, result({ account_id: 'bedroom', provider: 'google', found: null, found_exact: undefined, deleted: null }));
  t.match(db.prepare("SELECT found_exact, pending FROM account_results WHERE account_id = 'bedroom'").get(), { found_exact: null, pending: null },
    'nothing counted: found_exact and pending stay empty');

  addAccountOutcome(db, runId, result());
  addAccountOutcome(db, runId, result({ status: 'failed', deleted: 4, finished_at: 9_000, error_kind: 'network' }));
  t.match(listAccountStates(db), [{
    id: 'kitchen', provider: 'alexa', total_deleted: 14, last_run_id: runId, last_run_at: 9_000, last_success_at: 6_000,
    last_status: 'failed', last_error_kind: 'network',
  }], 'totals add up; a failure keeps the last success');

  finishRun(db, runId, { status: 'failed', at: 9_500, found: 10, deleted: 14, remaining: 0, message: 'one account failed' });
  t.match(getRun(db, runId), { status: 'failed', finished_at: 9_500, found: 10, deleted: 14, remaining: 0, message: 'one account failed' });
  t.same(listRunningRunIds(db), [], 'no run running any more');
  t.equal(insertRun(db, 'cli', true, 10_000), runId + 1, 'ids count up');
  t.equal(getRun(db, runId + 1)!.dry_run, 1, 'a dry run is marked');
});

t.test('an interrupted run: unfinished accounts interrupted, finished ones kept, figures summed from what was recorded', async (t) => {
  const db = database(t);
  const runId = insertRun(db, 'schedule', false, 1_000);
  const other = insertRun(db, 'schedule', false, 2_000);
  for (const id of [runId, other]) for (const account of [KITCHEN, BEDROOM, { id: 'den', provider: 'alexa' }]) insertPendingResult(db, id, account);
  saveAccountResult(db, runId, result({ found: 7, deleted: 5, remaining: 2 }));
  markResultRunning(db, runId, 'bedroom', 7_000);
  interruptRun(db, runId, 8_000);
  t.match(getRun(db, runId), { status: 'interrupted', finished_at: 8_000, found: 7, deleted: 5, remaining: 2, message: 'the process stopped during this run' });
  t.same(listAccountResults(db, runId).map((r) => [r.account_id, r.status, r.finished_at]),
    [['kitchen', 'ok', 6_000], ['bedroom', 'interrupted', 8_000], ['den', 'interrupted', 8_000]]);
  t.match(getRun(db, other), { status: 'running' }, 'another run is left alone');
  t.ok(listAccountResults(db, other).every((r) => r.status === 'pending'));
  interruptRun(db, other, 9_000);
  t.match(getRun(db, other), { found: 0, deleted: 0, remaining: 0 }, 'nothing recorded sums to zero, not null');
});

t.test('pause, look up, resume: once, and only the paused account', async (t) => {
  const db = database(t);
  t.equal(getAccountState(db, 'kitchen'), undefined, 'an account never seen has no row');
  t.equal(resumeAccount(db, 'kitchen'), false, 'nothing to resume');
  pauseAccount(db, KITCHEN, '3 recordings meant to be kept are gone', 1_000);
  t.match(getAccountState(db, 'kitchen'), { provider: 'alexa', total_deleted: 0, last_run_id: null, paused_at: 1_000, paused_reason: '3 recordings meant to be kept are gone' },
    'a pause makes the account row');
  t.equal(getAccountState(db, 'bedroom'), undefined);

  const runId = insertRun(db, 'api', false, 2_000);
  insertPendingResult(db, runId, BEDROOM);
  addAccountOutcome(db, runId, result({ account_id: 'bedroom', provider: 'google', deleted: 30 }));
  pauseAccount(db, BEDROOM, 'gone', 3_000);
  pauseAccount(db, BEDROOM, 'gone again', 4_000);
  t.match(listAccountStates(db).find((a) => a.id === 'bedroom'), { total_deleted: 30, last_run_id: runId, paused_at: 4_000, paused_reason: 'gone again' },
    'pausing an account with history keeps its figures; a second pause replaces the first');

  t.equal(resumeAccount(db, 'kitchen'), true);
  t.equal(resumeAccount(db, 'kitchen'), false, 'a second acknowledgement changes nothing');
  t.match(getAccountState(db, 'kitchen'), { paused_at: null, paused_reason: null }, 'resumed');
  t.match(getAccountState(db, 'bedroom'), { paused_at: 4_000 }, 'the other account stays paused');
});

t.test('pending deletes: first-deleted times kept, items gone forgotten, other accounts untouched', async (t) => {
  const db = database(t);
  t.equal(keepPendingDeletes(db, 'kitchen', new Map(), 1_000), null, 'nothing pending: no oldest time');
  t.equal(keepPendingDeletes(db, 'kitchen', new Map([['a', 10], ['b', 20]]), 1_000), 1_000);
  t.equal(keepPendingDeletes(db, 'bedroom', new Map([['a', 10]]), 1_500), 1_500, 'keys are per account');
  t.equal(keepPendingDeletes(db, 'kitchen', new Map([['b', 20], ['c', 30]]), 2_000), 1_000, 'b is still the oldest, first deleted at 1000');
  t.same(pendingKeys(db, 'kitchen'), [{ item_key: 'b', first_deleted_at: 1_000 }, { item_key: 'c', first_deleted_at: 2_000 }],
    'a no longer listed, b keeps its time, c is new');
  t.equal(keepPendingDeletes(db, 'kitchen', new Map([['c', 30]]), 3_000), 2_000, 'with b gone, c is the oldest');
  t.same(pendingKeys(db, 'bedroom'), [{ item_key: 'a', first_deleted_at: 1_500 }], 'bedroom untouched');
  clearPendingDeletes(db, 'kitchen');
  t.same(pendingKeys(db, 'kitchen'), []);
  t.equal(pendingKeys(db, 'bedroom').length, 1, 'clearing one account leaves the other');
  const count = db.prepare('SELECT count(*) AS n FROM pending_deletes').get() as { n: number };
  t.equal(count.n, 1, 'the scratch list of keys lives in TEMP, not in the file\'s tables');
});

t.test('sessions: stored by hash, used once, expired and surplus ones dropped when a new one is made', async (t) => {
  const db = database(t);
  insertSession(db, 'h-admin', 'admin', null, 1_000, 5_000, 3);
  insertSession(db, 'h-invite', 'invite', 'kitchen', 1_000, 2_000, 3);
  t.same(getSession(db, 'h-invite'), { kind: 'invite', account_id: 'kitchen', created_at: 1_000, expires_at: 2_000, used_at: null });
  t.equal(getSession(db, 'nope'), undefined);
  t.equal(markSessionUsed(db, 'h-invite', 1_500), true);
  t.equal(markSessionUsed(db, 'h-invite', 1_600), false, 'a one-time link is used once');
  t.equal(getSession(db, 'h-invite')!.used_at, 1_500, 'the first use is kept');
  t.equal(markSessionUsed(db, 'nope', 1_600), false);

  insertSession(db, 'h-admin-2', 'admin', null, 2_000, 6_000, 3);
  t.equal(getSession(db, 'h-invite'), undefined, 'expired (at 2000) when the next session was made');
  insertSession(db, 'h-admin-3', 'admin', null, 3_000, 6_000, 3);
  insertSession(db, 'h-invite-2', 'invite', 'kitchen', 3_500, 6_000, 3);
  insertSession(db, 'h-admin-4', 'admin', null, 4_000, 6_000, 3);
  t.equal(getSession(db, 'h-admin'), undefined, 'the oldest admin session went for the fourth');
  t.ok(['h-admin-2', 'h-admin-3', 'h-admin-4', 'h-invite-2'].every((h) => getSession(db, h)), 'the newer ones and the other kind stay');

  deleteSession(db, 'h-admin-2');
  t.equal(getSession(db, 'h-admin-2'), undefined);
  t.ok(getSession(db, 'h-admin-3'));
  deleteAllSessions(db);
  t.equal((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n, 0);
});

t.test('the schedule\'s look-back: the newest finished start apart from the newest interrupted one', async (t) => {
  const db = database(t);
  t.same(lastRunStarts(db), { finished: null, interrupted: null }, 'a fresh install');
  const running = insertRun(db, 'schedule', false, 9_000);
  t.same(lastRunStarts(db), { finished: null, interrupted: null }, 'a running run is neither');
  interruptRun(db, running, 9_500);
  t.same(lastRunStarts(db), { finished: null, interrupted: 9_000 });
  for (const [at, status] of [[1_000, 'ok'], [3_000, 'failed'], [2_000, 'cancelled']] as const) {
    finishRun(db, insertRun(db, 'schedule', false, at), { status, at: at + 100, found: 0, deleted: 0, remaining: 0, message: null });
  }
  t.same(lastRunStarts(db), { finished: 3_000, interrupted: 9_000 }, 'by start time, whatever the order of ids');
});

t.test('pruning: the oldest finished runs in batches, their results with them, and a VACUUM that frees pages', async (t) => {
  const db = database(t);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const id = insertRun(db, 'schedule', false, 1_000 * (i + 1));
    insertPendingResult(db, id, KITCHEN);
    saveAccountResult(db, id, result({ details: { filler: 'x'.repeat(20_000) } }));
    finishRun(db, id, { status: 'ok', at: 1_000 * (i + 1) + 500, found: 10, deleted: 10, remaining: 0, message: null });
    ids.push(id);
  }
  const running = insertRun(db, 'schedule', false, 500);
  t.same(oldRunIds(db, 4_500, 100), ids.slice(0, 4), 'started before the cut, running one aside');
  t.same(oldRunIds(db, 4_500, 3), ids.slice(0, 3), 'the oldest first, no more than the batch');
  t.same(oldRunIds(db, 1_000, 100), [], 'started exactly at the cut: kept');

  deleteRuns(db, ids.slice(0, 4));
  t.same(oldRunIds(db, 10_000, 100), ids.slice(4));
  t.same(listAccountResults(db, ids[0]), [], 'results went with their run');
  t.equal(listAccountResults(db, ids[4]).length, 1, 'a kept run keeps its results');
  t.ok(getRun(db, running), 'the running run is kept');

  const before = pageCounts(db);
  t.ok(before.free > 0 && before.free < before.pages, `${before.free} of ${before.pages} pages free after the delete`);
  vacuum(db);
  const after = pageCounts(db);
  t.equal(after.free, 0, 'no free page after VACUUM');
  t.ok(after.pages < before.pages, `the file shrank from ${before.pages} to ${after.pages} pages`);
});

t.test('two databases never share a prepared statement', async (t) => {
  const a = database(t);
  const b = database(t);
  insertRun(a, 'cli', false, 1_000);
  insertRun(a, 'cli', false, 2_000);
  t.equal(insertRun(b, 'cli', false, 3_000), 1, 'the second file gets its own first run');
  t.same(listRunningRunIds(a), [1, 2]);
  t.same(listRunningRunIds(b), [1]);
  t.same(lastRunStarts(b), { finished: null, interrupted: null });
});
