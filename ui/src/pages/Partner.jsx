// Partner.jsx: an IT partner's clients (every organisation it sees besides
// its own partner organisations) with their worst open findings.
import { listOrgs } from '../api.js';
import { useT } from '../i18n.js';
import { orgSummary, worst } from '../data.js';
import { ErrorBox, Loading, SevBadge, useLoad } from '../components.jsx';
import { Link } from '../router.jsx';

async function load(me) {
	const own = new Set(me.memberships.filter((m) => m.role === 'partner').map((m) => m.org_id));
	const orgs = (await listOrgs()).filter((o) => !own.has(o.id));
	const out = [];
	for (const o of orgs) {
		let sum = null;
		try {
			sum = await orgSummary(o.id);
		} catch {
			sum = null;
		}
		out.push({ org: o, sum });
	}
	return out;
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
					<table data-testid="clients">
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
									<td>
										{sum && sum.scans.length
											? `${sum.counts.critical} / ${sum.counts.high} / ${sum.counts.medium}`
											: '-'}
									</td>
									<td>
										{!sum || !sum.scans.length ? (
											<span class="muted">{t('partner.noscans')}</span>
										) : sum.counts.critical + sum.counts.high + sum.counts.medium === 0 ? (
											<span class="muted">{t('partner.clean')}</span>
										) : (
											<ul class="worst">
												{worst(sum.open, 3).map((f) => (
													<li key={f.id}>
														<SevBadge sev={f.severity} /> {f.title}
													</li>
												))}
											</ul>
										)}
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
