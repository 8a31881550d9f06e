// Waiting, bounded: every wait in voicewipe ends by itself (a timeout, a deadline, a cancelled run), because a
// vendor page, a browser or a broker that stops answering must never hold a purge or a shutdown.
import { PurgeError, classify } from './errors.ts';

/** Sleeps `ms`, or less when `signal` aborts (a cancelled run stops waiting at once). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Races a step against its timeout (a `timeout` PurgeError naming the step) and the run's cancellation.
 *  Playwright calls such as evaluate() have no timeout of their own: the hung call is left behind, and what
 *  follows it (evidence, closing the context) is itself bounded by withDeadline(). */
export async function bounded<T>(what: string, fn: () => Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw classify(signal.reason);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PurgeError('timeout', `${what}: no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    if (signal) {
      onAbort = () => reject(classify(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  const work = fn();
  work.catch(() => {}); // a step abandoned at its timeout may still fail later: not an unhandled rejection
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits for `work` at most `ms`; past that calls `expire` (kill the browser, say so) and gives undefined. */
export async function withDeadline<T>(work: Promise<T>, ms: number, expire: () => void = () => {}): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => { expire(); resolve(undefined); }, ms); });
  work.catch(() => {});
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
