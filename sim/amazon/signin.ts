// Amazon sign-in: `/ap/signin` (email-first or combined), `/ax/claim`, the password step with "Keep me signed in",
// `/ap/cvf` (captcha, push approval, e-mailed code), `/ap/mfa` (authenticator or SMS code with "Don't ask for codes on this
// browser"), `/webauthn/nudge` (passkey upsell). Field ids follow vendors/alexa.md.
import { randomInt } from 'node:crypto';
import { totpValid } from '../../src/providers/totp.ts';
import { clearCookie, escapeHtml, form, html, json, localPath, redirect, setCookie } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import { cookieSuffix, token } from '../state.ts';
import type { AccountState, SimState } from '../state.ts';
import { automationProbe, noteAutomation, takeCaptchaOwed } from '../automation.ts';
import { finishOAuth, oauthRequest } from './app-device.ts';
import type { OAuthRequest } from './app-device.ts';
import { signinShell } from './pages.ts';

export const RVH_PATH = '/alexa-privacy/apd/rvh';

type Stage = 'email' | 'password' | 'captcha' | 'mfa' | 'push' | 'nudge' | 'email-code';

interface SignInFlow {
  id: string;
  accountId?: string;
  returnTo: string;
  stage: Stage;
  rememberMe: boolean;
  /** The Alexa app's OAuth sign-in (openid.oa2.*): ends on /ap/maplanding with a code. */
  oauth?: OAuthRequest;
}

// Sign-in flows and "don't ask again on this browser" device tokens, per simulator instance.
const flows = new WeakMap<SimState, Map<string, SignInFlow>>();
const trustedDevices = new WeakMap<SimState, Map<string, string>>();

function flowsOf(state: SimState): Map<string, SignInFlow> {
  let m = flows.get(state);
  if (!m) { m = new Map(); flows.set(state, m); }
  return m;
}
function devicesOf(state: SimState): Map<string, string> {
  let m = trustedDevices.get(state);
  if (!m) { m = new Map(); trustedDevices.set(state, m); }
  return m;
}

/** The Amazon session of this request: any `at-<marketplace>` cookie that names a live session. */
export function amazonSession(ctx: Ctx) {
  for (const [name, value] of Object.entries(ctx.cookies)) {
    if (!name.startsWith('at-')) continue;
    const s = ctx.state.liveSession(value, 'amazon');
    if (s) return s;
  }
  return undefined;
}

export function signinUrl(returnTo: string): string {
  return `/ap/signin?openid.return_to=${encodeURIComponent(returnTo)}&openid.mode=checkid_setup&openid.assoc_handle=amzn_alexa_privacy`;
}

function currentFlow(ctx: Ctx, create: boolean): SignInFlow | undefined {
  const id = form(ctx).get('workflowState') ?? ctx.url.searchParams.get('arb') ?? '';
  const all = flowsOf(ctx.state);
  const found = all.get(id);
  if (found || !create) return found;
  const returnTo = localPath(form(ctx).get('openid.return_to') ?? ctx.url.searchParams.get('openid.return_to'), RVH_PATH);
  const flow: SignInFlow = { id: token(12), returnTo, stage: 'email', rememberMe: false, oauth: oauthRequest(ctx) };
  all.set(flow.id, flow);
  if (all.size > 1000) all.delete(all.keys().next().value!);
  return flow;
}

function flowAccount(ctx: Ctx, flow: SignInFlow | undefined): AccountState | undefined {
  return flow?.accountId ? ctx.state.accounts.get(flow.accountId) : undefined;
}

/** Which account a sign-in request is about, so its faults (latency, 429, 503) apply to sign-in too. */
export function identifySignIn(ctx: Ctx): AccountState | undefined {
  const flow = currentFlow(ctx, false);
  if (flow) return flowAccount(ctx, flow);
  const email = form(ctx).get('email');
  return email ? ctx.state.findByEmail('amazon', email) : undefined;
}

function hidden(flow: SignInFlow): string {
  return `<input type="hidden" name="appActionToken" value="${token(16)}"><input type="hidden" name="workflowState" value="${flow.id}">
<input type="hidden" name="openid.return_to" value="${escapeHtml(flow.returnTo)}">${automationProbe()}`;
}

function errorBox(message: string | undefined): string {
  if (!message) return '';
  return `<div id="auth-error-message-box" class="a-box a-alert a-alert-error auth-server-side-message-box" role="alert">
<h4 class="a-alert-heading">There was a problem</h4><div class="a-alert-content"><ul class="a-unordered-list"><li><span class="a-list-item">${escapeHtml(message)}</span></li></ul></div></div>`;
}

