// Tariff plans with their packages and active-account counts (each a link to the accounts page filtered by the
// plan), archived plans, "Sync now" and the sync history with outcomes and classified errors.
import { get, post, query } from '../api.js';
import { actionButton, badge, h, message, show, stateBadge, table, time } from '../dom.js';
import { t, term } from '../messages.js';
import { currentCompany, link, session } from '../app.js';

export async function tariffsPage(main) {
  const company = currentCompany();
  const notice = h('div', { 'aria-live': 'polite' });
  const render = async () => {
    const [active, archived, runs] = await Promise.all([
      get(`/tariffs${query({ company, status: 'active' })}`), get(`/tariffs${query({ company, status: 'archived' })}`),
      get(`/tariffs/sync-runs${query({ company, limit: 20 })}`)]);
    const details = await Promise.all(active.map((plan) => get(`/tariffs/${plan.id}`)));
    show(main, h('h1', {}, t('tariffs.title')), notice,
      session.can('manager') && company ? actionButton(t('tariffs.syncNow'), async () => {
        try {
          const { data } = await post(`/companies/${company}/tariffs/sync`);
          show(notice, message(`${t('tariffs.syncNow')}: ${term(data.outcome)}`, data.outcome === 'succeeded' ? 'success' : 'error'));
          await render();
        } catch (problem) {
          show(notice, message(problem.message, 'error'));
        }
      }, { id: 'sync-tariffs' }) : null,
      table([t('accounts.tariff'), t('tariffs.externalId'), t('tariffs.packages'), t('tariffs.accounts')], details.map((plan) => [
        [plan.name, plan.userDefault ? [' ', badge(t('tariffs.default'), 'default')] : null], plan.externalId,
        (plan.packages || []).map((pkg) => pkg.name).join(', '),
        h('a', { href: link('/accounts', { tariff: plan.externalId, company: plan.companyId }),
          'data-tariff-accounts': plan.externalId, title: t('tariffs.listAccounts', plan.name) },
        String(plan.activeAccounts))])),
      h('h2', {}, t('tariffs.archived')),
      table([t('accounts.tariff'), t('tariffs.externalId'), t('tariffs.archivedAt')], archived.map((plan) => [plan.name, plan.externalId, time(plan.archivedAt)])),
      h('h2', {}, t('tariffs.runs')),
      table([t('tariffs.started'), t('tariffs.outcome'), t('tariffs.counts'), t('tariffs.error')], runs.map((run) => [
        time(run.startedAt), stateBadge(run.outcome),
        `${run.counts.created} / ${run.counts.updated} / ${run.counts.archived} / ${run.counts.unchanged}`,
        run.error ? `${run.error.kind}: ${run.error.detail ?? ''}` : ''])));
  };
  await render();
}
