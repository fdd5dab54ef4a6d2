// Reconciliation: start a run, its findings by kind (paged), adopt a row only Ministra has.
import { get, post, query } from '../api.js';
import { actionButton, badge, field, h, message, show, table } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, link, navigate, session } from '../app.js';

export async function reconciliationPage(main, { params }) {
  const company = currentCompany();
  const runId = params.get('run');
  const notice = h('div', { 'aria-live': 'polite' });
  const runInput = h('input', { type: 'number', min: 1, value: runId || '' });
  const open = h('form', { class: 'filters' }, field('run', t('reconciliation.runId'), runInput),
    h('button', { type: 'submit' }, t('reconciliation.open')));
  open.addEventListener('submit', (event) => { event.preventDefault(); navigate('/reconciliation', { run: runInput.value }); });
  const start = session.can('manager') && company ? actionButton(t('reconciliation.start'), async () => {
    try {
      const { data } = await post(`/reconciliation/runs${query({ company })}`, {});
      navigate('/reconciliation', { run: data.id });
    } catch (problem) {
      show(notice, message(problem.message, 'error'));
    }
  }, { id: 'start-reconciliation' }) : null;
  show(main, h('h1', {}, t('reconciliation.title')), notice, start, open);
  if (!runId) return;
  const run = await get(`/reconciliation/runs/${encodeURIComponent(runId)}${query({ company, kind: params.get('kind'),
    after: params.get('after'), limit: 50 })}`);
  main.append(
    h('h2', {}, `${t('reconciliation.run')} ${run.id} `, badge(run.status), run.failure ? ` ${run.failure}` : ''),
    h('p', {}, Object.entries(run.counts || {}).map(([kind, count]) =>
      [h('a', { href: link('/reconciliation', { run: run.id, kind }) }, `${kind}: ${count}`), ' '])),
    table([t('reconciliation.kind'), t('accounts.login'), t('accounts.mac'), 'field', 'ours', 'theirs', ''],
      run.findings.items.map((finding) => [finding.kind, finding.login || '', finding.stbMac || '',
        finding.field || '', finding.ours || '', finding.theirs || '',
        finding.resolution ? finding.resolution : (session.can('manager') && finding.kind.includes('only')
          ? actionButton(t('reconciliation.adopt'), async () => {
            try {
              await post(`/reconciliation/runs/${run.id}/findings/${finding.id}/adopt${query({ company })}`, {});
              await reconciliationPage(main, { params });
            } catch (problem) {
              show(notice, message(problem.message, 'error'));
            }
          }) : '')])),
    run.findings.nextAfter ? h('a', { href: link('/reconciliation', { run: run.id, kind: params.get('kind'),
      after: run.findings.nextAfter }) }, t('common.next')) : null);
}
