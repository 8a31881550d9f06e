// Every selector, path, marker and RPC id of Google's My Activity that voicewipe relies on, in one place
// (shared/vendors/google.md). Classes are obfuscated and rotate: roles, aria-labels and text only.
import { css, role, text } from '../locate.ts';
import type { Target } from '../locate.ts';

export const PATHS = {
  assistant: '/product/assistant',
  gemini: '/product/gemini',
  /** Every product's activity: only read (the kept list), never deleted from. */
  all: '/myactivity',
  batchexecute: '/_/FootprintsMyactivityUi/data/batchexecute',
};

/** A product voicewipe deletes from: its page, and how the page names it (hl=en) in list items, the
 *  product step's check boxes and the delete confirmation. */
export interface GoogleProduct { code: 'assistant' | 'gemini'; path: string; label: string; name: RegExp }
export const PRODUCTS: Record<GoogleProduct['code'], GoogleProduct> = {
  assistant: { code: 'assistant', path: PATHS.assistant, label: 'Assistant', name: /^(Google )?Assistant$/i },
  gemini: { code: 'gemini', path: PATHS.gemini, label: 'Gemini Apps', name: /^Gemini( Apps)?$/i },
};

/** A product name as a short key prefix ("YouTube" → "youtube"), so keys of different products cannot collide. */
export function productKey(name: string): string {
  for (const p of Object.values(PRODUCTS)) if (p.name.test(name.trim())) return p.code;
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'unknown';
}

/** Markers in the page's HTML (WIZ_global_data and friends). */
export const MARKERS = {
  signedOut: 'FootprintsMyactivitySignedoutUi',
  identityCheck: 'boq_identityfrontendauthuiserver',
  app: 'boq_footprintsmyactivityuiserver',
};

export const RPC = { list: 'y3VFHd' };
/** The page's start-up requests by data-service key (`{'ds:1': {id: 'y3VFHd', request: [...]}}`). */
export const STARTUP_REQUESTS = 'AF_dataServiceRequests';

const t = (name: string, ...candidates: Target['candidates']): Target => ({ name, candidates });

export const ACTIVITY = {
  /** The item wrapper; data-token is the item's delete key, data-date its day (YYYYMMDD). */
  item: 'c-wiz[data-token][data-date]',
  /** Per-item delete: "Delete activity item <title>" (English). Never confused with the top control. */
  itemDelete: t('ga.item_delete', css('button[aria-label^="Delete activity item"]'), role('button', /^delete activity item/i)),
  /** The top control that deletes by range. */
  deleteTop: t('ga.delete_top', css('button[aria-label="Delete activity"]'), role('button', /^delete activity$/i)),
  /** The banner's More (⋮) → "Delete activity by", where the top control moved on some pages. */
  more: t('ga.more', role('button', /^more$/i)),
  deleteBy: t('ga.delete_by', role('menuitem', /^delete activity by$/i), text(/^delete activity by$/i)),
  allTime: t('ga.all_time', role('menuitem', /^all time$/i), text(/^all time$/i)),
  customRange: t('ga.custom_range', role('menuitem', /^custom range$/i), text(/^custom range$/i)),
  after: t('ga.after', css('#ma-after'), role('textbox', /^after$/i)),
  before: t('ga.before', css('#ma-before'), role('textbox', /^before$/i)),
  next: t('ga.next', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^next$/i }) }),
  confirm: t('ga.confirm', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^delete$/i }) }),
  gotIt: t('ga.got_it', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^got it$/i }) }),
  status: t('ga.status', role('status')),
  /** The product step's check boxes (Help: range → Next → products → Delete). */
  productBoxes: t('ga.product_boxes', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('checkbox') }),
  /** The date widgets' calendars. */
  calendarOpen: (which: 'After' | 'Before') => t(`ga.calendar_${which.toLowerCase()}`, role('button', new RegExp(`^choose ${which} date$`, 'i'))),
  calendarGrid: t('ga.calendar', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('grid') }),
  previousMonth: t('ga.previous_month', role('button', /^previous month$/i)),
  nextMonth: t('ga.next_month', role('button', /^next month$/i)),
  /** The small confirmation a per-item trash may open. */
  itemConfirm: t('ga.item_confirm', { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^delete$/i }) }),
};

/** The delete confirmation's read-back lines (hl=en): which products and which days it is about to delete. */
export const CONFIRMATION = {
  products: /^\s*Products?:\s*(.+?)\s*$/im,
  dates: /^\s*Dates?:\s*(.+?)\s*$/im,
  allTime: /^all time$/i,
  /** "Mar 4, 2026" (a day as the dialog and the date widgets show it). */
  day: /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}), (\d{4})\b/g,
};

export const LIST_END = /reached the end|no activity/i;
