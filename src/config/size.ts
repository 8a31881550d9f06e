// Sizes checked on the raw YAML before the document is built: building it costs seconds per megabyte (the yaml
// library composes a long quoted string slowly), so a pasted blob, a runaway script or the wrong file given as
// the config is refused at once, naming the key and the limit. yaml's token tree (CST) is cheap to get.
import { Parser } from 'yaml';
import type { CST, LineCounter } from 'yaml';
import type { ConfigProblem } from './types.ts';

/** A config is a few KB (config.example.yaml, every key commented, is under 10 KB). */
export const MAX_FILE_BYTES = 64 * 1024;
/** The longest value a key takes is a path, an address or a list of origins: a few hundred characters. */
export const MAX_VALUE_CHARS = 4_096;
/** voicewipe's keys nest four levels (accounts → account → key → list); a deep tree is no config. */
export const MAX_DEPTH = 32;
/** Entries (lines with a value, items of a bracketed list) in the whole file: config.example.yaml has about 40.
 *  yaml's parser takes tens of microseconds per token, and each unknown key gets a "did you mean". */
export const MAX_ENTRIES = 2_000;
/** Past this many, the rest of the size problems would only repeat the point. */
const MAX_PROBLEMS = 10;

const SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

/** Files up to this size are still scanned to say which line (and key) made them big. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/** A file over MAX_FILE_BYTES; with its bytes (not decoded: a few MB of emoji take longer to decode than to
 *  scan), the longest line and the key it belongs to are named. */
