// Cookies Amazon sets on a list answer go back into the browser context (src/providers/alexa/requests.ts): the
// Set-Cookie header as Playwright's addCookies() takes it.
import t from 'tap';
import { parseSetCookie } from '../../src/providers/alexa/requests.ts';

t.test('Set-Cookie attributes', async (t) => {
  const now = Date.UTC(2026, 11, 1);
  t.same(parseSetCookie('session-token=abc=def; Domain=.amazon.co.uk; Path=/; Secure; HttpOnly; SameSite=lax; Max-Age=3600', 'https://www.amazon.co.uk', now),
    { name: 'session-token', value: 'abc=def', domain: '.amazon.co.uk', path: '/', secure: true, httpOnly: true, sameSite: 'Lax', expires: now / 1000 + 3600 });
  t.same(parseSetCookie('x-main="q"; Expires=Wed, 01 Dec 2027 00:00:00 GMT', 'http://127.0.0.1:8740', now),
    { name: 'x-main', value: '"q"', domain: '127.0.0.1', path: '/', expires: Date.UTC(2027, 11, 1) / 1000 });
  t.match(parseSetCookie('ubid-main=1; domain=amazon.com; path=/alexa-privacy', 'https://www.amazon.com'), { domain: '.amazon.com', path: '/alexa-privacy' });
  t.equal(parseSetCookie('=nameless', 'https://www.amazon.com'), undefined);
  t.equal(parseSetCookie('garbage', 'https://www.amazon.com'), undefined);
});
