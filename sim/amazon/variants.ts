// The forms Amazon's voice history page may take (shared/vendors/alexa.md allows several): each dimension is a
// per-account flag of the simulator (`variant` in the account options, `control.setVariant`, or
// `PUT /__sim/accounts/<id>/variant`), plus the combinations a provider must be tested against.

/** One way the Review Voice History / Review Alexa History page can look. Every field has a default. */
export interface AmazonVariant {
  /** `rvh`: classic Review Voice History. `rah`: the 2026 Review Alexa History page (`.date-section`, `.utterance-row`). */
  page: 'rvh' | 'rah';
  /** How deep the date options are: 2 = filter bar → date submenu → options (the fact sheet's form);
   *  1 = filter bar → options; 0 = options already visible (the filter bar button collapses them). */
  filterDepth: 0 | 1 | 2;
  /** Only the radio icon inside a date option reacts to a click (the option's text does not). */
  radioIcon: boolean;
  /** `text`: react-datepicker-like text fields typed in the page's date order; `text+calendar`: the same with a
   *  calendar to pick a day; `calendar`: read-only fields, days picked in the calendar; `date`: `<input type=date>`. */
  dateInput: 'text' | 'text+calendar' | 'calendar' | 'date';
  /** The typed date order: `marketplace` (default; a German page is always DD.MM.YYYY) or forced: `mdy` MM/DD/YYYY,
   *  `dmy` DD/MM/YYYY, `dmy.` DD.MM.YYYY, `ymd` YYYY/MM/DD. */
  dateOrder: 'marketplace' | DateOrder;
  /** An Apply button under the custom range; without it the range applies when a field changes (blur, Enter, a calendar pick). */
  apply: boolean;
  /** The list call answers 10 records whatever `maxRecordSize` says (the facts: "probably ignored"). */
  pageSize10: boolean;
  /** Page language: `marketplace` = German on .de, English elsewhere. */
  language: 'marketplace' | Language;
  /** Review Alexa History only: how a range is deleted. `range`: "Delete all activity for <range>" above the list
   *  (a guess); `none`: per-item deletes behind each record's ⋮ menu only. */
  rangeDelete: 'range' | 'none';
}

export type DateOrder = 'mdy' | 'dmy' | 'dmy.' | 'ymd';
export type Language = 'en' | 'de';

/** A variant with the marketplace-dependent choices made: what the page actually does. */
export interface ResolvedVariant extends AmazonVariant {
  dateOrder: DateOrder;
  language: Language;
  /** BCP 47 locale the page formats days and times with (`en-US`, `en-GB`, `de-DE`, …). */
  locale: string;
  /** How a date is shown and must be typed, e.g. `DD/MM/YYYY`. */
  datePattern: string;
}

/** The fact sheet's most likely form: two-level filter, marketplace date order, Apply button, 10 per call. */
export const DEFAULT_VARIANT: AmazonVariant = {
  page: 'rvh', filterDepth: 2, radioIcon: false, dateInput: 'text', dateOrder: 'marketplace', apply: true,
  pageSize10: true, language: 'marketplace', rangeDelete: 'range',
};

/** The page the simulator served before issue 13 (one-level filter, MM/DD/YYYY everywhere, maxRecordSize honoured). */
export const LEGACY_VARIANT: Partial<AmazonVariant> = { filterDepth: 1, dateOrder: 'mdy', language: 'en', pageSize10: false };

/** Every value of every dimension, in the order the sampler prefers (defaults first). */
export const VARIANT_DIMENSIONS: { readonly [K in keyof AmazonVariant]: readonly AmazonVariant[K][] } = {
  page: ['rvh', 'rah'],
  filterDepth: [2, 1, 0],
  radioIcon: [false, true],
  dateInput: ['text', 'text+calendar', 'calendar', 'date'],
  dateOrder: ['marketplace', 'mdy', 'dmy', 'dmy.', 'ymd'],
  apply: [true, false],
  pageSize10: [true, false],
  language: ['marketplace', 'en', 'de'],
  rangeDelete: ['range', 'none'],
};

