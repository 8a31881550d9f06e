// Admin only: POST /api/purge (now, all accounts or one, for real or dry) and POST /api/schedule (on/off).
import { PurgeLocked, RunBusy, UnknownAccount } from '../../errors.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { accountId, errorResponse, errorResponses, scheduleState } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';
import { scheduleView } from './status.ts';

export async function adminRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  app.post('/api/purge', {
    config: { access: 'admin' },
    // `curl -X POST …/api/purge` with no body at all means "all accounts, for real". Only a missing body: a
    // JSON `null` (or any body that is not an object) is a mistake the schema answers with a 400.
    preValidation: async (req) => { if (req.body === undefined) req.body = {}; },
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          /** One account only (it runs even when its last run failed); all enabled accounts without it. */
          account: accountId,
          /** Count what would be deleted; delete nothing. */
          dry_run: { type: 'boolean' },
        },
      },
      response: {
        202: { type: 'object', required: ['run_id'], properties: { run_id: { type: 'integer' } } },
        409: errorResponse,
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const body = req.body;
    if (body.account !== undefined) {
      const account = context.config.accounts.find((a) => a.id === body.account);
      if (!account) {
        throw new HttpRefusal(404, `body.account: no account "${body.account}" in the config (accounts: ${context.config.accounts.map((a) => a.id).join(', ') || 'none'})`);
      }
      if (!account.enabled) throw new HttpRefusal(400, `body.account: account "${body.account}" is disabled in the config`);
    }
    try {
      const { runId, done } = context.purge.runner.start({ trigger: 'api', accountId: body.account, dryRun: body.dry_run });
      done.catch((err) => req.log.error({ err, run_id: runId }, 'purge failed unexpectedly'));
      req.log.info({ run_id: runId, account: body.account ?? 'all', dry_run: body.dry_run === true }, 'purge started from the API');
      return reply.code(202).send({ run_id: runId });
    } catch (err) {
      if (err instanceof RunBusy) return reply.code(409).send({ error: err.message, status: 409, run_id: err.runId });
      if (err instanceof PurgeLocked) return reply.code(409).send({ error: err.message, status: 409, run_id: null });
      if (err instanceof UnknownAccount) throw new HttpRefusal(400, err.message);
      throw err;
    }
  });

  app.post('/api/schedule', {
    config: { access: 'admin' },
    schema: {
      body: {
        type: 'object',
        required: ['enabled'],
        additionalProperties: false,
        properties: { enabled: { type: 'boolean' } },
      },
      response: { 200: scheduleState, ...errorResponses },
    },
  }, async (req) => {
    const { enabled } = req.body;
    context.scheduler.setEnabled(enabled);
    return scheduleView(context);
  });
}
