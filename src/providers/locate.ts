// Layered locators: vendors rename classes every year, so each element is tried as a class/id selector
// first, then by role and accessible name, then by text. Which one matched is recorded as evidence, so a page
// that only still works through a fallback shows up in the run's details before it breaks altogether.
import type { Locator, Page } from 'playwright-core';
import { sleep } from '../async.ts';
import type { Observations } from './types.ts';

export type Scope = Page | Locator;

export interface Candidate {
  /** How it finds the element: `class` (ids and classes), `role` (role + accessible name), `text`. */
  how: 'class' | 'role' | 'text';
  find: (scope: Scope) => Locator;
}

export type Target = { name: string; candidates: Candidate[] };

export const css = (selector: string): Candidate => ({ how: 'class', find: (s) => s.locator(selector) });
/** By ARIA role, with an accessible name when given. */
export const role = (r: Parameters<Page['getByRole']>[0], name?: string | RegExp): Candidate =>
  ({ how: 'role', find: (s) => s.getByRole(r, name === undefined ? {} : { name }) });
export const label = (text: string | RegExp): Candidate => ({ how: 'role', find: (s) => s.getByLabel(text) });
export const text = (t: string | RegExp): Candidate => ({ how: 'text', find: (s) => s.getByText(t) });

/** The first candidate with a visible match right now, or undefined. Never waits. */
export async function locateNow(scope: Scope, target: Target, observations?: Observations): Promise<Locator | undefined> {
  const found = await lookNow(scope, target);
  if (found && observations) observations.locators[target.name] = found.matched;
  return found?.locator;
}

/** A visible match and which candidate found it (`class#0`, `role#1`…), recorded by the caller. */
export interface Match { locator: Locator; matched: string }

/** locateNow without recording: for looks made side by side, of which only one may count. */
export async function lookNow(scope: Scope, target: Target): Promise<Match | undefined> {
  // Every candidate asked at once: the browser answers them together, one round trip whether something matched
  // or not (most looks find nothing: polling for a menu, a calendar, an error).
  const visible = target.candidates.map((c) => c.find(scope).filter({ visible: true }));
  const counts = await Promise.all(visible.map((locator) => locator.count()));
  const index = counts.findIndex((n) => n > 0);
  if (index < 0) return undefined;
  return { locator: visible[index].first(), matched: `${target.candidates[index].how}#${index}` };
}

/** Polls the candidates until one is visible or `timeoutMs` passes; undefined when none appeared. */
export async function locate(scope: Scope, target: Target, timeoutMs: number, observations?: Observations): Promise<Locator | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await locateNow(scope, target, observations);
    if (found || Date.now() >= until) return found;
    await sleep(100);
  }
}
