// systemd/voicewipe.service: valid for systemd, sandboxed (exposure ≤ 2.0, with or without the drop-in that
// lets Chromium use its own sandbox), and in step with the CLI.
// The unit cannot be started here (no booted systemd): these are the checks that work offline.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeUnitSecurity } from '../../bench/systemd.ts';
import { EXIT } from '../../src/cli.ts';
import { SHUTDOWN_DEADLINE_MS } from '../../src/main.ts';
import { needDebianCommand, ROOT } from './helpers.ts';

const UNIT_FILE = join(ROOT, 'systemd/voicewipe.service');
const unitText = readFileSync(UNIT_FILE, 'utf8');
const skip = needDebianCommand('systemd-analyze', 'systemd');

/** `Key=value` lines of a section (the last one wins, as in systemd, except for lists we join). */
function section(name: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) { current = line; continue; }
    if (current !== `[${name}]` || line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}
const service = section('Service');
const one = (key: string) => service.get(key)?.at(-1);
const seconds = (text: string) => {
  const m = /^(\d+)(s|min)?$/.exec(text);
  if (!m) throw new Error(`cannot read the time span "${text}"`);
  return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
};

t.test('systemd-analyze verify finds nothing to complain about', { skip }, async (t) => {
  // verify insists that ExecStart's program exists: point it at this checkout's launcher.
  const copy = join(t.testdir(), 'voicewipe.service');
  writeFileSync(copy, unitText.replaceAll('/opt/voicewipe/bin/voicewipe', join(ROOT, 'bin/voicewipe')));
  const res = spawnSync('systemd-analyze', ['verify', '--man=no', copy], { encoding: 'utf8', timeout: 60_000 });
  t.equal(res.status, 0, 'exit 0');
  t.equal(`${res.stdout}${res.stderr}`.trim(), '', 'no warnings (unknown keys, bad values)');
});

t.test('the sandbox: systemd-analyze security exposure ≤ 2.0, every open point explained', { skip }, async (t) => {
  const report = await analyzeUnitSecurity(UNIT_FILE);
  t.comment(`systemd-analyze security --offline=yes systemd/voicewipe.service: exposure ${report.exposure}`);
  t.ok(report.exposure <= 2.0, `exposure ${report.exposure} ≤ 2.0`);
  const comments = unitText.split('\n').filter((l) => l.startsWith('#')).join('\n');
  for (const open of report.open) {
    const key = open.split('=')[0];
    t.match(comments, new RegExp(`\\b${key}=`), `${open} is not set: a comment says why`);
  }
});

t.test('with the README\'s drop-in for Chromium\'s own sandbox (issue 17), exposure stays ≤ 2.0', { skip }, async (t) => {
  // The drop-in exactly as the README gives it (the ini block that sets RestrictNamespaces=).
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const dropIn = [...readme.matchAll(/```ini\n([\s\S]*?)```/g)].map((m) => m[1]).find((block) => /RestrictNamespaces=/.test(block));
  if (!dropIn) { t.fail('the README has no drop-in that sets RestrictNamespaces='); return; }
  const dir = t.testdir({ 'voicewipe.service': unitText, 'voicewipe.service.d': { 'chromium-sandbox.conf': dropIn } });
  const report = await analyzeUnitSecurity(join(dir, 'voicewipe.service'));
  t.comment(`with the drop-in (${dropIn.trim().replaceAll('\n', ' ')}): exposure ${report.exposure}`);
  t.ok(report.open.some((o) => o.startsWith('RestrictNamespaces=')), 'the drop-in is read (user namespaces now open)');
  t.ok(report.exposure <= 2.0, `exposure ${report.exposure} ≤ 2.0`);
});

t.test('the unit runs the CLI the way the CLI expects', async (t) => {
  t.same(one('ExecStart')?.split(/\s+/), ['/opt/voicewipe/bin/voicewipe', 'start', '--config', '/etc/voicewipe/config.yaml']);
  t.equal(one('User'), 'voicewipe');
  t.not(one('DynamicUser'), 'yes', 'a static user: the state and the secret files keep their owner');
  t.equal(one('StateDirectory'), 'voicewipe', '/var/lib/voicewipe, the default state_dir');
  t.equal(one('ConfigurationDirectory'), 'voicewipe');
  t.equal(one('RestartPreventExitStatus'), String(EXIT.usage), 'a bad config (exit 2) is not restarted');
  t.equal(one('Restart'), 'on-failure');
  t.ok(section('Unit').get('StartLimitBurst'), 'restarts are limited');
  t.equal(one('Type'), 'notify');
  // src/sd-notify.ts sends through the systemd-notify child process: only NotifyAccess=all accepts that.
  t.equal(one('NotifyAccess'), 'all');
  t.ok(seconds(one('WatchdogSec') ?? '0') >= 10, 'a watchdog');
  t.ok(seconds(one('TimeoutStopSec') ?? '0') > SHUTDOWN_DEADLINE_MS / 1000, 'the daemon\'s own shutdown deadline fits in TimeoutStopSec');
  t.equal(one('KillMode'), 'mixed', 'SIGTERM to the daemon, which closes Chromium itself');
  t.equal(one('OOMPolicy'), 'continue', 'a killed renderer does not stop the service');
  const mb = (v: string | undefined) => Number(/^(\d+)M$/.exec(v ?? '')?.[1] ?? NaN);
  t.ok(mb(one('MemoryHigh')) < mb(one('MemoryMax')), 'MemoryHigh below MemoryMax');
  t.ok(mb(one('MemoryMax')) <= 768, 'MemoryMax leaves room on a 1 GB Pi');
  t.equal(one('MemoryDenyWriteExecute'), undefined, 'V8 needs writable+executable memory');
  t.equal(section('Install').get('WantedBy')?.[0], 'multi-user.target');
});
