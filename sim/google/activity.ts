// My Activity pages (`/product/assistant`, `/product/gemini`, and the all-activity page `/myactivity`): signed-out
// page, OSID hop, identity-check interstitial, and the signed-in page with WIZ_global_data tokens, its start-up
// list request (AF_dataServiceRequests, with the product filter) and that request's answer (AF_initDataCallback
// ds:1). The list, per-item and range deletes run through batchexecute.
import { readFileSync } from 'node:fs';
import { escapeHtml, html, redirect } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import { BATCHEXECUTE_PATH, DELETE_RPC, LIST_RPC, RANGE_DELETE_RPC, listPayload, listedProducts, startupArgs } from './batchexecute.ts';
import { PRODUCTS, PRODUCT_NAMES, productOf } from './products.ts';
import { GOOGLE_LOGO, googleSession, googleSigninUrl, identityCheckPage } from './signin.ts';

const CLIENT = readFileSync(new URL('./activity-client.js', import.meta.url), 'utf8');

const TEXTS = {
  deleteTop: 'Delete', deleteTopLabel: 'Delete activity', deleteBy: 'Delete activity by', deleteItemLabel: 'Delete activity item',
  deleteDayLabel: 'Delete all activity from', deleteTitle: 'Delete activity', lastHour: 'Last hour', lastDay: 'Last day',
  allTime: 'All time', custom: 'Custom range', customTitle: 'Delete custom range', after: 'After', before: 'Before',
  badDates: 'Enter valid dates', next: 'Next', cancel: 'Cancel', chooseTitle: 'Choose activity to delete',
  deletingFrom: 'Deleting activity from', confirmTitle: "Confirm you'd like to delete the following activity",
  deleteConfirm: 'Delete', doneTitle: 'Deletion complete', doneText: 'Your activity has been deleted. It may take up to a day to disappear everywhere.',
  gotIt: 'Got it', itemDeleted: 'Item deleted', deleted: 'Deleted', loading: 'Loading…', end: 'Looks like you’ve reached the end',
  empty: 'No activity.', error: 'Something went wrong. Try again.',
};

// Level 0: Google's usual obfuscated classes with the documented roles and labels. Level 1: classes rotated
// and the top Delete moved into More (⋮) → "Delete activity by". Level 2: no c-wiz tokens, new labels.
const LEVELS = [
  { cls: { list: 'YGvYn', status: 'ypZmPe', toolbar: 'FOtn2d', deleteTop: 'VfPpkd-LgbsSe VfPpkd-LgbsSe-OWXEXe-k8QpJ', day: 'MCZgpb', dayHeader: 'rp10kf',
    dayDelete: 'VfPpkd-Bz112c-LgbsSe yHy1rc', row: 'xDtZAf', title: 'QTGV3c', meta: 'H3Q9vf XTnvW', itemDelete: 'VfPpkd-Bz112c-LgbsSe yHy1rc eT1oJ', dialog: 'VfPpkd-cnG4Wd' },
  texts: TEXTS, layout: 'classic' },
  { cls: { list: 'k2Dmqe', status: 'aQwe9b', toolbar: 'Lm3Opc', deleteTop: 'Zx1Tqe', day: 'Pq7Rhs', dayHeader: 'Jw2Kfe',
    dayDelete: 'Hb8Ydc', row: 'Uy4Rtc', title: 'Cv6Nbe', meta: 'Qa9Wsd', itemDelete: 'Rt5Ghe', dialog: 'Mn2Bvc' },
  texts: TEXTS, layout: 'moved' },
  { cls: { list: 'g-1', status: 'g-2', toolbar: 'g-3', deleteTop: 'g-4', day: 'g-5', dayHeader: 'g-6', dayDelete: 'g-7', row: 'g-8',
    title: 'g-9', meta: 'g-10', itemDelete: 'g-11', dialog: 'g-12' },
  texts: { ...TEXTS, deleteTop: 'Clear history', deleteTopLabel: 'Clear history', deleteItemLabel: 'Remove', deleteDayLabel: 'Clear day',
    lastHour: 'Past 60 minutes', lastDay: 'Past 24 hours', allTime: 'Since the beginning', custom: 'Specific dates', deleteConfirm: 'Clear' },
  layout: 'total' },
];

