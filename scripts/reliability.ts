// `npm run test:reliability`: the reliability suite (test/reliability/*.test.ts) on its own, then its figures.
// VOICEWIPE_RELIABILITY=full|quick sets its size (quick, the default, is what `npm test` runs too);
// VOICEWIPE_RELIABILITY_SEED replays a run's random choices. Each file prints one TAP comment
// `# reliability: faults_injected=N survived=N inputs_tried=N crashes=N`; this sums them.
// tap's raw TAP goes to .tap/reliability.tap; the terminal gets one line per file, failures, and the figures.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const mode = process.env.VOICEWIPE_RELIABILITY === 'full' ? 'full' : 'quick';
const files = readdirSync(`${root}test/reliability`).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/reliability/${f}`);
const FIGURES = ['faults_injected', 'survived', 'inputs_tried', 'crashes'] as const;
type Figures = Record<typeof FIGURES[number], number>;
const zero = (): Figures => ({ faults_injected: 0, survived: 0, inputs_tried: 0, crashes: 0 });

console.log(`reliability suite: ${mode}${process.env.VOICEWIPE_RELIABILITY_SEED ? `, seed ${process.env.VOICEWIPE_RELIABILITY_SEED}` : ''}; ${files.length} files`);
const started = Date.now();
mkdirSync(`${root}.tap`, { recursive: true });
const raw = createWriteStream(`${root}.tap/reliability.tap`);
// Coverage is the main suite's business (its thresholds are for the whole tree); the full size needs
// more than the main suite's per-file timeout, and the quick faults file (every simulator fault through the
// whole Alexa purge, with its read-back) takes 2-3 minutes on 2 cores. The full Alexa matrix (165 whole purges)
// took 1,014 s beside the other files on a quiet 2-core machine: 30 minutes leaves room for a busy one.
const tap = spawn(process.execPath, ['node_modules/tap/dist/esm/run.mjs', '-R', 'tap', '--disable-coverage',
  `--timeout=${mode === 'full' ? 1_800 : 400}`, ...process.argv.slice(2), ...files],
{ cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VOICEWIPE_RELIABILITY: mode, FORCE_COLOR: '0' } });

const total = zero();
let pending = zero();
let reported = false;
let summary: { pass?: number; fail?: number } = {};
const failureLines: string[] = [];
let inFailure = false;
for await (const line of createInterface({ input: tap.stdout })) {
  raw.write(`${line}\n`);
  const figures = /^\s*# reliability: (.*)$/.exec(line);
  if (figures && /^ {4}#/.test(line)) {
    // The file's own line (one level in), not a nested comment.
    for (const [, key, value] of figures[1].matchAll(/(\w+)=(\d+)/g)) {
      if ((FIGURES as readonly string[]).includes(key)) pending[key as keyof Figures] += Number(value);
    }
    reported = true;
  }
  const top = /^(not ok|ok) \d+ - (\S+)(.*)$/.exec(line);
  if (top) {
    const time = /time=([\d.]+)ms/.exec(top[3]);
    const shown = reported ? FIGURES.map((k) => `${k}=${pending[k]}`).join(' ') : 'no figures reported';
    console.log(`${top[1] === 'ok' ? 'ok     ' : 'FAILED '} ${top[2]}${time ? ` (${(Number(time[1]) / 1000).toFixed(1)} s)` : ''}: ${shown}`);
    for (const k of FIGURES) total[k] += pending[k];
    pending = zero();
    reported = false;
  }
  const counts = /^# \{ total: .*\}$/.exec(line);
  if (counts) summary = { pass: Number(/pass: (\d+)/.exec(line)?.[1] ?? 0), fail: Number(/fail: (\d+)/.exec(line)?.[1] ?? 0) };
  if (/^\s*not ok /.test(line) && !/# TODO|# SKIP/.test(line)) inFailure = true;
  else if (/^\s*(ok|not ok) /.test(line)) inFailure = false;
  if (inFailure && failureLines.length < 400) failureLines.push(line);
}
const code: number = await new Promise((resolve) => tap.on('close', (c) => resolve(c ?? 1)));
raw.end();
if (failureLines.length > 0) console.log(`\nfailures:\n${failureLines.join('\n')}`);

console.log(`\nreliability (${mode}): faults injected ${total.faults_injected}, survived ${total.survived}, ` +
  `inputs tried ${total.inputs_tried}, crashes ${total.crashes}`);
console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s; raw TAP in .tap/reliability.tap`);
let fail = summary.fail ?? 0;
if (code !== 0 && fail === 0) fail = 1; // tap failed for a reason it did not count (a crash, a timeout)
console.log(`${summary.pass ?? 0} passed, ${fail} failed`);
process.exitCode = fail > 0 || total.crashes > 0 ? 1 : 0;
