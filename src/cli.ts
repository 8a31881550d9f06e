// `voicewipe <command>`: the command line of the appliance (shared/DESIGN.md, "External contract").
// Exit codes: 0 ok · 1 failed · 2 bad config or usage · 3 a person is needed (sign-in, captcha, code).
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { formatProblem, loadConfig, resolveConfigPath } from './config/load.ts';
import type { Config } from './config/types.ts';
import { openDatabase } from './db/open.ts';
import { listAccountStates, listRuns } from './db/queries.ts';
import { ensureAdminToken, rotateAdminToken } from './http/admin-token.ts';
import { SessionStore } from './http/sessions.ts';
import { certificateFingerprint, tlsEnabled } from './http/tls.ts';
import { privateFileMode } from './state-dir.ts';
import { createLogger } from './log.ts';
import { createPurge } from './purge/index.ts';
import { accountStateFor } from './purge/status.ts';
import { PurgeLocked, UnknownAccount } from './errors.ts';
import { Recorder } from './purge/recorder.ts';
import { EXIT, exitCodeFor, formatRun } from './purge/report.ts';
import type { RunnerOptions } from './purge/run.ts';
import { databasePath } from './context.ts';
import { VERSION } from './version.ts';

export { EXIT };

type Options = NonNullable<ParseArgsConfig['options']>;
interface Command {
  summary: string;
  usage: string;
  options: Options;
  /** How many positional arguments it takes (an account id, a path); none unless said. */
  positionals?: number;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
}

