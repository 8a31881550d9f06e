// The simulated Amazon endpoints over loopback HTTP: sign-in variants, the JSON list (CSRF, cursors, overlap),
// delete, every fault, and the control API.
import t from 'tap';
import { startSimulator } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';
import { Jar, signedIn as signedInAs, hiddenField, listRecords, postForm, request } from './fixtures/http.ts';
import type { ListReply } from './fixtures/http.ts';

let sim: Simulator;
t.before(async () => {
  sim = await startSimulator({
    seed: 3,
    accounts: [
      // Honours maxRecordSize (the page the simulator served before issue 13), to see many records in one call.
      { id: 'a', vendor: 'amazon', email: 'a@example.com', password: 'pw-a', mfa: 'totp', recordings: 5000, spanDays: 300, variant: { pageSize10: false } },
      { id: 'sms', vendor: 'amazon', email: 'sms@example.com', password: 'pw-sms', mfa: 'sms', recordings: 10 },
      { id: 'push', vendor: 'amazon', email: 'push@example.com', password: 'pw-push', mfa: 'push', recordings: 10 },
      { id: 'plain', vendor: 'amazon', email: 'plain@example.com', password: 'pw-plain', recordings: 200, spanDays: 30 },
    ],
  });
});
t.teardown(() => sim?.close());

const signedIn = (id: string) => signedInAs(sim, id);

t.test('seeded data is deterministic and realistic', async (t) => {
  const other = await startSimulator({ seed: 3, accounts: [{ id: 'a', email: 'a@example.com', recordings: 5000, spanDays: 300, mfa: 'totp' }] });
  t.teardown(() => other.close());
  t.equal(other.accounts[0].totpSecret, sim.accounts[0].totpSecret, 'same seed → same TOTP secret');
  t.equal(sim.accounts[0].totpSecret!.length, 52, '52-character base32 secret');
  const { jar, csrf } = await signedIn('a');
  const reply = await (await listRecords(sim, jar, csrf, 'startTime=0&endTime=9999999999999&maxRecordSize=200', null)).json() as { customerHistoryRecords: Array<{ utteranceType: string; device: { deviceName: string } }> };
  const types = new Set(reply.customerHistoryRecords.map((r) => r.utteranceType));
  const devices = new Set(reply.customerHistoryRecords.map((r) => r.device.deviceName));
  t.ok(types.has('GENERAL') && types.has('WAKE_WORD_ONLY') && types.has('FALSE_WAKE_WORD'), 'all utterance types');
  t.ok(devices.size >= 3, 'several devices');
  const acct = sim.control.account('a');
  t.ok(acct.newest! - acct.oldest! > 200 * 86_400_000, 'spread over months');
});

t.test('JSON list: CSRF, cursor paging with overlapping pages, range', async (t) => {
  const { jar, csrf } = await signedIn('plain');
  const end = sim.control.now();
  const q = `startTime=0&endTime=${end}`;
  t.equal((await listRecords(sim, jar, undefined, q, null)).status, 403, 'missing token → 403');
  t.equal((await listRecords(sim, jar, 'stale-token', q, null)).status, 403, 'wrong token → 403');
  const plain = await (await request(sim, jar, '/alexa-privacy/apd/csrf-token')).text();
  t.equal(plain, csrf, 'GET csrf-token gives the meta tag token');

  const keys = new Set<string>();
  let previous: string | null = null;
  let pages = 0;
  let overlaps = 0;
  let last = Infinity;
  do {
    const res = await listRecords(sim, jar, csrf, q, previous);
    t.equal(res.status, 200);
    const body = await res.json() as ListReply;
    if (pages === 0) t.equal(body.customerHistoryRecords.length, 10, 'about 10 per page');
    for (const r of body.customerHistoryRecords) {
      t.ok(r.timestamp <= last, 'newest first');
      last = r.timestamp;
      if (keys.has(r.recordKey)) overlaps++;
      keys.add(r.recordKey);
    }
    t.equal(body.lastRecordTimestamp, body.customerHistoryRecords.at(-1)?.timestamp ?? null);
    previous = body.encodedRequestToken;
    pages++;
  } while (previous && pages < 100);
  t.equal(keys.size, 200, 'every record once after de-duplication');
  t.ok(overlaps > 0, 'pages overlap');

  const empty = await (await listRecords(sim, jar, csrf, 'startTime=1&endTime=2', null)).json() as ListReply;
  t.same(empty, { customerHistoryRecords: [], encodedRequestToken: null, noDataFoundWithinTimeLimit: true, lastRecordTimestamp: null });
  const mid = end - 10 * 86_400_000;
  const big = await (await listRecords(sim, jar, csrf, `startTime=${mid}&endTime=${end}&maxRecordSize=200`, null)).json() as ListReply;
  t.equal(big.customerHistoryRecords.length, 10, 'maxRecordSize is ignored: 10 per call (default variant)');
  sim.control.setVariant('plain', { pageSize10: false });
  const ranged = await (await listRecords(sim, jar, csrf, `startTime=${mid}&endTime=${end}&maxRecordSize=200`, null)).json() as ListReply;
  t.equal(ranged.customerHistoryRecords.length, sim.control.remaining('plain', { from: mid, to: end }), 'startTime/endTime bound the list (pageSize10 off: maxRecordSize honoured)');
  sim.control.setVariant('plain', { pageSize10: null } as never);
  t.equal(sim.control.variant('plain').pageSize10, true, 'null puts a variant key back to its default');

  t.equal((await request(sim, new Jar(), '/alexa-privacy/apd/csrf-token')).status, 401, 'no session → 401');
});

