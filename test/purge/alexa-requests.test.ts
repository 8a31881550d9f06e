// The list calls sent from Node (src/providers/alexa/requests.ts): cookies Amazon sets on an answer go back into
// the browser context (the Set-Cookie header as Playwright's addCookies() takes it); the request on the wire.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import t from 'tap';
import type { ProviderSession } from '../../src/providers/types.ts';
import { PageRequests, decodeBody, parseSetCookie } from '../../src/providers/alexa/requests.ts';

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

// The list calls go out through node:http(s) (not fetch, for memory): the same request fetch sent, the answer
// decoded as fetch decoded it, and a failed connection reported as a network error.
t.test('decodeBody undoes the codings fetch undid', async (t) => {
  const json = '{"customerHistoryRecords":[{"recordKey":"k","timestamp":1}],"é":"ü"}';
  const raw = Buffer.from(json);
  t.equal(decodeBody(raw, undefined), json);
  t.equal(decodeBody(raw, 'identity'), json);
  t.equal(decodeBody(gzipSync(raw), 'gzip'), json);
  t.equal(decodeBody(gzipSync(raw), 'X-GZIP'), json);
  t.equal(decodeBody(deflateSync(raw), 'deflate'), json, 'zlib-wrapped deflate');
  t.equal(decodeBody(deflateRawSync(raw), 'deflate'), json, 'raw deflate, as some servers send it');
  t.equal(decodeBody(brotliCompressSync(raw), 'br'), json);
  t.equal(decodeBody(brotliCompressSync(gzipSync(raw)), 'gzip, br'), json, 'the last coding applied is undone first');
  t.equal(decodeBody(Buffer.from(`\uFEFF${json}`), undefined), json, 'a byte order mark is dropped, as text() drops it');
  t.equal(decodeBody(Buffer.alloc(0), 'gzip'), '', 'an empty body with a coding is empty');
  t.throws(() => decodeBody(raw, 'zstd'), { name: 'PurgeError', kind: 'vendor_error', message: /encoding we did not ask for \(zstd\)/ });
});

/** A session as PageRequests uses it: its origin, a browser version, and a cookie jar. */
function fakeSession(origin: string, added: unknown[]) {
  return {
    origin, account: { marketplace: 'com' },
    context: {
      browser: () => ({ version: () => '142.0.7444.59' }),
      cookies: async () => [{ name: 'session-id', value: '1' }],
      addCookies: async (c: unknown[]) => { added.push(...c); },
    },
  } as unknown as ProviderSession;
}

t.test('send(): the request fetch sent, the answer and its cookies', async (t) => {
  const seen: { method?: string; url?: string; version: string; headers: string[]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, version: req.httpVersion, headers: req.rawHeaders, body });
      res.setHeader('set-cookie', ['session-token=new; Path=/; HttpOnly']);
      res.setHeader('content-encoding', 'gzip');
      res.setHeader('retry-after', '7');
      res.end(gzipSync('{"ok":true}'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const added: unknown[] = [];
  const requests = new PageRequests(fakeSession(origin, added));
  const answer = await requests.send('POST', '/alexa-privacy/apd/rvh/customer-history-records-v2/?startTime=1&endTime=2', { body: '{"previousRequestToken":null}', csrf: 'tok' });
  t.same(answer, { status: 200, location: '', retryAfter: '7', text: '{"ok":true}' });
  t.same(added, [{ name: 'session-token', value: 'new', domain: '127.0.0.1', path: '/', httpOnly: true }], 'the cookie went back into the context');
  const [call] = seen;
  t.equal(call.method, 'POST');
  t.equal(call.url, '/alexa-privacy/apd/rvh/customer-history-records-v2/?startTime=1&endTime=2');
  t.equal(call.version, '1.1');
  t.equal(call.body, '{"previousRequestToken":null}');
  const names = call.headers.filter((_, i) => i % 2 === 0);
  // fetch's order: host and connection first, then ours, its fetch mode and encodings, the length last.
  t.same(names, ['host', 'connection', 'user-agent', 'accept-language', 'sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform',
    'origin', 'referer', 'accept', 'cookie', 'content-type', 'anti-csrftoken-a2z', 'sec-fetch-mode', 'accept-encoding', 'content-length']);
  const header = (name: string) => call.headers[call.headers.indexOf(name) + 1];
  t.equal(header('cookie'), 'session-id=1');
  t.equal(header('anti-csrftoken-a2z'), 'tok');
  t.equal(header('origin'), origin);
  t.equal(header('referer'), `${origin}/alexa-privacy/apd/rvh`);
  t.equal(header('accept'), 'application/json');
  t.equal(header('sec-fetch-mode'), 'cors');
  t.equal(header('accept-encoding'), 'gzip, deflate');
  t.match(header('user-agent'), /Chrome\/142\./);

  // The next call reads the cookies again (Amazon set one) and has no body: no content type or length.
  await requests.send('GET', '/alexa-privacy/apd/api/csrf');
  t.notOk(seen[1].headers.includes('content-length'));
  t.notOk(seen[1].headers.includes('content-type'));
  t.equal(seen[1].headers[seen[1].headers.indexOf('accept') + 1], '*/*');
});

t.test('send(): a redirect is not followed; a connection that fails is a network error', async (t) => {
  let mode: 'redirect' | 'reset' = 'redirect';
  const server = createServer((req, res) => {
    if (mode === 'redirect') { res.writeHead(302, { location: '/ap/signin' }); res.end(); return; }
    // Headers sent, then the connection drops mid-answer (Node calls that "aborted": not a cancelled run).
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"customer');
    setTimeout(() => req.socket.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const requests = new PageRequests(fakeSession(origin, []));
  t.match(await requests.send('POST', '/list', { body: '{}' }), { status: 302, location: '/ap/signin' });
  mode = 'reset';
  await t.rejects(requests.send('POST', '/list', { body: '{}' }), { name: 'PurgeError', kind: 'network', message: /^POST \/list: / });
  // Nothing listens on the port any more: refused, also a network error.
  const closed = new PageRequests(fakeSession('http://127.0.0.1:1', []));
  await t.rejects(closed.send('GET', '/csrf'), { name: 'PurgeError', kind: 'network', message: /ECONNREFUSED/ });
});
