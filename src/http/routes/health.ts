// GET /healthz: for Docker's healthcheck, systemd and uptime monitors. 200 when the daemon can do its job.
import { pingDatabase } from '../../db/queries.ts';
import type { AppDeps } from '../app.ts';
import type { RouteApp } from '../schemas.ts';

export async function healthRoutes(app: RouteApp, deps: AppDeps): Promise<void> {
  app.get('/healthz', {
    // Asked every few seconds by Docker and monitors, often the daemon's only request for hours: its reply is the
    // four strings of the schema, written by JSON.stringify as fast-json-stringify would write them, so an idle
    // daemon never loads fast-json-stringify and its Ajv (about 2 MB, bench/results/idle-memory.md).
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      response: {
        '2xx': healthSchema,
        '5xx': healthSchema,
      },
    },
  }, async (_req, reply) => {
    let db: 'ok' | 'error' = 'ok';
    try { pingDatabase(deps.db); } catch { db = 'error'; }
    // A broker that is away degrades the appliance (Home Assistant goes blind) but purges still run.
    const mqtt = deps.mqttHealth();
    const status = db !== 'ok' ? 'error' : mqtt === 'disconnected' ? 'degraded' : 'ok';
    return reply.code(db === 'ok' ? 200 : 503).send({ status, db, mqtt, version: deps.version });
  });
}

const healthSchema = {
  type: 'object',
  required: ['status', 'db', 'mqtt', 'version'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'error'] },
    db: { type: 'string', enum: ['ok', 'error'] },
    mqtt: { type: 'string', enum: ['disabled', 'connected', 'disconnected'] },
    version: { type: 'string' },
  },
} as const;
