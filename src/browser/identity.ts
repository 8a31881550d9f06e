// One ordinary Chrome identity for every browser voicewipe drives (purges, sign-ins, check-site): the
// User-Agent and the client hints (Sec-CH-UA, navigator.userAgentData) name plain Chromium, never
// "HeadlessChrome"; navigator.webdriver is false; the language is the account's marketplace's. Vendors treat a
// browser that gives itself away as a robot and answer with captchas (Amazon) or a refusal (Google).
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { AccountConfig } from '../config/types.ts';

/** Switches that take the automation traces away: the AutomationControlled blink feature is what sets
 *  navigator.webdriver; `--enable-automation` (which Playwright adds unless told not to) shows it too. */
export const IDENTITY_ARGS = ['--disable-blink-features=AutomationControlled'];
export const IGNORED_DEFAULT_ARGS = ['--enable-automation'];

/** Each Amazon marketplace's language (its pages, dates and Accept-Language); Google pages ask for ?hl=en. */
const MARKETPLACE_LOCALES: Record<string, string> = {
  com: 'en-US', 'co.uk': 'en-GB', de: 'de-DE', fr: 'fr-FR', it: 'it-IT', es: 'es-ES', ca: 'en-CA',
  'com.au': 'en-AU', 'co.jp': 'ja-JP', 'com.br': 'pt-BR', in: 'en-IN',
};

export function localeFor(account: Pick<AccountConfig, 'provider' | 'marketplace'>): string {
  return account.provider === 'alexa' ? MARKETPLACE_LOCALES[account.marketplace] ?? 'en-US' : 'en-US';
}

export interface Identity {
  userAgent: string;
  acceptLanguage: string;
  platform: string;
  metadata: {
    brands: { brand: string; version: string }[];
    fullVersionList: { brand: string; version: string }[];
    fullVersion: string;
    platform: string;
    platformVersion: string;
    architecture: string;
    model: string;
    mobile: boolean;
    bitness: string;
    wow64: boolean;
  };
}

/** The identity of an ordinary Chromium `version` (e.g. "150.0.7871.100") on this machine's architecture. */
export function identityFor(version: string, locale: string): Identity {
  const major = version.split('.')[0];
  const arm = process.arch === 'arm64' || process.arch === 'arm';
  const language = locale.split('-')[0];
  // The "greasy" brand an ordinary Chromium of this generation sends next to its own.
  const grease = { brand: 'Not=A?Brand', version: '24' };
  return {
    userAgent: `Mozilla/5.0 (X11; Linux ${arm ? 'aarch64' : 'x86_64'}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`,
    acceptLanguage: language === locale ? locale : `${locale},${language};q=0.9`,
    platform: arm ? 'Linux aarch64' : 'Linux x86_64',
    metadata: {
      brands: [{ brand: 'Chromium', version: major }, grease],
      fullVersionList: [{ brand: 'Chromium', version }, { brand: grease.brand, version: '24.0.0.0' }],
      fullVersion: version,
      platform: 'Linux',
      platformVersion: '',
      architecture: arm ? 'arm' : 'x86',
      model: '',
      mobile: false,
      bitness: '64',
      wow64: false,
    },
  };
}

/** Applies the identity to one page (its requests and its scripts) through CDP. */
export async function applyIdentity(cdp: CDPSession, identity: Identity): Promise<void> {
  await cdp.send('Network.setUserAgentOverride', {
    userAgent: identity.userAgent, acceptLanguage: identity.acceptLanguage, platform: identity.platform, userAgentMetadata: identity.metadata,
  });
}

/** Every page of the context gets the identity: the ones we open (awaited before the caller can navigate, hence
 *  the wrapped newPage) and the ones a site opens (pop-ups, as soon as they appear). */
export function carryIdentity(context: BrowserContext, identity: Identity): void {
  const applied = new WeakMap<Page, Promise<void>>();
  const apply = (page: Page): Promise<void> => {
    let pending = applied.get(page);
    if (!pending) {
      pending = context.newCDPSession(page).then((cdp) => applyIdentity(cdp, identity)).catch(() => { /* page closed first */ });
      applied.set(page, pending);
    }
    return pending;
  };
  context.on('page', (page) => { void apply(page); });
  const newPage = context.newPage.bind(context);
  context.newPage = async () => {
    const page = await newPage();
    await apply(page);
    return page;
  };
}
