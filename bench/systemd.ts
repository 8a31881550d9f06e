// How exposed the service is under its unit's sandbox: `systemd-analyze security --offline=yes`, 0 (locked
// down) to 10 (unprotected). test/install/systemd.test.ts holds it to ≤ 2.0 (1.9 with the README's drop-in for Chromium's sandbox).
import { execFile } from 'node:child_process';

const UNIT = new URL('../systemd/voicewipe.service', import.meta.url).pathname;

export interface SecurityReport {
  exposure: number;
  /** The directives systemd-analyze counts against the unit (its ✗ lines), e.g. "PrivateNetwork=". */
  open: string[];
  text: string;
}

export function analyzeUnitSecurity(unit = UNIT): Promise<SecurityReport> {
  return new Promise((resolve, reject) => {
    execFile('systemd-analyze', ['security', '--offline=yes', '--no-pager', unit], { timeout: 60_000 }, (err, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      const score = /Overall exposure level for \S+: ([\d.]+)/.exec(text);
      if (!score) { reject(new Error(`systemd-analyze security gave no score${err ? `: ${err.message}` : ''}\n${text}`)); return; }
      const open = [...text.matchAll(/^✗ (\S+)/gm)].map((m) => m[1]);
      resolve({ exposure: Number(score[1]), open, text });
    });
  });
}

export async function benchSystemd(): Promise<Record<string, number>> {
  return { systemd_exposure: (await analyzeUnitSecurity()).exposure };
}
