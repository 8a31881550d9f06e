// systemd integration: READY=1 once serving, WATCHDOG=1 while the event loop is healthy, STOPPING=1 on
// shutdown; nothing at all when systemd did not ask (no NOTIFY_SOCKET).
//
// Why shell out to `systemd-notify` rather than a native addon: Node cannot send on a unix datagram socket by
// itself, and the addons that can (unix-dgram, sd-notify) have no prebuilt binaries, so an offline Pi without
// a compiler could not install them. `systemd-notify` ships with systemd itself (so it is there wherever
// NOTIFY_SOCKET is), costs a few milliseconds per call, and waits until systemd has read the message. The unit
// needs NotifyAccess=all for messages from this child process.
import { execFile } from 'node:child_process';
import type { Logger } from './log.ts';

export type Exec = (file: string, args: string[], cb: (err: Error | null) => void) => void;

const defaultExec: Exec = (file, args, cb) => { execFile(file, args, { timeout: 5_000 }, (err) => cb(err)); };

export class SystemdNotifier {
  private readonly enabled: boolean;
  private readonly watchdogMs: number | undefined;
  private readonly log: Logger;
  private readonly exec: Exec;
  private timer?: NodeJS.Timeout;

  constructor(log: Logger, env: NodeJS.ProcessEnv = process.env, exec: Exec = defaultExec) {
    this.log = log;
    this.exec = exec;
    this.enabled = Boolean(env.NOTIFY_SOCKET);
    const usec = Number(env.WATCHDOG_USEC);
    // WATCHDOG_PID, when set, names the process the watchdog is for: only then is it ours.
    const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
    this.watchdogMs = this.enabled && forUs && usec > 0 ? usec / 1000 : undefined;
  }

  private send(...assignments: string[]): void {
    if (!this.enabled) return;
    this.exec('systemd-notify', assignments, (err) => {
      if (err) this.log.warn({ err: err.message, message: assignments.join(' ') }, 'could not notify systemd');
    });
  }

  /** Serving: systemd may now consider the service started. Starts the watchdog pings if asked for. */
  ready(status: string): void {
    this.send('READY=1', `STATUS=${status}`);
    if (this.watchdogMs) {
      // Half the watchdog period: a blocked event loop stops the pings and systemd restarts us.
      this.timer = setInterval(() => this.send('WATCHDOG=1'), Math.max(500, this.watchdogMs / 2));
      this.timer.unref();
    }
  }

  status(status: string): void {
    this.send(`STATUS=${status}`);
  }

  stopping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.send('STOPPING=1');
  }
}
