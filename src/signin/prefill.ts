// The account's e-mail already typed where the vendor's sign-in page asks for it, so a person on a phone starts
// at the password (or the captcha). Standard HTML only (an e-mail or user-name field), no vendor selectors: if a
// page has no such field, or the person's browser already filled it, nothing happens. For the remote sign-in
// (src/signin/remote.ts, right after the sign-in page opens and before the person can type): wiring it there is
// left to the sign-in's owners.
import type { Page } from 'playwright-core';

const FIELD = 'input[type=email], input[autocomplete=username]';

/** Each step is bounded: a page that will not answer costs the person at most a few seconds. */
const STEP_MS = 2_000;

export async function prefillEmail(page: Page, email: string | undefined): Promise<boolean> {
  if (!email) return false;
  const field = page.locator(FIELD).filter({ visible: true }).first();
  if ((await field.count()) === 0) return false;
  if (!(await field.isEditable({ timeout: STEP_MS })) || (await field.inputValue({ timeout: STEP_MS })) !== '') return false;
  await field.fill(email, { timeout: STEP_MS });
  return true;
}
