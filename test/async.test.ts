// Every wait ends by itself: sleep stops on cancel, bounded() names the step that timed out and honours the
// run's cancellation, withDeadline() gives up (and says so through `expire`) without an unhandled rejection.
import t from 'tap';
import { bounded, sleep, withDeadline } from '../src/async.ts';
import { PurgeError } from '../src/errors.ts';

t.test('sleep: the full time, or until cancelled', async (t) => {
  let started = performance.now();
  await sleep(50);
  t.ok(performance.now() - started >= 45, 'slept');
  const abort = new AbortController();
  started = performance.now();
  setTimeout(() => abort.abort(), 20);
  await sleep(10_000, abort.signal);
  t.ok(performance.now() - started < 2_000, 'woken by the cancel');
  await sleep(10_000, abort.signal); // already cancelled: returns at once
  t.pass('an aborted signal never waits');
});

t.test('bounded: the answer, a named timeout, or the run\'s cancellation', async (t) => {
  t.equal(await bounded('count', async () => 42, 1_000), 42);
  // Steps that never answer (a promise that never settles holds no timer: the file ends as soon as it is done).
  const late = bounded('open the filter', () => new Promise(() => {}), 50);
  await t.rejects(late, { name: 'PurgeError', kind: 'timeout', message: /open the filter: no answer within 0 s/ });
  const abort = new AbortController();
  const cancelled = bounded('delete', () => new Promise(() => {}), 10_000, abort.signal);
  abort.abort(new PurgeError('cancelled', 'the run was cancelled'));
  await t.rejects(cancelled, { name: 'PurgeError', kind: 'cancelled' });
  await t.rejects(bounded('never', async () => 1, 1_000, abort.signal), { name: 'PurgeError', kind: 'cancelled' }, 'not even started');
  await t.rejects(bounded('fails', async () => { throw new Error('boom'); }, 1_000), /boom/, 'a failure passes through');
});

t.test('withDeadline: the result in time, else undefined and expire() once', async (t) => {
  let expired = 0;
  t.equal(await withDeadline(Promise.resolve('closed'), 1_000, () => expired++), 'closed');
  t.equal(expired, 0);
  const hung = new Promise<string>(() => {});
  t.equal(await withDeadline(hung, 30, () => expired++), undefined);
  t.equal(expired, 1, 'expire called: the caller kills what hung');
  const failing = Promise.reject(new Error('late failure'));
  await t.rejects(withDeadline(failing, 1_000), /late failure/);
});
