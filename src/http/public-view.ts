// What a visitor (not the admin) sees when `http.public_status: true`: each account's state in one word, what to
// do and who can do it, and nothing else. Counts, times and live progress tell anyone on the LAN when the household talks to its speakers
// and when it is home; they are for the admin only. Built by picking fields, so a field added later stays private.
import type { PurgeEventMap, PurgeEventName } from '../purge/events.ts';

export interface PublicStatus {
  version: string;
  admin: false;
  public_status: boolean;
  mqtt: string;
  schedule: { enabled: boolean };
  accounts: { id: string; name: string; provider: string; enabled: boolean; keep_days: number; state: string; headline: string | null; help: string | null; who?: string | null }[];
}

/** The admin's view (statusView in routes/status.ts) has these fields and many more. */
type StatusLike = Omit<PublicStatus, 'admin'> & { admin: boolean };

export function publicStatusView(view: StatusLike): PublicStatus {
  return {
    version: view.version,
    admin: false,
    public_status: view.public_status,
    mqtt: view.mqtt,
    schedule: { enabled: view.schedule.enabled },
    // What is wrong and who can fix it is for everyone: it is the point of a household's "needs you". So is how
    // long recordings are kept (a setting, not a trace of when anyone spoke).
    accounts: view.accounts.map((a) => ({ id: a.id, name: a.name, provider: a.provider, enabled: a.enabled, keep_days: a.keep_days, state: a.state, headline: a.headline, help: a.help, who: a.who ?? null })),
  };
}

/** The live stream for a visitor: which account changed state, never counts, phases or times. Undefined for
 *  events that carry only those (progress). */
export function publicEventPayload<E extends PurgeEventName>(name: E, payload: PurgeEventMap[E]): Record<string, unknown> | undefined {
  switch (name) {
    case 'run_started': return { accounts: (payload as PurgeEventMap['run_started']).accounts };
    case 'account_started': return { account_id: (payload as PurgeEventMap['account_started']).account_id, status: 'running' };
    case 'needs_login': return { account_id: (payload as PurgeEventMap['needs_login']).account_id, status: 'needs_person' };
    case 'account_finished': {
      const r = (payload as PurgeEventMap['account_finished']).result;
      return { account_id: r.account_id, status: r.status, error_kind: r.error_kind };
    }
    case 'run_finished': return { status: (payload as PurgeEventMap['run_finished']).status };
    default: return undefined;
  }
}
