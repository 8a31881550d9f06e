// Property-based fuzzing of the admin API's bodies through app.inject: POST /api/purge, /api/schedule and
// /api/session with random JSON and non-JSON bodies, random content types, huge bodies. Always a JSON answer,
// 2xx or 4xx (409 busy), never 5xx; a 400 says what in the body is wrong, naming the field; no run starts
// and the schedule does not move unless the body was valid.
import t from 'tap';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { createContext } from '../../src/context.ts';
import type { DaemonContext } from '../../src/context.ts';
import { buildApp } from '../../src/http/app.ts';
import { captureLog } from '../mqtt/env.ts';
import { writeNoBrowserConfig } from '../helpers/no-browser.ts';
import { TEST_RUNNER } from '../helpers/purge.ts';
import { Figures, SEED, size } from '../helpers/reliability.ts';

const figures = new Figures();
figures.announce(t, 'HTTP API body fuzzing');
const RUNS = size(400, 4_000);

const { config } = writeNoBrowserConfig(t.testdir());
const captured = captureLog();
const context: DaemonContext = createContext(config, captured.log, { runner: TEST_RUNNER });
// A high limit on wrong tokens: the fuzzer sends thousands, and the 429 lock-out is tested elsewhere.
const app: FastifyInstance = buildApp(context, { maxAuthFailures: 1_000_000 });
await app.ready();
t.teardown(async () => {
  await app.close();
  await context.purge.runner.cancel();
  context.db.close();
});
const runCount = () => (context.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

const ROUTES = ['/api/purge', '/api/schedule', '/api/session'] as const;
type Route = typeof ROUTES[number];
const FIELDS: Record<Route, string[]> = { '/api/purge': ['account', 'dry_run'], '/api/schedule': ['enabled'], '/api/session': ['token'] };

const fieldValue = fc.oneof(
  fc.constantFrom('kitchen', 'office', 'parked', 'nope', 'KITCHEN', '', ' ', 'a'.repeat(65), '../x', 'kitchen\u0000', true, false, 'true', 0, 1, null, [], {}, ['kitchen']),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 300 }),
);
const objectBody = fc.dictionary(
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom('account', 'dry_run', 'enabled', 'token') }, fc.constantFrom('__proto__', 'constructor', 'force', ''), fc.string({ maxLength: 10 })),
  fieldValue, { maxKeys: 4 });
/** A body as bytes on the wire (undefined: no body at all). */
const body: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 6, arbitrary: objectBody.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  fc.constantFrom(undefined, '', ' ', 'null', '{', '{"account":', '[]', '"PRESS"', '{"dry_run":true}{"dry_run":true}', '{"__proto__":{"dry_run":true}}',
    '{"account":"kitchen","account":"office"}', 'account=kitchen', '\ufeff{}', '{"enabled":true}\u0000'),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.integer({ min: 60_000, max: size(200_000, 2_000_000) }), fc.constantFrom('json', 'junk')).map(([n, kind]) =>
    (kind === 'json' ? JSON.stringify({ account: 'kitchen', pad: 'x'.repeat(n) }) : 'x'.repeat(n))),
  fc.integer({ min: 100, max: size(5_000, 50_000) }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  fc.constantFrom(undefined, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/plain',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/problem+json', '', ';', 'json'),
  fc.string({ maxLength: 30 }),
);
const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  body,
  contentType,
  auth: fc.oneof({ weight: 8, arbitrary: fc.constant('admin') }, fc.constantFrom('none', 'wrong', 'garbage')),
  origin: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, fc.constantFrom('http://evil.example', 'null')),
});

/** Whether a parsed body is one the route must accept, and which fields are wrong. */
function judge(route: Route, parsed: unknown): { valid: boolean; wrong: string[] } {
  if (parsed === undefined && route === '/api/purge') return { valid: true, wrong: [] };
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { valid: false, wrong: [] };
  const o = parsed as Record<string, unknown>;
  const wrong = Object.keys(o).filter((k) => !FIELDS[route].includes(k));
  if (route === '/api/purge') {
    if ('account' in o && (typeof o.account !== 'string' || !/^[a-z0-9_-]{1,64}$/.test(o.account) || !['kitchen', 'office'].includes(o.account))) wrong.push('account');
    if ('dry_run' in o && typeof o.dry_run !== 'boolean') wrong.push('dry_run');
  } else if (route === '/api/schedule') {
    if (typeof o.enabled !== 'boolean') wrong.push('enabled');
  } else if (typeof o.token !== 'string' || o.token.trim() !== context.adminToken) {
    wrong.push('token');
  }
  return { valid: wrong.length === 0, wrong };
}

/** Fastify's JSON parser refuses prototype poisoning outright ("Body is not valid JSON"), rightly. */
const poisoned = (text: string) => /"__proto__"\s*:/.test(text) || (/"constructor"\s*:/.test(text) && /"prototype"\s*:/.test(text));

