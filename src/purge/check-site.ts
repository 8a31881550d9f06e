// `voicewipe check-site` and the status page's "check the page": signs each account in and walks its vendor's
// purge flow up to, not including, the final delete (filter, range read back, delete control, confirm dialog
// opened and cancelled). Reports which fallback matched every locator (class, role, text, none) and the calls
// the page made, and keeps an evidence bundle for a bug report: sanitised HTML, screenshot, the locator table,
// request paths without bodies, the version. Nothing is deleted and no run is recorded.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunBrowser } from '../browser/launch.ts';
import { maskedScreenshot, openEvidence, sanitizedHtml, sealEvidence, stripSecrets } from '../browser/evidence.ts';
import { loadVaultKey } from '../browser/vault.ts';
import type { AccountConfig, Config } from '../config/types.ts';
import { createLogger } from '../log.ts';
import type { Logger } from '../log.ts';
import { PROVIDERS } from '../providers/index.ts';
import { SessionVault } from '../browser/vault.ts';
import type { Observations, Provider, ProviderSession } from '../providers/types.ts';
import { VERSION } from '../version.ts';
import { classify } from '../errors.ts';
import { PurgeLocked, UnknownAccount } from '../errors.ts';
import { takePurgeLock } from './lock.ts';
import { cutoffFor } from './cutoff.ts';
import { openProviderSession } from './session.ts';
import { EXIT } from './report.ts';

/** A provider that can walk its flow without deleting. */
export interface SiteChecker {
  /** Walks the flow up to the final delete; throws PurgeError where it stops. */
  checkSite(s: ProviderSession, cutoff: number): Promise<void>;
  /** Requests the page sent under the vendor's API so far: method and path only. */
  requestsSeen(s: ProviderSession): string[];
  /** The locators the walk uses, in the order it meets them. */
  readonly checkedLocators: string[];
}

export interface LocatorRow {
  name: string;
  /** Which fallback matched: class, role or text (with its position), none, or not needed on this page. */
  matched: string;
}

export interface SiteCheck {
  account_id: string;
  provider: string;
  ok: boolean;
  error_kind: string | null;
  message: string | null;
  locators: LocatorRow[];
  /** Requests the page sent under the vendor's API: method and path, no query, no body. */
  requests: string[];
  /** Delete requests seen (there must be none: the dialog is cancelled). */
  delete_requests: string[];
  notes: string[];
  version: string;
  checked_at: number;
  /** The bundle's directory, relative to the state directory. */
  bundle_dir: string | null;
}

export interface CheckDeps {
  config: Config;
  log: Logger;
  vault: SessionVault;
  providers: Record<string, Provider>;
  launch: (config: Config['browser']) => Promise<RunBrowser>;
  now?: () => number;
}

const isChecker = (p: Provider): p is Provider & SiteChecker => typeof (p as Partial<SiteChecker>).checkSite === 'function';

export function bundleDir(stateDir: string, accountId: string): string {
  return join(stateDir, 'check-site', accountId);
}

/** Checks the given account (or every enabled one). Takes the purge lock: never alongside a purge. */
export async function checkSites(deps: CheckDeps, accountId?: string): Promise<SiteCheck[]> {
  const { config } = deps;
  const accounts = accountId === undefined ? config.accounts.filter((a) => a.enabled) : config.accounts.filter((a) => a.id === accountId);
  if (accountId !== undefined && accounts.length === 0) throw new UnknownAccount(accountId, config.accounts.map((a) => a.id));
  const release = takePurgeLock(config.state_dir);
  let browser: RunBrowser | undefined;
  try {
    const out: SiteCheck[] = [];
    for (const account of accounts) {
      browser ??= await deps.launch(config.browser);
      out.push(await checkOne(deps, browser, account));
    }
    return out;
  } finally {
    await browser?.close().catch(() => {});
    release();
  }
}

async function checkOne(deps: CheckDeps, browser: RunBrowser, account: AccountConfig): Promise<SiteCheck> {
  const { config, vault } = deps;
  const now = deps.now ?? Date.now;
  const provider = deps.providers[account.provider];
  const observations: Observations = { locators: {}, delete_requests: [], notes: [], timings: {} };
  const report: SiteCheck = {
    account_id: account.id, provider: account.provider, ok: false, error_kind: null, message: null, locators: [], requests: [],
    delete_requests: [], notes: observations.notes, version: VERSION, checked_at: now(), bundle_dir: null,
  };
  if (!provider || !isChecker(provider)) {
    report.error_kind = 'vendor_error';
    report.message = `the ${account.provider} provider has no site check in this version`;
    return report;
  }
  const opened = await openProviderSession(browser, {
    config, account, provider, storageState: vault.load(account.id).state, log: deps.log.child({ account: account.id, check: 'site' }), observations, now,
  });
  const { session } = opened;
  const { context, page } = session;
  try {
    await provider.signIn(session);
    vault.save(account.id, await context.storageState() as never);
    await provider.checkSite(session, cutoffFor(account.keep_days, now(), config.timezone));
    report.ok = true;
  } catch (err) {
    const failure = classify(err);
    report.error_kind = failure.kind;
    report.message = failure.message;
  }
  report.requests = provider.requestsSeen(session);
  report.delete_requests = observations.delete_requests.map((d) => `${d.method} ${d.path} ${d.status ?? ''}`.trim());
  if (report.delete_requests.length > 0) { report.ok = false; report.message ??= 'a delete request was sent during the check'; }
  report.locators = provider.checkedLocators.map((name) => ({ name, matched: observations.locators[name] ?? 'not needed' }));
  for (const [name, matched] of Object.entries(observations.locators)) {
    if (!provider.checkedLocators.includes(name)) report.locators.push({ name, matched });
  }
  if (report.locators.some((l) => l.matched === 'none')) report.ok = false;
  const secrets = [account.password, account.totp_secret].filter((s): s is string => Boolean(s));
  try { for (const c of await context.cookies()) secrets.push(c.value); } catch { /* browser gone */ }
  try {
    report.bundle_dir = await writeBundle(config.state_dir, report, page, secrets);
  } finally {
    await opened.close();
  }
  return report;
}

