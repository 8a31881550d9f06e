// Shared by the install tests: where things are, and the tools they need (Debian packages, npm linters).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Test } from 'tap';

export const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const NODE_BIN = process.execPath.replace(/\/node$/, '');

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes a Debian package's command available: installs the package (as scripts/setup.sh does) when missing and
 * running as root. Returns why not, for `t.skip`/`{ skip }`, or undefined when the command is there.
 */
export function needDebianCommand(command: string, pkg: string): string | undefined {
  if (onPath(command)) return undefined;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    return `${command} is missing: sudo apt-get install -y --no-install-recommends ${pkg}`;
  }
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000,
  }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
    if (!install()) return `apt-get install ${pkg} failed`;
  }
  return onPath(command) ? undefined : `${pkg} installed but ${command} is not on PATH`;
}

/**
 * The folder holding node_modules/<name>: the project's own when it is a devDependency, else a private
 * install from the npm registry in the temp folder (what `npx --yes` would do), reused by later runs.
 * Returns an Error's message instead when the registry cannot be reached.
 */
export function npmPackage(name: string, version: string): { dir?: string; error?: string } {
  if (existsSync(join(ROOT, 'node_modules', name, 'package.json'))) return { dir: ROOT };
  const dir = join(tmpdir(), 'voicewipe-test-tools', `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return { dir };
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${name}@${version}`], {
      stdio: 'pipe', timeout: 120_000, env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` },
    });
  } catch (err) {
    return { error: `could not install ${name}@${version} from the npm registry: ${(err as Error).message.split('\n')[0]}` };
  }
  return { dir };
}

export interface StartedDaemon {
  child: ChildProcess;
  /** The first /healthz answer, or undefined when none came before the deadline. */
  health?: Response;
  /** Everything the daemon wrote to stdout and stderr so far. */
  output(): string;
  /** Stops it with SIGTERM; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** The CLI script Node runs (bin/voicewipe execs Node, so the command line names it), relative to `checkout`. */
  script(): string;
}

/** `bin/voicewipe start --config <config>` of a checkout, as systemd and the image run it, until /healthz answers. */
export async function startDaemon(t: Test, checkout: string, config: string, port: number, env: NodeJS.ProcessEnv, deadlineMs = 90_000): Promise<StartedDaemon> {
  const child = spawn(join(checkout, 'bin/voicewipe'), ['start', '--config', config], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => { child.kill('SIGKILL'); });
  const deadline = Date.now() + deadlineMs;
  let health: Response | undefined;
  while (!health && Date.now() < deadline) {
    health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (!health) await new Promise((r) => setTimeout(r, 100));
  }
  const cmdline = health ? readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0') : [];
  return {
    child, health, output: () => output,
    stop: () => { child.kill('SIGTERM'); return exited; },
    script: () => relative(checkout, cmdline.find((a) => /cli\.(ts|js)$/.test(a)) ?? ''),
  };
}
