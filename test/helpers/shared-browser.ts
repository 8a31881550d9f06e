// Reused Chromiums for a test file instead of one launch per run (a launch costs a second or more on a loaded
// 2-core box): every run still gets its own fresh context, as each account does in production. A run's close()
// hands its browser back for the next run; runs side by side each get one of their own, so a run that kills
// its browser (a hung page, a cancel) never takes another run's down; a killed browser is not handed out again.
// The file's end closes them all.
import t from 'tap';
import type { Test } from 'tap';
import { launchBrowser } from '../../src/browser/launch.ts';
import type { RunBrowser } from '../../src/browser/launch.ts';
import type { BrowserConfig } from '../../src/config/types.ts';

export type Launch = (config: BrowserConfig) => Promise<RunBrowser>;

interface Pooled { key: string; browser: RunBrowser; busy: boolean; killed: boolean }

/** A launcher for PurgeRunner's `launch` (and for helpers that need a browser) reusing idle Chromiums of the
 *  same browser config (binary, headless) until `owner` (by default the whole test file) ends. */
export function sharedBrowser(owner: Test = t): Launch {
  const pool = new Set<Pooled>();
  owner.teardown(async () => {
    const all = [...pool];
    pool.clear();
    await Promise.all(all.map((p) => p.browser.close().catch(() => {})));
  });
  return async (config) => {
    const key = JSON.stringify([config.executable_path ?? null, config.headless ?? true]);
    for (const p of pool) {
      if (p.key !== key || p.busy) continue;
      if (p.killed || !p.browser.browser.isConnected()) {
        pool.delete(p);
        await p.browser.close().catch(() => {});
        continue;
      }
      return lease(p);
    }
    // A launch failure is the run's to report (browser_crashed), as it would be with a launch of its own.
    const p: Pooled = { key, browser: await launchBrowser(config), busy: false, killed: false };
    pool.add(p);
    return lease(p);
  };

  function lease(p: Pooled): RunBrowser {
    p.busy = true;
    let returned = false;
    return {
      ...p.browser,
      close: async () => { if (!returned) { returned = true; p.busy = false; } },
      kill: () => { p.killed = true; p.browser.kill(); },
    };
  }
}

/** The test file's reused Chromiums (created on first use). */
let fileBrowser: Launch | undefined;
export function fileLaunch(): Launch {
  fileBrowser ??= sharedBrowser();
  return fileBrowser;
}
