// The range is proved and "deleted" means gone: date widgets where typing does not take (the calendar does),
// an open-ended range read back and refused, deletes that show up only an hour later (pending, not deleted),
// and items that never go (pending, then verification_failed once 36 h have passed). Real Chromium against the
// simulated My Activity; what was deleted is read from the simulator's control API.
import t from 'tap';
import { cutoffOf, deletions, googleSim, hasNote, nothingDeleted, signedInEnv } from '../helpers/google-purge.ts';

t.setTimeout(600_000);
const sim = await googleSim(t, 37);
const HOUR = 3_600_000;
// Items still listed after deleting stay listed for hours of the simulator's clock here: re-counting them for
// the test runner's usual 3 s of real time would change nothing but the suite's length.
const SHORT_SETTLE = { settleMs: 300 };

for (const dateTyping of ['ignored', 'dmy'] as const) {
  t.test(`typed dates that do not take (${dateTyping}): picked in the calendar, read back, exactly the days meant`, async (t) => {
    const env = await signedInEnv(t, sim, { keep_days: 12, faults: { dateTyping } });
    const cutoff = cutoffOf(sim, 12);
    const inScope = sim.control.remaining('g', { to: cutoff - 1 });
    const run = await env.run();
    t.match(run.results[0], { status: 'ok', found: inScope, deleted: inScope });
    hasNote(t, run.results[0], /did not take .*: picked .* in the calendar/);
    hasNote(t, run.results[0], /confirmation read back: products "Assistant", dates "\w{3} \d+, \d{4} – \w{3} \d+, \d{4}"/);
    t.same(deletions(sim, cutoff), { others: 0, gemini: 0, assistantKept: 0, assistantOld: inScope, assistantOldLeft: 0 });
  });
}

t.test('a Before date that looks typed but did not take: the open-ended range is read back and refused', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 12, faults: { dateTyping: 'before-lost' } });
  const run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'page_changed', error_message: /range reads "Since .*open-ended or different range\): nothing deleted/ });
  t.ok(run.results[0].evidence_dir, 'evidence kept');
  nothingDeleted(t, sim, 'open-ended range');
});

t.test('deletes that show up only after an hour: pending, not deleted; the next run finds them gone', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 12, faults: { eventualConsistencyMs: HOUR }, options: SHORT_SETTLE });
  const cutoff = cutoffOf(sim, 12);
  const inScope = sim.control.remaining('g', { to: cutoff - 1 });
  let run = await env.run();
  t.match(run.results[0], { status: 'ok', found: inScope, deleted: 0, pending: inScope, remaining: 0 });
  t.type(run.results[0].pending_oldest_at, 'number', 'pending items are aged');
  t.equal(sim.control.activity('g').assistant.pending, inScope, 'the simulator agrees: accepted, not applied');
  sim.control.advanceClock(2 * HOUR);
  t.same(deletions(sim, cutoff), { others: 0, gemini: 0, assistantKept: 0, assistantOld: inScope, assistantOldLeft: 0 }, 'an hour later they are gone, and only they');
  run = await env.run();
  t.match(run.results[0], { status: 'ok', found: 0 });
  t.notOk(run.results[0].pending, 'nothing pending any more');
});

t.test('items that never go: pending, and after 36 h a later run says verification_failed with the oldest', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 12, faults: { stuckItems: 3 }, options: SHORT_SETTLE });
  const cutoff = cutoffOf(sim, 12);
  const inScope = sim.control.remaining('g', { to: cutoff - 1 });
  let run = await env.run();
  t.match(run.results[0], { status: 'ok', found: inScope, deleted: inScope - 3, pending: 3 });
  const firstDelete = run.results[0].pending_oldest_at!;
  t.equal(sim.control.remaining('g', { to: cutoff - 1 }), 3, 'three still there');
  sim.control.advanceClock(37 * HOUR);
  run = await env.run();
  t.match(run.results[0], { status: 'failed', error_kind: 'verification_failed', error_message: /3 items still listed more than 36 h after/ });
  t.match(run.results[0].error_message, new Date(firstDelete).toISOString(), 'names when the oldest was first deleted');
  t.equal(sim.control.activity('g').search.deleted + sim.control.activity('g').youtube.deleted + sim.control.activity('g').maps.deleted, 0, 'no other product touched');
});

t.test('a list that repeats its cursor: counting stops, the count is "at least N"', async (t) => {
  const env = await signedInEnv(t, sim, { keep_days: 1, faults: { listLoop: true } });
  const run = await env.run({ dryRun: true });
  t.match(run.results[0], { status: 'ok', found_exact: false });
  t.ok(run.results[0].found! > 0, `at least ${run.results[0].found}`);
  hasNote(t, run.results[0], /repeated a page \(same cursor twice\)/);
  nothingDeleted(t, sim, 'dry run');
});
