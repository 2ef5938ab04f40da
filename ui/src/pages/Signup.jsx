// Signup.jsx: a new company signs itself up: an account and its
// organisation in one go (POST /api/signup); the user becomes the
// organisation's admin and signs in next.
import { useState } from 'preact/hooks';
import { signUp } from '../api.js';
import { useT } from '../i18n.js';
import { Field, Notice } from '../components.jsx';
import { Link } from '../router.jsx';

export const SECTORS = 'ABCDEFGHIJKLMNOPQRSTU'.split('');
export const SIZES = ['micro', 'small', 'medium', 'large'];

export function Signup({ onDone }) {
	const t = useT();
	const [f, setF] = useState({ email: '', org_name: '', kvk: '', sector: '', size_class: '', pw: '', pw2: '' });
	const [err, setErr] = useState('');
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		if (f.pw.length < 10) return setErr(t('invite.short'));
		if (f.pw !== f.pw2) return setErr(t('invite.mismatch'));
		const o = { email: f.email.trim(), password: f.pw, org_name: f.org_name.trim() };
		if (f.kvk.trim()) o.kvk = f.kvk.trim();
		if (f.sector) o.sector = f.sector;
		if (f.size_class) o.size_class = f.size_class;
		setBusy(true);
		try {
			await signUp(o);
			onDone(t('signup.done'));
		} catch (x) {
			if (x.status === 409) setErr(t('signup.exists'));
			else if (x.status === 429) setErr(t('login.locked'));
			else setErr(t('common.error', { msg: x.message }));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="card narrow" aria-labelledby="signup-h">
			<h1 id="signup-h">{t('signup.title')}</h1>
			<p>{t('signup.intro')}</p>
			<form onSubmit={submit}>
				<Field label={t('signup.org')} id="su-org">
					<input id="su-org" required maxLength={200} autocomplete="organization" value={f.org_name} onInput={set('org_name')} />
				</Field>
				<Field label={t('orgs.kvk')} id="su-kvk">
					<input id="su-kvk" inputmode="numeric" pattern="[0-9]{8}" value={f.kvk} onInput={set('kvk')} />
				</Field>
				<Field label={t('signup.sector')} id="su-sector">
					<select id="su-sector" value={f.sector} onChange={set('sector')}>
						<option value="">{t('orgs.size.none')}</option>
						{SECTORS.map((s) => (
							<option key={s} value={s}>
								{s} {t(`sector.${s}`)}
							</option>
						))}
					</select>
				</Field>
				<Field label={t('orgs.size')} id="su-size">
					<select id="su-size" value={f.size_class} onChange={set('size_class')}>
						<option value="">{t('orgs.size.none')}</option>
						{SIZES.map((s) => (
							<option key={s} value={s}>
								{t(`orgs.size.${s}`)}
							</option>
						))}
					</select>
				</Field>
				<Field label={t('login.email')} id="su-email">
					<input id="su-email" type="email" required autocomplete="email" value={f.email} onInput={set('email')} />
				</Field>
				<Field label={t('invite.password')} id="su-pw">
					<input id="su-pw" type="password" required minLength={10} autocomplete="new-password" value={f.pw} onInput={set('pw')} />
				</Field>
				<Field label={t('invite.password2')} id="su-pw2">
					<input id="su-pw2" type="password" required minLength={10} autocomplete="new-password" value={f.pw2} onInput={set('pw2')} />
				</Field>
				<Notice text={err} kind="error" />
				<button type="submit" disabled={busy}>
					{t('signup.submit')}
				</button>
			</form>
			<p>
				<Link href="/login">{t('signup.haveaccount')}</Link>
			</p>
		</section>
	);
}
