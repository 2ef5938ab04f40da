// Orgs.jsx: the organisations the user may see, and registering a new one
// (for IT partners optionally as a client of their partner organisation).
import { useState } from 'preact/hooks';
import { createOrg, listOrgs } from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Field, Loading, Notice, useLoad } from '../components.jsx';
import { Link, navigate } from '../router.jsx';

export function Orgs({ me }) {
	const t = useT();
	const orgs = useLoad(() => listOrgs(), []);
	const partnerOrgs = me.memberships.filter((m) => m.role === 'partner');
	const [f, setF] = useState({ name: '', kvk: '', sector: '', size_class: '', partner: '' });
	const [err, setErr] = useState('');
	const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		const o = { name: f.name.trim() };
		if (f.kvk) o.kvk = f.kvk.trim();
		if (f.sector) o.sector = f.sector.trim().toUpperCase();
		if (f.size_class) o.size_class = f.size_class;
		if (f.partner) o.partner_org_id = Number(f.partner);
		try {
			const r = await createOrg(o);
			navigate(`/orgs/${r.id}`);
		} catch (x) {
			setErr(x.message);
		}
	};
	return (
		<>
			<section class="card" aria-labelledby="orgs-h">
				<h1 id="orgs-h">{t('orgs.title')}</h1>
				{orgs.loading && <Loading />}
				<ErrorBox error={orgs.error} />
				{orgs.data && orgs.data.length === 0 && <p>{t('orgs.none')}</p>}
				{orgs.data && orgs.data.length > 0 && (
					<ul class="orglist">
						{orgs.data.map((o) => (
							<li key={o.id}>
								<Link href={`/orgs/${o.id}`}>{o.name}</Link>
							</li>
						))}
					</ul>
				)}
			</section>
			{(me.operator || partnerOrgs.length > 0 || me.memberships.length === 0) && (
				<section class="card" aria-labelledby="orgnew-h">
					<h2 id="orgnew-h">{t('orgs.new')}</h2>
					<form onSubmit={submit} class="grid">
						<Field label={t('orgs.name')} id="org-name">
							<input id="org-name" required maxLength={200} value={f.name} onInput={set('name')} />
						</Field>
						<Field label={t('orgs.kvk')} id="org-kvk">
							<input id="org-kvk" inputmode="numeric" pattern="[0-9]{8}" value={f.kvk} onInput={set('kvk')} />
						</Field>
						<Field label={t('orgs.sector')} id="org-sector">
							<input id="org-sector" pattern="[A-Ua-u]" maxLength={1} value={f.sector} onInput={set('sector')} />
						</Field>
						<Field label={t('orgs.size')} id="org-size">
							<select id="org-size" value={f.size_class} onChange={set('size_class')}>
								{['', 'micro', 'small', 'medium', 'large'].map((s) => (
									<option key={s} value={s}>
										{t(`orgs.size.${s || 'none'}`)}
									</option>
								))}
							</select>
						</Field>
						{partnerOrgs.length > 0 && (
							<Field label={t('orgs.partner')} id="org-partner">
								<select id="org-partner" value={f.partner} onChange={set('partner')}>
									<option value="">{t('orgs.partner.none')}</option>
									{partnerOrgs.map((m) => (
										<option key={m.org_id} value={m.org_id}>
											{m.org_name}
										</option>
									))}
								</select>
							</Field>
						)}
						<Notice text={err} kind="error" />
						<div>
							<button type="submit">{t('orgs.create')}</button>
						</div>
					</form>
				</section>
			)}
		</>
	);
}
