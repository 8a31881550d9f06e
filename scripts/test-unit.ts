// `npm run test:unit`: the fast layer alone, in seconds: the test files that start no browser, no daemon, no
// simulator and no broker (the runner with a fake provider, states, cut-offs, async helpers, config, database,
// QR, redaction, …). No type-check, no coverage: for a developer's edit-run loop; `npm test` runs them too.
// Extra arguments go to tap (e.g. `npm run test:unit -- --grep=retries`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

/** Each must stay quick (well under a second or two) and talk to nothing but a temp folder and SQLite. */
export const UNIT_TESTS = [
  'test/async.test.ts',
  'test/config/load.test.ts',
  'test/config/schema.test.ts',
  'test/config/size.test.ts',
  'test/db/migrate.test.ts',
  'test/db/prune.test.ts',
  'test/db/queries.test.ts',
  'test/homeassistant/blueprint.test.ts',
  'test/http/admin-token.test.ts',
  'test/http/public-url.test.ts',
  'test/log.test.ts',
  'test/mqtt/discovery.test.ts',
  'test/mqtt/homeassistant.test.ts',
  'test/purge/alexa-requests.test.ts',
  'test/purge/alexa-split-listing.test.ts',
  'test/purge/google-readback.test.ts',
  'test/purge/live.test.ts',
  'test/purge/redact.test.ts',
  'test/purge/runner.test.ts',
  'test/purge/status.test.ts',
  'test/qr.test.ts',
  'test/readme-layout.test.ts',
  'test/sd-notify.test.ts',
];

const missing = UNIT_TESTS.filter((f) => !existsSync(`${root}${f}`));
if (missing.length > 0) {
  console.error(`test:unit: no such test file: ${missing.join(', ')} (scripts/test-unit.ts lists them)`);
  process.exit(2);
}
const started = Date.now();
const tap = spawn(process.execPath, ['node_modules/tap/dist/esm/run.mjs', '--disable-coverage', '-R', 'terse', ...process.argv.slice(2), ...UNIT_TESTS],
  { cwd: root, stdio: 'inherit' });
const code: number = await new Promise((resolve) => tap.on('close', (c) => resolve(c ?? 1)));
console.log(`unit tests: ${UNIT_TESTS.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = code;
