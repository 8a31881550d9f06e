// Every selector, path, marker and RPC id of Google's My Activity that voicewipe relies on, in one place
// (shared/vendors/google.md). Classes are obfuscated and rotate: roles, aria-labels and text only.
import { css, role, text } from '../locate.ts';
import type { Target } from '../locate.ts';

export const PATHS = {
  assistant: '/product/assistant',
  gemini: '/product/gemini',
  batchexecute: '/_/FootprintsMyactivityUi/data/batchexecute',
};

/** Markers in the page's HTML (WIZ_global_data and friends). */
export const MARKERS = {
  signedOut: 'FootprintsMyactivitySignedoutUi',
  identityCheck: 'boq_identityfrontendauthuiserver',
  app: 'boq_footprintsmyactivityuiserver',
};

export const RPC = { list: 'y3VFHd' };

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
};

export const LIST_END = /reached the end|no activity/i;
