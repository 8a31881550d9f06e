// The Fastify app as one function, so tests build it and call app.inject() without a port.
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerFactory } from 'fastify';
import type { DaemonContext } from '../context.ts';
import { AdminTokenFile } from './admin-token.ts';
import { audit } from './audit.ts';
import { AdminAuth, checkSameOrigin, HttpRefusal, isSafeMethod } from './auth.ts';
import type { Access } from './auth.ts';
import { lazyCompilers } from './compilers.ts';
import { HostAllowList } from './hosts.ts';
import type { HostListOptions } from './hosts.ts';
import { isLoopbackAddress } from './tls.ts';
import type { LiveView } from '../purge/live.ts';
import { formatValidationErrors } from './schemas.ts';
import { compressAssets, securityHeaders } from './security.ts';
import { accountRoutes } from './routes/accounts.ts';
import { adminRoutes } from './routes/admin.ts';
import { checkSiteRoutes } from './routes/check-site.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { pageRoutes } from './routes/page.ts';
import { runRoutes } from './routes/runs.ts';
import { sessionRoutes } from './routes/session.ts';
import { inviteRoutes } from './routes/invite.ts';
import { Invites } from './invite.ts';
import { SessionStore } from './sessions.ts';
import { signInRoutes } from './routes/signin.ts';
import { statusRoutes } from './routes/status.ts';

/** The parts of the daemon the HTTP app uses (tests may give a smaller context for the routes they test). */
export type AppDeps = Pick<DaemonContext, 'log' | 'db' | 'version' | 'mqttHealth'> & Partial<DaemonContext>;

/** What the status and admin routes need: the whole daemon (read at request time: parts are set after the
 *  app is built, e.g. mqttHealth), the admin check and the live view of the running run. */
export interface ApiDeps {
  context: DaemonContext;
  auth: AdminAuth;
  live: LiveView;
  heartbeatSeconds: number;
}

export interface AppOptions {
  /** Failed token attempts allowed per address per minute (tests lower or raise it). */
  maxAuthFailures?: number;
  /** Seconds between the event stream's keep-alive comments. */
  heartbeatSeconds?: number;
  /** HTTPS (src/http/tls.ts): the server that answers both TLS and plain HTTP on the one port. */
  serverFactory?: FastifyServerFactory;
  /** The machine's name and addresses for the Host allow-list (tests give fixed ones). */
  machine?: HostListOptions['machine'];
}

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { admin: boolean }
}

function isFull(deps: AppDeps): deps is DaemonContext {
  return Boolean(deps.config && deps.purge && deps.scheduler && deps.adminToken && deps.startedAt !== undefined);
}

export function buildApp(deps: AppDeps, opts: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    // Cast: pino's Logger is a FastifyBaseLogger; without it Fastify's instance type is parameterised by pino's.
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // Request lines would flood the journal (the status page polls): errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Explicit timeouts: a slow or stuck client on the LAN must not hold sockets open forever.
    connectionTimeout: 10_000,
    requestTimeout: 15_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 64 * 1024,
    // Behind the user's own TLS proxy: req.ip, req.protocol (Secure cookies) and req.host come from its headers.
    trustProxy: deps.config?.http.trust_proxy === true,
    return503OnClosing: true,
    schemaErrorFormatter: (errors, dataVar) => formatValidationErrors(errors as never, dataVar),
    // Validators and response serializers compiled at a route's first use, not at start (src/http/compilers.ts).
    schemaController: { compilersFactory: lazyCompilers },
  });

  // One error handler: the client learns what it did wrong (4xx), never our internals (5xx).
  app.setErrorHandler((err: { statusCode?: number; message: string; headers?: Record<string, string> }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500 && !(err instanceof HttpRefusal)) {
      req.log.error({ err }, 'request failed');
      return reply.code(status).send({ error: 'internal error', status });
    }
    if (err.headers) reply.headers(err.headers);
    return reply.code(status).send({ error: err.message, status });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url}`, status: 404 }));

  const http = deps.config?.http;
  const headers = securityHeaders(http?.frame_ancestors ?? []);
  let auth: AdminAuth | undefined;
  const sessions = isFull(deps) ? new SessionStore(deps.db) : undefined;
  const invites = isFull(deps) && sessions ? new Invites(sessions, deps.config.accounts) : undefined;
  if (isFull(deps)) {
    // The token is followed on disk: `voicewipe token --rotate` takes effect at once and signs every browser out.
    const tokenFile = new AdminTokenFile(deps.config.state_dir, () => {
      auth?.endAllSessions();
      deps.log.warn({ module: 'http' }, 'the admin token was rotated: every session on the status page has ended');
    }, deps.adminToken);
    auth = new AdminAuth({
      adminToken: () => tokenFile.current(), publicStatus: http!.public_status, maxFailures: opts.maxAuthFailures, sessions,
      inviteAllows: (req) => invites!.allows(req),
    });
  }
  const hosts = new HostAllowList({
    configured: http?.allowed_hosts ?? [],
    publicUrl: http?.public_url,
    machine: opts.machine,
  });
  app.decorateRequest('admin', false);
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(headers);
    // DNS rebinding: a page elsewhere that makes its name resolve here still sends its name. req.host is the
    // Host header (or, behind a trusted proxy, the name the proxy was asked for).
    if (!hosts.allows(req.host)) {
      audit(req, 'unknown_host', `Host ${String(req.host).slice(0, 100)}`);
      throw new HttpRefusal(421, `this voicewipe is not reached by the name "${String(req.host).slice(0, 100)}"; ` +
        'add it to http.allowed_hosts in the config if it is yours');
    }
    // What a person types into a vendor's sign-in (password, codes) never crosses the LAN in clear.
    if (req.url.startsWith('/api/signin') && req.protocol !== 'https' && !isLoopbackAddress(req.ip)) {
      audit(req, 'plain_http_refused');
      throw new HttpRefusal(403, 'remote sign-in needs HTTPS: open the status page with https:// (http.tls: auto or on), ' +
        'or through your own TLS proxy with http.trust_proxy: true');
    }
    // No state change on GET; and a state change only from this origin's own page (or a script).
    if (!isSafeMethod(req.method)) checkSameOrigin(req, hosts, http?.trust_proxy === true);
    const access = req.routeOptions.config?.access ?? 'open';
    if (auth && access !== 'open') req.admin = auth.authorize(req, access);
  });
  app.addHook('onSend', compressAssets);

  app.register(healthRoutes, deps);
  if (isFull(deps) && auth) {
    const api: ApiDeps = { context: deps, auth, live: deps.purge.live, heartbeatSeconds: opts.heartbeatSeconds ?? 15 };
    app.register(statusRoutes, api);
    app.register(runRoutes, api);
    app.register(eventRoutes, api);
    app.register(metricsRoutes, api);
    app.register(adminRoutes, api);
    app.register(accountRoutes, api);
    app.register(sessionRoutes, api);
    app.register(signInRoutes, api);
    app.register(inviteRoutes, { ...api, invites: invites! });
    app.register(pageRoutes, api);
    app.register(checkSiteRoutes, api);
  }
  return app;
}
