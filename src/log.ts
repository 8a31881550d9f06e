// One logger for the daemon, the CLI and Fastify: JSON lines on stdout (journald keeps them), pretty only
// when a person is watching a terminal. Every path that can carry a secret is redacted.
import pino from 'pino';
import type { Logger, LoggerOptions } from 'pino';

export type { Logger };

const SECRET_KEYS = ['password', 'password_file_content', 'totp_secret', 'totp', 'otpCode', 'token', 'admin_token',
  'cookie', 'cookies', 'authorization', 'secret', 'session', 'storageState', 'csrf'];

/** pino's redact paths: each secret key at the top and up to three levels down, and the HTTP headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

export interface LogOptions {
  level?: string;
  /** Pretty output; defaults to "stdout is a terminal". */
  pretty?: boolean;
  /** Where to write; defaults to stdout. Tests pass a stream to inspect what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? process.env.VOICEWIPE_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  const toStderr = opts.destination === process.stderr;
  const pretty = opts.pretty ?? ((opts.destination === undefined || toStderr) && (toStderr ? process.stderr : process.stdout).isTTY === true);
  if (pretty) {
    // pino-pretty is loaded in a worker only when a person watches; journald and files get plain JSON.
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', destination: toStderr ? 2 : 1 } } });
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
