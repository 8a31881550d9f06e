// The Review Voice History page: a client-side page (see rvh-client.js) with the class names of
// vendors/alexa.md, or, under the `redesign` fault, renamed ones (level 1) or a different page altogether (level 2).
// The account's variant (sim/amazon/variants.ts) decides the filter depth, date fields, Apply button, language,
// and whether it is the 2026 Review Alexa History page instead.
import { readFileSync } from 'node:fs';
import { escapeHtml, html, redirect } from '../http.ts';
import type { Ctx, Route } from '../http.ts';
import { CSRF_PATH, LIST_PATH, MOVED_LIST_PATH, RAH_DELETE_PATH, RAH_LIST_PATH } from './api.ts';
import { resolveVariant } from './variants.ts';
import type { Language } from './variants.ts';
import { appShell } from './pages.ts';
import { RVH_PATH, signinUrl } from './signin.ts';
import { retentionPage } from './pages.ts';

const CLIENT = readFileSync(new URL('./rvh-client.js', import.meta.url), 'utf8');

// `{range}` and `{device}` are filled in by the page. English texts: the fact sheet's where it has them, ours
// otherwise; German: the list, the rest our translation (sim/README.md says which is which).
const TEXTS = {
  title: 'Review Voice History', sub: 'Review, listen to and delete voice recordings associated with your account.',
  filterBy: 'Filter by:', dateLabel: 'Date', deviceLabel: 'Device', allDevices: 'All devices', today: 'Today', yesterday: 'Yesterday',
  week: 'Last 7 days', all: 'All History', custom: 'Custom', startDate: 'Start date', endDate: 'End date', apply: 'Apply',
  badDates: 'Enter a valid start and end date.', listLabel: 'Voice recordings', loading: 'Loading more…', end: 'End of list',
  none: 'No records found', error: 'Something went wrong. Please try again later.', retry: 'Try again',
  deleteAll: 'Delete all recordings for {range}', deleteOne: 'Delete recording', confirmDelete: 'Delete', cancel: 'Cancel',
  expand: 'Show details', confirmText: 'Your voice recordings for the selected range will be deleted. This cannot be undone.',
  deletedOne: 'Recording deleted.', deletedAll: 'Deletion requested. It may take some time for recordings to be deleted.',
  deleteFailed: 'We could not delete the recording(s). Please try again.', noText: 'No text stored',
  notIntended: 'Audio was not intended for Alexa', noResponse: 'No response', heardAs: 'Heard as', moreActions: 'More actions for this recording',
  rahTitle: 'Review Alexa History', rahSub: 'Review and delete your interactions with Alexa.', activityOn: 'Activity on {device}',
  moreOptions: 'More options', deleteActivity: 'Delete activity', deleteAllActivity: 'Delete all activity for {range}',
  rahConfirmText: 'All Alexa activity for the selected range will be deleted, including voice recordings. This cannot be undone.',
  deletedActivity: 'Activity deleted.', choose: 'Choose', prevMonth: 'Previous Month', nextMonth: 'Next Month',
};

const TEXTS_DE: typeof TEXTS = {
  title: 'Sprachverlauf überprüfen', sub: 'Sprachaufnahmen, die mit Ihrem Konto verknüpft sind, überprüfen, anhören und löschen.',
  filterBy: 'Filtern nach:', dateLabel: 'Datum', deviceLabel: 'Gerät', allDevices: 'Alle Geräte', today: 'Heute', yesterday: 'Gestern',
  week: 'Letzte 7 Tage', all: 'Gesamter Verlauf', custom: 'Benutzerdefiniert', startDate: 'Startdatum', endDate: 'Enddatum', apply: 'Anwenden',
  badDates: 'Geben Sie ein gültiges Start- und Enddatum ein.', listLabel: 'Sprachaufnahmen', loading: 'Weitere werden geladen…',
  end: 'Ende der Liste', none: 'Keine Einträge gefunden', error: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.',
  retry: 'Erneut versuchen', deleteAll: 'Alle Aufnahmen für {range} löschen', deleteOne: 'Aufnahme löschen', confirmDelete: 'Löschen',
  cancel: 'Abbrechen', expand: 'Details anzeigen',
  confirmText: 'Ihre Sprachaufnahmen für den ausgewählten Zeitraum werden gelöscht. Dies kann nicht rückgängig gemacht werden.',
  deletedOne: 'Aufnahme gelöscht.', deletedAll: 'Löschung angefordert. Es kann einige Zeit dauern, bis die Aufnahmen gelöscht sind.',
  deleteFailed: 'Die Aufnahme(n) konnten nicht gelöscht werden. Bitte versuchen Sie es erneut.', noText: 'Kein Text gespeichert',
  notIntended: 'Audio war nicht für Alexa bestimmt', noResponse: 'Keine Antwort', heardAs: 'Erkannt als', moreActions: 'Weitere Aktionen für diese Aufnahme',
  rahTitle: 'Alexa-Verlauf überprüfen', rahSub: 'Überprüfen und löschen Sie Ihre Interaktionen mit Alexa.', activityOn: 'Aktivität auf {device}',
  moreOptions: 'Weitere Optionen', deleteActivity: 'Aktivität löschen', deleteAllActivity: 'Alle Aktivitäten für {range} löschen',
  rahConfirmText: 'Alle Alexa-Aktivitäten im ausgewählten Zeitraum werden gelöscht, auch die Sprachaufnahmen. Dies kann nicht rückgängig gemacht werden.',
  deletedActivity: 'Aktivität gelöscht.', choose: 'Wählen Sie', prevMonth: 'Vorheriger Monat', nextMonth: 'Nächster Monat',
};

