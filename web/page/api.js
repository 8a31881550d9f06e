// Talking to the daemon: JSON in and out, with the session cookie; never throws on an HTTP error status.

/**
 * @typedef {object} Answer
 * @property {boolean} ok
 * @property {number} status
 * @property {any} data the JSON body (its shape: ./types.js), or null when there was none
 * @property {Headers} headers
 */

/**
 * @param {string} path
 * @param {{ method?: string; body?: unknown }} [opts]
 * @returns {Promise<Answer>}
 */
export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch { /* empty body */ }
  return { ok: res.ok, status: res.status, data, headers: res.headers };
}
