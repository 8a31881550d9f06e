// `npm test`: type-check and lint alongside the tap suite; ends with the line CI reads: `N passed, N failed`.
// tap's raw TAP goes to .tap/last-run.tap in full; the terminal gets one line per test file plus failures.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const extraArgs = process.argv.slice(2);
let failedChecks = 0;

const started = Date.now();
/** Runs one check to the end (a node script in the project); prints `name: ok`, or its output and `name: FAILED`. */
function check(name: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    const run = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    run.stdout.on('data', (d) => { output += d; });
    run.stderr.on('data', (d) => { output += d; });
    run.on('error', (err) => { output += `${err.message}\n`; });
    run.on('close', (status) => {
      if (status === 0) {
        console.log(`${name}: ok`);
      } else {
        failedChecks++;
        process.stdout.write(output);
        console.log(`${name}: FAILED`);
      }
      resolve();
    });
  });
}
// The checks run one after another alongside the tests (not before them): the tests' Chromiums leave the
// CPUs idle in places and the checks fill them, about 20 s less in all on 2 cores. Their lines come as they end.
const checks = (async () => {
  await check('typecheck', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  // The status page's JavaScript modules, from their JSDoc (web/tsconfig.json: checkJs).
  await check('typecheck web/', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'web']);
  // The linter (Biome, rules in biome.jsonc): unused imports and variables, floating promises, exhaustive switches.
  await check('lint', ['node_modules/@biomejs/biome/bin/biome', 'lint', '--colors=off', '.']);
})();

mkdirSync(`${root}.tap`, { recursive: true });
const raw = createWriteStream(`${root}.tap/last-run.tap`);
const tap = spawn(process.execPath, ['node_modules/tap/dist/esm/run.mjs', '-R', 'tap', ...extraArgs],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
let summary: { total?: number; pass?: number; fail?: number } = {};
let coverageFailed = false;
const failureLines: string[] = [];
let inFailure = false;
for await (const line of createInterface({ input: tap.stdout })) {
  raw.write(`${line}\n`);
  const top = /^(not ok|ok) \d+ - (.*)$/.exec(line);
  if (top) console.log(`${top[1] === 'ok' ? 'ok     ' : 'FAILED '} ${top[2]}`);
  const total = /^# (\{ total: .*\})$/.exec(line);
  if (total) {
    const count = (key: string) => Number(new RegExp(`${key}: (\\d+)`).exec(total[1])?.[1] ?? 0);
    summary = { total: count('total'), pass: count('pass'), fail: count('fail') };
  }
  if (/ERROR: Coverage for .* does not meet/.test(line)) { coverageFailed = true; console.log(line); }
  if (/^\s*not ok /.test(line) && !/# TODO|# SKIP/.test(line)) inFailure = true;
  else if (/^\s*(ok|not ok) /.test(line)) inFailure = false;
  if (inFailure && failureLines.length < 400) failureLines.push(line);
  if (/^(# (?!Subtest)|Statements|Branches|Functions|Lines|ERROR)/.test(line) && !top && !total) console.log(line);
}
const code: number = await new Promise((resolve) => tap.on('close', (c) => resolve(c ?? 1)));
raw.end();
await checks;
if (failureLines.length > 0) console.log(`\nfailures:\n${failureLines.join('\n')}`);

let pass = summary.pass ?? 0;
let fail = (summary.fail ?? 0) + failedChecks + (coverageFailed ? 1 : 0);
if (code !== 0 && fail === 0) fail = 1; // tap failed for a reason it did not count (a crash, a timeout)
console.log(`\nmain suite: ${pass} passed, ${fail} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; raw TAP in .tap/last-run.tap`);

// Then the quick reliability suite (SIGKILLs, broker restarts, every simulator fault, fuzzing, the secrets
// canary), after the main suite so its timings are not squeezed by it. VOICEWIPE_RELIABILITY=skip leaves it out.
if (process.env.VOICEWIPE_RELIABILITY !== 'skip' && extraArgs.length === 0) {
  console.log('\nreliability suite (quick; `npm run test:reliability` for its details):');
  const reliability = spawn(process.execPath, ['scripts/reliability.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VOICEWIPE_RELIABILITY: process.env.VOICEWIPE_RELIABILITY ?? 'quick' },
  });
  let counted = false;
  for await (const line of createInterface({ input: reliability.stdout })) {
    const counts = /^(\d+) passed, (\d+) failed$/.exec(line);
    if (counts) { pass += Number(counts[1]); fail += Number(counts[2]); counted = true; } else console.log(`  ${line}`);
  }
  const rcode: number = await new Promise((resolve) => reliability.on('close', (c) => resolve(c ?? 1)));
  if (rcode !== 0 && (!counted || fail === 0)) fail += 1;
}
console.log(`\ntime: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${pass} passed, ${fail} failed`);
process.exitCode = fail > 0 ? 1 : 0;
