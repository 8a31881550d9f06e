// A property over the simulator's Google variants and random cut-offs: whatever the delete dialog, the date
// widgets and the list answers do, and whether the run succeeds or refuses, no item of another product and no
// Assistant (or Gemini) item at or after the cut-off is ever deleted. Checked through the control API only.
import t from 'tap';
import fc from 'fast-check';
import { join } from 'node:path';
import { OTHER_PRODUCTS, googleSim, signedInEnv } from '../helpers/google-purge.ts';
import { size } from '../helpers/reliability.ts';

t.setTimeout(900_000);
const sim = await googleSim(t, 43, 120, 30);
// A few random cases in `npm test` (a new draw each run), many in the full reliability suite
// (test/reliability/properties.test.ts); VOICEWIPE_GOOGLE_PROPERTY_RUNS for any other count.
export const RUNS = Number(process.env.VOICEWIPE_GOOGLE_PROPERTY_RUNS ?? size(4, 24));

const variant = fc.record({
  deleteDialog: fc.constantFrom('product', 'all-products', 'chooser-assistant', 'chooser-all'),
  dateTyping: fc.constantFrom(undefined, 'ignored', 'dmy', 'before-lost'),
  mixedList: fc.constantFrom(undefined, undefined, 'unfiltered', 'always'),
  eventualConsistencyMs: fc.constantFrom(undefined, 3_600_000),
  keepDays: fc.integer({ min: 0, max: 35 }),
  includeGemini: fc.boolean(),
});

t.test('no other product\'s activity, and nothing at or after the cut-off, is ever deleted', async (t) => {
  const outcomes: string[] = [];
  const result = await fc.check(fc.asyncProperty(variant, async (v) => {
    const { keepDays, includeGemini, ...faults } = v;
    const env = await signedInEnv(t, sim, {
      keep_days: keepDays, include_gemini: includeGemini, dir: join(t.testdir(), `case-${outcomes.length}`),
      faults: Object.fromEntries(Object.entries(faults).filter(([, x]) => x !== undefined)),
    });
    const run = await env.run();
    const r = run.results[0];
    outcomes.push(`${JSON.stringify(v)} → ${r.status}${r.error_kind ? ` ${r.error_kind}` : ''}`);
    const cutoff = Date.parse(String(r.details.cutoff));
    if (!Number.isFinite(cutoff)) throw new Error(`the run reported no cut-off: ${JSON.stringify(r)}`);
    // Deletes that show up only later must obey the same rule: look an hour on.
    sim.control.advanceClock(2 * 3_600_000);
    try {
      const a = sim.control.activity('g');
      const others = OTHER_PRODUCTS.reduce((n, p) => n + a[p].deleted, 0) + (includeGemini ? 0 : a.gemini.deleted);
      const keptGone = sim.control.deleted('g', { from: cutoff }) + sim.control.deleted('g', { from: cutoff, product: 'gemini' });
      if (others !== 0 || keptGone !== 0) throw new Error(`${JSON.stringify(v)}: ${others} item(s) of other products and ${keptGone} at/after the cut-off deleted`);
      // A run that says ok left nothing older than the cut-off once Google caught up (it refuses otherwise).
      if (r.status === 'ok' && sim.control.remaining('g', { to: cutoff - 1 }) !== 0) throw new Error(`${JSON.stringify(v)}: ok, yet older Assistant items remain`);
    } finally {
      sim.control.advanceClock(-2 * 3_600_000);
    }
  }), { numRuns: RUNS, endOnFailure: true });
  t.comment(`fast-check seed=${result.seed} runs=${result.numRuns}\n${outcomes.join('\n')}`);
  t.notOk(result.failed, result.failed ? fc.defaultReportMessage(result) ?? 'failed' : 'property holds');
  t.ok(result.numRuns >= Math.min(RUNS, 1), 'the property ran');
});
