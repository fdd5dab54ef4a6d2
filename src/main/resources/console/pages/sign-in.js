import { api, ApiProblem } from '../api.js';
import { field, h, message, onSubmit } from '../dom.js';
import { t } from '../messages.js';
import { signedIn } from '../app.js';

export function signInPage(params) {
  const username = h('input', { autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'sign-in', id: 'sign-in-form' },
    h('h1', {}, t('app.title')),
    h('h2', {}, t('signIn.title')),
    params.get('ended') ? message(t('signIn.ended')) : null,
    h('div', { class: 'form-message' }),
    field('username', t('signIn.username'), username),
    field('password', t('signIn.password'), password),
    h('button', { type: 'submit', id: 'sign-in' }, t('signIn.submit')));
  onSubmit(form, async () => {
    try {
      const { data } = await api('POST', '/session', { username: username.value, password: password.value });
      await signedIn(data);
      location.hash = '#/dashboard';
    } catch (problem) {
      throw problem.status === 401 ? new ApiProblem(401, { detail: t('signIn.failed') }) : problem;
    }
  });
  return h('main', { id: 'main' }, form);
}
