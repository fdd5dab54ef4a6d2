// The console's shell: who is signed in, the navigation, the company picker and the hash router. Every page is
// reachable by URL (#/accounts/jdoe?company=1), so a link can be pasted into a ticket.
import { api, get, useCsrfToken, whenSignedOut } from './api.js';
import { h, show } from './dom.js';
import { t } from './messages.js';
import { signInPage } from './pages/sign-in.js';
import { dashboardPage } from './pages/dashboard.js';
import { accountsPage } from './pages/accounts.js';
import { accountPage } from './pages/account.js';
import { provisionPage } from './pages/provision.js';
import { tariffsPage } from './pages/tariffs.js';
import { deadLettersPage } from './pages/dead-letters.js';
import { reconciliationPage } from './pages/reconciliation.js';
import { importsPage } from './pages/imports.js';
import { companiesPage, companyPage, userPage, usersPage } from './pages/admin.js';

const ROLES = ['viewer', 'manager', 'admin'];

/** What the pages know of the session and the current route. */
export const session = {
  user: null,
  companies: [],
  /** True when the signed-in user has at least this role (the server enforces the same rules regardless). */
  can(role) {
    return this.user !== null && ROLES.indexOf(this.user.role) >= ROLES.indexOf(role);
  },
};

const routes = [
  { pattern: /^\/dashboard$/, page: dashboardPage, nav: 'dashboard' },
  { pattern: /^\/accounts$/, page: accountsPage, nav: 'accounts' },
  { pattern: /^\/accounts\/([^/]+)$/, page: accountPage, nav: 'accounts' },
  { pattern: /^\/provision$/, page: provisionPage, nav: 'provision', role: 'manager' },
  { pattern: /^\/tariffs$/, page: tariffsPage, nav: 'tariffs' },
  { pattern: /^\/dead-letters$/, page: deadLettersPage, nav: 'deadLetters', role: 'admin' },
  { pattern: /^\/reconciliation$/, page: reconciliationPage, nav: 'reconciliation' },
  { pattern: /^\/imports$/, page: importsPage, nav: 'imports', role: 'manager' },
  { pattern: /^\/companies$/, page: companiesPage, nav: 'companies', role: 'admin' },
  { pattern: /^\/companies\/(\d+)$/, page: companyPage, nav: 'companies', role: 'admin' },
  { pattern: /^\/users$/, page: usersPage, nav: 'users', role: 'admin' },
  { pattern: /^\/users\/([^/]+)$/, page: userPage, nav: 'users', role: 'admin' },
];

const NAV = [
  ['dashboard', '/dashboard'], ['accounts', '/accounts'], ['provision', '/provision', 'manager'],
  ['tariffs', '/tariffs'], ['deadLetters', '/dead-letters', 'admin'], ['reconciliation', '/reconciliation'],
  ['imports', '/imports', 'manager'], ['companies', '/companies', 'admin'], ['users', '/users', 'admin'],
];

/** Things a page runs until the next navigation (e.g. the dashboard's polling). */
let pageCleanups = [];
export function onLeave(cleanup) {
  pageCleanups.push(cleanup);
}

export function currentRoute() {
  const [path, search] = location.hash.replace(/^#/, '').split('?');
  return { path: path || '/dashboard', params: new URLSearchParams(search || '') };
}

/** The company the URL names (?company=), or the only one the user sees. */
export function currentCompany() {
  const named = currentRoute().params.get('company');
  if (named) return Number(named);
  return session.companies.length === 1 ? session.companies[0].id : null;
}

/** A hash link that keeps the chosen company. */
export function link(path, params = {}) {
  const search = new URLSearchParams();
  const company = currentCompany();
  if (company && !('company' in params)) search.set('company', company);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

export function navigate(path, params) {
  location.hash = link(path, params).slice(1);
}

async function loadSession() {
  try {
    const { data } = await api('GET', '/session');
    await signedIn(data);
  } catch {
    session.user = null;
  }
}

export async function signedIn(user) {
  session.user = user;
  useCsrfToken(user.csrfToken);
  session.companies = await get('/companies');
}

export async function signOut() {
  try {
    await api('DELETE', '/session');
  } finally {
    session.user = null;
    useCsrfToken(null);
    location.hash = '#/sign-in';
  }
}

function companyPicker(navName) {
  const select = h('select', { id: 'company-picker', 'aria-label': t('nav.company') },
    session.user.allCompanies || session.companies.length > 1
      ? h('option', { value: '' }, t('nav.allCompanies')) : null,
    session.companies.map((company) => h('option', { value: company.id }, company.name)));
  select.value = currentCompany() ?? '';
  select.addEventListener('change', () => {
    const { path, params } = currentRoute();
    if (select.value) params.set('company', select.value); else params.delete('company');
    const keepPath = navName === 'accounts' && path.startsWith('/accounts/') ? '/accounts' : path;
    location.hash = `#${keepPath}?${params}`;
  });
  return select;
}

function shell(navName, content) {
  const nav = h('nav', { 'aria-label': t('nav.main') }, h('ul', {}, NAV
    .filter(([, , role]) => !role || session.can(role))
    .map(([name, path]) => h('li', {}, h('a', { href: link(path), 'aria-current': name === navName ? 'page' : null },
      t(`nav.${name}`))))));
  return [
    h('a', { class: 'skip', href: '#main', onclick: (event) => { event.preventDefault(); content.focus(); } },
      t('nav.skip')),
    h('header', {},
      h('a', { class: 'brand', href: link('/dashboard') }, t('app.title')),
      companyPicker(navName),
      h('span', { class: 'who', id: 'who' }, `${session.user.username} (${t(`role.${session.user.role}`)})`),
      h('button', { type: 'button', id: 'sign-out', onclick: signOut }, t('nav.signOut'))),
    nav,
    content,
  ];
}

async function render() {
  pageCleanups.forEach((cleanup) => cleanup());
  pageCleanups = [];
  const root = document.getElementById('app');
  const { path, params } = currentRoute();
  if (!session.user && path !== '/sign-in') await loadSession();
  if (!session.user || path === '/sign-in') {
    if (session.user) { location.hash = '#/dashboard'; return; }
    show(root, signInPage(params));
    return;
  }
  // a company created since sign-in (by another operator or through the API) joins the picker when a link names it
  const named = Number(params.get('company'));
  if (named && !session.companies.some((company) => company.id === named)) {
    session.companies = await get('/companies');
  }
  const route = routes.find((candidate) => candidate.pattern.test(path)) || routes[0];
  const match = path.match(route.pattern);
  const main = h('main', { id: 'main', tabindex: '-1' });
  show(root, shell(route.nav, main));
  if (route.role && !session.can(route.role)) {
    show(main, h('h1', {}, t(`nav.${route.nav}`)),
      h('p', { class: 'form-message error', role: 'alert' }, t('role.needed', t(`role.${route.role}`))));
    return;
  }
  try {
    await route.page(main, { params, args: match.slice(1).map(decodeURIComponent) });
  } catch (problem) {
    show(main, h('p', { class: 'form-message error', role: 'alert' }, problem.message || t('common.error')));
  }
}

whenSignedOut(() => {
  if (session.user) {
    session.user = null;
    location.hash = '#/sign-in?ended=1';
  }
});
window.addEventListener('hashchange', render);
render();
