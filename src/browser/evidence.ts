// Evidence of a failure: what the page looked like (screenshot) and what it was (HTML), kept under
// <state_dir>/evidence/<run>/<account>/ so a person can see why a vendor's page defeated us. Form values,
// scripts, query strings, attributes off a short list, every known secret and the transcripts are stripped
// before anything is written; the files are encrypted with the vault's key and kept history.evidence_days.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { loadVaultKey } from './vault.ts';

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

/** Attributes kept in the saved HTML: enough to see the page's structure and which of our locators could match;
 *  no values, no data-* (they carry ids and tokens), no inline handlers or styles. */
export const KEPT_ATTRIBUTES = [
  'id', 'class', 'role', 'type', 'name', 'for', 'lang', 'dir', 'hidden', 'disabled', 'checked', 'selected', 'tabindex',
  'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-hidden', 'aria-expanded', 'aria-checked', 'aria-selected',
  'aria-disabled', 'aria-live', 'alt', 'title', 'placeholder', 'colspan', 'rowspan', 'href', 'src', 'action', 'method',
] as const;

/** What the person said and what the assistant answered (the very thing being purged), masked in the HTML:
 *  Amazon's transcripts and record cards, Google's item titles and rows, in every known form of the page. */
export const TRANSCRIPT_SELECTORS = [
  '.customer-transcript', '.record-summary-preview', '.record-summary', '.alexa-response', '.record-info', '.device-name',
  '.apd-content-box', '.vh-card', '.vh-utterance',
  '.QTGV3c', '.Cv6Nbe', '.ma-response', '.xDtZAf', '.Uy4Rtc', '[role=listitem]',
] as const;

// Runs in the page: a copy of the document without values, scripts, hidden fields, query strings, attributes
// off the allow-list, or the transcripts.
function sanitizedDocument({ kept, masks }: { kept: string[]; masks: string[] }): string {
  const MASK = '[masked]';
  const copy = document.documentElement.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('script, noscript, template, iframe, object, embed').forEach((el) => el.remove());
  copy.querySelectorAll('input, textarea, select, option').forEach((el) => {
    el.removeAttribute('value');
    if (el.tagName === 'TEXTAREA') el.textContent = '';
  });
  copy.querySelectorAll('meta').forEach((el) => el.remove());
  const allowed = new Set(kept);
  const cleanUrl = (value: string): string | null => {
    try {
      const url = new URL(value, document.baseURI);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
      url.search = '';
      url.hash = '';
      url.username = '';
      url.password = '';
      return url.toString();
    } catch { return null; }
  };
  copy.querySelectorAll('*').forEach((el) => {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (!allowed.has(name)) { el.removeAttribute(attr.name); continue; }
      if (name === 'href' || name === 'src' || name === 'action') {
        const url = cleanUrl(attr.value);
        if (url === null) el.removeAttribute(attr.name); else el.setAttribute(attr.name, url);
      } else if (/^(aria-label|title|alt)$/.test(name) && /^(delete|remove)\b/i.test(attr.value)) {
        // "Delete activity item <what was said>": the verb is structure, the rest is the transcript.
        el.setAttribute(attr.name, `${attr.value.split(/\s+/).slice(0, 3).join(' ')} ${MASK}`);
      }
    }
  });
  for (const selector of masks) {
    let found: NodeListOf<Element>;
    try { found = copy.querySelectorAll(selector); } catch { continue; }
    found.forEach((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue && node.nodeValue.trim() !== '' && node.nodeValue !== MASK) node.nodeValue = MASK;
      }
      for (const inner of [el, ...Array.from(el.querySelectorAll('[aria-label], [title], [alt]'))]) {
        for (const name of ['aria-label', 'title', 'alt']) if (inner.hasAttribute(name)) inner.setAttribute(name, MASK);
      }
    });
  }
  return `<!doctype html>\n${copy.outerHTML}`;
}

