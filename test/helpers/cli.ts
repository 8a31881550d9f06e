// Runs `voicewipe <args>` as a user would, on the same Node as the tests.
import { spawn } from 'node:child_process';

export const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`voicewipe ${args.join(' ')} took over ${opts.timeoutMs ?? 20_000} ms`)); }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
