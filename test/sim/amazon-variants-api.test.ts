// The Amazon variants of issue 13 over loopback HTTP (no browser): the variant and sign-in control API, 10 records
// per list call, the Review Alexa History list call and the empty classic one, its deletes, the deleted log, the
// e-mailed code on /ap/cvf, the #ap_email_login field, and the combinations sim/amazon/variants.ts offers.
import t from 'tap';
import { startSimulator, DEFAULT_VARIANT, allVariants, sampledVariants } from '../../sim/server.ts';
import type { Simulator } from '../../sim/server.ts';
import { MATRIX_MARKETPLACES, MATRIX_TIME_ZONES, VARIANT_DIMENSIONS, randomVariantCase, resolveVariant } from '../../sim/amazon/variants.ts';
import { Jar, signedIn as signedInAs, hiddenField, listRecords, postForm, request } from './fixtures/http.ts';
import type { ListReply } from './fixtures/http.ts';

let sim: Simulator;
t.before(async () => {
  sim = await startSimulator({
    seed: 11,
    accounts: [
      { id: 'rah', vendor: 'amazon', email: 'rah@example.com', password: 'pw-rah', recordings: 300, spanDays: 40, variant: { page: 'rah' } },
      { id: 'mail', vendor: 'amazon', email: 'mail@example.de', password: 'pw-mail', mfa: 'email', marketplace: 'de', recordings: 20 },
      { id: 'big', vendor: 'amazon', email: 'big@example.com', password: 'pw-big', recordings: 300, spanDays: 40, variant: { pageSize10: false } },
    ],
  });
});
t.teardown(() => sim?.close());

const signedIn = (id: string) => signedInAs(sim, id);

