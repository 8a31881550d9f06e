// `voicewipe demo`: a throw-away appliance to look at. It starts the vendor simulator with two Amazon accounts
// (one with an authenticator app and a year of recordings, one whose sign-in hits a captcha), writes a config
// and state directory in a temp folder, starts the daemon on http://127.0.0.1:8733 (or a free port) and runs a
// first purge. No real account, no broker, nothing written outside the temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, loadConfig } from './config/load.ts';
import { createLogger } from './log.ts';
import { startDaemon } from './main.ts';
import { EXIT, exitCodeFor, formatRun } from './purge/report.ts';

export interface DemoOptions { once: boolean; port?: number }

/** The port asked for if it is free, else one the system picks. */
function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(0));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(preferred)));
  });
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  // The simulator is demo and test tooling: loaded only here, never by the daemon.
  const { startSimulator } = await import('../sim/server.ts');
  const { writeSimConfig } = await import('../sim/config.ts');
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-demo-'));
  const sim = await startSimulator({
    seed: 2026,
    accounts: [
      { id: 'kitchen', vendor: 'amazon', email: 'kitchen@example.com', password: 'demo-kitchen-password', mfa: 'totp', recordings: 4_000, spanDays: 365 },
      { id: 'bedroom', vendor: 'amazon', email: 'bedroom@example.com', password: 'demo-bedroom-password', mfa: 'none', recordings: 600, spanDays: 120, faults: { captchaNextSignIn: true } },
    ],
  });
  const port = await freePort(opts.port ?? 8733);
  const configPath = writeSimConfig(sim, {
    dir, httpPort: port, logLevel: 'warn', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    accounts: [{ sim: 'kitchen', keep_days: 30 }, { sim: 'bedroom', keep_days: 7 }],
    extra: ['schedule: {cron: "30 3 * * *", jitter_minutes: 20, catch_up: false}'],
  });
  const { config, problems } = loadConfig(configPath);
  if (!config) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    await sim.close();
    return EXIT.usage;
  }
  // The summary below says what went wrong; the log would only repeat it in JSON.
  const log = createLogger({ level: 'error' });
  const daemon = await startDaemon(config, log);
  const finish = async () => {
    await daemon.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  };
  process.stdout.write([
    '',
    `voicewipe demo: the daemon is running at ${daemon.url} against a simulator at ${sim.url}`,
    `  config: ${configPath}`,
    `  state:  ${config.state_dir}`,
    '  first purge: "kitchen" keeps 30 days (authenticator code), "bedroom" keeps 7 days (Amazon shows a captcha)…',
    '',
  ].join('\n'));
  const { done } = daemon.context.purge.runner.start({ trigger: 'demo' });
  const summary = await done;
  process.stdout.write(`\n${formatRun(summary, config.state_dir)}`);
  const code = exitCodeFor(summary.status);
  process.stdout.write([
    '',
    opts.once ? 'Where to look (while it runs: `npm run demo` without --once keeps it up):' : 'Where to look:',
    `  status page   ${daemon.url}/            (admin token: ${join(config.state_dir, 'admin-token')})`,
    `  health        ${daemon.url}/healthz`,
    `  the vendors   ${sim.url}/__sim          (simulated accounts, codes, faults)`,
    `  from a shell  bin/voicewipe status --config ${configPath}`,
    '',
  ].join('\n'));
  if (opts.once) {
    await finish();
    return code;
  }
  process.stdout.write('Press Ctrl+C to stop; the temp folder is removed on exit.\n');
  return new Promise((resolve) => {
    const stop = () => { finish().then(() => resolve(0), () => resolve(1)); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