const LEGAL = `<div class="a-fine">By continuing, you agree to Amazon's <a href="#">Conditions of Use</a> and <a href="#">Privacy Notice</a>.</div>`;
const NEW_TO = `<div class="a-divider"><span>New to Amazon?</span></div><a class="a-button-secondary" id="createAccountSubmit" href="#">Create your Amazon account</a>`;

function emailPage(ctx: Ctx, flow: SignInFlow, error?: string, combined = false): void {
  const email = form(ctx).get('email') ?? '';
  const password = combined ? `<div class="a-row"><label class="a-form-label" for="ap_password">Password</label>
<input type="password" id="ap_password" name="password" class="a-input-text" autocomplete="current-password"></div>
<div class="a-row"><input id="signInSubmit" class="a-button-primary" type="submit" value="Sign in"></div>
<label class="a-checkbox"><input type="checkbox" name="rememberMe" value="true"> <span>Keep me signed in.</span></label>`
    : `<div class="a-row"><input id="continue" class="a-button-primary" type="submit" value="Continue" aria-labelledby="continue-announce"><span id="continue-announce" hidden>Continue</span></div>`;
  html(ctx, signinShell('Amazon Sign-In', `${errorBox(error)}<form name="signIn" method="post" action="/ap/signin" novalidate>${hidden(flow)}
<div class="a-box"><h1>Sign in</h1>
${emailField(ctx.state.signin.emailField, email)}
${password}${LEGAL}</div></form>${NEW_TO}`));
}

/** The email field: the documented `#ap_email`, or the 2025–2026 `#ap_email_login` ("Enter mobile number or email"). */
function emailField(kind: 'ap_email' | 'ap_email_login', email: string): string {
  const label = kind === 'ap_email_login' ? 'Enter mobile number or email' : 'Email or mobile phone number';
  return `<div class="a-row"><label class="a-form-label" for="${kind}">${label}</label>
<input type="email" maxlength="128" id="${kind}" name="email" value="${escapeHtml(email)}" class="a-input-text" autocomplete="username"></div>`;
}

/** `/ap/cvf` asking for a code sent by e-mail: a person has to read their mail. */
function emailCodePage(ctx: Ctx, flow: SignInFlow, acct: AccountState, error?: string): void {
  const masked = acct.account.email.replace(/^(.).*(@.*)$/, '$1***$2');
  html(ctx, signinShell('Authentication required', `${errorBox(error)}<form id="verification-code-form" method="post" action="/ap/cvf/verify">${hidden(flow)}
<div class="a-box"><h1>Verify it's you</h1>
<p>To continue, complete this verification step. We've sent a One Time Password (OTP) to the email ${escapeHtml(masked)}. Please enter it below.</p>
<div class="a-row"><label class="a-form-label" for="cvf-input-code">Enter OTP</label>
<input type="tel" id="cvf-input-code" name="code" maxlength="6" class="a-input-text" autocomplete="one-time-code"></div>
<div class="a-row"><input class="a-button-primary" id="cvf-submit-otp-button" type="submit" value="Submit code"></div>
<a id="cvf-resend-link" href="#">Resend OTP</a></div></form>`));
}

function passwordPage(ctx: Ctx, flow: SignInFlow, email: string, error?: string): void {
  html(ctx, signinShell('Amazon Sign-In', `${errorBox(error)}<form name="signIn" method="post" action="/ap/signin" novalidate>${hidden(flow)}
<input type="hidden" name="email" value="${escapeHtml(email)}">
<div class="a-box"><h1>Sign in</h1>
<div class="email-line">${escapeHtml(email)} <a id="ap_change_login_claim" href="${escapeHtml(signinUrl(flow.returnTo))}">Change</a></div>
<div class="a-row"><div style="display:flex;justify-content:space-between"><label class="a-form-label" for="ap_password">Password</label>
<a id="auth-fpp-link-bottom" href="#" style="font-size:13px">Forgot your password?</a></div>
<input type="password" id="ap_password" name="password" class="a-input-text" autocomplete="current-password"></div>
<div class="a-row"><input id="signInSubmit" class="a-button-primary" type="submit" value="Sign in"></div>
<label class="a-checkbox"><input type="checkbox" name="rememberMe" value="true"> <span>Keep me signed in. <a href="#">Details</a></span></label>
</div></form>`));
}

