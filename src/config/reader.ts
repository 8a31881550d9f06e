// Reads typed values out of a parsed YAML document and collects every problem with its line, instead of
// stopping at the first. load.ts says what voicewipe's keys are; this file knows how to read any of them.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { didYouMean } from './schema.ts';
import { substituteEnv } from './secrets.ts';
import type { ConfigProblem } from './types.ts';

/** One key of the file: its dotted path, the line it is on, and its value (null when left empty). */
export interface Entry {
  path: string;
  line?: number;
  node: Node | null;
}

export class Reader {
  readonly problems: ConfigProblem[] = [];
  readonly file: string;
  readonly env: NodeJS.ProcessEnv;
  readonly #doc: Document;
  readonly #lines: LineCounter;

  constructor(file: string, doc: Document, lines: LineCounter, env: NodeJS.ProcessEnv) {
    this.file = file;
    this.env = env;
    this.#doc = doc;
    this.#lines = lines;
  }

  problem(at: { path: string; line?: number }, message: string): void {
    // A quoted value is echoed so the user sees what was read; a pasted 20 KB blob is shown by its start only.
    const shortened = message.replace(/`([^`]*)`/g, (quoted, value: string) =>
      (value.length > 60 ? `\`${value.slice(0, 57)}…\` (${value.length} characters)` : quoted));
    this.problems.push({ file: this.file, ...(at.line === undefined ? {} : { line: at.line }), key: at.path, message: shortened });
  }

  lineOf(node: unknown): number | undefined {
    const range = (node as Node | null | undefined)?.range;
    return range ? this.#lines.linePos(range[0]).line : undefined;
  }

  /** The value node behind an alias, or null for an empty value (`key:` with nothing after it). */
  value(node: unknown): Node | null {
    const target = isAlias(node) ? node.resolve(this.#doc) : node;
    if (target === undefined || target === null) return null;
    if (isScalar(target) && target.value === null) return null;
    return target as Node;
  }

  root(): Entry {
    return { path: '', line: 1, node: this.value(this.#doc.contents) };
  }

  /**
   * The keys of a block, checked against the allowed ones (unknown keys are problems, with a suggestion).
   * An empty block (`http:` alone) reads as no keys, so every default applies.
   */
  mapping(entry: Entry, allowed: readonly string[]): Map<string, Entry> | undefined {
    const keys = new Map<string, Entry>();
    if (entry.node === null) return keys;
    if (!isMap(entry.node)) {
      this.problem(entry, `expected a block of \`key: value\` lines, got ${describe(entry.node)}`);
      return undefined;
    }
    for (const pair of entry.node.items) {
      const line = this.lineOf(pair.key) ?? entry.line;
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name === undefined) {
        this.problem({ path: entry.path, line }, 'keys must be plain names');
        continue;
      }
      const path = entry.path ? `${entry.path}.${name}` : name;
      if (!allowed.includes(name)) {
        const suggestion = didYouMean(name, allowed);
        this.problem({ path, line }, suggestion
          ? `unknown key; did you mean \`${suggestion}\`?`
          : `unknown key; allowed here: ${allowed.join(', ')}`);
        continue;
      }
      keys.set(name, { path, line, node: this.value(pair.value) });
    }
    return keys;
  }

  /** The items of a list, each with its own path (`accounts[2]`) and line. */
  list(entry: Entry, what: string): Entry[] | undefined {
    if (entry.node === null) return [];
    if (!isSeq(entry.node)) {
      this.problem(entry, `expected a list of ${what} (lines starting with \`- \`), got ${describe(entry.node)}`);
      return undefined;
    }
    return entry.node.items.map((item, i) => ({ path: `${entry.path}[${i}]`, line: this.lineOf(item) ?? entry.line, node: this.value(item) }));
  }

  /** A text value with `${ENV}` references replaced. */
  text(entry: Entry | undefined): string | undefined {
    if (!entry || entry.node === null) return undefined;
    const node = entry.node;
    if (!isScalar(node) || typeof node.value !== 'string') {
      const quoteHint = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')
        ? ` (put it in quotes to use it as text: "${String(node.source ?? node.value)}")` : '';
      this.problem(entry, `expected text, got ${describe(node)}${quoteHint}`);
      return undefined;
    }
    return this.substitute(entry, node.value);
  }

  substitute(entry: Entry, raw: string): string | undefined {
    const result = substituteEnv(raw, this.env);
    for (const reference of result.invalid) {
      this.problem(entry, `\`${reference}\` is not an environment reference: write \${NAME} (letters, digits, _), or $\${ for a literal \${`);
    }
    for (const name of result.missing) this.problem(entry, `environment variable ${name} is not set`);
    return result.invalid.length === 0 && result.missing.length === 0 ? result.value : undefined;
  }

  integer(entry: Entry | undefined, [min, max]: readonly [number, number]): number | undefined {
    const value = this.#scalarOrEnv(entry, (text) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined));
    if (!entry || value === undefined) return undefined;
    const range = max === Infinity ? `${min} or more` : `from ${min} to ${max}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      const hint = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? ' (remove the quotes)' : '';
      this.problem(entry, `expected a whole number ${range}, got ${describeValue(entry.node, value)}${hint}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.problem(entry, `must be ${range}, got ${value}`);
      return undefined;
    }
    return value;
  }

  boolean(entry: Entry | undefined): boolean | undefined {
    const value = this.#scalarOrEnv(entry, (text) => ({ true: true, false: false })[text.trim()]);
    if (!entry || value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      const hint = typeof value === 'string' ? ' (only unquoted true and false count; YAML reads yes, no, on and off as text)' : '';
      this.problem(entry, `expected true or false, got ${describeValue(entry.node, value)}${hint}`);
      return undefined;
    }
    return value;
  }

  /** One of a fixed set of words, with a suggestion when the given one is a near miss. */
  choice<T extends string>(entry: Entry | undefined, choices: readonly T[], what: string): T | undefined {
    const value = this.text(entry);
    if (!entry || value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    const suggestion = didYouMean(value, choices);
    this.problem(entry, `unknown ${what} \`${value}\`; ${suggestion ? `did you mean \`${suggestion}\`?` : `use one of: ${choices.join(', ')}`}`);
    return undefined;
  }

  /** A list of texts; `check` returns a problem message for an item that is not acceptable. */
  textList(entry: Entry | undefined, what: string, check: (value: string) => string | undefined): string[] | undefined {
    if (!entry) return undefined;
    const items = this.list(entry, what);
    if (!items) return undefined;
    const out: string[] = [];
    for (const item of items) {
      const value = this.text(item);
      const message = value === undefined ? (item.node === null ? 'empty list item' : undefined) : check(value);
      if (message) this.problem(item, message);
      if (value !== undefined && !message) out.push(value);
    }
    return out.length === items.length ? out : undefined;
  }

  /** A scalar's value; a text holding `${ENV}` is substituted and then converted (so `port: ${PORT}` works). */
  #scalarOrEnv(entry: Entry | undefined, convert: (text: string) => unknown): unknown {
    if (!entry || entry.node === null) return undefined;
    if (!isScalar(entry.node)) return entry.node;
    const value = entry.node.value;
    if (typeof value === 'string' && value.includes('${')) {
      const text = this.substitute(entry, value);
      if (text === undefined) return undefined;
      return convert(text) ?? { fromEnv: value };
    }
    return value;
  }
}

/** How a value reads to a person: "the text \"yes\"", "a list", … Never used for secret keys. */
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a block of keys';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return describeScalar(node.value);
  return 'something else';
}

function describeValue(node: Node | null, value: unknown): string {
  if (value && typeof value === 'object' && 'fromEnv' in value) return `\`${String(value.fromEnv)}\`, which is not one`;
  return node !== null && !isScalar(node) ? describe(node) : describeScalar(value);
}

function describeScalar(value: unknown): string {
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return String(value);
}
