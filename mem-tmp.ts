import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './src/browser/chromium.ts';
import { launchBrowser } from './src/browser/launch.ts';
import { openPersonBrowser } from './src/browser/person.ts';
import { findDescendant, treePssMb } from './src/browser/processes.ts';
import { startSimulator } from './sim/server.ts';
const sim = await startSimulator({ seed: 1 });
const settle = () => new Promise((r) => setTimeout(r, 3000));
const out: Record<string, number> = {};
// purge browser (headless shell, identity)
{ const b = await launchBrowser({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 });
  const c = await b.newContext({ stepTimeoutMs: 20000, locale: 'en-US' }); const p = await c.newPage(); await p.goto(`${sim.url}/ap/signin`); await settle();
  out.purge_headless_shell = treePssMb(b.pid!); await b.close(); }
// before: the person's browser launched by Playwright with the purge flags on the full chromium
{ const marker = `--m=${Date.now()}`; const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: [...CHROMIUM_ARGS, marker] });
  const p = await (await b.newContext()).newPage(); await p.goto(`${sim.url}/ap/signin`); await settle();
  out.person_before_playwright_full = treePssMb(findDescendant(marker)!); await b.close(); }
// after: ordinary process, site isolation, own profile
{ const b = await openPersonBrowser({ headless: true, step_timeout_seconds: 30, run_timeout_minutes: 5 }, { stateDir: '/tmp/exp14/mem', accountId: 'a', headless: true, locale: 'en-US', allowedOrigins: [sim.url], width: 1280, height: 900 });
  await b.page.goto(`${sim.url}/ap/signin`); await settle();
  out.person_after_spawned_full = treePssMb(b.pid!); out.sandboxed = b.sandboxed ? 1 : 0; await b.close(); }
console.log(JSON.stringify(out)); await sim.close();
