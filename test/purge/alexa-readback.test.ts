// Read back before deleting: a page that takes typed dates in another order than the marketplace's (so typing
// deletes other days) is refused with page_changed and nothing is deleted, whether the page then lists the wrong
// days or rejects the dates. The simulator's clock is fixed in November so the typed days are ambiguous (≤ 12).
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import { matrixEnv } from '../helpers/alexa-matrix.ts';
import type { VariantCase } from '../../sim/server.ts';

// Real Chromium, six purges: generous for a loaded machine.
t.setTimeout(400_000);
const base = Date.UTC(2026, 10, 20, 12, 0);
const started = Date.now();
const sim = await startSimulator({ seed: 21, accounts: [], now: () => base + (Date.now() - started) });
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);

const wrongOrder = (marketplace: string, dateOrder: 'mdy' | 'dmy', dateInput: 'text' | 'text+calendar' = 'text'): VariantCase => ({
  name: `${marketplace} page typed ${dateOrder}`, marketplace, timeZone: 'Europe/London',
  variant: { dateOrder, dateInput }, signin: { style: 'email-first', emailField: 'ap_email' },
});

t.test('.co.uk page that reads month-first: the list call asks for other days → refused, nothing deleted', async (t) => {
  // keep_days 9 on 20 November: the last day deleted is 10 November, typed 10/11/2026, which the page reads as 11 October.
  const out = await env.run(wrongOrder('co.uk', 'mdy'), { id: 'uk-mdy', keepDays: 9, recordings: 30, spanDays: 15 });
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.match(out.result.error_message, /the page's list call asks for 2026-\d\d-\d\d … 2026-10-11/, out.result.error_message ?? '');
  t.ok(out.before.inScope > 0, `${out.before.inScope} recordings were in scope`);
  t.equal(out.after.inScope, out.before.inScope, 'nothing before the cut-off deleted');
  t.equal(out.after.kept, out.before.kept, 'nothing after it deleted');
  t.equal(sim.control.deletedLog('uk-mdy').length, 0, 'no delete request reached the vendor');
  t.ok((out.result.details.notes as string[]).some((n) => /^read back: typed 0\d\/11\/2026 – 10\/11\/2026 \(dmy\)/.test(n)), 'the read-back is in the notes');
  t.ok(out.result.evidence_dir, 'evidence kept');
});

t.test('.com page that reads day-first, with a calendar: refused, nothing deleted', async (t) => {
  const out = await env.run(wrongOrder('com', 'dmy', 'text+calendar'), { id: 'us-dmy', keepDays: 9, recordings: 30, spanDays: 15 });
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.equal(out.after.inScope, out.before.inScope, 'nothing deleted');
  t.equal(sim.control.deletedLog('us-dmy').length, 0);
});

t.test('a page that rejects the typed dates sends no list call: refused, nothing deleted', async (t) => {
  // 40 days back from 20 November is 11 October, typed 11/10/2026: month 11, day 10 on a month-first page, after the end.
  const out = await env.run(wrongOrder('co.uk', 'mdy'), { id: 'uk-mdy-2', keepDays: 9, recordings: 40, spanDays: 40 });
  t.match(out.result, { status: 'failed', error_kind: 'page_changed' });
  t.equal(out.after.inScope, out.before.inScope, 'nothing deleted');
  t.equal(sim.control.deletedLog('uk-mdy-2').length, 0);
});

t.test('the same dates on pages in the marketplace\'s order are deleted (the refusals above are the order, not the days)', async (t) => {
  for (const [id, marketplace] of [['uk-ok', 'co.uk'], ['de-ok', 'de'], ['jp-ok', 'co.jp']] as const) {
    const c: VariantCase = { name: id, marketplace, timeZone: 'Europe/London', variant: {}, signin: { style: 'email-first', emailField: 'ap_email' } };
    const out = await env.run(c, { id, keepDays: 9, recordings: 30, spanDays: 15 });
    t.equal(out.result.status, 'ok', `${id}: ${out.result.error_message ?? ''}`);
    t.equal(out.after.inScope, 0, `${id}: nothing before the cut-off left`);
    t.equal(out.deletedKept, 0, `${id}: nothing at or after the cut-off deleted`);
  }
});
