// api.js: the JSON API client. Cookies carry the session (HttpOnly, set by
// POST /api/session); every state-changing request sends the session's CSRF
// token in X-CSRF-Token, taken from the login answer or, after a reload,
// from the readable wachter_csrf cookie (docs/server.md). Every request
// says the dashboard's chosen language in Accept-Language, so the mails it
// triggers (invitation, password reset) follow that choice rather than the
// browser's. Same origin, so no CORS preflight and nothing for the CSP.
import { initialLang } from './i18n.js';

let csrfToken = null;

export class ApiError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

function csrfFromCookie() {
	for (const part of document.cookie.split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k === 'wachter_csrf') return decodeURIComponent(v.join('='));
	}
	return null;
}

export async function api(method, path, body) {
	const headers = { Accept: 'application/json', 'Accept-Language': initialLang() };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (method !== 'GET' && method !== 'HEAD') {
		const t = csrfToken || csrfFromCookie();
		if (t) headers['X-CSRF-Token'] = t;
	}
	const res = await fetch(path, {
		method,
		headers,
		credentials: 'same-origin',
		cache: 'no-store',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let data = null;
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}
	if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText);
	return data;
}

export async function signIn(email, password, totp) {
	const body = { email, password };
	if (totp) body.totp = totp;
	const r = await api('POST', '/api/session', body);
	csrfToken = r.csrf_token;
	return r;
}

export async function signOut() {
	try {
		await api('DELETE', '/api/session');
	} finally {
		csrfToken = null;
	}
}

export const getMe = () => api('GET', '/api/me');
export const listOrgs = () => api('GET', '/api/orgs');
export const getOrg = (id) => api('GET', `/api/orgs/${id}`);
export const createOrg = (o) => api('POST', '/api/orgs', o);
export const listAssets = (org) => api('GET', `/api/orgs/${org}/assets`);
export const addAsset = (org, kind, value) =>
	api('POST', `/api/orgs/${org}/assets`, { kind, value });
export const verifyAsset = (id, method) => api('POST', `/api/assets/${id}/verify`, { method });
export const startScan = (asset) => api('POST', `/api/assets/${asset}/scans`);
export const getScan = (id) => api('GET', `/api/scans/${id}`);
export const listFindings = (scan) => api('GET', `/api/scans/${scan}/findings?limit=1000`);
export const listMembers = (org) => api('GET', `/api/orgs/${org}/members`);
export const invite = (org, email, role) =>
	api('POST', `/api/orgs/${org}/invitations`, { email, role });
export const acceptInvitation = (token, password) =>
	api('POST', '/api/invitations/accept', { token, password });

// GET /api/orgs/:id/scans: the organisation's scans, newest first, each
// with its finding counts by severity.
export const listScans = (org, limit = 50) => api('GET', `/api/orgs/${org}/scans?limit=${limit}`);
// GET /api/orgs/:id/summary: open findings (latest finished scan per
// target) by severity, the trend over the last finished scans and the
// worst open findings.
export const getSummary = (org) => api('GET', `/api/orgs/${org}/summary`);
// GET /api/aggregates: sector figures for associations (their sector),
// insurers and operators (all); 403 for everyone else.
export const getAggregates = () => api('GET', '/api/aggregates');

// Self-service (docs/server.md "Sign-in, sessions, tokens").
// POST /api/signup: an account and its organisation, the user its admin.
export const signUp = (o) => api('POST', '/api/signup', o);
// POST /api/password-reset: 202 whether or not the account exists.
export const requestReset = (email) => api('POST', '/api/password-reset', { email });
export const confirmReset = (token, password) =>
	api('POST', '/api/password-reset/confirm', { token, password });
export const changePassword = (current, next) =>
	api('POST', '/api/me/password', { current, new: next });
// TOTP: a fresh secret + otpauth:// URI (nothing stored until enabled).
export const newTotp = () => api('POST', '/api/me/totp');
export const enableTotp = (secret, code, password) =>
	api('POST', '/api/me/totp/enable', { secret, code, password });
export const disableTotp = (code, password) => api('POST', '/api/me/totp/disable', { code, password });
export const listSessions = () => api('GET', '/api/me/sessions');
export const endSession = (id) => api('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`);
// DELETE /api/me/sessions: every session but this one -> {"ended": n}.
export const endOtherSessions = () => api('DELETE', '/api/me/sessions');
export const listTokens = () => api('GET', '/api/tokens');
export const createToken = (name) => api('POST', '/api/tokens', { name });
export const revokeToken = (id) => api('DELETE', `/api/tokens/${id}`);
export const listAudit = (org, limit = 200) => api('GET', `/api/orgs/${org}/audit?limit=${limit}`);
