// Evidence as written by a real Chromium: attributes from the short list only, no query strings, transcripts
// masked (Amazon's and Google's), secrets stripped, both files encrypted with the vault's key and tied to their
// place, and pruned after history.evidence_days.
import t from 'tap';
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';
import { captureEvidence, evidenceDir, openEvidence, pruneEvidence, readEvidence, sealEvidence } from '../../src/browser/evidence.ts';
import { loadVaultKey } from '../../src/browser/vault.ts';

const browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS, headless: true });
t.teardown(() => browser.close());

const PASSWORD = 'Hunter2-canary-pw';
const AMAZON = `<!doctype html><html><head>
<meta name="anti-csrftoken-a2z" content="csrf-abc-123"><title>Review Voice History</title>
<script>window.secret = "inline-script"</script></head>
<body data-session="sess-777" onload="x()">
  <a id="help" class="nav" href="/help?session-id=147-7777&ref=x#frag">Help</a>
  <a class="bad" href="javascript:alert(1)">js</a>
  <form action="/ap/signin?openid.return_to=https%3A%2F%2Fsecret" method="post"><input name="password" type="password" value="${PASSWORD}">
    <input type="hidden" name="appActionToken" value="tok-999"></form>
  <img src="https://m.media-amazon.com/x.png?token=img-555" alt="logo" style="background:url(/y?z=1)">
  <div class="apd-content-box" data-utterance-id="utt-123">
    <div class="record-summary-preview customer-transcript">turn on the kitchen lights</div>
    <div class="alexa-response">OK, turning on the kitchen lights</div>
    <div class="record-info"><span class="item">Today 07:12</span><span class="device-name">Anna's Echo Dot</span></div>
    <button class="record-delete-button" aria-label="Delete recording turn on the kitchen lights">Delete</button>
  </div>
  <p class="error">Your password ${PASSWORD} is wrong</p>
</body></html>`;
const GOOGLE = `<!doctype html><html><body><c-wiz>
  <div class="xDtZAf" role="listitem"><div class="QTGV3c">Said “what is the weather in Springfield”</div>
    <button aria-label="Delete activity item Said what is the weather in Springfield">x</button></div>
  <div class="Uy4Rtc"><div class="Cv6Nbe">Said “call mum”</div></div>
  <h2>Assistant activity</h2>
</c-wiz></body></html>`;

async function capture(stateDir: string, url: string, html: string, runId: number, accountId: string) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Served by the test itself: no request leaves the machine.
    await page.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await page.goto(url);
    return await captureEvidence(page, { stateDir, runId, accountId, secrets: [PASSWORD] });
  } finally {
    await context.close();
  }
}

t.test('Amazon: attributes from the list, no queries, transcripts masked, secrets gone, all encrypted', async (t) => {
  const state = t.testdir();
  const evidence = await capture(state, 'https://www.amazon.com/alexa-privacy/apd/rvh?ref=abc&session=zzz', AMAZON, 5, 'kitchen');
  t.equal(evidence.url, 'https://www.amazon.com/alexa-privacy/apd/rvh');
  t.same([evidence.screenshot, evidence.html], ['screenshot.png', 'page.html']);
  const dir = evidenceDir(state, 5, 'kitchen');
  for (const file of ['page.html', 'screenshot.png']) {
    const raw = readFileSync(join(dir, file));
    t.equal(raw.subarray(0, 4).toString(), 'VWE1', `${file} is encrypted`);
    t.notOk(raw.includes('kitchen lights'), `${file}: no clear text on disk`);
  }
  const html = readEvidence(state, 5, 'kitchen', 'page.html').toString('utf8');
  t.match(html, /class="record-summary-preview customer-transcript">\[masked\]</, 'the transcript element is kept, its words are not');
  for (const gone of ['kitchen lights', "Anna's Echo", '07:12', PASSWORD, 'csrf-abc-123', 'tok-999', 'sess-777', 'utt-123', 'session-id', '147-7777',
    'img-555', 'openid', 'inline-script', 'javascript:', 'onload', 'style=', 'data-', '#frag', '?']) {
    t.notOk(html.includes(gone), `no ${gone}`);
  }
  t.match(html, /<a id="help" class="nav" href="https:\/\/www\.amazon\.com\/help">Help<\/a>/, 'links keep scheme, host and path');
  t.match(html, /<form action="https:\/\/www\.amazon\.com\/ap\/signin" method="post">/);
  t.match(html, /aria-label="\[masked\]"/, 'labels inside a record are masked too');
  t.match(html, /Your password \[redacted\] is wrong/, 'known secrets stripped everywhere');
  const png = readEvidence(state, 5, 'kitchen', 'screenshot.png');
  t.equal(png.subarray(1, 4).toString(), 'PNG');
});

