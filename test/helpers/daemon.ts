// Spawns a daemon process (test/helpers/daemon-process.ts) and waits for /healthz.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { ContextOptions } from '../../src/context.ts';

const ENTRY = new URL('./daemon-process.ts', import.meta.url).pathname;

export interface DaemonProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnDaemon(configPath: string, opts: ContextOptions = {}): DaemonProcess {
  const child = spawn(process.execPath, [ENTRY, configPath, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** Polls `check` every 50 ms until it is true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