export function fileTooBig(file: string, bytes: number, raw?: Buffer): ConfigProblem {
  const problem = { file, key: '', message: `the file is ${megabytes(bytes)}; a config is a few KB (at most ${MAX_FILE_BYTES / 1024} KB): is this the right file?` };
  if (raw === undefined) return problem;
  let longest = { start: 0, length: -1 };
  let line = 1;
  let longestLine = 1;
  for (let start = 0; start <= raw.length; line++) {
    const end = raw.indexOf(0x0a, start);
    const stop = end === -1 ? raw.length : end;
    if (stop - start > longest.length) { longest = { start, length: stop - start }; longestLine = line; }
    start = stop + 1;
  }
  if (longest.length <= MAX_VALUE_CHARS) return problem;
  // The key is read from the text just before and at the start of that line.
  const before = raw.subarray(Math.max(0, longest.start - 16 * 1024), longest.start).toString('utf8');
  const head = raw.subarray(longest.start, longest.start + 200).toString('utf8');
  return {
    file, line: longestLine, key: keyAt(before + head, before.length),
    message: `the file is ${megabytes(bytes)} (at most ${MAX_FILE_BYTES / 1024} KB), and line ${longestLine} alone is ` +
      `${megabytes(longest.length)} (a value is at most ${MAX_VALUE_CHARS.toLocaleString('en')} characters): was something pasted by mistake?`,
  };
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** The top-level key whose block holds `offset` (the last unindented line before it, read by its start only). */
function keyAt(source: string, offset: number): string {
  let start = source.lastIndexOf('\n', offset - 1) + 1;
  for (let lines = 0; lines < 10_000; lines++) {
    const head = source.slice(start, start + 200);
    if (/^[^\s#-]/.test(head)) return keyText(/^([^\s#:][^:\n]*):/.exec(head)?.[1] ?? '');
    if (start === 0) return '';
    start = source.lastIndexOf('\n', start - 2) + 1;
  }
  return '';
}

/** Values longer than MAX_VALUE_CHARS and trees deeper than MAX_DEPTH, with the key and line of each. */
export function oversizedValues(file: string, source: string, lines: LineCounter): ConfigProblem[] {
  // Thousands of entries, or brackets nested thousands deep, take yaml's own parser seconds: counted first, in one pass.
  const shape = scan(source);
  if (shape.deepAt !== undefined) {
    return [{ file, line: lineAt(source, shape.deepAt), key: keyAt(source, shape.deepAt), message: `brackets nested more than ${MAX_DEPTH} levels deep; voicewipe's keys go four levels down (accounts → account → key → list)` }];
  }
  if (shape.crowdedAt !== undefined) {
    return [{ file, line: lineAt(source, shape.crowdedAt), key: keyAt(source, shape.crowdedAt),
      message: `entry ${(MAX_ENTRIES + 1).toLocaleString('en')} of the file is here; a config has a few dozen (at most ${MAX_ENTRIES.toLocaleString('en')}): is this the right file?` }];
  }
  const problems: ConfigProblem[] = [];
  const say = (token: { offset: number }, key: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, line: lines.linePos(token.offset).line, key, message });
  };
  const check = (token: CST.Token | null | undefined, key: string) => {
    if (!token || !SCALARS.has(token.type)) return;
    const length = (token as CST.FlowScalar | CST.BlockScalar).source.length;
    if (length > MAX_VALUE_CHARS) {
      say(token, key, `a value of ${length.toLocaleString('en')} characters; at most ${MAX_VALUE_CHARS.toLocaleString('en')} here ` +
        '(a name, a path or an address): was something pasted by mistake?');
    }
  };
  // A stack, not recursion: a generated file may nest thousands of levels.
  const todo: { token: CST.Token | null | undefined; key: string; depth: number }[] = [];
  for (const document of new Parser(lines.addNewLine).parse(source)) {
    if (document.type === 'document') todo.push({ token: document.value, key: '', depth: 0 });
  }
  while (todo.length > 0 && problems.length < MAX_PROBLEMS) {
    const { token, key, depth } = todo.pop()!;
    if (!token) continue;
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth >= MAX_DEPTH) {
        say(token, key, `nested more than ${MAX_DEPTH} levels deep; voicewipe's keys go four levels down (accounts → account → key → list)`);
        continue;
      }
      const sequence = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
      token.items.forEach((item, i) => {
        const name = sequence ? `[${i}]` : keyName(item.key);
        const path = sequence || !key ? `${key}${name}` : `${key}.${name}`;
        check(item.key, `${path} (the key)`);
        if (item.key && !SCALARS.has(item.key.type)) todo.push({ token: item.key, key: path, depth: depth + 1 });
        todo.push({ token: item.value, key: path, depth: depth + 1 });
      });
    } else {
      check(token, key);
    }
  }
  // The stack visits the file back to front: report in reading order.
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function keyName(token: CST.Token | null | undefined): string {
  if (!token || !('source' in token) || typeof token.source !== 'string') return '?';
  return keyText(token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar' ? token.source.slice(1, -1) : token.source);
}

function keyText(name: string): string {
  return name.length > 40 ? `${name.slice(0, 37)}…` : name;
}

/** One pass over the text, outside quotes and comments: where brackets first open past MAX_DEPTH, and where
 *  the entries (lines with content, commas between bracketed items) pass MAX_ENTRIES, if they do. */
function scan(source: string): { deepAt?: number; crowdedAt?: number } {
  let depth = 0;
  let entries = 0;
  let quote = '';
  let lineHasContent = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') {
      if (lineHasContent && ++entries > MAX_ENTRIES) return { crowdedAt: i };
      lineHasContent = false;
      continue;
    }
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && source[i + 1] === "'") i++;
        else quote = '';
      }
    } else if (c === '#' && (i === 0 || /\s/.test(source[i - 1]))) {
      const end = source.indexOf('\n', i);
      i = (end === -1 ? source.length : end) - 1;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(source[i - 1]))) {
      // A quote opens a string only where a value starts (inside a plain value it is a letter like any other).
      quote = c;
      lineHasContent = true;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return { deepAt: i };
      lineHasContent = true;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    } else if (c === ',' && depth > 0) {
      if (++entries > MAX_ENTRIES) return { crowdedAt: i };
    } else if (c !== ' ' && c !== '\t' && c !== '\r') {
      lineHasContent = true;
    }
  }
  return {};
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
