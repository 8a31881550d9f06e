// Admin only: "check the page" from the status page. POST /api/accounts/:id/check-site walks the account's purge
// flow up to, not including, the final delete and answers the locator table; GET …/check-site/bundle downloads
// the last check's evidence bundle (report, sanitised HTML, screenshot) as one JSON file for a bug report.
import { PurgeLocked } from '../../errors.ts';
import { loadProviders } from '../../providers/load.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { accountId, errorResponses } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

const params = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: accountId } } as const;

export async function checkSiteRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  let checking = false;
  const known = (id: string) => {
    if (!context.config.accounts.some((a) => a.id === id)) {
      throw new HttpRefusal(404, `no account "${id}" in the config (accounts: ${context.config.accounts.map((a) => a.id).join(', ') || 'none'})`);
    }
  };

  app.post('/api/accounts/:id/check-site', { config: { access: 'admin' }, schema: { params, response: { ...errorResponses } } }, async (req, reply) => {
    const { id } = req.params;
    known(id);
    const running = context.purge.runner.running;
    if (running) return reply.code(409).send({ error: `a purge is running (run ${running.runId}); check the page after it`, status: 409, run_id: running.runId });
    if (checking) return reply.code(409).send({ error: 'a page check is already running', status: 409, run_id: null });
    checking = true;
    try {
      // The page check's code, the providers' and the browser launcher: loaded at the first check, not at start.
      const [{ checkSites }, providers, { launchBrowser }] = await Promise.all([
        import('../../purge/check-site.ts'), loadProviders(), import('../../browser/launch.ts'),
      ]);
      const [check] = await checkSites({
        config: context.config, log: context.log.child({ module: 'check-site' }), vault: context.purge.vault, providers, launch: launchBrowser,
      }, id);
      return reply.send(check);
    } catch (err) {
      if (err instanceof PurgeLocked) return reply.code(409).send({ error: err.message, status: 409, run_id: null });
      throw err;
    } finally {
      checking = false;
    }
  });

  app.get('/api/accounts/:id/check-site/bundle', { config: { access: 'admin' }, schema: { params } }, async (req, reply) => {
    const { id } = req.params;
    known(id);
    const { readBundle } = await import('../../purge/check-site.ts');
    const bundle = readBundle(context.config.state_dir, id);
    if (!bundle) throw new HttpRefusal(404, `no page check for "${id}" yet: POST /api/accounts/${id}/check-site first`);
    return reply.header('content-disposition', `attachment; filename="voicewipe-check-site-${id}.json"`).type('application/json')
      .send(JSON.stringify({ ...bundle, version: context.version }));
  });
}
