// Companies and API users (admin): create and edit forms, test a connection (its classified result), issue a token
// (shown once). Each company and user has its own page (#/companies/3, #/users/ada), so a link can go in a ticket.
import { api, get, post } from '../api.js';
import { actionButton, badge, field, h, message, onSubmit, show, shownOnce, table } from '../dom.js';
import { t } from '../messages.js';
import { link, navigate, session } from '../app.js';

export async function companiesPage(main) {
  const companies = await get('/companies');
  const notice = h('div', { 'aria-live': 'polite', id: 'companies-notice' });
  show(main, h('h1', {}, t('companies.title')), notice,
    table([t('common.id'), t('companies.name'), t('companies.baseUrl'), t('companies.reachable'), t('companies.enabled'), t('common.actions')],
      companies.map((company) => [
        String(company.id), h('a', { href: link(`/companies/${company.id}`) }, company.name), company.ministraBaseUrl,
        reachability(company.ministra), company.enabled ? t('common.yes') : t('common.no'),
        h('span', { class: 'actions' }, testButton(company, notice),
          h('a', { class: 'button', href: link(`/companies/${company.id}`), 'data-edit': company.id },
            t('common.edit')))])),
    h('h2', {}, t('companies.create')), companyForm(null, async (body) => {
      const { data } = await post('/companies', body);
      await refreshCompanies();
      navigate(`/companies/${data.id}`, { created: 1 });
    }));
}

export async function companyPage(main, { args, params }) {
  const company = await get(`/companies/${encodeURIComponent(args[0])}`);
  const notice = h('div', { 'aria-live': 'polite', id: 'company-notice' },
    params.get('created') ? message(t('companies.created', company.name), 'success') : null);
  show(main, h('h1', {}, t('companies.edit', company.name)), notice,
    h('p', {}, h('a', { href: link('/companies') }, t('nav.companies')), ' · ', reachability(company.ministra)),
    h('div', { class: 'actions' }, testButton(company, notice)),
    companyForm(company, async (body) => {
      await api('PATCH', `/companies/${company.id}`, body);
      await refreshCompanies();
      await companyPage(main, { args, params: new URLSearchParams() });
      main.querySelector('#company-notice').append(message(t('common.saved'), 'success'));
    }));
}

/**
 * The create form (company null) or the edit form, which sends only what changed (so an unchanged URL another company
 * shares is no conflict); the password field left empty keeps the stored password.
 */
function companyForm(company, save) {
  const editing = company !== null;
  const inputs = {
    name: h('input', { required: true, maxlength: 200, value: company?.name }),
    ministraBaseUrl: h('input', { type: 'url', required: true, value: company?.ministraBaseUrl }),
    ministraUser: h('input', { required: true, autocomplete: 'off', value: company?.ministraUser }),
    ministraPassword: h('input', { type: 'password', required: !editing, autocomplete: 'new-password',
      placeholder: editing ? t('companies.passwordKept') : null }),
    connectTimeoutMs: h('input', { type: 'number', min: 100, max: 600000, value: company?.connectTimeoutMs }),
    readTimeoutMs: h('input', { type: 'number', min: 100, max: 600000, value: company?.readTimeoutMs }),
    defaultProvisionStatus: editing ? h('select', {}, ['active', 'inactive'].map((status) =>
      h('option', { value: status }, t(`accounts.${status}`)))) : null,
    enabled: h('input', { type: 'checkbox', checked: company ? company.enabled : true }),
    sharedMinistra: h('input', { type: 'checkbox' }),
  };
  if (editing) inputs.defaultProvisionStatus.value = company.defaultProvisionStatus;
  const form = h('form', { id: editing ? 'company-edit-form' : 'company-form' }, h('div', { class: 'form-message' }),
    field('name', t('companies.name'), inputs.name),
    field('ministraBaseUrl', t('companies.baseUrl'), inputs.ministraBaseUrl),
    field('ministraUser', t('companies.user'), inputs.ministraUser),
    field('ministraPassword', t('companies.password'), inputs.ministraPassword),
    field('connectTimeoutMs', t('companies.connectTimeout'), inputs.connectTimeoutMs),
    field('readTimeoutMs', t('companies.readTimeout'), inputs.readTimeoutMs),
    editing ? field('defaultProvisionStatus', t('companies.defaultStatus'), inputs.defaultProvisionStatus) : null,
    field('enabled', t('companies.enabled'), inputs.enabled),
    field('sharedMinistra', t('companies.sharedMinistra'), inputs.sharedMinistra),
    h('button', { type: 'submit' }, editing ? t('common.save') : t('companies.create')));
  return onSubmit(form, () => {
    const body = {};
    for (const [name, input] of Object.entries(inputs)) {
      if (!input) continue;
      const value = input.type === 'checkbox' ? input.checked : input.type === 'number'
        ? (input.value === '' ? null : Number(input.value))
        : name === 'ministraPassword' ? input.value : input.value.trim();
      if (value === null || value === '' || (editing && value === company[name])) continue;
      if (name === 'sharedMinistra' && !value) continue;
      body[name] = value;
    }
    return save(body);
  });
}