t.test('delete endpoint: per item and by range', async (t) => {
  sim.control.reset('plain');
  const { jar, csrf } = await signedIn('plain');
  const first = await (await listRecords(sim, jar, csrf, `startTime=0&endTime=${sim.control.now()}`, null)).json() as ListReply;
  const key = first.customerHistoryRecords[0].recordKey;
  const del = (body: unknown, token = csrf) => request(sim, jar, sim.deletePath, { method: 'POST', headers: { 'anti-csrftoken-a2z': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  t.equal((await del({ recordKeys: [key] }, 'bad')).status, 403, 'delete needs the CSRF token');
  t.equal(sim.control.remaining('plain'), 200);
  t.equal((await del({ recordKeys: [key] })).status, 200);
  t.equal(sim.control.remaining('plain'), 199, 'one gone');
  const cut = sim.control.now() - 7 * 86_400_000;
  const older = sim.control.remaining('plain', { to: cut });
  await del({ startTime: 0, endTime: cut });
  t.equal(sim.control.remaining('plain', { to: cut }), 0, 'range deleted');
  t.equal(sim.control.remaining('plain'), 199 - older, 'rest kept');
  t.equal((await del({ nonsense: true })).status, 400, 'bad body → 400');
});

t.test('sign-in variants: combined form, unknown email, captcha, SMS and push need a person', async (t) => {
  const jar = new Jar();
  const combined = await (await request(sim, jar, '/ap/signin?style=combined')).text();
  t.match(combined, 'id="ap_password"', 'combined form has the password field');
  t.match(combined, 'id="signInSubmit"');
  const claim = await (await request(sim, jar, '/ax/claim')).text();
  t.match(claim, 'id="continue"', '/ax/claim is email-first');
  const unknown = await (await postForm(sim, jar, '/ap/signin', { email: 'nobody@example.com' })).text();
  t.match(unknown, /auth-error-message-box[\s\S]*cannot find an account/);

  // Captcha on the next sign-in.
  sim.control.setFaults('plain', { captchaNextSignIn: true });
  const cjar = new Jar();
  const wf = hiddenField(await (await request(sim, cjar, '/ap/signin')).text(), 'workflowState');
  let res = await postForm(sim, cjar, '/ap/signin', { workflowState: wf, email: 'plain@example.com', password: 'pw-plain' });
  t.match(res.headers.get('location'), /^\/ap\/cvf/, 'captcha step');
  const cvf = await (await request(sim, cjar, res.headers.get('location')!)).text();
  t.match(cvf, 'id="auth-captcha-image"');
  t.match(cvf, 'id="captchacharacters"');
  res = await postForm(sim, cjar, '/ap/cvf/verify', { workflowState: wf, cvf_captcha_input: 'WRONG1' });
  t.match(await res.text(), 'auth-error-message-box', 'wrong characters → error, new captcha');
  res = await postForm(sim, cjar, '/ap/cvf/verify', { workflowState: wf, cvf_captcha_input: sim.control.codes('plain').captcha! });
  t.equal(res.headers.get('location'), '/alexa-privacy/apd/rvh', 'solved captcha signs in');
  t.notOk(sim.control.faults('plain').captchaNextSignIn, 'fault cleared once solved');

  // SMS: a TOTP-style guess fails, the code a person reads from the control API works.
  const sjar = new Jar();
  const swf = hiddenField(await (await request(sim, sjar, '/ap/signin')).text(), 'workflowState');
  res = await postForm(sim, sjar, '/ap/signin', { workflowState: swf, email: 'sms@example.com', password: 'pw-sms' });
  const smsPage = await (await request(sim, sjar, res.headers.get('location')!)).text();
  t.match(smsPage, /sent to your phone/, 'SMS wording');
  t.match(smsPage, 'id="auth-mfa-otpcode"');
  res = await postForm(sim, sjar, '/ap/mfa', { workflowState: swf, otpCode: '000000' });
  t.match(await res.text(), 'auth-error-message-box');
  res = await postForm(sim, sjar, '/ap/mfa', { workflowState: swf, otpCode: sim.control.codes('sms').sms! });
  t.equal(res.headers.get('location'), '/alexa-privacy/apd/rvh', 'SMS code from the control API signs in');

  // Push approval.
  const pjar = new Jar();
  const pwf = hiddenField(await (await request(sim, pjar, '/ap/signin')).text(), 'workflowState');
  res = await postForm(sim, pjar, '/ap/signin', { workflowState: pwf, email: 'push@example.com', password: 'pw-push' });
  t.match(await (await request(sim, pjar, res.headers.get('location')!)).text(), /Approve the notification/);
  t.same(await (await request(sim, pjar, `/ap/cvf/approval/poll?arb=${pwf}`)).json(), { approved: false });
  const http = await fetch(`${sim.url}/__sim/accounts/push/approve-push`, { method: 'POST' });
  t.equal(http.status, 200, 'approve over the control API');
  t.same(await (await request(sim, pjar, `/ap/cvf/approval/poll?arb=${pwf}`)).json(), { approved: true });
  res = await request(sim, pjar, `/ap/cvf/approval/done?arb=${pwf}`);
  t.equal(res.headers.get('location'), '/alexa-privacy/apd/rvh');
  t.ok(pjar.cookies.has('at-main'), 'signed in after approval');
});

t.test('faults change behaviour', async (t) => {
  sim.control.reset('plain');
  const { jar, csrf } = await signedIn('plain');
  const q = () => `startTime=0&endTime=${sim.control.now()}`;

  t.test('latency', async (t) => {
    sim.control.setFaults('plain', { latencyMs: 150 });
    const t0 = performance.now();
    await listRecords(sim, jar, csrf, q(), null);
    t.ok(performance.now() - t0 >= 140, 'slow answer');
    sim.control.setFaults('plain', { latencyMs: null } as never);
  });

  t.test('429 with Retry-After, then 503, counted', async (t) => {
    const r = await fetch(`${sim.url}/__sim/accounts/plain/faults`, { method: 'PUT', body: JSON.stringify({ rateLimit: { count: 2, retryAfterSeconds: 120 } }) });
    t.equal(r.status, 200, 'faults set over HTTP');
    const a = await listRecords(sim, jar, csrf, q(), null);
    t.equal(a.status, 429);
    t.equal(a.headers.get('retry-after'), '120');
    t.equal((await listRecords(sim, jar, csrf, q(), null)).status, 429);
    t.equal((await listRecords(sim, jar, csrf, q(), null)).status, 200, 'back after count');
    sim.control.setFaults('plain', { unavailable: { count: 1 } });
    t.equal((await request(sim, jar, '/alexa-privacy/apd/rvh')).status, 503, 'pages too');
    t.equal((await listRecords(sim, jar, csrf, q(), null)).status, 200);
    const bad = await fetch(`${sim.url}/__sim/accounts/plain/faults`, { method: 'PUT', body: JSON.stringify({ nope: 1 }) });
    t.equal(bad.status, 400, 'unknown fault rejected');
  });

  t.test('session expiry mid-run', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { expireSessionAfter: 2 });
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), null)).status, 200);
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), null)).status, 200);
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), null)).status, 401, 'third request: session gone');
    const page = await request(sim, s.jar, '/alexa-privacy/apd/rvh');
    t.equal(page.status, 302);
    t.match(page.headers.get('location'), /^\/ap\/signin/, 'pages redirect to sign-in');
  });

  t.test('session lifetime', async (t) => {
    const s = await signedIn('plain');
    sim.control.advanceClock(15 * 86_400_000);
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), null)).status, 401, 'older than 14 days → signed out');
    sim.control.advanceClock(-15 * 86_400_000);
  });

  t.test('CSRF rotation', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { csrfRotation: true });
    const first = await (await listRecords(sim, s.jar, s.csrf, q(), null)).json() as ListReply;
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), first.encodedRequestToken)).status, 403, 'token stale after rotation');
    const fresh = await (await request(sim, s.jar, '/alexa-privacy/apd/csrf-token')).text();
    t.not(fresh, s.csrf);
    t.equal((await listRecords(sim, s.jar, fresh, q(), first.encodedRequestToken)).status, 200, 'a fresh token works');
  });

  t.test('silent no-op delete', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { silentDelete: true });
    const res = await request(sim, s.jar, sim.deletePath, { method: 'POST', headers: { 'anti-csrftoken-a2z': s.csrf }, body: JSON.stringify({ startTime: 0, endTime: sim.control.now() }) });
    t.same(await res.json(), { success: true }, 'claims success');
    t.equal(sim.control.remaining('plain'), 200, 'nothing deleted');
    sim.control.clearFaults('plain');
  });

  t.test('eventual consistency', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { eventualConsistencyMs: 60_000 });
    await request(sim, s.jar, sim.deletePath, { method: 'POST', headers: { 'anti-csrftoken-a2z': s.csrf }, body: JSON.stringify({ startTime: 0, endTime: sim.control.now() }) });
    t.equal(sim.control.remaining('plain'), 200, 'still there right after');
    const listed = await (await listRecords(sim, s.jar, s.csrf, q(), null)).json() as ListReply;
    t.equal(listed.customerHistoryRecords.length, 10, 'still listed');
    sim.control.advanceClock(61_000);
    t.equal(sim.control.remaining('plain'), 0, 'gone after the delay');
    sim.control.advanceClock(-61_000);
    sim.control.reset('plain');
  });

  t.test('lazy-load stall', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { lazyLoadStall: true });
    const first = await listRecords(sim, s.jar, s.csrf, q(), null);
    t.equal(first.status, 200, 'first page answers');
    const next = (await first.json() as ListReply).encodedRequestToken;
    const aborted = await listRecords(sim, s.jar, s.csrf, q(), next, AbortSignal.timeout(300)).then(() => false, () => true);
    t.ok(aborted, 'the next page never answers');
    sim.control.setFaults('plain', { lazyLoadStall: 50 });
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), next)).status, 200, 'a bounded stall answers late');
    sim.control.clearFaults('plain');
  });

  t.test('redesign level 2 retires the list endpoint', async (t) => {
    const s = await signedIn('plain');
    sim.control.setFaults('plain', { redesign: 2 });
    t.equal((await listRecords(sim, s.jar, s.csrf, q(), null)).status, 404);
    sim.control.clearFaults('plain');
  });
  t.end();
});

