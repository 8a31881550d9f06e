// Finds the system's Chromium. voicewipe never downloads a browser: on a Pi (and in CI) it uses Debian's.
import { accessSync, constants, statfsSync } from 'node:fs';

export type ChromiumKind = 'headless-shell' | 'chromium';
export interface ChromiumBinary { path: string; kind: ChromiumKind }

// The real binary first: Debian's /usr/bin/chromium-headless-shell is a `sh` wrapper that does not exec, so
// killing the launched process would leave the browser running.
const CANDIDATES: ChromiumBinary[] = [
  { path: '/usr/lib/chromium/chromium-headless-shell', kind: 'headless-shell' },
  { path: '/usr/bin/chromium-headless-shell', kind: 'headless-shell' },
  { path: '/usr/bin/chromium', kind: 'chromium' },
  { path: '/usr/bin/chromium-browser', kind: 'chromium' },
];

/** Chromium keeps its shared memory (pictures, network buffers between its processes) in /dev/shm. Where that
 *  is small (Docker's 64 MB default) --disable-dev-shm-usage moves it to /tmp, which on a Pi is the SD card:
 *  about 25 MB written per purge (bench/results/purge.md). So only there. */
export function sharedMemoryArgs(path = '/dev/shm'): string[] {
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize >= 128 * 2 ** 20 ? [] : ['--disable-dev-shm-usage'];
  } catch {
    return ['--disable-dev-shm-usage'];
  }
}

/** Flags for a closed network and a small Pi. Without the first four, Chromium floods the network with
 *  background requests (component updates, sync, first-run pings) that a closed LAN refuses. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-gpu',
  ...sharedMemoryArgs(),
  '--disable-extensions',
  '--mute-audio',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--password-store=basic',
  // Fewer processes on a 1 GB Pi: the GPU and network services inside the browser process, no zygotes (the
  // browser runs without Chromium's own sandbox under Playwright anyway; systemd is the sandbox), and one
  // renderer for our single tab.
  '--in-process-gpu',
  '--enable-features=NetworkServiceInProcess2',
  '--no-zygote',
  '--renderer-process-limit=1',
  '--disable-features=site-per-process,IsolateOrigins,Translate,OptimizationHints,MediaRouter,BackForwardCache',
];

function executable(path: string): boolean {
  try { accessSync(path, constants.X_OK); return true; } catch { return false; }
}

export class ChromiumNotFound extends Error {
  constructor(tried: string[]) {
    super(`no Chromium found (tried ${tried.join(', ')}). Install it with: ` +
      'sudo apt-get install -y chromium-headless-shell  (or set browser.executable_path)');
    this.name = 'ChromiumNotFound';
  }
}

/** `configured` (browser.executable_path) wins; then the headless shell, which needs about half the memory
 *  of the full browser; then the full browser. `want: 'chromium'` skips the headless shell (a person's
 *  sign-in needs a browser that does not announce itself as HeadlessChrome). */
export function findChromium(configured?: string, want?: ChromiumKind): ChromiumBinary {
  if (configured) {
    if (!executable(configured)) throw new ChromiumNotFound([configured]);
    return { path: configured, kind: configured.includes('headless') ? 'headless-shell' : 'chromium' };
  }
  const list = want === 'chromium' ? CANDIDATES.filter((c) => c.kind === 'chromium') : CANDIDATES;
  const found = list.find((c) => executable(c.path));
  if (!found) throw new ChromiumNotFound(list.map((c) => c.path));
  return found;
}
