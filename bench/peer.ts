// The peer baseline: how public scripts delete Alexa recordings (open Review Voice History, expand each record
// and press its delete button, one by one), timed on up to 1,000 recordings against the same simulator, then
// extrapolated linearly (the per-record cost does not fall with more records: each needs the same clicks).
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../src/browser/chromium.ts';
import { startSimulator } from '../sim/server.ts';

export async function benchPeer(records = 1_000, timeLimitMs = 150_000): Promise<Record<string, number>> {
  const sim = await startSimulator({ seed: 7, accounts: [{ id: 'peer', vendor: 'amazon', email: 'peer@example.com', password: 'peer-password', mfa: 'none', recordings: records, spanDays: 365 }] });
  const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${sim.url}/alexa-privacy/apd/rvh`);
    await page.locator('#ap_email').fill('peer@example.com');
    await page.locator('#continue').click();
    await page.locator('#ap_password').fill('peer-password');
    await page.locator('#signInSubmit').click();
    await page.locator('.apd-content-box').first().waitFor();
    const started = performance.now();
    let deleted = 0;
    while (deleted < records && performance.now() - started < timeLimitMs) {
      const boxes = page.locator('.apd-content-box');
      const before = await boxes.count();
      if (before === 0) break;
      const box = boxes.first();
      await box.locator('button.apd-expand-toggle-button').click();
      await box.locator('button.record-delete-button').click();
      // The next records lazy-load as the list shrinks: wait until this one is gone, not until the first is.
      await page.waitForFunction((n) => document.querySelectorAll('.apd-content-box').length !== n, before);
      deleted++;
    }
    const ms = performance.now() - started;
    const perRecord = ms / Math.max(1, deleted);
    return {
      peer_deleted: deleted,
      peer_measured_ms: Math.round(ms),
      peer_ms_per_record: Math.round(perRecord * 10) / 10,
      peer_extrapolated_10k_s: Math.round((perRecord * 10_000) / 1000),
      peer_extrapolated_50k_s: Math.round((perRecord * 50_000) / 1000),
    };
  } finally {
    await browser.close();
    await sim.close();
  }
}
