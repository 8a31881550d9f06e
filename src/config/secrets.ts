// Secrets come from files (`*_file`, mode 0600) or from the environment (`${NAME}`), never from the YAML itself.
// Nothing here ever puts a secret's value into a message.
import { readFileSync, statSync } from 'node:fs';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Substitution {
  value: string;
  /** Referenced variables that are not set. */
  missing: string[];
  /** `${...}` references that are not valid variable names (or not closed). */
  invalid: string[];
}

/** Replaces every `${NAME}` in a string value with the variable's value; `$${` stands for a literal `${`. */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv): Substitution {
  const missing: string[] = [];
  const invalid: string[] = [];
  const value = text.replace(/\$\$\{|\$\{([^}]*)(\})?/g, (match, name: string | undefined, close: string | undefined) => {
    if (match === '$${') return '${';
    if (close === undefined || name === undefined || !ENV_NAME.test(name)) { invalid.push(match); return match; }
    const found = env[name];
    if (found === undefined) { missing.push(name); return ''; }
    return found;
  });
  return { value, missing, invalid };
}

/** The variable name when `text` is exactly one `${NAME}` reference (the only form allowed for secret keys). */
export function envReference(text: string): string | undefined {
  const match = /^\$\{([^}]*)\}$/.exec(text.trim());
  return match && ENV_NAME.test(match[1]) ? match[1] : undefined;
}

/** Reads a secret file: the whole content minus trailing newlines. `error` says what is wrong, never what is in it. */
export function readSecretFile(path: string): { value?: string; error?: string } {
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { error: `${path} is not a regular file` };
    mode = stat.mode;
  } catch (error) {
    return { error: describeFsError(path, error) };
  }
  // Group or others may read (or replace) it: refuse, the way ssh does for private keys.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return { error: `${path} is readable by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); chmod 600 ${path}` };
  }
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    return { error: describeFsError(path, error) };
  }
  const value = content.replace(/[\r\n]+$/, '');
  if (value.length === 0) return { error: `${path} is empty` };
  return { value };
}

export function describeFsError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path} does not exist`;
  if (code === 'EACCES') return `${path} cannot be read by this user (permission denied)`;
  if (code === 'EISDIR') return `${path} is a directory, not a file`;
  return `${path} cannot be read (${code ?? String(error)})`;
}
