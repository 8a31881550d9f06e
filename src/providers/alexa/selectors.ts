// Every selector, path and text of Amazon's pages that voicewipe relies on, in one place (shared/vendors/alexa.md).
// Each element: the documented id/class first, then role + accessible name, then text. When Amazon redesigns,
// this is the file to change.
import { css, label, role, text } from '../locate.ts';
import type { Target } from '../locate.ts';

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
  email: t('signin.email', css('#ap_email'), css('input[name=email]:not([type=hidden])'), label(/email or mobile/i)),
  continue: t('signin.continue', css('#continue'), role('button', /^continue$/i)),
  password: t('signin.password', css('#ap_password'), css('input[name=password]'), css('input[type=password]')),
  rememberMe: t('signin.remember_me', css('input[name=rememberMe]'), label(/keep me signed in/i)),
  submit: t('signin.submit', css('#signInSubmit'), role('button', /^sign.?in$/i)),
  error: t('signin.error', css('#auth-error-message-box'), css('.a-alert-error'), role('alert')),
  captcha: t('signin.captcha', css('#auth-captcha-image'), css('#captchacharacters'), css('img[src*="captcha" i]'), text(/solve this puzzle|type the characters/i)),
  otp: t('signin.otp', css('#auth-mfa-otpcode'), css('input[name=otpCode]'), css('input[autocomplete=one-time-code]')),
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
/** Any listed record, whichever way it is marked up (for waiting in the page). */
export const ANY_RECORD = `${RECORD_CLASS}, ${RECORD_ROLE}`;

export const HISTORY = {
  filterOpen: t('rvh.filter_open', css('#filters-selected-bar > button'), css('#filter-menu button'), role('button', /^filter by/i)),
  customRange: t('rvh.custom_range', css('#custom-date-range-filter'), role('radio', /^custom$/i), text(/^custom$/i)),
  allHistory: t('rvh.all_history', css('.filter-by-date-option[data-filter="all"]'), role('radio', /^all history$/i), text(/^all history$/i)),
  dateStart: t('rvh.date_start', css('#date-start'), label(/^start date$/i)),
  dateEnd: t('rvh.date_end', css('#date-end'), label(/^end date$/i)),
  apply: t('rvh.apply', css('.apd-apply-button'), role('button', /^apply$/i)),
  message: t('rvh.list_message', css('.full-width-message'), role('status')),
  record: t('rvh.record', css(RECORD_CLASS), css(RECORD_ROLE)),
  deleteAll: t('rvh.delete_all', css('.delete-displayed-recordings-text.clickable.enabled'), role('button', /^delete all recordings for/i)),
  confirm: t('rvh.confirm', css('.apd-large-block-button.button-red'),
    { how: 'role', find: (s) => s.getByRole('dialog').getByRole('button', { name: /^delete$/i }) }),
  expand: t('rvh.expand', css('button.apd-expand-toggle-button'), role('button', /^show details$/i)),
  deleteOne: t('rvh.delete_one', css('.record-delete-banner.clickable button.record-delete-button'), css('button.record-delete-button'), role('button', /^delete recording$/i), role('menuitem', /^delete recording$/i)),
  moreActions: t('rvh.more_actions', css('.overflow-toggle'), role('button', /^more actions/i)),
  recordTime: t('rvh.record_time', css('.record-info .item')),
};

/** List states shown under the records. */
export const LIST_MESSAGES = { loading: /loading more/i, end: /end of list/i, empty: /no records found/i, error: /something went wrong/i };