/** A captcha as an inline SVG: readable by a person, not by a selector. */
function captchaSvg(answer: string): string {
  const letters = [...answer].map((ch, i) => {
    const rot = randomInt(-25, 26);
    return `<text x="${18 + i * 30}" y="${42 + randomInt(-6, 7)}" font-size="34" font-family="Georgia,serif" font-style="italic" fill="#333" transform="rotate(${rot} ${18 + i * 30} 40)">${ch}</text>`;
  }).join('');
  const noise = Array.from({ length: 6 }, () => `<path d="M0 ${randomInt(10, 60)} Q100 ${randomInt(0, 70)} 200 ${randomInt(10, 60)}" stroke="#999" fill="none"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="70"><rect width="200" height="70" fill="#f3f3f3"/>${noise}${letters}</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function captchaPage(ctx: Ctx, flow: SignInFlow, acct: AccountState, error?: string): void {
  const alphabet = 'ABCDEFGHJKLMNPRTUVWXY';
  acct.captchaAnswer = Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
  html(ctx, signinShell('Authentication required', `${errorBox(error)}<form method="post" action="/ap/cvf/verify">${hidden(flow)}
<div class="a-box"><h1>Solve this puzzle to protect your account</h1>
<div class="a-row"><img id="auth-captcha-image" alt="Visual CAPTCHA image, continue down for an audio option." src="${captchaSvg(acct.captchaAnswer)}" width="200" height="70"></div>
<div class="a-row"><label class="a-form-label" for="captchacharacters">Type characters</label>
<input type="text" id="captchacharacters" name="cvf_captcha_input" class="a-input-text" autocomplete="off"></div>
<div class="a-row"><input class="a-button-primary" id="cvf-submit" type="submit" value="Continue"></div></div></form>`));
}

function mfaPage(ctx: Ctx, flow: SignInFlow, acct: AccountState, error?: string): void {
  const sms = acct.account.mfa === 'sms';
  const lead = sms
    ? 'For added security, please enter the One Time Password (OTP) that has been sent to your phone number ending in 42.'
    : 'Enter the OTP from the Authenticator App.';
  html(ctx, signinShell('Two-Step Verification', `${errorBox(error)}<form id="auth-mfa-form" method="post" action="/ap/mfa">${hidden(flow)}
<input type="hidden" name="otpDeviceContext" value="${sms ? 'SMS' : 'TOTP'}">
<div class="a-box"><h1>Two-Step Verification</h1><p>${lead}</p>
<div class="a-row"><label class="a-form-label" for="auth-mfa-otpcode">Enter OTP</label>
<input type="tel" id="auth-mfa-otpcode" name="otpCode" maxlength="20" class="a-input-text" autocomplete="one-time-code"></div>
<label class="a-checkbox"><input type="checkbox" id="auth-mfa-remember-device" name="rememberDevice" value="true"> <span>Don't require OTP on this browser</span></label>
<div class="a-row"><input id="auth-signin-button" class="a-button-primary" type="submit" value="Sign in"></div>
${sms ? '<a id="auth-get-new-otp-link" href="#">Resend OTP</a>' : '<a href="#">Didn\'t receive the OTP?</a>'}</div></form>`));
}

function pushPage(ctx: Ctx, flow: SignInFlow): void {
  html(ctx, signinShell('Approve the notification', `<div class="a-box" id="channelDetailsForTransactionApproval">
<h1>Approve the notification sent to your device</h1>
<p>To continue, approve the notification sent to your Amazon Shopping app. This page will update after you approve it.</p>
<p class="transaction-approval-word-break" style="color:#565959">Waiting for approval…</p>
<a href="${escapeHtml(signinUrl(flow.returnTo))}">Try another way to sign in</a></div>
<script>setInterval(async()=>{const r=await fetch('/ap/cvf/approval/poll?arb=${flow.id}');const j=await r.json();
if(j.approved)location.href='/ap/cvf/approval/done?arb=${flow.id}';},1000);</script>`));
}

/** The step after a correct password (or captcha): 2-step page, push approval, or done. */
function afterPassword(ctx: Ctx, flow: SignInFlow, acct: AccountState): void {
  const f = acct.faults;
  if (f.captchaNextSignIn || takeCaptchaOwed(flow)) { flow.stage = 'captcha'; redirect(ctx, `/ap/cvf?arb=${flow.id}`, 303); return; }
  const suffix = cookieSuffix(acct.account.marketplace);
  const trusted = devicesOf(ctx.state).get(ctx.cookies[`rmd-${suffix}`] ?? '') === acct.account.id;
  if (acct.account.mfa === 'none' || (trusted && acct.account.mfa !== 'push')) { finish(ctx, flow, acct); return; }
  if (acct.account.mfa === 'push') { flow.stage = 'push'; acct.pushApproved = false; redirect(ctx, `/ap/cvf?arb=${flow.id}`, 303); return; }
  if (acct.account.mfa === 'email') { flow.stage = 'email-code'; redirect(ctx, `/ap/cvf?arb=${flow.id}`, 303); return; }
  flow.stage = 'mfa';
  redirect(ctx, `/ap/mfa?arb=${flow.id}`, 303);
}

/** Signed in: session cookies named for the marketplace, then the passkey nudge or the page asked for. */
function finish(ctx: Ctx, flow: SignInFlow, acct: AccountState): void {
  const session = ctx.state.newSession(acct.account.id, 'amazon');
  const suffix = cookieSuffix(acct.account.marketplace);
  // "Keep me signed in" makes the cookies outlive the browser; the server-side lifetime applies either way.
  const maxAgeSeconds = flow.rememberMe ? Math.floor(ctx.state.sessionLifetimeMs / 1000) : undefined;
  setCookie(ctx, 'session-id', `${randomInt(100, 999)}-${randomInt(1e6, 1e7 - 1)}-${randomInt(1e6, 1e7 - 1)}`, { maxAgeSeconds, httpOnly: false });
  setCookie(ctx, `ubid-${suffix}`, `${randomInt(100, 999)}-${randomInt(1e6, 1e7 - 1)}-${randomInt(1e6, 1e7 - 1)}`, { maxAgeSeconds, httpOnly: false });
  setCookie(ctx, `at-${suffix}`, session.id, { maxAgeSeconds });
  setCookie(ctx, `sess-at-${suffix}`, session.id, { maxAgeSeconds });
  setCookie(ctx, `x-${suffix}`, token(8), { maxAgeSeconds, httpOnly: false });
  flowsOf(ctx.state).delete(flow.id);
  ctx.kind = 'amazon.signin.done';
  if (flow.oauth) { finishOAuth(ctx, flow.oauth, acct); return; }
  if (acct.account.passkeyNudge) {
    redirect(ctx, `/webauthn/nudge?openid.return_to=${encodeURIComponent(flow.returnTo)}`, 303);
    return;
  }
  redirect(ctx, flow.returnTo, 303);
}

function getSignin(ctx: Ctx): void {
  const flow = currentFlow(ctx, true)!;
  const combined = ctx.url.pathname === '/ap/signin' && (ctx.url.searchParams.get('style') === 'combined' || ctx.state.signin.style === 'combined');
  ctx.kind = 'amazon.signin.page';
  emailPage(ctx, flow, undefined, combined);
}

function postSignin(ctx: Ctx): void {
  const f = form(ctx);
  const flow = currentFlow(ctx, true)!;
  const email = (f.get('email') ?? '').trim();
  ctx.kind = 'amazon.signin.submit';
  const acct = email ? ctx.state.findByEmail('amazon', email) : undefined;
  if (!acct) {
    emailPage(ctx, flow, email ? 'We cannot find an account with that email address' : 'Enter your email or mobile phone number');
    return;
  }
  flow.accountId = acct.account.id;
  const password = f.get('password');
  if (password === null) { flow.stage = 'password'; passwordPage(ctx, flow, email); return; }
  if (password !== acct.account.password) {
    ctx.kind = 'amazon.signin.bad_password';
    passwordPage(ctx, flow, email, 'Your password is incorrect');
    return;
  }
  flow.rememberMe = f.get('rememberMe') === 'true';
  noteAutomation(ctx, flow);
  afterPassword(ctx, flow, acct);
}

function getCvf(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  if (!flow || !acct) { redirect(ctx, signinUrl(RVH_PATH)); return; }
  if (flow.stage === 'captcha') { ctx.kind = 'amazon.signin.captcha'; captchaPage(ctx, flow, acct); return; }
  if (flow.stage === 'push') { ctx.kind = 'amazon.signin.push'; pushPage(ctx, flow); return; }
  if (flow.stage === 'email-code') { ctx.kind = 'amazon.signin.email_code'; emailCodePage(ctx, flow, acct); return; }
  redirect(ctx, signinUrl(flow.returnTo));
}

function postCaptcha(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  if (flow && acct && flow.stage === 'email-code') { verifyEmailCode(ctx, flow, acct); return; }
  if (!flow || !acct || flow.stage !== 'captcha') { redirect(ctx, signinUrl(RVH_PATH), 303); return; }
  const answer = (form(ctx).get('cvf_captcha_input') ?? '').trim().toUpperCase();
  if (!acct.captchaAnswer || answer !== acct.captchaAnswer) {
    captchaPage(ctx, flow, acct, 'Enter the characters as they are shown in the image.');
    return;
  }
  delete acct.faults.captchaNextSignIn;
  acct.captchaAnswer = '';
  afterPassword(ctx, flow, acct);
}

function verifyEmailCode(ctx: Ctx, flow: SignInFlow, acct: AccountState): void {
  const ok = (form(ctx).get('code') ?? '').replace(/\s/g, '') === acct.emailCode;
  ctx.kind = ok ? 'amazon.signin.email_code_ok' : 'amazon.signin.email_code_bad';
  if (!ok) { emailCodePage(ctx, flow, acct, 'Invalid OTP. Please check your code and try again.'); return; }
  finish(ctx, flow, acct);
}

function pollPush(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  json(ctx, { approved: !!acct && flow?.stage === 'push' && acct.pushApproved });
}

function pushDone(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  if (!flow || !acct || flow.stage !== 'push' || !acct.pushApproved) { redirect(ctx, signinUrl(RVH_PATH)); return; }
  acct.pushApproved = false;
  finish(ctx, flow, acct);
}

function getMfa(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  if (!flow || !acct || flow.stage !== 'mfa') { redirect(ctx, signinUrl(RVH_PATH)); return; }
  ctx.kind = 'amazon.signin.mfa';
  mfaPage(ctx, flow, acct);
}

function postMfa(ctx: Ctx): void {
  const flow = currentFlow(ctx, false);
  const acct = flowAccount(ctx, flow);
  if (!flow || !acct || flow.stage !== 'mfa') { redirect(ctx, signinUrl(RVH_PATH), 303); return; }
  const f = form(ctx);
  const code = (f.get('otpCode') ?? '').replace(/\s/g, '');
  const a = acct.account;
  const ok = a.mfa === 'sms' ? code === acct.smsCode : !!a.totpSecret && /^\d{6}$/.test(code) && totpValid(a.totpSecret, code, ctx.state.now());
  ctx.kind = ok ? 'amazon.signin.mfa_ok' : 'amazon.signin.mfa_bad';
  if (!ok) { mfaPage(ctx, flow, acct, 'The code you entered is not valid. Please check the code and try again.'); return; }
  if (f.get('rememberDevice') === 'true') {
    const device = token(16);
    devicesOf(ctx.state).set(device, a.id);
    setCookie(ctx, `rmd-${cookieSuffix(a.marketplace)}`, device, { maxAgeSeconds: 60 * 86400 });
  }
  finish(ctx, flow, acct);
}

function nudge(ctx: Ctx): void {
  const returnTo = localPath(ctx.url.searchParams.get('openid.return_to'), RVH_PATH);
  ctx.kind = 'amazon.signin.nudge';
  html(ctx, signinShell('Use a passkey', `<div class="a-box" id="passkey-nudge"><h1>Sign in faster with a passkey</h1>
<p>Use your face, fingerprint or PIN to sign in next time. No password needed.</p>
<div class="a-row"><button class="a-button-primary" type="button" id="passkey-nudge-accept" onclick="this.textContent='Passkeys are not available on this device'">Set up passkey</button></div>
<div class="a-row" style="text-align:center"><a id="passkey-nudge-skip" href="${escapeHtml(returnTo)}">Not now</a></div></div>`));
}

function signout(ctx: Ctx): void {
  const s = amazonSession(ctx);
  if (s) ctx.state.sessions.delete(s.id);
  for (const name of Object.keys(ctx.cookies)) if (/^(at|sess-at|x|ubid)-/.test(name) || name === 'session-id') clearCookie(ctx, name);
  redirect(ctx, signinUrl(RVH_PATH));
}

export function signinRoutes(): Route[] {
  const r = (method: Route['method'], path: string, handle: Route['handle']): Route =>
    ({ method, path, vendor: 'amazon', identify: identifySignIn, handle });
  return [
    r('GET', '/ap/signin', getSignin),
    r('GET', '/ax/claim', getSignin),
    r('POST', '/ap/signin', postSignin),
    r('POST', '/ax/claim', postSignin),
    r('GET', '/ap/cvf', getCvf),
    r('POST', '/ap/cvf/verify', postCaptcha),
    r('GET', '/ap/cvf/approval/poll', pollPush),
    r('GET', '/ap/cvf/approval/done', pushDone),
    r('GET', '/ap/mfa', getMfa),
    r('POST', '/ap/mfa', postMfa),
    r('GET', '/webauthn/nudge', nudge),
    r('GET', '/ap/signout', signout),
  ];
}
