// Scan.jsx: one scan: its status (polled while it runs) and its findings
// grouped by audience (IT, web developer, management), each with its tip.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getScan, listFindings } from '../api.js';
import { useT } from '../i18n.js';
import { AUDIENCES, SEVERITIES, byAudience, sevRank } from '../data.js';
import { ErrorBox, Field, Loading, SevBadge, useLoad } from '../components.jsx';
import { Link } from '../router.jsx';

const RUNNING = ['queued', 'running'];

function Finding({ f }) {
	const t = useT();
	return (
		<li class="finding">
			<div class="finding-head">
				<SevBadge sev={f.severity} /> <strong>{f.title}</strong>
			</div>
			<dl>
				<dt>{t('finding.check')}</dt>
				<dd>{f.check_id}</dd>
				<dt>{t('finding.target')}</dt>
				<dd>
					{f.target}
					{f.port ? `:${f.port}` : ''}
				</dd>
				{f.evidence && (
					<>
						<dt>{t('finding.evidence')}</dt>
						<dd class="evidence">{f.evidence}</dd>
					</>
				)}
				{f.tip && (
					<>
						<dt>{t('finding.tip')}</dt>
						<dd>{f.tip}</dd>
					</>
				)}
			</dl>
		</li>
	);
}

function Tabs({ groups, tab, setTab }) {
	const t = useT();
	const refs = useRef({});
	const onKey = (e) => {
		const i = AUDIENCES.indexOf(tab);
		let n = -1;
		if (e.key === 'ArrowRight') n = (i + 1) % AUDIENCES.length;
		else if (e.key === 'ArrowLeft') n = (i + AUDIENCES.length - 1) % AUDIENCES.length;
		else if (e.key === 'Home') n = 0;
		else if (e.key === 'End') n = AUDIENCES.length - 1;
		if (n < 0) return;
		e.preventDefault();
		setTab(AUDIENCES[n]);
		refs.current[AUDIENCES[n]].focus();
	};
	return (
		<div role="tablist" aria-label={t('aud.tabs')} class="tabs" onKeyDown={onKey}>
			{AUDIENCES.map((a) => (
				<button
					key={a}
					type="button"
					role="tab"
					id={`tab-${a}`}
					aria-selected={tab === a ? 'true' : 'false'}
					aria-controls={`panel-${a}`}
					tabIndex={tab === a ? 0 : -1}
					ref={(el) => (refs.current[a] = el)}
					onClick={() => setTab(a)}
				>
					{t(`aud.${a}`)} ({groups[a].length})
				</button>
			))}
		</div>
	);
}

export function Scan({ id }) {
	const t = useT();
	const scan = useLoad(() => getScan(id), [id]);
	const [tab, setTab] = useState('it');
	const [minSev, setMinSev] = useState('');
	const s = scan.data;
	const done = s && !RUNNING.includes(s.status);
	const findings = useLoad(() => (done ? listFindings(id) : Promise.resolve(null)), [id, done]);
	useEffect(() => {
		if (!s || done) return undefined;
		const h = setTimeout(scan.reload, 1000);
		return () => clearTimeout(h);
	}, [s, done]);
	if (scan.loading && !s) return <Loading />;
	if (scan.error) return <ErrorBox error={scan.error} />;
	const list = (findings.data || []).filter((f) => !minSev || sevRank(f.severity) >= sevRank(minSev));
	const groups = byAudience(list);
	return (
		<>
			<section class="card" aria-labelledby="scan-h">
				<h1 id="scan-h">{t('scan.title', { id: s.id, target: s.target })}</h1>
				<p>
					<Link href={`/orgs/${s.org_id}`}>{t('nav.overview')}</Link>
				</p>
				<dl class="facts">
					<dt>{t('scan.status')}</dt>
					<dd data-testid="scan-status" data-status={s.status}>
						{t(`scan.status.${s.status}`)}
					</dd>
					<dt>{t('scan.started')}</dt>
					<dd>{s.started_at}</dd>
					{s.finished_at && (
						<>
							<dt>{t('scan.finished')}</dt>
							<dd>{s.finished_at}</dd>
						</>
					)}
					<dt>{t('scan.findings')}</dt>
					<dd>{s.findings}</dd>
				</dl>
				{!done && (
					<p class="muted" role="status">
						{t('scan.wait')}
					</p>
				)}
			</section>
			{done && (
				<section class="card" aria-labelledby="find-h">
					<h2 id="find-h">{t('scan.findings')}</h2>
					<Field label={t('scan.filter')} id="scan-minsev">
						<select id="scan-minsev" value={minSev} onChange={(e) => setMinSev(e.currentTarget.value)}>
							<option value="">{t('scan.filter.all')}</option>
							{SEVERITIES.map((v) => (
								<option key={v} value={v}>
									{t(`sev.${v}`)}
								</option>
							))}
						</select>
					</Field>
					{findings.loading && <Loading />}
					<ErrorBox error={findings.error} />
					<Tabs groups={groups} tab={tab} setTab={setTab} />
					<div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
						{groups[tab].length === 0 ? (
							<p>{t('scan.nofindings')}</p>
						) : (
							<ul class="findings">
								{groups[tab].map((f) => (
									<Finding key={f.id} f={f} />
								))}
							</ul>
						)}
					</div>
				</section>
			)}
		</>
	);
}
