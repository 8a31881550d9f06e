// The second half of the Alexa matrix's sample (alexa-matrix.test.ts runs the first half and checks that the
// whole sample covers every value of every dimension): the whole purge against each variant, in one Chromium.
import t from 'tap';
import { sampledVariants, startSimulator } from '../../sim/server.ts';
import { MATRIX_SAMPLE, checkCase, matrixEnv, secondHalf } from '../helpers/alexa-matrix.ts';

// Five whole purges and site checks in real Chromium: about a minute alone; more on a loaded machine.
t.setTimeout(600_000);

const sim = await startSimulator({ seed: 13, accounts: [] });
t.teardown(() => sim.close());
const env = matrixEnv(t, sim);
const cases = sampledVariants(MATRIX_SAMPLE);
const offset = cases.length - secondHalf(cases).length;

for (const [i, c] of secondHalf(cases).entries()) {
  t.test(c.name, async (t) => { await checkCase(t, env, c, offset + i); });
}
