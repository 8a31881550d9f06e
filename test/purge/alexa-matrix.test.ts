// The whole Alexa purge (sign-in, count, delete, verify) against a sample of the page variants the facts allow
// (sim/amazon/variants.ts, sampledVariants): every value of every dimension at least once, in one Chromium.
// Checked through the simulator: everything before the cut-off gone, nothing at or after it deleted.
// This file runs the first half of the sample, alexa-matrix-rest.test.ts the second (two files run side by side).
// The full cross product runs in the reliability suite (test/reliability/alexa-matrix.test.ts).
import t from 'tap';
import { allVariants, sampledVariants, startSimulator } from '../../sim/server.ts';
import { MATRIX_SAMPLE, checkCase, firstHalf, matrixEnv, valuesOf } from '../helpers/alexa-matrix.ts';

// Five whole purges and site checks in real Chromium: about a minute alone; a machine shared with other
// heavy work (a loaded CI box) can take several times that, hence the generous bound.
t.setTimeout(600_000);

const sim = await startSimulator({ seed: 13, accounts: [] });
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);
const cases = sampledVariants(MATRIX_SAMPLE);

t.test('the sample covers every value of every dimension', async (t) => {
  const pages = new Set(cases.map((c) => c.variant.page ?? 'rvh'));
  t.same([...pages].sort(), ['rah', 'rvh']);
  t.ok(new Set(cases.map((c) => c.marketplace)).size >= 6, 'several marketplaces');
  const seen = new Set(cases.flatMap(valuesOf));
  t.same([...new Set(allVariants().flatMap(valuesOf))].filter((v) => !seen.has(v)), [], 'no value of the full matrix left out');
});

for (const [i, c] of firstHalf(cases).entries()) {
  t.test(c.name, async (t) => { await checkCase(t, env, c, i); });
}
