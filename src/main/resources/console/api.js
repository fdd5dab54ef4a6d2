// The console's only way to the service: the public REST API under /api/v1, authenticated by the HttpOnly session
// cookie (the console never sees or stores a token), with the session's CSRF token on unsafe methods.
import { t } from './messages.js';

let csrfToken = null;

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || t('common.httpStatus', status));
    this.status = status;
    this.problem = problem || { status, detail: t('common.httpStatus', status) };
  }
}

export function useCsrfToken(token) {
  csrfToken = token;
}

/** Called when the session has ended (401): the app shows the sign-in page. */
let onSignedOut = () => {};
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { 'X-Requested-With': 'console', Accept: 'application/json', ...extraHeaders };
  // every unsafe call is JSON, even without a body (the API's verbs consume application/json), but for a file
  const file = body instanceof Blob;
  if (method !== 'GET') headers['Content-Type'] = file ? body.type : 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method, headers, credentials: 'same-origin', body: body === undefined || file ? body : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    if (response.status === 401 && path !== '/session') onSignedOut();
    throw new ApiProblem(response.status, data);
  }
  return { status: response.status, data, etag: response.headers.get('ETag') };
}

export const get = (path) => api('GET', path).then((answer) => answer.data);
export const post = (path, body) => api('POST', path, body);

/** A query string from the non-empty entries of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
