// The size limits checked before the YAML document is built: a 4 MB value, a huge file, thousands of entries,
// brackets nested thousands deep are refused in milliseconds, naming the line, the key and the limit; a
// config of ordinary size is not affected.
import t from 'tap';
import type { Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter } from 'yaml';
import { formatProblem, loadConfig } from '../../src/config/load.ts';
import { MAX_DEPTH, MAX_ENTRIES, MAX_FILE_BYTES, MAX_VALUE_CHARS, oversizedValues } from '../../src/config/size.ts';

/** Generous: the machine running the tests may be busy; unguarded, these took 1 to 17 s. */
const FAST_MS = 1_000;

function load(t: Test, text: string) {
  const path = join(t.testdir(), 'config.yaml');
  writeFileSync(path, text);
  const started = performance.now();
  const result = loadConfig(path, {});
  return { ...result, ms: performance.now() - started, shown: result.problems.map(formatProblem) };
}

t.test('a 4 MB value is refused at once, naming its line, its key and the limits', async (t) => {
  for (const [key, c] of [['schedule', 'x'], ['timezone', '😀'], ['accounts', '\\"']] as const) {
    const r = load(t, `version: 1\n${key}: "${c.repeat(Math.ceil(4_000_000 / c.length))}"\n`);
    t.equal(r.config, undefined);
    t.equal(r.problems.length, 1, key);
    t.match(r.problems[0], { line: 2, key });
    t.match(r.problems[0].message, /the file is \d\.\d MB \(at most 64 KB\), and line 2 alone is \d\.\d MB \(a value is at most 4,096 characters\)/);
    t.ok(r.ms < FAST_MS, `${key}: refused in ${Math.round(r.ms)} ms`);
  }
});

t.test('a long value in a file of ordinary size: its dotted key, its length and the limit', async (t) => {
  const flow = load(t, `version: 1\naccounts: [{id: a, provider: alexa, email: e, marketplace: "${'m'.repeat(20_000)}"}]\n`);
  t.same(flow.shown, [`${join(t.testdirName, 'config.yaml')}:2 accounts[0].marketplace: a value of 20,002 characters; at most 4,096 here (a name, a path or an address): was something pasted by mistake?`]);
  const block = load(t, `version: 1\nmqtt:\n  url: mqtt://x\n  username: |\n${'    line of text\n'.repeat(400)}`);
  t.match(block.problems, [{ line: 4, key: 'mqtt.username', message: /a value of [\d,]+ characters; at most 4,096/ }]);
  const key = load(t, `version: 1\nhttp:\n  ${'k'.repeat(MAX_VALUE_CHARS + 1)}: 1\n`);
  t.match(key.problems, [{ line: 3, key: /^http\.k{37}… \(the key\)$/ }]);
  const exact = load(t, `version: 1\nstate_dir: ${'/s'.repeat(MAX_VALUE_CHARS / 2)}\naccounts: []\n`);
  t.notMatch(exact.shown.join('\n'), /characters; at most/, 'exactly at the limit is allowed');
});

t.test('a file over the size limit without one long line: the size and the limit', async (t) => {
  const r = load(t, `version: 1\n${'# a comment line that repeats\n'.repeat(Math.ceil(MAX_FILE_BYTES / 20))}`);
  t.same(r.problems.map((p) => p.message), [`the file is ${Math.round(Buffer.byteLength(readFileSync(join(t.testdirName, 'config.yaml'))) / 1024)} KB; a config is a few KB (at most 64 KB): is this the right file?`]);
});

t.test('thousands of entries: refused where the limit is passed, before parsing', async (t) => {
  const keys = load(t, `version: 1\nhttp:\n${Array.from({ length: 3_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n`);
  t.match(keys.problems, [{ key: 'http', line: MAX_ENTRIES + 1, message: `entry 2,001 of the file is here; a config has a few dozen (at most 2,000): is this the right file?` }]);
  t.ok(keys.ms < FAST_MS, `refused in ${Math.round(keys.ms)} ms`);
  const list = load(t, `version: 1\naccounts: [${'a, '.repeat(5_000)}a]\n`);
  t.match(list.problems, [{ key: 'accounts', line: 2, message: /entry 2,001/ }]);
});

t.test('deep nesting: brackets and indentation, with the key', async (t) => {
  const brackets = load(t, `version: 1\nlog: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`);
  t.match(brackets.problems, [{ key: 'log', line: 2, message: `brackets nested more than ${MAX_DEPTH} levels deep; voicewipe's keys go four levels down (accounts → account → key → list)` }]);
  t.ok(brackets.ms < FAST_MS, `refused in ${Math.round(brackets.ms)} ms`);
  const quoted = load(t, `version: 1\nlog: {level: "${'['.repeat(100)}"}\n`);
  t.notMatch(quoted.shown.join('\n'), /nested/, 'brackets inside a quoted value do not count');
  const commented = load(t, `version: 1\n# ${'['.repeat(100)}\nlog: {level: info}\naccounts: []\n`);
  t.notMatch(commented.shown.join('\n'), /nested/, 'nor in a comment');
  const indented = load(t, `version: 1\nhttp:\n${Array.from({ length: 40 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`);
  t.match(indented.problems, [{ key: /^http\.k0\.k1\.k2\..*\.k30$/, message: /nested more than 32 levels deep/ }]);
});

t.test('not a file: a directory or a pipe is refused without reading it', async (t) => {
  const dir = t.testdir();
  mkdirSync(join(dir, 'conf.d'));
  t.match(loadConfig(join(dir, 'conf.d')).problems, [{ message: 'is a directory; pass the path of config.yaml' }]);
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  t.match(loadConfig(join(dir, 'pipe')).problems, [{ message: 'is not a regular file (a device or a pipe); pass the path of config.yaml' }]);
});

t.test('the example config and ordinary files are untouched by the limits', async (t) => {
  const example = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8');
  t.same(oversizedValues('config.example.yaml', example, new LineCounter()), []);
  const twenty = ['version: 1', 'accounts:', ...Array.from({ length: 20 }, (_, i) => `  - {id: a${i}, provider: google, keep_days: 3}`)].join('\n');
  t.same(oversizedValues('c.yaml', twenty, new LineCounter()), [], 'twenty accounts in flow style');
});
