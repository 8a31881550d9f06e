// One-time sign-in links: the admin (`voicewipe invite <account>`, or a button on the status page) makes a link
// valid 15 minutes that anyone in the house can open once; the browser that opens it may then do that one
// account's remote sign-in for a while, and nothing else: no purges, no settings, no other account.
import type { FastifyRequest } from 'fastify';
import type { AccountConfig } from '../config/types.ts';
import { parseCookies } from './auth.ts';
import type { SessionStore } from './sessions.ts';

/** How long a link can be opened. */
export const INVITE_LIFETIME_MS = 15 * 60_000;
/** How long the browser that opened it may sign in: long enough for a captcha and a code sent by text. */
export const INVITE_SESSION_MS = 30 * 60_000;
export const INVITE_COOKIE = 'voicewipe_invite';

export class InviteRefused extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

export interface Invite {
  account_id: string;
  /** `<public_url>#invite=<token>`: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  expires_at: number;
}

export class Invites {
  private readonly store: SessionStore;
  private readonly accounts: readonly AccountConfig[];

  constructor(store: SessionStore, accounts: readonly AccountConfig[]) {
    this.store = store;
    this.accounts = accounts;
  }

  private account(id: string): AccountConfig {
    const account = this.accounts.find((a) => a.id === id);
    if (!account) throw new InviteRefused(404, `no account "${id}" in the config (accounts: ${this.accounts.map((a) => a.id).join(', ') || 'none'})`);
    if (!account.enabled) throw new InviteRefused(409, `account "${id}" is switched off in the config (enabled: false): nothing to sign in to`);
    return account;
  }

  create(accountId: string, publicUrl: string): Invite {
    this.account(accountId);
    const { secret, expiresAt } = this.store.create('invite', INVITE_LIFETIME_MS, accountId);
    return { account_id: accountId, url: `${publicUrl}#invite=${secret}`, expires_at: expiresAt };
  }

  /** Opens a link: once, within its 15 minutes. Returns the browser's session secret (for the cookie). */
  redeem(token: string): { secret: string; account: AccountConfig; expires_at: number } {
    const invite = this.store.find(token, 'invite');
    if (!invite || invite.account_id === null) {
      throw new InviteRefused(410, 'this sign-in link is not valid any more (links work once, for 15 minutes): ask for a new one');
    }
    if (!this.store.use(token)) throw new InviteRefused(410, 'this sign-in link was already opened: ask for a new one');
    const account = this.account(invite.account_id);
    const { secret, expiresAt } = this.store.create('invite_session', INVITE_SESSION_MS, account.id);
    return { secret, account, expires_at: expiresAt };
  }

  /** The account the request's link session may sign in to, if any. */
  accountOf(req: FastifyRequest): { account: AccountConfig; expires_at: number } | undefined {
    const session = this.store.find(parseCookies(req.headers.cookie)[INVITE_COOKIE], 'invite_session');
    const account = session?.account_id ? this.accounts.find((a) => a.id === session.account_id && a.enabled) : undefined;
    return account && session ? { account, expires_at: session.expires_at } : undefined;
  }

  /** For AdminAuth: a `signin` route is allowed when its :account is the link's account. */
  allows(req: FastifyRequest): boolean {
    const wanted = (req.params as { account?: unknown } | undefined)?.account;
    return typeof wanted === 'string' && this.accountOf(req)?.account.id === wanted;
  }
}

export function inviteCookie(req: FastifyRequest, secret: string, maxAgeSeconds: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${INVITE_COOKIE}=${secret}; Path=/api/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}