const CSS = `
body{margin:0;font-family:"Google Sans",Roboto,Arial,sans-serif;color:#1f1f1f;background:#fff}
.ma-top{height:64px;display:flex;align-items:center;gap:14px;padding:0 16px;border-bottom:1px solid #e3e3e3}
.g-logo{font-size:22px;font-weight:500;letter-spacing:-.5px}.ma-app{font-size:22px;color:#444746}
.ma-search{flex:1;max-width:720px;margin-left:60px;background:#e9eef6;border-radius:24px;height:46px;display:flex;align-items:center;padding:0 18px;color:#444746}
.ma-avatar{margin-left:auto;width:32px;height:32px;border-radius:50%;background:#7b1fa2;color:#fff;display:flex;align-items:center;justify-content:center}
.ma-shell{display:flex}
.ma-nav{width:256px;padding:8px 0;flex:none}.ma-nav a{display:block;padding:12px 26px;color:#1f1f1f;text-decoration:none;border-radius:0 24px 24px 0;font-size:14px}
.ma-nav a.on{background:#c2e7ff;font-weight:500}
.ma-main{flex:1;max-width:760px;padding:20px 24px 80px}
.ma-banner{border:1px solid #e3e3e3;border-radius:12px;padding:20px 24px;margin-bottom:16px;display:flex;gap:18px;align-items:center}
.ma-banner h1{font-size:24px;font-weight:400;margin:0 0 4px}.ma-banner p{margin:0;color:#444746;font-size:14px}
.ma-badge{width:48px;height:48px;border-radius:50%;background:conic-gradient(#4285F4 0 25%,#EA4335 0 50%,#FBBC05 0 75%,#34A853 0);flex:none}
.ma-toolbar,.FOtn2d,.Lm3Opc,.g-3{display:flex;justify-content:flex-end;gap:8px;padding:6px 0 10px;position:relative}
.ma-icon{display:inline-flex;vertical-align:middle}
.VfPpkd-LgbsSe,.Zx1Tqe,.g-4{display:inline-flex;align-items:center;gap:4px;background:#fff;border:1px solid #747775;border-radius:20px;padding:8px 18px;font-size:14px;color:#0b57d0;cursor:pointer}
.ma-more{background:none;border:0;font-size:22px;cursor:pointer;width:40px;height:40px;border-radius:50%}
.ma-more-wrap{position:relative}.ma-menu{position:absolute;right:0;top:42px;background:#fff;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.2);z-index:5}
.ma-menu button{background:none;border:0;padding:12px 20px;white-space:nowrap;cursor:pointer;font-size:14px}
.rp10kf,.Jw2Kfe,.g-6{display:flex;justify-content:space-between;align-items:center;margin-top:18px}
.rp10kf h2,.Jw2Kfe h2,.g-6 h2{font-size:14px;font-weight:500;color:#444746;margin:8px 0}
.xDtZAf,.Uy4Rtc,.g-8{display:flex;gap:14px;border:1px solid #e3e3e3;border-radius:12px;padding:14px 16px;margin:8px 0;align-items:flex-start}
.ma-product-icon{width:24px;height:24px;border-radius:50%;background:#e8f0fe;color:#1a73e8;display:flex;align-items:center;justify-content:center;font-size:12px;flex:none}
.ma-body{flex:1}.ma-product{font-size:12px;color:#444746}
.QTGV3c,.Cv6Nbe,.g-9{font-size:16px;margin:2px 0}.ma-response{font-size:14px;color:#444746}
.H3Q9vf,.Qa9Wsd,.g-10{font-size:12px;color:#444746;margin-top:4px}
.VfPpkd-Bz112c-LgbsSe,.Hb8Ydc,.Rt5Ghe,.g-7,.g-11{background:none;border:0;width:36px;height:36px;border-radius:50%;cursor:pointer;color:#444746}
.VfPpkd-Bz112c-LgbsSe:hover{background:#f1f3f4}
.YGvYn,.k2Dmqe{min-height:10px}.ypZmPe,.aQwe9b,.g-2{text-align:center;color:#444746;padding:24px;font-size:14px}
.ma-scrim{position:fixed;inset:0;background:rgba(0,0,0,.32);display:flex;align-items:center;justify-content:center;z-index:50}
.VfPpkd-cnG4Wd,.Mn2Bvc,.g-12{background:#fff;border-radius:28px;padding:24px;width:360px;box-shadow:0 4px 24px rgba(0,0,0,.3)}
[role=dialog] h2{font-size:22px;font-weight:400;margin:0 0 16px}
.ma-options{display:flex;flex-direction:column}.ma-option{background:none;border:0;text-align:left;padding:14px 8px;font-size:15px;cursor:pointer;border-radius:8px}
.ma-option:hover{background:#f1f3f4}
.ma-dialog-actions{display:flex;justify-content:flex-end;gap:8px;margin-top:20px}
.ma-text-button{background:none;border:0;color:#0b57d0;padding:10px 12px;font-size:14px;cursor:pointer}
.ma-filled-button{background:#0b57d0;color:#fff;border:0;border-radius:20px;padding:10px 24px;font-size:14px;cursor:pointer}
.ma-field{display:block;margin:10px 0}.ma-field span{display:block;font-size:12px;color:#444746}.ma-field input{height:36px;width:100%;box-sizing:border-box;border:1px solid #747775;border-radius:4px;padding:6px}
.ma-error{color:#b3261e;font-size:13px}.ma-check{display:flex;gap:8px;align-items:center}
.ma-calendar table{border-collapse:collapse}.ma-cal-head{display:flex;justify-content:space-between;align-items:center}
.ma-day{background:none;border:0;width:32px;height:32px;border-radius:50%;cursor:pointer}.ma-day:hover{background:#e8f0fe}
.ma-snackbar{position:fixed;left:24px;bottom:24px;background:#313033;color:#f2f0f4;padding:14px 16px;border-radius:4px;z-index:60}
`;