const TEXTS_BY_LANGUAGE: Record<Language, typeof TEXTS> = { en: TEXTS, de: TEXTS_DE };

// Level 0: the documented selectors. Level 1: same roles, labels and texts, renamed classes and ids, per-item
// delete moved into an overflow menu and "Delete all" moved below the toolbar. Level 2: nothing matches.
const LEVELS = [
  {
    classes: {
      toolbar: 'filters-toolbar', filtersBar: 'filters-selected-bar', filterButton: 'filter-button', filterMenu: 'filter-menu',
      dateMenu: 'filter-by-date-menu', optionsList: 'filter-options-list', option: 'filter-by-date-option', customPanel: 'custom-date-range',
      applyButton: 'apd-apply-button', list: 'apd-records-list', record: 'apd-content-box with-activity-page', recordRow: 'record-row',
      summary: 'record-summary', transcript: 'record-summary-preview customer-transcript', recordInfo: 'record-info', item: 'item',
      deviceName: 'device-name', expand: 'apd-expand-toggle-button button-clear', detail: 'record-detail', deleteBanner: 'record-delete-banner clickable',
      deleteButton: 'record-delete-button', deleteAll: 'delete-displayed-recordings-text clickable', modal: 'apd-modal',
      confirm: 'apd-large-block-button button-red', cancel: 'apd-large-block-button button-white', message: 'full-width-message',
      expandedMenu: 'expanded-filter-menu', deviceMenu: 'filter-by-device-menu', deviceOption: 'filter-by-device-option',
      selectedLabel: 'selected-filter-label',
    },
    ids: { filtersBar: 'filters-selected-bar', filterMenu: 'filter-menu', custom: 'custom-date-range-filter', dateStart: 'date-start', dateEnd: 'date-end' },
    texts: TEXTS, layout: 'classic', listStyle: 'v2', csrfMeta: 'csrf-token',
  },
  {
    classes: {
      toolbar: 'vh-toolbar', filtersBar: 'vh-filter-chip-row', filterButton: 'vh-chip', filterMenu: 'vh-popover', dateMenu: 'vh-date-section',
      optionsList: 'vh-radio-list', option: 'vh-radio', customPanel: 'vh-custom', applyButton: 'vh-apply', list: 'vh-list',
      record: 'vh-card', recordRow: 'vh-card-row', summary: 'vh-card-main', transcript: 'vh-utterance', recordInfo: 'vh-meta', item: 'vh-meta-part',
      deviceName: 'vh-device', expand: 'vh-disclosure', detail: 'vh-card-detail', deleteBanner: 'vh-unused', deleteButton: 'vh-menu-action',
      deleteAll: 'vh-bulk-action', modal: 'vh-dialog', confirm: 'vh-btn vh-btn-danger', cancel: 'vh-btn', message: 'vh-list-status',
      movedActions: 'vh-bulk-row', expandedMenu: 'vh-popover-body', deviceMenu: 'vh-device-section', deviceOption: 'vh-device-radio',
      selectedLabel: 'vh-chip-value',
    },
    ids: { filtersBar: 'vh-filters', filterMenu: 'vh-filter-popover', custom: 'vh-custom-range', dateStart: 'vh-from', dateEnd: 'vh-to' },
    texts: TEXTS, layout: 'moved', listStyle: 'v2', csrfMeta: 'csrf-token',
  },
  {
    classes: {
      toolbar: 'x9f1', filtersBar: 'x9f2', filterButton: 'x9f3', filterMenu: 'x9f4', dateMenu: 'x9f5', optionsList: 'x9f6', option: 'x9f7',
      customPanel: 'x9f8', applyButton: 'x9f9', list: 'x9g1', record: 'x9g2', recordRow: 'x9g3', summary: 'x9g4', transcript: 'x9g5',
      recordInfo: 'x9g6', item: 'x9g7', deviceName: 'x9g8', expand: 'x9g9', detail: 'x9h1', deleteBanner: 'x9h2', deleteButton: 'x9h3',
      deleteAll: 'x9h4', modal: 'x9h5', confirm: 'x9h6', cancel: 'x9h7', message: 'x9h8', movedActions: 'x9h9',
      expandedMenu: 'x9j1', deviceMenu: 'x9j2', deviceOption: 'x9j3', selectedLabel: 'x9j4',
    },
    ids: { filtersBar: 'r-1', filterMenu: 'r-2', custom: 'r-3', dateStart: 'r-4', dateEnd: 'r-5' },
    texts: {
      ...TEXTS, title: 'Alexa activity', rahTitle: 'Alexa activity', sub: 'Everything you asked Alexa, in one place.', filterBy: 'Showing:', dateLabel: 'Time period',
      today: 'Past day', yesterday: 'Day before', week: 'This week', all: 'Everything', custom: 'Pick dates', listLabel: 'Activity',
      loading: 'Fetching…', end: "You're all caught up", none: 'Nothing here yet', deleteAll: 'Clear activity from {range}', deleteOne: 'Remove',
      confirmDelete: 'Clear', expand: 'More', moreActions: 'Options', deleteAllActivity: 'Clear activity from {range}', deleteActivity: 'Remove',
      activityOn: 'On {device}', moreOptions: 'Options',
    },
    layout: 'moved', listStyle: 'rah', csrfMeta: 'anti-csrftoken-a2z',
  },
];

