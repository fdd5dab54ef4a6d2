// Reconciliation: start a run, its findings by kind (paged), adopt a row only Ministra has.
import { get, post, query } from '../api.js';
import { actionButton, field, h, message, onSubmit, show, showProblem, stateBadge, table } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, link, navigate, session } from '../app.js';

const KINDS = ['drift', 'missing_in_ministra', 'only_in_ministra'];

export async function reconciliationPage(main, { params }) {
  const company = currentCompany();
  const runId = params.get('run');
  const kind = params.get('kind');
  const notice = h('div', { 'aria-live': 'polite', id: 'reconciliation-notice' });
  const runInput = h('input', { type: 'number', min: 1, value: runId || '' });
  const open = h('form', { class: 'filters', id: 'reconciliation-open' }, h('div', { class: 'form-message' }),
    field('runId', t('reconciliation.runId'), runInput), h('button', { type: 'submit' }, t('reconciliation.open')));
  open.addEventListener('submit', (event) => { event.preventDefault(); navigate('/reconciliation', { run: runInput.value }); });
  const fullListing = h('input', { type: 'checkbox' });
  const start = session.can('manager') && company ? onSubmit(h('form', { class: 'filters', id: 'reconciliation-start' },
    h('div', { class: 'form-message' }), field('fullListing', t('reconciliation.fullListing'), fullListing),
    h('button', { type: 'submit', id: 'start-reconciliation' }, t('reconciliation.start'))), async () => {
    const { data } = await post(`/reconciliation/runs${query({ company })}`, fullListing.checked ? { fullListing: true } : {});
    navigate('/reconciliation', { run: data.id });
  }) : null;
  show(main, h('h1', {}, t('reconciliation.title')), notice,
    session.can('manager') && !company ? message(t('reconciliation.pickCompany')) : null, start, open);
  if (!runId) return;
  let run;
  try {
    run = await get(`/reconciliation/runs/${encodeURIComponent(runId)}${query({ company, kind,
      after: params.get('after'), limit: 50 })}`);
  } catch (problem) {
    if (!problem.problem) throw problem;
    showProblem(open, { ...problem.problem, field: problem.problem.field || 'runId' });
    return;
  }
  const counts = run.counts || {};
  main.append(
    h('h2', {}, `${t('reconciliation.run')} ${run.id} `, stateBadge(run.status), run.failure ? ` ${run.failure}` : ''),
    h('p', { class: 'actions', id: 'finding-kinds' },
      h('a', { href: link('/reconciliation', { run: run.id }), 'aria-current': kind ? null : 'page' },
        t('reconciliation.allKinds')),
      KINDS.map((name) => h('a', { href: link('/reconciliation', { run: run.id, kind: name }), 'data-kind': name,
        'aria-current': kind === name ? 'page' : null }, `${t(`reconciliation.kind.${name}`)}: ${counts[name] ?? 0}`))),
    table([t('reconciliation.kind'), t('accounts.login'), t('accounts.mac'), t('reconciliation.field'),
      t('reconciliation.ours'), t('reconciliation.theirs'), t('common.actions')],
    run.findings.items.map((finding) => [t(`reconciliation.kind.${finding.kind}`), finding.login || '',
      finding.stbMac || '', finding.field || '', finding.ours || '', finding.theirs || '',
      // a finding only reported (no action taken on it yet) can still be adopted
      finding.resolution && finding.resolution !== 'reported' ? stateBadge(finding.resolution)
        : session.can('manager') && finding.kind === 'only_in_ministra' ? actionButton(t('reconciliation.adopt'),
          async () => {
            try {
              const { data } = await post(`/reconciliation/runs/${run.id}/findings/${finding.id}/adopt${query({ company })}`, {});
              await reconciliationPage(main, { params });
              main.querySelector('#reconciliation-notice').append(h('div', { class: 'form-message success',
                role: 'status' }, t('reconciliation.adopted'), ' ', h('a', {
                href: link(`/accounts/${encodeURIComponent(data.login)}`) }, data.login)));
            } catch (problem) {
              show(notice, message(problem.message, 'error'));
            }
          }, { 'data-adopt': finding.login || finding.id }) : finding.resolution ? stateBadge(finding.resolution) : '']),
    t('reconciliation.findings')),
    h('p', { class: 'pager' },
      params.get('after') ? h('a', { href: link('/reconciliation', { run: run.id, kind }), id: 'first-findings' },
        t('common.first')) : null,
      run.findings.nextAfter ? h('a', { href: link('/reconciliation', { run: run.id, kind,
        after: run.findings.nextAfter }), id: 'next-findings' }, t('common.next')) : null));
}