function page(title: string, inner: string, marker: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">${head}<style>${CSS}</style></head><body>
<header class="ma-top"><span style="font-size:22px">☰</span>${GOOGLE_LOGO}<span class="ma-app">My Activity</span>
<div class="ma-search"><svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path fill="#444746" d="M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 9.5 16a6.5 6.5 0 0 0 4.2-1.6l.3.3v.8l5 5 1.5-1.5Zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9Z"/></svg>&nbsp;&nbsp;Search your activity</div><div class="ma-avatar">${marker === 'signedin' ? 'A' : ''}</div></header>${inner}</body></html>`;
}

function signedOut(ctx: Ctx): void {
  const here = ctx.url.pathname + ctx.url.search;
  // Signed in to Google but no My Activity cookie yet: the OSID hop, as accounts.google.com does it.
  if (googleSession(ctx)) { ctx.kind = 'google.page.osid_hop'; redirect(ctx, `/accounts/SetOSID?continue=${encodeURIComponent(here)}`); return; }
  ctx.kind = 'google.page.signed_out';
  html(ctx, page('Google - My Activity', `<script>window.WIZ_global_data={"cfb2h":"boq_footprintsmyactivitysignedoutuiserver_20261120.03_p0","qwAQke":"FootprintsMyactivitySignedoutUi"};</script>
<div class="ma-main" style="margin:60px auto;text-align:center"><div class="ma-badge" style="margin:0 auto 20px;width:72px;height:72px"></div>
<h1 style="font-weight:400">My Activity</h1><p style="color:#444746">The data in My Activity helps make Google services more useful for you.<br>Sign in to see and manage your activity.</p>
<a class="ma-filled-button" style="display:inline-block;text-decoration:none;margin-top:12px" href="${escapeHtml(googleSigninUrl(here))}">Sign in</a></div>`, 'signedout'));
}

function productPage(ctx: Ctx): void {
  const acct = ctx.account!;
  const here = ctx.url.pathname + ctx.url.search;
  if (acct.faults.identityCheck) { identityCheckPage(ctx, here); return; }
  const product = productOf(ctx.url.pathname);
  const level = LEVELS[acct.faults.redesign ?? 0] ?? LEVELS[0];
  const name = product ? PRODUCT_NAMES[product] : 'My Activity';
  ctx.kind = `google.page.${product ?? 'all'}`;
  const wiz = { SNlM0e: acct.at, FdrFJe: acct.fsid, cfb2h: 'boq_footprintsmyactivityuiserver_20261120.03_p0', qwAQke: 'FootprintsMyactivityUi', oPEP7c: acct.account.email };
  // The all-activity page always asks which products (Help: range → Next → products → Delete), all ticked.
  const dialog = product ? acct.faults.deleteDialog ?? 'product' : 'chooser-all';
  const config = { ...level, sourcePath: ctx.url.pathname, rpcPath: BATCHEXECUTE_PATH, productName: name,
    product, products: PRODUCTS.map((p) => ({ code: p, name: PRODUCT_NAMES[p] })), dialog,
    dateTyping: acct.faults.dateTyping ?? 'mdy', itemConfirm: acct.faults.itemConfirm === true,
    rpc: { list: LIST_RPC, remove: DELETE_RPC, removeRange: RANGE_DELETE_RPC }, serverNow: ctx.state.now(), signinUrl: googleSigninUrl(here) };
  const request = startupArgs(product);
  const data = listPayload(acct, listedProducts(acct, request, ctx.url.pathname), ctx.state.now(), null);
  const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
  // As Google's pages do: the start-up requests by data-service key, then each one's answer.
  const head = `<script>window.WIZ_global_data=${json(wiz)};window.__maData={};function AF_initDataCallback(x){window.__maData[x.key]=x.data;}</script>
<script>var AF_dataServiceRequests = {'ds:1' : {id:'${LIST_RPC}',request:${json(request)}}}; var AF_initDataChunkQueue = [];</script>
<script class="ds:1">AF_initDataCallback({key: 'ds:1', hash: '1', data:${json(data)}, sideChannel: {}});</script>`;
  const nav = ['My Activity', 'Other activity', 'Web & App Activity', 'Assistant', 'Gemini Apps', 'Delete activity by'].map((n) =>
    `<a href="${n === 'Assistant' ? '/product/assistant' : n === 'Gemini Apps' ? '/product/gemini' : n === 'My Activity' ? '/myactivity' : '#'}" class="${n === name ? 'on' : ''}">${n}</a>`).join('');
  html(ctx, page(`${name} - My Activity`, `<div class="ma-shell"><nav class="ma-nav">${nav}</nav><main class="ma-main">
<div class="ma-banner"><div class="ma-badge"></div><div><h1>${product ? `${name} activity` : 'My Activity'}</h1><p>${product === 'gemini' ? 'Gemini Apps Activity is on' : product ? 'Web &amp; App Activity is on · Including voice and audio activity' : 'Activity of every Google product'}</p></div></div>
<div id="ma-root"></div></main></div>
<script type="application/json" id="ma-config">${json(config)}</script><script>${CLIENT}</script>`, 'signedin', head));
}

export function activityRoutes(): Route[] {
  const r = (path: string): Route => ({ method: 'GET', path, vendor: 'google', signedIn: true, signedOut, handle: productPage });
  return [r('/product/assistant'), r('/product/gemini'), r('/myactivity')];
}
