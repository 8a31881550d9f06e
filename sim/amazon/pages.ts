// Amazon look-alike page shells (sign-in box, signed-in app header) and the retention settings page.
// Plain CSS and inline SVG only: the simulator runs offline.
import { escapeHtml, form, html, redirect } from '../http.ts';
import type { Ctx } from '../http.ts';

const LOGO = (fill: string) => `<svg class="a-logo" width="103" height="31" viewBox="0 0 103 31" aria-label="Amazon" role="img">
<text x="0" y="21" font-family="Arial Black, Arial, sans-serif" font-weight="900" font-size="25" fill="${fill}" letter-spacing="-1">amazon</text>
<path d="M8 25 Q44 36 80 24" stroke="#FF9900" stroke-width="3.2" fill="none" stroke-linecap="round"/>
<path d="M74 20 L82 23.5 L76 29" stroke="#FF9900" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:"Amazon Ember",Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#0F1111;background:#fff}
a{color:#007185;text-decoration:none}a:hover{color:#C7511F;text-decoration:underline}
.a-button-primary{display:block;width:100%;background:#FFD814;border:1px solid #FCD200;border-radius:100px;padding:7px 10px;
 font-size:13px;cursor:pointer;box-shadow:0 2px 5px 0 rgba(213,217,217,.5);color:#0F1111}
.a-button-primary:hover{background:#F7CA00}
.a-input-text{width:100%;height:31px;padding:3px 7px;border:1px solid #888C8C;border-radius:3px;box-shadow:0 1px 2px rgba(15,17,17,.15) inset;font-size:13px}
.a-input-text:focus{outline:none;border-color:#007185;box-shadow:0 0 0 3px #C8F3FA}
label.a-form-label{display:block;font-weight:700;font-size:13px;padding-left:2px;margin:0 0 2px}
`;

/** The centred sign-in box of `/ap/signin`, `/ax/claim`, `/ap/mfa`, `/ap/cvf`. */
export function signinShell(title: string, inner: string): string {
  return `<!doctype html><html lang="en-us"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${BASE_CSS}
.a-page{width:350px;margin:0 auto;padding:14px 0 40px}
.a-logo-wrap{text-align:center;margin:4px 0 16px}
.a-box{border:1px solid #D5D9D9;border-radius:8px;padding:20px 26px;margin-bottom:22px}
.a-box h1{font-weight:400;font-size:28px;line-height:1.2;margin:0 0 14px}
.a-row{margin-bottom:14px}
.a-fine{font-size:12px;line-height:1.5;margin-top:18px}
.a-checkbox{display:flex;gap:6px;align-items:flex-start;font-size:13px;margin:12px 0}
.a-divider{text-align:center;font-size:12px;color:#767676;position:relative;margin:6px 0 14px}
.a-divider:before{content:"";position:absolute;left:0;right:0;top:50%;border-top:1px solid #e7e7e7;z-index:-1}
.a-divider span{background:#fff;padding:0 8px}
.a-button-secondary{display:block;width:100%;text-align:center;background:#fff;border:1px solid #D5D9D9;border-radius:100px;padding:6px 10px;
 font-size:13px;color:#0F1111;box-shadow:0 2px 5px 0 rgba(213,217,217,.5)}
#auth-error-message-box{border:1px solid #CC0C39;border-radius:8px;padding:14px 18px;margin-bottom:14px;box-shadow:0 0 0 4px #FCF4F4 inset}
#auth-error-message-box h4{color:#CC0C39;margin:0 0 4px;font-size:17px;font-weight:400}
.a-alert-info{border:1px solid #007185;border-radius:8px;padding:12px 16px;margin-bottom:14px;font-size:13px}
.email-line{font-size:13px;margin-bottom:12px}
.a-footer{border-top:1px solid #e7e7e7;background:linear-gradient(#fafafa,#fff);padding:26px 0;text-align:center;font-size:11px;color:#555}
.a-footer a{margin:0 12px;font-size:11px}
</style></head><body>
<div class="a-page"><div class="a-logo-wrap"><a href="/">${LOGO('#111')}</a></div>${inner}</div>
<div class="a-footer"><a href="#">Conditions of Use</a><a href="#">Privacy Notice</a><a href="#">Help</a>
<div style="margin-top:8px">© 1996-2026, Amazon.com, Inc. or its affiliates</div></div>
</body></html>`;
}

