// Dashboard: one company's figures (or all the user sees), without reloading the page: read again within a second
// of any event on the live stream (/api/v1/events/stream, signed in by the session cookie), and every 5 seconds,
// because some figures (Ministra's reachability and latency, sync ages) change without an event.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { get, query } from '../api.js';
import { age, badge, h, show, stateBadge } from '../dom.js';
import { reachability } from './admin.js';
import { t } from '../messages.js';
import { currentCompany, link, onLeave } from '../app.js';

const POLL_MILLIS = 5000;
const LIVE_DEBOUNCE_MILLIS = 1000;
// a window being dragged wider or narrower resizes the charts' cells many times a second: redraw after it settles
const RESIZE_DEBOUNCE_MILLIS = 100;
const CHART_HEIGHT = 200;
// what moves a dashboard figure: an account's sync state, box or dead letter, a tariff sync, Ministra's reachability;
// the stream is asked for exactly these types, and each is listened to by its name
const STREAMED_TYPES = ['account.created', 'account.updated', 'account.deleted', 'account.synced',
  'account.dead_lettered', 'account.replayed', 'account.online', 'account.offline', 'tariff_sync.failed',
  'tariff_sync.held', 'company.ministra_unreachable', 'company.ministra_recovered'];

export async function dashboardPage(main) {
  const figures = h('div', { class: 'cards', id: 'dashboard-figures' });
  const charts = h('div', { class: 'charts' });
  const updated = h('p', { class: 'hint', 'aria-live': 'polite' });
  show(main, h('h1', {}, t('dashboard.title')), figures, updated, charts);
  let plots = [];
  const refresh = async () => {
    const company = currentCompany();
    const [data, companies] = await Promise.all([get(`/dashboard${query({ company })}`), get('/companies')]);
    const names = new Map(companies.map((one) => [one.id, one.name]));
    show(figures, cards(data, names), ministraCard(companies.filter((one) => !company || one.id === company)));
    show(updated, t('dashboard.updated', new Date().toLocaleTimeString()));
    // the charts are drawn once and then given their new figures, so a redraw keeps each chart's size
    const series = chartData(data);
    if (plots.length) plots.forEach((plot, i) => plot.setData(series[i]));
    else plots = drawCharts(charts, series);
  };
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), POLL_MILLIS);
  const stream = liveEvents(currentCompany(), () => refresh().catch(() => {}));
  const resizing = followWidth(charts, () => plots);
  onLeave(() => {
    clearInterval(timer);
    stream.close();
    resizing.disconnect();
    plots.forEach((plot) => plot.destroy());
  });
}

/** The company's events as they happen; onEvent runs at most once a second, however many arrive. */
function liveEvents(company, onEvent) {
  const source = new EventSource(`/api/v1/events/stream${query({ company, types: STREAMED_TYPES.join(','),
    after: 'now' })}`);
  let pending = null;
  const schedule = () => {
    if (pending === null) {
      pending = setTimeout(() => { pending = null; onEvent(); }, LIVE_DEBOUNCE_MILLIS);
    }
  };
  // each event is sent with its type as the SSE event name, so no onmessage: listen to every type asked for
  STREAMED_TYPES.forEach((type) => source.addEventListener(type, schedule));
  return { close: () => { source.close(); clearTimeout(pending); } };
}

/** The figures; names: company id to name, for what is per company (the last tariff sync, a paused push). */
function cards(data, names) {
  const states = data.accountsBySyncState;
  const boxes = data.boxes;
  return [
    card(t('dashboard.syncStates'), h('ul', { class: 'counts' }, Object.entries(states).map(([state, count]) =>
      h('li', {}, h('a', { href: link('/accounts', { sync: state }) }, badge(t(`sync.${state}`), state)), ' ',
        h('strong', { 'data-count': state }, count))))),
    card(t('dashboard.boxes'), h('ul', { class: 'counts' },
      ['online', 'offline', 'unknown'].map((state) => h('li', {}, badge(t(`dashboard.${state}`), state), ' ',
        h('strong', { 'data-count': `boxes-${state}` }, boxes[state]))))),
    card(t('dashboard.openDeadLetters'), h('strong', { class: 'big', 'data-count': 'dead-letters' },
      data.openDeadLetters)),
    card(t('dashboard.pushesLastHour'), h('strong', { class: 'big', 'data-count': 'pushes' }, data.pushesLastHour)),
    card(t('dashboard.lastTariffSync'), data.lastTariffSync.length === 0 ? t('dashboard.never')
      : h('ul', { class: 'ministra' }, data.lastTariffSync.map((run) => h('li', { 'data-tariff-sync': run.companyId },
        data.companies.length > 1 ? [h('strong', {}, names.get(run.companyId) ?? run.companyId), ' '] : null,
        stateBadge(run.outcome), ' ', age(run.finishedAt || run.startedAt),
        run.errorKind ? ` (${run.errorKind})` : '')))),
    data.pausedPushes.map((pause) => card(names.get(pause.companyId) ?? `${t('nav.company')} ${pause.companyId}`,
      h('p', { class: 'form-message error' }, t('dashboard.pausedPushes', new Date(pause.pausedUntil)
        .toLocaleTimeString(), pause.reason)))),
  ];
}