const configOption: Options = { config: { type: 'string', short: 'c' } };

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'run the daemon (schedule, status page, MQTT)',
    usage: 'voicewipe start [--config PATH]',
    options: configOption,
    async run({ values }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      const { runDaemon } = await import('./main.ts');
      return runDaemon(config);
    },
  },
  purge: {
    summary: 'run one purge now, in the foreground, and print a summary',
    usage: 'voicewipe purge [--account ID] [--dry-run] [--json] [--config PATH]',
    options: { ...configOption, account: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    async run({ values }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      return purgeOnce(config, {
        accountId: values.account as string | undefined, dryRun: values['dry-run'] === true, json: values.json === true, trigger: 'cli',
      });
    },
  },
  'check-site': {
    summary: 'sign in and walk each account\'s purge up to, not including, the final delete; print which locators matched',
    usage: 'voicewipe check-site [--account ID] [--json] [--config PATH]',
    options: { ...configOption, account: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      const { checkSiteCommand } = await import('./purge/check-site.ts');
      return checkSiteCommand(config, { accountId: values.account as string | undefined, json: values.json === true });
    },
  },
  'check-config': {
    summary: 'check a config file and list every problem in it',
    usage: 'voicewipe check-config [PATH] [--config PATH]',
    options: configOption,
    positionals: 1,
    async run({ values, positionals }) {
      const path = resolveConfigPath(positionals[0] ?? (values.config as string | undefined));
      const { config, problems } = loadConfig(path);
      if (!config) {
        for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
        process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${path}\n`);
        return EXIT.usage;
      }
      const accounts = config.accounts.map((a) => `${a.id} (${a.provider}${a.enabled ? '' : ', disabled'})`);
      process.stdout.write(`${path}: OK\n  accounts: ${accounts.join(', ') || 'none'}\n` +
        `  schedule: ${config.schedule.cron} (${config.timezone})\n  state: ${config.state_dir}\n` +
        `  mqtt: ${config.mqtt ? config.mqtt.url : 'off'}\n`);
      return EXIT.ok;
    },
  },
  status: {
    summary: 'show the last runs and each account\'s state',
    usage: 'voicewipe status [--json] [--config PATH]',
    options: { ...configOption, json: { type: 'boolean' } },
    async run({ values }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      const file = databasePath(config);
      if (!existsSync(file)) {
        process.stdout.write(values.json ? '{"runs":[],"accounts":[]}\n' : `no runs yet (no database at ${file})\n`);
        return EXIT.ok;
      }
      const { db } = openDatabase(file, { readonly: true });
      try {
        const runs = listRuns(db, { limit: 10 });
        const accounts = listAccountStates(db);
        if (values.json) {
          // Each recorded row with the state the page and MQTT show (src/purge/status.ts).
          const now = Date.now();
          const decided = accounts.map((row) => {
            const account = config.accounts.find((a) => a.id === row.id);
            const view = accountStateFor(account ?? { enabled: false }, row, { now, expected_since: row.last_run_at ?? now });
            return { ...row, state: view.state, problem: view.problem, needs_person: view.needs_person, overdue: view.overdue, help: view.help };
          });
          process.stdout.write(`${JSON.stringify({ runs, accounts: decided })}\n`);
        } else {
          process.stdout.write(formatStatus(config, runs, accounts));
        }
      } finally {
        db.close();
      }
      return EXIT.ok;
    },
  },
  token: {
    summary: 'print the admin token (for the status page and the API); --rotate makes a new one and signs everyone out',
    usage: 'voicewipe token [--rotate] [--config PATH]',
    options: { ...configOption, rotate: { type: 'boolean' } },
    async run({ values }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      // The token alone on stdout (scripts read it); what to check in the browser on stderr.
      process.stdout.write(`${values.rotate ? rotateAdminToken(config.state_dir) : ensureAdminToken(config.state_dir)}\n`);
      if (values.rotate) {
        // Sessions outlive restarts (SQLite): end them here too, so a daemon that is not running keeps none.
        const file = databasePath(config);
        if (existsSync(file)) {
          const { db } = openDatabase(file);
          try { new SessionStore(db).endAll(); } finally { db.close(); }
        }
        process.stderr.write('voicewipe token: new token written; every session and sign-in link has ended\n');
      }
      const fingerprint = certificateFingerprint(config.state_dir);
      if (fingerprint) process.stderr.write(`HTTPS certificate SHA-256 fingerprint: ${fingerprint}\n`);
      else if (tlsEnabled(config.http)) process.stderr.write('HTTPS certificate: not made yet (the daemon makes it on its first start)\n');
      return EXIT.ok;
    },
  },
  acknowledge: {
    summary: 'resume purges of an account paused after over_deleted (once you have looked at the evidence)',
    usage: 'voicewipe acknowledge <account> [--config PATH]',
    options: configOption,
    positionals: 1,
    async run({ values, positionals }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      const id = positionals[0];
      if (!id || !config.accounts.some((a) => a.id === id)) {
        process.stderr.write(`voicewipe acknowledge: ${id ? `no account "${id}" in the config` : 'which account?'} ` +
          `(accounts: ${config.accounts.map((a) => a.id).join(', ') || 'none'}). Usage: voicewipe acknowledge <account>\n`);
        return EXIT.usage;
      }
      const { db } = openDatabase(databasePath(config));
      try {
        const paused = new Recorder(db).acknowledge(id);
        process.stdout.write(paused ? `${id}: acknowledged; purges of this account resume with the next run\n` : `${id}: was not paused; nothing to do\n`);
      } finally {
        db.close();
      }
      return EXIT.ok;
    },
  },
  login: accountCommand('login', 'sign in to an account once, in a browser window on this machine (needs a display)', async (config, id) => {
    const { loginWithWindow } = await import('./signin/login.ts');
    return loginWithWindow(config, id, process.stderr);
  }),
  invite: accountCommand('invite', 'make a one-time link (15 minutes) that lets anyone sign in to one account from their phone', async (config, id) => {
    const { createInvite } = await import('./http/invite-cli.ts');
    return createInvite(config, id, process.stdout, process.stderr);
  }),
  demo: {
    summary: 'start the vendor simulator and a daemon against it (no real account is touched)',
    usage: 'voicewipe demo [--once]',
    options: { once: { type: 'boolean' }, port: { type: 'string' } },
    async run({ values }) {
      const { runDemo } = await import('./demo.ts');
      return runDemo({ once: values.once === true, port: values.port ? Number(values.port) : undefined });
    },
  },
};

/** One purge in this process: the run's summary on stdout, exit 0 ok / 1 failed / 3 a person is needed. */
export async function purgeOnce(config: Config, opts: { accountId?: string; dryRun: boolean; json: boolean; trigger: 'cli' | 'demo'; runner?: RunnerOptions }): Promise<number> {
  const log = createLogger({ level: config.log.level, destination: process.stderr });
  const { db } = openDatabase(databasePath(config));
  try {
    const { runner } = createPurge(config, db, log, opts.runner);
    let started;
    try {
      started = runner.start({ trigger: opts.trigger, accountId: opts.accountId, dryRun: opts.dryRun });
    } catch (err) {
      if (err instanceof UnknownAccount || err instanceof PurgeLocked) {
        process.stderr.write(`voicewipe purge: ${err.message}\n`);
        return err instanceof UnknownAccount ? EXIT.usage : EXIT.failed;
      }
      throw err;
    }
    // Ctrl+C cancels the run cleanly (browser closed, run recorded as cancelled).
    const cancel = () => { void runner.cancel(); };
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    const summary = await started.done;
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatRun(summary, config.state_dir));
    return exitCodeFor(summary.status);
  } finally {
    db.close();
  }
}

/** `voicewipe <name> <account>`: a command about one account of the config. */
function accountCommand(name: string, summary: string, run: (config: Config, accountId: string) => Promise<number>): Command {
  return {
    summary, usage: `voicewipe ${name} <account> [--config PATH]`, options: configOption, positionals: 1,
    async run({ values, positionals }) {
      const config = loadOrReport(values.config as string | undefined);
      if (!config) return EXIT.usage;
      if (!positionals[0]) {
        process.stderr.write(`voicewipe ${name}: which account? Usage: voicewipe ${name} <account>\n`);
        return EXIT.usage;
      }
      return run(config, positionals[0]);
    },
  };
}

function loadOrReport(cliPath: string | undefined): Config | undefined {
  const path = resolveConfigPath(cliPath);
  const { config, problems } = loadConfig(path);
  if (config) return config;
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  process.stderr.write(`voicewipe: ${path} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; ` +
    'nothing was started. Run `voicewipe check-config` after fixing it.\n');
  return undefined;
}

function when(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function formatStatus(config: Config, runs: ReturnType<typeof listRuns>, accounts: ReturnType<typeof listAccountStates>): string {
  const lines: string[] = ['accounts:'];
  for (const account of config.accounts) {
    const state = accounts.find((a) => a.id === account.id);
    // The same decision as the status page and MQTT (src/purge/status.ts); a run in progress is not visible here.
    const view = accountStateFor(account, state, { now: Date.now(), expected_since: state?.last_run_at ?? Date.now() });
    const words = view.state === 'needs_person' ? 'needs you' : view.state;
    lines.push(`  ${account.id.padEnd(16)} ${words.padEnd(12)}` +
      ` last success ${when(state?.last_success_at ?? null)}, ${state?.total_deleted ?? 0} deleted in total` +
      (view.problem && state?.last_error_kind ? `, problem: ${state.last_error_kind}` : '') + (view.overdue ? ', OVERDUE' : ''));
    if (view.headline) lines.push(`  ${''.padEnd(16)} ${view.headline}`);
    if (view.help) lines.push(`  ${''.padEnd(16)} what to do: ${view.help}`);
  }
  if (config.accounts.length === 0) lines.push('  none configured');
  lines.push('', 'last runs:');
  for (const run of runs) {
    lines.push(`  #${String(run.id).padEnd(5)} ${when(run.started_at)}  ${run.status.padEnd(12)} ${run.trigger.padEnd(9)}` +
      ` found ${run.found}, deleted ${run.deleted}, remaining ${run.remaining}${run.dry_run ? ' (dry run)' : ''}`);
  }
  if (runs.length === 0) lines.push('  none yet');
  return `${lines.join('\n')}\n`;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [`voicewipe ${VERSION}: deletes your voice-assistant recordings every night.`, '', 'Usage: voicewipe <command> [options]', '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '', 'Config: --config PATH, else $VOICEWIPE_CONFIG, else ./config.yaml, else /etc/voicewipe/config.yaml.',
    'Exit codes: 0 ok, 1 failed, 2 bad config or usage, 3 a person is needed.',
    'Run `voicewipe <command> --help` for a command\'s options.', ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  privateFileMode();
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`voicewipe: unknown command "${name}"\n\n${help()}`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`voicewipe ${name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > (command.positionals ?? 0)) {
    process.stderr.write(`voicewipe ${name}: unexpected argument "${parsed.positionals.at(-1)}"\nUsage: ${command.usage}\n`);
    return EXIT.usage;
  }
  return command.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] });
}

// Run when executed as the entry point (import.meta.main needs Node 24.2; engines allow 22.18).
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`voicewipe: ${(err as Error).stack ?? err}\n`);
    process.exitCode = EXIT.failed;
  });
}
