// Evidence of a failure: what the page looked like (screenshot) and what it was (HTML), kept under
// <state_dir>/evidence/<run>/<account>/ so a person can see why a vendor's page defeated us. Form values,
// tokens, scripts and every known secret are stripped before anything is written.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';

export interface Evidence {
  /** Directory relative to the state directory. */
  dir: string;
  screenshot?: string;
  html?: string;
  url?: string;
}

export function evidenceDir(stateDir: string, runId: number, accountId: string): string {
  return join(stateDir, 'evidence', String(runId), accountId);
}

export function deleteRunEvidence(stateDir: string, runId: number): void {
  rmSync(join(stateDir, 'evidence', String(runId)), { recursive: true, force: true });
}

const REDACTED = '[redacted]';

/** Removes `secrets` (passwords, TOTP secrets, cookie values) wherever they appear in `text`. */
export function stripSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

// Runs in the page: a copy of the document without values, scripts, hidden fields or token-like attributes.
export function sanitizedDocument(): string {
  const copy = document.documentElement.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('script, noscript, template, iframe').forEach((el) => { el.textContent = ''; el.removeAttribute('src'); });
  copy.querySelectorAll('input, textarea, select, option').forEach((el) => {
    el.removeAttribute('value');
    if (el.tagName === 'TEXTAREA') el.textContent = '';
  });
  copy.querySelectorAll('meta[content]').forEach((el) => {
    if (/csrf|token|nonce/i.test(el.getAttribute('name') ?? '')) el.setAttribute('content', '[redacted]');
  });
  copy.querySelectorAll('*').forEach((el) => {
    for (const attr of Array.from(el.attributes)) {
      if (/token|csrf|nonce|session|auth/i.test(attr.name) || /^on/i.test(attr.name)) el.setAttribute(attr.name, '[redacted]');
    }
  });
  return `<!doctype html>\n${copy.outerHTML}`;
}

export async function captureEvidence(page: Page, opts: { stateDir: string; runId: number; accountId: string; secrets: string[] }): Promise<Evidence> {
  const dir = evidenceDir(opts.stateDir, opts.runId, opts.accountId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const evidence: Evidence = { dir: relative(opts.stateDir, dir) };
  // A crashed or closed page gives what it can; evidence must never turn one failure into two.
  try {
    const url = new URL(page.url());
    url.search = ''; // query strings carry tokens
    evidence.url = url.toString();
  } catch { /* no page */ }
  try {
    // Password fields show dots; the one-time code field is cleared so no valid code ends up in a picture.
    await page.locator('input[name=otpCode], input[autocomplete=one-time-code]')
      .evaluateAll((els) => els.forEach((el) => { (el as HTMLInputElement).value = ''; })).catch(() => {});
    writeFileSync(join(dir, 'screenshot.png'), await page.screenshot({ timeout: 10_000, fullPage: false }), { mode: 0o600 });
    evidence.screenshot = 'screenshot.png';
  } catch { /* no screenshot */ }
  try {
    const html = await page.evaluate(sanitizedDocument);
    writeFileSync(join(dir, 'page.html'), stripSecrets(html, opts.secrets), { mode: 0o600 });
    evidence.html = 'page.html';
  } catch { /* no html */ }
  return evidence;
}
