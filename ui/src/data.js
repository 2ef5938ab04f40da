// data.js: what the pages derive from the API's answers: severity order,
// the grouping by audience, an organisation's overview (summary + scans)
// and what a user's roles let it see.
import { getSummary, listScans } from './api.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
export const AUDIENCES = ['it', 'web', 'mgt'];
const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export const sevRank = (s) => RANK[s] ?? -1;

export function countBySeverity(findings) {
	const c = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
	for (const f of findings) if (f.severity in c) c[f.severity]++;
	return c;
}

export function worst(findings, n) {
	return [...findings].sort((a, b) => sevRank(b.severity) - sevRank(a.severity)).slice(0, n);
}

// audience "it,web" -> in both groups; none given -> IT.
export function byAudience(findings) {
	const g = { it: [], web: [], mgt: [] };
	for (const f of findings) {
		const auds = (f.audience || 'it')
			.split(',')
			.map((a) => a.trim())
			.filter((a) => a in g);
		for (const a of auds.length ? auds : ['it']) g[a].push(f);
	}
	return g;
}

export const sumCounts = (c) => SEVERITIES.reduce((a, s) => a + ((c && c[s]) || 0), 0);

// The organisation's summary (open findings by severity, trend oldest
// first, worst open findings) and its scans, newest first.
export async function orgOverview(orgId) {
	const [summary, scans] = await Promise.all([getSummary(orgId), listScans(orgId)]);
	const trend = [...summary.trend].sort((a, b) => a.scan_id - b.scan_id);
	return { ...summary, trend, scans };
}

// What the navigation offers: company data (members, partners,
// operators), the partner overview, the sector aggregates (associations,
// insurers, operators).
export function rolesOf(me) {
	const roles = new Set(me.memberships.map((m) => m.role));
	const company = roles.has('admin') || roles.has('member');
	return {
		partner: roles.has('partner'),
		sectors: !!me.operator || roles.has('association') || roles.has('insurer'),
		// Associations and insurers get aggregates only, never company
		// pages; someone without any membership may register a company.
		companies: !!me.operator || company || roles.has('partner') || roles.size === 0,
	};
}