/** Evidence files start with this, then IV, tag and the AES-256-GCM ciphertext (the vault's scheme and key). */
const MAGIC = Buffer.from('VWE1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The additional data that ties a file to its place: a screenshot moved to another run does not decrypt. */
function placeOf(runId: number, accountId: string, file: string): Buffer {
  return Buffer.from(`voicewipe-evidence:${runId}/${accountId}/${file}`);
}

export function sealEvidence(key: Buffer, clear: Buffer, runId: number, accountId: string, file: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(placeOf(runId, accountId, file));
  const body = Buffer.concat([cipher.update(clear), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** The clear bytes of an evidence file. Files from before encryption (no MAGIC) are returned as they are. */
export function openEvidence(key: Buffer, blob: Buffer, runId: number, accountId: string, file: string): Buffer {
  if (!blob.subarray(0, MAGIC.length).equals(MAGIC)) return blob;
  const iv = blob.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = blob.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(placeOf(runId, accountId, file));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(blob.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Reads and decrypts one evidence file (the status page's evidence route, for the admin). */
export function readEvidence(stateDir: string, runId: number, accountId: string, file: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const blob = readFileSync(join(evidenceDir(stateDir, runId, accountId), file));
  return openEvidence(loadVaultKey(stateDir, env), blob, runId, accountId, file);
}

/** Removes the evidence of runs older than `days` days (history.evidence_days; 0 = keep none), except the runs in
 *  `keep` (a run that paused an account, while it is paused) unless `days` is 0. Returns how many runs' evidence
 *  went. The database keeps the run; its page just has no evidence links any more. */
export function pruneEvidence(stateDir: string, days: number, opts: { now?: number; keep?: number[] } = {}): number {
  const { now = Date.now(), keep = [] } = opts;
  const root = join(stateDir, 'evidence');
  let entries: string[];
  try { entries = readdirSync(root); } catch { return 0; }
  let removed = 0;
  for (const name of entries) {
    const path = join(root, name);
    try {
      if (days > 0 && (keep.includes(Number(name)) || statSync(path).mtimeMs > now - days * 86_400_000)) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch { /* gone meanwhile */ }
  }
  return removed;
}

export async function captureEvidence(page: Page, opts: {
  stateDir: string; runId: number; accountId: string; secrets: string[];
  /** More selectors whose text is masked (a provider's own transcript elements). */
  mask?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<Evidence> {
  const dir = evidenceDir(opts.stateDir, opts.runId, opts.accountId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = loadVaultKey(opts.stateDir, opts.env);
  const seal = (clear: Buffer, file: string) => sealEvidence(key, clear, opts.runId, opts.accountId, file);
  const evidence: Evidence = { dir: relative(opts.stateDir, dir) };
  // A crashed or closed page gives what it can; evidence must never turn one failure into two.
  try {
    const url = new URL(page.url());
    url.search = ''; // query strings carry tokens
    evidence.url = url.toString();
  } catch { /* no page */ }
  try {
    writeFileSync(join(dir, 'screenshot.png'), seal(await maskedScreenshot(page, opts.mask), 'screenshot.png'), { mode: 0o600 });
    evidence.screenshot = 'screenshot.png';
  } catch { /* no screenshot */ }
  try {
    writeFileSync(join(dir, 'page.html'), seal(Buffer.from(await sanitizedHtml(page, opts.secrets, opts.mask)), 'page.html'), { mode: 0o600 });
    evidence.html = 'page.html';
  } catch { /* no html */ }
  return evidence;
}

/** A picture of the page with the transcripts painted over and no one-time code in it (evidence, check-site). */
export async function maskedScreenshot(page: Page, mask: string[] = []): Promise<Buffer> {
  // Password fields show dots; the one-time code field is cleared so no valid code ends up in a picture.
  await page.locator('input[name=otpCode], input[autocomplete=one-time-code]')
    .evaluateAll((els) => els.forEach((el) => { (el as HTMLInputElement).value = ''; })).catch(() => {});
  return page.screenshot({
    timeout: 10_000, fullPage: false,
    mask: [...TRANSCRIPT_SELECTORS, ...mask].map((sel) => page.locator(sel)), maskColor: '#888',
  });
}

/** The page's HTML as evidence keeps it: allow-listed attributes, no query strings, transcripts masked, secrets out. */
export async function sanitizedHtml(page: Page, secrets: string[], mask: string[] = []): Promise<string> {
  const html = await page.evaluate(sanitizedDocument, { kept: [...KEPT_ATTRIBUTES], masks: [...TRANSCRIPT_SELECTORS, ...mask] });
  return stripSecrets(html, secrets);
}
