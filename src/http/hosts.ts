// The names this voicewipe may be reached by (its Host allow-list), against DNS rebinding: a web page on another
// site that makes its own name resolve to the Pi still sends its own name in Host and Origin, and is refused.
import { hostname as machineName, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

export interface HostListOptions {
  /** http.allowed_hosts: names the user reaches the page by (a reverse proxy's name, a DNS name of the LAN). */
  configured: string[];
  /** http.public_url, when set: its host is allowed too. */
  publicUrl?: string;
  /** Tests give a fixed name and addresses; the daemon reads the machine's. */
  machine?: () => { name: string; addresses: string[] };
  now?: () => number;
}

/** The machine's name and its current addresses (DHCP may change them while the daemon runs). */
export function machineIdentity(): { name: string; addresses: string[] } {
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) addresses.push(a.address.replace(/%.*$/, ''));
  }
  return { name: machineName(), addresses };
}

/** The host part of a Host header or URL host, lower-case, without port, brackets or a trailing dot; undefined
 *  when it is not a host at all. */
export function hostOnly(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return undefined;
    h = h.slice(1, end);
    return isIP(h) === 6 ? h : undefined;
  }
  const colon = h.indexOf(':');
  if (colon >= 0) {
    if (!/^\d{0,5}$/.test(h.slice(colon + 1))) return undefined;
    h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return /^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/.test(h) ? h : undefined;
}

/** How often the machine's addresses are read again when an unknown host comes (a new DHCP lease). */
const REFRESH_MS = 10_000;

export class HostAllowList {
  private readonly fixed: Set<string>;
  private readonly machine: () => { name: string; addresses: string[] };
  private readonly now: () => number;
  private own = new Set<string>();
  private readAt = -Infinity;

  constructor(opts: HostListOptions) {
    this.fixed = new Set(['localhost', '127.0.0.1', '::1', ...opts.configured.map((n) => hostOnly(n) ?? n.toLowerCase())]);
    if (opts.publicUrl) {
      try { const h = hostOnly(new URL(opts.publicUrl).host); if (h) this.fixed.add(h); } catch { /* checked by the config */ }
    }
    this.machine = opts.machine ?? machineIdentity;
    this.now = opts.now ?? Date.now;
    this.refresh();
  }

  private refresh(): void {
    const { name, addresses } = this.machine();
    const n = name.toLowerCase();
    this.own = new Set([n, `${n}.local`, ...addresses.map((a) => a.toLowerCase())]);
    this.readAt = this.now();
  }

  /** True when `host` (a Host header, or an Origin's host) names this voicewipe. */
  allows(host: string | undefined): boolean {
    const h = hostOnly(host);
    if (!h) return false;
    if (this.fixed.has(h) || this.own.has(h) || h.endsWith('.localhost')) return true;
    if (this.now() - this.readAt < REFRESH_MS) return false;
    this.refresh();
    return this.own.has(h);
  }

  /** The names, for a message to the user (the refused request learns nothing it did not know). */
  names(): string[] {
    return [...new Set([...this.fixed, ...this.own])].filter((n) => !isIP(n)).sort();
  }
}
