// How the simulated vendors tell an automated browser from a person's: the request's client hints and
// User-Agent ("HeadlessChrome"), and what the sign-in page's own script reports (navigator.webdriver, which
// --enable-automation and Playwright's defaults set, and the client-hint brands). Real Amazon posts such a
// fingerprint with its sign-in form (`metadata1`); Google refuses sign-in outright ("This browser or app may not
// be secure"). Only positive evidence counts: a plain HTTP client (the simulator's own API tests) passes.
import { form } from './http.ts';
import type { Ctx } from './http.ts';
import type { SimState } from './state.ts';

/** A hidden field filled, as the page loads, with what the browser says about itself. */
export function automationProbe(): string {
  return `<input type="hidden" name="metadata1" value=""><script>(function(){var f=document.currentScript.previousElementSibling;
try{var d=navigator.userAgentData;f.value=JSON.stringify({webdriver:navigator.webdriver===true,brands:d?d.brands.map(function(b){return b.brand}):[],ua:navigator.userAgent});}catch(e){}})();</script>`;
}

/** Why this request looks automated, or undefined when it gives nothing away. */
export function automationSign(ctx: Ctx): string | undefined {
  const hints = String(ctx.req.headers['sec-ch-ua'] ?? '');
  const agent = String(ctx.req.headers['user-agent'] ?? '');
  if (/HeadlessChrome/i.test(hints)) return 'HeadlessChrome in Sec-CH-UA';
  if (/HeadlessChrome/i.test(agent)) return 'HeadlessChrome in the User-Agent';
  const reported = form(ctx).get('metadata1');
  if (!reported) return undefined;
  try {
    const m = JSON.parse(reported) as { webdriver?: boolean; brands?: string[]; ua?: string };
    if (m.webdriver) return 'navigator.webdriver is true';
    if (m.brands?.some((b) => /HeadlessChrome/i.test(b))) return 'HeadlessChrome in navigator.userAgentData';
    if (m.ua && /HeadlessChrome/i.test(m.ua)) return 'HeadlessChrome in navigator.userAgent';
  } catch { /* a mangled fingerprint is no evidence */ }
  return undefined;
}

/** Amazon's check is a mode (off by default; `detectAutomation` in the options or the control API). */
const amazonChecks = new WeakMap<SimState, boolean>();
export function setAmazonAutomationCheck(state: SimState, on: boolean): void { amazonChecks.set(state, on); }
export function amazonChecksAutomation(state: SimState): boolean { return amazonChecks.get(state) === true; }

/** Sign-in flows (Amazon) that were seen automated and owe a captcha. */
const owed = new WeakSet<object>();
/** Notes an automated-looking sign-in request of `flow` when Amazon's check is on. */
export function noteAutomation(ctx: Ctx, flow: object): void {
  const sign = amazonChecksAutomation(ctx.state) ? automationSign(ctx) : undefined;
  if (!sign) return;
  owed.add(flow);
  ctx.kind = 'amazon.signin.automation_seen';
  ctx.logBody = { automation: sign };
}
/** True once for a flow that owes a captcha (cleared so a solved captcha lets the person through). */
export function takeCaptchaOwed(flow: object): boolean {
  return owed.delete(flow);
}
