// The status API under load: /api/status latency (p50/p99) at a steady few hundred requests a second over
// keep-alive loopback connections, and the bytes a browser transfers for the page (gzip as served).
import { Agent, request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startSimulator } from '../sim/server.ts';
import { createLogger } from '../src/log.ts';
import { startDaemon } from '../src/main.ts';
import { seedHistory, simConfig } from '../test/http/env.ts';

const RATE_PER_SECOND = 300;
const DURATION_MS = 5_000;
const MAX_IN_FLIGHT = 16;

function get(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function benchHttp(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'voicewipe-bench-http-'));
  const sim = await startSimulator();
  const config = simConfig(sim, dir, { accounts: [{ sim: 'alexa', id: 'kitchen' }, { sim: 'alexa-uk', id: 'bedroom' }, { sim: 'google', id: 'nest' }] });
  const log = createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  const daemon = await startDaemon(config, log);
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  try {
    seedHistory(daemon.context, 60); // two months of nights, as the page shows them
    const url = `${daemon.url}/api/status`;
    // The admin's view: the status is private by default, and the admin's answer is the fuller one.
    const admin = { authorization: `Bearer ${daemon.context.adminToken}` };
    for (let i = 0; i < 200; i++) await get(agent, url, admin); // warm-up: JIT, statement caches, sockets

    const latencies: number[] = [];
    let errors = 0;
    let inFlight = 0;
    let skipped = 0;
    const started = performance.now();
    const interval = 1000 / RATE_PER_SECOND;
    let next = started;
    const pending: Promise<void>[] = [];
    while (performance.now() - started < DURATION_MS) {
      const now = performance.now();
      if (now < next) { await new Promise((r) => setTimeout(r, Math.max(0, next - now))); continue; }
      next += interval;
      if (inFlight >= MAX_IN_FLIGHT) { skipped++; continue; }
      inFlight++;
      const t0 = performance.now();
      pending.push(get(agent, url, admin).then((res) => {
        if (res.status !== 200) errors++;
        latencies.push(performance.now() - t0);
      }, () => { errors++; }).finally(() => { inFlight--; }));
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    let gzipBytes = 0;
    let rawBytes = 0;
    // The page and every module it imports (web/app.js imports web/page/*.js since the modules were split).
    const modules = readdirSync(new URL('../web/page/', import.meta.url)).filter((f) => f.endsWith('.js')).map((f) => `/page/${f}`);
    for (const path of ['/', '/app.js', '/style.css', ...modules]) {
      gzipBytes += (await get(agent, `${daemon.url}${path}`, { 'accept-encoding': 'gzip' })).bytes;
      rawBytes += (await get(agent, `${daemon.url}${path}`)).bytes;
    }
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      status_requests_per_second: Math.round(latencies.length / elapsed),
      status_p50_ms: round(percentile(latencies, 50)),
      status_p99_ms: round(percentile(latencies, 99)),
      status_max_ms: round(latencies.at(-1) ?? 0),
      status_errors: errors + skipped,
      page_bytes_gzip: gzipBytes,
      page_bytes_raw: rawBytes,
    };
  } finally {
    agent.destroy();
    await daemon.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchHttp());
}
