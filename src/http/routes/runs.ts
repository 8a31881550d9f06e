// The run history, for the admin (counts and times say when the household talks to its speakers): GET /api/runs
// (paged, newest first), GET /api/runs/:id (each account's result, its error in plain words, evidence links) and
// the evidence files themselves, decrypted here.
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { evidenceDir, readEvidence } from '../../browser/evidence.ts';
import { redactUrls } from '../../purge/redact.ts';
import { getAccountResult, getRun, listAccountResults, listAccountResultsOfRuns, listRuns } from '../../db/queries.ts';
import type { ApiDeps } from '../app.ts';
import { HttpRefusal } from '../auth.ts';
import { EVIDENCE_HTML_CSP } from '../security.ts';
import { accountId, errorKind, errorResponses, iso, nullableInt, nullableIso, nullableString, runListItem, runSummary } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';
import { helpFor, runView } from './status.ts';

export const EVIDENCE_FILES = ['screenshot.png', 'page.html'] as const;

const runDetailSchema = {
  ...runSummary,
  required: [...runSummary.required, 'accounts'],
  properties: {
    ...runSummary.properties,
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account_id', 'provider', 'status', 'found', 'deleted', 'remaining', 'error_kind', 'error_message', 'help', 'has_evidence'],
        properties: {
          account_id: { type: 'string' },
          name: nullableString,
          provider: { type: 'string' },
          status: { type: 'string' },
          found: nullableInt,
          deleted: nullableInt,
          remaining: nullableInt,
          pending: nullableInt,
          oldest_at: nullableIso,
          newest_at: nullableIso,
          error_kind: errorKind,
          error_message: nullableString,
          /** What the error means and what to do, in plain words. */
          help: nullableString,
          attempts: { type: 'integer' },
          started_at: nullableIso,
          finished_at: nullableIso,
          cutoff: nullableString,
          has_evidence: { type: 'boolean' },
          /** Admin only: links to the screenshot and the page's HTML. */
          evidence: {
            type: 'object',
            properties: { screenshot: nullableString, html: nullableString },
          },
          /** Admin only: what the purge observed (locators that matched, the delete requests the page sent). */
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

const runIdParam = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export async function runRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  const names = new Map(context.config.accounts.map((a) => [a.id, a.name]));

  app.get('/api/runs', {
    config: { access: 'admin' },
    schema: {
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
          /** A run id: only runs older than it (the `next_before` of the previous page). */
          before: runIdParam,
        },
      },
      response: {
        200: {
          type: 'object',
          required: ['runs', 'next_before'],
          properties: { runs: { type: 'array', items: runListItem }, next_before: nullableInt },
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const { limit, before } = req.query;
    // One run more than the page: whether there is a next page, in the same read.
    const rows = listRuns(context.db, { limit: limit + 1, before });
    const more = rows.length > limit;
    if (more) rows.pop();
    const byRun = new Map<number, ReturnType<typeof listAccountResultsOfRuns>>();
    for (const r of listAccountResultsOfRuns(context.db, rows.map((row) => row.id))) {
      const list = byRun.get(r.run_id) ?? [];
      list.push(r);
      byRun.set(r.run_id, list);
    }
    const runs = rows.map((row) => ({ ...runView(row), accounts: byRun.get(row.id) ?? [] }));
    return { runs, next_before: more ? rows.at(-1)!.id : null };
  });

  app.get('/api/runs/:id', {
    config: { access: 'admin' },
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: runIdParam } },
      response: { 200: runDetailSchema, ...errorResponses },
    },
  }, async (req) => {
    const { id } = req.params;
    const run = getRun(context.db, id);
    if (!run) throw new HttpRefusal(404, `no run ${id} (it may have been pruned from the history)`);
    const accounts = listAccountResults(context.db, id).map((r) => {
      let details: Record<string, unknown> = {};
      try { details = JSON.parse(r.details ?? '{}') as Record<string, unknown>; } catch { /* old row */ }
      const dir = r.evidence_dir ? evidenceDir(context.config.state_dir, id, r.account_id) : null;
      const files = dir ? EVIDENCE_FILES.filter((f) => existsSync(join(dir, f))) : [];
      const link = (f: string) => (files.includes(f as never) ? `/api/runs/${id}/evidence/${encodeURIComponent(r.account_id)}/${f}` : null);
      return {
        account_id: r.account_id, name: names.get(r.account_id) ?? null, provider: r.provider, status: r.status,
        found: r.found, deleted: r.deleted, remaining: r.remaining,
        pending: typeof details.pending === 'number' ? details.pending : null,
        oldest_at: iso(r.oldest_at), newest_at: iso(r.newest_at),
        error_kind: r.error_kind, error_message: redactUrls(r.error_message), help: helpFor(r.error_kind), attempts: r.attempts,
        started_at: iso(r.started_at), finished_at: iso(r.finished_at),
        cutoff: typeof details.cutoff === 'string' ? details.cutoff : null,
        has_evidence: files.length > 0,
        ...(req.admin ? { evidence: { screenshot: link('screenshot.png'), html: link('page.html') }, details } : {}),
      };
    });
    return { ...runView(run), accounts };
  });

  app.get('/api/runs/:id/evidence/:account/:file', {
    config: { access: 'admin' },
    schema: {
      params: {
        type: 'object',
        required: ['id', 'account', 'file'],
        properties: { id: runIdParam, account: accountId, file: { type: 'string', enum: [...EVIDENCE_FILES] } },
      },
      response: errorResponses,
    },
  }, async (req, reply) => {
    const { id, account, file } = req.params;
    const kept = getAccountResult(context.db, id, account)?.evidence_dir;
    const root = resolve(context.config.state_dir, 'evidence');
    const path = resolve(evidenceDir(context.config.state_dir, id, account), file);
    // The parameters are validated already; this is the belt to those braces.
    if (!kept || !path.startsWith(root + sep) || !existsSync(path)) {
      throw new HttpRefusal(404, `no ${file} kept for account ${account} in run ${id}`);
    }
    let clear: Buffer;
    try {
      clear = readEvidence(context.config.state_dir, id, account, file);
    } catch (err) {
      // A key that changed (VOICEWIPE_SECRET_KEY), or a damaged or moved file: say so, do not serve ciphertext.
      req.log.warn({ err: (err as Error).message, run_id: id, account }, 'evidence file cannot be decrypted');
      throw new HttpRefusal(410, `the ${file} kept for account ${account} in run ${id} cannot be decrypted with this voicewipe's key`);
    }
    reply.header('cache-control', 'private, no-store');
    if (file === 'page.html') {
      reply.header('content-security-policy', EVIDENCE_HTML_CSP);
      return reply.type('text/html; charset=utf-8').send(clear);
    }
    return reply.type('image/png').send(clear);
  });
}
