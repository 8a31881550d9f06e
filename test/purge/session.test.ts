// The provider session factory shared by the purge run and check-site: the account's language and the
// household's zone reach the context, steps time out with a `timeout` naming the step, sleeps and steps end at
// once when the run is cancelled, and closing is bounded. A stubbed browser: no Chromium, milliseconds.
import t from 'tap';
import { Writable } from 'node:stream';
import type { RunBrowser } from '../../src/browser/launch.ts';
import { createLogger } from '../../src/log.ts';
import { PurgeError } from '../../src/errors.ts';
import { openProviderSession, originFor } from '../../src/purge/session.ts';
import type { Observations, Provider } from '../../src/providers/types.ts';
import { writeNoBrowserConfig } from '../helpers/no-browser.ts';

function stub(opts: { newPage?: () => Promise<unknown> } = {}) {
  const seen: { contextOptions?: Record<string, unknown>; closed: number; killed: number } = { closed: 0, killed: 0 };
  const context = { newPage: opts.newPage ?? (async () => ({})), close: async () => { seen.closed++; } };
  const browser = {
    kill: () => { seen.killed++; },
    newContext: async (o: Record<string, unknown>) => { seen.contextOptions = o; return context; },
  } as unknown as RunBrowser;
  return { browser, seen };
}

const provider = { origin: () => 'https://www.amazon.de' } as unknown as Provider;
const log = createLogger({ level: 'silent', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
const observations = (): Observations => ({ locators: {}, delete_requests: [], notes: [], timings: {} });

t.test('the context gets the account language, the household zone and the step timeout', async (t) => {
  const { config } = writeNoBrowserConfig(t.testdir());
  config.timezone = 'Europe/Berlin';
  const account = { ...config.accounts[0], marketplace: 'de', base_url: undefined };
  const { browser, seen } = stub();
  const { session, close } = await openProviderSession(browser, { config, account, provider, log, observations: observations(), now: () => 42 });
  t.match(seen.contextOptions, { locale: 'de-DE', timezoneId: 'Europe/Berlin', stepTimeoutMs: 5000 });
  t.equal(session.origin, 'https://www.amazon.de', 'no base_url: the provider origin');
  t.equal(session.now(), 42);
  t.equal(session.signal.aborted, false, 'check-site: a signal that never aborts');
  await close();
  t.equal(seen.closed, 1);
  t.equal(seen.killed, 0);
});

t.test('originFor: a base_url wins over the marketplace', async (t) => {
  const { config } = writeNoBrowserConfig(t.testdir());
  t.equal(originFor(config.accounts[0], provider), 'http://127.0.0.1:9');
});

t.test('a step past its timeout is a timeout naming the step; a cancelled run ends sleeps and steps at once', async (t) => {
  const { config } = writeNoBrowserConfig(t.testdir());
  const abort = new AbortController();
  const { browser } = stub();
  const { session } = await openProviderSession(browser, { config, account: config.accounts[0], provider, log, observations: observations(), signal: abort.signal, now: Date.now });
  const err = await session.step('opening the history page', () => new Promise(() => {}), 30).catch((e: PurgeError) => e);
  t.ok(err instanceof PurgeError);
  t.equal((err as PurgeError).kind, 'timeout');
  t.match((err as PurgeError).message, /opening the history page/);
  const started = performance.now();
  const slept = session.sleep(60_000);
  const stepped = session.step('counting', () => new Promise(() => {})).catch((e: PurgeError) => e);
  abort.abort(new PurgeError('cancelled', 'shutting down'));
  await slept;
  t.equal(((await stepped) as PurgeError).kind, 'cancelled');
  t.ok(performance.now() - started < 5_000, 'ended at once, not after the minute or the step timeout');
});

t.test('a page that cannot open: the context is closed, the error goes on', async (t) => {
  const { config } = writeNoBrowserConfig(t.testdir());
  const { browser, seen } = stub({ newPage: async () => { throw new Error('Target closed'); } });
  await t.rejects(openProviderSession(browser, { config, account: config.accounts[0], provider, log, observations: observations(), now: Date.now }), /Target closed/);
  t.equal(seen.closed, 1);
});