const statuses = new Map<number, number>();
await t.test('every body gets a JSON 2xx/4xx answer; only a valid one starts a run or moves the schedule', async (t) => {
  const result = await fc.check(fc.asyncProperty(request, async (r) => {
    figures.inputs_tried++;
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.auth === 'admin') headers.authorization = `Bearer ${context.adminToken}`;
    else if (r.auth === 'wrong') headers.authorization = 'Bearer not-the-token-0000000000000000000000';
    else if (r.auth === 'garbage') headers.authorization = 'Basic ???';
    if (r.origin) headers.origin = r.origin;
    const runsBefore = runCount();
    const scheduleBefore = context.scheduler.enabled;
    const res = await app.inject({ method: 'POST', url: r.route, headers, ...(r.body === undefined ? {} : { payload: r.body }) });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const where = `${r.route} ${res.statusCode}`;
    if (res.statusCode >= 500) { figures.crashes++; throw new Error(`${where}: ${res.body.slice(0, 300)}`); }
    if (![200, 202, 400, 401, 403, 404, 409, 413, 415].includes(res.statusCode)) throw new Error(`${where}: unexpected status`);
    if (!/^application\/json/.test(String(res.headers['content-type']))) throw new Error(`${where}: not JSON (${res.headers['content-type']})`);
    const answer = res.json() as { error?: unknown; run_id?: unknown; enabled?: unknown; admin?: unknown };
    if (res.statusCode >= 400 && (typeof answer.error !== 'string' || answer.error === '')) throw new Error(`${where}: no error message`);

    // What the request meant, judged independently of the app.
    const jsonType = r.contentType !== undefined && /^application\/json\s*(;|$)/i.test(r.contentType);
    let parsed: unknown;
    let parses = false;
    // A leading BOM is allowed (Fastify strips it, as RFC 8259 permits).
    // No body at all is "all accounts" (curl -X POST); an empty body declared as JSON is refused by Fastify.
    if (r.body === undefined || r.body.length === 0) { parsed = undefined; parses = r.contentType === undefined; }
    else if (jsonType) { try { parsed = JSON.parse(r.body.toString().replace(/^\ufeff/, '')); parses = !poisoned(r.body.toString()); } catch { /* not JSON */ } }
    const { valid, wrong } = parses ? judge(r.route, parsed) : { valid: false, wrong: [] };
    const allowed = r.origin === undefined && (r.auth === 'admin' || r.route === '/api/session');
    const error = String(answer.error ?? '');

    if (res.statusCode === 400) {
      if (!/\bbody\b/i.test(error)) throw new Error(`${where}: a 400 that does not say what in the body is wrong: ${error}`);
      const named = wrong;
      if (parses && named.length > 0 && !named.some((f) => error.includes(f))) throw new Error(`${where}: the error names none of ${named.join(', ')}: ${error}`);
    }
    if (res.statusCode === 202) {
      if (!(allowed && valid)) throw new Error(`${where}: a run started from an invalid request ${JSON.stringify(r).slice(0, 300)}`);
      if (runCount() !== runsBefore + 1 || typeof answer.run_id !== 'number') throw new Error(`${where}: 202 without a new run`);
    } else if (runCount() !== runsBefore) {
      throw new Error(`${where}: a run was recorded without a 202: ${JSON.stringify(r).slice(0, 300)}`);
    }
    if (r.route === '/api/schedule') {
      if (res.statusCode === 200) {
        if (!(allowed && valid)) throw new Error(`${where}: the schedule moved on an invalid request`);
        if (answer.enabled !== (parsed as { enabled: boolean }).enabled || context.scheduler.enabled !== answer.enabled) throw new Error(`${where}: the schedule did not follow`);
      } else if (context.scheduler.enabled !== scheduleBefore) {
        throw new Error(`${where}: the schedule moved without a 200`);
      }
    }
    if (r.route === '/api/session' && res.statusCode === 200) throw new Error(`${where}: signed in with ${String(r.body).slice(0, 100)}`);
    // A valid, allowed purge gets 202 or 409 (busy); nothing else.
    if (r.route === '/api/purge' && allowed && valid && ![202, 409].includes(res.statusCode)) {
      throw new Error(`${where}: a valid purge request was refused: ${error} ${JSON.stringify(r).slice(0, 200)}`);
    }
  }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  t.comment(`fast-check seed=${result.seed} runs=${result.numRuns}; answers: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  if (result.failed) {
    t.fail(`counterexample (replay: VOICEWIPE_RELIABILITY_SEED=${SEED}, path ${result.counterexamplePath}): ` +
      `${JSON.stringify(result.counterexample)?.slice(0, 600)}\n${String(result.errorInstance).slice(0, 800)}`);
  } else {
    t.pass(`${result.numRuns} requests`);
  }
  t.ok((statuses.get(202) ?? 0) + (statuses.get(409) ?? 0) > 0, 'some generated requests were valid purges (the oracle is exercised)');
  t.same(captured.logged(/request failed/), [], 'no 5xx was logged');
});

await t.test('figures', async (t) => { t.equal(figures.crashes, 0, 'no 5xx'); });
figures.report(t);
