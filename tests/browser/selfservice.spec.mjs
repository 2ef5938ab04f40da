// selfservice.spec.mjs: the dashboard's self-service pages in headless
// Debian chromium (playwright-core, no test runner), after
// dashboard.spec.mjs against the same server: a company signs up (its
// name carries HTML, which must show as text and never run), enrols TOTP
// from the shown key (codes computed here, RFC 6238), needs the code to
// sign in (a wrong one fails), creates and revokes an API token (a revoked
// token gets 401), resets its password with the code mailed to
// fake_smtp.mjs's sink, changes its password, signs out a session
// elsewhere, and reads its audit log.
// Environment: BASE, OP_EMAIL, OP_PASSWORD, SHOTS, PROFILE, MAIL_DIR (the
// sink's directory), CHROMIUM, UI_DIR (as dashboard.spec.mjs). Exit 0
// when every step passes.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { mailCount, mailTo, totp, wrongTotp } from './mailbox.mjs';

const UI = process.env.UI_DIR || resolve(import.meta.dirname, '../../ui');
const uiRequire = createRequire(join(UI, 'package.json'));
const { chromium } = uiRequire('playwright-core');
const qrcode = uiRequire('qrcode-generator');

// The dark modules of `text` as qr.jsx draws them (4 modules of margin).
function qrPath(text) {
	const q = qrcode(0, 'M');
	q.addData(text, 'Byte');
	q.make();
	let d = '';
	for (let r = 0; r < q.getModuleCount(); r++)
		for (let c = 0; c < q.getModuleCount(); c++) if (q.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
	return d;
}

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS || '/tmp';
const PROFILE = process.env.PROFILE;
const MAIL_DIR = process.env.MAIL_DIR;
const OP = { email: process.env.OP_EMAIL, password: process.env.OP_PASSWORD };
const STEP_TIMEOUT = 15000;

if (!BASE || !OP.email || !OP.password || !PROFILE || !MAIL_DIR) {
	console.error('selfservice.spec: BASE, OP_EMAIL, OP_PASSWORD, PROFILE and MAIL_DIR are required');
	process.exit(2);
}

// The organisation's name: HTML that would set window.__x if it ever
// became markup, and an ampersand that must not turn into "&amp;".
const EVIL = '<img src=x onerror="window.__x=1">Bakkerij & Zn';
const EVIL_TOKEN = '<img src=x onerror="window.__x=2">CI & koppeling';
const NEWCO = { email: `nieuw-${Date.now().toString(36)}@bakkerij-zn.example`, password: 'eerste-wachtwoord-1' };

const pages = {};
let step = '';
const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
function check(cond, msg) {
	if (!cond) throw new Error(`check failed: ${msg}`);
}
let stepNo = 0;
async function run(name, fn) {
	step = name;
	log(`step: ${name}`);
	await fn();
	stepNo++;
	if (process.env.SHOTS_ALL === '1')
		for (const [who, p] of Object.entries(pages))
			if (p.page.url() !== 'about:blank')
				await p.page.screenshot({ path: join(SHOTS, `self-${String(stepNo).padStart(2, '0')}-${who}.png`), fullPage: true });
}

const offMachine = [];
async function newUser(browser, name) {
	const ctx = await browser.newContext({ baseURL: BASE, locale: 'nl-NL' });
	ctx.setDefaultTimeout(STEP_TIMEOUT);
	await ctx.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.hostname === '127.0.0.1') return route.continue();
		offMachine.push(u.href);
		return route.abort();
	});
	const problems = [];
	await ctx.exposeBinding('__wachterCsp', ({ page: p }, v) => problems.push(`CSP violation at ${p.url()}: ${v}`));
	await ctx.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			window.__wachterCsp(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sourceFile || ''}:${e.lineNumber || 0}`),
		);
	});
	const page = await ctx.newPage();
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
	});
	// Any dialog (alert/confirm) would be a surprise: record it.
	page.on('dialog', (d) => {
		problems.push(`dialog: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	pages[name] = { ctx, page, problems };
	return page;
}

// Sign in through the form; `code` for an account with TOTP.
async function signIn(page, email, password, code) {
	await page.goto('/login');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
	if (code !== undefined) await page.getByLabel('Code uit je authenticator-app (als ingesteld)').fill(code);
	await page.getByRole('button', { name: 'Aanmelden' }).click();
}
async function signedIn(page) {
	await page.getByRole('button', { name: 'Afmelden' }).waitFor();
}
async function refused(page) {
	await page.getByRole('alert').filter({ hasText: 'Aanmelden mislukt' }).waitFor();
	check((await page.evaluate(async () => (await fetch('/api/me')).status)) === 401, 'not signed in');
}
async function signOut(page) {
	await page.getByRole('button', { name: 'Afmelden' }).click();
	await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
}

