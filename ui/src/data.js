// data.js: what the pages compute from the API's answers: open findings
// (the latest finished scan of each target), counts by severity, the
// trend over scans and the grouping by audience.
import { listFindings, listScans } from './api.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
export const AUDIENCES = ['it', 'web', 'mgt'];
const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const FINISHED = ['done', 'incomplete'];

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

// The organisation's scans (newest first), the open findings and the trend.
export async function orgSummary(orgId) {
	const scans = await listScans(orgId);
	const finished = scans.filter((s) => FINISHED.includes(s.status));
	const latest = new Map();
	for (const s of finished) if (!latest.has(s.target)) latest.set(s.target, s);
	const trendScans = finished.slice(0, 12).reverse();
	const findings = new Map();
	for (const s of new Set([...latest.values(), ...trendScans]))
		findings.set(s.id, await listFindings(s.id));
	const open = [];
	for (const s of latest.values()) open.push(...findings.get(s.id));
	const trend = trendScans.map((s) => ({
		scan: s,
		counts: countBySeverity(findings.get(s.id)),
	}));
	return { scans, open, counts: countBySeverity(open), trend };
}
