// Error texts as they are stored and published (SQLite, the API, MQTT, the log of a result): a vendor's error
// often quotes the URL it failed on, and its query string or fragment may carry a session id, a CSRF token or a
// one-time code. Those parts are cut; the scheme, host and path stay, which is what a person needs to read.

const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>`]+/gi;

/** One URL without its query and fragment (and without user:password@). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const cut = u.search !== '' || u.hash !== '';
    u.search = '';
    u.hash = '';
    u.username = '';
    u.password = '';
    return cut ? `${u.toString()}?…` : u.toString();
  } catch {
    return url.replace(/[?#].*$/, '?…');
  }
}

/** `text` with every URL in it shortened by redactUrl; undefined and null pass through. */
export function redactUrls<T extends string | null | undefined>(text: T): T {
  if (!text) return text;
  return text.replace(URL_IN_TEXT, (match) => {
    // A sentence's closing punctuation is not part of the URL.
    const trail = /[).,;:!]+$/.exec(match)?.[0] ?? '';
    return redactUrl(match.slice(0, match.length - trail.length)) + trail;
  }) as T;
}