interface RahReply {
  alexaHistoryRecords: Array<{ activityKey?: string; recordType: string; timestamp: number; recordKey?: string; device: { serialNumber: string } }>;
  paginationToken: string | null;
}
function listRah(jar: Jar, csrf: string, query: string, previous: string | null): Promise<Response> {
  return request(sim, jar, `/alexa-privacy/apd/rah/alexa-history-records-v2?${query}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': csrf }, body: JSON.stringify({ previousRequestToken: previous }),
  });
}
const rahDelete = (jar: Jar, csrf: string, body: unknown) => request(sim, jar, '/alexa-privacy/apd/rah/delete-alexa-history-records', {
  method: 'POST', headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': csrf }, body: JSON.stringify(body),
});

t.test('variant control API: defaults, merge, null resets, bad values refused', async (t) => {
  t.same(sim.control.variant('big'), { ...resolveVariant({ ...DEFAULT_VARIANT, pageSize10: false }, 'com') }, 'options set the variant');
  const de = sim.control.variant('mail');
  t.match(de, { page: 'rvh', filterDepth: 2, language: 'de', dateOrder: 'dmy.', datePattern: 'DD.MM.YYYY', locale: 'de-DE', pageSize10: true, apply: true });
  const put = await fetch(`${sim.url}/__sim/accounts/mail/variant`, { method: 'PUT', body: JSON.stringify({ language: 'en', filterDepth: 0 }) });
  t.equal(put.status, 200);
  t.match(await put.json(), { language: 'en', dateOrder: 'dmy', datePattern: 'DD/MM/YYYY', filterDepth: 0, apply: true }, 'English .de page: day-first with slashes');
  t.match(await (await fetch(`${sim.url}/__sim/accounts/mail/variant`)).json(), { filterDepth: 0 });
  t.match(sim.control.setVariant('mail', { language: null, filterDepth: null } as never), { language: 'de', filterDepth: 2 }, 'null goes back to the default');
  const bad = await fetch(`${sim.url}/__sim/accounts/mail/variant`, { method: 'PUT', body: JSON.stringify({ filterDepth: 3 }) });
  t.equal(bad.status, 400);
  t.match((await bad.json() as { error: string }).error, /filterDepth must be one of 2, 1, 0/);
  t.throws(() => sim.control.setVariant('mail', { colour: 'red' } as never), /unknown variant "colour"/);
  t.throws(() => sim.control.addAccount({ email: 'x@example.com', variant: { page: 'new' } as never }), /page must be one of/);
  t.match(sim.control.account('rah'), { variant: { page: 'rah' } }, 'account summary carries the variant');
  sim.control.reset('mail');
  t.equal(sim.control.variant('mail').page, 'rvh', 'a reset keeps the variant');
});

t.test('list calls: 10 per call whatever maxRecordSize says; the flag off honours it', async (t) => {
  const { jar, csrf } = await signedIn('big');
  const q = `startTime=0&endTime=${sim.control.now()}&recordType=VOICE_HISTORY&maxRecordSize=100`;
  t.equal((await (await listRecords(sim, jar, csrf, q, null)).json() as ListReply).customerHistoryRecords.length, 100, 'pageSize10 off: 100');
  sim.control.setVariant('big', { pageSize10: true });
  const keys = new Set<string>();
  let previous: string | null = null;
  let calls = 0;
  do {
    const page = await (await listRecords(sim, jar, csrf, q, previous)).json() as ListReply;
    if (page.encodedRequestToken) t.equal(page.customerHistoryRecords.length, 10, `call ${calls + 1}: 10 records`);
    for (const r of page.customerHistoryRecords) keys.add(r.recordKey);
    previous = page.encodedRequestToken;
    calls++;
  } while (previous && calls < 100);
  t.equal(keys.size, 300, 'all 300 after de-duplication');
  t.ok(calls >= 34, `${calls} calls: pages overlap by one record`);
  t.end();
});

t.test('Review Alexa History account: rah list call, activityKey on some types only, classic call 200 and empty', async (t) => {
  const { jar, csrf } = await signedIn('rah');
  const page = await (await request(sim, jar, '/alexa-privacy/apd/rvh')).text();
  t.match(page, '<title>Review Alexa History</title>', 'the page at /rvh is Review Alexa History');
  const q = `startTime=0&endTime=${sim.control.now()}`;
  const classic = await listRecords(sim, jar, csrf, q, null);
  t.equal(classic.status, 200, 'classic list call answers 200');
  t.same(await classic.json(), { customerHistoryRecords: [], encodedRequestToken: null, noDataFoundWithinTimeLimit: true, lastRecordTimestamp: null }, '… with an empty list');
  t.equal(sim.control.requests({ account: 'rah', kind: 'amazon.list.empty_rah' }).length, 1, 'logged as such');

  const all: RahReply['alexaHistoryRecords'] = [];
  let previous: string | null = null;
  let calls = 0;
  do {
    const res = await listRah(jar, csrf, q, previous);
    t.equal(res.status, 200);
    const body = await res.json() as RahReply;
    all.push(...body.alexaHistoryRecords);
    previous = body.paginationToken;
    calls++;
  } while (previous && calls < 100);
  const unique = new Map(all.map((r) => [r.activityKey ?? `${r.recordType}#${r.timestamp}#${r.device.serialNumber}`, r]));
  t.equal(unique.size, 300, 'every record once, keyed by activityKey or type + time + device');
  t.ok(all.every((r) => r.recordKey === undefined), 'no recordKey on the new page');
  const withKey = [...unique.values()].filter((r) => r.activityKey);
  const without = [...unique.values()].filter((r) => !r.activityKey);
  t.ok(withKey.length > 0 && without.length > 0, `${withKey.length} with an activityKey, ${without.length} without`);
  t.ok(withKey.every((r) => r.recordType === 'VOICE_INTERACTION'), 'voice interactions carry the key');
  t.ok(without.every((r) => ['WAKE_WORD_ONLY', 'UNINTENDED_AUDIO'].includes(r.recordType)), 'other types do not');
  t.equal((await listRah(jar, 'stale', q, null)).status, 403, 'rah call needs the CSRF token');
  // The older body field is accepted too.
  const first = await (await listRah(jar, csrf, q, null)).json() as RahReply;
  const second = await request(sim, jar, `/alexa-privacy/apd/rah/alexa-history-records-v2?${q}`, {
    method: 'POST', headers: { 'anti-csrftoken-a2z': csrf }, body: JSON.stringify({ paginationToken: first.paginationToken }) });
  t.equal(((await second.json()) as RahReply).alexaHistoryRecords[0].timestamp, first.alexaHistoryRecords.at(-1)!.timestamp, 'paginationToken body: next page overlaps');

  // Deletes: by activityKey, by type + time + device, by range; each noted in the deleted log.
  const before = sim.control.remaining('rah');
  t.equal((await rahDelete(jar, csrf, { activityKeys: [withKey[0].activityKey] })).status, 200);
  const w = without[0];
  t.equal((await rahDelete(jar, csrf, { records: [{ recordType: w.recordType, timestamp: w.timestamp, deviceSerialNumber: w.device.serialNumber }] })).status, 200);
  t.equal(sim.control.remaining('rah'), before - 2, 'two per-item deletes');
  t.equal((await rahDelete(jar, csrf, { records: [{ recordType: 'VOICE_INTERACTION', timestamp: w.timestamp, deviceSerialNumber: w.device.serialNumber }] })).status, 404, 'a wrong type names no record');
  t.equal((await rahDelete(jar, csrf, { activityKeys: ['amzn1.alexa.activity.bm9uZQ'] })).status, 404, 'an unknown key is refused');
  const cut = sim.control.now() - 20 * 86_400_000;
  const older = sim.control.remaining('rah', { to: cut });
  t.equal((await rahDelete(jar, csrf, { startTime: 0, endTime: cut })).status, 200);
  t.equal(sim.control.remaining('rah', { to: cut }), 0, 'range deleted');
  const log = sim.control.deletedLog('rah');
  t.equal(log.length, older + 2, 'deleted log: every record');
  t.same([...new Set(log.map((e) => e.via))], ['item', 'range']);
  t.ok(sim.control.deletedLog('rah', { from: cut + 1 }).every((e) => e.via === 'item'), 'nothing newer than the cut was range-deleted');
  const http = await (await fetch(`${sim.url}/__sim/accounts/rah/deleted?to=${cut}`)).json() as Array<{ ts: number; at: number; via: string }>;
  t.ok(http.length >= older && http.every((e) => e.ts <= cut && typeof e.at === 'number'), 'GET /__sim/accounts/<id>/deleted?to=');
  sim.control.setVariant('rah', { rangeDelete: 'none' });
  t.equal((await rahDelete(jar, csrf, { startTime: 0, endTime: sim.control.now() })).status, 400, 'rangeDelete none: the backend refuses a range too');
  sim.control.reset('rah');
  t.same(sim.control.deletedLog('rah'), [], 'a reset clears the deleted log');
});

