import t from 'tap';
import { Writable } from 'node:stream';
import { openDatabase } from '../../src/db/open.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/log.ts';

function quietLogger() {
  return createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
}

t.test('GET /healthz reports db, mqtt and version', async (t) => {
  const { db } = openDatabase(':memory:');
  let mqtt: 'disabled' | 'connected' | 'disconnected' = 'disabled';
  const app = buildApp({ log: quietLogger(), db, version: '9.9.9', mqttHealth: () => mqtt });
  t.teardown(() => app.close());
  let res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok', db: 'ok', mqtt: 'disabled', version: '9.9.9' });
  mqtt = 'disconnected';
  res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200, 'a missing broker does not make the appliance unhealthy');
  t.same(res.json(), { status: 'degraded', db: 'ok', mqtt: 'disconnected', version: '9.9.9' });
  db.close();
  res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 503);
  t.equal(res.json().db, 'error');
});

t.test('unknown routes answer 404 in JSON', async (t) => {
  const { db } = openDatabase(':memory:');
  const app = buildApp({ log: quietLogger(), db, version: '1', mqttHealth: () => 'disabled' });
  t.teardown(() => { db.close(); return app.close(); });
  const res = await app.inject({ method: 'GET', url: '/nope' });
  t.equal(res.statusCode, 404);
  t.match(res.json(), { error: /no route GET \/nope/ });
});
