// A production install is `npm ci --omit=dev` and nothing more: a clean copy of the repository (what git would
// commit) installed that way starts the daemon against the vendor simulator, serves /healthz and stops cleanly.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { writeSimConfig } from '../../sim/config.ts';
import { startSimulator } from '../../sim/server.ts';
import { freePort } from '../helpers/net.ts';
import { NODE_BIN, ROOT, startDaemon } from './helpers.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

t.test('src/ imports only dependencies and Node built-ins, never a dev dependency', async (t) => {
  const specifier = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(specifier)) {
      // `import type` is erased by type stripping: it never loads anything at run time.
      if (/^\s*(import|export)\s+type\s/.test(m[0].replace(/^[^ie]*/, ''))) continue;
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const where = `${relative(ROOT, file)} imports ${spec}`;
      t.ok(name in pkg.dependencies, `${where}: in dependencies`);
      t.notOk(name in (pkg.devDependencies ?? {}), `${where}: not a dev dependency`);
    }
  }
});

t.test('a clean copy installed with npm ci --omit=dev runs the daemon', async (t) => {
  const dir = t.testdir(); // (each call to testdir() starts it afresh)
  const copy = join(dir, 'voicewipe');
  // What a commit of this tree holds: tracked files plus new ones that are not ignored.
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  const env = { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` };
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: copy, env, stdio: 'pipe', timeout: 240_000 });
  // Packages the lock file marks dev-only (tap, typescript, …) are left out; some @types come with dependencies.
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const devOnly = Object.entries(lock.packages).filter(([path, p]) => path && p.dev).map(([path]) => path);
  t.ok(devOnly.length > 0 && devOnly.every((path) => !existsSync(join(copy, path))), `none of the ${devOnly.length} dev-only packages is installed`);
  t.notOk(existsSync(join(copy, 'node_modules/tap')), 'no tap');
  t.ok(existsSync(join(copy, 'node_modules/better-sqlite3')), 'dependencies are');
  // Then, as scripts/setup.sh (install-pi.sh) and the image do: the JavaScript the service runs, with no dev dependency.
  execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/emit-js.ts'], { cwd: copy, env, stdio: 'pipe', timeout: 120_000 });

  const sim = await startSimulator({ accounts: [{ id: 'alexa', vendor: 'amazon', email: 'alexa@example.com', password: 'alexa-password', mfa: 'none', marketplace: 'com', recordings: 20, spanDays: 30 }] });
  t.teardown(() => sim.close());
  const port = await freePort();
  const config = writeSimConfig(sim, { dir: join(dir, 'run'), accounts: [{ sim: 'alexa' }], httpPort: port });
  // bin/voicewipe, as systemd and the image run it; `node .build/src/cli.js` underneath.
  const daemon = await startDaemon(t, copy, config, port, env);
  t.ok(daemon.health, `/healthz answered within 90 s\n${daemon.output()}`);
  t.equal(daemon.health?.status, 200);
  t.match(await daemon.health?.json(), { status: 'ok', db: 'ok', version: /^\d+\.\d+\.\d+/ });
  t.equal(daemon.script(), '.build/src/cli.js', 'runs the emitted JavaScript');
  t.equal(await daemon.stop(), 0, 'SIGTERM: exit 0');
  const output = daemon.output();
  t.notMatch(output, /ERR_MODULE_NOT_FOUND|Cannot find (module|package)/, 'nothing missing');
});
