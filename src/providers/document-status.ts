// The HTTP status of the page's current document. A vendor's 429 or 503 arrives as an ordinary-looking error
// page; without this the sign-in machine would call it "page changed" instead of "slow down" or "try later".
import type { Page } from 'playwright-core';
import { PurgeError } from '../errors.ts';

interface DocumentStatus { status: number; retryAfter: string | null; url: string }

const latest = new WeakMap<Page, DocumentStatus>();

/** Starts following the main frame's document responses (idempotent). */
export function watchDocuments(page: Page): void {
  if (latest.has(page)) return;
  latest.set(page, { status: 200, retryAfter: null, url: '' });
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || response.frame() !== page.mainFrame()) return;
    // Redirects (3xx) are steps on the way, not the document.
    if (response.status() >= 300 && response.status() < 400) return;
    latest.set(page, { status: response.status(), retryAfter: response.headers()['retry-after'] ?? null, url: request.url() });
  });
}

export function retryAfterMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The error kind the current document's status means, if it is an error page. */
export function documentProblem(page: Page, vendor: string): PurgeError | undefined {
  const doc = latest.get(page);
  if (!doc || doc.status < 400) return undefined;
  const path = doc.url ? new URL(doc.url).pathname : '';
  if (doc.status === 429) return new PurgeError('rate_limited', `${vendor} asks us to slow down (429 on ${path})`, { retryAfterMs: retryAfterMs(doc.retryAfter) });
  if (doc.status >= 500) return new PurgeError('vendor_error', `${vendor} answered ${doc.status} on ${path}`, { retryAfterMs: retryAfterMs(doc.retryAfter) });
  return undefined;
}
