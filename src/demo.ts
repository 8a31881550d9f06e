// `voicewipe demo`: a throw-away appliance to look at: its own state directory and config, the daemon on
// http://127.0.0.1:8733 (or the next free port). No real account, no broker, nothing outside the temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, formatProblem } from './config/load.ts';
import { startDaemon } from './main.ts';
import { createLogger } from './log.ts';

export interface DemoOptions { once: boolean; port?: number }

export async function runDemo(opts: DemoOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-demo-'));
  const configPath = join(dir, 'config.yaml');
  const port = opts.port ?? 8733;
  writeFileSync(configPath, [
    '# Written by `voicewipe demo`: a throw-away config in a temp directory.',
    'version: 1',
    `state_dir: ${join(dir, 'state')}`,
    `http: {host: 127.0.0.1, port: ${port}}`,
    'accounts: []',
    '',
  ].join('\n'));
  const { config, problems } = loadConfig(configPath);
  if (!config) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 2;
  }
  const log = createLogger({ level: 'warn' });
  const daemon = await startDaemon(config, log);
  const health = await fetch(`${daemon.url}/healthz`).then((r) => r.json() as Promise<Record<string, string>>);
  process.stdout.write([
    '',
    `voicewipe demo is running: ${daemon.url}`,
    `  health:  ${daemon.url}/healthz → ${JSON.stringify(health)}`,
    `  config:  ${configPath}`,
    `  state:   ${join(dir, 'state')}`,
    '  The simulated vendor accounts and the first purge arrive with the purge work (issue 4).',
    opts.once ? '' : '  Press Ctrl+C to stop; the temp directory is removed on exit.',
    '',
  ].join('\n'));
  const finish = async () => {
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  };
  if (opts.once) {
    await finish();
    return health.status === 'ok' ? 0 : 1;
  }
  return new Promise((resolve) => {
    const stop = () => { finish().then(() => resolve(0), () => resolve(1)); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
