// One account: its fields (editable by managers, with the ETag so that a stale edit is refused and explained), sync
// state, Ministra's snapshot, the audit timeline, and the actions the user's role allows.
import { api, ApiProblem, get, post, query } from '../api.js';
import { actionButton, age, badge, field, h, message, onSubmit, show, shownOnce, table, time } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, navigate, session } from '../app.js';

const EDITABLE = [['fullName', 'account.fullName'], ['phone', 'account.phone'], ['tariff', 'accounts.tariff'],
  ['stbMac', 'accounts.mac'], ['customerRef', 'accounts.customerRef'], ['comment', 'account.comment']];
const STB = [['reboot', 'account.reboot'], ['reload-portal', 'account.reloadPortal'],
  ['update-channels', 'account.updateChannels'], ['show-menu', 'account.showMenu']];

export async function accountPage(main, { args }) {
  const login = args[0];
  const path = `/accounts/${encodeURIComponent(login)}`;
  const company = query({ company: currentCompany() });
  const { data: account, etag } = await api('GET', path + company);
  const [history, plans] = await Promise.all([get(`${path}/history${company}`).catch(() => []),
    session.can('manager') ? get(`/tariffs${query({ company: account.companyId, status: 'active' })}`).catch(() => [])
      : []]);
  const notice = h('div', { id: 'account-notice', 'aria-live': 'polite' });
  const reload = () => accountPage(main, { args });
  const act = async (work) => {
    show(notice);
    try {
      await work();
    } catch (problem) {
      show(notice, message(problem.message || t('common.error'), 'error'));
      if (!(problem instanceof ApiProblem)) throw problem;
    }
  };

  show(main,
    h('h1', {}, t('account.title', account.login), ' ', badge(t(`accounts.${account.status}`), account.status)),
    notice,
    h('div', { class: 'columns' },
      h('section', { class: 'card' }, h('h2', {}, t('account.fields')), fieldsForm(account, plans, etag, path + company, reload)),
      h('section', { class: 'card' },
        h('h2', {}, t('account.syncState')), syncState(account.sync),
        session.can('manager') ? h('div', { class: 'actions', id: 'account-actions' },
          actionButton(t('account.push'), () => act(async () => { await post(`${path}/push${company}`); await reload(); })),
          actionButton(t('account.pull'), () => act(async () => { await post(`${path}/pull${company}`); await reload(); })),
          account.status === 'active'
            ? actionButton(t('account.deactivate'), () => act(async () => { await post(`${path}/deactivate${company}`); await reload(); }))
            : actionButton(t('account.activate'), () => act(async () => { await post(`${path}/activate${company}`); await reload(); })),
          actionButton(t('account.rotatePassword'), () => act(async () => {
            const { data } = await post(`${path}/password${company}`);
            show(notice, shownOnce(t('account.newPassword'), data.generatedPassword, 'one-time-password'));
          }), { id: 'rotate-password' }),
          session.can('admin') ? actionButton(t('account.delete'), () => act(async () => {
            if (!window.confirm(t('account.deleteConfirm', account.login))) return;
            await api('DELETE', path + company);
            navigate('/accounts');
          }), { class: 'danger', id: 'delete-account' }) : null) : null,
        h('h2', {}, t('account.stb')), stbCommands(account, path, company, act, notice),
        h('h2', {}, t('account.snapshot')), snapshot(account.ministra))),
    h('section', { class: 'card' }, h('h2', {}, t('account.history')),
      table([t('account.historyAt'), t('account.historyActor'), t('account.historyAction'),
        t('account.historyDetails')], history.slice().reverse().map((event) => [time(event.at), event.actor,
        `${event.action}: ${event.outcome}`, event.details ? JSON.stringify(event.details) : '']))));
}

