// The Home Assistant card (voicewipe-card.js) in real Chromium with a fake `hass`: it finds the accounts through
// the device and entity registries (renamed entity ids included), shows each state in words, offers "Sign in"
// only where a person is needed, "Purge now" only where purging is possible and "Resume purges" (not "Purge now")
// on a paused account, tells the status sensor from the diagnostic ones, opens more-info on a tap, keeps
// its times current, and every text has at least 4.5:1 contrast in a light and a dark theme. Screenshots land in
// web/docs/ with VOICEWIPE_UPDATE_DOCS=1.
import t from 'tap';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../src/browser/chromium.ts';

const CARD = new URL('../../voicewipe-card.js', import.meta.url).pathname;
const DOCS = new URL('../../web/docs/', import.meta.url).pathname;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString().replace('.000Z', '+00:00');
const URL_BASE = 'http://voicewipe.local:8733/';

interface Account { id: string; name: string; status: string; attrs?: Record<string, unknown>; purge?: boolean; renamed?: boolean; resumeId?: string }
const ACCOUNTS: Account[] = [
  { id: 'kitchen', name: 'Kitchen Echo', status: 'ok', attrs: { last_success_at: hoursAgo(9), total_deleted: 1234, keep_days: 30 } },
  { id: 'bedroom', name: 'Bedroom Echo Dot', status: 'needs_person', renamed: true,
    attrs: { needs_person: true, problem: true, action_url: `${URL_BASE}#signin=bedroom`, help: 'Amazon wants a person to solve a captcha: sign in once from the status page', last_success_at: hoursAgo(30) } },
  { id: 'office', name: 'Office Google', status: 'failed', attrs: { problem: true, overdue: true, help: 'the vendor could not be reached: check the Pi\'s network', last_success_at: hoursAgo(60), action_url: `${URL_BASE}#account=office` } },
  { id: 'living', name: 'Living-room Nest', status: 'running', attrs: { last_success_at: hoursAgo(24) } },
  { id: 'attic', name: 'Attic Echo', status: 'disabled', purge: false },
  { id: 'garage', name: 'Garage Echo', status: 'never_run', attrs: { keep_days: 0 } },
  // Its "Resume purges" button renamed: only its registry entry (entity_category config) says what it is.
  { id: 'hall', name: 'Hall Echo', status: 'paused', resumeId: 'button.hall_ack', attrs: { problem: true, help: 'purging is paused (deleted more than expected): acknowledge it on the status page to resume' } },
  { id: 'loft', name: 'Loft Echo', status: 'unavailable' },
];

/** What Home Assistant's frontend hands a card: states plus the device and entity registries. */
function fakeHass(accounts: Account[], running = false) {
  const states: Record<string, unknown> = {};
  const devices: Record<string, unknown> = { dev_appliance: { id: 'dev_appliance', name: 'voicewipe', manufacturer: 'voicewipe', via_device_id: null } };
  const entities: Record<string, unknown> = {};
  const add = (entityId: string, deviceId: string, state: string, attributes: Record<string, unknown> = {}, category?: string) => {
    states[entityId] = { entity_id: entityId, state, attributes, last_updated: hoursAgo(1) };
    entities[entityId] = { entity_id: entityId, device_id: deviceId, platform: 'mqtt', ...(category ? { entity_category: category } : {}) };
  };
  add('button.voicewipe_purge_all', 'dev_appliance', 'unknown');
  add('binary_sensor.voicewipe_running', 'dev_appliance', running ? 'on' : 'off', { device_class: 'running' });
  add('switch.voicewipe_schedule', 'dev_appliance', 'on');
  add('sensor.voicewipe_next_purge', 'dev_appliance', new Date(NOW + 15.5 * 3_600_000).toISOString(), { device_class: 'timestamp' });
  add('sensor.voicewipe_last_run', 'dev_appliance', hoursAgo(8), { device_class: 'timestamp', last_run_id: 40 });
  for (const a of accounts) {
    const dev = `dev_${a.id}`;
    devices[dev] = { id: dev, name: a.name, manufacturer: 'voicewipe', model: 'Amazon Alexa account', via_device_id: 'dev_appliance' };
    // Registered before the status sensor, as Home Assistant may list them: another enum sensor (diagnostic) and
    // the "Resume purges" button (config), neither of which the card may take for the status or "Purge now".
    add(`sensor.voicewipe_${a.id}_signin_method`, dev, 'web', { device_class: 'enum', options: ['app_device', 'web', 'person'] }, 'diagnostic');
    add(`sensor.voicewipe_${a.id}_signin_renewed`, dev, hoursAgo(100), { device_class: 'timestamp' }, 'diagnostic');
    if (a.purge !== false) add(a.resumeId ?? `button.voicewipe_${a.id}_resume`, dev, 'unknown', {}, 'config');
    // A renamed entity: nothing in its id says voicewipe or the account.
    const status = a.renamed ? 'sensor.upstairs_thing' : `sensor.voicewipe_${a.id}_status`;
    add(status, dev, a.status, {
      device_class: 'enum', options: ['ok', 'needs_person'], account_id: a.id, name: a.name, total_deleted: 0, needs_person: false,
      overdue: false, problem: false, help: null, action_url: `${URL_BASE}#account=${a.id}`, last_success_at: null, ...a.attrs,
    });
    add(`binary_sensor.voicewipe_${a.id}_problem`, dev, a.attrs?.problem ? 'on' : 'off', { device_class: 'problem' });
    if (a.purge !== false) add(`button.voicewipe_${a.id}_purge_now`, dev, 'unknown');
  }
  // Something else in the house, also with a button and an enum sensor: never picked up.
  devices.dev_tv = { id: 'dev_tv', name: 'TV', manufacturer: 'Acme' };
  add('sensor.tv_mode', 'dev_tv', 'ok', { device_class: 'enum', options: ['ok'], account_id: 'tv' });
  return { states, devices, entities };
}

