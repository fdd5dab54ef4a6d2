// Quick provision: the tariff from the synced plans, the MAC checked as typed, the initial status; waits for
// Ministra and shows the outcome and the generated password once.
import { api, get, query } from '../api.js';
import { field, h, message, onSubmit, show, shownOnce } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, link } from '../app.js';

const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const WAIT_SECONDS = 15;

export async function provisionPage(main) {
  const company = currentCompany();
  if (!company) {
    show(main, h('h1', {}, t('provision.title')), message(t('nav.company'), 'error'));
    return;
  }
  const plans = await get(`/tariffs${query({ company, status: 'active' })}`);
  const login = h('input', { required: true, autocomplete: 'off', maxlength: 64 });
  const fullName = h('input', { maxlength: 64 });
  const tariff = h('select', {}, plans.map((plan) => h('option', { value: plan.externalId },
    `${plan.name} (${plan.externalId})`)));
  const defaultPlan = plans.find((plan) => plan.userDefault);
  if (defaultPlan) tariff.value = defaultPlan.externalId;
  const stbMac = h('input', { placeholder: '00:1A:79:12:34:56', autocomplete: 'off' });
  const status = h('select', {}, h('option', { value: '' }, t('provision.statusDefault')),
    h('option', { value: 'active' }, t('accounts.active')), h('option', { value: 'inactive' }, t('accounts.inactive')));
  const customerRef = h('input', { maxlength: 64 });
  const outcome = h('div', { id: 'provision-outcome', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'provision-submit' }, t('provision.submit'));
  const form = h('form', { id: 'provision-form' }, h('div', { class: 'form-message' }),
    field('login', t('provision.login'), login), field('fullName', t('account.fullName'), fullName),
    field('tariff', t('provision.tariff'), tariff), field('stbMac', t('provision.mac'), stbMac),
    field('status', t('provision.status'), status), field('customerRef', t('accounts.customerRef'), customerRef),
    submit);
  stbMac.addEventListener('input', () => {
    const slot = form.querySelector('#problem-stbMac');
    const bad = stbMac.value !== '' && !MAC.test(stbMac.value.trim());
    slot.textContent = bad ? t('provision.macInvalid') : '';
    if (bad) stbMac.setAttribute('aria-invalid', 'true'); else stbMac.removeAttribute('aria-invalid');
  });
  onSubmit(form, async () => {
    show(outcome, message(t('provision.waiting')));
    const body = { login: login.value.trim(), tariff: tariff.value };
    for (const [name, input] of [['fullName', fullName], ['stbMac', stbMac], ['status', status],
      ['customerRef', customerRef]]) {
      if (input.value.trim() !== '') body[name] = input.value.trim();
    }
    try {
      const { status: code, data } = await api('POST', `/provision${query({ company, wait: WAIT_SECONDS })}`, body,
        { 'Idempotency-Key': crypto.randomUUID() });
      show(outcome,
        message(code === 201 ? t('provision.inMinistra', data.login)
          : t('provision.pending', data.login, data.sync.lastError || t(`sync.${data.sync.state}`)),
        code === 201 ? 'success' : 'info'),
        data.generatedPassword ? shownOnce(t('provision.password'), data.generatedPassword, 'generated-password') : null,
        h('a', { href: link(`/accounts/${encodeURIComponent(data.login)}`), id: 'open-account' }, t('provision.open')));
      form.reset();
    } catch (problem) {
      show(outcome);
      throw problem;
    }
  });
  show(main, h('h1', {}, t('provision.title')), form, outcome);
}
