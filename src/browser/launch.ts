// Launches Debian's Chromium through Playwright for one run, with one fresh context per account, and can kill
// the whole browser process tree when a page hangs, so a stuck vendor page never wedges the daemon.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { BrowserConfig } from '../config/types.ts';
import { CHROMIUM_ARGS, findChromium } from './chromium.ts';
import type { ChromiumBinary } from './chromium.ts';
import { IDENTITY_ARGS, IGNORED_DEFAULT_ARGS, carryIdentity, identityFor } from './identity.ts';
import { findDescendant, killTree } from './processes.ts';
import type { StorageState } from './vault.ts';

export interface RunBrowser {
  binary: ChromiumBinary;
  browser: Browser;
  /** pid of the browser's main process (a process-group leader), when found. */
  pid?: number;
  /** A fresh context: its own cookies, images/media/fonts blocked, step timeout applied, the ordinary-Chrome
   *  identity (identity.ts) in the account's language on every page. */
  newContext(opts: { storageState?: StorageState; stepTimeoutMs: number; timezoneId?: string; locale?: string }): Promise<BrowserContext>;
  /** Graceful close, falling back to killing the tree after a few seconds. */
  close(): Promise<void>;
  /** Immediate SIGKILL of the whole tree. */
  kill(): void;
}

// A Pi has no use for pictures of products, videos or web fonts: skipping them saves memory and time.
const BLOCKED_URLS = ['*.png', '*.jpg', '*.jpeg', '*.gif', '*.webp', '*.avif', '*.ico', '*.svg', '*.woff', '*.woff2', '*.ttf', '*.otf',
  '*.mp3', '*.mp4', '*.m4a', '*.webm', '*.ogg', '*.wav', '*images-amazon.com*', '*media-amazon.com*', '*gstatic.com/images*'];

async function blockHeavyResources(context: BrowserContext, page: Page): Promise<void> {
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setBlockedURLs', { urls: BLOCKED_URLS });
  } catch { /* page closed before we got to it */ }
}

export interface LaunchOptions {
  /** Overrides browser.headless. (A person signs in in browser/person.ts's browser, not this one.) */
  headless?: boolean;
}

export async function launchBrowser(config: BrowserConfig, opts: LaunchOptions = {}): Promise<RunBrowser> {
  const binary = findChromium(config.executable_path);
  // Playwright is about 75 MB of heap: loaded when a run needs it, never in the idle daemon.
  const { chromium } = await import('playwright-core');
  // Chromium ignores unknown switches; this one lets us (and ps) find our browser among our children.
  const marker = `--voicewipe-browser=${process.pid}-${randomUUID()}`;
  const browser = await chromium.launch({
    executablePath: binary.path,
    headless: opts.headless ?? config.headless,
    // imagesEnabled=false: Blink does not even decode pictures that slip past the URL block (data: URLs).
    args: [...CHROMIUM_ARGS, ...IDENTITY_ARGS, '--blink-settings=imagesEnabled=false', marker],
    // Playwright would add --enable-automation, which sets navigator.webdriver and gives the browser away.
    // Playwright adds --disable-dev-shm-usage itself: dropped too where /dev/shm is big enough (chromium.ts).
    ignoreDefaultArgs: [...IGNORED_DEFAULT_ARGS, ...(CHROMIUM_ARGS.includes('--disable-dev-shm-usage') ? [] : ['--disable-dev-shm-usage'])],
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
    async newContext({ storageState, stepTimeoutMs, timezoneId, locale = 'en-US' }) {
      const identity = identityFor(browser.version(), locale);
      const context = await browser.newContext({
        storageState: storageState as BrowserContextOptions['storageState'],
        // The vendors' pages draw day boundaries in the browser's zone: make it the household's.
        timezoneId,
        locale,
        viewport: { width: 1280, height: 900 },
        // Playwright's own override sets the string; carryIdentity() adds the client hints that go with it.
        userAgent: identity.userAgent,
        serviceWorkers: 'block',
      });
      carryIdentity(context, identity);
      context.setDefaultTimeout(stepTimeoutMs);
      context.setDefaultNavigationTimeout(stepTimeoutMs);
      // Blocked by URL inside Chromium: a Playwright route would pause every request (the JSON list ones too)
      // for a round trip to Node, which costs more than the pictures it saves.
      context.on('page', (page) => { void blockHeavyResources(context, page); });
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