const LIGHT = { '--primary-text-color': '#212121', '--secondary-text-color': '#727272', '--primary-color': '#03a9f4', '--card-background-color': '#ffffff',
  '--divider-color': 'rgba(0, 0, 0, 0.12)', '--text-primary-color': '#ffffff', '--disabled-text-color': '#bdbdbd', '--success-color': '#4caf50',
  '--warning-color': '#ff9800', '--error-color': '#db4437', '--info-color': '#039be5', '--page-background': '#fafafa' };
const DARK = { ...LIGHT, '--primary-text-color': '#e1e1e1', '--secondary-text-color': '#9b9b9b', '--card-background-color': '#1c1c1c',
  '--divider-color': 'rgba(225, 225, 225, 0.12)', '--page-background': '#111111' };

const browser: Browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS });
t.teardown(() => browser.close());
const shots = join(t.testdir(), 'shots');
mkdirSync(shots, { recursive: true });

async function cardPage(theme: Record<string, string>, accounts = ACCOUNTS, config: Record<string, unknown> = {}, width = 480): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 1100 } });
  const page = await context.newPage();
  await page.clock.install({ time: NOW });
  const vars = Object.entries(theme).map(([k, v]) => `${k}: ${v};`).join(' ');
  await page.setContent(`<!doctype html><html><head><style>
      body { margin: 16px; font-family: Roboto, "DejaVu Sans", sans-serif; background: var(--page-background); ${vars} }</style></head>
    <body><div id="host"></div></body></html>`);
  // A stand-in for Home Assistant's ha-card: the card's background and header.
  await page.addScriptTag({ content: `customElements.define('ha-card', class extends HTMLElement {
      connectedCallback() { if (this.shadowRoot) return; const r = this.attachShadow({ mode: 'open' });
        r.innerHTML = '<style>:host{display:block;background:var(--card-background-color);border-radius:12px;color:var(--primary-text-color);padding-top:4px}h1{font-size:24px;font-weight:400;margin:12px 16px}</style><h1></h1><slot></slot>';
        r.querySelector('h1').textContent = this.getAttribute('header') || ''; } });` });
  await page.addScriptTag({ path: CARD, type: 'module' });
  await page.waitForFunction(() => customElements.get('voicewipe-card') !== undefined);
  await page.evaluate(({ hass, config }) => {
    const calls: unknown[] = [];
    const moreInfo: unknown[] = [];
    Object.assign(window, { calls, moreInfo });
    const card = document.createElement('voicewipe-card') as HTMLElement & { setConfig(c: unknown): void; hass: unknown };
    card.setConfig(config);
    card.hass = { ...hass, callService: (domain: string, service: string, data: unknown) => { calls.push({ domain, service, data }); return Promise.resolve(); } };
    card.addEventListener('hass-more-info', (e) => moreInfo.push((e as CustomEvent).detail));
    document.getElementById('host')!.append(card);
  }, { hass: fakeHass(accounts), config });
  return page;
}

const inCard = (page: Page, selector: string) => page.locator('voicewipe-card').locator(selector);

