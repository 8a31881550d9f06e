// Every selector, path and text of Amazon's pages that voicewipe relies on, in one place (shared/vendors/alexa.md).
// Each element: the documented id/class first, then role + accessible name, then text. When Amazon redesigns,
// this is the file to change.
import { css, label, role, text } from '../locate.ts';
import type { Candidate, Target } from '../locate.ts';

export const PATHS = {
  rvh: '/alexa-privacy/apd/rvh',
  csrf: '/alexa-privacy/apd/csrf-token',
  /** The JSON list endpoints the RVH page calls (classic, and the 2026 "new Alexa" variant). */
  list: '/alexa-privacy/apd/rvh/customer-history-records-v2',
  listRah: '/alexa-privacy/apd/rah/alexa-history-records-v2',
  /** Requests under this prefix sent while deleting are recorded as diagnostics. */
  apiPrefix: '/alexa-privacy/apd/',
};

/** The page is the signed-in Review Voice History app when one of these is present. */
export const CSRF_META = ['meta[name="csrf-token"]', 'meta[name="anti-csrftoken-a2z"]'];

const t = (name: string, ...candidates: Target['candidates']): Target => ({ name, candidates });

export const SIGN_IN = {
  email: t('signin.email', css('#ap_email'), css('#ap_email_login'), css('input[name=email]:not([type=hidden])'), label(/email or mobile|mobile number or email/i)),
  continue: t('signin.continue', css('#continue'), role('button', /^continue$/i)),
  password: t('signin.password', css('#ap_password'), css('input[name=password]'), css('input[type=password]')),
  rememberMe: t('signin.remember_me', css('input[name=rememberMe]'), label(/keep me signed in/i)),
  submit: t('signin.submit', css('#signInSubmit'), role('button', /^sign.?in$/i)),
  error: t('signin.error', css('#auth-error-message-box'), css('.a-alert-error'), role('alert')),
  captcha: t('signin.captcha', css('#auth-captcha-image'), css('#captchacharacters'), css('img[src*="captcha" i]'), text(/solve this puzzle|type the characters/i)),
  otp: t('signin.otp', css('#auth-mfa-otpcode'), css('input[name=otpCode]'), css('input[autocomplete=one-time-code]')),
  /** `/ap/cvf` with a code Amazon e-mailed or texted: only a person can read it (2025–2026). */
  cvfCode: t('signin.cvf_code', css('#cvf-input-code'), css('input[name="code"]')),
  otpRemember: t('signin.otp_remember', css('#auth-mfa-remember-device'), css('input[name=rememberDevice]'), label(/don.t (require|ask)/i)),
  otpSubmit: t('signin.otp_submit', css('#auth-signin-button'), role('button', /^sign.?in$|^submit$/i)),
  /** Push approval ("approve the notification sent to your device"): nothing we can answer. */
  approval: t('signin.approval', css('#channelDetailsForTransactionApproval'), text(/approve the notification/i)),
  passkeySkip: t('signin.passkey_skip', css('#passkey-nudge-skip'), css('#ap-account-fixup-phone-skip-link'), role('link', /^(not now|skip)$/i), role('button', /^(not now|skip)$/i)),
};

/** Texts on the 2-step page that mean the code went by SMS or e-mail, which no automation can read. */
export const OTP_BY_MESSAGE = /sent to your (phone|mobile|e-?mail)|text message|\bsms\b|resend (otp|code)/i;
/** The 2-step page for an authenticator app. */
export const OTP_BY_APP = /authenticator app/i;


const RECORD_CLASS = '.apd-content-box';
const RECORD_ROLE = '[role=list] [role=listitem]';
/** A record row of the 2026 Review Alexa History page. */
const RAH_ROW = '.utterance-row';
/** Any listed record, whichever way it is marked up (for waiting in the page). */
export const ANY_RECORD = `${RECORD_CLASS}, ${RECORD_ROLE}, ${RAH_ROW}`;

// Texts of the date filter, English and German (the .de page is German); anchored, so that "Delete all
// recordings" never passes for "All History".
const ALL_TEXT = /^\s*(all history|all|alle|gesamter verlauf|gesamte historie|gesamter zeitraum|alle aufnahmen)\s*$/i;
const CUSTOM_TEXT = /^\s*(custom|custom range|benutzerdefiniert|benutzerdefinierter zeitraum)\s*$/i;
/** A date option containing "All", as some working scripts find it. */
const ALL_WORD = /\ball\b|\balle\b|gesamt/i;
const CUSTOM_WORD = /custom|benutzerdefiniert/i;

/** A class-level candidate: elements of `selector` whose text matches `has` (still a class match, by its markup). */
const classWithText = (selector: string, has: RegExp): Candidate =>
  ({ how: 'class', find: (s) => s.locator(selector).filter({ hasText: has }) });

