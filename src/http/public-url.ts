// The address people and Home Assistant should use for the status page: `http.public_url` when set, otherwise
// `https://<hostname>.local:<port>/` (what mDNS answers on a Pi; http:// when voicewipe's own TLS is off). Never the loopback address a wildcard bind
// lists first, which works only on the Pi itself.
import { hostname } from 'node:os';
import type { HttpConfig } from '../config/types.ts';
import { tlsEnabled } from './tls.ts';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** `port` is the port really listened on (the config may ask for 0 in tests). */
export function publicUrl(http: Pick<HttpConfig, 'host' | 'port' | 'public_url' | 'tls'>, port: number = http.port, host: string = hostname()): string {
  if (http.public_url) return http.public_url.endsWith('/') ? http.public_url : `${http.public_url}/`;
  let name: string;
  if (!WILDCARD.has(http.host)) name = http.host.includes(':') && !http.host.startsWith('[') ? `[${http.host}]` : http.host;
  else {
    // A bare host name is reached as <name>.local on a home network; a name with a dot is already a full one.
    const plain = host.trim().toLowerCase() || 'localhost';
    name = plain.includes('.') || plain === 'localhost' ? plain : `${plain}.local`;
  }
  // voicewipe's own HTTPS (http.tls) answers on the same port; plain http:// would only be redirected there.
  return `${tlsEnabled(http) ? 'https' : 'http'}://${name}:${port}/`;
}
