// Accounts: search (login, name, MAC), filters, cursor paging (fast at any size: the API pages by key, not offset).
import { get, query } from '../api.js';
import { badge, field, h, show, showProblem, table } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, link, navigate } from '../app.js';

const FILTERS = ['q', 'customerRef', 'status', 'tariff', 'sync', 'online'];

export async function accountsPage(main, { params }) {
  const company = currentCompany();
  const tariffs = await get(`/tariffs${query({ company, status: 'active' })}`).catch(() => []);
  const inputs = {
    q: h('input', { type: 'search', value: params.get('q') || '', placeholder: t('accounts.query') }),
    customerRef: h('input', { value: params.get('customerRef') || '' }),
    status: select(params.get('status'), ['active', 'inactive'], (value) => t(`accounts.${value}`)),
    tariff: select(params.get('tariff'), tariffs.map((plan) => plan.externalId), (value) => value),
    sync: select(params.get('sync'), ['synced', 'pending', 'retrying', 'dead', 'draft', 'discarded'],
      (value) => t(`sync.${value}`)),
    online: select(params.get('online'), ['true', 'false'], (value) => t(value === 'true' ? 'dashboard.online'
      : 'dashboard.offline')),
  };
  const form = h('form', { class: 'filters', role: 'search', id: 'accounts-search' }, h('div', { class: 'form-message' }),
    field('q', t('common.search'), inputs.q),
    field('customerRef', t('accounts.customerRef'), inputs.customerRef),
    field('status', t('accounts.status'), inputs.status),
    field('tariff', t('accounts.tariff'), inputs.tariff),
    field('sync', t('accounts.sync'), inputs.sync),
    field('online', t('accounts.online'), inputs.online),
    h('button', { type: 'submit' }, t('common.search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const name of FILTERS) next[name] = inputs[name].value;
    navigate('/accounts', next);
  });
  const results = h('div', { id: 'accounts-results', 'aria-live': 'polite' }, t('common.loading'));
  show(main, h('h1', {}, t('accounts.title')), form, results);

  const filter = { company };
  for (const name of FILTERS) filter[name] = params.get(name);
  let page;
  try {
    page = await get(`/accounts${query({ ...filter, limit: 50, cursor: params.get('cursor') })}`);
  } catch (problem) {
    if (!problem.problem) throw problem;
    show(results);
    showProblem(form, problem.problem);
    return;
  }
  const current = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  show(results,
    table([t('accounts.online'), t('accounts.login'), t('accounts.name'), t('accounts.status'), t('accounts.tariff'),
      t('accounts.sync'), t('accounts.mac')], page.items.map((account) => [
      onlineDot(account.online),
      h('a', { href: link(`/accounts/${encodeURIComponent(account.login)}`, { company: account.companyId }) },
        account.login),
      account.fullName || '',
      badge(t(`accounts.${account.status}`), account.status),
      account.tariff || '',
      badge(t(`sync.${account.sync.state}`), account.sync.state),
      account.stbMac || '',
    ])),
    h('p', { class: 'pager' },
      params.get('cursor') ? h('a', { href: link('/accounts', current), id: 'first-page' }, t('common.first')) : null, ' ',
      page.nextCursor ? h('a', { href: link('/accounts', { ...current, cursor: page.nextCursor }), id: 'next-page' },
        t('common.next')) : null));
}

/** The box's state at the last pull or refresh: a dot with its name for screen readers and a tooltip. */
function onlineDot(online) {
  const state = online === true ? 'online' : online === false ? 'offline' : 'unknown';
  const label = t(`dashboard.${state}`);
  return h('span', { class: `dot dot-${state}`, title: label, role: 'img', 'aria-label': label, 'data-online': state });
}

function select(selected, values, label) {
  const element = h('select', {}, h('option', { value: '' }, t('common.any')),
    values.map((value) => h('option', { value }, label(value))));
  element.value = selected || '';
  return element;
}
