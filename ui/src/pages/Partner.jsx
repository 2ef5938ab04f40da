// Partner.jsx: an IT partner's clients (every organisation it sees besides
// its own partner organisations), each with its open findings by severity
// and its worst open findings (GET /api/orgs/:id/summary).
import { getSummary, listOrgs } from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Loading, SevBadge, useLoad } from '../components.jsx';
import { Link } from '../router.jsx';

async function load(me) {
	const own = new Set(me.memberships.filter((m) => m.role === 'partner').map((m) => m.org_id));
	const orgs = (await listOrgs()).filter((o) => !own.has(o.id));
	const sums = await Promise.all(orgs.map((o) => getSummary(o.id).catch((error) => ({ error }))));
	return orgs.map((org, i) => ({ org, sum: sums[i] }));
}

function Worst({ sum }) {
	const t = useT();
	if (sum.error) return <ErrorBox error={sum.error} />;
	if (!sum.latest.length) return <span class="muted">{t('partner.noscans')}</span>;
	if (!sum.worst.length || sum.open.critical + sum.open.high + sum.open.medium === 0)
		return <span class="muted">{t('partner.clean')}</span>;
	return (
		<ul class="worst">
			{sum.worst.slice(0, 3).map((f) => (
				<li key={f.id}>
					<SevBadge sev={f.severity} /> <Link href={`/scans/${f.scan_id}`}>{f.title}</Link>
				</li>
			))}
		</ul>
	);
}

export function Partner({ me }) {
	const t = useT();
	const rows = useLoad(() => load(me), [me.id]);
	return (
		<section class="card" aria-labelledby="pa-h">
			<h1 id="pa-h">{t('partner.title')}</h1>
			{rows.loading && <Loading />}
			<ErrorBox error={rows.error} />
			{rows.data && rows.data.length === 0 && <p>{t('partner.none')}</p>}
			{rows.data && rows.data.length > 0 && (
				<div class="tablewrap">
					<table data-testid="clients" class="stack">
						<thead>
							<tr>
								<th scope="col">{t('partner.col.client')}</th>
								<th scope="col">{t('partner.col.counts')}</th>
								<th scope="col">{t('partner.col.worst')}</th>
							</tr>
						</thead>
						<tbody>
							{rows.data.map(({ org, sum }) => (
								<tr key={org.id}>
									<th scope="row">
										<Link href={`/orgs/${org.id}`}>{org.name}</Link>
									</th>
									<td data-label={t('partner.col.counts')}>
										{!sum.error && sum.latest.length
											? `${sum.open.critical} / ${sum.open.high} / ${sum.open.medium}`
											: '-'}
									</td>
									<td data-label={t('partner.col.worst')}>
										<Worst sum={sum} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}