/** Every visible text in the card with its colour against the nearest opaque background below it. */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (c: string) => { const m = c.match(/[\d.]+/g)!.map(Number); return { r: m[0], g: m[1], b: m[2], a: m[3] ?? 1 }; };
    const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (node: Element | null): { r: number; g: number; b: number } => {
      for (let n: Element | null = node; n; n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host ?? null)) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c.a > 0.9) return c;
      }
      return { r: 255, g: 255, b: 255 };
    };
    const out: string[] = [];
    const walk = (root: Element | ShadowRoot) => {
      for (const node of Array.from(root.querySelectorAll('*'))) {
        if (node.shadowRoot) walk(node.shadowRoot);
        const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent!.trim() !== '');
        if (!own || (node as HTMLElement).offsetParent === null) continue;
        const style = getComputedStyle(node);
        const fg = parse(style.color);
        const bg = background(node);
        const mixed = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
        const opacity = Number(style.opacity);
        const [hi, lo] = [lum(mixed), lum(bg)].sort((a, b) => b - a);
        const ratio = (hi + 0.05) / (lo + 0.05);
        const disabled = (node as HTMLButtonElement).disabled === true || opacity < 1;
        if (ratio < 4.5 && !disabled) out.push(`"${node.textContent!.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
      }
    };
    walk(document.body);
    return out;
  });
}

t.test('each state in words, the right buttons, from the registries', async (t) => {
  const page = await cardPage(LIGHT);
  t.teardown(() => page.context().close());
  const rows = inCard(page, '.row');
  t.equal(await rows.count(), ACCOUNTS.length, 'every account device, none of the TV\'s entities');
  const words: Record<string, RegExp> = {
    kitchen: /All clear/, bedroom: /Needs you/, office: /Last run failed · overdue/, living: /Purging now/, attic: /Switched off/,
    garage: /Not purged yet/, hall: /Paused/, loft: /voicewipe is offline/,
  };
  for (const a of ACCOUNTS) {
    const row = inCard(page, `.row[data-account="${a.id}"]`);
    t.match(await row.locator('.state').textContent(), words[a.id], `${a.id}: ${a.status}`);
    const signIn = row.getByRole('link', { name: 'Sign in' });
    t.equal(await signIn.count(), a.status === 'needs_person' ? 1 : 0, `${a.id}: Sign in only when a person is needed`);
    t.equal(await row.getByRole('button', { name: 'Purge now' }).count(), a.status === 'disabled' || a.status === 'paused' ? 0 : 1,
      `${a.id}: Purge now unless switched off or paused (a run skips a paused account)`);
    t.equal(await row.getByRole('button', { name: 'Resume purges' }).count(), a.status === 'paused' ? 1 : 0, `${a.id}: Resume purges only when paused`);
  }
  const signIn = inCard(page, '.row[data-account="bedroom"]').getByRole('link', { name: 'Sign in' });
  t.equal(await signIn.getAttribute('href'), `${URL_BASE}#signin=bedroom`, 'straight to that account\'s sign-in');
  t.match(await inCard(page, '.row[data-account="bedroom"] .help').textContent(), /captcha/);
  t.match(await inCard(page, '.row[data-account="kitchen"] .sub').textContent(), /last purge 9 hours ago · 1,234 deleted in total/);
  // Whole days: what an account keeps, in the README's words.
  t.equal(await inCard(page, '.row[data-account="kitchen"] .keeps').textContent(), 'Keeps at least 30 days');
  t.equal(await inCard(page, '.row[data-account="garage"] .keeps').textContent(), 'Deletes everything');
  t.equal(await inCard(page, '.row[data-account="loft"] .keeps').count(), 0, 'offline: nothing said');
  t.match(await inCard(page, '.head').textContent(), /Next purge in 16 hours/);
  t.ok(await inCard(page, '.row[data-account="loft"]').getByRole('button', { name: 'Purge now' }).isDisabled(), 'offline: no purge');

  await inCard(page, '.row[data-account="kitchen"]').getByRole('button', { name: 'Purge now' }).click();
  await inCard(page, '.head').getByRole('button', { name: 'Purge all now' }).click();
  await inCard(page, '.row[data-account="hall"]').getByRole('button', { name: 'Resume purges' }).click();
  t.same(await page.evaluate(() => (window as unknown as { calls: unknown[] }).calls), [
    { domain: 'button', service: 'press', data: { entity_id: 'button.voicewipe_kitchen_purge_now' } },
    { domain: 'button', service: 'press', data: { entity_id: 'button.voicewipe_purge_all' } },
    { domain: 'button', service: 'press', data: { entity_id: 'button.hall_ack' } },
  ], 'each button presses its own entity; the paused account\'s renamed Resume purges button found by its category');
  await inCard(page, '.row[data-account="bedroom"] .name').click();
  t.same(await page.evaluate(() => (window as unknown as { moreInfo: unknown[] }).moreInfo), [{ entityId: 'sensor.upstairs_thing' }], 'a tap opens more-info of the renamed entity');

  t.same(await lowContrast(page), [], 'every text at least 4.5:1 (light theme)');
  await page.locator('voicewipe-card').screenshot({ path: join(shots, 'card-light.png') });
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(join(shots, 'card-light.png'), join(DOCS, 'card-light.png'));

  // Times move on with no state change: the card's timer re-renders.
  await page.clock.fastForward('02:00:00');
  await page.waitForFunction(() => /11 hours ago/.test(document.querySelector('voicewipe-card')!.shadowRoot!.querySelector('.row[data-account="kitchen"] .sub')!.textContent!));
  t.pass('"9 hours ago" became "11 hours ago"');
});