/** Per company: whether its Ministra answers and how fast it last answered (and when that was measured). */
function ministraCard(companies) {
  return card(t('dashboard.ministra'), h('ul', { class: 'ministra' }, companies.map((company) =>
    h('li', { 'data-ministra': company.id }, h('strong', {}, company.name), ' ', reachability(company.ministra),
      company.ministra.latencyMeasuredAt ? [' ', h('span', { class: 'hint' }, age(company.ministra.latencyMeasuredAt))]
        : ''))));
}

function card(title, ...content) {
  return h('section', { class: 'card' }, h('h2', {}, title), content);
}

/** The last 24 whole hours and the current one, as epoch seconds: the charts' fixed time axis. */
function lastDay() {
  const hour = Math.floor(Date.now() / 3600000) * 3600;
  return Array.from({ length: 25 }, (_, i) => hour - (24 - i) * 3600);
}

/** Each chart's data: the pushes per hour of the last day, and the boxes online as sampled. */
function chartData(data) {
  const hours = lastDay();
  const pushes = new Map(data.pushesByHour.map((row) => [row.hour, row]));
  const boxes = data.boxesOnline;
  return [
    [hours, hours.map((hour) => pushes.get(hour)?.succeeded ?? 0),
      hours.map((hour) => pushes.get(hour)?.deadLettered ?? 0)],
    [boxes.map((row) => row.at), boxes.map((row) => row.online), boxes.map((row) => row.offline)],
  ];
}

/** A chart's width in its figure (whose padding is 8 px a side). */
function chartWidth(figure) {
  return Math.max(240, figure.clientWidth - 16);
}

/**
 * The two charts, each as wide as its cell of the charts' grid (side by side at 1280 px, one above the other on a
 * phone): both cells exist before either chart is measured, as a lone cell would take the whole row.
 */
function drawCharts(container, series) {
  const charts = [
    { caption: t('dashboard.pushesChart'), series: [
      { label: t('dashboard.succeeded'), stroke: '#2e7d32', width: 2 },
      { label: t('dashboard.deadLettered'), stroke: '#c62828', width: 2 }] },
    { caption: t('dashboard.boxesChart'), series: [
      { label: t('dashboard.online'), stroke: '#1565c0', width: 2 },
      { label: t('dashboard.offline'), stroke: '#757575', width: 2 }] },
  ];
  const figures = charts.map((one) => h('figure', { class: 'chart' }, h('figcaption', {}, one.caption)));
  show(container, figures);
  // the last 24 hours up to the moment the chart is drawn (again, for new figures)
  const lastDayRange = () => { const now = Date.now() / 1000; return [now - 86400, now]; };
  return charts.map((one, i) => new uPlot({
    width: chartWidth(figures[i]), height: CHART_HEIGHT, series: [{}, ...one.series],
    scales: { x: { time: true, range: lastDayRange }, y: { range: (u, min, max) => [0, Math.max(4, max)] } },
  }, series[i], figures[i]));
}

/**
 * Redraws the charts at their cells' width whenever the grid's width changes (a window resized, a phone turned),
 * once the change has settled; a change of height alone (new figures above) redraws nothing.
 */
function followWidth(container, plots) {
  let width = container.clientWidth;
  let pending = null;
  const observer = new ResizeObserver(() => {
    if (container.clientWidth === width) return;
    width = container.clientWidth;
    clearTimeout(pending);
    pending = setTimeout(() => plots().forEach((plot) => plot.setSize({ width: chartWidth(plot.root.parentElement),
      height: CHART_HEIGHT })), RESIZE_DEBOUNCE_MILLIS);
  });
  observer.observe(container);
  return { disconnect: () => { observer.disconnect(); clearTimeout(pending); } };
}
