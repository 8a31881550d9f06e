// What the page knows right now, in one place: the last status read, the runs loaded, whether this browser is
// the admin's, the event stream and the account cards. The other modules read and change it; nothing else holds state.

/** @typedef {import('./types.js').Status} Status */
/** @typedef {import('./types.js').RunListItem} RunListItem */

export const view = {
  /** @type {Status | null} */
  status: null,
  /** @type {RunListItem[]} */
  runs: [],
  /** @type {number | null} */
  nextBefore: null,
  /** Rows shown in the history table (the chart uses every run loaded). */
  shown: 10,
  admin: false,
  /** @type {EventSource | null} */
  events: null,
  /** The stream opened once: a later `open` is a reconnect, after which events may have been missed. */
  eventsOpened: false,
  /** @type {Map<string, HTMLElement>} */
  cards: new Map(),
};

/** The account's name from the last status, or its id. @param {string} id */
export function accountName(id) {
  return view.status?.accounts.find((a) => a.id === id)?.name ?? id;
}
