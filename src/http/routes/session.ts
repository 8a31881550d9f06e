// The page's sign-in: POST /api/session {token} exchanges the admin token for an HttpOnly, SameSite=Strict
// session cookie (the token itself never lives in the browser); DELETE /api/session signs out.
import type { ApiDeps } from '../app.ts';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from '../auth.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

const sessionState = { type: 'object', required: ['admin'], properties: { admin: { type: 'boolean' } } } as const;

export async function sessionRoutes(app: RouteApp, { auth }: ApiDeps): Promise<void> {
  app.post('/api/session', {
    config: { access: 'open' },
    schema: {
      body: {
        type: 'object',
        required: ['token'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1, maxLength: 256 } },
      },
      response: { 200: sessionState, ...errorResponses },
    },
  }, async (req, reply) => {
    auth.checkToken(req.ip, req.body.token.trim(), req);
    auth.endSession(sessionIdOf(req));
    const session = auth.createSession();
    req.log.info('admin signed in on the status page');
    reply.header('set-cookie', sessionCookie(req, session.id, session.maxAgeSeconds));
    reply.header('cache-control', 'no-store');
    return { admin: true };
  });

  app.delete('/api/session', {
    config: { access: 'open' },
    schema: { response: { 200: sessionState, ...errorResponses } },
  }, async (req, reply) => {
    auth.endSession(sessionIdOf(req));
    reply.header('set-cookie', clearedSessionCookie());
    return { admin: false };
  });
}
