// The purge properties at their full count: no recording at or after the cut-off, and no other Google product's
// activity, is ever deleted, over many random page variants, zones, marketplaces and keep_days. `npm test` runs
// the same files with a few cases each (test/purge/*-property.test.ts); VOICEWIPE_RELIABILITY=full runs them
// here with many (about 30 Alexa and 24 Google purges in real Chromium: several minutes).
import t from 'tap';
import { FULL, Figures } from '../helpers/reliability.ts';

const figures = new Figures();
figures.announce(t, 'purge properties at full count');
if (FULL) {
  // Each file's cases become subtests of this file (the same root test); their counts come from size().
  const alexa = await import('../purge/alexa-property.test.ts');
  const google = await import('../purge/google-property.test.ts');
  // Subtests run in turn: this one ends after every case the two files queued.
  await t.test('every property case ran', async (t) => { t.pass(`${alexa.runs} Alexa and ${google.RUNS} Google cases`); });
  figures.inputs_tried = alexa.runs + google.RUNS;
  figures.survived = t.passing() ? figures.inputs_tried : 0;
} else {
  t.comment('quick mode: the property files ran in the main suite with a few cases each');
  t.pass('nothing more to run in quick mode');
}
figures.report(t);
