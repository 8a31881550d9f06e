// `npm run sim -- [--port P] [--seed N] [--recordings N] [--delete-path /x] [--accounts file.json] [--variant JSON] [--quiet]`
// Starts the vendor simulator on loopback and prints its accounts; Ctrl-C stops it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNTS, startSimulator } from './server.ts';
import { parseSignin, parseVariant } from './amazon/variants.ts';
import type { SimAccountOptions } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8740' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    recordings: { type: 'string' },
    'delete-path': { type: 'string' },
    accounts: { type: 'string' },
    'signin-style': { type: 'string' },
    'signin-email-field': { type: 'string' },
    variant: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run sim -- [--port 8740] [--seed 1] [--recordings N] [--delete-path /path]
       [--accounts accounts.json] [--signin-style email-first|combined] [--signin-email-field ap_email|ap_email_login]
       [--variant '{"page":"rah","filterDepth":1}'] [--quiet]
Serves simulated Amazon and Google pages on loopback. Control API: http://127.0.0.1:PORT/__sim`);
  process.exit(0);
}

function int(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`--${name} must be a whole number, got "${v}"`); process.exit(2); }
  return n;
}

let accounts: SimAccountOptions[] = DEFAULT_ACCOUNTS;
if (values.accounts) accounts = JSON.parse(readFileSync(values.accounts, 'utf8')) as SimAccountOptions[];
if (values.recordings) {
  const n = int('recordings', values.recordings);
  accounts = accounts.map((a) => ({ ...a, recordings: n }));
}
const style = values['signin-style'];
if (style && style !== 'email-first' && style !== 'combined') { console.error('--signin-style must be email-first or combined'); process.exit(2); }
let signin;
let variant;
try {
  signin = parseSignin({ emailField: values['signin-email-field'] });
  // The same page variant for every Amazon account (sim/amazon/variants.ts; the control API changes it later).
  if (values.variant) variant = parseVariant(JSON.parse(values.variant));
} catch (e) {
  console.error(`--variant / --signin-email-field: ${(e as Error).message}`);
  process.exit(2);
}
if (variant) accounts = accounts.map((a) => (a.vendor ?? 'amazon') === 'amazon' ? { ...a, variant: { ...a.variant, ...variant } } : a);

const sim = await startSimulator({
  port: int('port', values.port),
  host: values.host,
  seed: int('seed', values.seed),
  accounts,
  deletePath: values['delete-path'],
  signinStyle: style as 'email-first' | 'combined' | undefined,
  signin,
  onRequest: values.quiet ? undefined : (line) => console.log(line),
});
console.log(`simulator on ${sim.url}  (control: ${sim.url}/__sim, Amazon delete path: ${sim.deletePath})`);
for (const a of sim.accounts) {
  console.log(`  ${a.id.padEnd(10)} ${a.vendor.padEnd(6)} ${a.email.padEnd(26)} password=${a.password}  mfa=${a.mfa}${a.totpSecret ? ` totp=${a.totpSecret}` : ''}  recordings=${a.recordings}`);
}
const stop = async () => { await sim.close(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
