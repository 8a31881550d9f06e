// voicewipe card for Home Assistant: one custom element, no build, no dependencies. It finds voicewipe's
// devices in Home Assistant's device and entity registries (manufacturer "voicewipe": the appliance and one
// device per account, linked with via_device), so renamed entities still show; each account's state, help and
// sign-in link come from its status sensor's attributes (what the daemon decided, src/purge/status.ts).
// Install with HACS (this repository, category Dashboard) or copy this file to /config/www/ and add
// `/local/voicewipe-card.js` as a JavaScript module resource; then add a card `type: custom:voicewipe-card`.
// Options: `title`, `accounts` (account ids to show; default: all), `show_purge_all` (default: true).

const STATE_WORDS = {
  ok: 'All clear', needs_person: 'Needs you', failed: 'Last run failed', stopped: 'Last run was stopped', paused: 'Paused',
  never_run: 'Not purged yet', disabled: 'Switched off', running: 'Purging now', waiting: 'Waiting its turn',
  unavailable: 'voicewipe is offline', unknown: 'No news yet',
};
// Colours mark states with a dot and a bar, never as text colour: text stays in the theme's text colours, so it
// keeps its contrast whatever the theme.
const STATE_COLOURS = {
  ok: 'var(--success-color, #43a047)', needs_person: 'var(--warning-color, #ffa600)', failed: 'var(--error-color, #db4437)',
  paused: 'var(--error-color, #db4437)', running: 'var(--info-color, #039be5)', waiting: 'var(--info-color, #039be5)',
};
const REFRESH_MS = 30_000;

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** "5 minutes ago", "in 3 hours", from now. */
function relative(iso, now = Date.now()) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return 'never';
  const minutes = Math.round((at - now) / 60_000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  if (Math.abs(minutes) < 48 * 60) return format.format(Math.round(minutes / 60), 'hour');
  return format.format(Math.round(minutes / 1440), 'day');
}

/** An account's retention as the status page words it (web/page/words.js keepWords): whole days. */
function keepWords(days) {
  if (!Number.isInteger(days)) return '';
  return days === 0 ? 'deletes everything' : `keeps at least ${days === 1 ? '1 day' : `${days.toLocaleString()} days`}`;
}

