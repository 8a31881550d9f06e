// Google purges delete Assistant's activity and nothing else, whatever the delete dialog offers: real Chromium
// against the simulated My Activity with Search, YouTube, Maps and Gemini activity in the same account. Scope is
// proved through the simulator's control API, never through the run's own report.
import t from 'tap';
import { cutoffOf, deletions, googleSim, hasNote, nothingDeleted, signedInEnv } from '../helpers/google-purge.ts';

t.setTimeout(600_000);
const sim = await googleSim(t, 31);

t.test('a dialog that defaults to all products: page_changed with evidence, nothing of any product deleted', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 10, faults: { deleteDialog: 'all-products' } });
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'page_changed', error_message: /names "All products", not Assistant alone: nothing deleted/ });
  t.ok(run.results[0].evidence_dir, 'screenshot and HTML kept');
  t.equal(run.results[0].attempts, 1, 'not retried');
  nothingDeleted(t, sim, 'all-products dialog');
  t.equal(sim.control.requests({ account: 'g', kind: 'google.rpc.Y6Lp2d' }).filter((r) => !r.kind!.endsWith('.preview')).length, 0, 'no delete request was sent');
});

t.test('a product step with Assistant pre-selected: purged, only Assistant\'s older activity gone', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 10, faults: { deleteDialog: 'chooser-assistant' } });
  const cutoff = cutoffOf(sim, 10);
  const inScope = sim.control.remaining('g', { to: cutoff - 1 });
  const run = await env.run();
  t.match(run.results[0], { status: 'ok', found: inScope, deleted: inScope, found_exact: true });
  hasNote(t, run.results[0], /only Assistant ticked \(as offered\)/);
  t.same(deletions(sim, cutoff), { others: 0, gemini: 0, assistantKept: 0, assistantOld: inScope, assistantOldLeft: 0 });
});

t.test('a product step with everything pre-selected: narrowed to Assistant and read back, or nothing', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 10, faults: { deleteDialog: 'chooser-all' } });
  const cutoff = cutoffOf(sim, 10);
  const inScope = sim.control.remaining('g', { to: cutoff - 1 });
  const run = await env.run();
  t.match(run.results[0], { status: 'ok', deleted: inScope });
  hasNote(t, run.results[0], /only Assistant ticked \(changed: Gemini Apps, Search, YouTube, Maps\)/);
  t.same(deletions(sim, cutoff), { others: 0, gemini: 0, assistantKept: 0, assistantOld: inScope, assistantOldLeft: 0 });
});

t.test('a list that mixes products: the page\'s own filtered request counts Assistant only; a mixed answer stops the run', async (t) => {
  let env = await signedInEnv(t, sim, { keep_days: 10, faults: { mixedList: 'unfiltered' } });
  const cutoff = cutoffOf(sim, 10);
  const inScope = sim.control.remaining('g', { to: cutoff - 1 });
  let run = await env.run({ dryRun: true });
  t.match(run.results[0], { status: 'ok', found: inScope, found_exact: true }, 'the hand-made request would list every product: not used');

  env = await signedInEnv(t, sim, { keep_days: 10, faults: { mixedList: 'always' } });
  run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'page_changed', error_message: /also lists other products' activity \(.*Search: \d+/ });
  nothingDeleted(t, sim, 'mixed list');
});

t.test('include_gemini: Assistant and Gemini each from its own page, other products untouched', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 5, include_gemini: true, faults: { deleteDialog: 'chooser-all' } });
  const cutoff = cutoffOf(sim, 5);
  const gemini = sim.control.remaining('g', { to: cutoff - 1, product: 'gemini' });
  t.ok(gemini > 0, 'Gemini activity in scope');
  const run = await env.run();
  t.equal(run.results[0].status, 'ok', run.results[0].error_message ?? '');
  const d = deletions(sim, cutoff);
  t.same({ others: d.others, assistantKept: d.assistantKept, assistantOldLeft: d.assistantOldLeft }, { others: 0, assistantKept: 0, assistantOldLeft: 0 });
  t.equal(d.gemini, gemini, 'Gemini\'s older activity, and only that');
  t.equal(sim.control.remaining('g', { to: cutoff - 1, product: 'gemini' }), 0);
});

t.test('a dialog that says Assistant but deletes every product: the survivor check ends over_deleted', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 10, faults: { deleteDialog: 'mislabelled' } });
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'over_deleted', error_message: /recordings the run meant to keep are gone/ });
  t.ok(run.results[0].evidence_dir, 'evidence kept');
  t.ok(deletions(sim, cutoffOf(sim, 10)).others > 0, 'the simulator confirms other products\' activity went (the lie was real)');
  const again = await env.run();
  t.match(again.results[0], { status: 'skipped', error_message: /paused/ }, 'purges of the account pause until a person acknowledges');
});