t.test('Google: item titles and delete labels masked', async (t) => {
  const state = t.testdir();
  await capture(state, 'https://myactivity.google.com/product/assistant?hl=en&pli=1', GOOGLE, 6, 'nest');
  const html = readEvidence(state, 6, 'nest', 'page.html').toString('utf8');
  t.notMatch(html, /weather|Springfield|mum/);
  t.match(html, /<h2>Assistant activity<\/h2>/, 'the page\'s own words stay');
  t.match(html, /class="QTGV3c">\[masked\]</);
});

t.test('the key and the place: a wrong key or a moved file does not decrypt', async (t) => {
  const state = t.testdir();
  const key = loadVaultKey(state, {});
  const sealed = sealEvidence(key, Buffer.from('<p>x</p>'), 1, 'a', 'page.html');
  t.equal(openEvidence(key, sealed, 1, 'a', 'page.html').toString(), '<p>x</p>');
  t.throws(() => openEvidence(key, sealed, 2, 'a', 'page.html'), 'another run');
  t.throws(() => openEvidence(key, sealed, 1, 'b', 'page.html'), 'another account');
  t.throws(() => openEvidence(Buffer.alloc(32, 7), sealed, 1, 'a', 'page.html'), 'another key');
  // VOICEWIPE_SECRET_KEY (the key kept off the SD card) is the one used when set.
  const envKey = { VOICEWIPE_SECRET_KEY: 'ab'.repeat(32) };
  mkdirSync(evidenceDir(state, 3, 'a'), { recursive: true });
  writeFileSync(join(evidenceDir(state, 3, 'a'), 'page.html'), sealEvidence(loadVaultKey(state, envKey), Buffer.from('hello'), 3, 'a', 'page.html'));
  t.equal(readEvidence(state, 3, 'a', 'page.html', envKey).toString(), 'hello');
  t.throws(() => readEvidence(state, 3, 'a', 'page.html', {}), 'the key file on the card does not open it');
  renameSync(join(evidenceDir(state, 3, 'a'), 'page.html'), join(evidenceDir(state, 3, 'a'), 'screenshot.png'));
  t.throws(() => readEvidence(state, 3, 'a', 'screenshot.png', envKey), 'a renamed file does not open');
});

t.test('evidence is kept evidence_days, then removed', async (t) => {
  const state = t.testdir();
  const now = Date.now();
  for (const [run, ageDays] of [[1, 10], [2, 8], [3, 6], [4, 0]] as const) {
    const dir = evidenceDir(state, run, 'a');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'page.html'), 'x');
    const at = (now - ageDays * 86_400_000) / 1000;
    utimesSync(join(state, 'evidence', String(run)), at, at);
  }
  // Run 1 paused its account (over_deleted): kept while the account is paused.
  t.equal(pruneEvidence(state, 7, { now, keep: [1] }), 1);
  t.same([1, 2, 3, 4].map((r) => existsSync(join(state, 'evidence', String(r)))), [true, false, true, true]);
  t.equal(pruneEvidence(state, 7, { now }), 1, 'once acknowledged, the next prune takes it');
  t.same([1, 2, 3, 4].map((r) => existsSync(join(state, 'evidence', String(r)))), [false, false, true, true]);
  t.equal(pruneEvidence(state, 0, { now }), 2, 'evidence_days 0 keeps none');
  t.equal(pruneEvidence(join(state, 'nowhere'), 7, { now }), 0, 'no evidence folder is fine');
});
