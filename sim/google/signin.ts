// A Google sign-in a person (or a test typing into it) can complete: identifier → password → optional
// authenticator code. Completing it sets SID-style cookies; My Activity then needs its own OSID cookie, minted
// by a redirect through `/accounts/SetOSID` (as accounts.google.com does). Also: the "Verify it's you"
// interstitial (`boq_identityfrontendauthuiserver`) of the identityCheck fault. A browser that gives itself
// away as automated (sim/automation.ts) gets "Couldn't sign you in – This browser or app may not be secure".
import { totpValid } from '../../src/providers/totp.ts';
import { automationProbe, automationSign } from '../automation.ts';
import { escapeHtml, form, html, localPath, redirect, setCookie } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import { token } from '../state.ts';
import type { AccountState, Session, SimState } from '../state.ts';

export const ACTIVITY_PATH = '/product/assistant';

interface Flow { id: string; accountId?: string; continueTo: string; stage: 'identifier' | 'password' | 'totp' }
const flows = new WeakMap<SimState, Map<string, Flow>>();
function flowsOf(state: SimState): Map<string, Flow> {
  let m = flows.get(state);
  if (!m) { m = new Map(); flows.set(state, m); }
  return m;
}

export const GOOGLE_LOGO = `<span class="g-logo" aria-label="Google" role="img"><span style="color:#4285F4">G</span><span style="color:#EA4335">o</span><span style="color:#FBBC05">o</span><span style="color:#4285F4">g</span><span style="color:#34A853">l</span><span style="color:#EA4335">e</span></span>`;

export function googleSigninUrl(continueTo: string): string {
  return `/v3/signin/identifier?continue=${encodeURIComponent(continueTo)}&service=myactivity&flowName=GlifWebSignIn`;
}

/** The signed-in Google session of this request (SID cookie), without looking at OSID. */
export function googleSession(ctx: Ctx): Session | undefined {
  return ctx.state.liveSession(ctx.cookies.SID, 'google');
}

