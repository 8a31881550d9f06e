// The JSON endpoints the Review Voice History page calls: the list (`customer-history-records-v2`, and the 2026
// "new Alexa" variant `alexa-history-records-v2`), the CSRF token, and the delete request. The real delete
// request is undocumented, so its path is the simulator's choice (SimOptions.deletePath).
import { json, jsonBody, stall, text } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import type { Recording } from '../data.ts';
import { token } from '../state.ts';
import type { AccountState } from '../state.ts';

export const LIST_PATH = '/alexa-privacy/apd/rvh/customer-history-records-v2';
export const RAH_LIST_PATH = '/alexa-privacy/apd/rah/alexa-history-records-v2';
/** The list call of a page that moved on (the listMoved fault): a path voicewipe does not know, answering as RAH's. */
export const MOVED_LIST_PATH = '/alexa-privacy/apd/rah/alexa-history-records-v3';
export const CSRF_PATH = '/alexa-privacy/apd/csrf-token';
export const DEFAULT_DELETE_PATH = '/alexa-privacy/apd/rvh/delete-customer-history-records';
/** Where the Review Alexa History page sends its deletes (not public: the simulator's guess). */
export const RAH_DELETE_PATH = '/alexa-privacy/apd/rah/delete-alexa-history-records';
export const PAGE_SIZE = 10;

/** Review Alexa History record types (a guess): only voice interactions carry an `activityKey`. */
const RAH_TYPES = { GENERAL: 'VOICE_INTERACTION', WAKE_WORD_ONLY: 'WAKE_WORD_ONLY', FALSE_WAKE_WORD: 'UNINTENDED_AUDIO' } as const;
const ACTIVITY_KEY_PREFIX = 'amzn1.alexa.activity.';

export function activityKeyOf(r: Recording): string | undefined {
  return r.utteranceType === 'GENERAL' ? ACTIVITY_KEY_PREFIX + Buffer.from(r.key).toString('base64url') : undefined;
}

/** The record shape of the `rah` list call: `activityKey` (voice interactions only), `recordType`, no `recordKey`. */
export function rahRecordJson(r: Recording) {
  const { recordKey, recordType, ...rest } = recordJson(r);
  void recordKey; void recordType;
  const activityKey = activityKeyOf(r);
  return { ...(activityKey ? { activityKey } : {}), recordType: RAH_TYPES[r.utteranceType], ...rest };
}

/** The record shape of vendors/alexa.md. */
export function recordJson(r: Recording) {
  const items = [{
    recordItemKey: `${r.key}#${r.utteranceId}#CUSTOMER_TRANSCRIPT`,
    recordItemType: 'CUSTOMER_TRANSCRIPT',
    utteranceId: r.utteranceId,
    timestamp: r.ts,
    transcriptText: r.transcript,
    agentVisualName: 'Alexa',
  }];
  if (r.response) {
    items.push({
      recordItemKey: `${r.key}#${r.utteranceId}#ALEXA_RESPONSE`,
      recordItemType: 'ALEXA_RESPONSE',
      utteranceId: r.utteranceId,
      timestamp: r.ts + 900,
      transcriptText: r.response,
      agentVisualName: 'Alexa',
    });
  }
  return {
    recordKey: r.key,
    recordType: 'VOICE_HISTORY',
    timestamp: r.ts,
    device: { deviceName: r.deviceName, deviceType: r.deviceType, serialNumber: r.deviceSerial },
    utteranceType: r.utteranceType,
    intent: r.intent,
    personName: r.person,
    voiceHistoryRecordItems: items,
  };
}

interface Cursor { b: number; s: number; e: number }

function encodeCursor(c: Cursor): string { return Buffer.from(JSON.stringify(c)).toString('base64url'); }
function decodeCursor(s: unknown): Cursor | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.b === 'number' ? c : undefined;
  } catch { return undefined; }
}

function csrfOk(ctx: Ctx): boolean {
  const sent = ctx.req.headers['anti-csrftoken-a2z'];
  return typeof sent === 'string' && sent === ctx.account!.csrfToken;
}

function forbidden(ctx: Ctx): void {
  ctx.kind = `${ctx.kind ?? 'amazon'}.csrf_rejected`;
  json(ctx, { message: 'Invalid CSRF token' }, 403);
}


interface ListResult { records: Recording[]; next: string | null; first: boolean }

/** One page, newest first. A next page starts with the last record of this one (pages overlap, as the real
 *  endpoint's do), so clients must de-duplicate by recordKey. */
