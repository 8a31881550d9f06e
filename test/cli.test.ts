import t from 'tap';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open.ts';
import { PurgeEvents } from '../src/purge/events.ts';
import { Recorder } from '../src/purge/recorder.ts';
import { runCli } from './helpers/cli.ts';

const example = new URL('../config.example.yaml', import.meta.url).pathname;

t.test('check-config accepts the example config', async (t) => {
  const r = await runCli(['check-config', example]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /OK/);
});

t.test('a broken config: exit 2, every problem with its line, nothing written, daemon refuses', async (t) => {
  const dir = t.testdir();
  const state = join(dir, 'state');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'version: 1',
    `state_dir: ${state}`,
    'schedul:',
    '  cron: "30 3 * * *"',
    'schedule:',
    '  cron: "99 3 * * *"',
    'accounts:',
    '  - id: kitchen',
    '    provider: alexa',
    '    email: a@example.com',
    '    password_file: /nonexistent/secret',
    '  - id: kitchen',
    '    provider: google',
    '',
  ].join('\n'));
  const r = await runCli(['check-config', config]);
  t.equal(r.code, 2);
  t.match(r.stderr, new RegExp(`${config}:3 schedul: .*did you mean .*schedule`));
  t.match(r.stderr, new RegExp(`${config}:6 schedule.cron: `));
  t.match(r.stderr, new RegExp(`${config}:11 accounts\\[0\\].password_file: `));
  t.match(r.stderr, new RegExp(`${config}:12 accounts\\[1\\].id: .*duplicate`));
  const start = await runCli(['start', '--config', config]);
  t.equal(start.code, 2, 'the daemon does not start on a broken config');
  t.match(start.stderr, /nothing was started/);
  t.notOk(existsSync(state), 'nothing was written');
});

t.test('bad YAML is reported with its line', async (t) => {
  const config = join(t.testdir(), 'config.yaml');
  writeFileSync(config, 'version: 1\nhttp:\n  port: [1, 2\n');
  const r = await runCli(['check-config', config]);
  t.equal(r.code, 2);
  t.match(r.stderr, new RegExp(`${config}:\\d+`));
});

t.test('help, unknown commands and options', async (t) => {
  const help = await runCli(['--help']);
  t.equal(help.code, 0);
  for (const command of ['start', 'purge', 'check-config', 'status', 'token', 'demo']) {
    t.match(help.stdout, new RegExp(`\\n  ${command} `), `${command} listed`);
    const sub = await runCli([command, '--help']);
    t.equal(sub.code, 0, `${command} --help`);
    t.match(sub.stdout, new RegExp(`Usage: voicewipe ${command}`));
  }
  const unknown = await runCli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown command "frobnicate"/);
  const badFlag = await runCli(['status', '--nope']);
  t.equal(badFlag.code, 2);
  t.match(badFlag.stderr, /Unknown option '--nope'/);
});

t.test('token and status on a fresh state directory', async (t) => {
  const dir = t.testdir();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\naccounts: []\n`);
  const status = await runCli(['status', '--config', config]);
  t.equal(status.code, 0);
  t.match(status.stdout, /no runs yet/);
  const token = await runCli(['token', '--config', config]);
  t.equal(token.code, 0);
  t.match(token.stdout, /^[\w-]{43}\n$/);
  const again = await runCli(['token'], { env: { VOICEWIPE_CONFIG: config } });
  t.equal(again.stdout, token.stdout, '$VOICEWIPE_CONFIG is honoured and the token is stable');
});

t.test('status: an account whose last run hit a captcha shows the same headline and help as the page', async (t) => {
  const dir = t.testdir();
  const state = join(dir, 'state');
  const config = join(dir, 'config.yaml');
  writeFileSync(join(dir, 'pw'), 'secret', { mode: 0o600 });
  writeFileSync(config, `version: 1\nstate_dir: ${state}\naccounts:\n  - id: bedroom\n    provider: alexa\n    email: b@example.com\n    password_file: ${join(dir, 'pw')}\n`);
  const { db } = openDatabase(join(state, 'voicewipe.db'));
  const events = new PurgeEvents();
  const recorder = new Recorder(db);
  recorder.attach(events);
  const at = Date.now() - 60_000;
  const runId = recorder.createRun('schedule', false, [{ id: 'bedroom', provider: 'alexa' }], at);
  events.emit('account_started', { run_id: runId, account_id: 'bedroom', at });
  events.emit('account_finished', { run_id: runId, at: at + 1000, result: {
    account_id: 'bedroom', provider: 'alexa', status: 'failed', found: null, deleted: 0, remaining: null, oldest_at: null, newest_at: null,
    error_kind: 'captcha', error_message: 'Amazon showed a captcha', attempts: 1, started_at: at, finished_at: at + 1000, evidence_dir: null, details: {},
  } });
  events.emit('run_finished', { run_id: runId, status: 'needs_person', dry_run: false, found: 0, deleted: 0, remaining: 0, duration_ms: 1000, at: at + 1000, message: null });
  db.close();
  const status = await runCli(['status', '--config', config]);
  t.equal(status.code, 0, status.stderr);
  t.match(status.stdout, /bedroom\s+needs you .*problem: captcha/);
  t.match(status.stdout, /\n\s+Captcha to solve\n\s+what to do: .*captcha/, 'the headline, then what to do');
});

t.test('purge: an unknown account is a usage error; no accounts is a quick ok', async (t) => {
  const dir = t.testdir();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\naccounts: []\n`);
  const none = await runCli(['purge', '--config', config]);
  t.equal(none.code, 0, none.stderr);
  t.match(none.stdout, /no enabled accounts/);
  const unknown = await runCli(['purge', '--account', 'nope', '--config', config]);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /account "nope" is not in the config/);
});
