// The account's e-mail already typed where the vendor's sign-in page asks for it, so a person on a phone starts
// at the password (or the captcha). Standard HTML only (an e-mail or user-name field), no vendor selectors: if a
// page has no such field, or the person's browser already filled it, nothing happens.
import type { Page } from 'playwright-core';

const FIELD = 'input[type=email], input[autocomplete=username]';

export async function prefillEmail(page: Page, email: string | undefined): Promise<boolean> {
  if (!email) return false;
  const field = page.locator(FIELD).filter({ visible: true }).first();
  if ((await field.count()) === 0 || !(await field.isEditable()) || (await field.inputValue()) !== '') return false;
  await field.fill(email, { timeout: 2_000 });
  return true;
}