async function listPage(ctx: Ctx, previous: unknown): Promise<ListResult | undefined> {
  const acct = ctx.account!;
  const q = ctx.url.searchParams;
  const cursor = decodeCursor(previous);
  if (previous !== null && previous !== undefined && previous !== '' && !cursor) {
    json(ctx, { message: 'Invalid request token' }, 400);
    return undefined;
  }
  const start = Number(q.get('startTime') ?? cursor?.s ?? 0);
  const end = Number(q.get('endTime') ?? cursor?.e ?? ctx.state.now());
  if (!Number.isFinite(start) || !Number.isFinite(end)) { json(ctx, { message: 'startTime and endTime must be numbers' }, 400); return undefined; }
  // The facts: about 10 per call whatever maxRecordSize says (variant pageSize10, the default).
  const size = acct.variant.pageSize10 ? PAGE_SIZE : Math.min(200, Math.max(1, Number(q.get('maxRecordSize')) || PAGE_SIZE));
  const stallFault = acct.faults.lazyLoadStall;
  if (cursor && stallFault) {
    ctx.kind += '.stalled';
    await stall(ctx, typeof stallFault === 'number' ? stallFault : 2 ** 31 - 1);
    if (ctx.res.destroyed) return undefined;
  }
  acct.store.settle(ctx.state.now());
  const records = acct.store.page(start, end, size, cursor?.b);
  let next: string | null = null;
  if (records.length === size) {
    const last = records[records.length - 1];
    if (acct.store.page(start, end, 1, last.ts).length > 0) next = encodeCursor({ b: size > 1 ? last.ts + 1 : last.ts, s: start, e: end });
  }
  // The listLoop trap: a page that points back at itself (the same cursor it was given, while there is more).
  if (acct.faults.listLoop && cursor && next) next = String(previous);
  if (acct.faults.csrfRotation) { delete acct.faults.csrfRotation; acct.csrfToken = token(); }
  return { records, next, first: !cursor };
}

async function list(ctx: Ctx): Promise<void> {
  ctx.kind = 'amazon.list';
  if (ctx.account!.faults.redesign === 2) { json(ctx, { message: 'Not Found' }, 404); return; }
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { previousRequestToken?: unknown } | undefined;
  if (ctx.account!.variant.page === 'rah' || ctx.account!.faults.listMoved) {
    // A Review Alexa History account (or a page whose list call moved): the classic call still answers, empty.
    ctx.kind = 'amazon.list.empty_rah';
    json(ctx, { customerHistoryRecords: [], encodedRequestToken: null, noDataFoundWithinTimeLimit: true, lastRecordTimestamp: null });
    return;
  }
  const page = await listPage(ctx, body?.previousRequestToken);
  if (!page) return;
  json(ctx, {
    customerHistoryRecords: page.records.map(recordJson),
    encodedRequestToken: page.next,
    noDataFoundWithinTimeLimit: page.first && page.records.length === 0,
    lastRecordTimestamp: page.records.length ? page.records[page.records.length - 1].ts : null,
  });
}

async function listRah(ctx: Ctx): Promise<void> {
  ctx.kind = 'amazon.list_rah';
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  // Body `{"previousRequestToken": …}` (the facts); `paginationToken` is accepted too. The answer's cursor is
  // `paginationToken`.
  const body = jsonBody(ctx) as { previousRequestToken?: unknown; paginationToken?: unknown } | undefined;
  const page = await listPage(ctx, body?.previousRequestToken ?? body?.paginationToken);
  if (!page) return;
  json(ctx, { alexaHistoryRecords: page.records.map(rahRecordJson), paginationToken: page.next });
}

function csrfToken(ctx: Ctx): void {
  ctx.kind = 'amazon.csrf';
  text(ctx, ctx.account!.csrfToken);
}

/** Applies a delete to an account's store, honouring the silent no-op and eventual-consistency faults, and
 *  notes what it removed (or scheduled) in the account's deleted log. */
export function applyDelete(ctx: Ctx, acct: AccountState, keys: string[], via: 'item' | 'range'): number {
  if (acct.faults.silentDelete) return 0;
  const stamps: number[] = [];
  for (const k of keys) { const r = acct.store.get(k); if (r) stamps.push(r.ts); }
  ctx.state.noteDeleted(acct, stamps, via);
  const later = acct.faults.eventualConsistencyMs;
  if (later) return acct.store.deleteLater(keys, ctx.state.now() + later);
  return acct.store.deleteKeys(keys);
}

/** A range delete, both ends inclusive; one splice over the sorted array when no fault is in the way. */
function deleteRange(ctx: Ctx, acct: AccountState, start: number, given: number): void {
  const f = acct.faults;
  const end = given + (f.overDeleteMs ?? 0);
  if (!f.silentDelete && !f.eventualConsistencyMs) {
    const removed = acct.store.deleteRange(start, end);
    ctx.state.noteDeleted(acct, removed.map((r) => r.ts), 'range');
    return;
  }
  applyDelete(ctx, acct, acct.store.keysInRange(start, end), 'range');
}

