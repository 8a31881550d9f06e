// The production JavaScript (scripts/emit-js.ts → .build/): imports rewritten and nothing else, every module
// loads, bin/voicewipe runs it and the daemon answers /healthz, and a build older than the sources is never used.
import t from 'tap';
import type { Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildIsCurrent, emitBuild, emitModule } from '../../scripts/emit-js.ts';
import { freePort } from '../helpers/net.ts';
import { NODE_BIN, ROOT, startDaemon } from './helpers.ts';

const env = { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}`, VOICEWIPE_TYPESCRIPT: '' };

t.test('emitModule: types blanked, relative .ts imports made .js, nothing else touched', async (t) => {
  const source = [
    "import { a } from './a.ts';",
    "import type { T } from './types.ts';",
    'import {',
    '  b,',
    "} from \"../b/c.ts\";",
    "export { d } from './d.ts';",
    "export * from '../e.ts';",
    "import './side-effect.ts';",
    "import pino from 'pino';",
    "import pkg from '../package.json' with { type: 'json' };",
    "const f = await import('./f.ts');",
    "const label: string = 'see ./notes.ts';",
    "const g = await import(`./${label}.ts`);",
  ].join('\n');
  const out = emitModule(source);
  t.equal(out.split('\n').length, source.split('\n').length, 'every line keeps its number');
  for (const spec of ["'./a.js'", '"../b/c.js"', "'./d.js'", "'../e.js'", "import './side-effect.js'", "import('./f.js')"]) {
    t.ok(out.includes(spec), `${spec} rewritten`);
  }
  t.notMatch(out, /types\.ts|\bT\b/, 'import type erased');
  t.match(out, /from 'pino'/, 'bare specifier untouched');
  t.match(out, /'\.\.\/package\.json' with \{ type: 'json' \}/, 'JSON import untouched');
  t.match(out, /const label\s+= 'see \.\/notes\.ts'/, 'a string that is no import is untouched; the type is blanked');
  t.match(out, /import\(`\.\/\$\{label\}\.ts`\)/, 'a computed specifier is left alone');
  t.throws(() => emitModule('enum Color { Red }'), 'non-erasable TypeScript is refused, not half-emitted');
});

/** The files a checkout needs to emit and run the daemon, in a fresh folder; node_modules is the project's. */
function copyCheckout(dir: string): string {
  const copy = join(dir, 'voicewipe');
  for (const path of ['src', 'sim', 'web', 'migrations', 'bin', 'package.json', 'scripts/emit-js.ts', 'scripts/build-stamp.sh']) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

function emittedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? emittedFiles(path) : e.name.endsWith('.js') ? [path] : [];
  });
}

/** Starts `bin/voicewipe start` in `copy`; the script Node ran and its /healthz answer. */
async function startAndAsk(t: Test, copy: string): Promise<{ script: string; health: unknown }> {
  const port = await freePort();
  const dir = join(copy, `run-${port}`);
  mkdirSync(dir);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `version: 1\nstate_dir: ${join(dir, 'state')}\nhttp: {host: 127.0.0.1, port: ${port}}\nlog: {level: warn}\naccounts: []\n`);
  const daemon = await startDaemon(t, copy, config, port, env);
  t.ok(daemon.health?.ok, `/healthz answered within 90 s\n${daemon.output()}`);
  const health = await daemon.health?.json();
  t.equal(await daemon.stop(), 0, `SIGTERM: exit 0\n${daemon.output()}`);
  return { script: daemon.script(), health };
}

t.test('the emitted tree loads, runs the daemon, and is used only while it matches the sources', async (t) => {
  const copy = copyCheckout(t.testdir());
  t.notOk(buildIsCurrent(copy), 'no build yet');
  const { files } = emitBuild(copy);
  t.ok(files > 50, `${files} modules emitted`);
  t.ok(buildIsCurrent(copy), 'the stamp matches the sources');
  t.ok(existsSync(join(copy, '.build/web/index.html')), 'web/ is reachable from .build/ (src/http/routes/page.ts)');
  t.ok(existsSync(join(copy, '.build/migrations')), 'migrations/ too (src/db/migrate.ts)');

  const modules = emittedFiles(join(copy, '.build/src'));
  const leftover = modules.filter((f) => /(?:from\s*|import\s*\(?\s*)['"]\.{1,2}\/[^'"]*\.ts['"]/.test(readFileSync(f, 'utf8')));
  t.same(leftover.map((f) => relative(copy, f)), [], 'no emitted module imports a .ts file');
  // Every module of the app loads as plain JavaScript (a missed specifier or asset fails here).
  const loadAll = `for (const f of ${JSON.stringify([...modules, join(copy, '.build/sim/server.js')])}) await import(f);`;
  execFileSync(process.execPath, ['--input-type=module', '-e', loadAll], { env, stdio: 'pipe', timeout: 60_000 });
  t.pass(`${modules.length} modules of .build/src load`);

  const fresh = await startAndAsk(t, copy);
  t.equal(fresh.script, '.build/src/cli.js', 'bin/voicewipe runs the emitted JavaScript');
  t.match(fresh.health, { status: 'ok', db: 'ok', version: /^\d+\.\d+\.\d+/ }, 'version read through .build/package.json');

  // A source edited after the build: the build is stale and bin/voicewipe goes back to the TypeScript.
  appendFileSync(join(copy, 'src/version.ts'), '// edited after the build\n');
  t.notOk(buildIsCurrent(copy), 'an edit makes the build stale');
  const stale = await startAndAsk(t, copy);
  t.equal(stale.script, 'src/cli.ts', 'a stale build is not used');

  // Emitting again brings it back; a build without its stamp (cut short) is not used either.
  emitBuild(copy);
  t.equal(execFileSync('bash', [join(copy, 'scripts/build-stamp.sh')], { encoding: 'utf8' }).trim(),
    readFileSync(join(copy, '.build/stamp'), 'utf8').trim(), 'the re-emitted stamp is current');
  rmSync(join(copy, '.build/stamp'));
  t.notOk(buildIsCurrent(copy), 'no stamp, no build');
  t.equal((await startAndAsk(t, copy)).script, 'src/cli.ts', 'a build without a stamp is not used');
});

t.test('a new source file makes the build stale too', async (t) => {
  const copy = copyCheckout(t.testdir());
  emitBuild(copy);
  writeFileSync(join(copy, 'src/new-module.ts'), 'export const x = 1;\n');
  t.notOk(buildIsCurrent(copy));
  rmSync(join(copy, 'src/new-module.ts'));
  t.ok(buildIsCurrent(copy), 'and removing it again makes it current');
});
