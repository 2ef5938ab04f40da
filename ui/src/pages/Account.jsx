// Account.jsx: the signed-in user's own settings: the password, the
// second factor (TOTP: a QR code of the otpauth:// URI and the secret as
// text, confirmed with a code), the sessions (sign out elsewhere) and API
// tokens for integrations (shown once, listed, revoked).
import { useEffect, useState } from 'preact/hooks';
import {
	changePassword,
	createToken,
	disableTotp,
	enableTotp,
	endOtherSessions,
	endSession,
	getMe,
	listSessions,
	listTokens,
	newTotp,
	revokeToken,
} from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Field, Loading, Notice, useLoad } from '../components.jsx';

// The QR library is loaded on demand, like Chart.js: only the enrolment
// needs it.
function Qr({ text, label }) {
	const [mod, setMod] = useState(null);
	useEffect(() => {
		import('../qr.jsx').then(setMod);
	}, []);
	return mod ? <mod.QrCode text={text} label={label} /> : null;
}

// A server without the list endpoints (an older API) answers 404/405.
const unavailable = (e, t) => (e && (e.status === 404 || e.status === 405) ? { message: t('account.unavailable') } : e);

const when = (s) => (s ? String(s).replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC') : '');

function PasswordCard() {
	const t = useT();
	const [f, setF] = useState({ cur: '', pw: '', pw2: '' });
	const [msg, setMsg] = useState('');
	const [err, setErr] = useState('');
	const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
	const submit = async (e) => {
		e.preventDefault();
		setMsg('');
		setErr('');
		if (f.pw.length < 10) return setErr(t('invite.short'));
		if (f.pw !== f.pw2) return setErr(t('invite.mismatch'));
		try {
			await changePassword(f.cur, f.pw);
			setF({ cur: '', pw: '', pw2: '' });
			setMsg(t('account.pw.done'));
		} catch (x) {
			setErr(x.status === 403 || x.status === 401 ? t('account.pw.wrong') : t('common.error', { msg: x.message }));
		}
	};
	return (
		<section class="card" aria-labelledby="acc-pw-h">
			<h2 id="acc-pw-h">{t('account.pw')}</h2>
			<form onSubmit={submit} class="grid">
				<Field label={t('account.pw.current')} id="acc-pw-cur">
					<input id="acc-pw-cur" type="password" required autocomplete="current-password" value={f.cur} onInput={set('cur')} />
				</Field>
				<Field label={t('invite.password')} id="acc-pw-new">
					<input id="acc-pw-new" type="password" required minLength={10} autocomplete="new-password" value={f.pw} onInput={set('pw')} />
				</Field>
				<Field label={t('invite.password2')} id="acc-pw-new2">
					<input id="acc-pw-new2" type="password" required minLength={10} autocomplete="new-password" value={f.pw2} onInput={set('pw2')} />
				</Field>
				<div>
					<button type="submit">{t('account.pw.submit')}</button>
				</div>
			</form>
			<Notice text={msg} />
			<Notice text={err} kind="error" />
		</section>
	);
}

function TotpCard({ me }) {
	const t = useT();
	const [enrol, setEnrol] = useState(null); // {secret, otpauth}
	const [code, setCode] = useState('');
	const [pw, setPw] = useState('');
	const [dcode, setDcode] = useState('');
	const [dpw, setDpw] = useState('');
	// GET /api/me says whether the second factor is on; asked again here,
	// since the app's copy is from before any change made on this page.
	// Until it is known neither set-up nor switch-off is offered.
	const [on, setOn] = useState(typeof me.totp === 'boolean' ? me.totp : undefined);
	const [msg, setMsg] = useState('');
	const [err, setErr] = useState('');
	useEffect(() => {
		let live = true;
		getMe().then(
			(m) => live && typeof m.totp === 'boolean' && setOn(m.totp),
			() => {},
		);
		return () => {
			live = false;
		};
	}, []);
	const start = async () => {
		setMsg('');
		setErr('');
		try {
			setEnrol(await newTotp());
		} catch (x) {
			setErr(t('common.error', { msg: x.message }));
		}
	};
	const enable = async (e) => {
		e.preventDefault();
		setMsg('');
		setErr('');
		try {
			await enableTotp(enrol.secret, code.trim(), pw);
			setEnrol(null);
			setCode('');
			setPw('');
			setOn(true);
			setMsg(t('account.totp.enabled'));
		} catch (x) {
			if (x.status === 403) setErr(t('account.totp.wrong'));
			else if (x.status === 409) setErr(t('account.totp.already'));
			else setErr(t('common.error', { msg: x.message }));
		}
	};
	const disable = async (e) => {
		e.preventDefault();
		setMsg('');
		setErr('');
		try {
			await disableTotp(dcode.trim(), dpw);
			setDcode('');
			setDpw('');
			setOn(false);
			setMsg(t('account.totp.disabled'));
		} catch (x) {
			if (x.status === 403) setErr(t('account.totp.wrong'));
			else if (x.status === 409) setErr(t('account.totp.notset'));
			else setErr(t('common.error', { msg: x.message }));
		}
	};
	return (
		<section class="card" aria-labelledby="acc-totp-h">
			<h2 id="acc-totp-h">{t('account.totp')}</h2>
			<p>{t('account.totp.intro')}</p>
			{on === true && <p data-testid="totp-state">{t('account.totp.on')}</p>}
			{on === false && <p data-testid="totp-state">{t('account.totp.off')}</p>}
			{on === false && !enrol && (
				<button type="button" onClick={start}>
					{t('account.totp.start')}
				</button>
			)}
			{enrol && (
				<div class="totp-enrol">
					<ol>
						<li>{t('account.totp.step1')}</li>
						<li>{t('account.totp.step2')}</li>
					</ol>
					<Qr text={enrol.otpauth} label={t('account.totp.qr')} />
					<p>
						{t('account.totp.manual')} <code data-testid="totp-secret">{enrol.secret}</code>
					</p>
					<form onSubmit={enable} class="grid">
						<Field label={t('account.totp.code')} id="totp-code">
							<input id="totp-code" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
						</Field>
						<Field label={t('account.pw.current')} id="totp-pw">
							<input id="totp-pw" type="password" required autocomplete="current-password" value={pw} onInput={(e) => setPw(e.currentTarget.value)} />
						</Field>
						<div>
							<button type="submit">{t('account.totp.enable')}</button>
						</div>
					</form>
				</div>
			)}
			{on === true && !enrol && (
				<details class="totp-off">
					<summary>{t('account.totp.disable')}</summary>
					<form onSubmit={disable} class="grid">
						<Field label={t('account.totp.code')} id="totp-dcode">
							<input id="totp-dcode" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" value={dcode} onInput={(e) => setDcode(e.currentTarget.value)} />
						</Field>
						<Field label={t('account.pw.current')} id="totp-dpw">
							<input id="totp-dpw" type="password" required autocomplete="current-password" value={dpw} onInput={(e) => setDpw(e.currentTarget.value)} />
						</Field>
						<div>
							<button type="submit">{t('account.totp.disable.submit')}</button>
						</div>
					</form>
				</details>
			)}
			<Notice text={msg} />
			<Notice text={err} kind="error" />
		</section>
	);
}

function SessionsCard() {
	const t = useT();
	const s = useLoad(() => listSessions(), []);
	const [err, setErr] = useState('');
	const end = async (id) => {
		setErr('');
		try {
			await endSession(id);
			s.reload();
		} catch (x) {
			setErr(t('common.error', { msg: x.message }));
		}
	};
	const endOthers = async () => {
		setErr('');
		try {
			await endOtherSessions();
			s.reload();
		} catch (x) {
			setErr(t('common.error', { msg: x.message }));
		}
	};
	const others = s.data ? s.data.filter((x) => !x.current) : [];
	return (
		<section class="card" aria-labelledby="acc-sess-h">
			<h2 id="acc-sess-h">{t('account.sessions')}</h2>
			{s.loading && !s.data && <Loading />}
			<ErrorBox error={unavailable(s.error, t)} />
			{s.data && (
				<div class="tablewrap">
					<table class="stack" data-testid="sessions">
						<thead>
							<tr>
								<th scope="col">{t('account.sessions.started')}</th>
								<th scope="col">{t('account.sessions.expires')}</th>
								<th scope="col">{t('assets.col.actions')}</th>
							</tr>
						</thead>
						<tbody>
							{s.data.map((x) => (
								<tr key={x.id}>
									<th scope="row">
										{when(x.created_at)}
										{x.current && <span class="muted"> ({t('account.sessions.this')})</span>}
									</th>
									<td data-label={t('account.sessions.expires')}>{when(x.expires_at)}</td>
									<td data-label={t('assets.col.actions')}>
										{!x.current && (
											<button type="button" onClick={() => end(x.id)} aria-label={t('account.sessions.end.label', { when: when(x.created_at) })}>
												{t('account.sessions.end')}
											</button>
										)}
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{others.length > 1 && (
				<button type="button" onClick={endOthers}>
					{t('account.sessions.endall')}
				</button>
			)}
			<Notice text={err} kind="error" />
		</section>
	);
}

function TokensCard() {
	const t = useT();
	const list = useLoad(() => listTokens(), []);
	const [name, setName] = useState('');
	const [made, setMade] = useState(null); // {name, token}
	const [copied, setCopied] = useState('');
	const [err, setErr] = useState('');
	const create = async (e) => {
		e.preventDefault();
		setErr('');
		setCopied('');
		try {
			const r = await createToken(name.trim());
			setMade({ name: name.trim(), token: r.token });
			setName('');
			list.reload();
		} catch (x) {
			setErr(t('common.error', { msg: x.message }));
		}
	};
	const revoke = async (tk) => {
		setErr('');
		try {
			await revokeToken(tk.id);
			list.reload();
		} catch (x) {
			setErr(t('common.error', { msg: x.message }));
		}
	};
	const copy = async () => {
		try {
			await navigator.clipboard.writeText(made.token);
			setCopied(t('account.tokens.copied'));
		} catch {
			// No clipboard access: select the text for Ctrl+C instead.
			const el = document.getElementById('token-value');
			if (el) el.select();
			setCopied(t('account.tokens.select'));
		}
	};
	return (
		<section class="card" aria-labelledby="acc-tok-h">
			<h2 id="acc-tok-h">{t('account.tokens')}</h2>
			<p>{t('account.tokens.intro')}</p>
			<form onSubmit={create} class="grid">
				<Field label={t('account.tokens.name')} id="token-name">
					<input id="token-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
				</Field>
				<div>
					<button type="submit">{t('account.tokens.create')}</button>
				</div>
			</form>
			{made && (
				<div class="notice" role="status">
					<p>{t('account.tokens.once', { name: made.name })}</p>
					<label for="token-value" class="sr-only">
						{t('account.tokens.value')}
					</label>
					<input id="token-value" class="copy" readOnly value={made.token} data-testid="token-value" />
					<button type="button" onClick={copy}>
						{t('account.tokens.copy')}
					</button>
					{copied && <span>{copied}</span>}
				</div>
			)}
			{list.loading && !list.data && <Loading />}
			<ErrorBox error={unavailable(list.error, t)} />
			{list.data && list.data.length === 0 && <p class="muted">{t('account.tokens.none')}</p>}
			{list.data && list.data.length > 0 && (
				<div class="tablewrap">
					<table class="stack" data-testid="tokens">
						<thead>
							<tr>
								<th scope="col">{t('account.tokens.name')}</th>
								<th scope="col">{t('account.tokens.created')}</th>
								<th scope="col">{t('account.tokens.expires')}</th>
								<th scope="col">{t('assets.col.actions')}</th>
							</tr>
						</thead>
						<tbody>
							{list.data.map((tk) => (
								<tr key={tk.id}>
									<th scope="row">{tk.name}</th>
									<td data-label={t('account.tokens.created')}>{when(tk.created_at)}</td>
									<td data-label={t('account.tokens.expires')}>{tk.expires_at ? when(tk.expires_at) : t('account.tokens.never')}</td>
									<td data-label={t('assets.col.actions')}>
										<button type="button" onClick={() => revoke(tk)} aria-label={t('account.tokens.revoke.label', { name: tk.name })}>
											{t('account.tokens.revoke')}
										</button>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<Notice text={err} kind="error" />
		</section>
	);
}

export function Account({ me }) {
	const t = useT();
	return (
		<>
			<section class="card" aria-labelledby="acc-h">
				<h1 id="acc-h">{t('account.title')}</h1>
				<p>{t('account.intro', { email: me.email })}</p>
			</section>
			<PasswordCard />
			<TotpCard me={me} />
			<SessionsCard />
			<TokensCard />
		</>
	);
}
