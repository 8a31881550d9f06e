// The secrets canary across every output of a whole daemon: a real daemon process with HTTP and MQTT (a real
// broker), accounts with canary passwords and TOTP secrets, purges started from the API and from Home
// Assistant (some accounts fail, keeping evidence). Then nothing a person, a browser, Home Assistant or a
// backup can read holds a password, a TOTP secret, a saved session's cookie values or the admin token: the
// daemon's stdout and stderr, every MQTT message on `#`, every API answer (the event stream included),
// the evidence files, the database, and every file of the state directory but the encrypted sessions and
// their key (the admin token is allowed in its own file only).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionVault } from '../../src/browser/vault.ts';
import { writeSimConfig } from '../../sim/config.ts';
import { spawnDaemon, waitFor } from '../helpers/daemon.ts';
import { startBroker, watch } from '../helpers/mosquitto.ts';
import { TEST_RUNNER } from '../helpers/purge.ts';
import { Figures, filesUnder } from '../helpers/reliability.ts';
import { canaryAccounts, testSimulator } from '../helpers/sim-daemon.ts';

const figures = new Figures();
figures.announce(t, 'secrets canary across all outputs');
const PASSWORD = 'canary-Pw-4e1d!x';

function headerText(headers: Headers): string {
  const lines: string[] = [];
  headers.forEach((value, key) => { lines.push(`${key}: ${value}`); });
  return lines.join('\n');
}

