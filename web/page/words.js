// The page's words for the daemon's closed lists (states, run results, phases, triggers, providers). An account's
// headline and what to do come from the daemon itself (src/purge/status.ts); ERROR_TITLES here name a past run's
// errors in the history, the same words as src/purge/report.ts (test/web/page-modules.test.ts compares them).

/** @type {Record<string, string>} */
export const STATE_WORDS = {
  ok: 'All clear',
  needs_person: 'Needs you',
  failed: 'Last run failed',
  stopped: 'Last run was stopped',
  never_run: 'Not purged yet',
  disabled: 'Switched off in the config',
  running: 'Purging now',
  waiting: 'Waiting its turn',
  paused: 'Paused until someone looks',
};
/** @type {Record<string, string>} */
export const RUN_WORDS = {
  ok: 'OK', failed: 'Failed', needs_person: 'Needs you', cancelled: 'Stopped', interrupted: 'Interrupted', running: 'Running',
};
/** @type {Record<string, string>} */
export const ACCOUNT_RESULT_WORDS = {
  ok: 'OK', failed: 'Failed', skipped: 'Skipped', cancelled: 'Stopped', interrupted: 'Interrupted', pending: 'Waiting', running: 'Running',
};
/** @type {Record<string, string>} */
export const ERROR_TITLES = {
  needs_login: 'Sign-in needed',
  captcha: 'Captcha to solve',
  mfa_required: 'A code or approval is needed',
  bad_credentials: 'E-mail, password or code refused',
  page_changed: "The vendor's page changed",
  rate_limited: 'The vendor asked us to slow down',
  vendor_error: "The vendor's site failed",
  network: 'The vendor could not be reached',
  timeout: 'A page took too long',
  verification_failed: 'Recordings still listed after deleting',
  browser_crashed: 'The browser crashed',
  cancelled: 'Stopped',
  over_deleted: 'More was deleted than meant: paused',
};
/** @type {Record<string, string>} */
export const PHASE_WORDS = {
  starting_browser: 'Starting the browser',
  signing_in: 'Signing in',
  counting: 'Counting recordings',
  deleting: 'Deleting',
  verifying: 'Checking they are gone',
};
/** @type {Record<string, string>} */
export const TRIGGER_WORDS = {
  schedule: 'Schedule', catch_up: 'Catch-up', manual: 'By hand', api: 'Status page / API', mqtt: 'Home Assistant', cli: 'Command line', demo: 'Demo',
};
/** @type {Record<string, string>} */
export const PROVIDER_WORDS = { alexa: 'Amazon Alexa', google: 'Google Assistant' };
/** How an account signs in (issue 14). @type {Record<string, string>} */
export const SIGNIN_WORDS = { app_device: 'as the Alexa app (device "voicewipe")', web: 'with the password', person: 'by you, once' };

/** What an account's retention means, in the words of the README and Home Assistant's card: whole days, so at
 *  least N days are kept (keep_days 0: everything is deleted, up to the run).
 * @param {number | undefined} days
 */
export function keepWords(days) {
  if (days === undefined) return '';
  return days === 0 ? 'deletes everything' : `keeps at least ${days === 1 ? '1 day' : `${days.toLocaleString()} days`}`;
}

/** A word from one of the tables above, or the daemon's own word when the page does not know it yet.
 * @param {Record<string, string>} table
 * @param {string | null | undefined} key
 */
export const wordFor = (table, key) => (key ? (table[key] ?? key) : '');
