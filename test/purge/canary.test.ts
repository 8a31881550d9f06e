// The secrets canary: an account's password, TOTP secret and session cookie values must appear nowhere a
// person or a backup can read them: logs, CLI output, the database, evidence files, the state directory.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readEvidence } from '../../src/browser/evidence.ts';
import { SessionVault } from '../../src/browser/vault.ts';
import { writeSimConfig } from '../../sim/config.ts';
import { runCli } from '../helpers/cli.ts';
import { canaryAccounts, testSimulator } from '../helpers/sim-daemon.ts';

const PASSWORD = 'canary-pw-7f3a9c!';
const sim = await testSimulator(t, 3, canaryAccounts(PASSWORD, { main: 150, others: 50 }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

t.test('no secret in logs, CLI output, database or evidence', async (t) => {
  const dir = t.testdir();
  const config = writeSimConfig(sim, { dir, logLevel: 'trace', accounts: [{ sim: 'main', keep_days: 30 }, { sim: 'changed', keep_days: 30 }, { sim: 'stuck', keep_days: 30 }] });
  const first = await runCli(['purge', '--config', config], { timeoutMs: 120_000 });
  t.equal(first.code, 1, 'a failure among the accounts: exit 1');
  t.match(first.stdout, /main \(alexa\): ok/);
  t.match(first.stdout, /changed \(alexa\): FAILED page_changed/);
  t.match(first.stdout, /stuck \(alexa\): FAILED captcha/);
  const second = await runCli(['purge', '--config', config, '--json'], { timeoutMs: 120_000 });
  t.equal(second.code, 1);
  t.ok(JSON.parse(second.stdout).results.length === 3, '--json prints the run summary');

  const state = join(dir, 'state');
  const vault = new SessionVault(state);
  const saved = vault.load('main').state as { cookies: { name: string; value: string }[] };
  t.ok(saved && saved.cookies.length > 0, 'a session was saved for the account that worked');
  const secrets = [PASSWORD, `${PASSWORD}-2`, `${PASSWORD}-3`, ...sim.accounts.map((a) => a.totpSecret).filter((s): s is string => Boolean(s)),
    ...saved.cookies.filter((c) => c.value.length >= 8).map((c) => c.value)];
  t.ok(secrets.length >= 6, `${secrets.length} canaries`);

  const outputs: [string, string][] = [
    ['CLI output and logs (run 1)', first.stdout + first.stderr],
    ['CLI output and logs (run 2)', second.stdout + second.stderr],
  ];
  t.ok(first.stderr.split('\n').filter(Boolean).length > 10, 'trace logs were written (and checked)');
  for (const file of filesUnder(state)) {
    // The vault and its key are encrypted or key material: checked below as ciphertext.
    if (file.endsWith('.session') || file.endsWith('secret.key')) continue;
    // Evidence is encrypted: what matters is what the admin reads after decryption.
    const place = /evidence\/(\d+)\/([^/]+)\/([^/]+)$/.exec(file);
    const bytes = place ? readEvidence(state, Number(place[1]), place[2], place[3]) : readFileSync(file);
    outputs.push([file.slice(dir.length), bytes.toString('latin1')]);
  }
  t.ok(outputs.some(([name]) => name.endsWith('page.html')), 'evidence HTML checked');
  t.ok(outputs.some(([name]) => name.endsWith('screenshot.png')), 'evidence screenshot checked');
  t.ok(outputs.some(([name]) => name.endsWith('voicewipe.db')), 'database checked');
  for (const [name, text] of outputs) {
    for (const secret of secrets) t.notOk(text.includes(secret), `${name} does not contain a secret (${secret.slice(0, 3)}…)`);
  }
  const sealed = readFileSync(join(state, 'sessions', 'main.session')).toString('latin1');
  for (const secret of secrets) t.notOk(sealed.includes(secret), 'the saved session is encrypted');
  t.equal(statSync(join(state, 'secret.key')).mode & 0o777, 0o600, 'vault key is 0600');
  t.equal(statSync(join(state, 'sessions', 'main.session')).mode & 0o777, 0o600, 'session file is 0600');
});