await t.test('no secret in any output of a daemon with HTTP and MQTT', async (t) => {
  const sim = await testSimulator(t, 13, canaryAccounts(PASSWORD, { main: 120, others: 40 }));
  const broker = await startBroker();
  t.teardown(() => broker.close());
  // Subscribed before the daemon exists: every message it ever publishes, retained or live.
  const everything = await watch(broker.url, ['#']);
  t.teardown(() => everything.close());

  const dir = t.testdir();
  const config = writeSimConfig(sim, {
    dir, logLevel: 'trace', stepTimeoutSeconds: 10,
    accounts: [{ sim: 'main', keep_days: 30 }, { sim: 'changed', keep_days: 30 }, { sim: 'stuck', keep_days: 30 }],
    extra: ['schedule: {catch_up: false}', `mqtt: {url: "${broker.url}"}`],
  });
  const state = join(dir, 'state');
  const daemon = spawnDaemon(config, { runner: TEST_RUNNER });
  t.teardown(() => { daemon.child.kill('SIGKILL'); });
  await waitFor('the daemon to listen', () => daemon.output().includes('voicewipe is running') || daemon.child.exitCode !== null, 30_000);
  const line = daemon.output().split('\n').find((l) => l.includes('voicewipe is running'));
  if (!line) throw new Error(`the daemon did not start:\n${daemon.output()}`);
  const url = JSON.parse(line).listening as string; // where it listens (`url` is the address people use)
  const token = readFileSync(join(state, 'admin-token'), 'utf8').trim();
  const admin = { authorization: `Bearer ${token}` };

  const answers: [string, string][] = [];
  const get = async (path: string, headers: Record<string, string> = admin) => {
    const res = await fetch(`${url}${path}`, { headers });
    const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
    answers.push([`GET ${path}${headers === admin ? ' (admin)' : ''} → ${res.status}`, `${headerText(res.headers)}\n\n${body}`]);
    return { status: res.status, body };
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = admin) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    answers.push([`POST ${path} → ${res.status}`, `${headerText(res.headers)}\n\n${text}`]);
    return { status: res.status, body: text, cookie: res.headers.get('set-cookie') };
  };

  // The live event stream, read from before the first run to the end.
  const stream = new AbortController();
  let events = '';
  const streaming = fetch(`${url}/api/events`, { headers: admin, signal: stream.signal }).then(async (res) => {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events += Buffer.from(value).toString('latin1');
    }
  }).catch(() => {});

  const session = await post('/api/session', { token }, {});
  t.equal(session.status, 200, 'the page signs in with the token');
  t.notOk(session.cookie?.includes(token), 'the session cookie is not the admin token');
  const runFinished = async (id: number) => {
    await waitFor(`run ${id} to finish`, async () => JSON.parse((await fetch(`${url}/api/runs/${id}`, { headers: admin }).then((r) => r.text()))).status !== 'running', 120_000);
  };
  const first = await post('/api/purge', {});
  t.equal(first.status, 202, 'purge from the API');
  const firstId = JSON.parse(first.body).run_id as number;
  await runFinished(firstId);
  // The second night comes from Home Assistant.
  const mark = everything.messages.length;
  await everything.publish('voicewipe/purge/set', 'PRESS');
  const started = await everything.waitFor((m) => m.topic === 'voicewipe/event' && JSON.parse(m.payload).event_type === 'run_started', 10_000, mark);
  const secondId = JSON.parse(started.payload).run_id as number;
  await runFinished(secondId);
  await waitFor('the events of the second run on the stream', () => events.includes(`"run_id":${secondId}`) && /run_finished/.test(events.slice(events.lastIndexOf(`"run_id":${secondId}`) - 400)), 10_000).catch(() => {});

  for (const id of [firstId, secondId]) {
    const detail = await get(`/api/runs/${id}`);
    await get(`/api/runs/${id}`, {});
    const accounts = JSON.parse(detail.body).accounts as { account_id: string; status: string; error_kind: string | null; evidence?: { screenshot: string | null; html: string | null } }[];
    t.match(Object.fromEntries(accounts.map((a) => [a.account_id, a.error_kind])), id === firstId ? { main: null, changed: 'page_changed', stuck: 'captcha' } : { main: null, changed: 'page_changed' });
    for (const a of accounts) {
      if (a.error_kind) figures.faults_injected++;
      for (const link of [a.evidence?.screenshot, a.evidence?.html]) if (link) await get(link);
    }
  }
  t.ok(answers.some(([name]) => /evidence\/.*page\.html/.test(name)), 'evidence HTML fetched');
  t.ok(answers.some(([name]) => /evidence\/.*screenshot\.png/.test(name)), 'evidence screenshot fetched');
  for (const path of ['/api/status', '/api/runs', '/metrics', '/healthz', '/']) { await get(path); await get(path, {}); }
  stream.abort();
  await streaming;
  t.match(events, /account_finished/, 'the event stream carried the runs');

  daemon.child.kill('SIGTERM');
  const exit = await daemon.exited;
  if (exit.code !== 0) figures.crashes++;
  t.equal(exit.code, 0, 'the daemon stopped cleanly');

  // The canaries: the passwords, the TOTP secrets, the saved session's cookies, the admin token.
  const saved = new SessionVault(state).load('main').state as { cookies: { name: string; value: string }[] } | undefined;
  t.ok(saved && saved.cookies.length > 0, 'a session was saved for the account that worked');
  const cookies = (saved?.cookies ?? []).map((c) => c.value).filter((v) => v.length >= 8);
  const secrets: [string, string][] = [
    ...[PASSWORD, `${PASSWORD}-2`, `${PASSWORD}-3`].flatMap((p) => [[`password ${p.slice(-2)}`, p], ['password (URL-encoded)', encodeURIComponent(p)]] as [string, string][]),
    ...sim.accounts.filter((a) => a.totpSecret).map((a) => [`TOTP secret of ${a.id}`, a.totpSecret!] as [string, string]),
    ...cookies.map((v, i) => [`session cookie ${i}`, v] as [string, string]),
    ['admin token', token],
  ];
  t.ok(cookies.length >= 2, `${cookies.length} cookie values as canaries`);

  const outputs: [string, string][] = [
    ['daemon stdout+stderr', daemon.output()],
    ...everything.messages.map((m) => [`MQTT ${m.topic}${m.retain ? ' (retained)' : ''}`, m.payload] as [string, string]),
    ...answers,
    ['/api/events stream', events],
  ];
  for (const file of filesUnder(state)) {
    if (file.endsWith('.session') || file.endsWith('secret.key')) continue;
    outputs.push([`file ${file.slice(state.length)}`, readFileSync(file).toString('latin1')]);
  }
  t.ok(daemon.output().split('\n').length > 20, `${daemon.output().split('\n').length} log lines were written (and checked)`);
  t.ok(outputs.some(([name]) => name.endsWith('voicewipe.db')), 'the database was checked');
  t.ok(everything.messages.length > 20, `${everything.messages.length} MQTT messages checked`);
  let leaks = 0;
  for (const [name, text] of outputs) {
    figures.inputs_tried++;
    let clean = true;
    for (const [what, secret] of secrets) {
      if (what === 'admin token' && name === 'file /admin-token') continue;
      if (text.includes(secret)) { clean = false; leaks++; t.fail(`${name} contains the ${what}`); }
    }
    if (clean) figures.survived++;
  }
  t.equal(leaks, 0, `no secret in ${outputs.length} outputs (${secrets.length} canaries)`);
});

figures.report(t);
