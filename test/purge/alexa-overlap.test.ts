// The delete's filter is set on the page while the count lists from Node (index.ts, delete.ts prepareFilter):
// whatever goes wrong on either side, nothing is deleted and the run says what failed. A count that fails while
// the filter is being set stops the run with the count's error; a filter that fails its read-back once counted is
// page_changed. Checked through the simulator's control API and request log, not only the product's report.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import type { SimFaults, VariantCase } from '../../sim/server.ts';
import { PER_ITEM } from '../../src/providers/alexa/delete.ts';
import { HISTORY_START } from '../../src/providers/alexa/history.ts';
import { expectedCutoff, matrixEnv } from '../helpers/alexa-matrix.ts';

// Real Chromium, three purges: generous for a loaded machine.
t.setTimeout(300_000);
const base = Date.UTC(2026, 10, 20, 12, 0);
const started = Date.now();
// Armed by a test: when the count's first list call from Node (it starts at HISTORY_START) has been answered,
// every later request of that account answers 503, the page's filter calls included.
let failCountOf: string | undefined;
// Armed by a test: faults given to the account at its first request (env.run resets an account's faults).
let arm: { account: string; faults: SimFaults } | undefined;
let failing: string | undefined;
/** List calls the page itself sent (no maxRecordSize, unlike the count's) once the count's calls were failing. */
const pageCallsWhileFailing: string[] = [];
const sim = await startSimulator({
  seed: 23, accounts: [], now: () => base + (Date.now() - started),
  onRequest: (line) => {
    if (arm && line.includes(`[${arm.account}]`)) {
      sim.control.setFaults(arm.account, arm.faults);
      arm = undefined;
    }
    if (failing && line.includes(`[${failing}]`) && line.includes('-records-v2?') && !line.includes('maxRecordSize')) pageCallsWhileFailing.push(line);
    if (!failCountOf || !line.includes(`startTime=${HISTORY_START}&`) || !line.includes(`[${failCountOf}]`)) return;
    sim.control.setFaults(failCountOf, { unavailable: {} });
    failing = failCountOf;
    failCountOf = undefined;
  },
});
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);

const page = (name: string, variant: VariantCase['variant'] = {}, marketplace = 'com'): VariantCase => ({
  name, marketplace, timeZone: 'Europe/London', variant, signin: { style: 'email-first', emailField: 'ap_email' },
});

t.test('the count fails while the page sets All History: the count\'s error, nothing deleted', async (t) => {
  failCountOf = 'ov-count';
  // Enough recordings that the count needs many list calls after the first one.
  const out = await env.run(page('count fails'), { id: 'ov-count', keepDays: 0, recordings: 3_000, spanDays: 60 });
  sim.control.clearFaults('ov-count');
  failing = undefined;
  t.equal(failCountOf, undefined, 'the fault was armed by the count\'s list call');
  t.match(out.result, { status: 'failed', error_kind: 'vendor_error' });
  t.match(out.result.error_message, /503/, out.result.error_message ?? '');
  // Every attempt fails the same way (the fault stays): the first one's page was setting the filter meanwhile.
  t.ok(pageCallsWhileFailing.length > 0, `the page sent its filter's list call while the count failed: ${pageCallsWhileFailing.join(' | ')}`);
  t.equal(sim.control.deletedLog('ov-count').length, 0, 'no delete request reached the vendor');
  t.equal(out.after.inScope + out.after.kept, out.before.inScope + out.before.kept, 'every recording still there');
});

t.test('a filter set while counting that reads back other days: page_changed, nothing deleted', async (t) => {
  // keep_days 9 on 20 November: the last day deleted, 10 November, is typed 10/11/2026 on a .co.uk page that
  // reads month-first (11 October).
  const out = await env.run(page('read-back fails', { dateOrder: 'mdy' }, 'co.uk'), { id: 'ov-readback', keepDays: 9, recordings: 300, spanDays: 15 });
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.match(out.result.error_message, /nothing was deleted/);
  t.type((out.result.details.timings as Record<string, number>).filter_during_count, 'number', 'the filter was set while counting');
  t.ok(out.before.inScope > 0);
  t.equal(out.after.inScope, out.before.inScope, 'nothing before the cut-off deleted');
  t.equal(out.after.kept, out.before.kept, 'nothing after it deleted');
  t.equal(sim.control.deletedLog('ov-readback').length, 0, 'no delete request reached the vendor');
});

t.test('the same page in its own order: the filter set while counting is read back and deletes the days', async (t) => {
  const out = await env.run(page('overlap ok', {}, 'co.uk'), { id: 'ov-ok', keepDays: 9, recordings: 300, spanDays: 15 });
  t.equal(out.result.status, 'ok', `${out.result.error_kind ?? ''} ${out.result.error_message ?? ''}`);
  t.type((out.result.details.timings as Record<string, number>).filter_during_count, 'number');
  // The oldest day found while counting is the day the count found oldest: the typed start is that day.
  t.ok((out.result.details.notes as string[]).some((n) => /^read back: typed \d\d\/\d\d\/2026 – 10\/11\/2026 \(dmy\)/.test(n)), 'read back the days typed');
  t.equal(out.after.inScope, 0, 'nothing before the cut-off left');
  t.equal(out.deletedKept, 0, 'nothing at or after the cut-off deleted');
});

