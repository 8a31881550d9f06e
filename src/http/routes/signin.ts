// Admin (or a one-time link's holder, for that account only): a person signs in to a vendor account through the daemon's own browser (src/signin/remote.ts).
//   POST   /api/signin/:account          open the account's sign-in page        → the sign-in's state
//   GET    /api/signin/:account          the sign-in's state (polled by the page)
//   GET    /api/signin/:account/screen   the latest picture of the page (JPEG; 204 before the first or after the end)
//   POST   /api/signin/:account/input    a click, typed text, a key or a scroll  → 204
//   DELETE /api/signin/:account          give up                                 → the sign-in's state
// Request bodies are never logged: they carry what the person types (passwords, codes).
import { ALLOWED_KEYS, SignInError } from '../../signin/remote.ts';
import type { SignInInput } from '../../signin/remote.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { accountId, errorResponses } from '../schemas.ts';
import type { RouteApp, Validated } from '../schemas.ts';

const params = { type: 'object', required: ['account'], properties: { account: accountId } } as const;

const view = {
  type: 'object',
  required: ['account_id', 'state', 'at', 'message', 'started_at', 'width', 'height', 'frames'],
  properties: {
    account_id: { type: 'string' },
    state: { type: 'string', enum: ['starting', 'waiting_for_person', 'signed_in', 'failed', 'timed_out', 'cancelled'] },
    at: { type: ['string', 'null'] },
    message: { type: ['string', 'null'] },
    started_at: { type: 'string' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    frames: { type: 'integer' },
  },
} as const;

const input = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['click', 'type', 'key', 'scroll'] },
    /** click: where, as fractions of the picture's width and height. */
    x: { type: 'number', minimum: 0, maximum: 1 },
    y: { type: 'number', minimum: 0, maximum: 1 },
    /** type: the text, as typed on a keyboard. */
    text: { type: 'string', minLength: 1, maxLength: 200 },
    /** key: one of the keys a sign-in form needs. */
    key: { type: 'string', enum: ALLOWED_KEYS },
    /** scroll: pixels down (negative: up). */
    dy: { type: 'integer', minimum: -5000, maximum: 5000 },
  },
} as const;

/** The fields each kind of input needs, so `{type: "click"}` without x and y is a 400 naming the field. */
function toAction(body: Validated<typeof input>): SignInInput {
  const need = <F extends Exclude<keyof typeof body, 'type'>>(field: F): NonNullable<typeof body[F]> => {
    const value = body[field];
    if (value === undefined) throw new HttpRefusal(400, `body.${field}: required for a ${body.type}`);
    return value;
  };
  switch (body.type) {
    case 'click': return { type: 'click', x: need('x'), y: need('y') };
    case 'type': return { type: 'type', text: need('text') };
    case 'key': return { type: 'key', key: need('key') };
    case 'scroll': return { type: 'scroll', dy: need('dy') };
  }
}

export async function signInRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  const signIns = context.signIns;
  const viewOf = (id: string) => {
    const v = signIns.view(id);
    if (!v) throw new HttpRefusal(404, `no sign-in for "${id}" has been started`);
    return { ...v, started_at: new Date(v.started_at).toISOString() };
  };
  const refusal = (err: unknown): never => {
    if (err instanceof SignInError) throw new HttpRefusal(err.status, err.message);
    throw err;
  };
  // The admin, or a browser that opened a one-time sign-in link for this very account (src/http/invite.ts).
  const access = { access: 'signin' as const };

  app.post('/api/signin/:account', { config: access, schema: { params, response: { 200: view, ...errorResponses } } }, async (req) => {
    const { account } = req.params;
    await signIns.start(account).catch(refusal);
    return viewOf(account);
  });

  app.get('/api/signin/:account', { config: access, schema: { params, response: { 200: view, ...errorResponses } } }, async (req) => viewOf(req.params.account));

  app.get('/api/signin/:account/screen', { config: access, schema: { params } }, async (req, reply) => {
    const { account } = req.params;
    const frame = signIns.frame(account);
    reply.header('cache-control', 'no-store');
    if (!frame) {
      if (!signIns.view(account)) throw new HttpRefusal(404, `no sign-in for "${account}" has been started`);
      // Started but nothing drawn yet, or already finished (the picture is dropped with the browser).
      return reply.code(204).send();
    }
    return reply.type('image/jpeg').send(frame);
  });

  app.post('/api/signin/:account/input', { config: access, schema: { params, body: input, response: errorResponses } }, async (req, reply) => {
    const { account } = req.params;
    await signIns.input(account, toAction(req.body)).catch(refusal);
    return reply.code(204).send();
  });

  app.delete('/api/signin/:account', { config: access, schema: { params, response: { 200: view, ...errorResponses } } }, async (req) => {
    const { account } = req.params;
    await signIns.cancel(account);
    return viewOf(account);
  });
}
