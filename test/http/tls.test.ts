// HTTPS built in: the self-signed certificate (0600 key, fingerprint), one port answering TLS and plain HTTP
// (served from loopback, redirected from elsewhere), Secure cookies over TLS, the daemon's start-up with TLS and
// private file modes, and `voicewipe token` printing the fingerprint and rotating the token.
import t from 'tap';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { certificateFingerprint, dualProtocolServer, ensureCertificate, isLoopbackAddress, tlsEnabled } from '../../src/http/tls.ts';
import { startDaemon } from '../../src/main.ts';
import { runCli } from '../helpers/cli.ts';
import { quietLogger, seedHistory, simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 3 });
t.teardown(() => sim.close());

function httpsGet(url: string, ca: Buffer, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

t.test('when TLS is on', async (t) => {
  t.equal(tlsEnabled({ tls: 'auto', host: '0.0.0.0' }), true, 'auto on the LAN: HTTPS');
  t.equal(tlsEnabled({ tls: 'auto', host: '192.168.1.20' }), true);
  t.equal(tlsEnabled({ tls: 'auto', host: '127.0.0.1' }), false, 'auto on loopback only: plain HTTP');
  t.equal(tlsEnabled({ tls: 'auto', host: 'localhost' }), false);
  t.equal(tlsEnabled({ tls: 'on', host: '127.0.0.1' }), true);
  t.equal(tlsEnabled({ tls: 'off', host: '0.0.0.0' }), false, 'off: behind your own proxy');
  t.ok(isLoopbackAddress('::ffff:127.0.0.1'));
  t.notOk(isLoopbackAddress('192.168.1.2'));
});

t.test('the certificate: made once, key 0600 in a 0700 folder, its fingerprint kept', async (t) => {
  const state = join(t.testdir(), 'state');
  t.equal(certificateFingerprint(state), undefined, 'none before the first start');
  const cert = await ensureCertificate(state, ['voicewipe.home.arpa', '192.168.1.20']);
  t.match(cert.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  t.equal(statSync(join(state, 'tls', 'key.pem')).mode & 0o777, 0o600);
  t.equal(statSync(join(state, 'tls')).mode & 0o777, 0o700);
  t.equal(certificateFingerprint(state), cert.fingerprint);
  t.equal((await ensureCertificate(state)).fingerprint, cert.fingerprint, 'kept across starts');
  const { X509Certificate } = await import('node:crypto');
  const x509 = new X509Certificate(cert.cert);
  t.match(x509.subjectAltName, /DNS:localhost/);
  t.match(x509.subjectAltName, /DNS:voicewipe\.home\.arpa/);
  t.match(x509.subjectAltName, /IP Address:192\.168\.1\.20/);
  t.notOk(readdirSync(join(state, 'tls')).some((f) => f.endsWith('.tmp')), 'no leftovers');
  await t.rejects(ensureCertificate(join(t.testdir(), 'other'), [], { openssl: '/nonexistent/openssl' }), /openssl is not installed.*http\.tls: off/);
});

t.test('one port: HTTPS, plain HTTP from this machine, a redirect for plain HTTP from elsewhere', async (t) => {
  const dir = t.testdir();
  const config = simConfig(sim, dir, { http: 'public_status: true' });
  const context = testContext(t, config, {}, quietLogger());
  seedHistory(context, 1);
  const cert = await ensureCertificate(config.state_dir);
  const app = buildApp(context, { serverFactory: dualProtocolServer(cert) });
  t.teardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;

  // The certificate is checked for real: this test trusts exactly it.
  const tls = await httpsGet(`https://127.0.0.1:${port}/api/status`, cert.cert);
  t.equal(tls.res.statusCode, 200);
  t.match(JSON.parse(tls.body), { admin: false, accounts: [{ id: 'kitchen' }] });
  const session = await httpsGet(`https://localhost:${port}/api/session`, cert.cert, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: `https://localhost:${port}` }, body: JSON.stringify({ token: context.adminToken }),
  });
  t.equal(session.res.statusCode, 200);
  t.match(String(session.res.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Secure$/, 'the cookie is Secure over HTTPS');

  const plain = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(plain.status, 200, 'plain HTTP from the Pi itself (health checks)');
  t.equal((await fetch(`http://127.0.0.1:${port}/api/status`)).status, 200);
});

t.test('plain HTTP from another machine is redirected to https, never served', async (t) => {
  const config = simConfig(sim, t.testdir(), { http: 'public_status: true' });
  const context = testContext(t, config, {}, quietLogger());
  const cert = await ensureCertificate(config.state_dir);
  // As if every client were on the LAN (tests only speak on loopback).
  const app = buildApp(context, { serverFactory: dualProtocolServer(cert, () => false) });
  t.teardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const res = await fetch(`http://127.0.0.1:${port}/api/status?x=1`, { redirect: 'manual' });
  t.equal(res.status, 308);
  t.equal(res.headers.get('location'), `https://127.0.0.1:${port}/api/status?x=1`);
  t.notMatch(await res.text(), /accounts/, 'no data in the redirect');
  const post = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: context.adminToken }) });
  t.equal(post.status, 308, 'a token sent in clear is not taken (308 makes the browser resend it over TLS)');
  t.equal((await httpsGet(`https://127.0.0.1:${port}/healthz`, cert.cert)).res.statusCode, 200);
});

