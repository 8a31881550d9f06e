// GET /: the status page (web/index.html, app.js, style.css: static files, no build). With
// `http.public_status: false` a visitor who is not signed in gets the same page with a 401: it shows only the
// sign-in form, and every data route answers 401 until then.
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { ApiDeps } from '../app.ts';
import type { RouteApp } from '../schemas.ts';

export const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));
/** Only the page's own files: at the top of web/ and its scripts' modules in web/page/ (not web/docs/, the
 *  README's pictures, nor web/tsconfig.json). */
const ASSET = /^\/(page\/)?[\w-]+\.(js|css|svg|png|ico)$/;

export async function pageRoutes(app: RouteApp, { auth }: ApiDeps): Promise<void> {
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    index: false,
    wildcard: true,
    // index.html only through GET / (which applies public_status).
    allowedPath: (pathName, _root, req) => ASSET.test(pathName) || (pathName === 'index.html' && req.routeOptions.url === '/'),
    // No build step means no hashed names: revalidate every time (ETag), so an upgrade shows at once.
    cacheControl: false,
    setHeaders: (reply) => { reply.header('cache-control', 'no-cache'); },
  });

  app.get('/', { config: { access: 'open' } }, async (req, reply) => {
    let allowed = auth.publicStatus;
    if (!allowed) {
      try { allowed = auth.authorize(req, 'admin'); } catch { allowed = false; }
    }
    reply.header('cache-control', 'no-cache');
    return reply.code(allowed ? 200 : 401).sendFile('index.html');
  });
}