/** `POST <deletePath>` with `{"recordKeys": [...]}` (per item) or `{"startTime": ms, "endTime": ms}` (the
 *  filtered range, both ends inclusive). Answers `{"success": true}` whatever it did, like a backend that
 *  accepts work it finishes later. */
function remove(ctx: Ctx): void {
  ctx.kind = 'amazon.delete';
  const acct = ctx.account!;
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { recordKeys?: unknown; startTime?: unknown; endTime?: unknown } | undefined;
  ctx.logBody = body;
  const now = ctx.state.now();
  acct.store.settle(now);
  if (body && Array.isArray(body.recordKeys) && body.recordKeys.every((k) => typeof k === 'string')) {
    applyDelete(ctx, acct, body.recordKeys as string[], 'item');
  } else if (body && typeof body.startTime === 'number' && typeof body.endTime === 'number') {
    deleteRange(ctx, acct, body.startTime, body.endTime);
  } else {
    json(ctx, { success: false, message: 'Expected recordKeys or startTime/endTime' }, 400);
    return;
  }
  json(ctx, { success: true });
}

/** The store key of a record named the RAH way: by `activityKey`, or (types without one) by type + timestamp +
 *  device serial. Undefined when no such record exists. */
function rahKey(acct: AccountState, ref: unknown): string | undefined {
  if (typeof ref === 'string') {
    if (!ref.startsWith(ACTIVITY_KEY_PREFIX)) return undefined;
    const key = Buffer.from(ref.slice(ACTIVITY_KEY_PREFIX.length), 'base64url').toString('utf8');
    return acct.store.get(key) ? key : undefined;
  }
  const r = ref as { recordType?: unknown; timestamp?: unknown; deviceSerialNumber?: unknown } | null;
  if (!r || typeof r.timestamp !== 'number') return undefined;
  const found = acct.store.page(r.timestamp, r.timestamp, 1)[0];
  if (!found || found.deviceSerial !== r.deviceSerialNumber || RAH_TYPES[found.utteranceType] !== r.recordType) return undefined;
  return found.key;
}

/** `POST RAH_DELETE_PATH` (a guess): `{"activityKeys": [...]}`, `{"records": [{recordType, timestamp,
 *  deviceSerialNumber}]}` for records without a key, or `{"startTime": ms, "endTime": ms}` (inclusive). */
function removeRah(ctx: Ctx): void {
  ctx.kind = 'amazon.delete_rah';
  const acct = ctx.account!;
  if (!csrfOk(ctx)) { forbidden(ctx); return; }
  const body = jsonBody(ctx) as { activityKeys?: unknown; records?: unknown; startTime?: unknown; endTime?: unknown } | undefined;
  ctx.logBody = body;
  acct.store.settle(ctx.state.now());
  const refs = Array.isArray(body?.activityKeys) ? body.activityKeys : Array.isArray(body?.records) ? body.records : undefined;
  if (refs) {
    const keys = refs.map((ref) => rahKey(acct, ref));
    if (keys.some((k) => k === undefined)) { json(ctx, { success: false, message: 'Unknown activity' }, 404); return; }
    applyDelete(ctx, acct, keys as string[], 'item');
  } else if (body && typeof body.startTime === 'number' && typeof body.endTime === 'number') {
    if (acct.variant.rangeDelete === 'none') { json(ctx, { success: false, message: 'Range deletion is not supported' }, 400); return; }
    deleteRange(ctx, acct, body.startTime, body.endTime);
  } else {
    json(ctx, { success: false, message: 'Expected activityKeys, records or startTime/endTime' }, 400);
    return;
  }
  json(ctx, { success: true });
}

function unauthenticated(ctx: Ctx): void {
  ctx.kind = 'amazon.api.signed_out';
  json(ctx, { message: 'Unauthenticated' }, 401);
}

export function apiRoutes(deletePath: string): Route[] {
  const r = (method: Route['method'], path: string, handle: Route['handle']): Route =>
    ({ method, path, vendor: 'amazon', signedIn: true, signedOut: unauthenticated, handle });
  return [
    r('POST', LIST_PATH, list),
    r('POST', RAH_LIST_PATH, listRah),
    r('POST', MOVED_LIST_PATH, listRah),
    r('GET', CSRF_PATH, csrfToken),
    r('POST', deletePath, remove),
    r('POST', RAH_DELETE_PATH, removeRah),
  ];
}