const CSS = `
.rvh-wrap{max-width:980px;margin:0 auto;padding:18px 24px 80px}
.filters-toolbar,.vh-toolbar,.x9f1{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #e7e7e7;padding:10px 0;margin-bottom:6px}
.filter-button,.vh-chip,.x9f3{background:#fff;border:1px solid #D5D9D9;border-radius:8px;padding:7px 14px;font-size:14px;cursor:pointer;box-shadow:0 2px 5px rgba(213,217,217,.5)}
.vh-chip{border-radius:20px;background:#F0F2F2}
.filter-menu,.vh-popover,.x9f4{position:absolute;z-index:10;background:#fff;border:1px solid #D5D9D9;border-radius:8px;box-shadow:0 4px 14px rgba(0,0,0,.15);padding:12px 16px;width:320px}
.filter-by-date-menu>button,.vh-date-section>button,.x9f5>button{background:none;border:0;font-weight:700;font-size:14px;padding:4px 0 8px;cursor:default}
.filter-by-date-option,.vh-radio,.x9f7{display:flex;gap:8px;align-items:center;padding:6px 4px;cursor:pointer;border-radius:4px}
.filter-by-date-option:hover,.vh-radio:hover{background:#F7FAFA}
.custom-date-range,.vh-custom,.x9f8{padding:8px 4px 4px 26px}
.react-datepicker-wrapper{margin-bottom:8px}.react-datepicker-wrapper label{display:block;font-size:12px;font-weight:700}
.react-datepicker-wrapper input{width:150px;height:29px;border:1px solid #888C8C;border-radius:3px;padding:3px 7px}
.apd-apply-button,.vh-apply,.x9f9{background:#FFD814;border:1px solid #FCD200;border-radius:100px;padding:5px 18px;cursor:pointer}
.date-error{color:#CC0C39;font-size:12px}
.delete-displayed-recordings-text,.vh-bulk-action,.x9h4{color:#565959;font-size:14px;padding:6px 0}
.delete-displayed-recordings-text.enabled,.vh-bulk-action.enabled,.x9h4.enabled{color:#007185;cursor:pointer}
.delete-displayed-recordings-text.enabled:hover{text-decoration:underline;color:#C7511F}
.vh-bulk-row{padding:8px 0;text-align:right}.vh-bulk-action{background:#fff;border:1px solid #D5D9D9;border-radius:20px;padding:6px 14px}
.apd-content-box,.vh-card,.x9g2{border:1px solid #D5D9D9;border-radius:8px;margin:10px 0;padding:14px 18px;background:#fff}
.vh-card{border-radius:14px;background:#F7FAFA}
.record-row,.vh-card-row,.x9g3{display:flex;justify-content:space-between;gap:14px;align-items:flex-start}
.record-summary-preview,.vh-utterance,.x9g5{font-size:16px;font-weight:700;margin-bottom:4px}
.record-info,.vh-meta,.x9g6{color:#565959;font-size:13px;display:flex;gap:10px;flex-wrap:wrap}
.device-name{color:#565959}
.record-controls{display:flex;gap:6px;align-items:center;position:relative}
.apd-expand-toggle-button,.vh-disclosure,.x9g9,.overflow-toggle{background:none;border:0;cursor:pointer;width:32px;height:32px;border-radius:50%}
.apd-expand-toggle-button:hover,.vh-disclosure:hover,.overflow-toggle:hover{background:#F0F2F2}
.fa{display:inline-block;width:9px;height:9px;border-right:2px solid #0F1111;border-bottom:2px solid #0F1111}
.fa-chevron-down{transform:rotate(45deg) translate(-2px,-2px)}.fa-chevron-up{transform:rotate(-135deg) translate(-2px,-2px)}
.overflow-menu{position:absolute;right:0;top:34px;background:#fff;border:1px solid #D5D9D9;border-radius:8px;box-shadow:0 4px 14px rgba(0,0,0,.15);z-index:5}
.overflow-menu button{background:none;border:0;padding:10px 18px;cursor:pointer;white-space:nowrap}
.record-detail,.vh-card-detail,.x9h1{border-top:1px solid #eee;margin-top:12px;padding-top:10px}
.record-detail-line{margin-bottom:6px}.muted{color:#565959;font-size:13px}
.record-delete-banner{border-top:1px solid #eee;margin-top:8px;padding-top:10px;text-align:center}
.record-delete-button,.x9h3{background:#fff;border:1px solid #D5D9D9;border-radius:100px;padding:6px 22px;cursor:pointer;box-shadow:0 2px 5px rgba(213,217,217,.5)}
.record-delete-button:hover{background:#F7FAFA}
.full-width-message,.vh-list-status,.x9h8{text-align:center;color:#565959;padding:22px 0;font-size:14px}
.link-button{background:none;border:0;color:#007185;cursor:pointer;font-size:14px}
.apd-modal-overlay{position:fixed;inset:0;background:rgba(15,17,17,.45);display:flex;align-items:center;justify-content:center;z-index:50}
.apd-modal,.vh-dialog,.x9h5{background:#fff;border-radius:8px;padding:22px 26px;width:420px;box-shadow:0 8px 30px rgba(0,0,0,.3)}
.apd-modal h2,.vh-dialog h2,.x9h5 h2{font-size:20px;font-weight:700;margin:0 0 10px}
.apd-large-block-button,.vh-btn,.x9h6,.x9h7{display:block;width:100%;border-radius:100px;padding:8px;margin-top:10px;font-size:14px;cursor:pointer;border:1px solid #D5D9D9;background:#fff}
.button-red,.vh-btn-danger,.x9h6{background:#CC0C39;border-color:#CC0C39;color:#fff}
.apd-toast{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#232F3E;color:#fff;padding:10px 18px;border-radius:8px;z-index:60}
.filter-menu.inline-filter-menu{position:static;width:auto;box-shadow:none;margin-bottom:8px}
.expanded-filter-menu>div{border-bottom:1px solid #eee;padding:4px 0}
.filter-by-date-menu>button[aria-expanded],.filter-by-device-menu>button{cursor:pointer}
.a-icon-radio{display:inline-block;width:14px;height:14px;border:1px solid #888C8C;border-radius:50%;cursor:pointer;flex:none}
.a-icon-radio[aria-checked=true],[aria-checked=true]>.a-icon-radio{border:4px solid #007185}
.filter-by-date-option.icon-only{cursor:default}
.react-datepicker{display:inline-block;border:1px solid #aeaeae;border-radius:4px;background:#fff;margin:4px 0 8px;font-size:12px}
.react-datepicker__header{background:#f0f0f0;border-bottom:1px solid #aeaeae;padding:6px;display:flex;justify-content:space-between;align-items:center}
.react-datepicker__navigation{background:none;border:0;cursor:pointer;font-size:14px}
.react-datepicker__week{display:flex}
.react-datepicker__day-name,.react-datepicker__day{width:26px;line-height:26px;text-align:center;margin:1px}
.react-datepicker__day{cursor:pointer;border-radius:4px}.react-datepicker__day:hover{background:#f0f0f0}
.react-datepicker__day--outside-month{color:#aaa}.react-datepicker__day--disabled{color:#ccc;cursor:default}
.react-datepicker__day--selected{background:#216ba5;color:#fff}
.react-datepicker-wrapper input[readonly]{background:#fafafa;cursor:pointer}
.selected-filter-label{font-weight:700}
.delete-all-activity-button{background:#fff;border:1px solid #D5D9D9;border-radius:100px;padding:6px 16px;cursor:pointer}
.delete-all-activity-button:disabled{color:#999;cursor:default}
.date-section{margin:14px 0}.date-section-header{font-size:16px;font-weight:700;margin:0 0 6px;padding-bottom:4px;border-bottom:1px solid #e7e7e7}
.utterance-row{border:1px solid #D5D9D9;border-radius:12px;padding:12px 16px;margin:8px 0;background:#fff}
.utterance-text{font-size:16px;font-weight:700}.alexa-response-text{color:#333;margin-top:2px}
.activity-line{display:flex;gap:10px;align-items:center;color:#565959;font-size:13px;margin-top:6px;position:relative}
.activity-menu-button{margin-left:auto;background:none;border:0;cursor:pointer;width:30px;height:30px;border-radius:50%;font-size:18px}
.activity-menu-button:hover{background:#F0F2F2}
.activity-menu{position:absolute;right:0;top:30px;background:#fff;border:1px solid #D5D9D9;border-radius:8px;box-shadow:0 4px 14px rgba(0,0,0,.15);z-index:5}
.activity-menu button{background:none;border:0;padding:10px 18px;cursor:pointer;white-space:nowrap}
`;

