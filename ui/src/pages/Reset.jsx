// Reset.jsx: the forgotten password. /forgot asks for the e-mail address
// (the server answers the same whether or not it has an account and mails
// a one-hour code); /reset takes the code and a new password. A code in
// the link's fragment (/reset#CODE) fills the field; the fragment never
// reaches the server's log or a Referer.
import { useState } from 'preact/hooks';
import { confirmReset, requestReset } from '../api.js';
import { useT } from '../i18n.js';
import { Field, Notice } from '../components.jsx';
import { Link } from '../router.jsx';

export function Forgot() {
	const t = useT();
	const [email, setEmail] = useState('');
	const [msg, setMsg] = useState('');
	const [err, setErr] = useState('');
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		setMsg('');
		setBusy(true);
		try {
			await requestReset(email.trim());
			setMsg(t('forgot.sent'));
		} catch (x) {
			if (x.status === 503) setErr(t('forgot.nomail'));
			else if (x.status === 429) setErr(t('login.locked'));
			else setErr(t('common.error', { msg: x.message }));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="card narrow" aria-labelledby="forgot-h">
			<h1 id="forgot-h">{t('forgot.title')}</h1>
			<p>{t('forgot.intro')}</p>
			<form onSubmit={submit}>
				<Field label={t('login.email')} id="forgot-email">
					<input id="forgot-email" type="email" required autocomplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
				</Field>
				<Notice text={msg} />
				<Notice text={err} kind="error" />
				<button type="submit" disabled={busy}>
					{t('forgot.submit')}
				</button>
			</form>
			<p>
				<Link href="/reset">{t('forgot.havecode')}</Link> · <Link href="/login">{t('signup.haveaccount')}</Link>
			</p>
		</section>
	);
}

export function Reset({ onDone }) {
	const t = useT();
	const [code, setCode] = useState(decodeURIComponent(location.hash.slice(1)));
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
			await confirmReset(code.trim(), pw);
			// Drop the code from the address bar and history.
			history.replaceState(null, '', '/reset');
			onDone(t('reset.done'));
		} catch (x) {
			setErr(x.status === 404 ? t('reset.invalid') : t('common.error', { msg: x.message }));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="card narrow" aria-labelledby="reset-h">
			<h1 id="reset-h">{t('reset.title')}</h1>
			<p>{t('reset.intro')}</p>
			<form onSubmit={submit}>
				<Field label={t('reset.code')} id="reset-code">
					<input id="reset-code" required autocomplete="one-time-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
				</Field>
				<Field label={t('invite.password')} id="reset-pw">
					<input id="reset-pw" type="password" required minLength={10} autocomplete="new-password" value={pw} onInput={(e) => setPw(e.currentTarget.value)} />
				</Field>
				<Field label={t('invite.password2')} id="reset-pw2">
					<input id="reset-pw2" type="password" required minLength={10} autocomplete="new-password" value={pw2} onInput={(e) => setPw2(e.currentTarget.value)} />
				</Field>
				<Notice text={err} kind="error" />
				<button type="submit" disabled={busy}>
					{t('reset.submit')}
				</button>
			</form>
			<p>
				<Link href="/forgot">{t('reset.newcode')}</Link>
			</p>
		</section>
	);
}
