// The Fastify app as one function, so tests build it and call app.inject() without a port.
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DaemonContext } from '../context.ts';
import { healthRoutes } from './routes/health.ts';

/** The parts of the daemon the HTTP app uses (tests may give a smaller context for the routes they test). */
export type AppDeps = Pick<DaemonContext, 'log' | 'db' | 'version' | 'mqttHealth'> & Partial<DaemonContext>;

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    // Cast: pino's Logger is a FastifyBaseLogger; without it Fastify's instance type is parameterised by pino's.
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // Request lines would flood the journal (the status page polls): errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Explicit timeouts: a slow or stuck client on the LAN must not hold sockets open forever.
    connectionTimeout: 10_000,
    requestTimeout: 15_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });

  // One error handler: the client learns what it did wrong (4xx), never our internals (5xx).
  app.setErrorHandler((err: { statusCode?: number; message: string; validation?: unknown }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(status).send({ error: 'internal error', status });
    }
    return reply.code(status).send({ error: err.message, status });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url}`, status: 404 }));

  app.register(healthRoutes, deps);
  return app;
}
