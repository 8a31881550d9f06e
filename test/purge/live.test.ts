// The live-run projection the status page and MQTT both read: a run told through its events, and what each
// step leaves in the view (no database, no browser: milliseconds).
import t from 'tap';
import { PurgeEvents } from '../../src/purge/events.ts';
import type { AccountResult } from '../../src/purge/events.ts';
import { LiveView, runningAccount } from '../../src/purge/live.ts';

const result = (account_id: string, extra: Partial<AccountResult> = {}): AccountResult => ({
  account_id, provider: 'alexa', status: 'ok', found: 10, deleted: 10, remaining: 0, oldest_at: null, newest_at: null, error_kind: null,
  error_message: null, attempts: 1, started_at: 1, finished_at: 2, evidence_dir: null, details: {}, ...extra,
});

t.test('a run through its events: pending, running with live counts, finished, then gone', async (t) => {
  const events = new PurgeEvents();
  const live = new LiveView();
  const off = live.attach(events);
  t.equal(live.current, null);
  events.emit('run_started', { run_id: 7, trigger: 'mqtt', dry_run: true, accounts: ['kitchen', 'office'], at: 1000 });
  t.match(live.current, { run_id: 7, trigger: 'mqtt', dry_run: true, started_at: 1000 });
  t.same(live.current?.accounts.map((a) => a.status), ['pending', 'pending']);
  t.equal(runningAccount(live.current, 'kitchen'), undefined, 'pending is not running');

  events.emit('account_started', { run_id: 7, account_id: 'kitchen', at: 1001 });
  events.emit('account_progress', { run_id: 7, account_id: 'kitchen', phase: 'deleting', found: 40, deleted: 12, at: 1002 });
  t.match(runningAccount(live.current, 'kitchen'), { status: 'running', phase: 'deleting', found: 40, deleted: 12 });
  events.emit('account_progress', { run_id: 7, account_id: 'kitchen', phase: 'verifying', at: 1003 });
  t.match(runningAccount(live.current, 'kitchen'), { phase: 'verifying', found: 40, deleted: 12 }, 'a step without counts keeps them');
  events.emit('account_progress', { run_id: 6, account_id: 'office', phase: 'deleting', found: 1, at: 1003 });
  t.equal(runningAccount(live.current, 'office'), undefined, 'another run\'s event changes nothing');

  events.emit('account_finished', { run_id: 7, result: result('kitchen', { found: 40, deleted: 40 }), at: 1004 });
  t.equal(runningAccount(live.current, 'kitchen'), undefined, 'finished: no longer running');
  t.match(live.current?.accounts[0], { status: 'ok', phase: null, deleted: 40, remaining: 0 });

  events.emit('account_started', { run_id: 7, account_id: 'office', at: 1005 });
  events.emit('needs_login', { run_id: 7, account_id: 'office', error_kind: 'needs_login', message: 'sign in once', at: 1006 });
  t.match(live.current?.accounts[1], { status: 'running', needs_person: true, error_kind: 'needs_login' });

  events.emit('run_finished', { run_id: 7, status: 'failed', dry_run: true, found: 40, deleted: 40, remaining: 0, duration_ms: 6, at: 1007, message: null });
  t.equal(live.current, null);
  off();
  events.emit('run_started', { run_id: 8, trigger: 'cli', dry_run: false, accounts: [], at: 2000 });
  t.equal(live.current, null, 'detached');
});
