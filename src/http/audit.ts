// The audit trail: one log line (address, route, outcome) for every refused token, lockout, cross-site or
// foreign-Host request, so a person reading the journal sees who knocked. Never the token that was tried.
import type { FastifyRequest } from 'fastify';

export type AuditOutcome =
  | 'wrong_token' | 'locked_out' | 'cross_site' | 'unknown_host' | 'plain_http_refused' | 'too_many_streams';

export function audit(req: FastifyRequest, outcome: AuditOutcome, detail?: string): void {
  // The path without its query: a query may carry anything the client chose to put there.
  const route = `${req.method} ${req.url.split('?')[0].slice(0, 200)}`;
  req.log.warn({ audit: { address: req.ip, route, outcome, ...(detail ? { detail: detail.slice(0, 200) } : {}) } }, `refused: ${outcome.replace(/_/g, ' ')}`);
}

/** Says yes once per key per window: for refusals a client can repeat in a loop (log once a minute, not each). */
export class OncePer {
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(windowMs: number, now: () => number = Date.now) {
    this.windowMs = windowMs;
    this.now = now;
  }

  first(key: string): boolean {
    const now = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.windowMs) return false;
    if (this.seen.size > 10_000) {
      for (const [k, t] of this.seen) if (now - t >= this.windowMs) this.seen.delete(k);
      if (this.seen.size > 10_000) this.seen.clear();
    }
    this.seen.set(key, now);
    return true;
  }
}