function httpUrl(url) {
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

class VoicewipeCard extends HTMLElement {
  static getStubConfig() {
    return { title: 'Voice recordings' };
  }

  /** The visual editor's form (Home Assistant 2024.2+). */
  static getConfigForm() {
    return {
      schema: [
        { name: 'title', selector: { text: {} } },
        { name: 'accounts', selector: { text: { multiple: true } } },
        { name: 'show_purge_all', selector: { boolean: {} } },
      ],
      computeLabel: (s) => ({ title: 'Title', accounts: 'Account ids to show (empty: all)', show_purge_all: 'Show "Purge all now"' })[s.name],
    };
  }

  setConfig(config) {
    if (!config || typeof config !== 'object') throw new Error('voicewipe-card: the configuration must be a mapping');
    if (config.accounts !== undefined && !Array.isArray(config.accounts)) throw new Error('voicewipe-card: accounts must be a list of account ids');
    if (config.title !== undefined && typeof config.title !== 'string') throw new Error('voicewipe-card: title must be text');
    this.config = { title: 'Voice recordings', show_purge_all: true, ...config };
    this.signature = undefined;
    if (this._hass) this.render();
  }

  getCardSize() {
    return 2 + this.model().accounts.length * 2;
  }

  /** Sections view: full width by default, a row per account. */
  getGridOptions() {
    return { columns: 12, rows: 2 + this.model().accounts.length * 2, min_columns: 6, min_rows: 2 };
  }

  connectedCallback() {
    // Times such as "3 hours ago" move on even when no entity changes.
    this.timer = setInterval(() => { if (this._hass) this.render(); }, REFRESH_MS);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  set hass(hass) {
    this._hass = hass;
    const ids = this.entityIds();
    // Re-render only when one of our entities changed, not on every state change in the house.
    const signature = ids.map((id) => `${id}:${hass.states[id]?.state}:${hass.states[id]?.last_updated ?? ''}`).join('|');
    if (signature === this.signature) return;
    this.signature = signature;
    this.render();
  }

  /** voicewipe's devices and their entities, from the registries. */
  model() {
    const hass = this._hass;
    if (!hass?.devices || !hass?.entities) return { appliance: undefined, accounts: [] };
    const ours = Object.values(hass.devices).filter((d) => d.manufacturer === 'voicewipe');
    const byDevice = new Map();
    for (const entity of Object.values(hass.entities)) {
      if (!entity.device_id || entity.hidden) continue;
      if (!byDevice.has(entity.device_id)) byDevice.set(entity.device_id, []);
      byDevice.get(entity.device_id).push(entity.entity_id);
    }
    // `test` sees the entity id, its state and its registry entry (entity_category: the diagnostic sensors and
    // the "Resume purges" button, a config entity, are told apart from the status sensor and "Purge now" by it).
    const find = (deviceId, test) => (byDevice.get(deviceId) ?? []).find((id) => test(id, hass.states[id], hass.entities[id] ?? {}));
    const domain = (id) => id.split('.')[0];
    const isResume = (id, e) => e.entity_category === 'config' || /_resume$/.test(id);
    const applianceDevice = ours.find((d) => !d.via_device_id);
    const appliance = applianceDevice && {
      purgeAll: find(applianceDevice.id, (id) => domain(id) === 'button'),
      running: find(applianceDevice.id, (id, s) => domain(id) === 'binary_sensor' && s?.attributes?.device_class === 'running'),
      schedule: find(applianceDevice.id, (id) => domain(id) === 'switch'),
      next: find(applianceDevice.id, (id, s) => domain(id) === 'sensor' && s?.attributes?.device_class === 'timestamp' && s?.attributes?.last_run_id === undefined),
    };
    const wanted = this.config?.accounts?.length ? new Set(this.config.accounts.map(String)) : undefined;
    const accounts = ours.filter((d) => d.via_device_id).map((device) => {
      // The status sensor carries the whole account state as attributes (account_id, help, action_url, …); the
      // sign-in method is an enum sensor too, but a diagnostic one without them. Offline, the attributes are gone.
      const status = find(device.id, (id, s) => domain(id) === 'sensor' && s?.attributes?.device_class === 'enum' && s.attributes.account_id !== undefined)
        ?? find(device.id, (id, s, e) => domain(id) === 'sensor' && !e.entity_category && s?.attributes?.options !== undefined);
      const purge = find(device.id, (id, _s, e) => domain(id) === 'button' && !isResume(id, e));
      const resume = find(device.id, (id, _s, e) => domain(id) === 'button' && isResume(id, e));
      const attrs = (status && hass.states[status]?.attributes) ?? {};
      return { device, status, purge, resume, attrs, id: attrs.account_id ?? device.id };
    }).filter((a) => a.status && (!wanted || wanted.has(String(a.attrs.account_id))))
      .sort((a, b) => (a.device.name_by_user ?? a.device.name ?? '').localeCompare(b.device.name_by_user ?? b.device.name ?? ''));
    return { appliance, accounts };
  }

  entityIds() {
    const { appliance, accounts } = this.model();
    return [appliance?.running, appliance?.schedule, appliance?.next, ...accounts.flatMap((a) => [a.status, a.purge, a.resume])].filter(Boolean);
  }

  moreInfo(entityId) {
    this.dispatchEvent(new CustomEvent('hass-more-info', { detail: { entityId }, bubbles: true, composed: true }));
  }

  render() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
    const hass = this._hass;
    const { appliance, accounts } = this.model();
    const now = Date.now();
    const running = appliance?.running ? hass.states[appliance.running]?.state === 'on' : false;
    const schedule = appliance?.schedule ? hass.states[appliance.schedule]?.state : undefined;
    const next = appliance?.next ? hass.states[appliance.next]?.state : undefined;
    const head = running ? 'Purging now…' : schedule === 'off' ? 'The nightly purge is switched off'
      : next && Number.isFinite(Date.parse(next)) ? `Next purge ${relative(next, now)}` : '';
    const rows = accounts.map((a) => {
      const entity = hass.states[a.status];
      const value = entity?.state ?? 'unavailable';
      const attrs = a.attrs;
      const name = a.device.name_by_user ?? a.device.name ?? attrs.name ?? a.id;
      const colour = STATE_COLOURS[value] ?? (attrs.overdue ? STATE_COLOURS.failed : 'var(--disabled-text-color, #9e9e9e)');
      const signIn = attrs.needs_person && httpUrl(attrs.action_url);
      // A paused account (it deleted more than expected) is skipped by every run until a person resumes it.
      const paused = value === 'paused';
      const lines = [];
      if (value !== 'disabled' && value !== 'unavailable') {
        lines.push(`last purge ${escapeHtml(relative(attrs.last_success_at, now))} · ${escapeHtml(Number(attrs.total_deleted ?? 0).toLocaleString())} deleted in total`);
      }
      const help = value === 'unavailable' ? '' : attrs.help;
      const keeps = value === 'unavailable' ? '' : keepWords(attrs.keep_days);
      return `<div class="row" data-account="${escapeHtml(a.id)}" data-state="${escapeHtml(value)}" style="--state:${colour}">
        <button class="name" data-more="${escapeHtml(a.status)}" aria-label="${escapeHtml(name)}: details">
          <span class="title"><span class="dot" aria-hidden="true"></span>${escapeHtml(name)}</span>
          <span class="state">${escapeHtml(STATE_WORDS[value] ?? value)}${attrs.overdue && value !== 'disabled' ? ' · overdue' : ''}</span>
          ${lines.map((l) => `<span class="sub">${l}</span>`).join('')}
          ${keeps ? `<span class="keeps">${escapeHtml(keeps[0].toUpperCase() + keeps.slice(1))}</span>` : ''}
          ${help ? `<span class="help">${escapeHtml(help)}</span>` : ''}
        </button>
        <div class="actions">
          ${signIn ? `<a class="action primary" href="${escapeHtml(signIn)}" target="_blank" rel="noopener">Sign in</a>` : ''}
          ${paused && a.resume ? `<button class="action primary" data-press="${escapeHtml(a.resume)}">Resume purges</button>` : ''}
          ${a.purge && value !== 'disabled' && !paused ? `<button class="action" data-press="${escapeHtml(a.purge)}" ${running || value === 'unavailable' ? 'disabled' : ''}>Purge now</button>` : ''}
        </div>
      </div>`;
    }).join('');
    const purgeAll = this.config.show_purge_all && appliance?.purgeAll;
    this.shadowRoot.innerHTML = `<style>
        :host { display: block; }
        .card-content { padding: 0 16px 12px; }
        .head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; padding: 0 0 8px;
          color: var(--secondary-text-color); }
        .row { display: flex; align-items: center; gap: 12px; padding: 10px 0 10px 10px; border-top: 1px solid var(--divider-color, #e0e0e0);
          border-left: 4px solid var(--state); }
        .name { flex: 1; min-width: 0; display: grid; gap: 2px; text-align: left; background: none; border: none; padding: 0; font: inherit;
          color: var(--primary-text-color); cursor: pointer; }
        .title { font-weight: 500; display: flex; align-items: center; gap: 8px; }
        .dot { width: 10px; height: 10px; border-radius: 50%; background: var(--state); flex: none; }
        .state { font-weight: 500; }
        .sub, .keeps, .help { color: var(--secondary-text-color); font-size: 0.9em; overflow-wrap: anywhere; }
        .actions { display: flex; flex-direction: column; gap: 6px; align-items: stretch; }
        .action { cursor: pointer; border-radius: 18px; padding: 6px 14px; font: inherit; font-size: 0.9em; font-weight: 500; text-align: center;
          text-decoration: none; background: transparent; color: var(--primary-text-color); border: 1px solid var(--divider-color, #9e9e9e); }
        /* The theme's primary colour as a thick border, not as text or fill behind text: the default blue with
           white text is under 3:1, so words keep the theme's text colour. */
        .action.primary { border: 2px solid var(--primary-color, #03a9f4); font-weight: 600; }
        .action[disabled] { opacity: 0.6; cursor: default; }
        .empty { color: var(--secondary-text-color); padding: 8px 0; }
      </style>
      <ha-card header="${escapeHtml(this.config.title)}"><div class="card-content">
        ${head || purgeAll ? `<div class="head"><span class="next">${escapeHtml(head)}</span>
          ${purgeAll ? `<button class="action" data-press="${escapeHtml(appliance.purgeAll)}" ${running ? 'disabled' : ''}>Purge all now</button>` : ''}</div>` : ''}
        ${rows || '<div class="empty">No voicewipe accounts found: is voicewipe connected to Home Assistant over MQTT?</div>'}
      </div></ha-card>`;
    for (const button of this.shadowRoot.querySelectorAll('[data-press]')) {
      button.addEventListener('click', () => this._hass.callService('button', 'press', { entity_id: button.dataset.press }));
    }
    for (const button of this.shadowRoot.querySelectorAll('[data-more]')) {
      button.addEventListener('click', () => this.moreInfo(button.dataset.more));
    }
  }
}

if (!customElements.get('voicewipe-card')) customElements.define('voicewipe-card', VoicewipeCard);
window.customCards = window.customCards || [];
if (!window.customCards.some((c) => c.type === 'voicewipe-card')) {
  window.customCards.push({
    type: 'voicewipe-card', name: 'voicewipe', preview: true,
    description: 'Voice recording purges: each account\'s state, "Purge now", a sign-in link when an account needs a person, "Resume purges" when one is paused',
  });
}