t.test('classic deletes are logged with the records\' own timestamps', async (t) => {
  sim.control.reset('big');
  const { jar, csrf } = await signedIn('big');
  const del = (body: unknown) => request(sim, jar, sim.deletePath, { method: 'POST', headers: { 'anti-csrftoken-a2z': csrf }, body: JSON.stringify(body) });
  const first = await (await listRecords(sim, jar, csrf, `startTime=0&endTime=${sim.control.now()}`, null)).json() as ListReply;
  await del({ recordKeys: [first.customerHistoryRecords[0].recordKey] });
  t.same(sim.control.deletedLog('big').map((e) => [e.ts, e.via]), [[first.customerHistoryRecords[0].timestamp, 'item']]);
  const cut = sim.control.now() - 30 * 86_400_000;
  const n = sim.control.remaining('big', { to: cut });
  sim.control.setFaults('big', { eventualConsistencyMs: 60_000 });
  await del({ startTime: 0, endTime: cut });
  t.equal(sim.control.deletedLog('big', { to: cut }).length, n, 'eventually consistent deletes are logged when accepted');
  sim.control.setFaults('big', { eventualConsistencyMs: null, silentDelete: true } as never);
  await del({ startTime: 0, endTime: sim.control.now() });
  t.equal(sim.control.deletedLog('big').length, n + 1, 'a silent no-op deletes (and logs) nothing');
  sim.control.clearFaults('big');
});

