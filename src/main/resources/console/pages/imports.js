// Imports: a billing export (CSV) checked first (every refused row by line) then imported, adopting the company's
// existing Ministra accounts (admin), and a job's progress bar until it ends, with its report to download.
import { api, get, post, query } from '../api.js';
import { actionButton, field, h, message, onSubmit, show, stateBadge, table } from '../dom.js';
import { t } from '../messages.js';
import { currentCompany, link, navigate, onLeave, session } from '../app.js';

export async function importsPage(main, { params }) {
  const company = currentCompany();
  const jobId = params.get('job');
  if (jobId) return jobPage(main, jobId);
  if (!company) {
    show(main, h('h1', {}, t('imports.title')), message(t('imports.pickCompany')));
    return;
  }
  const result = h('div', { id: 'import-check', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const csvForm = h('form', { id: 'csv-import' }, h('div', { class: 'form-message' }),
    field('file', t('imports.file'), file),
    h('p', { class: 'hint' }, t('imports.columns')),
    h('button', { type: 'submit', id: 'csv-check' }, t('imports.check')));
  const upload = (dryRun) => {
    const chosen = file.files[0];
    if (!chosen) throw { problem: { field: 'file', detail: t('imports.noFile') } };
    return api('POST', `/companies/${company}/imports/csv${query({ dryRun: dryRun ? 'true' : null })}`,
      new Blob([chosen], { type: 'text/csv' }));
  };
  onSubmit(csvForm, async () => {
    const { data } = await upload(true);
    show(result, h('h2', {}, t('imports.checked')), counts(data),
      data.refusedRows.length ? table([t('imports.line'), t('accounts.login'), t('imports.field'),
        t('imports.reason')], data.refusedRows.map((row) => [String(row.line), row.login || '', row.field || '',
        row.reason]), t('imports.refusedRows')) : message(t('imports.allValid'), 'success'),
      data.created + data.updated > 0 ? actionButton(counted('imports.run', data.created + data.updated), async () => {
        const started = await upload(false);
        navigate('/imports', { job: started.data.id, company });
      }, { id: 'csv-run' }) : null);
  });
  const ministra = session.can('admin') ? h('section', { id: 'ministra-import' }, h('h2', {}, t('imports.ministra')),
    h('p', {}, t('imports.ministraHint')),
    actionButton(t('imports.check'), async () => {
      const { data } = await post(`/companies/${company}/imports/ministra${query({ dryRun: 'true' })}`);
      show(result, h('h2', {}, t('imports.checked')), counts(data),
        data.adopted > 0 ? actionButton(counted('imports.adopt', data.adopted), async () => {
          const started = await post(`/companies/${company}/imports/ministra`);
          navigate('/imports', { job: started.data.id, company });
        }, { id: 'ministra-run' }) : null);
    }, { id: 'ministra-check' })) : null;
  show(main, h('h1', {}, t('imports.title')), h('h2', {}, t('imports.csv')), csvForm, ministra, result);
}

/** A job: its state and a progress bar, refreshed every second while it runs; the report when it has ended. */
async function jobPage(main, id) {
  let timer = null;
  onLeave(() => clearTimeout(timer));
  const render = async () => {
    const job = await get(`/imports/${encodeURIComponent(id)}`);
    const progress = job.progress;
    const bar = h('progress', { id: 'import-progress', max: progress.expectedRows || 1,
      'aria-label': t('imports.progress') });
    if (progress.expectedRows) bar.value = Math.min(progress.rowsRead, progress.expectedRows);
    else if (job.state !== 'running') bar.value = 1;
    show(main, h('h1', {}, `${t('imports.job')} ${job.id} `, stateBadge(job.state, job.state === 'failed' ? 'error' : null)),
      bar, counts(progress),
      job.state === 'running' ? h('p', {}, t('imports.rate', Math.round(progress.rowsPerSecond),
        progress.secondsLeft ?? '?')) : null,
      job.failure ? message(job.failure, 'error') : null,
      job.state !== 'running' ? actionButton(t('imports.report'), () => download(job.id), { id: 'import-report' }) : null,
      h('p', {}, h('a', { href: link('/imports', { company: job.companyId }) }, t('imports.another'))));
    if (job.state === 'running') timer = setTimeout(render, 1000);
  };
  await render();
}

/** The counts as a row of figures, each its label above its number. */
function counts(data) {
  const names = ['rowsRead', 'adopted', 'created', 'updated', 'compared', 'withDifferences', 'refused'];
  return h('dl', { class: 'figures', id: 'import-counts' }, names.filter((name) => data[name] !== undefined)
    .map((name) => h('div', {}, h('dt', {}, t(`imports.${name}`)),
      h('dd', { 'data-count': name }, String(data[name])))));
}

/** The message for a count: its singular form (key + 'One') for exactly one. */
function counted(key, count) {
  return count === 1 ? t(`${key}One`) : t(key, count);
}

/** The job's report (CSV) saved as a file; fetched through the API so the session and CSRF rules hold. */
async function download(id) {
  const response = await fetch(`/api/v1/imports/${encodeURIComponent(id)}/report`, {
    headers: { 'X-Requested-With': 'console', Accept: 'text/csv' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const anchor = h('a', { href: URL.createObjectURL(await response.blob()), download: `import-${id}.csv` });
  anchor.click();
  URL.revokeObjectURL(anchor.href);
}
