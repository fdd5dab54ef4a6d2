// Companies and API users (admin): create, edit, test a connection, issue a token (shown once).
import { api, get, post } from '../api.js';
import { actionButton, badge, field, h, message, show, showProblem, shownOnce, table } from '../dom.js';
import { t } from '../messages.js';

export async function companiesPage(main) {
  const companies = await get('/companies');
  const notice = h('div', { 'aria-live': 'polite' });
  const inputs = { name: h('input', { required: true }), ministraBaseUrl: h('input', { type: 'url', required: true }),
    ministraUser: h('input', { required: true }), ministraPassword: h('input', { type: 'password', required: true }) };
  const form = h('form', { id: 'company-form' }, h('div', { class: 'form-message' }),
    field('name', t('companies.name'), inputs.name), field('ministraBaseUrl', t('companies.baseUrl'), inputs.ministraBaseUrl),
    field('ministraUser', t('companies.user'), inputs.ministraUser),
    field('ministraPassword', t('companies.password'), inputs.ministraPassword),
    h('button', { type: 'submit' }, t('companies.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await post('/companies', Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value])));
      await companiesPage(main);
    } catch (problem) {
      showProblem(form, problem.problem);
    }
  });
  show(main, h('h1', {}, t('companies.title')), notice,
    table(['id', t('companies.name'), t('companies.baseUrl'), t('companies.enabled'), ''], companies.map((company) => [
      String(company.id), company.name, company.ministraBaseUrl, company.enabled ? t('common.yes') : t('common.no'),
      h('span', { class: 'actions' },
        actionButton(t('companies.test'), async () => {
          try {
            const { data } = await post(`/companies/${company.id}/test-connection`);
            show(notice, message(`${company.name}: ${t('companies.testResult', data.outcome, data.latencyMs ?? '?')}`
              + (data.detail ? ` ${data.detail}` : ''), data.outcome === 'ok' ? 'success' : 'error'));
          } catch (problem) {
            show(notice, message(problem.message, 'error'));
          }
        }),
        actionButton(company.enabled ? t('users.disable') : t('users.enable'), async () => {
          await api('PATCH', `/companies/${company.id}`, { enabled: !company.enabled });
          await companiesPage(main);
        }))])),
    h('h2', {}, t('companies.create')), form);
}

export async function usersPage(main) {
  const users = await get('/users');
  const notice = h('div', { 'aria-live': 'polite', id: 'users-notice' });
  const inputs = { username: h('input', { required: true }),
    role: h('select', {}, ['viewer', 'manager', 'admin'].map((role) => h('option', { value: role }, t(`role.${role}`)))),
    password: h('input', { type: 'password', autocomplete: 'new-password' }), companies: h('input', {}),
    allCompanies: h('input', { type: 'checkbox' }) };
  const form = h('form', { id: 'user-form' }, h('div', { class: 'form-message' }),
    field('username', t('users.username'), inputs.username), field('role', t('users.role'), inputs.role),
    field('password', t('users.password'), inputs.password), field('companies', t('users.companies'), inputs.companies),
    field('allCompanies', t('users.allCompanies'), inputs.allCompanies),
    h('button', { type: 'submit' }, t('users.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { username: inputs.username.value.trim(), role: inputs.role.value,
      allCompanies: inputs.allCompanies.checked,
      companies: inputs.companies.value.split(',').map((id) => id.trim()).filter(Boolean).map(Number) };
    if (inputs.password.value) body.password = inputs.password.value;
    try {
      const { data } = await post('/users', body);
      await usersPage(main);
      main.querySelector('#users-notice').append(shownOnce(t('users.tokenShown', data.username), data.token, 'new-token'));
    } catch (problem) {
      showProblem(form, problem.problem);
    }
  });
  show(main, h('h1', {}, t('users.title')), notice,
    table([t('users.username'), t('users.role'), t('users.companies'), t('users.enabled'), ''], users.map((user) => [
      user.username, badge(t(`role.${user.role}`), user.role),
      user.allCompanies ? t('users.allCompanies') : user.companies.join(', '),
      user.enabled ? t('common.yes') : t('common.no'),
      h('span', { class: 'actions' },
        actionButton(t('users.token'), async () => {
          const { data } = await post(`/users/${encodeURIComponent(user.username)}/token`);
          show(notice, shownOnce(t('users.tokenShown', user.username), data.token, 'new-token'));
        }),
        actionButton(user.enabled ? t('users.disable') : t('users.enable'), async () => {
          await api('PATCH', `/users/${encodeURIComponent(user.username)}`, { enabled: !user.enabled });
          await usersPage(main);
        }))])),
    h('h2', {}, t('users.create')), form);
}
