// A worker thread that samples a process tree every 100 ms (PSS summed, bytes written per process, the last
// reading of each) for the purge benchmark: reading /proc/<pid>/smaps_rollup of a browser's processes takes milliseconds each, which on the
// simulator's own thread would slow the very requests being measured.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { commandLine, processTree, pssMb } from '../src/browser/processes.ts';

/** Bytes a process made dirty in files that were not deleted before they reached the disk: write_bytes less
 *  cancelled_write_bytes (Chromium's shared memory files in /tmp are written, then deleted unwritten). */
function netWriteBytes(pid: number): number | undefined {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const get = (k: string) => Number(new RegExp(`^${k}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
    return Math.max(0, get('write_bytes') - get('cancelled_write_bytes'));
  } catch {
    return undefined; // gone: its last reading stands
  }
}

export interface Sampled { peakPssMb: number; written: [number, number][]; names: [number, string][]; peakBy: [number, number][] }

const { pid } = workerData as { pid: number };
let peak = 0;
/** PSS of each process at the moment of the peak (which process holds it). */
let peakBy: [number, number][] = [];
const written = new Map<number, number>();
const names = new Map<number, string>();
const sample = () => {
  const tree = processTree(pid);
  const each: [number, number][] = tree.map((p) => [p, pssMb(p)]);
  const sum = each.reduce((a, [, mb]) => a + mb, 0);
  if (sum > peak) { peak = sum; peakBy = each; }
  for (const p of tree) {
    const net = netWriteBytes(p);
    if (net !== undefined) written.set(p, net);
    const cmd = commandLine(p);
    // The name the process runs under now (bin/voicewipe is bash until it execs Node), and Chromium's --type.
    if (cmd && !names.get(p)?.startsWith(cmd.split(' ')[0])) names.set(p, `${cmd.split(' ')[0].split('/').pop()}${/--type=(\S+)/.exec(cmd)?.[1] ? ` ${/--type=(\S+)/.exec(cmd)![1]}` : ''}`);
  }
};
const timer = setInterval(sample, 100);
parentPort!.on('message', () => {
  clearInterval(timer);
  sample();
  parentPort!.postMessage({ peakPssMb: peak, written: [...written], names: [...names], peakBy } satisfies Sampled);
});