t.test('control API over HTTP', async (t) => {
  const accounts = await (await fetch(`${sim.url}/__sim/accounts`)).json() as Array<{ id: string; remaining: number; cookieNames: string[] }>;
  t.same(accounts.map((a) => a.id), ['a', 'sms', 'push', 'plain']);
  t.same(accounts[0].cookieNames, ['at-main', 'sess-at-main']);
  const now = sim.control.now();
  const r = await (await fetch(`${sim.url}/__sim/accounts/a/remaining?from=${now - 86_400_000 * 30}&to=${now}`)).json() as { remaining: number };
  t.equal(r.remaining, sim.control.remaining('a', { from: now - 86_400_000 * 30, to: now }));
  const reset = await (await fetch(`${sim.url}/__sim/accounts/a/reset`, { method: 'POST', body: JSON.stringify({ recordings: 50 }) })).json() as { remaining: number };
  t.equal(reset.remaining, 50, 'reset with a new count');
  const codes = await (await fetch(`${sim.url}/__sim/accounts/a/codes`)).json() as { totp: string };
  t.match(codes.totp, /^\d{6}$/);
  const log = await (await fetch(`${sim.url}/__sim/requests?account=plain&kind=amazon.list`)).json() as Array<{ status: number }>;
  t.ok(log.length > 5 && log.some((e) => e.status === 403), 'request log with statuses');
  t.equal((await fetch(`${sim.url}/__sim/accounts/nobody`)).status, 404);
  t.match(await (await fetch(`${sim.url}/__sim`)).text(), 'voicewipe vendor simulator');
});
