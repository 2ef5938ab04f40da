// Login.jsx: sign in with e-mail, password and (when enrolled) a TOTP code.
import { useState } from 'preact/hooks';
import { signIn, ApiError } from '../api.js';
import { useT } from '../i18n.js';
import { Field, Notice } from '../components.jsx';
import { Link } from '../router.jsx';

export function Login({ onSignedIn, notice }) {
	const t = useT();
	const [email, setEmail] = useState('');
	const [password, setPassword] = useState('');
	const [totp, setTotp] = useState('');
	const [err, setErr] = useState('');
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setErr('');
		setBusy(true);
		try {
			await signIn(email.trim(), password, totp.trim());
			setPassword('');
			onSignedIn();
		} catch (x) {
			setErr(x instanceof ApiError && x.status === 429 ? t('login.locked') : t('login.failed'));
		} finally {
			setBusy(false);
		}
	};
	return (
		<section class="card narrow" aria-labelledby="login-h">
			<h1 id="login-h">{t('login.title')}</h1>
			<Notice text={notice} />
			<form onSubmit={submit}>
				<Field label={t('login.email')} id="login-email">
					<input id="login-email" name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
				</Field>
				<Field label={t('login.password')} id="login-password">
					<input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
				</Field>
				<Field label={t('login.totp')} id="login-totp">
					<input id="login-totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" value={totp} onInput={(e) => setTotp(e.currentTarget.value)} />
				</Field>
				<Notice text={err} kind="error" />
				<button type="submit" disabled={busy}>
					{t('login.submit')}
				</button>
			</form>
			<p class="authlinks">
				<Link href="/forgot">{t('login.forgot')}</Link>
				<Link href="/signup">{t('login.signup')}</Link>
			</p>
		</section>
	);
}
