// `npm run bench`: measures what the issues name (not a timed test) and writes bench/results/latest.json
// plus a readable table, with the machine it ran on. Each section runs alone; a failing one is reported.
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { benchDaemonIdle } from './daemon.ts';

interface Aim { key: string; max: number }
interface Section { name: string; run: () => Promise<Record<string, number>>; aims?: Aim[] }

const sections: Section[] = [
  { name: 'daemon idle', run: benchDaemonIdle, aims: [{ key: 'idle_rss_mb', max: 80 }, { key: 'startup_to_healthz_ms', max: 1000 }] },
  { name: 'simulator', run: async () => (await import('./sim.ts')).benchSimulator() },
  { name: 'systemd', run: async () => (await import('./systemd.ts')).benchSystemd(), aims: [{ key: 'systemd_exposure', max: 2.0 }] },
  // The page's fixed work (filter, read-back, the quiet time before the final click, dialog, delete) with almost
  // nothing to list: what no listing can hide, for reading the 10k ratio. No aim.
  { name: 'purge 100 recordings (Alexa)', run: async () => (await import('./purge.ts')).benchPurge(100, false) },
  {
    name: 'purge 10,000 recordings (Alexa)', run: async () => (await import('./purge.ts')).benchPurge(10_000),
    aims: [{ key: 'ratio_provider_to_floor', max: 1.3 }, { key: 'peak_pss_cli_plus_chromium_mb', max: 350 }, { key: 'nightly_run_written_kb', max: 1024 }],
  },
  {
    name: 'purge 50,000 recordings (Alexa)', run: async () => (await import('./purge.ts')).benchPurge(50_000, false),
    aims: [{ key: 'ratio_provider_to_floor', max: 1.3 }, { key: 'peak_pss_cli_plus_chromium_mb', max: 350 }],
  },
  { name: 'peer baseline (one by one through the page)', run: async () => (await import('./peer.ts')).benchPeer(1_000) },
  { name: 'history', run: async () => (await import('./history.ts')).benchHistory() },
  { name: 'status API and page', run: async () => (await import('./http.ts')).benchHttp(), aims: [{ key: 'status_p99_ms', max: 10 }] },
];

const only = process.argv.slice(2);
const dir = new URL('results/', import.meta.url).pathname;
// Sections not run this time (`npm run bench -- purge`) keep their last figures, marked with their date.
let previous: { date?: string; results?: Record<string, Record<string, number> | { error: string }> } = {};
if (only.length > 0) { try { previous = JSON.parse(readFileSync(`${dir}latest.json`, 'utf8')); } catch { /* first run */ } }
const results: Record<string, Record<string, number> | { error: string }> = {};
const lines: string[] = [];
for (const section of sections) {
  const ran = only.length === 0 || only.some((o) => section.name.includes(o));
  if (ran) {
    process.stderr.write(`bench: ${section.name}…\n`);
    try {
      results[section.name] = await section.run();
    } catch (err) {
      results[section.name] = { error: (err as Error).message };
    }
  } else if (previous.results?.[section.name]) {
    results[section.name] = previous.results[section.name];
  } else {
    continue;
  }
  const figures = results[section.name];
  lines.push(`${section.name}${ran ? '' : `  (not run this time: figures of ${previous.date ?? 'an earlier run'})`}`);
  if ('error' in figures && typeof figures.error === 'string') { lines.push(`  FAILED: ${figures.error}`); continue; }
  for (const [key, value] of Object.entries(figures as Record<string, number>)) {
    const aim = section.aims?.find((a) => a.key === key);
    const verdict = aim ? (value <= aim.max ? `  (aim ≤ ${aim.max}: met)` : `  (aim ≤ ${aim.max}: MISSED)`) : '';
    lines.push(`  ${key.padEnd(32)} ${String(value).padStart(10)}${verdict}`);
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  arch: process.arch,
  node: process.version,
  os: readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? process.platform,
};
const report = { date: new Date().toISOString(), machine, load: loadavg().map((l) => Math.round(l * 100) / 100), results };
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
const table = [`voicewipe benchmark, ${report.date}`, `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.os}, ${machine.arch}, Node ${machine.node}`,
  `load average at the end (1, 5, 15 min): ${report.load.join(', ')}`, '', ...lines, ''].join('\n');
writeFileSync(`${dir}latest.txt`, table);
process.stdout.write(table);
