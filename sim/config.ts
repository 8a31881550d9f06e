// Writes a voicewipe config (and its 0600 secret files) whose accounts point at a running simulator: used by
// the demo, the tests and the benchmark, so they all exercise the real config loader.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from './server.ts';

export interface SimConfigAccount {
  /** The simulator account to use (its id). */
  sim: string;
  /** voicewipe account id; default: the simulator id. */
  id?: string;
  keep_days?: number;
  enabled?: boolean;
  /** Leave the TOTP secret out even when the simulator account has one. */
  withoutTotp?: boolean;
  /** Use this password instead of the right one. */
  password?: string;
  /** Google: purge Gemini activity too. */
  include_gemini?: boolean;
  /** Amazon: no password on file (the app-device sign-in, or a person, signs in). */
  withoutPassword?: boolean;
  /** Amazon: this marketplace instead of the simulator account's. */
  marketplace?: string;
}

export interface SimConfigOptions {
  dir: string;
  accounts: SimConfigAccount[];
  httpPort?: number;
  /** Extra top-level YAML lines (e.g. an mqtt block). */
  extra?: string[];
  timezone?: string;
  stepTimeoutSeconds?: number;
  logLevel?: string;
}

/** Writes a secret as the loader wants it (<dir>/secrets/<name>, mode 0600) and returns its path. */
export function writeSecretFile(dir: string, name: string, value: string): string {
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const path = join(secrets, name);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return path;
}

/** Returns the config file's path; secrets go to <dir>/secrets/, state to <dir>/state. */
export function writeSimConfig(sim: Simulator, opts: SimConfigOptions): string {
  mkdirSync(opts.dir, { recursive: true }); // an account without secrets (Google) writes none to make it
  const secretFile = (name: string, value: string) => writeSecretFile(opts.dir, name, value);
  const lines = [
    'version: 1',
    `timezone: ${opts.timezone ?? 'UTC'}`,
    `state_dir: ${join(opts.dir, 'state')}`,
    `http: {host: 127.0.0.1, port: ${opts.httpPort ?? 0}}`,
    `browser: {step_timeout_seconds: ${opts.stepTimeoutSeconds ?? 20}, run_timeout_minutes: 30}`,
    `log: {level: ${opts.logLevel ?? 'warn'}}`,
    ...(opts.extra ?? []),
    'accounts:',
  ];
  for (const a of opts.accounts) {
    const simAccount = sim.accounts.find((s) => s.id === a.sim);
    if (!simAccount) throw new Error(`no simulator account "${a.sim}"`);
    const id = a.id ?? a.sim.replace(/[^a-z0-9_-]/g, '-');
    const provider = simAccount.vendor === 'amazon' ? 'alexa' : 'google';
    lines.push(`  - id: ${id}`, `    name: ${JSON.stringify(`${simAccount.email} (simulated)`)}`, `    provider: ${provider}`,
      `    keep_days: ${a.keep_days ?? 30}`, `    base_url: ${sim.url}`);
    if (a.enabled === false) lines.push('    enabled: false');
    if (provider === 'alexa') {
      lines.push(`    marketplace: ${a.marketplace ?? simAccount.marketplace}`, `    email: ${simAccount.email}`);
      if (!a.withoutPassword) lines.push(`    password_file: ${secretFile(`${id}-password`, a.password ?? simAccount.password)}`);
      if (simAccount.totpSecret && !a.withoutTotp) lines.push(`    totp_secret_file: ${secretFile(`${id}-totp`, simAccount.totpSecret)}`);
    } else {
      if (simAccount.email) lines.push(`    email: ${simAccount.email}`);
      if (a.include_gemini) lines.push('    include_gemini: true');
    }
  }
  const path = join(opts.dir, 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