t.test('many recordings in the oldest hour: the oldest day is still found while counting', async (t) => {
  // 3,000 over 30 days: the simulator puts the part of the first day before the span's start at its first
  // milliseconds, dozens of recordings a millisecond apart, more than one list call holds.
  const out = await env.run(page('dense oldest hour', {}, 'com'), { id: 'ov-dense', keepDays: 9, recordings: 3_000, spanDays: 30 });
  t.equal(out.result.status, 'ok', `${out.result.error_kind ?? ''} ${out.result.error_message ?? ''}`);
  const notes = out.result.details.notes as string[];
  t.notOk(notes.some((n) => /oldest day was not found/.test(n)), 'the filter was set while counting');
  t.ok(notes.some((n) => /^read back: typed \d\d\/\d\d\/2026 – /.test(n)), 'read back the days typed');
  t.equal(out.after.inScope, 0, 'nothing before the cut-off left');
  t.equal(out.deletedKept, 0, 'nothing at or after the cut-off deleted');
});

t.test('the oldest day not found while counting: the range is typed once counted, read back, and deletes the days', async (t) => {
  // The oldest-day search halves [HISTORY_START, cut-off): its second call asks the older half. That one call fails,
  // so the search gives up; the count (other ranges) goes on. The date menus were opened meanwhile.
  const cutoff = expectedCutoff(9, sim.control.now(), 'Europe/London');
  const matching = `startTime=${HISTORY_START}&endTime=${Math.floor((HISTORY_START + cutoff - 1) / 2)}&`;
  // Its next list call for exactly these query parameters answers 503.
  arm = { account: 'ov-oldest', faults: { unavailable: { count: 1, matching } } };
  const out = await env.run(page('oldest not found', {}, 'co.uk'), { id: 'ov-oldest', keepDays: 9, recordings: 300, spanDays: 15 });
  t.equal(arm, undefined, 'the fault was armed');
  t.ok(sim.control.requests({ account: 'ov-oldest' }).some((r) => r.path.includes(matching) && r.status === 503), 'the oldest-day search\'s call failed');
  t.equal(out.result.status, 'ok', `${out.result.error_kind ?? ''} ${out.result.error_message ?? ''}`);
  const notes = out.result.details.notes as string[];
  t.ok(notes.some((n) => /oldest day was not found while counting/.test(n)), notes.join(' | '));
  t.ok(notes.some((n) => /^read back: typed \d\d\/\d\d\/2026 – 10\/11\/2026 \(dmy\)/.test(n)), 'read back the days typed once counted');
  t.ok(out.before.inScope > 0);
  t.equal(out.after.inScope, 0, 'nothing before the cut-off left');
  t.equal(out.after.kept, out.before.kept, 'everything from the cut-off on still there');
  t.equal(out.deletedKept, 0, 'nothing at or after the cut-off deleted');
});

t.test('a range delete that takes a day too many: over_deleted, with how many and which day, and the evidence kept', async (t) => {
  // The backend ends the range a day later than the page asked (its day in another time zone): the read-back
  // cannot see that; the survivor check does.
  arm = { account: 'ov-over', faults: { overDeleteMs: 86_400_000 } };
  const out = await env.run(page('deletes a day too many', {}, 'co.uk'), { id: 'ov-over', keepDays: 9, recordings: 300, spanDays: 15 });
  t.equal(arm, undefined, 'the fault was armed');
  const gone = sim.control.deletedLog('ov-over', { from: out.cutoff });
  t.ok(gone.length > 0, `the simulator deleted ${gone.length} recording(s) of the first day kept`);
  t.match(out.result, { status: 'failed', error_kind: 'over_deleted', attempts: 1 });
  // 20 November, keep_days 9: the first day kept is 11 November (London), the day the backend took too.
  t.match(out.result.error_message, new RegExp(`^${gone.length} recordings? the run meant to keep (is|are) gone \\(2026-11-11: ${gone.length}\\)`));
  t.ok(out.result.evidence_dir, 'evidence kept');
  t.equal(out.after.inScope, 0, 'the range itself was deleted');
});

t.test('a count cut short (a list that loops): "at least N", the range from the first possible day, nothing kept deleted', async (t) => {
  for (const [name, variant] of [['typed', {}], ['calendar only', { dateInput: 'calendar' }]] as const) {
    const id = `ov-loop-${variant.dateInput ?? 'text'}`;
    arm = { account: id, faults: { listLoop: true } };
    const out = await env.run(page(`loops, ${name}`, variant, 'com'), { id, keepDays: 9, recordings: 300, spanDays: 15 });
    t.equal(arm, undefined, `${name}: the fault was armed`);
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
  arm = { account: 'ov-moved', faults: { listMoved: true } };
  const out = await env.run(page('list call moved', {}, 'com'), { id: 'ov-moved', keepDays: 9, recordings: 300, spanDays: 15 });
  t.equal(arm, undefined, 'the fault was armed');
  t.ok(sim.control.requests({ account: 'ov-moved' }).some((r) => r.path.startsWith('/alexa-privacy/apd/rah/alexa-history-records-v3')), 'the page listed through its new call');
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.match(out.result.error_message, /the page shows \d+ recordings but .*the count would be blind/);
  t.ok(out.result.evidence_dir, 'evidence kept');
  t.equal(sim.control.deletedLog('ov-moved').length, 0, 'nothing deleted');
  t.equal(out.after.inScope, out.before.inScope, 'every recording still there');
});

t.test('a page without a range delete: one by one up to the bound, the rest left for the next run without waiting', async (t) => {
  const bound = PER_ITEM.max;
  PER_ITEM.max = 5;
  t.teardown(() => { PER_ITEM.max = bound; });
  const out = await env.run(page('one by one, bounded', { page: 'rah', rangeDelete: 'none' }, 'com'), { id: 'ov-bounded', keepDays: 7, recordings: 40, spanDays: 20 });
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
