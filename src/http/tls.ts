// HTTPS built in: a self-signed certificate made at first start into the state directory (key 0600), its
// SHA-256 fingerprint shown by `voicewipe token` and in the start-up log so a person can check what the browser
// shows; and one port for both: a TLS handshake goes to HTTPS, plain HTTP gets a redirect to https:// (from this
// machine itself plain HTTP is still served, for health checks and scripts on the Pi).
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { HttpConfig } from '../config/types.ts';

// node:http without an `import`: an ES module's import of it reads every export, and its lazy `WebSocket`,
// `CloseEvent` and `MessageEvent` load Node's bundled fetch client (undici, about 1 MB) into a daemon that never
// uses it (bench/results/idle-memory.md). getBuiltinModule() hands over the module as CommonJS code sees it.
const { createServer: createHttpServer } = process.getBuiltinModule('node:http');

export interface Certificate {
  key: Buffer;
  cert: Buffer;
  /** SHA-256 of the certificate, as browsers show it (AA:BB:…). */
  fingerprint: string;
  notAfter: string;
}

export function certificatePaths(stateDir: string): { key: string; cert: string } {
  return { key: join(stateDir, 'tls', 'key.pem'), cert: join(stateDir, 'tls', 'cert.pem') };
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '');
  return a === '::1' || /^127\./.test(a);
}

/** Whether this config serves HTTPS: `on`, or `auto` unless it listens on loopback only. */
export function tlsEnabled(http: Pick<HttpConfig, 'tls' | 'host'>): boolean {
  if (http.tls === 'off') return false;
  if (http.tls === 'on') return true;
  return !(http.host === 'localhost' || isLoopbackAddress(http.host));
}

/** The certificate kept in the state directory, or undefined when there is none yet (or it is damaged). */
export function readCertificate(stateDir: string): Certificate | undefined {
  const paths = certificatePaths(stateDir);
  try {
    const cert = readFileSync(paths.cert);
    const key = readFileSync(paths.key);
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert, fingerprint: x509.fingerprint256, notAfter: x509.validTo };
  } catch {
    return undefined;
  }
}


/** The names a certificate should carry: this machine's name and `.local` name, localhost, the given extras. */
export function certificateNames(extra: string[] = []): { dns: string[]; ips: string[] } {
  const name = hostname().toLowerCase();
  const all = [...new Set([name, `${name}.local`, 'localhost', ...extra.map((n) => n.toLowerCase())])];
  return {
    dns: all.filter((n) => !isIP(n) && /^[a-z0-9.-]+$/.test(n)),
    ips: [...new Set(['127.0.0.1', '::1', ...all.filter((n) => isIP(n))])],
  };
}

/** Makes the certificate with `openssl req -x509` (EC P-256, ten years: a self-signed one is trusted by its
 *  fingerprint, not by its date) unless a good one is there. The key is written 0600 under a 0700 folder. */
export async function ensureCertificate(stateDir: string, extraNames: string[] = [], opts: { openssl?: string; timeoutMs?: number } = {}): Promise<Certificate> {
  const existing = readCertificate(stateDir);
  if (existing) {
    chmodSync(certificatePaths(stateDir).key, 0o600);
    return existing;
  }
  const paths = certificatePaths(stateDir);
  const dir = join(stateDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const { dns, ips } = certificateNames(extraNames);
  const san = [...dns.map((d) => `DNS:${d}`), ...ips.map((i) => `IP:${i}`)].join(',');
  const tmpKey = `${paths.key}.tmp`;
  const tmpCert = `${paths.cert}.tmp`;
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256', '-days', '3650',
    '-subj', `/CN=${dns[0] ?? 'voicewipe'}/O=voicewipe (self-signed)`, '-addext', `subjectAltName=${san}`,
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth',
    '-keyout', tmpKey, '-out', tmpCert,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(opts.openssl ?? 'openssl', args, { timeout: opts.timeoutMs ?? 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (err, _out, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl is not installed (apt install openssl)' : String(stderr || err.message).trim().split('\n')[0];
        reject(new Error(`could not make the HTTPS certificate: ${why}; or set http.tls: off (plain HTTP, only on a network you trust)`));
      } else resolve();
    });
  }).catch((err: Error) => {
    rmSync(tmpKey, { force: true });
    rmSync(tmpCert, { force: true });
    throw err;
  });
  chmodSync(tmpKey, 0o600);
  chmodSync(tmpCert, 0o600);
  renameSync(tmpKey, paths.key);
  renameSync(tmpCert, paths.cert);
  const made = readCertificate(stateDir);
  if (!made) throw new Error(`could not make the HTTPS certificate: openssl wrote ${paths.cert} but it does not match its key`);
  return made;
}

/** The certificate's fingerprint for `voicewipe token`, or undefined when there is none (yet). */
export function certificateFingerprint(stateDir: string): string | undefined {
  return existsSync(certificatePaths(stateDir).cert) ? readCertificate(stateDir)?.fingerprint : undefined;
}

/** Where plain HTTP from another machine is sent: the same host and port, over https. */
function redirectToHttps(req: IncomingMessage, res: ServerResponse): void {
  const host = req.headers.host;
  const safeHost = host && /^[a-z0-9.:[\]-]+$/i.test(host) ? host : undefined;
  res.setHeader('connection', 'close');
  if (!safeHost) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('use https://\n');
    return;
  }
  const path = (req.url ?? '/').startsWith('/') ? req.url : '/';
  res.writeHead(308, { location: `https://${safeHost}${path}`, 'content-type': 'text/plain; charset=utf-8' }).end('use https://\n');
}

/** A Fastify serverFactory: HTTPS and plain HTTP on one port, told apart by the first byte (0x16 starts every
 *  TLS handshake). Plain HTTP from loopback reaches the app; from elsewhere it is redirected. */
export function dualProtocolServer(cert: Certificate, servePlain: (address: string | undefined) => boolean = isLoopbackAddress): (handler: RequestListener) => Server {
  return (handler) => {
    const https = createHttpsServer({ key: cert.key, cert: cert.cert, minVersion: 'TLSv1.2' }, handler);
    const plain = createHttpServer((req, res) => {
      if (servePlain(req.socket.remoteAddress)) handler(req, res);
      else redirectToHttps(req, res);
    });
    const tlsListeners = https.listeners('connection') as ((socket: Socket) => void)[];
    https.removeAllListeners('connection');
    https.on('connection', (socket: Socket) => {
      // A client that connects and says nothing is dropped like any idle one.
      socket.setTimeout(10_000, () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        socket.setTimeout(0);
        socket.pause();
        socket.unshift(first);
        if (first[0] === 0x16) for (const listener of tlsListeners) listener.call(https, socket);
        else plain.emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
      socket.on('error', () => socket.destroy());
    });
    https.on('close', () => plain.close());
    return https as unknown as Server;
  };
}