/** Marketplace → typed date order (facts: month-first on .com/.ca, day-first on UK/IN/AU, German pages German;
 *  year-first on .co.jp and day-first on .fr/.it/.es/.com.br are guesses). */
export const MARKETPLACE_DATE_ORDER: Record<string, DateOrder> = {
  com: 'mdy', ca: 'mdy', 'co.uk': 'dmy', de: 'dmy.', fr: 'dmy', it: 'dmy', es: 'dmy', 'com.au': 'dmy', in: 'dmy',
  'co.jp': 'ymd', 'com.br': 'dmy',
};

const LOCALES: Record<string, string> = {
  com: 'en-US', ca: 'en-CA', 'co.uk': 'en-GB', de: 'en-GB', fr: 'en-GB', it: 'en-GB', es: 'en-GB', 'com.au': 'en-AU',
  in: 'en-IN', 'co.jp': 'en-US', 'com.br': 'en-GB',
};

export const DATE_PATTERNS: Record<DateOrder, string> = { mdy: 'MM/DD/YYYY', dmy: 'DD/MM/YYYY', 'dmy.': 'DD.MM.YYYY', ymd: 'YYYY/MM/DD' };

export function resolveVariant(v: AmazonVariant, marketplace: string): ResolvedVariant {
  const language: Language = v.language === 'marketplace' ? (marketplace === 'de' ? 'de' : 'en') : v.language;
  let dateOrder: DateOrder;
  if (v.dateOrder !== 'marketplace') dateOrder = v.dateOrder;
  else if (language === 'de') dateOrder = 'dmy.';
  else if (marketplace === 'de') dateOrder = 'dmy';
  else dateOrder = MARKETPLACE_DATE_ORDER[marketplace] ?? 'mdy';
  const locale = language === 'de' ? 'de-DE' : LOCALES[marketplace] ?? 'en-US';
  return { ...v, language, dateOrder, locale, datePattern: DATE_PATTERNS[dateOrder] };
}

