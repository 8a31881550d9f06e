// The Alexa purge when Amazon misbehaves in ways only a look at the simulator can prove: a range delete that takes
// more than asked (the survivor check), a list that never ends (a count cut short), a page that lists through a call
// we do not know (a blind count), a page that deletes only one by one (a bounded fallback). Each through the real
// page and Chromium; checked through the simulator's control API and request log, not only the product's report.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import { PER_ITEM } from '../../src/providers/alexa/delete.ts';
import { FaultArming, londonCase, matrixEnv } from '../helpers/alexa-matrix.ts';

// Real Chromium, five purges: generous for a loaded machine.
t.setTimeout(300_000);
const base = Date.UTC(2026, 10, 20, 12, 0);
const started = Date.now();
const arming = new FaultArming();
const sim = await startSimulator({ seed: 29, accounts: [], now: () => base + (Date.now() - started), onRequest: arming.onRequest });
arming.attach(sim);
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);
const page = londonCase;

t.test('a range delete that takes a day too many: over_deleted, with how many and which day, and the evidence kept', async (t) => {
  // The backend ends the range a day later than the page asked (its day in another time zone): the read-back
  // cannot see that; the survivor check does.
  arming.arm('f-over', { overDeleteMs: 86_400_000 });
  const out = await env.run(page('deletes a day too many', {}, 'co.uk'), { id: 'f-over', keepDays: 9, recordings: 300, spanDays: 15 });
  t.notOk(arming.pending, 'the fault was armed');
  const gone = sim.control.deletedLog('f-over', { from: out.cutoff });
  t.ok(gone.length > 0, `the simulator deleted ${gone.length} recording(s) of the first day kept`);
  t.match(out.result, { status: 'failed', error_kind: 'over_deleted', attempts: 1 });
  // 20 November, keep_days 9: the first day kept is 11 November (London), the day the backend took too.
  t.match(out.result.error_message, new RegExp(`^${gone.length} recordings? the run meant to keep (is|are) gone \\(2026-11-11: ${gone.length}\\)`));
  t.ok(out.result.evidence_dir, 'evidence kept');
  t.equal(out.after.inScope, 0, 'the range itself was deleted');
});

t.test('a count cut short (a list that loops): "at least N", the range from the first possible day, nothing kept deleted', async (t) => {
  for (const [name, variant] of [['typed', {}], ['calendar only', { dateInput: 'calendar' }]] as const) {
    const id = `f-loop-${variant.dateInput ?? 'text'}`;
    arming.arm(id, { listLoop: true });
    const out = await env.run(page(`loops, ${name}`, variant, 'com'), { id, keepDays: 9, recordings: 300, spanDays: 15 });
    t.notOk(arming.pending, `${name}: the fault was armed`);
    t.equal(out.result.status, 'ok', `${name}: ${out.result.error_kind ?? ''} ${out.result.error_message ?? ''} ${JSON.stringify(out.result.details.notes)}`);
    t.equal(out.result.found_exact, false, `${name}: the count says "at least"`);
    t.ok((out.result.found ?? 0) > 0 && (out.result.found ?? 0) < out.before.inScope, `${name}: counted at least ${out.result.found} of ${out.before.inScope}`);
    const notes = out.result.details.notes as string[];
    t.ok(notes.some((n) => /^counted at least \d+: the list repeated a cursor/.test(n)), `${name}: says why the count stopped`);
    // Lists are newest first: with the oldest unknown, the range starts at the first day anything could be.
    // Typed, or picked in the calendar about 150 months back.
    t.ok(notes.some((n) => /^read back: typed (01\/01\/2014 – 11\/10\/2026|2014-01-01 picked – 2026-11-10 picked)/.test(n)), `${name}: read back from 1 January 2014: ${notes.join(' | ')}`);
    t.equal(out.after.inScope, 0, `${name}: nothing before the cut-off left`);
    t.equal(out.deletedKept, 0, `${name}: nothing at or after the cut-off deleted`);
    t.equal(out.after.kept, out.before.kept, `${name}: everything from the cut-off on still there`);
  }
});

t.test('the page lists through a call voicewipe does not know, the classic one lists nothing: page_changed, not "0 found, OK"', async (t) => {
  arming.arm('f-moved', { listMoved: true });
  const out = await env.run(page('list call moved', {}, 'com'), { id: 'f-moved', keepDays: 9, recordings: 300, spanDays: 15 });
  t.notOk(arming.pending, 'the fault was armed');
  t.ok(sim.control.requests({ account: 'f-moved' }).some((r) => r.path.startsWith('/alexa-privacy/apd/rah/alexa-history-records-v3')), 'the page listed through its new call');
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.match(out.result.error_message, /the page shows \d+ recordings but .*the count would be blind/);
  t.ok(out.result.evidence_dir, 'evidence kept');
  t.equal(sim.control.deletedLog('f-moved').length, 0, 'nothing deleted');
  t.equal(out.after.inScope, out.before.inScope, 'every recording still there');
});

t.test('a page without a range delete: one by one up to the bound, the rest left for the next run without waiting', async (t) => {
  const bound = PER_ITEM.max;
  PER_ITEM.max = 5;
  t.teardown(() => { PER_ITEM.max = bound; });
  const out = await env.run(page('one by one, bounded', { page: 'rah', rangeDelete: 'none' }, 'com'), { id: 'f-bounded', keepDays: 7, recordings: 40, spanDays: 20 });
  const r = out.result;
  t.equal(r.status, 'ok', `${r.error_kind ?? ''} ${r.error_message ?? ''} ${JSON.stringify(r.details.notes)}`);
  t.ok(out.before.inScope > 5, `${out.before.inScope} recordings before the cut-off`);
  t.match(r, { found: out.before.inScope, found_exact: true, deleted: 5, remaining: out.before.inScope - 5 });
  t.equal(out.after.inScope, out.before.inScope - 5, 'five deleted (the simulator)');
  t.equal(out.deletedKept, 0, 'nothing at or after the cut-off deleted');
  const notes = r.details.notes as string[];
  t.ok(notes.some((n) => /^one by one: 5 this run \(at most 5 a run\); the next run goes on$/.test(n)), notes.join(' | '));
  t.ok(notes.some((n) => new RegExp(`^${out.before.inScope - 5} left for the next run`).test(n)), 'the rest is the next run\'s, said so');
  // Not waited for: the verification stops at once instead of running out the settle time (3 s in tests).
  t.ok((r.details.timings as Record<string, number>).verify < 2_500, `verified in ${(r.details.timings as Record<string, number>).verify} ms`);
});
