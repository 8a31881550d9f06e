// The routes trust req.body, req.query and req.params as typed from their JSON schemas (src/http/schemas.ts,
// RouteApp): so every bad input must stop at the schema with a 400 that names the field, before a handler sees it;
// and the type provider is types only: the JavaScript the daemon runs in production never loads it.
import t from 'tap';
import type { Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitModule } from '../../scripts/emit-js.ts';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { ACCOUNT_ID_PATTERN } from '../../src/http/schemas.ts';
import { seedHistory, simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 3 });
t.teardown(() => sim.close());

function setup(t: Test, nights = 0) {
  const context = testContext(t, simConfig(sim, t.testdir()));
  const runs = seedHistory(context, nights);
  const app = buildApp(context);
  t.teardown(() => app.close());
  return { context, app, runs, bearer: { authorization: `Bearer ${context.adminToken}` } };
}

t.test('bad params and bodies of the typed routes: a 400 naming the field, and the handler never runs', async (t) => {
  const { app, context, bearer } = setup(t);
  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/invite', {}, 'body.account is required'],
    ['POST', '/api/invite', { account: 'Not An Id' }, 'body.account must be an account id (lower-case letters, digits, _ and -)'],
    ['POST', '/api/invite', { account: 'kitchen', minutes: 60 }, 'body has an unknown field "minutes"'],
    ['POST', '/api/invite/redeem', {}, 'body.token is required'],
    ['POST', '/api/invite/redeem', { token: 7 }, 'body.token must be string'],
    ['POST', '/api/accounts/KITCHEN/acknowledge', undefined, `params.id must match pattern "${ACCOUNT_ID_PATTERN}"`],
    ['POST', '/api/accounts/KITCHEN/check-site', undefined, `params.id must match pattern "${ACCOUNT_ID_PATTERN}"`],
    ['GET', '/api/accounts/kitchen%2F..%2Fx/check-site/bundle', undefined, `params.id must match pattern "${ACCOUNT_ID_PATTERN}"`],
    ['GET', '/api/signin/Kitchen', undefined, 'params.account must be an account id (lower-case letters, digits, _ and -)'],
    ['POST', '/api/signin/kitchen/input', {}, 'body.type is required'],
    ['POST', '/api/signin/kitchen/input', { type: 'hover' }, 'body.type must be one of click, type, key, scroll'],
    ['POST', '/api/signin/kitchen/input', { type: 'click', x: 2, y: 0 }, 'body.x must be <= 1'],
    // Which fields a kind of input needs is checked in the route (the schema only knows each field alone).
    ['POST', '/api/signin/kitchen/input', { type: 'click', x: 0.5 }, 'body.y: required for a click'],
    ['POST', '/api/signin/kitchen/input', { type: 'type' }, 'body.text: required for a type'],
    ['POST', '/api/signin/kitchen/input', { type: 'key' }, 'body.key: required for a key'],
    ['POST', '/api/signin/kitchen/input', { type: 'scroll', text: 'x' }, 'body.dy: required for a scroll'],
  ];
  for (const [method, url, body, error] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers: bearer, ...(body === undefined ? {} : { payload: body as object }) });
    t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}`);
    t.same(res.json(), { error, status: 400 }, `${method} ${url}: ${error}`);
  }
  t.equal(context.purge.runner.running, undefined, 'nothing started');
  t.same(context.signIns.view('kitchen'), undefined, 'no sign-in opened');
});

t.test('good input arrives as the schema says: path and query numbers are numbers', async (t) => {
  const { app, runs, bearer } = setup(t, 3);
  const page = await app.inject({ url: '/api/runs?limit=2', headers: bearer });
  t.equal(page.statusCode, 200);
  const body = page.json();
  t.same(body.runs.map((r: { id: number }) => r.id), [runs[2], runs[1]], 'limit=2 is the number 2');
  t.equal(body.next_before, runs[1], 'a full page with older runs behind it (limit compared as a number)');
  const last = (await app.inject({ url: `/api/runs?limit=2&before=${body.next_before}`, headers: bearer })).json();
  t.same(last.runs.map((r: { id: number }) => r.id), [runs[0]]);
  t.equal(last.next_before, null);
  const exact = (await app.inject({ url: '/api/runs?limit=3', headers: bearer })).json();
  t.same([exact.runs.length, exact.next_before], [3, null], 'a full page with nothing older: no next page');
  const one = await app.inject({ url: `/api/runs/${runs[0]}`, headers: bearer });
  t.equal(one.json().id, runs[0], ':id looked up as a number');
  const none = await app.inject({ url: '/api/runs/77', headers: bearer });
  t.same(none.json(), { error: 'no run 77 (it may have been pruned from the history)', status: 404 });
});

t.test('the type provider is types only: no emitted module imports it', async (t) => {
  const root = new URL('../../src/', import.meta.url).pathname;
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const typed = files.filter((f) => readFileSync(join(root, f), 'utf8').includes('type-provider-json-schema-to-ts'));
  t.ok(typed.includes(join('http', 'schemas.ts')), 'src/http/schemas.ts names the provider (for its types)');
  for (const f of typed) {
    t.notMatch(emitModule(readFileSync(join(root, f), 'utf8')), /json-schema-to-ts/, `${f}: nothing of it in the JavaScript`);
  }
});