t.test('the daemon with TLS: https URL, fingerprint in the log, state files private; `voicewipe token` shows the fingerprint and rotates', async (t) => {
  const dir = t.testdir();
  const config = simConfig(sim, dir, { http: 'tls: on' });
  const lines: string[] = [];
  const daemon = await startDaemon(config, quietLogger(lines));
  t.teardown(() => daemon.close());
  t.match(daemon.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const started = lines.map((l) => JSON.parse(l) as { msg: string; fingerprint_sha256?: string }).find((l) => l.fingerprint_sha256);
  t.ok(started, 'the fingerprint is in the start-up log');
  const cert = readFileSync(join(config.state_dir, 'tls', 'cert.pem'));
  t.equal((await httpsGet(`${daemon.url}/healthz`, cert)).res.statusCode, 200);

  t.equal(statSync(config.state_dir).mode & 0o777, 0o700, 'state directory 0700');
  for (const name of ['voicewipe.db', 'voicewipe.db-wal', 'voicewipe.db-shm', 'admin-token']) {
    const path = join(config.state_dir, name);
    if (existsSync(path)) t.equal(statSync(path).mode & 0o777, 0o600, `${name} 0600`);
  }

  const token = await runCli(['token', '--config', config.file]);
  t.equal(token.code, 0);
  t.equal(token.stdout.trim(), daemon.context.adminToken, 'the token alone on stdout');
  t.match(token.stderr, `HTTPS certificate SHA-256 fingerprint: ${started!.fingerprint_sha256}`);
  const rotated = await runCli(['token', '--rotate', '--config', config.file]);
  t.equal(rotated.code, 0);
  t.not(rotated.stdout.trim(), daemon.context.adminToken);
  t.equal(readFileSync(join(config.state_dir, 'admin-token'), 'utf8').trim(), rotated.stdout.trim());
  t.equal(statSync(join(config.state_dir, 'admin-token')).mode & 0o777, 0o600);
  await new Promise((r) => setTimeout(r, 1_100));
  const old = await httpsGet(`${daemon.url}/api/status`, cert, { headers: { authorization: `Bearer ${daemon.context.adminToken}` } });
  t.equal(old.res.statusCode, 401, 'the running daemon refuses the old token');
  const fresh = await httpsGet(`${daemon.url}/api/status`, cert, { headers: { authorization: `Bearer ${rotated.stdout.trim()}` } });
  t.equal(fresh.res.statusCode, 200);
});

t.test('a state directory left loose by an older install is tightened at start', async (t) => {
  const dir = t.testdir();
  const config = simConfig(sim, dir);
  const { mkdirSync, chmodSync } = await import('node:fs');
  mkdirSync(config.state_dir, { recursive: true });
  chmodSync(config.state_dir, 0o755);
  writeFileSync(join(config.state_dir, 'admin-token'), `${'a'.repeat(43)}\n`, { mode: 0o644 });
  chmodSync(join(config.state_dir, 'admin-token'), 0o644);
  const lines: string[] = [];
  const daemon = await startDaemon(config, quietLogger(lines));
  t.teardown(() => daemon.close());
  t.equal(statSync(config.state_dir).mode & 0o777, 0o700);
  t.equal(statSync(join(config.state_dir, 'admin-token')).mode & 0o777, 0o600);
  t.ok(lines.some((l) => l.includes('made private')), 'said so in the log');
  t.match(daemon.url, /^http:\/\//, 'tls: auto on loopback is plain HTTP');
});
