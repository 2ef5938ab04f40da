// main.jsx: the dashboard's shell: who is signed in (GET /api/me), the
// navigation, the language switch (nl default, en) and the page for the
// current path.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { getMe, signOut } from './api.js';
import { LangContext, initialLang, translate } from './i18n.js';
import { Link, match, navigate, usePath } from './router.jsx';
import { Loading } from './components.jsx';
import { Login } from './pages/Login.jsx';
import { Invite } from './pages/Invite.jsx';
import { Orgs } from './pages/Orgs.jsx';
import { Overview } from './pages/Overview.jsx';
import { Assets } from './pages/Assets.jsx';
import { Scan } from './pages/Scan.jsx';
import { Partner } from './pages/Partner.jsx';
import { Sectors } from './pages/Sectors.jsx';
import { Signup } from './pages/Signup.jsx';
import { Forgot, Reset } from './pages/Reset.jsx';
import { Account } from './pages/Account.jsx';
import { Audit } from './pages/Audit.jsx';
import { rolesOf } from './data.js';

function LangSwitch({ lang, setLang }) {
	const t = (k) => translate(lang, k);
	return (
		<div class="lang">
			<label for="lang-select">{t('lang.label')}</label>
			<select id="lang-select" value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
				<option value="nl" lang="nl">
					{t('lang.nl')}
				</option>
				<option value="en" lang="en">
					{t('lang.en')}
				</option>
			</select>
		</div>
	);
}

function home(me) {
	const r = rolesOf(me);
	if (r.partner) return '/partner';
	if (r.sectors && !r.companies) return '/sectors';
	const mine = me.memberships.filter((m) => m.role !== 'partner');
	if (!me.operator && mine.length === 1) return `/orgs/${mine[0].org_id}`;
	return '/orgs';
}

function Page({ me, path, t }) {
	let m;
	if (path === '/' || path === '') return <Redirect to={home(me)} />;
	if (path === '/orgs') return <Orgs me={me} />;
	if (path === '/partner') return <Partner me={me} />;
	if (path === '/sectors') return <Sectors />;
	if ((m = match('/orgs/:id', path))) return <Overview me={me} id={m.id} />;
	if ((m = match('/orgs/:id/assets', path))) return <Assets me={me} id={m.id} />;
	if ((m = match('/scans/:id', path))) return <Scan id={m.id} />;
	if ((m = match('/orgs/:id/audit', path))) return <Audit id={m.id} />;
	if (path === '/account') return <Account me={me} />;
	if (['/login', '/invite', '/signup', '/forgot', '/reset'].includes(path)) return <Redirect to={home(me)} />;
	return (
		<section class="card">
			<h1>{t('notfound.title')}</h1>
			<p>{t('notfound.body')}</p>
		</section>
	);
}

function Redirect({ to }) {
	useEffect(() => {
		history.replaceState(null, '', to);
		dispatchEvent(new PopStateEvent('popstate'));
	}, [to]);
	return null;
}

function App() {
	const [lang, setLangState] = useState(initialLang());
	const [me, setMe] = useState(undefined); // undefined: asking; null: signed out
	const [notice, setNotice] = useState('');
	const path = usePath();
	const t = (k, v) => translate(lang, k, v);
	const setLang = (l) => {
		localStorage.setItem('wachter.lang', l);
		setLangState(l);
	};
	const refreshMe = () =>
		getMe().then(
			(m) => setMe(m),
			() => setMe(null),
		);
	useEffect(() => {
		document.documentElement.lang = lang;
		document.title = t('app.title');
	}, [lang]);
	useEffect(() => {
		refreshMe();
	}, []);
	// Move focus to the new page's heading so keyboard and screen-reader
	// users land on the content after in-page navigation.
	useEffect(() => {
		const h = document.querySelector('main h1');
		if (h) {
			h.setAttribute('tabindex', '-1');
			h.focus({ preventScroll: true });
		}
	}, [path, me]);
	const doSignOut = async () => {
		try {
			await signOut();
		} catch {
			/* the session may be gone already */
		}
		setMe(null);
		navigate('/login');
	};
	const toLogin = (msg) => {
		setNotice(msg);
		navigate('/login');
	};
	let body;
	if (me === undefined) body = <Loading />;
	else if (me === null && path === '/signup') body = <Signup onDone={toLogin} />;
	else if (me === null && path === '/forgot') body = <Forgot />;
	else if (me === null && path === '/reset') body = <Reset onDone={toLogin} />;
	else if (me === null && path === '/invite')
		body = (
			<Invite
				onDone={(msg) => {
					setNotice(msg);
					navigate('/login');
				}}
			/>
		);
	else if (me === null)
		body = (
			<Login
				notice={notice}
				onSignedIn={() => {
					setNotice('');
					refreshMe().then(() => {
						if (['/login', '/invite', '/signup', '/forgot', '/reset'].includes(path)) navigate('/');
					});
				}}
			/>
		);
	else body = <Page me={me} path={path} t={t} />;
	const roles = me ? rolesOf(me) : {};
	return (
		<LangContext.Provider value={{ lang, setLang }}>
			<a class="skip" href="#main">
				{t('app.skip')}
			</a>
			<header class="top">
				<Link href="/" class="brand">
					{t('app.title')}
				</Link>
				{me && (
					<nav aria-label={t('nav.label')}>
						<ul>
							{roles.partner && (
								<li>
									<Link href="/partner" aria-current={path === '/partner' ? 'page' : undefined}>
										{t('nav.partner')}
									</Link>
								</li>
							)}
							{roles.companies && (
								<li>
									<Link href="/orgs" aria-current={path === '/orgs' ? 'page' : undefined}>
										{t('nav.orgs')}
									</Link>
								</li>
							)}
							{roles.sectors && (
								<li>
									<Link href="/sectors" aria-current={path === '/sectors' ? 'page' : undefined}>
										{t('nav.sectors')}
									</Link>
								</li>
							)}
							<li>
								<Link href="/account" aria-current={path === '/account' ? 'page' : undefined}>
									{t('nav.account')}
								</Link>
							</li>
							<li>
								<button type="button" class="linkish" onClick={doSignOut}>
									{t('nav.signout')}
								</button>
							</li>
						</ul>
					</nav>
				)}
				<LangSwitch lang={lang} setLang={setLang} />
			</header>
			<main id="main">{body}</main>
			{me && <p class="whoami muted">{me.email}</p>}
		</LangContext.Provider>
	);
}

render(<App />, document.getElementById('app'));
