// voicewipe card for Home Assistant: one custom element, no build, no dependencies. It reads the entities that
// voicewipe's MQTT discovery creates (sensor.voicewipe_<account>_status, …) and shows each account with its
// status, last purge and totals, with the "purge now" buttons. Install: copy this file to /config/www/ and add
// `/local/ha-card.js` as a JavaScript module resource; then add a card `type: custom:voicewipe-card`.
// Options: `title`, `accounts` (list of account ids; default: every account found).

const STATUS_LABELS = {
  ok: 'OK', running: 'Purging…', failed: 'Failed', needs_person: 'Needs you', never_run: 'Not run yet',
  cancelled: 'Cancelled', interrupted: 'Interrupted',
};
const STATUS_COLOURS = { ok: 'var(--success-color, #43a047)', failed: 'var(--error-color, #db4437)', needs_person: 'var(--warning-color, #ffa600)' };

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function relative(iso) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '—';
  const minutes = Math.round((at - Date.now()) / 60_000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  if (Math.abs(minutes) < 48 * 60) return format.format(Math.round(minutes / 60), 'hour');
  return format.format(Math.round(minutes / 1440), 'day');
}

class VoicewipeCard extends HTMLElement {
  setConfig(config) {
    if (config.accounts !== undefined && !Array.isArray(config.accounts)) throw new Error('accounts must be a list of account ids');
    this.config = { title: 'Voice recordings', ...config };
    this.signature = undefined;
  }

  static getStubConfig() {
    return {};
  }

  getCardSize() {
    return 2 + this.accounts().length;
  }

  accounts() {
    if (!this._hass) return [];
    if (this.config?.accounts) return this.config.accounts.map((id) => String(id).toLowerCase().replace(/[^a-z0-9_]/g, '_'));
    return Object.keys(this._hass.states)
      .map((id) => /^sensor\.voicewipe_(.+)_status$/.exec(id)?.[1])
      .filter(Boolean)
      .sort();
  }

  set hass(hass) {
    this._hass = hass;
    const ids = ['switch.voicewipe_schedule', 'sensor.voicewipe_next_purge', 'binary_sensor.voicewipe_running',
      ...this.accounts().flatMap((a) => [`sensor.voicewipe_${a}_status`, `sensor.voicewipe_${a}_total_deleted`, `sensor.voicewipe_${a}_last_success`])];
    // Re-render only when one of our entities changed, not on every state change in the house.
    const signature = ids.map((id) => hass.states[id]?.last_updated ?? '').join('|');
    if (signature === this.signature) return;
    this.signature = signature;
    this.render();
  }

  state(id) {
    return this._hass.states[id];
  }

  render() {
    if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
    const running = this.state('binary_sensor.voicewipe_running')?.state === 'on';
    const schedule = this.state('switch.voicewipe_schedule');
    const next = this.state('sensor.voicewipe_next_purge')?.state;
    const rows = this.accounts().map((a) => {
      const status = this.state(`sensor.voicewipe_${a}_status`);
      const value = status?.state ?? 'unavailable';
      const name = status?.attributes?.name ?? a;
      const total = this.state(`sensor.voicewipe_${a}_total_deleted`)?.state;
      const last = this.state(`sensor.voicewipe_${a}_last_success`)?.state;
      const colour = STATUS_COLOURS[value] ?? 'var(--secondary-text-color)';
      const error = status?.attributes?.error_message;
      return `<div class="row">
        <div class="name">${escape(name)}<div class="sub">last purge ${escape(relative(last))} · ${escape(total ?? '—')} deleted in total</div>
          ${value === 'failed' || value === 'needs_person' ? `<div class="error">${escape(error ?? status?.attributes?.error_kind ?? '')}</div>` : ''}</div>
        <span class="status" style="color:${colour}">${escape(STATUS_LABELS[value] ?? value)}</span>
        <button data-entity="button.voicewipe_${escape(a)}_purge_now" ${running ? 'disabled' : ''}>Purge now</button>
      </div>`;
    }).join('');
    this.shadowRoot.innerHTML = `<style>
        .row { display: flex; align-items: center; gap: 12px; padding: 8px 0; border-top: 1px solid var(--divider-color); }
        .name { flex: 1; } .sub { color: var(--secondary-text-color); font-size: 0.85em; } .error { color: var(--error-color); font-size: 0.85em; }
        .status { font-weight: 500; } .head { display: flex; justify-content: space-between; align-items: center; padding-bottom: 8px; }
        button { cursor: pointer; border: none; border-radius: 6px; padding: 6px 10px; background: var(--primary-color); color: var(--text-primary-color, #fff); }
        button[disabled] { opacity: 0.5; cursor: default; }
      </style>
      <ha-card header="${escape(this.config.title)}"><div class="card-content">
        <div class="head"><span>${running ? 'Purging now…' : schedule?.state === 'on' ? `Next purge ${escape(relative(next))}` : 'Nightly purge is off'}</span>
          <button data-entity="button.voicewipe_purge_all" ${running ? 'disabled' : ''}>Purge all now</button></div>
        ${rows || '<div class="sub">No voicewipe accounts found: is the MQTT integration set up?</div>'}
      </div></ha-card>`;
    for (const button of this.shadowRoot.querySelectorAll('button[data-entity]')) {
      button.addEventListener('click', () => this._hass.callService('button', 'press', { entity_id: button.dataset.entity }));
    }
  }
}

if (!customElements.get('voicewipe-card')) customElements.define('voicewipe-card', VoicewipeCard);
window.customCards = window.customCards || [];
window.customCards.push({ type: 'voicewipe-card', name: 'voicewipe', description: 'Voice recording purges: status and purge buttons per account' });
