// The providers loaded at their first use (src/providers/load.ts), and a failed load reported where it is met.
import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.ts';
import { PROVIDERS } from '../../src/providers/index.ts';
import { loadProviders, providerNamed } from '../../src/providers/load.ts';
import { RemoteSignIns, SignInError } from '../../src/signin/remote.ts';

t.test('loadProviders imports the providers once; providerNamed takes them or how to load them', async (t) => {
  const first = loadProviders();
  t.equal(loadProviders(), first, 'one import for every caller');
  t.equal(await first, PROVIDERS);
  t.equal(await providerNamed(loadProviders, 'alexa'), PROVIDERS.alexa);
  t.equal(await providerNamed(PROVIDERS, 'google'), PROVIDERS.google);
  t.equal(await providerNamed(loadProviders, 'cortana'), undefined, 'a name this version has no provider for');
});

t.test('a sign-in whose provider code cannot be loaded fails with the reason, and opens no browser', async (t) => {
  const signIns = new RemoteSignIns({
    config: { accounts: [{ id: 'a', provider: 'alexa', enabled: true }] } as never, vault: {} as never,
    log: createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) }),
    providers: () => Promise.reject(new Error("voicewipe's provider code could not be loaded (reinstall voicewipe?): Cannot find module")),
    openBrowser: () => { throw new Error('no browser should open'); },
    busy: () => false, onSignedIn: () => {},
  });
  const err = await signIns.start('a').catch((e: unknown) => e);
  t.ok(err instanceof SignInError);
  t.match(err, { status: 500, message: /provider code could not be loaded.*Cannot find module/ });
  t.equal(signIns.view('a'), undefined, 'no sign-in left open');
});
