import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log.ts';
import { SystemdNotifier } from '../src/sd-notify.ts';
import type { Exec } from '../src/sd-notify.ts';

const log = createLogger({ level: 'fatal', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });

function recorder(): { exec: Exec; sent: string[][] } {
  const sent: string[][] = [];
  return { sent, exec: (file, args, cb) => { sent.push([file, ...args]); cb(null); } };
}

t.test('nothing is sent when systemd did not ask', async (t) => {
  const { exec, sent } = recorder();
  const n = new SystemdNotifier(log, {}, exec);
  n.ready('serving');
  n.status('x');
  n.stopping();
  t.same(sent, []);
});

t.test('readiness, status, watchdog pings at half the period, stopping', async (t) => {
  const { exec, sent } = recorder();
  const n = new SystemdNotifier(log, { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1000000' }, exec);
  n.ready('serving on http://127.0.0.1:8733');
  t.same(sent[0], ['systemd-notify', 'READY=1', 'STATUS=serving on http://127.0.0.1:8733']);
  await new Promise((r) => setTimeout(r, 1_300));
  const pings = sent.filter((m) => m[1] === 'WATCHDOG=1').length;
  t.ok(pings >= 2 && pings <= 3, `${pings} watchdog pings in 1.3 s with a 1 s watchdog`);
  n.stopping();
  t.same(sent.at(-1), ['systemd-notify', 'STOPPING=1']);
  const after = sent.length;
  await new Promise((r) => setTimeout(r, 700));
  t.equal(sent.length, after, 'no pings after stopping');
});

t.test('a watchdog meant for another process is not ours', async (t) => {
  const { exec, sent } = recorder();
  const n = new SystemdNotifier(log, { NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '100000', WATCHDOG_PID: String(process.pid + 1) }, exec);
  n.ready('serving');
  await new Promise((r) => setTimeout(r, 700));
  t.equal(sent.filter((m) => m[1] === 'WATCHDOG=1').length, 0);
  n.stopping();
});

t.test('a failing notification is logged as a warning, not thrown', async (t) => {
  const lines: string[] = [];
  const capture = createLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) });
  const failing: Exec = (_file, _args, cb) => cb(new Error('No such file or directory'));
  const n = new SystemdNotifier(capture, { NOTIFY_SOCKET: '/nonexistent/socket' }, failing);
  t.doesNotThrow(() => { n.ready('serving'); n.stopping(); });
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'could not notify systemd');
  t.equal(warnings.length, 2, 'one warning per failed message');
  t.match(warnings[0], { level: 40, err: 'No such file or directory', message: 'READY=1 STATUS=serving' });
});

t.test('the real systemd-notify failing (no such socket) ends in a warning too', async (t) => {
  const lines: string[] = [];
  const capture = createLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) });
  const n = new SystemdNotifier(capture, { NOTIFY_SOCKET: '/nonexistent/socket' });
  n.ready('serving');
  const until = Date.now() + 10_000;
  while (!lines.some((l) => l.includes('could not notify systemd')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  t.ok(lines.some((l) => l.includes('could not notify systemd')), 'logged once the child process failed');
  n.stopping();
});
