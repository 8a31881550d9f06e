// Seeds years of nightly history the way the recorder writes it (for pruning tests and the benchmark).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../src/db/open.ts';
import { PurgeEvents } from '../../src/purge/events.ts';
import { Recorder } from '../../src/purge/recorder.ts';

export const NIGHT_DETAILS = {
  locators: { 'signin.email': 'class#0', 'rvh.filter_open': 'class#0', 'rvh.delete_all': 'class#0', 'rvh.confirm': 'class#0' },
  delete_requests: [{ method: 'POST', path: '/alexa-privacy/apd/rvh/delete-customer-history-records', status: 200 }],
  notes: ['signed in with the saved session'],
};

/** One run per night for `nights` nights ending `endAt`, two accounts each, through the real recorder.
 *  Every tenth night fails with evidence files, as a real failure would leave. */
export function seedNights(db: Database, stateDir: string, nights: number, endAt = Date.now()): void {
  const events = new PurgeEvents();
  const recorder = new Recorder(db);
  recorder.attach(events);
  for (let n = nights; n >= 1; n--) {
    const at = endAt - n * 86_400_000;
    const accounts = [{ id: 'kitchen', provider: 'alexa' }, { id: 'bedroom', provider: 'alexa' }];
    const runId = recorder.createRun('schedule', false, accounts, at);
    const failed = n % 10 === 0;
    for (const account of accounts) {
      events.emit('account_started', { run_id: runId, account_id: account.id, at });
      const evidence = failed && account.id === 'bedroom' ? join('evidence', String(runId), account.id) : null;
      if (evidence) {
        mkdirSync(join(stateDir, evidence), { recursive: true });
        writeFileSync(join(stateDir, evidence, 'screenshot.png'), Buffer.alloc(40_000));
        writeFileSync(join(stateDir, evidence, 'page.html'), '<html></html>');
      }
      events.emit('account_finished', { run_id: runId, at: at + 30_000, result: {
        account_id: account.id, provider: 'alexa', status: evidence ? 'failed' : 'ok', found: 12, deleted: evidence ? 0 : 12, remaining: evidence ? 12 : 0,
        oldest_at: at - 31 * 86_400_000, newest_at: at - 30 * 86_400_000, error_kind: evidence ? 'timeout' : null, error_message: evidence ? 'a page did not answer' : null,
        attempts: 1, started_at: at, finished_at: at + 30_000, evidence_dir: evidence, details: { ...NIGHT_DETAILS, cutoff: new Date(at).toISOString() },
      } });
    }
    events.emit('run_finished', { run_id: runId, status: failed ? 'failed' : 'ok', dry_run: false, found: 24, deleted: failed ? 12 : 24, remaining: failed ? 12 : 0, duration_ms: 60_000, at: at + 60_000, message: null });
  }
}
