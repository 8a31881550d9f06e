// The browser a person signs in with (status page's remote sign-in, `voicewipe login`): the full Chromium
// started as an ordinary process (no --enable-automation, no Playwright launch), with its own profile under
// <state_dir>/browser-profiles/<account> (its cookies and storage wiped at the end: the vault keeps the session),
// Chromium's sandbox where the platform allows it, and site isolation on. voicewipe attaches over CDP (on 127.0.0.1 only) to stream the picture and pass the person's input.
// Google refuses sign-in in a Playwright-launched browser (vendors/google.md); this one it accepts.
// The page may only go to the provider's sign-in and privacy origins; pop-ups are closed.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { sleep } from '../async.ts';
import type { BrowserConfig } from '../config/types.ts';
import { findChromium } from './chromium.ts';
import { applyIdentity, identityFor } from './identity.ts';
import { OWNER_ENV, forgetSignedInState, ownerMark, sweepSignInBrowsers } from './leftovers.ts';
import { alive, killTree, processTree } from './processes.ts';

/** Only the quieting switches of CHROMIUM_ARGS: the memory savers there (no zygote, one renderer, no site
 *  isolation) would weaken the browser in which a person types a password. */
const PERSON_ARGS = [
  '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
  '--no-default-browser-check', '--disable-extensions', '--mute-audio', '--password-store=basic',
  '--disable-features=Translate,OptimizationHints,MediaRouter', '--disable-blink-features=AutomationControlled',
];
const START_TIMEOUT_MS = 45_000;

export interface PersonBrowser {
  context: BrowserContext;
  page: Page;
  pid?: number;
  /** True when Chromium runs with its own sandbox. */
  sandboxed: boolean;
  close(): Promise<void>;
}

export interface PersonBrowserOptions {
  stateDir: string;
  accountId: string;
  headless: boolean;
  locale: string;
  /** Origins the page may navigate to (top-level); anything else is blocked. */
  allowedOrigins: string[];
  width: number;
  height: number;
}

export function profileDir(stateDir: string, accountId: string): string {
  return join(stateDir, 'browser-profiles', accountId);
}

/** Chromium's own sandbox needs user namespaces, which root (and systemd's RestrictNamespaces=yes) rule out. */
export function sandboxPossible(): boolean {
  if (process.getuid?.() === 0) return false;
  for (const [file, off] of [['/proc/sys/kernel/unprivileged_userns_clone', '0'], ['/proc/sys/user/max_user_namespaces', '0']]) {
    try { if (readFileSync(file, 'utf8').trim() === off) return false; } catch { /* not on this kernel */ }
  }
  return true;
}

async function waitForPort(dir: string, exited: () => boolean): Promise<number | undefined> {
  const file = join(dir, 'DevToolsActivePort');
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until && !exited()) {
    if (existsSync(file)) {
      const port = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (port > 0) return port;
    }
    await sleep(100);
  }
  return undefined;
}

async function start(binary: string, args: string[], dir: string): Promise<{ pid: number; port: number } | undefined> {
  rmSync(join(dir, 'DevToolsActivePort'), { force: true });
  const child = spawn(binary, args, { detached: true, stdio: 'ignore', env: { ...process.env, [OWNER_ENV]: ownerMark() } });
  let exited = false;
  child.once('exit', () => { exited = true; });
  child.once('error', () => { exited = true; });
  const port = await waitForPort(dir, () => exited);
  if (port && child.pid) return { pid: child.pid, port };
  if (child.pid && !exited) killTree(child.pid);
  return undefined;
}

export async function openPersonBrowser(config: BrowserConfig, opts: PersonBrowserOptions): Promise<PersonBrowser> {
  const binary = findChromium(config.executable_path, 'chromium');
  const dir = profileDir(opts.stateDir, opts.accountId);
  // A browser left in this profile by a voicewipe that was killed holds its lock: the new one would not start.
  await sweepSignInBrowsers(opts.stateDir, dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const { chromium } = await import('playwright-core');
  const args = [
    ...PERSON_ARGS, `--user-data-dir=${dir}`, '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
    `--window-size=${opts.width},${opts.height}`, `--lang=${opts.locale}`,
    // Headless on a Pi without a screen; its "HeadlessChrome" agent is replaced through CDP before any page loads.
    ...(opts.headless ? ['--headless=new'] : []),
  ];
  let sandboxed = sandboxPossible();
  let started = sandboxed ? await start(binary.path, [...args, 'about:blank'], dir) : undefined;
  if (!started) {
    // No user namespaces here (root, a container, systemd's RestrictNamespaces=): Chromium without its sandbox.
    sandboxed = false;
    started = await start(binary.path, [...args, '--no-sandbox', 'about:blank'], dir);
  }
  if (!started) throw new Error(`Chromium (${binary.path}) did not open its debugging port within ${START_TIMEOUT_MS / 1000} s`);
  const { pid, port } = started;
  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
  } catch (err) {
    killTree(pid);
    throw err;
  }
  const close = async () => {
    const tree = [pid, ...processTree(pid)];
    await browser.close().catch(() => {});
    // Chromium saves its profile on SIGTERM; whatever is left after a few seconds is killed.
    try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 30 && alive(pid); i++) await sleep(100);
    killTree(pid);
    // Its helper processes may still be writing into the profile: wipe it only once every one of them is gone.
    for (let i = 0; i < 50 && tree.some(alive); i++) await sleep(100);
    forgetSignedInState(dir);
  };
  try {
    const context = browser.contexts()[0];
    const page = context.pages()[0] ?? await context.newPage();
    await applyIdentity(await context.newCDPSession(page), identityFor(browser.version(), opts.locale));
    await page.setViewportSize({ width: opts.width, height: opts.height });
    // Pop-ups and new tabs: a person at a remote picture cannot see them, and they could lead anywhere.
    context.on('page', (other) => { if (other !== page) void other.close().catch(() => {}); });
    await context.route('**/*', (route: Route) => {
      const request = route.request();
      if (!request.isNavigationRequest()) return route.fallback();
      // A pop-up's first navigation has no frame yet: it counts as top level (and the pop-up is closed anyway).
      let topLevel = true;
      try { topLevel = request.frame().parentFrame() === null; } catch { /* no frame yet */ }
      if (topLevel && !allowed(request.url(), opts.allowedOrigins)) return route.abort('blockedbyclient');
      return route.fallback();
    });
    // A route does not see where a redirect leads (nor an error page): the page is taken back at once to the
    // last allowed page it showed.
    let lastAllowed: string | undefined;
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      if (allowed(frame.url(), opts.allowedOrigins)) { if (frame.url() !== 'about:blank') lastAllowed = frame.url(); return; }
      void page.goto(lastAllowed ?? 'about:blank', { waitUntil: 'commit' }).catch(() => {});
    });
    return { context, page, pid, sandboxed, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export function allowed(url: string, origins: string[]): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'about:' || u.protocol === 'data:') return u.href === 'about:blank';
    return origins.includes(u.origin);
  } catch {
    return false;
  }
}
