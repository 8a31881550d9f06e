// Property: whatever the household's time zone, the marketplace, keep_days and the page's form, no recording at
// or after the cut-off is ever deleted, and the purge still does its job. Checked through the simulator's own
// log of deleted recordings. Random cases from fast-check (a fixed seed in `npm test`; VOICEWIPE_PROPERTY_SEED and VOICEWIPE_PROPERTY_RUNS for others).
import t from 'tap';
import fc from 'fast-check';
import { allVariants, startSimulator } from '../../sim/server.ts';
import { matrixEnv } from '../helpers/alexa-matrix.ts';
import { size } from '../helpers/reliability.ts';

const sim = await startSimulator({ seed: 17, accounts: [] });
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);
const variants = allVariants();
const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'America/St_Johns', 'Asia/Kolkata',
  'Asia/Kathmandu', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Sao_Paulo'];
const MARKETPLACES = ['com', 'ca', 'co.uk', 'de', 'fr', 'it', 'es', 'in', 'com.au', 'co.jp', 'com.br'];
const seed = Number(process.env.VOICEWIPE_PROPERTY_SEED) || 20_261_201;
// A few cases in `npm test`, many in the full reliability suite (test/reliability/properties.test.ts).
export const runs = Number(process.env.VOICEWIPE_PROPERTY_RUNS) || size(4, 30);
// Real Chromium, one purge per run: generous for a loaded machine.
t.setTimeout(Math.max(400_000, runs * 30_000));

t.test('no recording at or after the cut-off is ever deleted', async (t) => {
  let n = 0;
  const seen: string[] = [];
  const result = await fc.check(fc.asyncProperty(
    fc.record({
      variant: fc.integer({ min: 0, max: variants.length - 1 }),
      timeZone: fc.constantFrom(...ZONES),
      marketplace: fc.constantFrom(...MARKETPLACES),
      keepDays: fc.integer({ min: 0, max: 20 }),
    }),
    async (p) => {
      const c = { ...variants[p.variant], marketplace: p.marketplace, timeZone: p.timeZone };
      const out = await env.run(c, { id: `p${n++}`, keepDays: p.keepDays, recordings: 24, spanDays: 24 });
      seen.push(`${c.name.split('@')[0]}@${p.marketplace}/${p.timeZone} keep ${p.keepDays}: ${out.result.status}`);
      if (out.deletedKept !== 0) throw new Error(`${out.deletedKept} recording(s) at or after the cut-off deleted`);
      if (out.after.kept !== out.before.kept) throw new Error(`kept recordings went from ${out.before.kept} to ${out.after.kept}`);
      // Not just "deleted nothing": the purge must have done its job too.
      if (out.result.status !== 'ok') throw new Error(`the purge failed: ${out.result.error_kind}: ${out.result.error_message}`);
      if (out.after.inScope !== 0) throw new Error(`${out.after.inScope} recording(s) before the cut-off left`);
    }), { seed, numRuns: runs, endOnFailure: true });
  t.comment(`fast-check seed=${seed} runs=${result.numRuns}`);
  for (const line of seen) t.comment(line);
  t.notOk(result.failed, result.failed ? `counterexample ${JSON.stringify(result.counterexample)}: ${String(result.errorInstance)}` : 'holds');
});