// The page shows `text` literally, has no <img> at all (the dashboard
// uses none), and nothing ran.
async function escaped(page, text, what) {
	const r = await page.evaluate((text) => ({
		imgs: document.querySelectorAll('img').length,
		x: typeof window.__x,
		shown: document.body.innerText.includes(text),
		html: document.body.innerHTML.includes(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
	}), text);
	check(r.imgs === 0, `${what}: ${r.imgs} img element(s) in the page`);
	check(r.x === 'undefined', `${what}: window.__x is set: the name ran as HTML`);
	check(r.shown && r.html, `${what}: the literal text is shown as text (${JSON.stringify(r)})`);
}

// A code the server has not accepted yet. It takes each code once, and
// only for a step (unix time / 30) after the last one it took (RFC 6238
// 5.2), allowing one step of clock skew either way. So: the current step,
// or the next one if the current one was used; if that was used too, wait
// in node for the clock to reach it (never a timing assertion).
let lastStep = 0;
const stepNow = () => Math.floor(Date.now() / 30000);
async function freshTotp(secret) {
	const step = Math.max(stepNow(), lastStep + 1);
	while (step > stepNow() + 1) await new Promise((r) => setTimeout(r, 250));
	lastStep = step;
	return totp(secret, step * 30000);
}

// The account page's cards (sections labelled by their heading).
const card = (page, name) => page.getByRole('region', { name });
const TOTP = /^Aanmelden in twee stappen/;

// Tab until `target` has the focus; every stop shows a focus outline.
async function tabTo(page, target, what, max = 60) {
	for (let i = 1; i <= max; i++) {
		await page.keyboard.press('Tab');
		const st = await page.evaluate(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return null;
			const cs = getComputedStyle(e);
			return { outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, text: (e.textContent || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 40) };
		});
		if (!st) continue;
		check(st.outline, `${what}: no visible focus on "${st.text}"`);
		if (await target.evaluate((e) => e === document.activeElement)) return i;
	}
	throw new Error(`check failed: ${what}: ${max} Tab presses did not reach it`);
}

// The API as a token holder would use it: node's fetch, no browser.
async function withToken(token, path = '/api/me') {
	const r = await fetch(BASE + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
	return r.status;
}

async function main() {
	mkdirSync(SHOTS, { recursive: true });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		env: { ...process.env, TMPDIR: PROFILE },
	});
	try {
		await scenario(browser);
	} catch (e) {
		console.error(`FAIL in step "${step}": ${e.message}`);
		for (const [name, p] of Object.entries(pages)) {
			const f = join(SHOTS, `self-fail-${name}.png`);
			await p.page.screenshot({ path: f, fullPage: true }).catch(() => {});
			console.error(`  screenshot ${f} (at ${p.page.url()})`);
		}
		await browser.close();
		return 1;
	}
	let bad = 0;
	for (const [name, p] of Object.entries(pages))
		for (const x of p.problems) {
			console.error(`FAIL: ${name}: ${x}`);
			bad = 1;
		}
	for (const u of offMachine) {
		console.error(`FAIL: the browser tried to fetch ${u}`);
		bad = 1;
	}
	await browser.close();
	return bad;
}

