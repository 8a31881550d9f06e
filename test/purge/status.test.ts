// The one decision of an account's state, case by case (a table): what the page, the API, MQTT and the CLI show.
import t from 'tap';
import { ERROR_KINDS, NEEDS_PERSON } from '../../src/errors.ts';
import { ERROR_HELP, ERROR_TITLES } from '../../src/purge/report.ts';
import { ACCOUNT_STATES, OVERDUE_AFTER_MS, accountStateOf, actionUrl } from '../../src/purge/status.ts';
import type { AccountStateInput, AccountStateView } from '../../src/purge/status.ts';

const NOW = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;
const base: AccountStateInput = {
  enabled: true, last_status: 'ok', last_error_kind: null, last_success_at: NOW - 10 * HOUR, live: null, paused: null,
  expected_since: NOW - 100 * HOUR, now: NOW,
};

type Expect = Pick<AccountStateView, 'state' | 'problem' | 'needs_person' | 'overdue' | 'headline'>;
const cases: [string, Partial<AccountStateInput>, Expect][] = [
  ['last run ok', {}, { state: 'ok', problem: false, needs_person: false, overdue: false, headline: null }],
  ['never run, daemon just started', { last_status: null, last_success_at: null, expected_since: NOW - HOUR },
    { state: 'never_run', problem: false, needs_person: false, overdue: false, headline: null }],
  ['never run for three days', { last_status: null, last_success_at: null, expected_since: NOW - 72 * HOUR },
    { state: 'never_run', problem: false, needs_person: false, overdue: true, headline: 'No successful purge yet' }],
  ['captcha', { last_status: 'failed', last_error_kind: 'captcha' }, { state: 'needs_person', problem: true, needs_person: true, overdue: false, headline: 'Captcha to solve' }],
  ['network failure', { last_status: 'failed', last_error_kind: 'network' }, { state: 'failed', problem: true, needs_person: false, overdue: false, headline: 'The vendor could not be reached' }],
  ['failing for 49 hours', { last_status: 'failed', last_error_kind: 'timeout', last_success_at: NOW - 49 * HOUR },
    { state: 'failed', problem: true, needs_person: false, overdue: true, headline: 'A page took too long' }],
  ['exactly 48 hours since a success', { last_success_at: NOW - OVERDUE_AFTER_MS }, { state: 'ok', problem: false, needs_person: false, overdue: true, headline: 'No successful purge for two days' }],
  ['cancelled', { last_status: 'cancelled', last_error_kind: 'cancelled' }, { state: 'stopped', problem: false, needs_person: false, overdue: false, headline: null }],
  ['interrupted', { last_status: 'interrupted' }, { state: 'stopped', problem: false, needs_person: false, overdue: false, headline: null }],
  ['running now, after a captcha', { live: 'running', last_status: 'failed', last_error_kind: 'captcha' },
    { state: 'running', problem: true, needs_person: true, overdue: false, headline: 'Captcha to solve' }],
  ['waiting its turn', { live: 'pending' }, { state: 'waiting', problem: false, needs_person: false, overdue: false, headline: null }],
  ['switched off, last run failed long ago', { enabled: false, last_status: 'failed', last_error_kind: 'captcha', last_success_at: null },
    { state: 'disabled', problem: false, needs_person: false, overdue: false, headline: null }],
  ['paused until acknowledged', { paused: { at: NOW - HOUR, reason: 'deleted more than expected' } },
    { state: 'paused', problem: true, needs_person: false, overdue: false, headline: 'Purging is paused' }],
  ['switched off and paused', { enabled: false, paused: { at: NOW, reason: null } }, { state: 'disabled', problem: false, needs_person: false, overdue: false, headline: null }],
  ['paused after an over-delete run', { last_status: 'failed', last_error_kind: 'over_deleted', paused: { at: NOW, reason: null } },
    { state: 'paused', problem: true, needs_person: false, overdue: false, headline: 'Purging is paused' }],
  ['failed with no kind recorded (an old row)', { last_status: 'failed', last_error_kind: null },
    { state: 'failed', problem: true, needs_person: false, overdue: false, headline: 'The last run failed' }],
];

for (const [name, change, expected] of cases) {
  t.test(name, async (t) => {
    const view = accountStateOf({ ...base, ...change });
    t.match(view, expected);
    t.ok((ACCOUNT_STATES as readonly string[]).includes(view.state));
    // Headline, help and who-can-fix-it come together, and only when something needs doing.
    t.equal(view.help === null, view.who === null);
    t.equal(view.help === null, view.headline === null, 'a headline exactly when there is help');
    if (view.problem || view.overdue) t.type(view.help, 'string', 'a problem always says what to do');
    if (view.state === 'ok' && !view.overdue) t.equal(view.help, null);
  });
}

t.test('every error kind: needs a person exactly for the kinds only a person can clear', async (t) => {
  for (const kind of ERROR_KINDS) {
    const view = accountStateOf({ ...base, last_status: 'failed', last_error_kind: kind });
    t.equal(view.needs_person, NEEDS_PERSON.has(kind), kind);
    t.equal(view.state, NEEDS_PERSON.has(kind) ? 'needs_person' : 'failed', kind);
    t.equal(view.headline, ERROR_TITLES[kind], `${kind}: its headline`);
    t.equal(view.help, ERROR_HELP[kind], `${kind}: its help`);
  }
  t.match(accountStateOf({ ...base, paused: { at: NOW, reason: 'deleted 900, more than usual' } }).help, /paused \(deleted 900, more than usual\).*acknowledge/);
});

t.test('the action link opens the sign-in when a person is needed, else the account', async (t) => {
  t.equal(actionUrl('http://pi.local:8733/', 'kitchen', { needs_person: true }), 'http://pi.local:8733/#signin=kitchen');
  t.equal(actionUrl('http://pi.local:8733/', 'kitchen', { needs_person: false }), 'http://pi.local:8733/#account=kitchen');
});
