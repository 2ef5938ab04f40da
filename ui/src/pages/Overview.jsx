// Overview.jsx: "how safe is my company?": open findings by severity, the
// trend over scans, the scans, the users and (with write access) inviting
// someone.
import { useState } from 'preact/hooks';
import { getOrg, invite, listMembers } from '../api.js';
import { useT } from '../i18n.js';
import { orgOverview, sumCounts } from '../data.js';
import { ErrorBox, Field, Loading, Notice, SevBadge, useLoad } from '../components.jsx';
import { SeverityChart, TrendChart } from '../charts.jsx';
import { Link } from '../router.jsx';

export function canWrite(me, org) {
	if (me.operator) return true;
	const m = me.memberships.find((x) => x.org_id === org.id);
	if (m) return m.role === 'admin' || m.role === 'partner';
	/* Visible but not a member: a client of the user's partner organisation. */
	return me.memberships.some((x) => x.role === 'partner');
}

function InviteForm({ org, me }) {
	const t = useT();
	const [email, setEmail] = useState('');
	const [role, setRole] = useState('member');
	const [link, setLink] = useState('');
	const [sent, setSent] = useState('');
	const [err, setErr] = useState('');
	const roles = me.operator ? ['member', 'admin', 'partner', 'association', 'insurer'] : ['member', 'admin'];
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		setLink('');
		setSent('');
		try {
			const to = email.trim();
			const r = await invite(org.id, to, role);
			// With a mail relay the token only goes to the mailbox; without
			// one the inviter passes the link on; a mail that could not be
			// queued leaves the invitation standing without a token here.
			if (r.token) setLink(`${location.origin}/invite#${encodeURIComponent(r.token)}`);
			else if (r.mailed) setSent(t('overview.invite.mailed', { email: to }));
			else setErr(t('overview.invite.nomail', { email: to }));
			setEmail('');
		} catch (x) {
			setErr(x.message);
		}
	};
	return (
		<section class="card" aria-labelledby="inv-h">
			<h2 id="inv-h">{t('overview.invite')}</h2>
			<form onSubmit={submit} class="grid">
				<Field label={t('overview.invite.email')} id="inv-email">
					<input id="inv-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
				</Field>
				<Field label={t('overview.invite.role')} id="inv-role">
					<select id="inv-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
						{roles.map((r) => (
							<option key={r} value={r}>
								{t(`role.${r}`)}
							</option>
						))}
					</select>
				</Field>
				<div>
					<button type="submit">{t('overview.invite.submit')}</button>
				</div>
			</form>
			<Notice text={err} kind="error" />
			<Notice text={sent} />
			{link && (
				<div class="notice" role="status">
					<p>{t('overview.invite.link')}</p>
					<input class="copy" readOnly aria-label={t('overview.invite.link')} value={link} data-testid="invite-link" />
				</div>
			)}
		</section>
	);
}

export function Overview({ me, id }) {
	const t = useT();
	const org = useLoad(() => getOrg(id), [id]);
	const sum = useLoad(() => orgOverview(id), [id]);
	const members = useLoad(() => listMembers(id), [id]);
	if (org.loading && !org.data) return <Loading />;
	if (org.error) return <ErrorBox error={org.error} />;
	const o = org.data;
	const serious = sum.data ? sum.data.open.critical + sum.data.open.high : 0;
	return (
		<>
			<section class="card" aria-labelledby="ov-h">
				<h1 id="ov-h">{t('overview.title', { name: o.name })}</h1>
				{sum.loading && <Loading />}
				<ErrorBox error={sum.error} />
				{sum.data && sum.data.scans.length === 0 && <p>{t('overview.noscans')}</p>}
				{sum.data && sum.data.scans.length > 0 && sum.data.latest.length === 0 && <p>{t('overview.nofinished')}</p>}
				{sum.data && sum.data.latest.length > 0 && (
					<p class={serious ? 'verdict bad' : 'verdict good'}>
						{serious ? t('overview.verdict.bad', { n: serious }) : t('overview.verdict.good')}
					</p>
				)}
				<p>
					<Link href={`/orgs/${o.id}/assets`}>{t('nav.assets')}</Link>
					{canWrite(me, o) && (
						<>
							{' · '}
							<Link href={`/orgs/${o.id}/audit`}>{t('audit.link')}</Link>
						</>
					)}
				</p>
			</section>
			{sum.data && sum.data.scans.length > 0 && (
				<div class="two">
					<section class="card" aria-labelledby="open-h">
						<h2 id="open-h">{t('overview.open')}</h2>
						<p class="muted">{t('overview.open.help')}</p>
						<SeverityChart counts={sum.data.open} title={t('overview.open')} />
					</section>
					<section class="card" aria-labelledby="trend-h">
						<h2 id="trend-h">{t('overview.trend')}</h2>
						<p class="muted">{t('overview.trend.help')}</p>
						<TrendChart trend={sum.data.trend} title={t('overview.trend')} />
					</section>
				</div>
			)}
			{sum.data && sum.data.worst.length > 0 && (
				<section class="card" aria-labelledby="worst-h">
					<h2 id="worst-h">{t('overview.worst')}</h2>
					<ul class="worst" data-testid="worst">
						{sum.data.worst.map((f) => (
							<li key={f.id}>
								<SevBadge sev={f.severity} /> <Link href={`/scans/${f.scan_id}`}>{f.title}</Link>{' '}
								<span class="muted">
									{f.target} · {f.check_id}
								</span>
							</li>
						))}
					</ul>
				</section>
			)}
			{sum.data && sum.data.scans.length > 0 && (
				<section class="card" aria-labelledby="scans-h">
					<h2 id="scans-h">{t('overview.scans')}</h2>
					<ul class="scanlist">
						{sum.data.scans.map((s) => (
							<li key={s.id}>
								<Link href={`/scans/${s.id}`}>{t('scan.title', { id: s.id, target: s.target })}</Link>{' '}
								<span class="muted">
									{t(`scan.status.${s.status}`)} · {s.started_at} · {t('scan.findings')}: {sumCounts(s.counts)}
								</span>
							</li>
						))}
					</ul>
				</section>
			)}
			<section class="card" aria-labelledby="mem-h">
				<h2 id="mem-h">{t('overview.members')}</h2>
				<ErrorBox error={members.error} />
				{members.data && (
					<ul>
						{members.data.map((m) => (
							<li key={m.user_id}>
								{m.email} <span class="muted">({t(`role.${m.role}`)})</span>
							</li>
						))}
					</ul>
				)}
			</section>
			{canWrite(me, o) && <InviteForm org={o} me={me} />}
		</>
	);
}
