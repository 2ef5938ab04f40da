// Audit.jsx: an organisation's audit log (GET /api/orgs/:id/audit, the newest 200) for its
// admins, its IT partner and operators: who did what and when, newest
// first. Every value is text from the API, rendered as text.
import { getOrg, listAudit } from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Loading, useLoad } from '../components.jsx';
import { Link } from '../router.jsx';

const when = (s) => (s ? String(s).replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC') : '');


export function Audit({ id }) {
	const t = useT();
	const org = useLoad(() => getOrg(id), [id]);
	const log = useLoad(() => listAudit(id), [id]);
	const rows = log.data || [];
	return (
		<section class="card" aria-labelledby="audit-h">
			<h1 id="audit-h">{t('audit.title', { name: org.data ? org.data.name : `#${id}` })}</h1>
			<p>
				<Link href={`/orgs/${id}`}>{t('audit.back')}</Link>
			</p>
			{(log.loading || org.loading) && !log.data && <Loading />}
			<ErrorBox error={log.error && log.error.status === 404 ? { message: t('audit.forbidden') } : log.error} />
			{log.data && rows.length === 0 && <p>{t('common.none')}</p>}
			{rows.length > 0 && (
				<div class="tablewrap">
					<table class="stack" data-testid="audit">
						<thead>
							<tr>
								<th scope="col">{t('audit.col.when')}</th>
								<th scope="col">{t('audit.col.who')}</th>
								<th scope="col">{t('audit.col.action')}</th>
								<th scope="col">{t('audit.col.object')}</th>
								<th scope="col">{t('audit.col.detail')}</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((e, i) => (
								<tr key={e.id ?? i}>
									<th scope="row">{when(e.at)}</th>
									<td data-label={t('audit.col.who')}>{e.actor_email || t(`audit.actor.${e.actor || 'system'}`)}</td>
									<td data-label={t('audit.col.action')}>{e.action}</td>
									<td data-label={t('audit.col.object')}>{e.object}</td>
									<td data-label={t('audit.col.detail')} class="asset-value">
										{e.detail || ''}
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
