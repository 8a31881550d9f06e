// The page's few DOM helpers: find an element (or say which one the page lacks), build one, set its text.

/**
 * The element matching `selector` as `type`; throws naming the selector when the page has none (a typo, or
 * index.html and the scripts out of step), instead of a `null` failing somewhere later.
 * @template {Element} T
 * @param {string} selector
 * @param {{ new (): T; prototype: T }} type
 * @param {ParentNode} [root]
 * @returns {T}
 */
export function $as(selector, type, root = document) {
  const node = root.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`the page has no ${type.name} ${selector}`);
  return node;
}

/**
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement}
 */
export const $ = (selector, root = document) => $as(selector, HTMLElement, root);

/**
 * An element with attributes (`class`, `text`, `on<event>` listeners, the rest as attributes) and children.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';
/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/** Sets the text only when it changed, so a screen reader is not told the same words every few seconds.
 * @param {ParentNode} root
 * @param {string} selector
 * @param {string} text
 */
export function setText(root, selector, text) {
  const node = $(selector, root);
  if (node.textContent !== text) node.textContent = text;
}

/** The nodes of a sentence whose `backticked` words (commands, config keys, as the daemon writes them) show as
 *  code: built from text nodes, never parsed as HTML.
 * @param {string} text
 * @returns {(Node | string)[]}
 */
export function withCode(text) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', { text: part }) : part));
}

/** Sets a sentence with `backticked` code (withCode), only when its words changed.
 * @param {ParentNode} root
 * @param {string} selector
 * @param {string} text
 */
export function setTextWithCode(root, selector, text) {
  const node = $(selector, root);
  if (node.dataset.text === text) return;
  node.dataset.text = text;
  node.replaceChildren(...withCode(text));
}
