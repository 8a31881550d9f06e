// Regenerates the screenshots in sim/docs/ (referenced from sim/README.md):
//   bash scripts/node.sh sim/screenshots.ts
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../src/browser/chromium.ts';
import { totpCode } from '../src/providers/totp.ts';
import { startSimulator } from './server.ts';

const out = new URL('./docs/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const sim = await startSimulator({ seed: 1 });
const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS, headless: true });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: 'Europe/London', locale: 'en-US' });
  const page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: `${out}${name}.png` });
  const alexa = sim.accounts.find((a) => a.id === 'alexa')!;

  await page.goto(`${sim.url}/alexa-privacy/apd/rvh`);
  await page.fill('#ap_email', alexa.email);
  await shot('amazon-signin');
  await page.click('#continue');
  await page.fill('#ap_password', 'wrong password');
  await page.click('#signInSubmit');
  await shot('amazon-signin-error');
  await page.fill('#ap_password', alexa.password);
  await page.check('input[name=rememberMe]');
  await page.click('#signInSubmit');
  await page.fill('#auth-mfa-otpcode', totpCode(alexa.totpSecret!, sim.control.now()));
  await shot('amazon-mfa');
  await page.click('#auth-signin-button');
  await page.waitForSelector('.apd-content-box');
  await page.locator('.apd-expand-toggle-button').nth(1).click();
  await shot('amazon-rvh');
  await page.click('#filters-selected-bar > button');
  await page.click('div.filter-by-date-menu > button');
  await page.click('#custom-date-range-filter');
  await shot('amazon-rvh-filter');
  await page.keyboard.press('Escape');
  await page.click('#filters-selected-bar > button');
  await page.click('.delete-displayed-recordings-text.enabled');
  await shot('amazon-rvh-delete-all');
  sim.control.setFaults('alexa', { redesign: 1 });
  await page.reload();
  await page.waitForSelector('.vh-card');
  await shot('amazon-rvh-redesign-1');
  sim.control.clearFaults('alexa');
  sim.control.setVariant('alexa', { page: 'rah' });
  await page.reload();
  await page.waitForSelector('.utterance-row');
  await page.locator('.activity-menu-button').first().click();
  await shot('amazon-rah');
  sim.control.setVariant('alexa', { page: null, dateInput: 'text+calendar', language: 'de', dateOrder: null } as never);
  await page.reload();
  await page.click('#filters-selected-bar > button');
  await page.click('div.filter-by-date-menu > button');
  await page.click('#custom-date-range-filter');
  await page.waitForSelector('.react-datepicker');
  await shot('amazon-rvh-de-calendar');
  sim.control.setVariant('alexa', { dateInput: null, language: null } as never);

  const google = sim.accounts.find((a) => a.id === 'google')!;
  await page.goto(`${sim.url}/product/assistant`);
  await shot('google-signed-out');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.fill('#identifierId', google.email);
  await shot('google-signin');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.fill('input[type=password]', google.password);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForSelector('c-wiz[data-token]');
  await shot('google-activity');
  await page.locator('button[aria-label="Delete activity"]').click();
  await shot('google-delete-dialog');
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await sim.close();
}
