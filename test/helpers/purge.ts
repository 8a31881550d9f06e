// A purge runner wired like the daemon's, against a simulator, with its log lines captured for assertions.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { loadConfig, formatProblem } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Database } from '../../src/db/open.ts';
import { createLogger } from '../../src/log.ts';
import type { Logger } from '../../src/log.ts';
import { createPurge } from '../../src/purge/index.ts';
import type { Purge } from '../../src/purge/index.ts';
import type { RunnerOptions, RunRequest, RunSummary } from '../../src/purge/run.ts';
import { writeSimConfig } from '../../sim/config.ts';
import type { SimConfigAccount, SimConfigOptions } from '../../sim/config.ts';
import type { Simulator } from '../../sim/server.ts';
import { fileLaunch } from './shared-browser.ts';
import type { Launch } from './shared-browser.ts';

export interface PurgeEnv extends Purge {
  config: Config;
  configPath: string;
  db: Database;
  logs: string[];
  run(request?: Partial<RunRequest>): Promise<RunSummary>;
}

/** Fast settings for tests: short settle and retry pauses, same logic. */
export const TEST_RUNNER: RunnerOptions = { settleMs: 3_000, retryDelayMs: 200, verifyIntervalMs: 250, maxRetryAfterMs: 5_000 };

/** Writes a config for the simulator's accounts and loads it through the real loader (which must accept it). */
export function loadSimConfig(sim: Simulator, opts: SimConfigOptions): { config: Config; configPath: string } {
  const configPath = writeSimConfig(sim, opts);
  const { config, problems } = loadConfig(configPath);
  if (!config) throw new Error(problems.map(formatProblem).join('\n'));
  return { config, configPath };
}

/** Wired as src/purge/index.ts's createPurge wires the daemon's, but launching through `launch`: by default
 *  the test file's one shared Chromium (test/helpers/shared-browser.ts). */
export function testPurge(config: Config, db: Database, log: Logger, options: RunnerOptions, now: () => number, launch: Launch = fileLaunch()): Purge {
  return createPurge(config, db, log, options, now, launch);
}

export function purgeEnv(t: Test, sim: Simulator, accounts: SimConfigAccount[], options: RunnerOptions = {}, dir = t.testdir()): PurgeEnv {
  const { config, configPath } = loadSimConfig(sim, { dir, accounts, stepTimeoutSeconds: 10, logLevel: 'debug' });
  const logs: string[] = [];
  const log = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
  const { db } = openDatabase(join(config.state_dir, 'voicewipe.db'));
  t.teardown(() => db.close());
  const purge = testPurge(config, db, log, { ...TEST_RUNNER, ...options }, () => sim.control.now());
  return {
    ...purge, config, configPath, db, logs,
    run: (request = {}) => purge.runner.start({ trigger: 'cli', ...request }).done,
  };
}
