// Where an Alexa purge's time goes: one purge of N recordings (default 10,000) through the real runner and
// Chromium against the simulator, every provider step, sleep and phase timed, printed as a table. A tool for
// optimising, not a benchmark figure (the runner shares this process with the simulator).
//   bash scripts/node.sh bench/profile-purge.ts [recordings] [keep_days]
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/load.ts';
import { openDatabase } from '../src/db/open.ts';
import { createLogger } from '../src/log.ts';
import { createPurge } from '../src/purge/index.ts';
import { PROVIDERS } from '../src/providers/index.ts';
import type { Provider, ProviderSession } from '../src/providers/types.ts';
import { PurgeRunner } from '../src/purge/run.ts';
import { writeSimConfig } from '../sim/config.ts';
import { startSimulator } from '../sim/server.ts';
import { launchBrowser } from '../src/browser/launch.ts';
import { SessionVault } from '../src/browser/vault.ts';
import { PurgeEvents } from '../src/purge/events.ts';
import { Recorder } from '../src/purge/recorder.ts';

const recordings = Number(process.argv[2] ?? 10_000);
const keepDays = Number(process.argv[3] ?? 30);

const spent = new Map<string, { n: number; ms: number }>();
const add = (what: string, ms: number) => {
  const e = spent.get(what) ?? { n: 0, ms: 0 };
  e.n++; e.ms += ms;
  spent.set(what, e);
};
async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try { return await fn(); } finally { add(what, performance.now() - t0); }
}

/** The same session object for every call (the provider keeps its state per session), with steps and sleeps timed. */
const wrapped = new WeakMap<ProviderSession, ProviderSession>();
function wrap(s: ProviderSession, phase: () => string): ProviderSession {
  let w = wrapped.get(s);
  if (!w) {
    w = Object.create(s) as ProviderSession;
    w.step = (what, fn, t) => timed(`${phase()}: step ${what}`, () => s.step(what, fn, t));
    w.sleep = (ms) => timed(`${phase()}: sleep`, () => s.sleep(ms));
    wrapped.set(s, w);
  }
  return w;
}

const alexa = PROVIDERS.alexa as Provider & { kept: NonNullable<Provider['kept']> };
let current = 'sign_in';
let kept = 0;
const profiled: Provider = {
  ...alexa,
  signIn: (s) => timed('sign_in', () => { current = 'sign_in'; return alexa.signIn(wrap(s, () => current)); }),
  inventory: (s, c) => timed(`inventory (${current === 'sign_in' ? 'count' : 'verify'})`, () => {
    current = current === 'sign_in' ? 'count' : 'verify';
    return alexa.inventory(wrap(s, () => current), c);
  }),
  kept: (s, c) => timed(`kept (${kept++ === 0 ? 'before' : 'after'})`, () => { current = 'kept'; return alexa.kept(wrap(s, () => current), c); }),
  delete: (s, c, f, p) => timed('delete', () => { current = 'delete'; return alexa.delete(wrap(s, () => current), c, f, p); }),
};

const dir = mkdtempSync(join(tmpdir(), 'voicewipe-profile-'));
const sim = await startSimulator({ seed: 42, accounts: [{ id: 'bench', vendor: 'amazon', email: 'bench@example.com', password: 'bench-password', mfa: 'totp', recordings, spanDays: 365 }] });
try {
  const path = writeSimConfig(sim, { dir, accounts: [{ sim: 'bench', keep_days: keepDays }], logLevel: 'warn' });
  const { config } = loadConfig(path);
  if (!config) throw new Error('config');
  const log = createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const { db } = openDatabase(join(config.state_dir, 'voicewipe.db'));
  // First run signs in and saves the session, as the benchmark does; the profiled one reuses it.
  await createPurge(config, db, log).runner.start({ trigger: 'cli' }).done;
  sim.control.reset('bench');
  spent.clear();
  kept = 0;
  current = 'sign_in';
  const events = new PurgeEvents(() => {});
  const recorder = new Recorder(db);
  recorder.attach(events);
  const runner = new PurgeRunner({ config, recorder, events, log, vault: new SessionVault(config.state_dir), providers: { alexa: profiled }, launch: launchBrowser });
  const t0 = performance.now();
  const summary = await runner.start({ trigger: 'cli' }).done;
  const wall = performance.now() - t0;
  const r = summary.results[0];
  process.stdout.write(`${recordings} recordings, keep_days ${keepDays}: ${r.status} ${r.error_kind ?? ''} deleted ${r.deleted} of ${r.found}, ${Math.round(wall)} ms\n`);
  process.stdout.write(`timings ${JSON.stringify(r.details.timings)}\n`);
  for (const [what, e] of [...spent].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`${what.padEnd(60)} ${String(e.n).padStart(6)} × ${String(Math.round(e.ms)).padStart(7)} ms\n`);
  }
  for (const n of r.details.notes as string[]) process.stdout.write(`note: ${n}\n`);
  db.close();
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
