// Launches Debian's Chromium through Playwright for one run, with one fresh context per account, and can kill
// the whole browser process tree when a page hangs, so a stuck vendor page never wedges the daemon.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import type { BrowserConfig } from '../config/types.ts';
import { CHROMIUM_ARGS, findChromium } from './chromium.ts';
import type { ChromiumBinary } from './chromium.ts';
import { findDescendant, killTree } from './processes.ts';
import type { StorageState } from './vault.ts';

export interface RunBrowser {
  binary: ChromiumBinary;
  browser: Browser;
  /** pid of the browser's main process (a process-group leader), when found. */
  pid?: number;
  /** A fresh context: its own cookies, images/media/fonts blocked, step timeout applied. */
  newContext(opts: { storageState?: StorageState; stepTimeoutMs: number; timezoneId?: string; locale?: string }): Promise<BrowserContext>;
  /** Graceful close, falling back to killing the tree after a few seconds. */
  close(): Promise<void>;
  /** Immediate SIGKILL of the whole tree. */
  kill(): void;
}

// A Pi has no use for pictures of products: skipping them saves memory, time and SD-card writes.
const BLOCKED_RESOURCES = new Set(['image', 'media', 'font']);

export async function launchBrowser(config: BrowserConfig): Promise<RunBrowser> {
  const binary = findChromium(config.executable_path);
  // Playwright is about 75 MB of heap: loaded when a run needs it, never in the idle daemon.
  const { chromium } = await import('playwright-core');
  // Chromium ignores unknown switches; this one lets us (and ps) find our browser among our children.
  const marker = `--voicewipe-browser=${process.pid}-${randomUUID()}`;
  const browser = await chromium.launch({
    executablePath: binary.path,
    headless: config.headless,
    args: [...CHROMIUM_ARGS, marker],
    timeout: 30_000,
    // We handle SIGTERM ourselves (cancel the run, then close the browser).
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  const pid = findDescendant(marker);
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    if (pid) killTree(pid);
  };
  return {
    binary, browser, pid, kill,
    async newContext({ storageState, stepTimeoutMs, timezoneId, locale }) {
      const context = await browser.newContext({
        storageState: storageState as BrowserContextOptions['storageState'],
        // The vendors' pages draw day boundaries in the browser's zone: make it the household's.
        timezoneId,
        locale: locale ?? 'en-US',
        viewport: { width: 1280, height: 900 },
        serviceWorkers: 'block',
      });
      context.setDefaultTimeout(stepTimeoutMs);
      context.setDefaultNavigationTimeout(stepTimeoutMs);
      await context.route('**/*', (route) => (BLOCKED_RESOURCES.has(route.request().resourceType()) ? route.abort() : route.fallback()));
      return context;
    },
    async close() {
      if (killed) return;
      const timer = setTimeout(kill, 5_000);
      try { await browser.close(); } catch { kill(); } finally { clearTimeout(timer); }
      killed = true;
    },
  };
}