function testButton(company, notice) {
  return actionButton(t('companies.test'), async () => {
    try {
      const { data } = await post(`/companies/${company.id}/test-connection`);
      show(notice, h('div', { class: `form-message ${data.outcome === 'ok' ? 'success' : 'error'}`, role: 'status',
        'data-test-outcome': data.outcome }, `${company.name}: `, badge(t(`companies.outcome.${data.outcome}`),
        data.outcome === 'ok' ? 'synced' : 'dead'), ` ${t('companies.latency', data.latencyMs ?? '?')} `,
      data.detail || ''));
    } catch (problem) {
      show(notice, message(problem.message, 'error'));
    }
  }, { 'data-test-connection': company.id });
}

/** The company's Ministra as its pushes find it: reachable or not, and how fast it last answered. */
export function reachability(ministra) {
  return h('span', { class: 'reachability' },
    ministra.reachable ? badge(t('companies.reachableYes'), 'synced') : badge(t('companies.reachableNo'), 'dead'),
    ministra.latencyMs === null || ministra.latencyMs === undefined ? ''
      : ` ${t('companies.latency', ministra.latencyMs)}`,
    !ministra.reachable && ministra.lastFailureKind ? ` (${ministra.lastFailureKind})` : '');
}

/** The company picker and every page read the session's list of companies: kept true after a change. */
async function refreshCompanies() {
  session.companies = await get('/companies');
}

export async function usersPage(main) {
  const users = await get('/users');
  const notice = h('div', { 'aria-live': 'polite', id: 'users-notice' });
  show(main, h('h1', {}, t('users.title')), notice,
    table([t('users.username'), t('users.role'), t('users.companies'), t('users.enabled'), t('common.actions')], users.map((user) => [
      h('a', { href: link(`/users/${encodeURIComponent(user.username)}`) }, user.username),
      badge(t(`role.${user.role}`), user.role), companiesOf(user), user.enabled ? t('common.yes') : t('common.no'),
      h('span', { class: 'actions' }, tokenButton(user, notice),
        h('a', { class: 'button', href: link(`/users/${encodeURIComponent(user.username)}`),
          'data-edit': user.username }, t('common.edit')))])),
    h('h2', {}, t('users.create')), userForm(null, async (body) => {
      const { data } = await post('/users', body);
      await usersPage(main);
      main.querySelector('#users-notice').append(shownOnce(t('users.tokenShown', data.username), data.token,
        'new-token'));
    }));
}

export async function userPage(main, { args }) {
  const user = await get(`/users/${encodeURIComponent(args[0])}`);
  const notice = h('div', { 'aria-live': 'polite', id: 'user-notice' });
  const path = `/users/${encodeURIComponent(user.username)}`;
  show(main, h('h1', {}, t('users.edit', user.username)), notice,
    h('p', {}, h('a', { href: link('/users') }, t('nav.users'))),
    h('div', { class: 'actions' }, tokenButton(user, notice)),
    userForm(user, async (body) => {
      await api('PATCH', path, body);
      await userPage(main, { args });
      main.querySelector('#user-notice').append(message(t('common.saved'), 'success'));
    }));
}

/** The create form (user null) or the edit form; the password field left empty keeps the password. */
function userForm(user, save) {
  const editing = user !== null;
  const username = editing ? null : h('input', { required: true, autocomplete: 'off', maxlength: 100 });
  const role = h('select', {}, ['viewer', 'manager', 'admin'].map((name) => h('option', { value: name },
    t(`role.${name}`))));
  role.value = user?.role || 'viewer';
  const password = h('input', { type: 'password', autocomplete: 'new-password',
    placeholder: editing ? t('users.passwordKept') : null });
  const allCompanies = h('input', { type: 'checkbox', checked: Boolean(user?.allCompanies) });
  const companyBoxes = session.companies.map((company) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', value: company.id, checked: Boolean(user?.companies?.includes(company.id)),
      'data-company': company.id }), ` ${company.name}`));
  const enabled = h('input', { type: 'checkbox', checked: user ? user.enabled : true });
  const form = h('form', { id: editing ? 'user-edit-form' : 'user-form' }, h('div', { class: 'form-message' }),
    username ? field('username', t('users.username'), username) : null,
    field('role', t('users.role'), role), field('password', t('users.password'), password),
    field('allCompanies', t('users.allCompanies'), allCompanies),
    h('fieldset', { class: 'field', 'data-field': 'companies' }, h('legend', {}, t('users.companies')),
      companyBoxes, h('div', { class: 'field-problem', id: 'problem-companies', role: 'alert' })),
    editing ? field('enabled', t('users.enabled'), enabled) : null,
    h('button', { type: 'submit' }, editing ? t('common.save') : t('users.create')));
  return onSubmit(form, () => {
    const body = { role: role.value, allCompanies: allCompanies.checked,
      companies: companyBoxes.map((label) => label.firstChild).filter((box) => box.checked)
        .map((box) => Number(box.value)) };
    if (username) body.username = username.value.trim();
    if (editing) body.enabled = enabled.checked;
    if (password.value) body.password = password.value;
    return save(body);
  });
}

function companiesOf(user) {
  if (user.allCompanies) return t('users.allCompanies');
  return user.companies.map((id) => session.companies.find((company) => company.id === id)?.name ?? String(id))
    .join(', ');
}

function tokenButton(user, notice) {
  return actionButton(t('users.token'), async () => {
    try {
      const { data } = await post(`/users/${encodeURIComponent(user.username)}/token`);
      show(notice, shownOnce(t('users.tokenShown', user.username), data.token, 'new-token'));
    } catch (problem) {
      show(notice, message(problem.message, 'error'));
    }
  }, { 'data-token': user.username });
}
