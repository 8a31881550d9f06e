// The shell scripts: shellcheck-clean, and scripts/install-pi.sh's --help and --dry-run, which must print every
// action and do none (checked with stand-ins for every command that would change the system).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { needDebianCommand, ROOT } from './helpers.ts';

const INSTALL = join(ROOT, 'scripts/install-pi.sh');
const scripts = [...readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => `scripts/${f}`), 'bin/voicewipe'];

t.test('shellcheck: no warnings in scripts/*.sh and bin/voicewipe', { skip: needDebianCommand('shellcheck', 'shellcheck') }, async (t) => {
  for (const file of scripts) {
    // install-pi.sh is held to every level (style included); the others to warnings and errors.
    const severity = file === 'scripts/install-pi.sh' ? 'style' : 'warning';
    const res = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', '-S', severity, '-f', 'gcc', file], { cwd: ROOT, encoding: 'utf8' });
    t.equal(res.stdout.trim(), '', `${file}: shellcheck -S ${severity} is clean`);
  }
});

function install(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync('bash', [INSTALL, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });
}

t.test('--help and a wrong option', async (t) => {
  const help = install(['--help']);
  t.equal(help.status, 0);
  t.match(help.stdout, /Usage: sudo scripts\/install-pi\.sh \[--dry-run\]/);
  const wrong = install(['--bogus']);
  t.equal(wrong.status, 2);
  t.match(wrong.stderr, /unknown option "--bogus"/);
});

t.test('--dry-run prints every action and does none', async (t) => {
  // Stand-ins that record any call: none of them may run. (apt-cache, dpkg-query, id, git stay real: they only read.)
  const dir = t.testdir();
  const log = join(dir, 'calls.log');
  const changing = ['apt-get', 'useradd', 'groupadd', 'install', 'find', 'tar', 'chown', 'chmod', 'ln', 'rm', 'mv', 'cp',
    'systemctl', 'runuser', 'npm', 'env', 'mkdir', 'mktemp'];
  for (const cmd of changing) {
    const stub = join(dir, cmd);
    writeFileSync(stub, `#!/bin/sh\necho "${cmd} $*" >>'${log}'\nexit 1\n`);
    chmodSync(stub, 0o755);
  }
  const before = ['/opt/voicewipe', '/etc/voicewipe', '/etc/systemd/system/voicewipe.service'].map((p) => existsSync(p));
  const res = install(['--dry-run'], { PATH: `${dir}:${process.env.PATH}` });
  t.equal(res.status, 0, res.stderr);
  t.notOk(existsSync(log), `no system-changing command ran: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  t.same(['/opt/voicewipe', '/etc/voicewipe', '/etc/systemd/system/voicewipe.service'].map((p) => existsSync(p)), before, 'nothing created');
  const out = res.stdout;
  if (!/user voicewipe exists/.test(out)) t.match(out, /\[dry-run\] useradd --system --user-group --home-dir \/var\/lib\/voicewipe .* voicewipe\n/);
  t.match(out, /\[dry-run\] .*git -C \S+ ls-files -z \| tar .* -C \/opt\/voicewipe/, 'copies the tracked files');
  t.match(out, /\[dry-run\] env VOICEWIPE_SETUP_NEEDS=none VOICEWIPE_OMIT_DEV=1 bash \/opt\/voicewipe\/scripts\/setup\.sh/, 'Node 24 and npm ci --omit=dev');
  t.match(out, /\[dry-run\] install -d -o voicewipe -g voicewipe -m 0700 \/etc\/voicewipe\/secrets/);
  t.match(out, /\[dry-run\] install -d -o voicewipe -g voicewipe -m 0700 \/var\/lib\/voicewipe/);
  t.match(out, /\[dry-run\] (write \/etc\/voicewipe\/config\.yaml \(mode 0640|.*keeping the existing)/);
  t.match(out, /\[dry-run\] install -o root -g root -m 0644 \S+\/systemd\/voicewipe\.service \/etc\/systemd\/system\/voicewipe\.service/);
  t.match(out, /\[dry-run\] systemctl daemon-reload\n\[dry-run\] systemctl enable voicewipe\.service\n\[dry-run\] systemctl restart voicewipe\.service/);
  t.match(out, /dry run done: nothing was changed/);
  t.match(out, /Debian packages already installed|\[dry-run\] env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends .*chromium/);
});

t.test('the starter config the installer writes passes check-config', async (t) => {
  // install-pi.sh writes config.example.yaml with `state_dir: ./state` turned into /var/lib/voicewipe.
  const example = readFileSync(join(ROOT, 'config.example.yaml'), 'utf8');
  t.match(example, /^state_dir: \.\/state$/m, 'the line the installer rewrites is there');
  t.match(readFileSync(INSTALL, 'utf8'), /s#\^state_dir: \.\/state\\\$#state_dir: \$state#/);
  const file = join(t.testdir(), 'config.yaml');
  writeFileSync(file, example.replace(/^state_dir: \.\/state$/m, 'state_dir: /var/lib/voicewipe'));
  const { config, problems } = loadConfig(file, {});
  t.same(problems, []);
  t.equal(config?.state_dir, '/var/lib/voicewipe');
});
