// The QR encoder: the structure every reader relies on (finders, timing, size by length), and, where zbarimg is
// installed (apt install zbar-tools), a real decoder reads back exactly the text, for short and long links.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qrMatrix, qrSvg, qrTerminal } from '../src/qr.ts';
import type { QrMatrix } from '../src/qr.ts';

/** A plain PBM picture, 4 pixels a module, quiet zone of 4 modules. */
function pbm(m: QrMatrix): string {
  const scale = 4;
  const quiet = 4;
  const size = (m.length + quiet * 2) * scale;
  const rows: string[] = [];
  for (let y = 0; y < size; y++) {
    const my = Math.floor(y / scale) - quiet;
    let row = '';
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - quiet;
      row += m[my]?.[mx] ? '1' : '0';
    }
    rows.push(row);
  }
  return `P1\n${size} ${size}\n${rows.join('\n')}\n`;
}

const TEXTS = [
  'http://voicewipe.local:8733/#invite=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u',
  'HELLO',
  'https://voicewipe.example.net:8443/some/longer/path/#invite=' + 'x'.repeat(120),
  'é and ✓: UTF-8 bytes',
  'x'.repeat(700),
];

t.test('structure: finder patterns, timing, a version that fits', async (t) => {
  const m = qrMatrix(TEXTS[0]);
  t.equal(TEXTS[0].length, 84);
  t.equal(m.length, 37, 'an 84-byte link at level M is version 5 (37 modules)');
  t.equal(qrMatrix('HELLO').length, 21, 'five bytes fit version 1');
  for (const [x, y] of [[0, 0], [m.length - 7, 0], [0, m.length - 7]]) {
    const ring = [0, 1, 2, 3, 4, 5, 6].every((i) => m[y][x + i] && m[y + 6][x + i] && m[y + i][x] && m[y + i][x + 6]);
    t.ok(ring && m[y + 3][x + 3] && !m[y + 1][x + 1], `finder at ${x},${y}`);
  }
  for (let i = 8; i < m.length - 8; i++) t.equal(m[6][i], i % 2 === 0, `timing ${i}`);
  t.throws(() => qrMatrix('x'.repeat(3000)), /too long/);
  t.match(qrSvg(m, 'a <link>'), /^<svg [^>]*viewBox="0 0 45 45".*<title>a &lt;link&gt;<\/title>/);
  const lines = qrTerminal(m).trimEnd().split('\n');
  t.equal(lines.length, Math.ceil((37 + 4) / 2), 'two module rows per terminal line');
  t.ok(lines.every((l) => [...l].length === 41));
});

const zbar = ['/usr/bin/zbarimg', '/usr/local/bin/zbarimg'].find((p) => existsSync(p));
t.test('a real decoder reads every text back', { skip: zbar ? false : 'zbarimg not installed (apt install zbar-tools)' }, async (t) => {
  const dir = t.testdir();
  TEXTS.forEach((text, i) => {
    const file = join(dir, `qr-${i}.pbm`);
    writeFileSync(file, pbm(qrMatrix(text)));
    const out = spawnSync(zbar!, ['--raw', '-q', '-Sbinary', file], { encoding: 'utf8', timeout: 20_000 });
    t.equal(out.stdout.replace(/\n$/, ''), text, `decoded ${text.slice(0, 30)}`);
  });
});