t.test('dark theme contrast; a filtered card; the editor\'s form and the grid size', async (t) => {
  const page = await cardPage(DARK, ACCOUNTS, { title: 'Upstairs', accounts: ['bedroom', 'kitchen'] });
  t.teardown(() => page.context().close());
  t.equal(await inCard(page, '.row').count(), 2);
  t.same(await lowContrast(page), [], 'every text at least 4.5:1 (dark theme)');
  const meta = await page.evaluate(() => {
    const Card = customElements.get('voicewipe-card') as unknown as { getConfigForm(): { schema: { name: string }[] }; getStubConfig(): unknown };
    const card = document.querySelector('voicewipe-card') as unknown as { getGridOptions(): Record<string, number>; getCardSize(): number };
    let refused = '';
    try { (document.createElement('voicewipe-card') as unknown as { setConfig(c: unknown): void }).setConfig({ accounts: 'kitchen' }); } catch (e) { refused = (e as Error).message; }
    return { form: Card.getConfigForm().schema.map((s) => s.name), grid: card.getGridOptions(), size: card.getCardSize(), stub: Card.getStubConfig(), refused };
  });
  t.same(meta.form, ['title', 'accounts', 'show_purge_all']);
  t.match(meta.grid, { columns: 12, rows: 6, min_columns: 6 });
  t.equal(meta.size, 6);
  t.match(meta.refused, /accounts must be a list/);
  await page.locator('voicewipe-card').screenshot({ path: join(shots, 'card-dark.png') });
  if (process.env.VOICEWIPE_UPDATE_DOCS) copyFileSync(join(shots, 'card-dark.png'), join(DOCS, 'card-dark.png'));
});

t.test('no voicewipe devices: says so; while a purge runs, the buttons wait', async (t) => {
  const empty = await cardPage(LIGHT, []);
  t.teardown(() => empty.context().close());
  t.match(await inCard(empty, '.empty').textContent(), /No voicewipe accounts found/);
  const page = await cardPage(LIGHT, ACCOUNTS.slice(0, 2));
  t.teardown(() => page.context().close());
  await page.evaluate((hass) => {
    const card = document.querySelector('voicewipe-card') as unknown as { hass: unknown };
    card.hass = { ...hass, callService: () => Promise.resolve() };
  }, fakeHass(ACCOUNTS.slice(0, 2), true));
  t.match(await inCard(page, '.head').textContent(), /Purging now/);
  t.ok(await inCard(page, '.row[data-account="kitchen"]').getByRole('button', { name: 'Purge now' }).isDisabled());
});

t.test('voicewipe offline: the status sensor keeps only its options, and is still told from the sign-in sensor', async (t) => {
  const loft = ACCOUNTS.filter((a) => a.id === 'loft' || a.id === 'hall');
  const page = await cardPage(LIGHT, loft);
  t.teardown(() => page.context().close());
  const hass = fakeHass(loft) as ReturnType<typeof fakeHass> & { states: Record<string, { attributes: Record<string, unknown> }> };
  // Home Assistant drops an unavailable entity's own attributes: no account_id, only device_class and options.
  for (const id of ['sensor.voicewipe_loft_status', 'sensor.voicewipe_hall_status']) {
    hass.states[id] = { ...hass.states[id], state: 'unavailable', attributes: { device_class: 'enum', options: ['ok', 'paused'] } } as never;
  }
  await page.evaluate((h) => {
    const card = document.querySelector('voicewipe-card') as unknown as { hass: unknown };
    card.hass = { ...h, callService: () => Promise.resolve() };
  }, hass);
  t.equal(await inCard(page, '.row').count(), 2);
  for (const id of ['loft', 'hall']) {
    const row = inCard(page, `.row[data-account="dev_${id}"]`);
    t.match(await row.locator('.state').textContent(), /voicewipe is offline/, `${id}: offline, not the sign-in sensor's "web"`);
    t.ok(await row.getByRole('button', { name: 'Purge now' }).isDisabled(), `${id}: no purge while offline`);
    t.equal(await row.getByRole('button', { name: 'Resume purges' }).count(), 0, `${id}: nothing to resume while its state is unknown`);
  }
});
