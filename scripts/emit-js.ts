// Writes src/ and sim/ as plain JavaScript under .build/ (gitignored), for production: a daemon started from
// .ts files keeps Node's TypeScript stripper resident, about 17 MB of a 1 GB Pi (bench/results/idle-memory.md).
// Node's own module.stripTypeScriptTypes() does the work (no dev dependency: it runs after `npm ci --omit=dev`);
// the code stays erasable TypeScript, so only types become blanks and every line keeps its number. Tests and
// development keep running the .ts files. scripts/setup.sh runs this when the sources changed; bin/voicewipe
// runs .build/src/cli.js only while .build/stamp matches scripts/build-stamp.sh (else src/cli.ts).
//
//   node scripts/emit-js.ts [--if-stale]    (--if-stale: do nothing when .build/stamp is already current)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** A relative `.ts` module specifier in an import, export … from, or dynamic import(): the only thing rewritten. */
const TS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(['"])(\.{1,2}\/[^'"\n]*?)\.ts\2/g;

/** The JavaScript for one erasable TypeScript module: types blanked, `./x.ts` imports made `./x.js`. */
export function emitModule(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' }).replace(TS_SPECIFIER, '$1$2$3.js$2');
}

function stamp(root: string, ...args: string[]): string {
  return execFileSync('bash', [join(root, 'scripts/build-stamp.sh'), ...args], { encoding: 'utf8' }).trim();
}

/** True when .build/ was emitted from the sources as they are now. */
export function buildIsCurrent(root = ROOT): boolean {
  const file = join(root, '.build/stamp');
  return existsSync(file) && readFileSync(file, 'utf8').trim() === stamp(root);
}

/** Emits the whole tree into a fresh folder and swaps it in, so .build/ is always complete or absent. */
export function emitBuild(root = ROOT): { files: number; stamp: string } {
  // Taken before reading the sources: a file edited meanwhile makes the new build stale, never wrong.
  const fingerprint = stamp(root);
  const out = join(root, `.build.${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  let files = 0;
  for (const file of stamp(root, '--list').split('\n').filter(Boolean)) {
    if (file.startsWith('scripts/')) continue; // fingerprinted (it shapes the output), not emitted
    const from = join(root, file);
    mkdirSync(dirname(join(out, file)), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const to = join(out, file.replace(/\.ts$/, '.js'));
      try {
        writeFileSync(to, emitModule(readFileSync(from, 'utf8')));
      } catch (err) {
        rmSync(out, { recursive: true, force: true });
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      files++;
    } else {
      copyFileSync(from, join(out, file));
    }
  }
  // Folders the code finds through import.meta.url (src/db/migrate.ts, src/http/routes/page.ts): the originals,
  // so an edited page or a new migration needs no new build.
  for (const dir of ['web', 'migrations']) symlinkSync(join('..', dir), join(out, dir));
  writeFileSync(join(out, 'stamp'), `${fingerprint}\n`);
  const build = join(root, '.build');
  const old = join(root, `.build.old.${process.pid}`);
  try {
    if (existsSync(build)) renameSync(build, old);
    renameSync(out, build);
  } catch (err) {
    // Another emitter (two `npm` commands at once) swapped its build in first: it is as good as this one.
    if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return { files, stamp: fingerprint };
}

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  if (process.argv.includes('--if-stale') && buildIsCurrent()) process.exit(0);
  const { files } = emitBuild();
  process.stderr.write(`emit-js: wrote ${files} modules to .build/\n`);
}
