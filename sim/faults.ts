// Faults an account can be given on demand (options, control API, in-process control). Each one reproduces a
// way the real sites have failed earlier tools, so a provider's handling of it can be tested.

export interface SimFaults {
  /** Extra delay before every response to this account's requests. */
  latencyMs?: number;
  /** Answer 429 with `Retry-After: retryAfterSeconds` to the next `count` requests (unset count: all). */
  rateLimit?: { count?: number; retryAfterSeconds?: number };
  /** Answer 503 to the next `count` requests (unset count: all); with `matching`, only to requests whose path and
   *  query contain it (one list call among many, e.g. `endTime=1700000000000&`). */
  unavailable?: { count?: number; matching?: string };
  /** The session dies after this many more signed-in requests (session expiry mid-run). */
  expireSessionAfter?: number;
  /** The next password sign-in goes through a captcha page (Amazon `/ap/cvf`). Cleared once solved. */
  captchaNextSignIn?: boolean;
  /** Rotate the CSRF token right after the next successful list request, so the page's token goes stale. */
  csrfRotation?: boolean;
  /** 1: classes renamed and the delete button moved (role/aria/text still work). 2: nothing matches. */
  redesign?: 0 | 1 | 2;
  /** Deletes answer 200 but nothing is removed. */
  silentDelete?: boolean;
  /** Amazon: a range delete also takes this much after the end it was given (a backend whose day ends in another
   *  time zone): what the survivor check exists for. */
  overDeleteMs?: number;
  /** Deleted records stay listed for this long, then vanish. */
  eventualConsistencyMs?: number;
  /** List requests after the first page hang this long (true: until the client gives up or the sim closes). */
  lazyLoadStall?: boolean | number;
  /** Amazon: the page lists through a path voicewipe does not know (`…/alexa-history-records-v3`, answering as the
   *  Review Alexa History call) and the classic call answers 200 with an empty list: a count would be blind. */
  listMoved?: boolean;
  /** Google: the next page load shows the "Verify it's you" interstitial. Cleared once passed. */
  identityCheck?: boolean;
  // Google's delete dialog and list (sim/README.md, "Google: products, dialog variants and traps").
  /** Which products the delete dialog deletes: `product` (no product step, the confirmation names the page's
   *  product; the default), `all-products` (no product step, deletes every product), `chooser-assistant` /
   *  `chooser-all` (a product step with only the page's product, or every product, ticked), `mislabelled` (the
   *  confirmation names the page's product, the delete takes every product: only the survivor check sees it). */
  deleteDialog?: 'product' | 'all-products' | 'chooser-assistant' | 'chooser-all' | 'mislabelled';
  /** `unfiltered`: a list request without the page's product filter lists every product; `always`: even the
   *  page's own request does (the page shows them too). */
  mixedList?: 'unfiltered' | 'always';
  /** Typed dates in the custom range: `ignored` (only the calendar sets a date), `dmy` (read as DD/MM/YYYY),
   *  `before-lost` (the Before field shows the typed text but keeps no date: the range is open-ended). */
  dateTyping?: 'ignored' | 'dmy' | 'before-lost';
  /** The n oldest Assistant items ignore every delete: they never go away. */
  stuckItems?: number;
  /** The per-item trash opens a small confirmation with its own Delete button. */
  itemConfirm?: boolean;
  /** The list answers the cursor it was given (Amazon: while there is more), so paging never ends. */
  listLoop?: boolean;
}

export const FAULT_NAMES = [
  'latencyMs', 'rateLimit', 'unavailable', 'expireSessionAfter', 'captchaNextSignIn', 'csrfRotation', 'redesign',
  'silentDelete', 'overDeleteMs', 'listMoved', 'eventualConsistencyMs', 'lazyLoadStall', 'identityCheck',
  'deleteDialog', 'mixedList', 'dateTyping', 'stuckItems', 'itemConfirm', 'listLoop',
] as const;

/** The faults that take one of a few words. */
const CHOICES: Record<string, readonly unknown[]> = {
  deleteDialog: ['product', 'all-products', 'chooser-assistant', 'chooser-all', 'mislabelled'], mixedList: ['unfiltered', 'always'], dateTyping: ['ignored', 'dmy', 'before-lost'],
};

/** Validates a faults object from the control API; unknown keys are an error a test author should see. */
export function parseFaults(input: unknown): SimFaults {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('faults must be an object');
  const known = new Set<string>(FAULT_NAMES);
  for (const k of Object.keys(input)) if (!known.has(k)) throw new Error(`unknown fault "${k}" (known: ${FAULT_NAMES.join(', ')})`);
  for (const [k, allowed] of Object.entries(CHOICES)) {
    const v = (input as Record<string, unknown>)[k];
    if (v !== undefined && v !== null && v !== false && !allowed.includes(v)) throw new Error(`fault ${k} must be one of ${allowed.join(', ')}`);
  }
  return input as SimFaults;
}

export type Refusal = { status: 429; retryAfterSeconds: number } | { status: 503 };

/** Consumes one unit of a 429/503 fault, if any is active for this request (path and query), and says how to
 *  refuse it. */
export function takeRefusal(f: SimFaults, pathAndQuery: string): Refusal | undefined {
  if (f.rateLimit) {
    const retryAfterSeconds = f.rateLimit.retryAfterSeconds ?? 30;
    if (f.rateLimit.count !== undefined) {
      f.rateLimit.count--;
      if (f.rateLimit.count <= 0) delete f.rateLimit;
    }
    return { status: 429, retryAfterSeconds };
  }
  if (f.unavailable && (f.unavailable.matching === undefined || pathAndQuery.includes(f.unavailable.matching))) {
    if (f.unavailable.count !== undefined) {
      f.unavailable.count--;
      if (f.unavailable.count <= 0) delete f.unavailable;
    }
    return { status: 503 };
  }
  return undefined;
}
