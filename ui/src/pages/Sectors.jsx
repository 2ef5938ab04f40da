// Sectors.jsx: sector figures for sector associations (their own sector),
// insurers and operators (every sector): GET /api/aggregates. Only
// aggregates: no organisation, name, KvK number or target is ever in the
// answer, and a sector with fewer than five scanned companies comes back
// suppressed (k-anonymity) and is shown as such, without figures.
import { getAggregates } from '../api.js';
import { useLang, useT } from '../i18n.js';
import { ErrorBox, Loading, useLoad } from '../components.jsx';
import { SectorChart } from '../charts.jsx';

const pct = (lang, v) =>
	(Number(v) || 0).toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', { style: 'percent', maximumFractionDigits: 0 });

function sectorName(t, code) {
	const k = `sector.${code}`;
	const n = t(k);
	return n === k ? code : `${code} ${n}`;
}

function TopChecks({ list, lang }) {
	if (!list || !list.length) return <span class="muted">-</span>;
	return (
		<ul class="topchecks">
			{list.slice(0, 5).map((c) => (
				<li key={c.check_id}>
					{c.title} <span class="muted">({c.check_id}, {pct(lang, c.share)})</span>
				</li>
			))}
		</ul>
	);
}

export function Sectors() {
	const t = useT();
	const lang = useLang();
	const agg = useLoad(() => getAggregates(), []);
	if (agg.loading && !agg.data) return <Loading />;
	if (agg.error && agg.error.status === 403)
		return (
			<section class="card" aria-labelledby="sec-h">
				<h1 id="sec-h">{t('agg.title')}</h1>
				<p role="alert">{t('agg.forbidden')}</p>
			</section>
		);
	const rows = agg.data || [];
	const shown = rows.filter((r) => !r.suppressed);
	const hidden = rows.filter((r) => r.suppressed);
	return (
		<>
			<section class="card" aria-labelledby="sec-h">
				<h1 id="sec-h">{t('agg.title')}</h1>
				<ErrorBox error={agg.error} />
				<p class="muted">{t('agg.intro')}</p>
				{agg.data && rows.length === 0 && <p>{t('agg.none')}</p>}
				{shown.length > 0 && (
					<>
						<h2>{t('agg.chart')}</h2>
						<SectorChart
							title={t('agg.chart')}
							rows={shown.map((r) => ({ ...r, name: t(`sector.${r.sector}`) }))}
						/>
					</>
				)}
			</section>
			{shown.length > 0 && (
				<section class="card" aria-labelledby="sec-t">
					<h2 id="sec-t">{t('agg.table')}</h2>
					<div class="tablewrap">
						<table data-testid="sectors" class="stack">
							<thead>
								<tr>
									<th scope="col">{t('agg.col.sector')}</th>
									<th scope="col">{t('agg.col.companies')}</th>
									<th scope="col">{t('agg.col.critical')}</th>
									<th scope="col">{t('agg.col.high')}</th>
									<th scope="col">{t('agg.col.top')}</th>
								</tr>
							</thead>
							<tbody>
								{shown.map((r) => (
									<tr key={r.sector}>
										<th scope="row">{sectorName(t, r.sector)}</th>
										<td data-label={t('agg.col.companies')}>
											{t('agg.scanned', { n: r.scanned_companies, of: r.companies })}
										</td>
										<td data-label={t('agg.col.critical')}>{pct(lang, r.share_with.critical)}</td>
										<td data-label={t('agg.col.high')}>{pct(lang, r.share_with.high)}</td>
										<td data-label={t('agg.col.top')}>
											<TopChecks list={r.top_checks} lang={lang} />
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</section>
			)}
			{hidden.length > 0 && (
				<section class="card" aria-labelledby="sec-s">
					<h2 id="sec-s">{t('agg.suppressed')}</h2>
					<p class="muted">{t('agg.suppressed.help')}</p>
					<ul class="suppressed" data-testid="suppressed">
						{hidden.map((r) => (
							<li key={r.sector}>{sectorName(t, r.sector)}</li>
						))}
					</ul>
				</section>
			)}
		</>
	);
}