async function writeBundle(stateDir: string, report: SiteCheck, page: ProviderSession['page'], secrets: string[]): Promise<string> {
  const dir = bundleDir(stateDir, report.account_id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Sealed with the vault key like every evidence file; readBundle() opens them for the admin's download.
  const key = loadVaultKey(stateDir);
  const seal = (clear: Buffer, file: string) => sealEvidence(key, clear, CHECK_SITE_RUN, report.account_id, file);
  try { writeFileSync(join(dir, 'screenshot.png'), seal(await maskedScreenshot(page), 'screenshot.png'), { mode: 0o600 }); } catch { /* no picture */ }
  try { writeFileSync(join(dir, 'page.html'), seal(Buffer.from(await sanitizedHtml(page, secrets)), 'page.html'), { mode: 0o600 }); } catch { /* no html */ }
  const json = `${stripSecrets(JSON.stringify({ ...report, bundle_dir: undefined }, null, 2), secrets)}\n`;
  writeFileSync(join(dir, 'report.json'), seal(Buffer.from(json), 'report.json'), { mode: 0o600 });
  return join('check-site', report.account_id);
}

/** The place (run id) check-site bundles are sealed under: no run has id 0. */
const CHECK_SITE_RUN = 0;

/** The bundle as one JSON document (for a download): the report, the sanitised HTML, the screenshot in base64. */
export function readBundle(stateDir: string, accountId: string): { report: unknown; html: string | null; screenshot_png_base64: string | null } | undefined {
  const dir = bundleDir(stateDir, accountId);
  const key = loadVaultKey(stateDir);
  const open = (name: string) => openEvidence(key, readFileSync(join(dir, name)), CHECK_SITE_RUN, accountId, name);
  let report: unknown;
  try { report = JSON.parse(open('report.json').toString('utf8')); } catch { return undefined; }
  const read = (name: string, encoding: 'utf8' | 'base64') => { try { return open(name).toString(encoding); } catch { return null; } };
  return { report, html: read('page.html', 'utf8'), screenshot_png_base64: read('screenshot.png', 'base64') };
}


/** The table a person reads: every locator and which fallback matched, then the calls seen. */
export function formatSiteChecks(checks: SiteCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.account_id} (${c.provider}): ${c.ok ? 'all found' : `PROBLEM: ${c.error_kind ?? 'page_changed'}: ${c.message ?? 'a locator was not found'}`}`);
    const width = Math.max(...c.locators.map((l) => l.name.length), 8);
    lines.push(`  ${'locator'.padEnd(width)}  matched`);
    for (const l of c.locators) lines.push(`  ${l.name.padEnd(width)}  ${l.matched}`);
    lines.push('  calls the page made:', ...(c.requests.length ? c.requests.map((r) => `    ${r}`) : ['    none']));
    lines.push(`  delete requests: ${c.delete_requests.length ? c.delete_requests.join(', ') : 'none (the dialog was cancelled)'}`);
    for (const n of c.notes) lines.push(`  note: ${n}`);
    if (c.bundle_dir) lines.push(`  evidence bundle: ${c.bundle_dir}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** `voicewipe check-site [--account ID] [--json]`: exit 0 when every locator was found, 1 otherwise, 2 for an
 *  unknown account. */
export async function checkSiteCommand(config: Config, opts: { accountId?: string; json: boolean }): Promise<number> {
  const log = createLogger({ level: config.log.level, destination: process.stderr });
  const { launchBrowser } = await import('../browser/launch.ts');
  let checks: SiteCheck[];
  try {
    checks = await checkSites({ config, log, vault: new SessionVault(config.state_dir), providers: PROVIDERS, launch: launchBrowser }, opts.accountId);
  } catch (err) {
    if (err instanceof UnknownAccount || err instanceof PurgeLocked) {
      process.stderr.write(`voicewipe check-site: ${err.message}\n`);
      return err instanceof UnknownAccount ? EXIT.usage : EXIT.failed;
    }
    throw err;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(checks)}\n` : formatSiteChecks(checks));
  return checks.length > 0 && checks.every((c) => c.ok) ? EXIT.ok : EXIT.failed;
}
