// A daemon config whose runs can never open a browser (browser.executable_path is /bin/false: a run that
// starts ends `browser_crashed` within a second), for tests that throw junk at the daemon's inputs and only
// need to know whether a run started, not to purge anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, loadConfig } from '../../src/config/load.ts';
import { writeSecretFile } from '../../sim/config.ts';
import type { Config } from '../../src/config/types.ts';

export interface NoBrowserConfig { path: string; config: Config }

/** Accounts `kitchen` (alexa), `office` (google) and `parked` (disabled); no catch-up. `extra`: more YAML lines. */
export function writeNoBrowserConfig(dir: string, extra: string[] = [], secrets: { password?: string; totp?: string } = {}): NoBrowserConfig {
  const secret = (name: string, value: string) => writeSecretFile(dir, name, value);
  const lines = [
    'version: 1', 'timezone: UTC', `state_dir: ${join(dir, 'state')}`, 'http: {host: 127.0.0.1, port: 0}', 'log: {level: debug}',
    'schedule: {cron: "30 3 * * *", catch_up: false}', 'browser: {executable_path: /bin/false, step_timeout_seconds: 5}', ...extra,
    'accounts:',
    '  - {id: kitchen, name: Kitchen, provider: alexa, email: k@example.com, base_url: "http://127.0.0.1:9",',
    `     password_file: ${secret('kitchen-password', secrets.password ?? 'not-used-pw')}${secrets.totp ? `, totp_secret_file: ${secret('kitchen-totp', secrets.totp)}` : ''}}`,
    '  - {id: office, name: Office, provider: google, base_url: "http://127.0.0.1:9"}',
    '  - {id: parked, provider: google, enabled: false}',
  ];
  const path = join(dir, 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const { config, problems } = loadConfig(path);
  if (!config) throw new Error(problems.map(formatProblem).join('\n'));
  return { path, config };
}