async function scenario(browser) {
	const co = await newUser(browser, 'newco');
	const op = await newUser(browser, 'operator');
	const other = await newUser(browser, 'newco-elsewhere');
	let orgId, secret, password = NEWCO.password;

	await run('a new company signs up from the sign-in page', async () => {
		await co.goto('/login');
		await co.getByRole('link', { name: 'Nieuw? Meld je bedrijf aan' }).click();
		await co.getByRole('heading', { level: 1, name: 'Meld je bedrijf aan' }).waitFor();
		await co.getByLabel('Naam van de organisatie').fill(EVIL);
		// The sectors by name (i18n), the size class.
		await co.getByLabel('Sector', { exact: true }).selectOption({ label: "G Groot- en detailhandel; reparatie van auto's" });
		await co.getByLabel('Grootte').selectOption('micro');
		await co.getByLabel('E-mailadres').fill(NEWCO.email);
		await co.getByLabel('Nieuw wachtwoord').fill(password);
		await co.getByLabel('Herhaal het wachtwoord').fill('iets-anders-123');
		await co.getByRole('button', { name: 'Account en organisatie maken' }).click();
		await co.getByRole('alert').filter({ hasText: 'De wachtwoorden zijn niet gelijk.' }).waitFor();
		await co.getByLabel('Herhaal het wachtwoord').fill(password);
		await co.getByRole('button', { name: 'Account en organisatie maken' }).click();
		await co.getByText('Je account en organisatie zijn gemaakt. Meld je nu aan.').waitFor();
		// The same address cannot sign up twice.
		const again = await co.evaluate(async (b) => (await fetch('/api/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).status, { email: NEWCO.email, password: 'nog-een-wachtwoord', org_name: 'Tweede' });
		check(again === 409, `second sign-up with the same address: ${again}`);
	});
	await run('the new admin signs in and sees its organisation, the HTML in its name as text', async () => {
		await co.getByLabel('E-mailadres').fill(NEWCO.email);
		await co.getByLabel('Wachtwoord', { exact: true }).fill(password);
		await co.getByRole('button', { name: 'Aanmelden' }).click();
		await co.getByRole('heading', { level: 1, name: `Hoe veilig is ${EVIL}?` }).waitFor();
		orgId = Number(new URL(co.url()).pathname.split('/')[2]);
		check(orgId > 0, `org id from ${co.url()}`);
		const o = await co.evaluate(async (id) => (await fetch(`/api/orgs/${id}`)).json(), orgId);
		check(o.name === EVIL && o.sector === 'G' && o.size_class === 'micro', `the organisation as stored: ${JSON.stringify(o)}`);
		await escaped(co, EVIL, 'overview');
		await co.goto('/orgs');
		await co.locator('.orglist li').first().waitFor();
		await escaped(co, EVIL, 'organisation list');
	});
	await run('the operator sees the name as text too', async () => {
		await signIn(op, OP.email, OP.password);
		await signedIn(op);
		await op.goto('/orgs');
		await op.getByRole('link', { name: EVIL, exact: true }).waitFor();
		await escaped(op, EVIL, "operator's organisation list");
		await op.goto(`/orgs/${orgId}`);
		await op.getByRole('heading', { level: 1, name: `Hoe veilig is ${EVIL}?` }).waitFor();
		await escaped(op, EVIL, "operator's overview");
	});
	await run('TOTP enrolment: QR code and key, a wrong code is refused, the right one switches it on', async () => {
		await co.getByRole('link', { name: 'Mijn account' }).click();
		await co.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
		const tc = card(co, TOTP);
		const answer = co.waitForResponse((r) => r.url().endsWith('/api/me/totp') && r.request().method() === 'POST');
		await tc.getByRole('button', { name: 'Aanmelden in twee stappen instellen' }).click();
		const { otpauth } = await (await answer).json();
		const qr = tc.getByRole('img', { name: 'QR-code voor je authenticator-app' });
		await qr.waitFor();
		const q = await qr.evaluate((e) => ({ tag: e.tagName, n: Number(e.dataset.modules), d: e.querySelector('path').getAttribute('d') }));
		check(q.tag === 'svg' && q.n >= 21, `the QR code: ${JSON.stringify(q).slice(0, 200)}`);
		// The picture is the API's otpauth:// URI: the same modules as
		// qrcode-generator makes of it here.
		check(q.d === qrPath(otpauth), 'the QR code encodes the otpauth URI');
		secret = (await tc.getByTestId('totp-secret').textContent()).trim();
		check(/^[A-Z2-7]{32}$/.test(secret), `the key shown: ${secret}`);
		check(new URL(otpauth).protocol === 'otpauth:' && new URL(otpauth).searchParams.get('secret') === secret, `the key is the URI's secret: ${otpauth}`);
		await tc.getByLabel('Code van zes cijfers').fill(wrongTotp(secret));
		await tc.getByLabel('Huidig wachtwoord').fill(password);
		await tc.getByRole('button', { name: 'Aanzetten' }).click();
		await tc.getByRole('alert').filter({ hasText: 'De code of het wachtwoord klopt niet.' }).waitFor();
		await tc.getByLabel('Code van zes cijfers').fill(await freshTotp(secret));
		await tc.getByRole('button', { name: 'Aanzetten' }).click();
		await tc.getByText('Aanmelden in twee stappen staat aan. Vanaf nu', { exact: false }).waitFor();
	});
	await run('sign-in needs the code: a wrong one fails, the right one works', async () => {
		await signOut(co);
		await signIn(co, NEWCO.email, password, wrongTotp(secret));
		await refused(co);
		await signIn(co, NEWCO.email, password, await freshTotp(secret));
		await signedIn(co);
	});
	await run('a code signs in once: the same code again is refused, a later one works', async () => {
		// The code just used is of step lastStep, which the server still
		// takes as current for at least 30 seconds: only the replay guard
		// refuses it here.
		const used = totp(secret, lastStep * 30000);
		await signOut(co);
		await signIn(co, NEWCO.email, password, used);
		await refused(co);
		await signIn(co, NEWCO.email, password, await freshTotp(secret));
		await signedIn(co);
	});
	await run('the account page offers only to switch TOTP off while it is on (after a reload too)', async () => {
		await co.goto('/account');
		const tc = card(co, TOTP);
		await tc.getByText('Aanmelden in twee stappen uitzetten').waitFor();
		check((await tc.getByRole('button', { name: 'Aanmelden in twee stappen instellen' }).count()) === 0, 'no set-up button while on');
	});
	await run('an API token: shown once, listed with its name as text, works, revoked gets 401', async () => {
		await co.goto('/account');
		const tk = card(co, 'API-tokens');
		await tk.getByLabel('Naam', { exact: true }).fill(EVIL_TOKEN);
		await tk.getByRole('button', { name: 'Token maken' }).click();
		const token = await tk.getByTestId('token-value').inputValue();
		check(token.length >= 20, `the token shown: ${token}`);
		check((await withToken(token)) === 200, 'the token works');
		// The copy button puts it on the clipboard.
		await co.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
		await tk.getByRole('button', { name: 'Kopiëren' }).click();
		await tk.getByText('Gekopieerd.').waitFor();
		check((await co.evaluate(() => navigator.clipboard.readText())) === token, 'the clipboard holds the token');
		const row = tk.getByTestId('tokens').getByRole('row', { name: EVIL_TOKEN });
		await row.waitFor();
		await escaped(co, EVIL_TOKEN, 'token list');
		// Reloaded, the token itself is gone from the page.
		await co.reload();
		await row.waitFor();
		check(!(await co.locator('body').innerText()).includes(token), 'the token is shown only once');
		await row.getByRole('button', { name: `Token ${EVIL_TOKEN} intrekken` }).click();
		await row.waitFor({ state: 'detached' });
		check((await withToken(token)) === 401, 'a revoked token gets 401');
	});
	await run('sessions: sign out the other browser', async () => {
		await signIn(other, NEWCO.email, password, await freshTotp(secret));
		await signedIn(other);
		await co.reload();
		const table = card(co, 'Waar je bent aangemeld').getByTestId('sessions');
		await table.waitFor();
		check((await table.locator('tbody tr').count()) >= 2, 'two sessions listed');
		await table.getByText('(deze browser)').waitFor();
		const ends = table.getByRole('button', { name: /^Sessie van .* afmelden$/ });
		check((await ends.count()) === (await table.locator('tbody tr').count()) - 1, 'every session but this one can be ended');
		await ends.first().click();
		for (let i = 0; i < 50 && (await table.locator('tbody tr').count()) > 1; i++) await co.waitForTimeout(100);
		check((await table.locator('tbody tr').count()) === 1, 'one session left');
		check((await other.evaluate(async () => (await fetch('/api/me')).status)) === 401, 'the other browser is signed out');
		check((await co.evaluate(async () => (await fetch('/api/me')).status)) === 200, 'this browser is still signed in');
	});
	await run('change password', async () => {
		const pc = card(co, 'Wachtwoord wijzigen');
		await pc.getByLabel('Huidig wachtwoord').fill('niet-het-wachtwoord');
		await pc.getByLabel('Nieuw wachtwoord').fill('tweede-wachtwoord-2');
		await pc.getByLabel('Herhaal het wachtwoord').fill('tweede-wachtwoord-2');
		await pc.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
		await pc.getByRole('alert').filter({ hasText: 'Het huidige wachtwoord klopt niet.' }).waitFor();
		await pc.getByLabel('Huidig wachtwoord').fill(password);
		await pc.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
		await pc.getByText('Je wachtwoord is gewijzigd.').waitFor();
		password = 'tweede-wachtwoord-2';
	});
	// (The sign-in attempts of this run stay under the server's 20 a minute
	// per address: the new password is proven by switching TOTP off.)
	await run('TOTP off: the old password and a wrong code are refused, the new password and the code work', async () => {
		await co.reload();
		const tc = card(co, TOTP);
		await tc.getByText('Aanmelden in twee stappen uitzetten').click();
		const code = tc.getByLabel('Code van zes cijfers');
		const pw = tc.getByLabel('Huidig wachtwoord');
		await code.fill(totp(secret));
		await pw.fill('eerste-wachtwoord-1');
		const answer = async () => {
			const r = co.waitForResponse((x) => x.url().endsWith('/api/me/totp/disable'));
			await co.getByRole('button', { name: 'Uitzetten' }).click();
			return (await r).status();
		};
		check((await answer()) === 403, 'the old password is refused');
		const wrong = co.getByRole('alert').filter({ hasText: 'De code of het wachtwoord klopt niet.' });
		await wrong.waitFor();
		await code.fill(wrongTotp(secret));
		await pw.fill(password);
		check((await answer()) === 403, 'a wrong code is refused');
		await wrong.waitFor();
		check((await co.getByText('Aanmelden in twee stappen staat uit.').count()) === 0, 'still on after a wrong code');
		await code.fill(await freshTotp(secret));
		await co.getByRole('button', { name: 'Uitzetten' }).click();
		await co.getByText('Aanmelden in twee stappen staat uit.').first().waitFor();
		// Reloaded: only the set-up button, no switch-off form.
		await co.reload();
		await tc.getByRole('button', { name: 'Aanmelden in twee stappen instellen' }).waitFor();
		check((await tc.getByText('Aanmelden in twee stappen uitzetten').count()) === 0, 'no switch-off form while off');
	});
	await run('password reset by mail: forgot, the code from the mail, /reset', async () => {
		await signOut(co);
		await co.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
		await co.getByRole('heading', { level: 1, name: 'Wachtwoord vergeten' }).waitFor();
		// An unknown address gets the same answer, and no mail.
		await co.getByLabel('E-mailadres').fill('niemand@nergens.example');
		await co.getByRole('button', { name: 'Code versturen' }).click();
		const sent = co.getByText('Als er een account voor dit adres bestaat, is er een mail met een code onderweg.');
		await sent.waitFor();
		await co.getByLabel('E-mailadres').fill(NEWCO.email);
		await co.getByRole('button', { name: 'Code versturen' }).click();
		await sent.waitFor();
		const mail = await mailTo(MAIL_DIR, NEWCO.email);
		const m = mail.match(/code:\r?\n\r?\n {2}([A-Za-z0-9_-]{16,})\r?\n/);
		check(m, `a code in the mail: ${mail}`);
		check(mail.includes(`${BASE}/reset#${m[1]}\r\n`), 'the mail links to the reset page with the code after #');
		check(mailCount(MAIL_DIR, 'niemand@nergens.example') === 0, 'no mail to an unknown address');
		// The code in the link's fragment fills the field.
		await co.goto(`/reset#${m[1]}`);
		await co.getByRole('heading', { level: 1, name: 'Kies een nieuw wachtwoord' }).waitFor();
		check((await co.getByLabel('Code uit de mail').inputValue()) === m[1], 'the code is filled in from the link');
		await co.getByLabel('Nieuw wachtwoord', { exact: true }).fill('derde-wachtwoord-3');
		await co.getByLabel('Herhaal het wachtwoord').fill('derde-wachtwoord-3');
		await co.getByRole('button', { name: 'Wachtwoord instellen' }).click();
		await co.getByText('Je wachtwoord is gewijzigd. Meld je aan met het nieuwe wachtwoord.').waitFor();
		check(!co.url().includes(m[1]), 'the code left the address bar');
		// The code is used up.
		const again = await co.evaluate(async (token) => (await fetch('/api/password-reset/confirm', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, password: 'vierde-wachtwoord-4' }) })).status, m[1]);
		check(again === 404, `the code a second time: ${again}`);
		// The old password no longer works; the new one does, without a
		// code now that TOTP is off.
		await signIn(co, NEWCO.email, password);
		await refused(co);
		password = 'derde-wachtwoord-3';
		await signIn(co, NEWCO.email, password);
		await signedIn(co);
	});
	await run('the audit log of the organisation, names as text', async () => {
		await co.goto(`/orgs/${orgId}`);
		await co.getByRole('link', { name: 'Logboek' }).click();
		await co.getByRole('heading', { level: 1, name: `Logboek van ${EVIL}` }).waitFor();
		const table = co.getByTestId('audit');
		await table.waitFor();
		check((await table.locator('tbody tr').count()) >= 1, 'entries in the audit log');
		await escaped(co, EVIL, 'audit log');
		await op.goto(`/orgs/${orgId}/audit`);
		await op.getByTestId('audit').waitFor();
	});
	await run('keyboard: sign-in links and the account actions are reached with Tab, with a visible focus', async () => {
		await co.goto('/account');
		await co.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
		await co.evaluate(() => document.activeElement && document.activeElement.blur());
		await tabTo(co, card(co, 'Wachtwoord wijzigen').getByLabel('Huidig wachtwoord'), 'account: current password');
		await tabTo(co, card(co, TOTP).getByRole('button', { name: 'Aanmelden in twee stappen instellen' }), 'account: TOTP set-up');
		await tabTo(co, card(co, 'API-tokens').getByRole('button', { name: 'Token maken' }), 'account: create token');
	});
	await run('the new pages in English', async () => {
		await co.goto('/account');
		await co.getByLabel('Taal').selectOption('en');
		await co.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
		await co.getByRole('heading', { name: 'Two-step sign-in (authenticator app)' }).waitFor();
		await co.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
		await co.getByRole('heading', { name: 'API tokens' }).waitFor();
		await co.goto(`/orgs/${orgId}/audit`);
		await co.getByRole('heading', { level: 1, name: `Audit log of ${EVIL}` }).waitFor();
		await co.getByRole('columnheader', { name: 'Who' }).waitFor();
		await co.getByLabel('Language').selectOption('nl');
		await co.getByRole('heading', { level: 1, name: `Logboek van ${EVIL}` }).waitFor();
	});
	await run("mails follow the dashboard's language, not the browser's (Accept-Language on every API request)", async () => {
		// `other` is signed out; its browser asks for Dutch (nl-NL).
		await other.goto('/login');
		await other.getByLabel('Taal').selectOption('en');
		await other.getByRole('link', { name: 'Forgot your password?' }).click();
		await other.getByRole('heading', { level: 1, name: 'Forgot password' }).waitFor();
		await other.getByLabel('E-mail address').fill(NEWCO.email);
		const req = other.waitForRequest((r) => r.url().endsWith('/api/password-reset'));
		await other.getByRole('button', { name: 'Send code' }).click();
		const lang = (await req).headers()['accept-language'];
		check(lang === 'en', `Accept-Language of the reset request: ${lang}`);
		await other.getByText('If an account exists for this address, a mail with a code is on its way.').waitFor();
		const mail = await mailTo(MAIL_DIR, NEWCO.email);
		check(/^Subject: wachter: reset your password\r?$/m.test(mail), `an English mail: ${mail.slice(0, 400)}`);
		check(/^or open .*\/reset#[A-Za-z0-9_-]{43}\r?$/m.test(mail), 'the English mail links to /reset#code');
		await other.getByLabel('Language').selectOption('nl');
	});
	await run('a phone-sized screen (375x667): the new pages have no horizontal scroll', async () => {
		await co.setViewportSize({ width: 375, height: 667 });
		for (const p of ['/account', `/orgs/${orgId}/audit`]) {
			await co.goto(p);
			await co.getByRole('heading', { level: 1 }).waitFor();
			await co.locator('table').first().waitFor();
			const [sw, iw] = await co.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
			check(sw <= iw, `${p}: ${sw}px wide on a ${iw}px screen`);
		}
		await signOut(co);
		await co.goto('/login');
		await co.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
		await co.evaluate(() => document.activeElement && document.activeElement.blur());
		await tabTo(co, co.getByRole('link', { name: 'Wachtwoord vergeten?' }), 'sign-in: forgot link');
		await tabTo(co, co.getByRole('link', { name: 'Nieuw? Meld je bedrijf aan' }), 'sign-in: sign-up link');
		await co.keyboard.press('Enter');
		await co.getByRole('heading', { level: 1, name: 'Meld je bedrijf aan' }).waitFor();
		for (const p of ['/signup', '/forgot', '/reset']) {
			await co.goto(p);
			await co.getByRole('heading', { level: 1 }).waitFor();
			const [sw, iw] = await co.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
			check(sw <= iw, `${p}: ${sw}px wide on a ${iw}px screen`);
		}
	});
}

const rc = await main();
log(rc === 0 ? 'PASS' : 'FAIL');
process.exit(rc);
