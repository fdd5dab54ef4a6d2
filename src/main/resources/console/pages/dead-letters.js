// Dead letters (admin): filters, Ministra's answer, the masked request, replay, discard, bulk replay by filter.
import { get, post, query } from '../api.js';
import { actionButton, field, h, message, show, showProblem, stateBadge, table, time } from '../dom.js';
import { t, term } from '../messages.js';
import { currentCompany, link, navigate } from '../app.js';

export async function deadLettersPage(main, { params }) {
  const company = currentCompany();
  const filter = { company, cause: params.get('cause'), status: params.get('status') || 'open',
    olderThanMinutes: params.get('olderThanMinutes') };
  const cause = h('input', { value: filter.cause || '' });
  const status = h('select', {}, ['open', 'replayed', 'discarded'].map((value) => h('option', { value }, term(value))));
  status.value = filter.status;
  const older = h('input', { type: 'number', min: 0, value: filter.olderThanMinutes || '' });
  const form = h('form', { class: 'filters', id: 'dead-letters-filter' }, h('div', { class: 'form-message' }),
    field('cause', t('deadLetters.cause'), cause),
    field('status', t('deadLetters.status'), status), field('olderThanMinutes', t('deadLetters.olderThan'), older),
    h('button', { type: 'submit' }, t('common.search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('/dead-letters', { cause: cause.value, status: status.value, olderThanMinutes: older.value });
  });
  const notice = h('div', { id: 'dead-letters-notice', 'aria-live': 'polite' });
  let letters;
  try {
    letters = await get(`/dead-letters${query(filter)}`);
  } catch (problem) {
    if (!problem.problem) throw problem;
    show(main, h('h1', {}, t('deadLetters.title')), form);
    showProblem(form, problem.problem);
    return;
  }
  const reload = () => deadLettersPage(main, { params });
  // runs an action, then shows the list again with what the service answered it (report: its answer to a notice)
  const run = async (work, report) => {
    try {
      const { data } = await work();
      await reload();
      main.querySelector('#dead-letters-notice').append(report(data));
    } catch (problem) {
      show(notice, message(problem.message, 'error'));
    }
  };
  show(main, h('h1', {}, t('deadLetters.title')), form, notice,
    company && filter.status === 'open' && letters.length > 0 ? actionButton(t('deadLetters.bulkReplay'), () => {
      const question = letters.length === 1 ? t('deadLetters.bulkConfirmOne') : t('deadLetters.bulkConfirm', letters.length);
      if (!window.confirm(question)) return Promise.resolve();
      // the same filter as the list, and as many as were counted and confirmed (the list shows up to 1,000)
      return run(() => post(`/dead-letters/replay${query({ company })}`, { cause: filter.cause || undefined,
        olderThanMinutes: filter.olderThanMinutes ? Number(filter.olderThanMinutes) : undefined,
        limit: letters.length }), bulkReplayReport);
    }, { id: 'bulk-replay' }) : null,
    table([t('deadLetters.account'), t('deadLetters.operation'), t('deadLetters.cause'),
      t('deadLetters.ministraAnswer'), t('deadLetters.when'), t('common.actions')], letters.map((letter) => [
      h('a', { href: link(`/accounts/${encodeURIComponent(letter.login)}`, { company: letter.companyId }) }, letter.login),
      letter.operation, letter.cause,
      h('details', {}, h('summary', {}, letter.ministraError || letter.detail),
        h('p', {}, letter.detail), h('p', {}, t('deadLetters.request')),
        h('pre', {}, JSON.stringify(letter.request, null, 2))),
      time(letter.deadAt),
      letter.status === 'open' ? h('span', { class: 'actions' },
        actionButton(t('deadLetters.replay'), () => run(() => post(`/dead-letters/${letter.id}/replay`),
          () => message(t('deadLetters.replayed', letter.login), 'success')), { 'data-replay': letter.login }),
        actionButton(t('deadLetters.discard'), () => {
          if (!window.confirm(t('deadLetters.discardConfirm', letter.login))) return Promise.resolve();
          return run(() => post(`/dead-letters/${letter.id}/discard`),
            () => message(t('deadLetters.discarded', letter.login), 'success'));
        }, { class: 'danger', 'data-discard': letter.login })) : stateBadge(letter.status),
    ])));
}

/** What a bulk replay did: how many of the matching dead letters it replayed, and why it skipped any other. */
function bulkReplayReport(answer) {
  const skipped = answer.results.filter((result) => result.outcome !== 'replayed');
  return h('div', { id: 'bulk-replay-report' },
    message(t('deadLetters.bulkReplayed', answer.replayed, answer.results.length), 'success'),
    skipped.length ? h('ul', { class: 'form-message error' },
      skipped.map((result) => h('li', { 'data-skipped': result.id }, result.detail))) : null);
}