export const HISTORY = {
  /** Level one: the filter bar's button that opens the filter menu. */
  filterOpen: t('rvh.filter_open', css('#filters-selected-bar > button'), css('#filter-menu > button'),
    role('button', /^(filter by|filtern nach|filter)\b/i)),
  /** Level two (late 2026): the date-filter submenu inside the opened menu. */
  dateMenu: t('rvh.date_menu', css('#filter-menu div.filter-by-date-menu button'), css('div.filter-by-date-menu button'),
    css('#filter-menu > div.expanded-filter-menu button'), role('button', /^(filter by )?(date|datum|zeitraum)\b/i)),
  /** The visible list of date options (Today, Yesterday, Last 7 days, All History, Custom). */
  dateOptions: t('rvh.date_options', css('div.filter-options-list'), role('radiogroup')),
  allHistory: t('rvh.all_history', css('.filter-by-date-option[data-filter="all"]'), classWithText('.filter-by-date-option', ALL_WORD),
    role('radio', ALL_TEXT), role('option', ALL_TEXT), role('menuitemradio', ALL_TEXT), text(ALL_TEXT)),
  customRange: t('rvh.custom_range', css('#custom-date-range-filter'), classWithText('.filter-by-date-option', CUSTOM_WORD),
    role('radio', CUSTOM_TEXT), role('option', CUSTOM_TEXT), role('menuitemradio', CUSTOM_TEXT), text(CUSTOM_TEXT)),
  /** Inside a date option: the radio some pages only react to. */
  optionRadio: t('rvh.option_radio', css('input[type=radio]'), css('[class*="radio"]'), role('radio')),
  dateStart: t('rvh.date_start', css('#date-start'), label(/^(start date|from|startdatum|von|beginn)$/i), css('input[type=date] >> nth=0')),
  dateEnd: t('rvh.date_end', css('#date-end'), label(/^(end date|to|enddatum|bis|ende)$/i), css('input[type=date] >> nth=1')),
  apply: t('rvh.apply', css('.apd-apply-button'), role('button', /^(apply|anwenden|übernehmen|done|fertig|ok)$/i)),
  /** The custom range's complaint about the dates ("Enter a valid start and end date"). */
  dateError: t('rvh.date_error', css('.date-error'), css('.react-datepicker-wrapper ~ [role=alert]')),
  /** What the filter bar says is applied ("Filter by: 10/01/2026 - 11/29/2026"). */
  filterLabel: t('rvh.filter_label', css('#filters-selected-bar'), role('button', /^(filter by|filtern nach)\b/i)),
  message: t('rvh.list_message', css('.full-width-message'), role('status')),
  record: t('rvh.record', css(RECORD_CLASS), css(RAH_ROW), css(RECORD_ROLE)),
  deleteAll: t('rvh.delete_all', css('.delete-displayed-recordings-text.clickable.enabled'), css('.delete-all-activity-button:not([disabled])'),
    role('button', /^(delete all (recordings|activity|history) (for|from)|alle (aufnahmen|sprachaufnahmen|einträge|aktivitäten)\b.*löschen)/i)),
  confirm: t('rvh.confirm', css('.apd-large-block-button.button-red'),
    { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^(delete|delete all|löschen|alle löschen)$/i }) }),
  cancel: t('rvh.cancel', css('.apd-large-block-button.button-white'),
    { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^(cancel|abbrechen)$/i }) }),
  expand: t('rvh.expand', css('button.apd-expand-toggle-button'), role('button', /^(show details|details anzeigen)$/i)),
  deleteOne: t('rvh.delete_one', css('.record-delete-banner.clickable button.record-delete-button'), css('button.record-delete-button'),
    css('.activity-menu-delete'), role('button', /^(delete recording|delete|aufnahme löschen|löschen)$/i),
    role('menuitem', /^(delete recording|delete|delete activity|aufnahme löschen|aktivität löschen|löschen)$/i)),
  /** The ⋮ menu of a record (moved layouts, and every row of Review Alexa History). */
  moreActions: t('rvh.more_actions', css('.overflow-toggle'), css('.activity-menu-button'),
    role('button', /^(more actions|more options|weitere (aktionen|optionen))/i), text(/^\s*⋮\s*$/)),
  /** A react-datepicker calendar (fields that only take a picked day). */
  calendar: t('rvh.calendar', css('.react-datepicker'), role('dialog', /choose date|datum wählen/i)),
  calendarMonth: t('rvh.calendar_month', css('.react-datepicker__current-month')),
  calendarPrevious: t('rvh.calendar_previous', css('.react-datepicker__navigation--previous'), role('button', /^(previous month|vorheriger monat)$/i)),
  calendarNext: t('rvh.calendar_next', css('.react-datepicker__navigation--next'), role('button', /^(next month|nächster monat)$/i)),
};

/** List states shown under the records. */
export const LIST_MESSAGES = {
  loading: /loading more|wird geladen|weitere laden/i,
  end: /end of list|ende der liste/i,
  empty: /no records found|no (recordings|activity|history)|keine (einträge|aufnahmen|sprachaufnahmen|aktivitäten)( gefunden)?/i,
  error: /something went wrong|etwas ist schiefgelaufen/i,
};
