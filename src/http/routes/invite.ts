// One-time sign-in links (src/http/invite.ts):
//   POST /api/invite {account}         admin: a link for one account, valid 15 minutes → 201 {url, expires_at, qr_svg}
//   POST /api/invite/redeem {token}    anyone with the link: opens it (once) → the account, and a cookie for its sign-in
//   GET  /api/invite                   the account this browser's link allows (the page after a reload) or 404
// The link itself is never logged.
import { qrMatrix, qrSvg } from '../../qr.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { InviteRefused, inviteCookie } from '../invite.ts';
import type { Invites } from '../invite.ts';
import { accountId, errorResponses } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

const scope = {
  type: 'object',
  required: ['account_id', 'name', 'provider', 'expires_at'],
  properties: { account_id: { type: 'string' }, name: { type: 'string' }, provider: { type: 'string' }, expires_at: { type: 'string' } },
} as const;

const refusal = (err: unknown): never => {
  if (err instanceof InviteRefused) throw new HttpRefusal(err.statusCode, err.message);
  throw err;
};

export async function inviteRoutes(app: RouteApp, { context, invites }: ApiDeps & { invites: Invites }): Promise<void> {
  app.post('/api/invite', {
    config: { access: 'admin' },
    schema: {
      body: { type: 'object', required: ['account'], additionalProperties: false, properties: { account: accountId } },
      response: {
        201: {
          type: 'object', required: ['account_id', 'url', 'expires_at', 'qr_svg'],
          properties: { account_id: { type: 'string' }, url: { type: 'string' }, expires_at: { type: 'string' }, qr_svg: { type: 'string' } },
        },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    let invite;
    try { invite = invites.create(req.body.account, context.publicUrl); } catch (err) { refusal(err); }
    req.log.info({ account: invite!.account_id }, 'one-time sign-in link made');
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({
      account_id: invite!.account_id, url: invite!.url, expires_at: new Date(invite!.expires_at).toISOString(),
      qr_svg: qrSvg(qrMatrix(invite!.url), `Sign-in link for ${invite!.account_id}`),
    });
  });

  app.post('/api/invite/redeem', {
    config: { access: 'open' },
    schema: {
      body: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: { type: 'string', minLength: 1, maxLength: 100 } } },
      response: { 200: scope, ...errorResponses },
    },
  }, async (req, reply) => {
    let opened;
    try { opened = invites.redeem(req.body.token); } catch (err) { refusal(err); }
    req.log.info({ account: opened!.account.id }, 'a one-time sign-in link was opened');
    reply.header('set-cookie', inviteCookie(req, opened!.secret, Math.round((opened!.expires_at - Date.now()) / 1000)));
    reply.header('cache-control', 'no-store');
    return { account_id: opened!.account.id, name: opened!.account.name, provider: opened!.account.provider, expires_at: new Date(opened!.expires_at).toISOString() };
  });

  app.get('/api/invite', { config: { access: 'open' }, schema: { response: { 200: scope, ...errorResponses } } }, async (req) => {
    const found = invites.accountOf(req);
    if (!found) throw new HttpRefusal(404, 'this browser has no sign-in link open');
    return { account_id: found.account.id, name: found.account.name, provider: found.account.provider, expires_at: new Date(found.expires_at).toISOString() };
  });
}