function shell(title: string, inner: string, marker = 'boq_identityfrontendauthuiserver'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<script>window.WIZ_global_data={"cfb2h":"${marker}_20261118.07_p0","qwAQke":"AccountsSignInUi"};</script>
<style>
body{margin:0;background:#f0f4f9;font-family:"Google Sans",Roboto,Arial,sans-serif;color:#1f1f1f}
.card{background:#fff;border-radius:28px;max-width:1040px;margin:90px auto 20px;padding:36px 40px 30px;display:flex;gap:40px;min-height:300px}
.card>div{flex:1}.g-logo{font-size:30px;font-weight:500;letter-spacing:-1px}
h1{font-size:36px;font-weight:400;margin:22px 0 12px}.sub{font-size:16px}
.field{position:relative;margin-top:40px}.field input{width:100%;box-sizing:border-box;height:56px;border:1px solid #747775;border-radius:4px;padding:16px;font-size:16px}
.field input:focus{outline:none;border:2px solid #0b57d0}
.field label{position:absolute;left:12px;top:-9px;background:#fff;padding:0 4px;font-size:12px;color:#444746}
.error{color:#b3261e;font-size:13px;margin-top:8px;display:flex;gap:6px}
.actions{display:flex;justify-content:flex-end;gap:12px;margin-top:60px}
.primary{background:#0b57d0;color:#fff;border:0;border-radius:20px;padding:10px 24px;font-size:14px;cursor:pointer}
.text-btn{background:none;border:0;color:#0b57d0;font-size:14px;cursor:pointer;padding:10px 12px}
.foot{max-width:1040px;margin:0 auto;font-size:12px;color:#444746;display:flex;justify-content:space-between}
.chip{display:inline-block;border:1px solid #747775;border-radius:16px;padding:4px 12px;font-size:14px;margin-top:12px}
</style></head><body><div class="card">${inner}</div>
<div class="foot"><span>English (United States)</span><span>Help · Privacy · Terms</span></div></body></html>`;
}

function currentFlow(ctx: Ctx): Flow {
  const all = flowsOf(ctx.state);
  const id = form(ctx).get('TL') ?? ctx.url.searchParams.get('TL') ?? '';
  let flow = all.get(id);
  if (!flow) {
    flow = { id: token(12), continueTo: localPath(form(ctx).get('continue') ?? ctx.url.searchParams.get('continue'), ACTIVITY_PATH), stage: 'identifier' };
    all.set(flow.id, flow);
    if (all.size > 1000) all.delete(all.keys().next().value!);
  }
  return flow;
}

function hidden(flow: Flow): string {
  return `<input type="hidden" name="TL" value="${flow.id}"><input type="hidden" name="continue" value="${escapeHtml(flow.continueTo)}">${automationProbe()}`;
}

/** Google's answer to a browser that gives itself away as automated (vendors/google.md): no way forward. */
function notSecurePage(ctx: Ctx, flow: Flow, sign: string): void {
  ctx.kind = 'google.signin.refused_automation';
  ctx.logBody = { automation: sign };
  flowsOf(ctx.state).delete(flow.id);
  html(ctx, shell("Couldn't sign you in", `<div>${GOOGLE_LOGO}<h1>Couldn’t sign you in</h1></div>
<div><p class="sub" id="not-secure">This browser or app may not be secure. <a href="#" style="color:#0b57d0">Learn more</a></p>
<p class="sub">Try using a different browser. If you’re already using a supported browser, you can try again to sign in.</p>
<div class="actions"><a class="primary" style="text-decoration:none" href="${escapeHtml(googleSigninUrl(flow.continueTo))}">Try again</a></div></div>`));
}

function identifierPage(ctx: Ctx, flow: Flow, error?: string): void {
  html(ctx, shell('Sign in - Google Accounts', `<div>${GOOGLE_LOGO}<h1>Sign in</h1><div class="sub">to continue to My Activity</div></div>
<div><form method="post" action="/v3/signin/identifier">${hidden(flow)}
<div class="field"><label for="identifierId">Email or phone</label><input type="email" id="identifierId" name="identifier" autocomplete="username" autofocus></div>
${error ? `<div class="error" role="alert">⚠ ${escapeHtml(error)}</div>` : ''}
<div style="margin-top:12px"><a href="#" style="color:#0b57d0;font-size:14px">Forgot email?</a></div>
<div class="actions"><button type="button" class="text-btn">Create account</button><button id="identifierNext" class="primary" type="submit">Next</button></div>
</form></div>`));
}

function passwordPage(ctx: Ctx, flow: Flow, email: string, error?: string): void {
  html(ctx, shell('Sign in - Google Accounts', `<div>${GOOGLE_LOGO}<h1>Welcome</h1><div class="chip">${escapeHtml(email)}</div></div>
<div><form method="post" action="/v3/signin/challenge/pwd">${hidden(flow)}
<div class="field"><label for="password">Enter your password</label><input type="password" id="password" name="Passwd" autocomplete="current-password" autofocus></div>
${error ? `<div class="error" role="alert">⚠ ${escapeHtml(error)}</div>` : ''}
<div class="actions"><button type="button" class="text-btn">Forgot password?</button><button id="passwordNext" class="primary" type="submit">Next</button></div>
</form></div>`));
}

function totpPage(ctx: Ctx, flow: Flow, error?: string): void {
  html(ctx, shell('2-Step Verification', `<div>${GOOGLE_LOGO}<h1>2-Step Verification</h1><div class="sub">Get a verification code from the <b>Google Authenticator</b> app</div></div>
<div><form method="post" action="/v3/signin/challenge/totp">${hidden(flow)}
<div class="field"><label for="totpPin">Enter code</label><input type="tel" id="totpPin" name="totpPin" autocomplete="one-time-code" autofocus></div>
${error ? `<div class="error" role="alert">⚠ ${escapeHtml(error)}</div>` : ''}
<div class="actions"><button type="button" class="text-btn">Try another way</button><button id="totpNext" class="primary" type="submit">Next</button></div>
</form></div>`));
}

function flowAccount(ctx: Ctx, flow: Flow): AccountState | undefined {
  return flow.accountId ? ctx.state.accounts.get(flow.accountId) : undefined;
}

function finish(ctx: Ctx, flow: Flow, acct: AccountState): void {
  const session = ctx.state.newSession(acct.account.id, 'google');
  const maxAgeSeconds = Math.floor(ctx.state.sessionLifetimeMs / 1000);
  setCookie(ctx, 'SID', session.id, { maxAgeSeconds, httpOnly: false });
  for (const name of ['HSID', 'SSID', 'APISID', 'SAPISID']) setCookie(ctx, name, token(12), { maxAgeSeconds, httpOnly: name === 'HSID' || name === 'SSID' });
  flowsOf(ctx.state).delete(flow.id);
  ctx.kind = 'google.signin.done';
  redirect(ctx, `/accounts/SetOSID?continue=${encodeURIComponent(flow.continueTo)}`, 303);
}

export function googleSigninRoutes(): Route[] {
  const identify = (ctx: Ctx) => {
    const flow = flowsOf(ctx.state).get(form(ctx).get('TL') ?? ctx.url.searchParams.get('TL') ?? '');
    return flow ? flowAccount(ctx, flow) : undefined;
  };
  const r = (method: Route['method'], path: string, handle: Route['handle']): Route => ({ method, path, vendor: 'google', identify, handle });
  return [
    r('GET', '/ServiceLogin', (ctx) => redirect(ctx, googleSigninUrl(localPath(ctx.url.searchParams.get('continue'), ACTIVITY_PATH)))),
    r('GET', '/v3/signin/identifier', (ctx) => { ctx.kind = 'google.signin.page'; identifierPage(ctx, currentFlow(ctx)); }),
    r('POST', '/v3/signin/identifier', (ctx) => {
      const flow = currentFlow(ctx);
      const automated = automationSign(ctx);
      if (automated) { notSecurePage(ctx, flow, automated); return; }
      const email = (form(ctx).get('identifier') ?? '').trim();
      const acct = ctx.state.findByEmail('google', email);
      if (!acct) { identifierPage(ctx, flow, "Couldn't find your Google Account"); return; }
      flow.accountId = acct.account.id;
      flow.stage = 'password';
      passwordPage(ctx, flow, acct.account.email);
    }),
    r('POST', '/v3/signin/challenge/pwd', (ctx) => {
      const flow = currentFlow(ctx);
      const acct = flowAccount(ctx, flow);
      if (!acct || flow.stage !== 'password') { redirect(ctx, googleSigninUrl(flow.continueTo), 303); return; }
      const automated = automationSign(ctx);
      if (automated) { notSecurePage(ctx, flow, automated); return; }
      if (form(ctx).get('Passwd') !== acct.account.password) {
        passwordPage(ctx, flow, acct.account.email, 'Wrong password. Try again or click Forgot password to reset it.');
        return;
      }
      if (acct.account.totpSecret) { flow.stage = 'totp'; totpPage(ctx, flow); return; }
      finish(ctx, flow, acct);
    }),
    r('POST', '/v3/signin/challenge/totp', (ctx) => {
      const flow = currentFlow(ctx);
      const acct = flowAccount(ctx, flow);
      if (!acct || flow.stage !== 'totp' || !acct.account.totpSecret) { redirect(ctx, googleSigninUrl(flow.continueTo), 303); return; }
      const code = (form(ctx).get('totpPin') ?? '').replace(/\D/g, '');
      if (!totpValid(acct.account.totpSecret, code, ctx.state.now())) { totpPage(ctx, flow, 'Wrong code. Try again.'); return; }
      finish(ctx, flow, acct);
    }),
    // Mints the My Activity OSID cookie for a signed-in SID, then goes on.
    r('GET', '/accounts/SetOSID', (ctx) => {
      const continueTo = localPath(ctx.url.searchParams.get('continue'), ACTIVITY_PATH);
      const session = googleSession(ctx);
      if (!session) { redirect(ctx, googleSigninUrl(continueTo)); return; }
      session.osid = token(24);
      setCookie(ctx, 'OSID', session.osid, { maxAgeSeconds: Math.floor(ctx.state.sessionLifetimeMs / 1000) });
      ctx.kind = 'google.osid';
      redirect(ctx, continueTo);
    }),
    // The identity-check interstitial's form.
    { method: 'POST', path: '/v3/signin/challenge/reauth', vendor: 'google', signedIn: true,
      signedOut: (ctx) => redirect(ctx, googleSigninUrl(ACTIVITY_PATH), 303),
      handle: (ctx) => {
        const acct = ctx.account!;
        const continueTo = localPath(form(ctx).get('continue'), ACTIVITY_PATH);
        if (form(ctx).get('Passwd') !== acct.account.password) { identityCheckPage(ctx, continueTo, 'Wrong password. Try again.'); return; }
        delete acct.faults.identityCheck;
        redirect(ctx, continueTo, 303);
      } },
  ];
}

/** "Verify it's you": shown instead of My Activity while the identityCheck fault is on. */
export function identityCheckPage(ctx: Ctx, continueTo: string, error?: string): void {
  ctx.kind = 'google.identity_check';
  const acct = ctx.account!;
  html(ctx, shell("Verify it's you", `<div>${GOOGLE_LOGO}<h1>Verify it's you</h1><div class="chip">${escapeHtml(acct.account.email)}</div>
<p class="sub">To continue, first verify it's you</p></div>
<div><form method="post" action="/v3/signin/challenge/reauth"><input type="hidden" name="continue" value="${escapeHtml(continueTo)}">
<div class="field"><label for="password">Enter your password</label><input type="password" id="password" name="Passwd" autocomplete="current-password"></div>
${error ? `<div class="error" role="alert">⚠ ${escapeHtml(error)}</div>` : ''}
<div class="actions"><button id="passwordNext" class="primary" type="submit">Next</button></div></form></div>`));
}
