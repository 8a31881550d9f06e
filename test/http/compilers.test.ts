// The HTTP app's schema compilers (src/http/compilers.ts): each validator and response serializer is compiled at
// its route's first use, and then behaves as Fastify's own compilers do.
import t from 'tap';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { openDatabase } from '../../src/db/open.ts';
import { buildApp } from '../../src/http/app.ts';
import { lazyCompilers } from '../../src/http/compilers.ts';
import { createLogger } from '../../src/log.ts';

const route = { method: 'GET', url: '/x', httpStatus: '200' };

t.test('a serializer is compiled at its first use, and writes what fast-json-stringify writes', async (t) => {
  const build = lazyCompilers.buildSerializer!({}, {});
  // A schema fast-json-stringify refuses: nothing happens until the first response.
  const broken = build({ ...route, schema: { type: 'object', properties: { a: { $ref: '#/nope' } } } });
  t.throws(() => broken({ a: 1 }), 'the broken schema is reported at the first response');
  const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' }, s: { type: 'string' } } };
  const serialize = build({ ...route, schema });
  const fjs = createRequire(createRequire(import.meta.url).resolve('fastify'))('fast-json-stringify');
  const data = { s: 'é"\n', n: 3, secret: 'not in the schema' };
  t.equal(serialize(data), fjs(schema)(data), 'same output as Fastify\'s default');
  t.equal(serialize(data), '{"n":3,"s":"é\\"\\n"}', 'properties outside the schema are left out');
  t.equal(serialize({ n: 4 }), '{"n":4}', 'the compiled serializer is reused');
});

t.test('a validator is compiled at its first use; bodies strict, query strings coerced', async (t) => {
  const app = Fastify({ schemaController: { compilersFactory: lazyCompilers } });
  t.teardown(() => app.close());
  const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' }, d: { type: 'string', default: 'x' } } };
  app.post('/b', { schema: { body: schema } }, async (req) => req.body);
  app.get('/q', { schema: { querystring: schema } }, async (req) => req.query);
  // A schema Ajv refuses: the app still starts, and the route answers 500 at its first request.
  app.get('/broken', { schema: { querystring: { type: 'object', properties: { n: { type: 'nonsense' } } } } }, async () => 'never');
  await app.ready();
  let res = await app.inject({ method: 'POST', url: '/b', payload: { n: '3' } });
  t.equal(res.statusCode, 400, 'no coercion in a body');
  t.match(res.json().message, /integer/);
  res = await app.inject({ method: 'POST', url: '/b', payload: { n: 3 } });
  t.same(res.json(), { n: 3, d: 'x' }, 'defaults filled in');
  res = await app.inject({ method: 'GET', url: '/q?n=3' });
  t.same(res.json(), { n: 3, d: 'x' }, 'a query string is coerced');
  res = await app.inject({ method: 'GET', url: '/q?n=x' });
  t.equal(res.statusCode, 400);
  res = await app.inject({ method: 'GET', url: '/broken?n=1' });
  t.equal(res.statusCode, 500);
});

t.test('GET /healthz writes its four strings as the schema orders them', async (t) => {
  const { db } = openDatabase(':memory:');
  const log = createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const app = buildApp({ log, db, version: '9.9.9', mqttHealth: () => 'disabled' });
  t.teardown(() => { db.close(); return app.close(); });
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.body, '{"status":"ok","db":"ok","mqtt":"disabled","version":"9.9.9"}');
  t.match(res.headers['content-type'], /^application\/json/);
});
