// Admin only: POST /api/accounts/:id/acknowledge — a person has looked at an over_deleted account's evidence;
// its purges resume. The pause itself is set by the purge runner (src/purge/run.ts).
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { accountId, errorResponses } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

export async function accountRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  app.post('/api/accounts/:id/acknowledge', {
    config: { access: 'admin' },
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: accountId } },
      response: {
        200: {
          type: 'object', required: ['account', 'was_paused'],
          properties: { account: { type: 'string' }, was_paused: { type: 'boolean' } },
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const { id } = req.params;
    if (!context.config.accounts.some((a) => a.id === id)) {
      throw new HttpRefusal(404, `no account "${id}" in the config (accounts: ${context.config.accounts.map((a) => a.id).join(', ') || 'none'})`);
    }
    const wasPaused = context.purge.recorder.acknowledge(id);
    if (wasPaused) {
      req.log.warn({ account: id }, 'over_deleted acknowledged by an admin: purges of this account resume');
      context.purge.events.emit('account_resumed', { account_id: id, at: Date.now() });
    }
    return { account: id, was_paused: wasPaused };
  });
}
