import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log.ts';

t.test('secret-bearing fields are redacted at any depth', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const log = createLogger({ level: 'info', destination: sink });
  log.info({ password: 'hunter2-canary', account: { totp_secret: 'JBSWY3DPEHPK3PXP', id: 'kitchen' } }, 'one');
  log.info({ req: { headers: { authorization: 'Bearer tok-canary', cookie: 'session-id=cookie-canary' } } }, 'two');
  log.info({ config: { mqtt: { password: 'mqtt-canary' } }, token: 'admin-canary' }, 'three');
  const all = lines.join('');
  for (const secret of ['hunter2-canary', 'JBSWY3DPEHPK3PXP', 'tok-canary', 'cookie-canary', 'mqtt-canary', 'admin-canary']) {
    t.notOk(all.includes(secret), `${secret} not logged`);
  }
  t.match(all, /"id":"kitchen"/, 'ordinary fields are kept');
  t.equal(lines.length, 3);
  t.same(JSON.parse(lines[0]).password, '[redacted]');
});
