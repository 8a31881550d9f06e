// One Chromium for all the runs of a test file instead of one launch per run (a launch costs a second or more
// on a loaded 2-core box): every run still gets its own fresh context, as each account does in production.
// A run's close() leaves the browser open and the file's end closes it; a run that kills it (a hung page, a
// cancel) kills it for real, and the next run launches a new one.
import t from 'tap';
import type { Test } from 'tap';
import { launchBrowser } from '../../src/browser/launch.ts';
import type { RunBrowser } from '../../src/browser/launch.ts';
import type { BrowserConfig } from '../../src/config/types.ts';

export type Launch = (config: BrowserConfig) => Promise<RunBrowser>;

/** A launcher for PurgeRunner's `launch` (and for helpers that need a browser) sharing one Chromium per
 *  browser config (binary, headless) until `owner` (by default the whole test file) ends. */
export function sharedBrowser(owner: Test = t): Launch {
  const browsers = new Map<string, { launched: Promise<RunBrowser>; killed: boolean }>();
  owner.teardown(async () => {
    for (const entry of browsers.values()) await (await entry.launched.catch(() => undefined))?.close();
    browsers.clear();
  });
  return async (config) => {
    const key = JSON.stringify([config.executable_path ?? null, config.headless ?? true]);
    let entry = browsers.get(key);
    const alive = entry && !entry.killed && (await entry.launched.then((b) => b.browser.isConnected(), () => false));
    if (entry && !alive) {
      browsers.delete(key);
      await (await entry.launched.catch(() => undefined))?.close().catch(() => {});
      entry = undefined;
    }
    if (!entry) {
      entry = { launched: launchBrowser(config), killed: false };
      browsers.set(key, entry);
    }
    const current = entry;
    let browser: RunBrowser;
    try {
      browser = await current.launched;
    } catch (err) {
      browsers.delete(key); // the next run tries again, as a run of its own would
      throw err;
    }
    return { ...browser, close: async () => {}, kill: () => { current.killed = true; browser.kill(); } };
  };
}

/** The test file's one shared Chromium (created on first use). */
let fileBrowser: Launch | undefined;
export function fileLaunch(): Launch {
  fileBrowser ??= sharedBrowser();
  return fileBrowser;
}
