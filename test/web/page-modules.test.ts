// The status page's scripts as ES modules (web/app.js, web/signin.js, web/page/*.js): each one served as
// JavaScript under the strict CSP, every import resolving to a served module and every module in use, and the
// page's words for the daemon's closed lists matching the daemon's. No browser: page.test.ts loads them in Chromium.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { ERROR_KINDS } from '../../src/errors.ts';
import { ERROR_TITLES } from '../../src/purge/report.ts';
import { ACCOUNT_STATES } from '../../src/purge/status.ts';
import { simConfig, testContext } from '../http/env.ts';

const WEB = new URL('../../web/', import.meta.url).pathname;
const MODULES = ['app.js', 'signin.js', ...readdirSync(join(WEB, 'page')).filter((f) => f.endsWith('.js')).map((f) => `page/${f}`)];

/** The relative modules a file imports (`import … from './x.js'`), as paths under web/. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(WEB, file), 'utf8');
  return [...text.matchAll(/^import [^;]*? from '(\.{1,2}\/[^']+)';$/gm)].map((m) => relative(WEB, resolve(dirname(join(WEB, file)), m[1])));
}

const sim = await startSimulator({ seed: 18 });
t.teardown(() => sim.close());

t.test('every module is served as JavaScript, with the CSP that allows only the page\'s own scripts', async (t) => {
  const context = testContext(t, simConfig(sim, t.testdir(), { http: 'public_status: true' }));
  const app = buildApp(context);
  t.teardown(() => app.close());
  const page = await app.inject('/');
  t.match(page.body, /<script type="module" src="app\.js"><\/script>/, 'the page loads its entry as a module');
  t.equal([...page.body.matchAll(/<script\b/g)].length, 1, 'one script tag: the rest are imported');
  for (const file of MODULES) {
    const res = await app.inject(`/${file}`);
    t.equal(res.statusCode, 200, file);
    // Browsers refuse a module served with any other type (strict MIME checking for module scripts).
    t.match(res.headers['content-type'], /^(text|application)\/javascript\b/, `${file}: a JavaScript type`);
    t.match(res.headers['content-security-policy'], /script-src 'self'/, `${file}: under the CSP`);
    t.equal(res.headers['x-content-type-options'], 'nosniff');
  }
  for (const url of ['/tsconfig.json', '/page/', '/page/../package.json', '/page/sub/x.js', '/docs/status-phone.png']) {
    t.equal((await app.inject(url)).statusCode, 404, `${url} is not served`);
  }
});

t.test('every import resolves to a module of the page, and every module is imported', async (t) => {
  const reached = new Set(['app.js']);
  const queue = ['app.js'];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of importsOf(file)) {
      t.ok(MODULES.includes(target), `${file} imports ${target}, one of the page's modules`);
      if (!reached.has(target)) { reached.add(target); queue.push(target); }
    }
  }
  // types.js holds JSDoc types only: imported by the type checker (import('./types.js')), never at run time.
  t.same(MODULES.filter((f) => !reached.has(f)).sort(), ['page/types.js'], 'no module left out of the page');
});

t.test('the page\'s words: a title for every error kind (the daemon\'s), words for every account state', async (t) => {
  // A plain module with no DOM at load: Node imports it as the browser does.
  const words = await import(new URL('../../web/page/words.js', import.meta.url).href) as {
    ERROR_TITLES: Record<string, string>; STATE_WORDS: Record<string, string>;
    wordFor: (table: Record<string, string>, key: string | null | undefined) => string;
  };
  t.same(words.ERROR_TITLES, ERROR_TITLES, 'the history names errors as the daemon\'s headlines do');
  t.same(Object.keys(words.ERROR_TITLES).sort(), [...ERROR_KINDS].sort());
  t.same(Object.keys(words.STATE_WORDS).sort(), [...ACCOUNT_STATES].sort());
  t.equal(words.wordFor(words.STATE_WORDS, 'needs_person'), 'Needs you');
  t.equal(words.wordFor(words.STATE_WORDS, 'a_state_added_later'), 'a_state_added_later', 'an unknown word shows as the daemon said it');
  t.equal(words.wordFor(words.STATE_WORDS, null), '');
});
