// Wires a purge runner for a process (daemon, `voicewipe purge`, demo): events → recorder, the session vault,
// the providers and the browser launcher.
import type { Config } from '../config/types.ts';
import type { Database } from '../db/open.ts';
import type { Logger } from '../log.ts';
import type { launchBrowser } from '../browser/launch.ts';
import { SessionVault } from '../browser/vault.ts';
import { loadProviders } from '../providers/load.ts';
import { PurgeEvents } from './events.ts';
import { LiveView } from './live.ts';
import { Recorder } from './recorder.ts';
import { PurgeRunner } from './run.ts';
import type { RunnerOptions } from './run.ts';

export interface Purge {
  runner: PurgeRunner;
  events: PurgeEvents;
  recorder: Recorder;
  vault: SessionVault;
  /** The running run as its events tell it, for the status page and MQTT. */
  live: LiveView;
}

/** The browser launcher (and what it imports) loaded at the first purge, not while the daemon idles. */
const launchOnFirstUse: typeof launchBrowser = async (config) => {
  const { launchBrowser } = await import('../browser/launch.ts');
  return launchBrowser(config);
};

/** `now` is the clock for cut-offs and records (tests align it with the simulator's); `launch` starts the
 *  browser (tests share one Chromium per file). */
export function createPurge(config: Config, db: Database, log: Logger, options?: RunnerOptions, now?: () => number,
  launch: typeof launchBrowser = launchOnFirstUse): Purge {
  const events = new PurgeEvents((err, event) => log.error({ err, event }, 'a listener of the run\'s events failed'));
  const recorder = new Recorder(db);
  recorder.attach(events);
  // Right after the recorder: every other listener reads the projection with the event already applied.
  const live = new LiveView();
  live.attach(events);
  const vault = new SessionVault(config.state_dir);
  const runner = new PurgeRunner({
    config, recorder, events, log: log.child({ module: 'purge' }), vault, providers: loadProviders, launch, options, now,
  });
  return { runner, events, recorder, vault, live };
}
