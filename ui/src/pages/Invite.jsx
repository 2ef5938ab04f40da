// Invite.jsx: accept an invitation. The token comes in the link's fragment
// (/invite#TOKEN), which browsers never send to the server, so it stays out
// of access logs and Referer headers.
import { useState } from 'preact/hooks';
import { acceptInvitation } from '../api.js';
import { useT } from '../i18n.js';
import { Field, Notice } from '../components.jsx';

export function Invite({ onDone }) {
	const t = useT();
	const [token, setToken] = useState(decodeURIComponent(location.hash.slice(1)));
	const [pw, setPw] = useState('');
	const [pw2, setPw2] = useState('');
	const [err, setErr] = useState('');
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		if (pw.length < 10) return setErr(t('invite.short'));
		if (pw !== pw2) return setErr(t('invite.mismatch'));
		setBusy(true);
		try {
			await acceptInvitation(token.trim(), pw);
			onDone(t('invite.done'));
		} catch (x) {
			setErr(x.status === 400 ? x.message : t('invite.invalid'));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="card narrow" aria-labelledby="invite-h">
			<h1 id="invite-h">{t('invite.title')}</h1>
			<p>{t('invite.intro')}</p>
			<form onSubmit={submit}>
				<Field label={t('invite.token')} id="invite-token">
					<input id="invite-token" required autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
				</Field>
				<Field label={t('invite.password')} id="invite-pw">
					<input id="invite-pw" type="password" autocomplete="new-password" required minLength={10} value={pw} onInput={(e) => setPw(e.currentTarget.value)} />
				</Field>
				<Field label={t('invite.password2')} id="invite-pw2">
					<input id="invite-pw2" type="password" autocomplete="new-password" required minLength={10} value={pw2} onInput={(e) => setPw2(e.currentTarget.value)} />
				</Field>
				<Notice text={err} kind="error" />
				<button type="submit" disabled={busy}>
					{t('invite.submit')}
				</button>
			</form>
		</section>
	);
}
