// The whole Alexa purge against the full cross product of page variants (sim/amazon/variants.ts, allVariants:
// every page structure on every matrix marketplace, time zones and sign-in forms rotating), each checked with
// check-site first and then through the simulator: everything before the cut-off gone, nothing at or after it
// deleted. `VOICEWIPE_RELIABILITY=full` runs all of it (hours: one real purge per case); the quick mode that
// `npm test` runs takes a seeded slice of the cases the main suite's sample does not cover.
import t from 'tap';
import { allVariants, sampledVariants, startSimulator } from '../../sim/server.ts';
import { MATRIX_SAMPLE, checkCase, matrixEnv } from '../helpers/alexa-matrix.ts';
import { FULL, Figures, SEED, prng } from '../helpers/reliability.ts';

const figures = new Figures();
figures.announce(t, 'Alexa purge across the page variants');
const sampled = new Set(sampledVariants(MATRIX_SAMPLE).map((c) => c.name));
const rest = allVariants().filter((c) => !sampled.has(c.name));
const random = prng(SEED);
const cases = FULL ? allVariants() : Array.from({ length: 4 }, () => rest[random.int(0, rest.length - 1)]);
t.comment(`${cases.length} of ${allVariants().length} cases`);
// About 20 s per case on a Pi-class machine under load, one Chromium for all of them.
t.setTimeout(Math.max(170_000, cases.length * 40_000));

const sim = await startSimulator({ seed: SEED % 100_000, accounts: [] });
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);

for (const [i, c] of cases.entries()) {
  await t.test(c.name, async (t) => {
    await checkCase(t, env, c, i);
    figures.inputs_tried++;
    if (!t.passing()) return;
    figures.survived++;
  });
}
figures.report(t);
