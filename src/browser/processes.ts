// Process trees from /proc: to find and kill a browser's whole tree, and to measure its memory as the kernel
// accounts it. PSS (proportional set size) splits shared pages between
// the processes that share them, so summing it over a browser's many processes counts each page once.
import { readFileSync, readdirSync } from 'node:fs';

function readKb(path: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

export function rssMb(pid: number): number {
  return readKb(`/proc/${pid}/status`, 'VmRSS') / 1024;
}

export function pssMb(pid: number): number {
  return readKb(`/proc/${pid}/smaps_rollup`, 'Pss') / 1024;
}

/** The pid and all its descendants (children found through /proc/<pid>/task/<tid>/children). */
export function processTree(root: number): number[] {
  const seen = [root];
  for (let i = 0; i < seen.length; i++) {
    let tasks: string[] = [];
    try { tasks = readdirSync(`/proc/${seen[i]}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        for (const child of readFileSync(`/proc/${seen[i]}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) {
          if (child) seen.push(Number(child));
        }
      } catch { /* gone */ }
    }
  }
  return seen;
}

export function commandLine(pid: number): string {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { return ''; }
}

/** Our own descendant whose command line carries `marker`: how a launched browser is found again. */
export function findDescendant(marker: string, root = process.pid): number | undefined {
  return processTree(root).find((pid) => pid !== root && commandLine(pid).includes(marker));
}

/** SIGKILL a process, its process group and every descendant: nothing of a hung browser may survive. */
export function killTree(pid: number): void {
  const tree = processTree(pid);
  try { process.kill(-pid, 'SIGKILL'); } catch { /* not a group leader, or gone */ }
  for (const p of tree) {
    try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Bytes a process has caused to be written to storage so far (/proc/<pid>/io write_bytes), 0 when gone. */
export function writeBytes(pid: number): number {
  try {
    const match = /^write_bytes: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Running (a zombie waiting to be reaped counts as gone: it writes nothing). */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')); } catch { return false; }
}

/** When the process started (clock ticks since boot, /proc/<pid>/stat field 22), undefined when gone: with the
 *  pid it names one process, not whichever later reuses the number. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