t.test('sign-in: #ap_email_login field, e-mailed code on /ap/cvf', async (t) => {
  t.same(sim.control.signin(), { style: 'email-first', emailField: 'ap_email' });
  const put = await fetch(`${sim.url}/__sim/signin`, { method: 'PUT', body: JSON.stringify({ emailField: 'ap_email_login' }) });
  t.same(await put.json(), { style: 'email-first', emailField: 'ap_email_login' });
  const jar = new Jar();
  const page = await (await request(sim, jar, '/ap/signin')).text();
  t.match(page, /<label class="a-form-label" for="ap_email_login">Enter mobile number or email<\/label>/);
  t.match(page, /id="ap_email_login" name="email"/);
  t.notMatch(page, 'id="ap_email"');
  t.equal((await fetch(`${sim.url}/__sim/signin`, { method: 'PUT', body: JSON.stringify({ emailField: 'email' }) })).status, 400, 'bad value refused');
  sim.control.setSignin({ emailField: 'ap_email', style: 'combined' });
  t.match(await (await request(sim, new Jar(), '/ap/signin')).text(), 'id="ap_password"', 'style through setSignin');
  sim.control.setSignin({ style: 'email-first' });

  const wf = hiddenField(page, 'workflowState');
  let res = await postForm(sim, jar, '/ap/signin', { workflowState: wf, email: 'mail@example.de', password: 'pw-mail' });
  t.equal(res.headers.get('location'), `/ap/cvf?arb=${wf}`, 'e-mailed code asked for on /ap/cvf');
  const cvf = await (await request(sim, jar, res.headers.get('location')!)).text();
  t.match(cvf, 'id="cvf-input-code"');
  t.match(cvf, 'name="code"');
  t.match(cvf, /sent a One Time Password \(OTP\) to the email m\*\*\*@example\.de/);
  const codes = sim.control.codes('mail');
  t.match(codes, { email: /^\d{6}$/, sms: null, totp: null });
  res = await postForm(sim, jar, '/ap/cvf/verify', { workflowState: wf, code: '000000' });
  t.match(await res.text(), /auth-error-message-box[\s\S]*Invalid OTP/, 'a wrong code: error, same page');
  res = await postForm(sim, jar, '/ap/cvf/verify', { workflowState: wf, code: codes.email! });
  t.equal(res.headers.get('location'), '/alexa-privacy/apd/rvh', 'the code a person reads signs in');
  t.ok(jar.cookies.has('at-acbde'), 'signed in');
  t.same(await (await fetch(`${sim.url}/__sim/accounts/mail/codes`)).json(), { ...codes, totp: null, captcha: null }, 'codes over HTTP');
});

t.test('variants.ts: every combination that matters, and a sample covering every value', async (t) => {
  const all = allVariants();
  t.equal(new Set(all.map((c) => c.name)).size, all.length, `${all.length} cases, unique names`);
  for (const m of ['com', 'co.uk', 'de', 'co.jp', 'in']) t.ok(all.some((c) => c.marketplace === m), `marketplace .${m}`);
  t.same(new Set(all.map((c) => c.timeZone)), new Set(MATRIX_TIME_ZONES), 'every time zone');
  for (const m of MATRIX_MARKETPLACES) {
    const zones = new Set(all.filter((c) => c.marketplace === m).map((c) => c.timeZone));
    t.equal(zones.size, MATRIX_TIME_ZONES.length, `.${m} meets every time zone`);
  }
  const sample = sampledVariants();
  t.ok(sample.length <= 12 && sample.length >= 6, `${sample.length} sampled cases`);
  const seen = (dim: string, value: unknown) => sample.some((c) => ({ ...DEFAULT_VARIANT, ...c.variant } as Record<string, unknown>)[dim] === value);
  for (const dim of ['page', 'filterDepth', 'radioIcon', 'dateInput', 'apply', 'pageSize10', 'rangeDelete'] as const) {
    for (const value of VARIANT_DIMENSIONS[dim]) t.ok(seen(dim, value), `sample covers ${dim}=${String(value)}`);
  }
  for (const m of ['com', 'co.uk', 'de', 'co.jp', 'in']) t.ok(sample.some((c) => c.marketplace === m), `sample covers .${m}`);
  t.ok(sample.some((c) => c.signin.emailField === 'ap_email_login') && sample.some((c) => c.signin.style === 'combined'), 'sample covers the sign-in forms');
  t.same(sampledVariants().map((c) => c.name), sample.map((c) => c.name), 'deterministic');
  t.equal(sampledVariants(30).length, 30, 'a bigger sample on request');
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const randoms = Array.from({ length: 200 }, () => randomVariantCase(rand));
  t.ok(randoms.some((c) => c.variant.dateOrder !== 'marketplace') && randoms.some((c) => c.variant.language === 'de' && c.marketplace !== 'de'),
    'random cases reach forced orders and languages');
  for (const c of randoms.slice(0, 20)) sim.control.addAccount({ id: `random-${randoms.indexOf(c)}`, email: `random-${randoms.indexOf(c)}@example.com`, marketplace: c.marketplace, variant: c.variant, recordings: 1 });
  // Every case can be served: the account accepts its variant and marketplace.
  for (const c of all.slice(0, 40)) sim.control.addAccount({ id: `case-${all.indexOf(c)}`, email: `case-${all.indexOf(c)}@example.com`, marketplace: c.marketplace, variant: c.variant, recordings: 1 });
  t.pass('cases accepted by addAccount');
});