/** `GET /alexa-privacy/apd/rvh` (and `/activity`): the page shell, the CSRF meta tag and the client script. */
function rvhPage(ctx: Ctx): void {
  const acct = ctx.account!;
  const redesign = acct.faults.redesign ?? 0;
  const level = LEVELS[redesign] ?? LEVELS[0];
  const variant = resolveVariant(acct.variant, acct.account.marketplace);
  // The redesign fault wins over the page kind: its pages are the "unknown future" ones.
  const rah = variant.page === 'rah' && redesign === 0;
  const texts = redesign === 2 ? level.texts : TEXTS_BY_LANGUAGE[variant.language];
  ctx.kind = rah ? 'amazon.rah' : 'amazon.rvh';
  const config = {
    ...level,
    texts,
    layout: rah ? 'rah' : level.layout,
    listStyle: rah || acct.faults.listMoved ? 'rah' : level.listStyle,
    variant,
    listPath: acct.faults.listMoved ? MOVED_LIST_PATH : rah || level.listStyle === 'rah' ? RAH_LIST_PATH : LIST_PATH,
    csrfPath: CSRF_PATH,
    deletePath: rah || level.listStyle === 'rah' ? RAH_DELETE_PATH : ctx.state.deletePath,
    serverNow: ctx.state.now(),
    defaultFilter: 'all',
    signinUrl: signinUrl(RVH_PATH),
  };
  const title = rah ? texts.rahTitle : texts.title;
  const head = `<meta name="${level.csrfMeta}" content="${escapeHtml(acct.csrfToken)}"><style>${CSS}</style>`;
  const body = `<div class="rvh-wrap"><h1 class="page-title">${escapeHtml(title)}</h1><div class="page-sub">${escapeHtml(rah ? texts.rahSub : texts.sub)}</div>
<div id="rvh-root"></div></div>
<script type="application/json" id="rvh-config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
<script>${CLIENT}</script>`;
  html(ctx, appShell(title, body, head, 'a-m-us a-aui_72554-c', variant.language === 'de' ? 'de-de' : 'en-us'));
}

function toSignin(ctx: Ctx): void {
  ctx.kind = 'amazon.page.signed_out';
  redirect(ctx, signinUrl(ctx.url.pathname + ctx.url.search));
}

export function rvhRoutes(): Route[] {
  const r = (method: Route['method'], path: string, handle: Route['handle']): Route =>
    ({ method, path, vendor: 'amazon', signedIn: true, signedOut: toSignin, handle });
  return [
    r('GET', RVH_PATH, rvhPage),
    r('GET', '/alexa-privacy/apd/activity', rvhPage),
    r('GET', '/alexa-privacy/apd/myad', retentionPage),
    r('POST', '/alexa-privacy/apd/myad', retentionPage),
  ];
}
