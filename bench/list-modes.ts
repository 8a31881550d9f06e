// What one list call costs, issued four ways against the simulator in its own process: through the browser
// context's request API (Node, the browser's cookie jar), from inside the page (fetch, one evaluate per stretch),
// the same with a page.on('request') listener, and plain Node fetch with the cookies (the floor). A tool for
// choosing how the Alexa provider lists.
//   bash scripts/node.sh bench/list-modes.ts [recordings]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { launchBrowser } from '../src/browser/launch.ts';
import { SessionVault } from '../src/browser/vault.ts';
import { loadConfig } from '../src/config/load.ts';
import { writeSimConfig } from '../sim/config.ts';
import type { Simulator } from '../sim/server.ts';

const root = new URL('..', import.meta.url).pathname;
const LIST = '/alexa-privacy/apd/rvh/customer-history-records-v2';

if (process.argv[2] === 'sim') {
  const { startSimulator } = await import('../sim/server.ts');
  const sim = await startSimulator({ seed: 42, accounts: [{ id: 'bench', vendor: 'amazon', email: 'bench@example.com', password: 'bench-password', mfa: 'none', recordings: Number(process.argv[3]), spanDays: 365 }] });
  process.stdout.write(`${JSON.stringify({ url: sim.url, deletePath: sim.deletePath, accounts: sim.accounts.map((a) => ({ id: a.id, vendor: a.vendor, email: a.email, password: a.password, marketplace: a.marketplace })) })}\n`);
  process.stdin.on('end', () => { void sim.close().then(() => process.exit(0)); });
  process.stdin.resume();
} else {
  const recordings = Number(process.argv[2] ?? 10_000);
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'sim', String(recordings)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const sim = JSON.parse(line) as Simulator;
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-listmodes-'));
  try {
    const path = writeSimConfig(sim, { dir, accounts: [{ sim: 'bench', keep_days: 30 }] });
    execFileSync(join(root, 'bin/voicewipe'), ['purge', '--dry-run', '--json', '--config', path], { stdio: ['ignore', 'ignore', 'inherit'] });
    const { config } = loadConfig(path);
    const state = new SessionVault(config!.state_dir).load('bench').state;
    const browser = await launchBrowser(config!.browser);
    const context = await browser.newContext({ storageState: state, stepTimeoutMs: 60_000 });
    const page = await context.newPage();
    await page.goto(`${sim.url}/alexa-privacy/apd/rvh`);
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const end = Date.now() - 30 * 86_400_000;
    const url = (cursorless = '') => `${sim.url}${LIST}?startTime=${Date.UTC(2014, 0, 1)}&endTime=${end}&recordType=VOICE_HISTORY&maxRecordSize=200${cursorless}`;
    const headers = { 'content-type': 'application/json', accept: 'application/json', 'anti-csrftoken-a2z': csrf! };
    const report = (what: string, calls: number, keys: number, ms: number) =>
      process.stdout.write(`${what.padEnd(44)} ${calls} calls, ${keys} records, ${Math.round(ms)} ms, ${(ms / calls).toFixed(2)} ms/call\n`);

    const viaContext = async () => {
      const t0 = performance.now();
      let cursor: string | null = null; let calls = 0; const keys = new Set<string>();
      do {
        const res = await page.request.post(url(), { data: JSON.stringify({ previousRequestToken: cursor }), headers });
        const data = await res.json() as { customerHistoryRecords: { recordKey: string }[]; encodedRequestToken: string | null };
        await res.dispose();
        for (const r of data.customerHistoryRecords) keys.add(r.recordKey);
        cursor = data.encodedRequestToken; calls++;
      } while (cursor);
      report('context request API (Node, browser cookies)', calls, keys.size, performance.now() - t0);
    };
    const inPage = async (what: string) => {
      const t0 = performance.now();
      const out = await page.evaluate(async ({ u, h }) => {
        let cursor: string | null = null; let calls = 0; const keys = new Set<string>();
        do {
          const res = await fetch(u, { method: 'POST', headers: h, body: JSON.stringify({ previousRequestToken: cursor }), credentials: 'same-origin' });
          const data = await res.json() as { customerHistoryRecords: { recordKey: string }[]; encodedRequestToken: string | null };
          for (const r of data.customerHistoryRecords) keys.add(r.recordKey);
          cursor = data.encodedRequestToken; calls++;
        } while (cursor);
        return { calls, keys: keys.size };
      }, { u: url(), h: headers });
      report(what, out.calls, out.keys, performance.now() - t0);
    };
    const nodeFetch = async () => {
      const cookie = (await context.cookies(sim.url)).map((c) => `${c.name}=${c.value}`).join('; ');
      const t0 = performance.now();
      let cursor: string | null = null; let calls = 0; const keys = new Set<string>();
      do {
        const res = await fetch(url(), { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ previousRequestToken: cursor }) });
        const data = await res.json() as { customerHistoryRecords: { recordKey: string }[]; encodedRequestToken: string | null };
        for (const r of data.customerHistoryRecords) keys.add(r.recordKey);
        cursor = data.encodedRequestToken; calls++;
      } while (cursor);
      report('Node fetch with the cookies (floor)', calls, keys.size, performance.now() - t0);
    };
    for (let round = 0; round < 2; round++) {
      await nodeFetch();
      await viaContext();
      await inPage('in the page, no listener');
      const listener = () => {};
      page.on('request', listener);
      await inPage('in the page, a request listener');
      page.off('request', listener);
      await context.route('**/nothing-matches-this', (r) => r.continue());
      await context.unrouteAll();
    }
    await browser.close();
  } finally {
    child.stdin!.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
