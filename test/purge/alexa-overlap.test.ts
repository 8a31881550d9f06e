// The delete's filter is set on the page while the count lists from Node (index.ts, delete.ts prepareFilter):
// whatever goes wrong on either side, nothing is deleted and the run says what failed. A count that fails while
// the filter is being set stops the run with the count's error; a filter that fails its read-back once counted is
// page_changed. Checked through the simulator's control API and request log, not only the product's report.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import { HISTORY_START } from '../../src/providers/alexa/history.ts';
import { FaultArming, expectedCutoff, londonCase, matrixEnv } from '../helpers/alexa-matrix.ts';

// Real Chromium, five purges: generous for a loaded machine.
t.setTimeout(300_000);
const base = Date.UTC(2026, 10, 20, 12, 0);
const started = Date.now();
const arming = new FaultArming();
/** The account whose count is made to fail, and the list calls its page sent once the count's calls were failing
 *  (no maxRecordSize, unlike the count's). */
let countFails: string | undefined;
const pageCallsWhileFailing: string[] = [];
const sim = await startSimulator({
  seed: 23, accounts: [], now: () => base + (Date.now() - started),
  onRequest: (line) => {
    arming.onRequest(line);
    if (countFails && !arming.pending && line.includes(`[${countFails}]`) && line.includes('-records-v2?') && !line.includes('maxRecordSize')) pageCallsWhileFailing.push(line);
  },
});
arming.attach(sim);
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);
const page = londonCase;

t.test('the count fails while the page sets All History: the count\'s error, nothing deleted', async (t) => {
  // Once the count's first list call from Node (it starts at HISTORY_START) has been answered, every later request
  // of the account answers 503, the page's filter calls included.
  countFails = 'ov-count';
  arming.arm('ov-count', { unavailable: {} }, (line) => line.includes(`startTime=${HISTORY_START}&`));
  // Enough recordings that the count needs many list calls after the first one.
  const out = await env.run(page('count fails'), { id: 'ov-count', keepDays: 0, recordings: 3_000, spanDays: 60 });
  sim.control.clearFaults('ov-count');
  countFails = undefined;
  t.notOk(arming.pending, 'the fault was armed by the count\'s list call');
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
  arming.arm('ov-oldest', { unavailable: { count: 1, matching } });
  const out = await env.run(page('oldest not found', {}, 'co.uk'), { id: 'ov-oldest', keepDays: 9, recordings: 300, spanDays: 15 });
  t.notOk(arming.pending, 'the fault was armed');
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