/** The signed-in shell: dark Amazon header, Alexa Privacy sub-navigation. */
export function appShell(title: string, inner: string, head = '', bodyClass = '', lang = 'en-us'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">${head}
<style>${BASE_CSS}
body{background:#fff}
#nav-belt{background:#131921;height:60px;display:flex;align-items:center;padding:0 14px;gap:18px;color:#fff}
#nav-belt .a-logo{margin-top:6px}
#nav-search{flex:1;display:flex;max-width:900px}
#nav-search input{flex:1;height:40px;border:0;border-radius:4px 0 0 4px;padding:0 10px;font-size:15px}
#nav-search span{width:45px;background:#FEBD69;border-radius:0 4px 4px 0}
.nav-line{font-size:12px;line-height:14px}.nav-line b{font-size:14px;display:block}
#nav-main{background:#232F3E;color:#fff;height:39px;display:flex;align-items:center;padding:0 12px;gap:16px;font-size:14px}
#nav-main a{color:#fff}
#privacy-nav{border-bottom:1px solid #ddd;display:flex;gap:26px;padding:0 40px;font-size:15px}
#privacy-nav a{color:#0F1111;padding:14px 0;display:inline-block}
#privacy-nav a.selected{border-bottom:3px solid #007185;font-weight:700}
.page-body{max-width:980px;margin:0 auto;padding:22px 24px 60px}
h1.page-title{font-size:28px;font-weight:400;margin:10px 0 6px}
.page-sub{color:#565959;margin-bottom:18px}
</style></head><body class="${bodyClass}">
<header id="navbar"><div id="nav-belt"><a href="/">${LOGO('#fff')}</a>
<div class="nav-line"><span style="color:#ccc">Deliver to</span><b>Home</b></div>
<div id="nav-search"><input aria-label="Search Amazon" placeholder="Search Amazon"><span></span></div>
<div class="nav-line">Hello, Account<b>Account &amp; Lists</b></div><div class="nav-line">Returns<b>&amp; Orders</b></div></div>
<div id="nav-main"><a href="#">☰ All</a><a href="#">Today's Deals</a><a href="#">Alexa Privacy</a><a href="#">Devices</a></div></header>
<nav id="privacy-nav" aria-label="Alexa Privacy">
<a href="/alexa-privacy/apd/rvh" class="${/Voice|Alexa History|verlauf/i.test(title) ? 'selected' : ''}">${escapeHtml(title.includes('Manage') ? 'Review Voice History' : title)}</a>
<a href="#">Your Smart Home Device History</a>
<a href="/alexa-privacy/apd/myad" class="${title.includes('Manage') ? 'selected' : ''}">Manage Your Alexa Data</a></nav>
${inner}</body></html>`;
}

const RETENTION_LABELS: Array<[string, string]> = [
  ['forever', 'Save recordings until I delete them'],
  ['18m', 'Save recordings for 18 months'],
  ['3m', 'Save recordings for 3 months'],
  ['none', "Don't save recordings"],
];

/** `GET/POST /alexa-privacy/apd/myad`: "Choose how long to save recordings". */
export function retentionPage(ctx: Ctx): void {
  const acct = ctx.account!;
  if (ctx.method === 'POST') {
    const want = form(ctx).get('retention');
    if (RETENTION_LABELS.some(([v]) => v === want)) acct.retention = want as typeof acct.retention;
    ctx.kind = 'amazon.retention';
    ctx.logBody = { retention: acct.retention };
    redirect(ctx, '/alexa-privacy/apd/myad?saved=1', 303);
    return;
  }
  const options = RETENTION_LABELS.map(([v, label]) => `<label class="retention-option"><input type="radio" name="retention" value="${v}"${acct.retention === v ? ' checked' : ''}> ${label}</label>`).join('');
  const saved = ctx.url.searchParams.has('saved') ? '<div class="a-alert-info" role="status">Your setting was saved.</div>' : '';
  html(ctx, appShell('Manage Your Alexa Data', `<div class="page-body"><h1 class="page-title">Manage Your Alexa Data</h1>
<style>.retention-option{display:block;padding:8px 0}.myad-section{border:1px solid #D5D9D9;border-radius:8px;padding:18px 22px;max-width:620px}
.a-alert-info{border:1px solid #067D62;border-radius:8px;padding:10px 14px;margin-bottom:12px}</style>${saved}
<section class="myad-section" id="voice-recordings-retention"><h2>Voice Recordings</h2><p>Choose how long to save recordings</p>
<form method="post" action="/alexa-privacy/apd/myad">${options}
<button class="a-button-primary" style="width:auto;padding:6px 24px;margin-top:10px" type="submit">Confirm</button></form></section></div>`));
}
