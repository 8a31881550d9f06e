// An over_deleted pause is lifted only by a person: POST /api/accounts/:id/acknowledge (admin) and
// `voicewipe acknowledge <account>`; both say whether there was a pause, neither accepts an unknown account.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import { buildApp } from '../../src/http/app.ts';
import { runCli } from '../helpers/cli.ts';
import { simConfig, testContext } from './env.ts';

const sim = await startSimulator({ seed: 7 });
t.teardown(() => sim.close());

t.test('the API lifts a pause once, for admins only, and announces it', async (t) => {
  const config = simConfig(sim, t.testdir());
  const context = testContext(t, config);
  const app = buildApp(context);
  t.teardown(() => app.close());
  const bearer = { authorization: `Bearer ${context.adminToken}` };
  context.purge.recorder.pause({ id: 'kitchen', provider: 'alexa' }, '3 recordings the run meant to keep are gone (2026-11-28: 3)', Date.now());
  const resumed: string[] = [];
  context.purge.events.on('account_resumed', (e) => resumed.push(e.account_id));

  let res = await app.inject({ method: 'POST', url: '/api/accounts/kitchen/acknowledge' });
  t.equal(res.statusCode, 401, 'not without the admin token');
  t.ok(context.purge.recorder.pausedAccount('kitchen'), 'still paused');

  res = await app.inject({ method: 'POST', url: '/api/accounts/nobody/acknowledge', headers: bearer });
  t.equal(res.statusCode, 404);
  t.match(res.json().error, /no account "nobody" in the config \(accounts: kitchen, bedroom\)/);
  res = await app.inject({ method: 'POST', url: '/api/accounts/Not%20An%20Id/acknowledge', headers: bearer });
  t.equal(res.statusCode, 400, 'a malformed id is refused by the schema');

  res = await app.inject({ method: 'POST', url: '/api/accounts/kitchen/acknowledge', headers: bearer });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { account: 'kitchen', was_paused: true });
  t.notOk(context.purge.recorder.pausedAccount('kitchen'), 'resumed');
  t.same(resumed, ['kitchen'], 'announced to the page and MQTT');

  res = await app.inject({ method: 'POST', url: '/api/accounts/kitchen/acknowledge', headers: bearer });
  t.same(res.json(), { account: 'kitchen', was_paused: false }, 'a second press changes nothing');
  t.same(resumed, ['kitchen']);
});

t.test('voicewipe acknowledge <account>', async (t) => {
  const dir = t.testdir();
  const config = simConfig(sim, dir);
  const context = testContext(t, config);
  context.purge.recorder.pause({ id: 'bedroom', provider: 'alexa' }, 'test', Date.now());
  const configPath = `${dir}/config.yaml`;
  let out = await runCli(['acknowledge', 'bedroom', '--config', configPath]);
  t.equal(out.code, 0, out.stderr);
  t.match(out.stdout, /bedroom: acknowledged; purges of this account resume/);
  t.notOk(context.purge.recorder.pausedAccount('bedroom'));
  out = await runCli(['acknowledge', 'bedroom', '--config', configPath]);
  t.match(out.stdout, /was not paused/);
  out = await runCli(['acknowledge', 'garage', '--config', configPath]);
  t.equal(out.code, 2);
  t.match(out.stderr, /no account "garage" in the config \(accounts: kitchen, bedroom\)/);
});
