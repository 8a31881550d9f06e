// Amazon sign-in as a state machine over the documented pages: open Review Voice History; while Amazon shows a
// sign-in page, recognise it and answer it (email, password with "keep me signed in", authenticator code with
// "don't ask again on this browser", passkey nudge skipped). A captcha, an SMS/e-mail code or a push approval
// needs a person: we stop at once, never loop (a loop is how earlier tools got accounts locked).
import type { Page } from 'playwright-core';
import { PurgeError } from '../../errors.ts';
import { documentProblem, watchDocuments } from '../document-status.ts';
import { locateNow } from '../locate.ts';
import type { Target } from '../locate.ts';
import type { ProviderSession } from '../types.ts';
import { totpCode } from '../totp.ts';
import { CSRF_META, OTP_BY_APP, OTP_BY_MESSAGE, PATHS, SIGN_IN } from './selectors.ts';

/** More than any real sequence (email, password, captcha, code, nudge) needs; past it the page is unknown. */
const MAX_STEPS = 10;

export async function onHistoryPage(page: Page): Promise<boolean> {
  if (!new URL(page.url()).pathname.startsWith('/alexa-privacy/')) return false;
  return (await page.locator(CSRF_META.join(', ')).count()) > 0;
}

/** Clicks and waits for the document that the click's form submission or link loads. */
async function clickAndWait(s: ProviderSession, what: string, click: () => Promise<void>): Promise<void> {
  await s.step(what, async () => {
    const navigated = s.page.waitForEvent('framenavigated', { predicate: (f) => f === s.page.mainFrame() });
    navigated.catch(() => {}); // a click that fails (cancelled run) leaves this waiter behind: not a crash
    await click();
    await navigated;
    await s.page.waitForLoadState('domcontentloaded');
  });
}

/** Ticks a "keep me signed in" / "don't ask again" box when the page has one. */
async function tick(s: ProviderSession, target: Target): Promise<void> {
  const box = await locateNow(s.page, target, s.observations);
  if (box && !(await box.isChecked())) await box.check();
}

export async function openHistory(s: ProviderSession): Promise<void> {
  watchDocuments(s.page);
  await s.step('open Review Voice History', () => s.page.goto(`${s.origin}${PATHS.rvh}`, { waitUntil: 'domcontentloaded' }));
  const problem = documentProblem(s.page, 'Amazon');
  if (problem) throw problem;
}

export async function signIn(s: ProviderSession): Promise<'session_reused' | 'signed_in'> {
  await openHistory(s);
  if (await onHistoryPage(s.page)) return 'session_reused';
  const { account, observations } = s;
  let passwordSent = 0;
  let codeSent = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    const page = s.page;
    if (await onHistoryPage(page)) return 'signed_in';
    const problem = documentProblem(page, 'Amazon');
    if (problem) throw problem;
    const path = new URL(page.url()).pathname;

    if (await locateNow(page, SIGN_IN.captcha, observations)) {
      throw new PurgeError('captcha', 'Amazon wants a person to solve a captcha before signing in');
    }
    if (await locateNow(page, SIGN_IN.cvfCode, observations)) {
      throw new PurgeError('mfa_required', 'Amazon sent a verification code by e-mail or text message, which only a person can read: sign in once from the status page');
    }
    if (await locateNow(page, SIGN_IN.approval, observations)) {
      throw new PurgeError('mfa_required', 'Amazon wants the sign-in approved on a phone (push notification)');
    }
    const error = await locateNow(page, SIGN_IN.error, observations);
    const errorText = error ? (await error.innerText()).trim().replace(/\s+/g, ' ').slice(0, 200) : '';

    const otp = await locateNow(page, SIGN_IN.otp, observations);
    if (otp) {
      const body = await page.locator('body').innerText();
      if (!account.totp_secret || (OTP_BY_MESSAGE.test(body) && !OTP_BY_APP.test(body))) {
        throw new PurgeError('mfa_required', account.totp_secret
          ? 'Amazon sent a one-time code by text message or e-mail, which only a person can read'
          : 'Amazon asks for a 2-step code and this account has no totp_secret_file: add the authenticator secret, or sign in once from the status page');
      }
      if (codeSent >= 2) throw new PurgeError('bad_credentials', `Amazon refused the authenticator code twice (${errorText || 'no reason given'}): check totp_secret_file`);
      await otp.fill(totpCode(account.totp_secret, s.now()));
      await tick(s, SIGN_IN.otpRemember);
      const submit = await locateNow(page, SIGN_IN.otpSubmit, observations);
      if (!submit) throw new PurgeError('page_changed', 'the 2-step code page has no submit button we recognise');
      codeSent++;
      await clickAndWait(s, 'send the 2-step code', () => submit.click());
      continue;
    }

    const password = await locateNow(page, SIGN_IN.password, observations);
    if (password) {
      if (passwordSent > 0 && errorText) throw new PurgeError('bad_credentials', `Amazon refused the password: ${errorText}`);
      if (passwordSent >= 2) throw new PurgeError('bad_credentials', 'Amazon keeps asking for the password');
      if (!account.password) throw new PurgeError('needs_login', 'Amazon asks for a password and this account has none configured');
      // The combined form has the e-mail on the same page.
      const email = await locateNow(page, SIGN_IN.email, observations);
      if (email && account.email && (await email.inputValue()) === '') await email.fill(account.email);
      await password.fill(account.password);
      await tick(s, SIGN_IN.rememberMe);
      const submit = await locateNow(page, SIGN_IN.submit, observations);
      if (!submit) throw new PurgeError('page_changed', 'the password page has no sign-in button we recognise');
      passwordSent++;
      await clickAndWait(s, 'send the password', () => submit.click());
      continue;
    }

    const email = await locateNow(page, SIGN_IN.email, observations);
    if (email) {
      if (errorText && (await email.inputValue()) !== '') throw new PurgeError('bad_credentials', `Amazon refused the e-mail address: ${errorText}`);
      if (!account.email) throw new PurgeError('needs_login', 'Amazon asks for an e-mail address and this account has none configured');
      await email.fill(account.email);
      const next = (await locateNow(page, SIGN_IN.continue, observations)) ?? (await locateNow(page, SIGN_IN.submit, observations));
      if (!next) throw new PurgeError('page_changed', 'the sign-in page has no Continue button we recognise');
      await clickAndWait(s, 'send the e-mail address', () => next.click());
      continue;
    }

    const skip = await locateNow(page, SIGN_IN.passkeySkip, observations);
    if (skip) {
      observations.notes.push('skipped the passkey nudge');
      await clickAndWait(s, 'skip the passkey nudge', () => skip.click());
      continue;
    }

    // Not a page we know. If it is still loading something, give it one more look before giving up.
    if (step === 0 || path.startsWith('/ap/') || path.startsWith('/ax/')) {
      await s.sleep(1_000);
      if (await onHistoryPage(page)) return 'signed_in';
    }
    throw new PurgeError('page_changed', `an Amazon page we do not recognise at ${path} while signing in`);
  }
  throw new PurgeError('page_changed', `signing in did not finish within ${MAX_STEPS} pages`);
}
