import t from 'tap';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdminToken, tokenMatches } from '../../src/http/admin-token.ts';

t.test('the admin token is made once, 0600, and kept', async (t) => {
  const dir = join(t.testdir(), 'state');
  const token = ensureAdminToken(dir);
  t.match(token, /^[\w-]{43}$/);
  const file = join(dir, 'admin-token');
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.equal(ensureAdminToken(dir), token, 'same token on the next start');
  chmodSync(file, 0o644);
  t.equal(ensureAdminToken(dir), token);
  t.equal(statSync(file).mode & 0o777, 0o600, 'a loosened mode is tightened again');
  t.equal(readFileSync(file, 'utf8').trim(), token);
});

t.test('token comparison', async (t) => {
  t.ok(tokenMatches('abc', 'abc'));
  t.notOk(tokenMatches('abc', 'abd'));
  t.notOk(tokenMatches('abc', 'ab'));
  t.notOk(tokenMatches('abc', undefined));
});