/** Validates a (partial) variant from options or the control API; unknown keys or values are errors. */
export function parseVariant(input: unknown): Partial<AmazonVariant> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('variant must be an object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const allowed = (VARIANT_DIMENSIONS as Record<string, readonly unknown[]>)[k];
    if (!allowed) throw new Error(`unknown variant "${k}" (known: ${Object.keys(VARIANT_DIMENSIONS).join(', ')})`);
    if (v === null || v === undefined) continue;
    if (!allowed.includes(v)) throw new Error(`variant ${k} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out as Partial<AmazonVariant>;
}

/** Sim-wide sign-in page form (the email page comes before the account is known, so it cannot be per account). */
export interface SigninVariant {
  /** `email-first`: `/ap/signin` asks for the email, then the password; `combined`: both on one page. */
  style: 'email-first' | 'combined';
  /** `ap_email`: "Email or mobile phone number" (`#ap_email`); `ap_email_login`: "Enter mobile number or email" (`#ap_email_login`). */
  emailField: 'ap_email' | 'ap_email_login';
}

export const DEFAULT_SIGNIN: SigninVariant = { style: 'email-first', emailField: 'ap_email' };
export const SIGNIN_DIMENSIONS: { readonly [K in keyof SigninVariant]: readonly SigninVariant[K][] } = {
  style: ['email-first', 'combined'],
  emailField: ['ap_email', 'ap_email_login'],
};

export function parseSignin(input: unknown): Partial<SigninVariant> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('signin must be an object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const allowed = (SIGNIN_DIMENSIONS as Record<string, readonly unknown[]>)[k];
    if (!allowed) throw new Error(`unknown signin option "${k}" (known: ${Object.keys(SIGNIN_DIMENSIONS).join(', ')})`);
    if (v === null || v === undefined) continue;
    if (!allowed.includes(v)) throw new Error(`signin ${k} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out as Partial<SigninVariant>;
}

/** One case of the matrix: the page variant, the account's marketplace, the browser's time zone, the sign-in form. */
export interface VariantCase {
  /** Short, unique, readable: `rvh.d2.text.apply.co.uk.Europe/London`. */
  name: string;
  marketplace: string;
  timeZone: string;
  variant: Partial<AmazonVariant>;
  signin: SigninVariant;
}

/** Marketplaces every matrix covers (one per date order and language, plus .in). */
export const MATRIX_MARKETPLACES = ['com', 'co.uk', 'de', 'co.jp', 'in', 'ca', 'com.au', 'fr'];
/** Time zones: both sides of UTC, half-hour offsets, DST in both hemispheres, the date line. */
export const MATRIX_TIME_ZONES = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Kolkata',
  'Australia/Sydney', 'America/Los_Angeles', 'Pacific/Auckland', 'UTC'];

/** The page structures that matter: every filter depth × radio icon × date input × Apply on both pages (RAH:
 *  with its range delete, plus the per-item-only page once per depth). Page size, language and date order come
 *  from the marketplace (they are not free choices of a real page). */
function structures(): Array<Partial<AmazonVariant>> {
  const out: Array<Partial<AmazonVariant>> = [];
  for (const page of VARIANT_DIMENSIONS.page) {
    for (const filterDepth of VARIANT_DIMENSIONS.filterDepth) {
      for (const radioIcon of VARIANT_DIMENSIONS.radioIcon) {
        for (const dateInput of VARIANT_DIMENSIONS.dateInput) {
          for (const apply of VARIANT_DIMENSIONS.apply) out.push({ page, filterDepth, radioIcon, dateInput, apply, rangeDelete: 'range' });
        }
      }
      if (page === 'rah') out.push({ page, filterDepth, rangeDelete: 'none' });
    }
  }
  return out;
}

function caseName(v: Partial<AmazonVariant>, marketplace: string, timeZone: string, signin: SigninVariant): string {
  const parts = [v.page ?? DEFAULT_VARIANT.page, `d${v.filterDepth ?? DEFAULT_VARIANT.filterDepth}`];
  if (v.rangeDelete === 'none' && v.page === 'rah') parts.push('no-range-delete');
  else {
    if (v.radioIcon) parts.push('radio');
    parts.push(v.dateInput ?? DEFAULT_VARIANT.dateInput, v.apply === false ? 'no-apply' : 'apply');
  }
  if (v.pageSize10 === false) parts.push('big-pages');
  if (signin.emailField !== DEFAULT_SIGNIN.emailField) parts.push('ap_email_login');
  if (signin.style !== DEFAULT_SIGNIN.style) parts.push('combined');
  return `${parts.join('.')}@${marketplace}/${timeZone}`;
}

/**
 * Every combination that matters (deterministic, about 170 cases):
 * - each page structure once (filter depth × radio icon × date input × Apply on both pages, and the RAH page
 *   without a range delete), marketplace, time zone and sign-in form rotating;
 * - each date input × Apply × matrix marketplace on the default page (typing and parsing depend on the
 *   marketplace's date order and language);
 * - each marketplace × time zone pair not met yet, on the default page (day boundaries);
 * - a page that honours maxRecordSize, once per page kind.
 */
export function allVariants(): VariantCase[] {
  const out: VariantCase[] = [];
  const names = new Set<string>();
  const signins: SigninVariant[] = [];
  for (const style of SIGNIN_DIMENSIONS.style) for (const emailField of SIGNIN_DIMENSIONS.emailField) signins.push({ style, emailField });
  const add = (variant: Partial<AmazonVariant>, marketplace: string, timeZone: string, signin: SigninVariant): void => {
    const name = caseName(variant, marketplace, timeZone, signin);
    if (names.has(name)) return;
    names.add(name);
    out.push({ name, marketplace, timeZone, variant, signin });
  };
  const zone = (i: number) => MATRIX_TIME_ZONES[i % MATRIX_TIME_ZONES.length];
  const market = (i: number) => MATRIX_MARKETPLACES[i % MATRIX_MARKETPLACES.length];
  let i = 0;
  for (const variant of structures()) { add(variant, market(i), zone(i * 2), signins[i % signins.length]); i++; }
  for (const dateInput of VARIANT_DIMENSIONS.dateInput) {
    for (const apply of VARIANT_DIMENSIONS.apply) {
      for (const marketplace of MATRIX_MARKETPLACES) { add({ dateInput, apply }, marketplace, zone(i), signins[i % signins.length]); i++; }
    }
  }
  for (const marketplace of MATRIX_MARKETPLACES) {
    for (const timeZone of MATRIX_TIME_ZONES) {
      if (!out.some((c) => c.marketplace === marketplace && c.timeZone === timeZone)) add({}, marketplace, timeZone, DEFAULT_SIGNIN);
    }
  }
  for (const page of VARIANT_DIMENSIONS.page) add({ page, pageSize10: false }, 'com', 'UTC', DEFAULT_SIGNIN);
  return out;
}

/** The facets of a case the sampler tries to cover, each as `dimension=value`. */
function facets(c: VariantCase): string[] {
  const v = { ...DEFAULT_VARIANT, ...c.variant };
  const single = [
    `page=${v.page}`, `depth=${v.filterDepth}`, `radio=${v.radioIcon}`, `input=${v.dateInput}`, `apply=${v.apply}`,
    `range=${v.rangeDelete}`, `size10=${v.pageSize10}`, `market=${c.marketplace}`, `tz=${c.timeZone}`,
    `order=${resolveVariant(v, c.marketplace).dateOrder}`, `email=${c.signin.emailField}`, `style=${c.signin.style}`,
  ];
  const pairs: string[] = [];
  for (let a = 0; a < single.length; a++) for (let b = a + 1; b < single.length; b++) pairs.push(`${single[a]}&${single[b]}`);
  return [...single, ...pairs];
}

/**
 * A small deterministic subset of `allVariants()` for `npm test`: greedy, each pick covering the most values not
 * yet seen (every value of every dimension first), then the most new pairs of values, up to `limit` cases.
 */
export function sampledVariants(limit = 12): VariantCase[] {
  const pool = allVariants();
  const covered = new Set<string>();
  const picked: VariantCase[] = [];
  const facetsOf = pool.map(facets);
  const used = new Set<number>();
  while (picked.length < limit && used.size < pool.length) {
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < pool.length; i++) {
      if (used.has(i)) continue;
      let score = 0;
      for (const f of facetsOf[i]) if (!covered.has(f)) score += f.includes('&') ? 1 : 1000;
      if (score > bestScore) { bestScore = score; best = i; }
    }
    if (bestScore <= 0) break;
    used.add(best);
    picked.push(pool[best]);
    for (const f of facetsOf[best]) covered.add(f);
  }
  return picked;
}

/** A random case for property tests: every dimension drawn independently (also the combinations `allVariants()`
 *  leaves out: forced date orders, languages), any marketplace, any matrix time zone. `rand` returns [0, 1). */
export function randomVariantCase(rand: () => number): VariantCase {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)];
  const variant: Record<string, unknown> = {};
  for (const [k, values] of Object.entries(VARIANT_DIMENSIONS)) variant[k] = pick(values as readonly unknown[]);
  const v = variant as unknown as AmazonVariant;
  const marketplace = pick(Object.keys(MARKETPLACE_DATE_ORDER));
  const timeZone = pick(MATRIX_TIME_ZONES);
  const signin: SigninVariant = { style: pick(SIGNIN_DIMENSIONS.style), emailField: pick(SIGNIN_DIMENSIONS.emailField) };
  const r = resolveVariant(v, marketplace);
  const name = `${caseName(v, marketplace, timeZone, signin)}#${r.dateOrder}.${r.language}`;
  return { name, marketplace, timeZone, variant: v, signin };
}