/** The fields, editable by managers; the tariff picked from the company's synced plans (and the account's own). */
function fieldsForm(account, plans, etag, target, reload) {
  const editable = session.can('manager');
  const inputs = {};
  const form = h('form', { id: 'account-form' }, h('div', { class: 'form-message' }),
    h('p', {}, `${t('account.accountNumber')}: `, account.accountNumber));
  const planIds = plans.map((plan) => plan.externalId);
  for (const [name, label] of EDITABLE) {
    inputs[name] = editable && name === 'tariff' ? h('select', {}, h('option', { value: '' }, t('common.none')),
      account.tariff && !planIds.includes(account.tariff) ? h('option', { value: account.tariff }, account.tariff) : null,
      plans.map((plan) => h('option', { value: plan.externalId }, `${plan.name} (${plan.externalId})`)))
      : h(name === 'comment' ? 'textarea' : 'input', { value: account[name] ?? '', readOnly: !editable });
    if (name === 'tariff') inputs[name].value = account.tariff ?? '';
    form.append(field(name, t(label), inputs[name]));
  }
  if (!editable) return form;
  form.append(h('button', { type: 'submit', id: 'save-account' }, t('common.save')));
  onSubmit(form, async () => {
    const changes = {};
    for (const [name] of EDITABLE) {
      const value = inputs[name].value.trim();
      if (value !== (account[name] ?? '')) changes[name] = value === '' ? null : value;
    }
    try {
      await api('PATCH', target, changes, { 'If-Match': etag });
      await reload();
    } catch (problem) {
      if (problem.status !== 412) throw problem;
      await reload();
      document.getElementById('account-notice')?.append(message(t('account.stale'), 'error'));
    }
  });
  return form;
}

function syncState(sync) {
  return h('div', { id: 'sync-state' }, badge(t(`sync.${sync.state}`), sync.state),
    sync.nextAttemptAt ? h('p', {}, t('account.nextAttempt', new Date(sync.nextAttemptAt).toLocaleString())) : null,
    sync.lastError ? h('p', { class: 'form-message error' }, t('account.lastError', sync.lastError)) : null);
}

function snapshot(ministra) {
  if (!ministra) return h('p', {}, t('account.noSnapshot'));
  return h('div', {}, h('p', { class: 'hint' }, t('account.snapshotAge', age(ministra.readAt))),
    h('dl', { class: 'snapshot' }, Object.entries(ministra).filter(([key]) => key !== 'readAt')
      .map(([key, value]) => [h('dt', {}, key), h('dd', {}, value === null ? t('common.none')
        : typeof value === 'object' ? JSON.stringify(value) : String(value))])));
}

/** The box's commands; without a box they are shown disabled, with the reason beside them. */
function stbCommands(account, path, company, act, notice) {
  const hasBox = Boolean(account.stbMac || account.ministra?.boundMac);
  if (!session.can('manager')) return null;
  const disabled = hasBox ? {} : { disabled: true, 'aria-describedby': 'no-box' };
  const text = h('input', { maxlength: 500, ...disabled });
  const messageForm = h('form', { class: 'inline' }, h('div', { class: 'form-message' }),
    field('text', t('account.messageText'), text), h('button', { type: 'submit', ...disabled }, t('account.message')));
  onSubmit(messageForm, async () => {
    show(notice);
    const { data } = await post(`${path}/stb/message${company}`, { text: text.value });
    show(notice, message(t('account.commandQueued', t('account.message'), data.mac)));
  });
  return h('div', { id: 'stb-commands' },
    hasBox ? null : h('p', { class: 'hint', id: 'no-box' }, t('account.noBox')),
    h('div', { class: 'actions' }, STB.map(([command, label]) => actionButton(t(label), () => act(async () => {
      const { data } = await post(`${path}/stb/${command}${company}`);
      show(notice, message(t('account.commandQueued', t(label), data.mac) + (data.warning ? ` ${data.warning}` : '')));
    }), { 'data-command': command, ...disabled }))),
    messageForm);
}
