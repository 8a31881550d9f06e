// The end-to-end set-up many tests share: the vendors' simulator with a few accounts, a daemon in this process
// whose accounts are the simulator's (a config written and read by the real loader, the test runner's fast
// pauses, the simulator's clock), and a Chromium to look at its status page. Each closes when its test ends.
import type { Test } from 'tap';
import type { Browser } from 'playwright-core';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';
import type { SimAccountOptions } from '../../sim/state.ts';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import type { Config } from '../../src/config/types.ts';
import type { Logger } from '../../src/log.ts';
import { startDaemon } from '../../src/main.ts';
import type { Daemon } from '../../src/main.ts';
import { quietLogger } from '../http/env.ts';
import { TEST_RUNNER } from './purge.ts';

/** A simulator account: `<id>@example.<marketplace or com>`, password `pw-<id>-<tag>` (unique, so a test can
 *  look for it where it must never appear). */
export function simAccount(vendor: 'amazon' | 'google', id: string, tag: string | number,
  o: { recordings: number; spanDays: number; mfa?: 'totp' | 'none'; marketplace?: string }): SimAccountOptions {
  const { mfa = 'none', marketplace, ...size } = o;
  return {
    id, vendor, email: `${id}@example.${marketplace ?? 'com'}`, password: `pw-${id}-${tag}`, mfa,
    ...(marketplace ? { marketplace } : {}), ...size,
  };
}

/** The simulator with these accounts (same seed, same recordings), closed when `t` ends. */
export async function testSimulator(t: Test, seed: number, accounts: SimAccountOptions[]): Promise<Simulator> {
  const sim = await startSimulator({ seed, accounts });
  t.teardown(() => sim.close());
  return sim;
}

/** The daemon (startDaemon) on `config`, its runs fast and on the simulator's clock; closed when `t` ends. */
export async function simDaemon(t: Test, sim: Simulator, config: Config, log: Logger = quietLogger()): Promise<Daemon> {
  const daemon = await startDaemon(config, log, { runner: TEST_RUNNER, now: () => sim.control.now() });
  t.teardown(() => daemon.close());
  return daemon;
}

/** A Chromium for the person's side (the status page, a phone): the system one, closed when `t` ends. */
export async function pageBrowser(t: Test): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  return browser;
}

/** The secrets canary's household (every secret in it a canary to look for): a healthy account, one whose site
 *  changed (it fails, keeping evidence) and one stopped at a captcha; passwords `password`, `-2`, `-3`. */
export function canaryAccounts(password: string, recordings: { main: number; others: number }): SimAccountOptions[] {
  const amazon = (id: string, pw: string, mfa: 'totp' | 'none', n: number, faults: SimAccountOptions['faults'] = {}) =>
    ({ ...simAccount('amazon', id, '', { mfa, recordings: n, spanDays: 60 }), password: pw, faults });
  return [
    amazon('main', password, 'totp', recordings.main),
    amazon('changed', `${password}-2`, 'totp', recordings.others, { redesign: 2 }),
    amazon('stuck', `${password}-3`, 'none', recordings.others, { captchaNextSignIn: true }),
  ];
}
