// GET /metrics: Prometheus text format (version 0.0.4), written by hand: a handful of series, no library.
import type { DaemonContext } from '../../context.ts';
import { countRunsByStatus, lastAccountResults, lastFinishedRun, listAccountStates } from '../../db/queries.ts';
import type { ApiDeps } from '../app.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteApp } from '../schemas.ts';

type Labels = Record<string, string>;
interface Family { name: string; help: string; type: 'counter' | 'gauge'; samples: { labels?: Labels; value: number }[] }

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function formatMetrics(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels && Object.keys(s.labels).length > 0
        ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
        : '';
      lines.push(`${f.name}${labels} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const RUN_STATUSES = ['ok', 'failed', 'needs_person', 'cancelled', 'interrupted', 'running'];

export function collectMetrics(context: DaemonContext): Family[] {
  const byStatus = new Map(countRunsByStatus(context.db).map((r) => [r.status, r.count]));
  const accounts = new Map(listAccountStates(context.db).map((a) => [a.id, a]));
  const last = new Map(lastAccountResults(context.db).map((r) => [r.account_id, r]));
  const configured = context.config.accounts;
  const lastRun = lastFinishedRun(context.db);
  const schedule = context.scheduler.state();
  const perAccount = (value: (id: string) => number | undefined) => configured.flatMap((a) => {
    const v = value(a.id);
    return v === undefined ? [] : [{ labels: { account: a.id, provider: a.provider } as Labels, value: v }];
  });
  return [
    { name: 'voicewipe_info', help: 'The running voicewipe version.', type: 'gauge', samples: [{ labels: { version: context.version }, value: 1 }] },
    {
      name: 'voicewipe_runs', type: 'gauge',
      help: `Purge runs kept in the history (history.keep_days), by status.`,
      samples: RUN_STATUSES.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
    },
    { name: 'voicewipe_running', help: '1 while a purge runs.', type: 'gauge', samples: [{ value: context.purge.runner.running ? 1 : 0 }] },
    {
      name: 'voicewipe_last_run_duration_seconds', help: 'How long the last finished run took.', type: 'gauge',
      samples: lastRun?.finished_at ? [{ value: (lastRun.finished_at - lastRun.started_at) / 1000 }] : [],
    },
    {
      name: 'voicewipe_last_run_timestamp_seconds', help: 'When the last finished run ended (Unix time).', type: 'gauge',
      samples: lastRun?.finished_at ? [{ value: lastRun.finished_at / 1000 }] : [],
    },
    { name: 'voicewipe_schedule_enabled', help: '1 when the nightly schedule is switched on.', type: 'gauge', samples: [{ value: schedule.enabled ? 1 : 0 }] },
    {
      name: 'voicewipe_next_run_timestamp_seconds', help: 'When the next scheduled purge starts (Unix time).', type: 'gauge',
      samples: schedule.next_run_at ? [{ value: schedule.next_run_at / 1000 }] : [],
    },
    {
      name: 'voicewipe_deleted_total', help: 'Recordings deleted for the account since voicewipe started keeping count.', type: 'counter',
      samples: perAccount((id) => accounts.get(id)?.total_deleted ?? 0),
    },
    {
      name: 'voicewipe_last_success_timestamp_seconds', help: 'When the account was last purged without error (Unix time).', type: 'gauge',
      samples: perAccount((id) => { const at = accounts.get(id)?.last_success_at; return at ? at / 1000 : undefined; }),
    },
    {
      name: 'voicewipe_remaining', help: 'Recordings older than the cut-off still listed after the account\'s last run.', type: 'gauge',
      samples: perAccount((id) => last.get(id)?.remaining ?? undefined),
    },
    {
      name: 'voicewipe_account_ok', help: '1 when the account\'s last run ended well, 0 when it failed or needs a person.', type: 'gauge',
      samples: perAccount((id) => { const s = accounts.get(id)?.last_status; return s ? (s === 'ok' ? 1 : 0) : undefined; }),
    },
  ];
}

export async function metricsRoutes(app: RouteApp, { context }: ApiDeps): Promise<void> {
  app.get('/metrics', {
    config: { access: 'admin' },
    schema: { response: { 200: { type: 'string' }, ...errorResponses } },
  }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return formatMetrics(collectMetrics(context));
  });
}
