// dashboard.spec.mjs: the dashboard's acceptance run in headless Debian
// chromium (playwright-core, no test runner): sign-in, an organisation,
// an invitation accepted in a second browser context, an asset verified
// and scanned, a domain verified through the lab DNS, its findings by
// audience, the language switch, the charts and their tables, an IT
// partner with two clients, a sector association's figures, tenant
// isolation in the UI and the API, a phone-sized screen and the keyboard.
// Environment: BASE (http://127.0.0.1:PORT), OP_EMAIL, OP_PASSWORD, SHOTS
// (screenshot directory), PROFILE (a fresh --user-data-dir root),
// CHROMIUM (default /usr/bin/chromium), UI_DIR (default ../../ui),
// DNS_TXT (tests/lab/dns-txt). Exit 0 when every step passes.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { mailTo } from './mailbox.mjs';

// playwright-core is a devDependency of ui/ (installed by scripts/build-ui).
const UI = process.env.UI_DIR || resolve(import.meta.dirname, '../../ui');
const { chromium } = createRequire(join(UI, 'package.json'))('playwright-core');

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS || '/tmp';
const PROFILE = process.env.PROFILE;
const DNS_TXT = process.env.DNS_TXT;
const MAIL_DIR = process.env.MAIL_DIR;
const OP = { email: process.env.OP_EMAIL, password: process.env.OP_PASSWORD };
const STEP_TIMEOUT = 15000;
const SCAN_TIMEOUT = Number(process.env.SCAN_TIMEOUT_MS || 180000);

if (!BASE || !OP.email || !OP.password || !PROFILE || !DNS_TXT || !MAIL_DIR) {
	console.error('dashboard.spec: BASE, OP_EMAIL, OP_PASSWORD, PROFILE, DNS_TXT and MAIL_DIR are required');
	process.exit(2);
}

const pages = {};
let step = '';
const t0 = Date.now();

function log(msg) {
	console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
}

function check(cond, msg) {
	if (!cond) throw new Error(`check failed: ${msg}`);
}

let stepNo = 0;
async function run(name, fn) {
	step = name;
	log(`step: ${name}`);
	await fn();
	stepNo++;
	// SHOTS_ALL=1: a screenshot of every page after every step (review).
	if (process.env.SHOTS_ALL === '1')
		for (const [who, p] of Object.entries(pages))
			if (p.page.url() !== 'about:blank')
				await p.page.screenshot({ path: join(SHOTS, `${String(stepNo).padStart(2, '0')}-${who}.png`), fullPage: true });
}

// Only this machine: anything else is aborted and counted as a failure.
const offMachine = [];
async function guard(ctx) {
	await ctx.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]')
			return route.continue();
		offMachine.push(u.href);
		return route.abort();
	});
}

async function newUser(browser, name) {
	const ctx = await browser.newContext({ baseURL: BASE, locale: 'nl-NL' });
	ctx.setDefaultTimeout(STEP_TIMEOUT);
	await guard(ctx);
	const problems = [];
	// CSP violations are reported by the page itself (securitypolicyviolation
	// events; the init script is injected by the browser, outside the CSP)
	// besides the console message chromium writes for them.
	await ctx.exposeBinding('__wachterCsp', ({ page: p }, v) => problems.push(`CSP violation at ${p.url()}: ${v}`));
	await ctx.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			window.__wachterCsp(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sourceFile || ''}:${e.lineNumber || 0}`),
		);
	});
	const page = await ctx.newPage();
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		// CSP violations and script errors show up here; expected 401/404
		// answers of the API are "Failed to load resource" and allowed.
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
			problems.push(`console: ${m.text()}`);
	});
	pages[name] = { ctx, page, problems };
	return page;
}

async function signIn(page, email, password) {
	await page.goto('/login');
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Aanmelden' }).click();
	await page.getByRole('button', { name: 'Afmelden' }).waitFor();
}

async function createOrg(page, name, partnerName, sector) {
	await page.goto('/orgs');
	await page.getByLabel('Naam', { exact: true }).fill(name);
	if (sector) await page.getByLabel('Sector (SBI-sectie A t/m U)').fill(sector);
	if (partnerName) await page.getByLabel('Als klant van IT-partner').selectOption({ label: partnerName });
	await page.getByRole('button', { name: 'Registreren' }).click();
	await page.getByRole('heading', { level: 1, name: `Hoe veilig is ${name}?` }).waitFor();
	const id = Number(new URL(page.url()).pathname.split('/')[2]);
	check(id > 0, `org id from ${page.url()}`);
	return id;
}

async function inviteLink(page, email, roleLabel) {
	await page.getByLabel('E-mailadres').fill(email);
	await page.getByLabel('Rol').selectOption({ label: roleLabel });
	await page.getByRole('button', { name: 'Uitnodigen' }).click();
	// The server has a mail relay (dashboard.sh's SMTP sink): the invitation
	// goes to the mailbox only, and the inviter never sees the token.
	await page.getByText(`De uitnodiging is per e-mail naar ${email} gestuurd.`).waitFor();
	check((await page.getByTestId('invite-link').count()) === 0, 'no invitation link shown to the inviter');
	const mail = await mailTo(MAIL_DIR, email);
	const m = mail.match(/(http:\/\/127\.0\.0\.1:[0-9]+\/invite#[A-Za-z0-9_-]{20,})/);
	check(m && m[1].startsWith(`${BASE}/invite#`), `invitation link in the mail: ${mail}`);
	return m[1];
}

async function accept(page, link, password) {
	await page.goto(link);
	await page.getByRole('heading', { name: 'Uitnodiging accepteren' }).waitFor();
	check((await page.getByLabel('Uitnodigingscode').inputValue()).length > 20, 'token prefilled from the link');
	await page.getByLabel('Nieuw wachtwoord').fill(password);
	await page.getByLabel('Herhaal het wachtwoord').fill(password);
	await page.getByRole('button', { name: 'Account maken' }).click();
	await page.getByText('Je account is gemaakt. Meld je nu aan.').waitFor();
}

// A JSON API call from the page, as the signed-in user (the CSRF token
// from its readable cookie). Answers {status, body}.
function apiAs(page, method, path, body) {
	return page.evaluate(
		async ({ method, path, body }) => {
			const m = document.cookie.match(/(?:^|; )wachter_csrf=([^;]*)/);
			const headers = { Accept: 'application/json' };
			if (m) headers['X-CSRF-Token'] = decodeURIComponent(m[1]);
			if (body !== undefined) headers['Content-Type'] = 'application/json';
			const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
			const text = await r.text();
			return { status: r.status, body: text ? JSON.parse(text) : null };
		},
		{ method, path, body },
	);
}

// The lab's DNS: tests/lab/dns-txt set|clear NAME [TEXT] (knot + unbound).
const published = new Set();
function dnsTxt(...args) {
	execFileSync(DNS_TXT, args, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120000 });
	if (args[0] === 'set') published.add(args[1]);
	else published.delete(args[1]);
}

// No horizontal scroll: the page is not wider than the viewport.
async function fitsWidth(page, what) {
	const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
	check(sw <= iw, `${what}: ${sw}px wide on a ${iw}px screen`);
	if (process.env.SHOTS_ALL === '1') await page.screenshot({ path: join(SHOTS, `narrow-${what.replace(/\W+/g, '-')}.png`), fullPage: true });
}

// A chart's canvas has been drawn on (some pixels are not transparent).
async function drawn(canvas, what) {
	await canvas.waitFor();
	const ok = await canvas.evaluate(async (c) => {
		for (let i = 0; i < 50; i++) {
			if (c.width > 0 && c.height > 0) {
				const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
				let n = 0;
				for (let j = 3; j < d.length; j += 4) if (d[j]) n++;
				if (n > 100) return true;
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		return false;
	});
	check(ok, `${what}: the chart is drawn`);
}

// Tab until the element matching `target` has the focus; each stop must
// show a focus outline. Answers the number of Tab presses.
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

async function main() {
	mkdirSync(SHOTS, { recursive: true });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		// playwright gives chromium a fresh --user-data-dir under TMPDIR
		// (dashboard.sh points it at the run's temp dir) and refuses one
		// in args; check it is fresh.
		env: { ...process.env, TMPDIR: PROFILE },
	});
	try {
		await scenario(browser);
	} catch (e) {
		console.error(`FAIL in step "${step}": ${e.message}`);
		for (const n of published) {
			try {
				dnsTxt('clear', n);
			} catch {
				console.error(`  could not clear the TXT record of ${n}`);
			}
		}
		for (const [name, p] of Object.entries(pages)) {
			const f = join(SHOTS, `fail-${name}.png`);
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
	const op = await newUser(browser, 'operator');
	const owner = await newUser(browser, 'owner');
	const partner = await newUser(browser, 'partner');
	const assoc = await newUser(browser, 'association');
	const insurer = await newUser(browser, 'insurer');
	let bakery, scanId, partnerOrg, clientA, clientB, assocOrg, insurerOrg;
	const domain = `bakkerij-${Date.now().toString(36)}.client.test`;

	await run('operator signs in', () => signIn(op, OP.email, OP.password));
	await run('a CSP violation would fail the run', async () => {
		// An inline style attribute is what a chart library might set; the
		// server's CSP blocks it and the run would record it.
		const before = pages.operator.problems.length;
		await op.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
		// Both the page's report and chromium's console line come in.
		const seen = (re) => pages.operator.problems.slice(before).some((x) => re.test(x));
		for (let i = 0; i < 100 && !(seen(/^CSP violation/) && seen(/^console: .*Content Security Policy/)); i++)
			await op.waitForTimeout(100);
		const got = pages.operator.problems.splice(before);
		check(got.some((x) => /^CSP violation.*style-src/.test(x)), `the violation was reported by the page: ${JSON.stringify(got)}`);
		check(got.some((x) => /^console: .*Content Security Policy/.test(x)), `the violation was logged: ${JSON.stringify(got)}`);
		check(got.length === 2, `nothing else went wrong: ${JSON.stringify(got)}`);
		await op.evaluate(() => document.body.removeAttribute('style'));
	});
	await run('operator registers a company', async () => {
		bakery = await createOrg(op, 'Bakkerij Jansen', null, 'G');
	});
	let link;
	await run('operator invites the owner', async () => {
		link = await inviteLink(op, 'eigenaar@bakkerij.example', 'beheerder');
	});
	await run('owner accepts the invitation in a second context', () => accept(owner, link, 'bakker-wachtwoord-1'));
	await run('owner signs in and lands on the overview', async () => {
		await owner.getByLabel('E-mailadres').fill('eigenaar@bakkerij.example');
		await owner.getByLabel('Wachtwoord', { exact: true }).fill('bakker-wachtwoord-1');
		await owner.getByRole('button', { name: 'Aanmelden' }).click();
		await owner.getByRole('heading', { level: 1, name: 'Hoe veilig is Bakkerij Jansen?' }).waitFor();
		await owner.getByText('Er is nog geen scan.', { exact: false }).waitFor();
	});
	await run('owner adds 127.0.0.1 as an asset', async () => {
		await owner.getByRole('link', { name: 'Onderdelen' }).click();
		await owner.getByLabel('Soort').selectOption('host');
		await owner.getByLabel('Waarde').fill('127.0.0.1');
		await owner.getByRole('button', { name: 'Toevoegen' }).click();
		await owner.getByRole('rowheader', { name: /127\.0\.0\.1/ }).waitFor();
		await owner.getByText('wachter-verify=', { exact: false }).waitFor();
		check((await owner.getByRole('button', { name: 'Scan starten' }).count()) === 0, 'no scan before verification');
		check((await owner.getByRole('button', { name: 'Bevestig als beheerder' }).count()) === 0, 'a company admin cannot attest');
	});
	await run('owner verifies a domain through the lab DNS', async () => {
		await owner.getByLabel('Soort').selectOption('domain');
		await owner.getByLabel('Waarde').fill(domain);
		await owner.getByRole('button', { name: 'Toevoegen' }).click();
		const row = owner.getByRole('row', { name: new RegExp(domain.replace(/\./g, '\\.')) });
		await row.getByRole('rowheader').waitFor();
		const record = (await row.getByTestId('dns-txt').textContent()).trim();
		check(/^wachter-verify=[A-Za-z0-9_-]{20,}$/.test(record), `the TXT record shown: ${record}`);
		// Not published yet: the check fails and says so.
		await row.getByRole('button', { name: 'Controleer DNS' }).click();
		await owner.getByRole('alert').filter({ hasText: 'Niet bevestigd' }).waitFor();
		check((await row.getByRole('button', { name: 'Scan starten' }).count()) === 0, 'no scan before verification');
		dnsTxt('set', domain, record);
		await row.getByRole('button', { name: 'Controleer DNS' }).click();
		await owner.getByText(`${domain} is bevestigd.`).waitFor();
		await row.getByText('bevestigd (dns)').waitFor();
		await row.getByRole('button', { name: 'Scan starten' }).waitFor();
		dnsTxt('clear', domain);
	});
	await run('operator attests the asset', async () => {
		await op.goto(`/orgs/${bakery}/assets`);
		await op.getByRole('button', { name: 'Bevestig als beheerder' }).click();
		await op.getByText('127.0.0.1 is bevestigd.').waitFor();
		await op.getByText('bevestigd (operator)').waitFor();
	});
	await run('owner starts a scan', async () => {
		await owner.reload();
		await owner.getByText('bevestigd (operator)').waitFor();
		await owner.getByRole('row', { name: /127\.0\.0\.1/ }).getByRole('button', { name: 'Scan starten' }).click();
		await owner.waitForURL(/\/scans\/[0-9]+$/);
		scanId = Number(new URL(owner.url()).pathname.split('/')[2]);
		await owner.getByRole('heading', { level: 1, name: `Scan ${scanId}: 127.0.0.1` }).waitFor();
	});
	await run('the scan finishes and its findings show by audience', async () => {
		await owner.locator('[data-testid=scan-status][data-status=done], [data-testid=scan-status][data-status=incomplete]').waitFor({ timeout: SCAN_TIMEOUT });
		const tabs = owner.getByRole('tab');
		check((await tabs.count()) === 3, 'three audience tabs');
		await owner.getByRole('tab', { name: /Voor IT/ }).waitFor();
		await owner.getByRole('tab', { name: /Voor de webbouwer/ }).waitFor();
		await owner.getByRole('tab', { name: /Voor de directie/ }).waitFor();
		const api = await owner.evaluate(async (id) => (await fetch(`/api/scans/${id}/findings`, { headers: { 'Accept-Language': 'nl' } })).json(), scanId);
		check(Array.isArray(api) && api.length > 0, `the scan of 127.0.0.1 has findings (${JSON.stringify(api).slice(0, 200)})`);
		// Each finding shows in every group its audience names (IT when none).
		let shown = 0;
		for (const [aud, label] of [['it', /Voor IT/], ['web', /Voor de webbouwer/], ['mgt', /Voor de directie/]]) {
			await owner.getByRole('tab', { name: label }).click();
			const want = api.filter((f) => (f.audience || 'it').split(',').includes(aud) || (aud === 'it' && !(f.audience || '').split(',').some((a) => ['it', 'web', 'mgt'].includes(a)))).length;
			const got = await owner.locator('[role=tabpanel] .finding').count();
			check(got === want, `${aud}: ${got} findings shown, ${want} expected`);
			shown += got;
		}
		check(shown >= api.length, 'every finding is in a group');
		// The fake FTP server's anonymous login (SVC-04, high) is among them.
		const ftp = api.find((f) => f.check_id === 'SVC-04');
		check(ftp && ftp.severity === 'high', 'SVC-04 found');
		// In Dutch from the API (the check's title and tip; the scanner's
		// detail after the title stays as found).
		check(ftp.title.startsWith('FTP bereikbaar (onversleuteld of anoniem): '), `Dutch title: ${ftp.title}`);
		check(ftp.tip === 'Gebruik SFTP of FTPS; zet anoniem inloggen uit.', `Dutch tip: ${ftp.tip}`);
		await owner.getByRole('tab', { name: /Voor IT/ }).click();
		await owner.locator('[role=tabpanel] .finding', { hasText: ftp.title }).first().waitFor();
		// Its evidence holds the FTP server's reply, HTML included: shown as
		// text, never as markup.
		const evil = '<img src=x onerror="window.__x=3">&amp;';
		check((ftp.evidence || '').includes(evil), `the evidence has the server's reply: ${ftp.evidence}`);
		const ev = owner.locator('[role=tabpanel] .finding', { hasText: ftp.title }).first().locator('.evidence');
		check((await ev.textContent()).includes(evil), 'the evidence is shown literally');
		const st = await owner.evaluate(() => ({ imgs: document.querySelectorAll('img').length, x: typeof window.__x }));
		check(st.imgs === 0 && st.x === 'undefined', `HTML in the evidence became markup: ${JSON.stringify(st)}`);
		// A title from the API is on the page, and the tips are shown.
		await owner.getByRole('tab', { name: /Voor IT/ }).click();
		const withTip = api.find((f) => f.tip);
		if (withTip) {
			const aud = (withTip.audience || 'it').split(',')[0];
			const label = { it: /Voor IT/, web: /Voor de webbouwer/, mgt: /Voor de directie/ }[aud] || /Voor IT/;
			await owner.getByRole('tab', { name: label }).click();
			await owner.locator('[role=tabpanel] dd', { hasText: withTip.tip.slice(0, 40) }).first().waitFor();
		}
		// Keyboard: arrows move between tabs.
		await owner.getByRole('tab', { name: /Voor IT/ }).focus();
		await owner.keyboard.press('ArrowRight');
		check(await owner.getByRole('tab', { name: /Voor de webbouwer/ }).evaluate((e) => e === document.activeElement && e.getAttribute('aria-selected') === 'true'), 'ArrowRight selects the next tab');
	});
	await run('language switch nl -> en -> nl', async () => {
		await owner.getByRole('tab', { name: /Voor IT/ }).click();
		await owner.locator('[role=tabpanel] .finding', { hasText: 'FTP bereikbaar (onversleuteld of anoniem)' }).first().waitFor();
		await owner.getByLabel('Taal').selectOption('en');
		await owner.getByRole('tab', { name: /For the web developer/ }).waitFor();
		// The findings are fetched again: the check's title and tip in English.
		await owner.getByRole('tab', { name: /For IT/ }).click();
		const ftpEn = owner.locator('[role=tabpanel] .finding', { hasText: 'FTP reachable (plaintext or anonymous)' }).first();
		await ftpEn.waitFor();
		await ftpEn.getByText('Use SFTP or FTPS; disable anonymous login.').waitFor();
		await owner.getByLabel('Minimum severity').waitFor();
		await owner.waitForFunction(() => document.documentElement.lang === 'en'); // html lang follows
		await owner.getByRole('button', { name: 'Sign out' }).waitFor();
		await owner.reload();
		await owner.getByLabel('Minimum severity').waitFor(); // the choice is kept
		await owner.getByLabel('Language').selectOption('nl');
		await owner.getByLabel('Minimale ernst').waitFor();
		await owner.locator('[role=tabpanel] .finding', { hasText: 'FTP bereikbaar (onversleuteld of anoniem)' }).first().getByText('Gebruik SFTP of FTPS; zet anoniem inloggen uit.').waitFor();
		await owner.waitForFunction(() => document.documentElement.lang === 'nl');
	});
	await run('the overview shows open findings and the trend', async () => {
		await owner.getByRole('link', { name: 'Overzicht' }).first().click();
		await owner.getByRole('heading', { name: 'Openstaande bevindingen' }).waitFor();
		await owner.getByRole('img', { name: /^Openstaande bevindingen:.* hoog 1,/ }).waitFor();
		await owner.getByText('Er staat 1 ernstige bevinding open (hoog of kritiek).').waitFor();
		await owner.getByRole('img', { name: /^Verloop:/ }).waitFor();
		await owner.getByRole('link', { name: `Scan ${scanId}: 127.0.0.1` }).waitFor();
		// Chart.js drew both charts; their numbers are in tables too.
		await drawn(owner.getByRole('img', { name: /^Openstaande bevindingen:/ }), 'severity chart');
		await drawn(owner.getByRole('img', { name: /^Verloop:/ }), 'trend chart');
		const sevCard = owner.locator('section', { has: owner.getByRole('heading', { name: 'Openstaande bevindingen' }) });
		await sevCard.getByText('Toon de cijfers als tabel').click();
		const hoog = sevCard.getByRole('row', { name: /^hoog/ });
		check((await hoog.getByRole('cell').textContent()) === '1', 'the table says one high finding');
		const trendCard = owner.locator('section', { has: owner.getByRole('heading', { name: 'Verloop' }) });
		await trendCard.getByText('Toon de cijfers als tabel').click();
		await trendCard.getByRole('row', { name: new RegExp(`#${scanId} 127\\.0\\.0\\.1`) }).waitFor();
		// The charts follow the language switch.
		await owner.getByLabel('Taal').selectOption('en');
		await drawn(owner.getByRole('img', { name: /^Open findings:.* high 1,/ }), 'severity chart in English');
		await owner.getByRole('img', { name: /^Trend:/ }).waitFor();
		await owner.getByLabel('Language').selectOption('nl');
		await owner.getByRole('img', { name: /^Openstaande bevindingen:.* hoog 1,/ }).waitFor();
		// The worst open finding, from GET /api/orgs/:id/summary.
		const sum = await apiAs(owner, 'GET', `/api/orgs/${bakery}/summary`);
		check(sum.status === 200 && sum.body.open.high === 1, `summary: ${JSON.stringify(sum)}`);
		await owner.getByTestId('worst').getByRole('link', { name: sum.body.worst[0].title }).waitFor();
	});
	await run('operator registers an IT partner and invites its staff', async () => {
		partnerOrg = await createOrg(op, 'IT Partner Veenendaal');
		link = await inviteLink(op, 'beheer@itpartner.example', 'IT-partner');
	});
	await run('partner accepts, signs in and registers two clients', async () => {
		await accept(partner, link, 'partner-wachtwoord-1');
		await signIn(partner, 'beheer@itpartner.example', 'partner-wachtwoord-1');
		clientA = await createOrg(partner, 'Garage de Vries', 'IT Partner Veenendaal', 'G');
		clientB = await createOrg(partner, 'Kapsalon Bakker', 'IT Partner Veenendaal', 'S');
	});
	await run('partner scans a client (operator attests its asset)', async () => {
		await partner.goto(`/orgs/${clientA}/assets`);
		await partner.getByLabel('Soort').selectOption('host');
		await partner.getByLabel('Waarde').fill('127.0.0.1');
		await partner.getByRole('button', { name: 'Toevoegen' }).click();
		await partner.getByRole('rowheader', { name: /127\.0\.0\.1/ }).waitFor();
		await op.goto(`/orgs/${clientA}/assets`);
		await op.getByRole('button', { name: 'Bevestig als beheerder' }).click();
		await op.getByText('bevestigd (operator)').waitFor();
		await partner.reload();
		await partner.getByRole('button', { name: 'Scan starten' }).click();
		await partner.waitForURL(/\/scans\/[0-9]+$/);
		await partner.locator('[data-testid=scan-status][data-status=done], [data-testid=scan-status][data-status=incomplete]').waitFor({ timeout: SCAN_TIMEOUT });
	});
	await run('partner sees its two clients, and only those', async () => {
		await partner.getByRole('link', { name: 'Mijn klanten' }).click();
		const table = partner.getByTestId('clients');
		await table.waitFor();
		await table.getByText('nog geen scan').first().waitFor();
		// The scanned client shows its worst open finding (the FTP one).
		const garage = table.getByRole('row', { name: /Garage de Vries/ });
		await garage.getByText('0 / 1 / 0').waitFor();
		await garage.locator('.worst li', { hasText: 'hoog' }).waitFor();
		check((await table.getByRole('row', { name: /Kapsalon Bakker/ }).getByText('nog geen scan').count()) === 1, 'the other client has no scan');
		const names = await table.locator('tbody th').allTextContents();
		check(names.length === 2 && names.includes('Garage de Vries') && names.includes('Kapsalon Bakker'), `clients: ${names}`);
		check(!names.includes('Bakkerij Jansen'), 'not the bakery');
		// The counts and the worst finding are those of the client's summary.
		const sum = await apiAs(partner, 'GET', `/api/orgs/${clientA}/summary`);
		check(sum.status === 200 && sum.body.worst.length > 0, `client summary: ${JSON.stringify(sum)}`);
		await garage.getByRole('link', { name: sum.body.worst[0].title }).waitFor();
		check((await apiAs(partner, 'GET', `/api/orgs/${bakery}/summary`)).status === 404, "the bakery's summary is not the partner's");
	});
	await run('five companies of sector G have a finished scan (three more through the API)', async () => {
		const scans = [];
		for (const name of ['Winkel Aalders', 'Winkel Brouwer', 'Winkel Claassen']) {
			const o = await apiAs(op, 'POST', '/api/orgs', { name, sector: 'G' });
			check(o.status === 201, `create ${name}: ${JSON.stringify(o)}`);
			const a = await apiAs(op, 'POST', `/api/orgs/${o.body.id}/assets`, { kind: 'host', value: '127.0.0.1' });
			check(a.status === 201, `asset of ${name}: ${JSON.stringify(a)}`);
			const v = await apiAs(op, 'POST', `/api/assets/${a.body.id}/verify`, { method: 'operator' });
			check(v.status === 200, `attest ${name}: ${JSON.stringify(v)}`);
			const sc = await apiAs(op, 'POST', `/api/assets/${a.body.id}/scans`);
			check(sc.status === 202, `scan ${name}: ${JSON.stringify(sc)}`);
			scans.push(sc.body.scan_id);
		}
		const until = Date.now() + SCAN_TIMEOUT;
		for (const id of scans) {
			for (;;) {
				const r = await apiAs(op, 'GET', `/api/scans/${id}`);
				if (['done', 'incomplete'].includes(r.body.status)) break;
				check(['queued', 'running'].includes(r.body.status), `scan ${id}: ${r.body.status}`);
				check(Date.now() < until, `scan ${id} did not finish`);
				await op.waitForTimeout(500);
			}
		}
	});
	await run('operator registers a sector association and an insurer, and invites their staff', async () => {
		assocOrg = await createOrg(op, 'Branchevereniging Detailhandel', null, 'G');
		link = await inviteLink(op, 'info@detailhandel.example', 'branchevereniging');
		await accept(assoc, link, 'branche-wachtwoord-1');
		insurerOrg = await createOrg(op, 'Verzekeraar Zeker', null, 'K');
		link = await inviteLink(op, 'risico@zeker.example', 'verzekeraar');
		await accept(insurer, link, 'zeker-wachtwoord-1');
	});
	await run('the association sees its sector in figures, and no company', async () => {
		await signIn(assoc, 'info@detailhandel.example', 'branche-wachtwoord-1');
		await assoc.getByRole('heading', { level: 1, name: 'Cijfers per sector' }).waitFor();
		const nav = assoc.getByRole('navigation', { name: 'Hoofdmenu' });
		await nav.getByRole('link', { name: 'Sectoren' }).waitFor();
		check((await nav.getByRole('link', { name: 'Organisaties' }).count()) === 0, 'no organisations in the menu');
		check((await nav.getByRole('link', { name: 'Mijn klanten' }).count()) === 0, 'no clients in the menu');
		const agg = await apiAs(assoc, 'GET', '/api/aggregates');
		check(agg.status === 200 && Array.isArray(agg.body), `aggregates: ${JSON.stringify(agg)}`);
		check(agg.body.length === 1 && agg.body[0].sector === 'G', `only its own sector: ${JSON.stringify(agg.body)}`);
		const g = agg.body[0];
		check(!g.suppressed && g.scanned_companies >= 5 && g.share_with.high === 1, `sector G: ${JSON.stringify(g)}`);
		const chart = assoc.getByRole('img', { name: /^Gemiddeld aantal openstaande bevindingen per bedrijf: G / });
		await drawn(chart, 'sector chart');
		const row = assoc.getByTestId('sectors').getByRole('row', { name: /^G Groot- en detailhandel/ });
		await row.getByText(`${g.scanned_companies} van ${g.companies}`).waitFor();
		await row.getByText('100%').first().waitFor();
		await row.getByText('SVC-04', { exact: false }).waitFor();
		const text = await assoc.locator('main').innerText();
		for (const n of ['Bakkerij Jansen', 'Garage de Vries', 'Winkel Aalders', '127.0.0.1'])
			check(!text.includes(n), `the sector page names ${n}`);
		// Not through the API either.
		const st = [];
		for (const p of [`/api/orgs/${bakery}`, `/api/orgs/${bakery}/summary`, `/api/orgs/${bakery}/scans`, `/api/scans/${scanId}`, `/api/scans/${scanId}/findings`, '/api/aggregates?sector=S'])
			st.push((await apiAs(assoc, 'GET', p)).status);
		check(st.every((x) => x === 404), `the association reads company data: ${st}`);
		check((await apiAs(assoc, 'GET', `/api/orgs/${assocOrg}`)).status === 200, 'the association reads its own profile');
		await assoc.goto(`/orgs/${bakery}`);
		await assoc.getByRole('alert').waitFor();
		check((await assoc.getByRole('heading', { name: 'Hoe veilig is Bakkerij Jansen?' }).count()) === 0, 'no company overview');
	});
	await run('the insurer and the operator see every sector; a company user none', async () => {
		await signIn(insurer, 'risico@zeker.example', 'zeker-wachtwoord-1');
		await insurer.getByRole('heading', { level: 1, name: 'Cijfers per sector' }).waitFor();
		const nav = insurer.getByRole('navigation', { name: 'Hoofdmenu' });
		check((await nav.getByRole('link').allTextContents()).join('|') === 'Sectoren|Mijn account', 'the insurer\'s menu: sectors (and the account) only');
		await op.goto('/sectors');
		await op.getByRole('heading', { level: 1, name: 'Cijfers per sector' }).waitFor();
		for (const p of [insurer, op]) {
			const agg = await apiAs(p, 'GET', '/api/aggregates');
			check(agg.status === 200 && agg.body.some((r) => r.sector === 'G' && !r.suppressed) && agg.body.some((r) => r.suppressed), `aggregates: ${JSON.stringify(agg)}`);
			for (const r of agg.body) {
				if (r.suppressed) await p.getByTestId('suppressed').getByText(new RegExp(`^${r.sector} `)).waitFor();
				else await p.getByTestId('sectors').getByRole('rowheader', { name: new RegExp(`^${r.sector} `) }).waitFor();
			}
		}
		await drawn(insurer.getByRole('img', { name: /^Gemiddeld aantal/ }), 'sector chart for the insurer');
		const st = [];
		for (const pth of [`/api/orgs/${bakery}/summary`, `/api/orgs/${clientA}/scans`, `/api/scans/${scanId}/findings`])
			st.push((await apiAs(insurer, 'GET', pth)).status);
		check(st.every((x) => x === 404), `the insurer reads company data: ${st}`);
		check((await apiAs(insurer, 'GET', `/api/orgs/${insurerOrg}`)).status === 200, 'the insurer reads its own profile');
		check((await apiAs(owner, 'GET', '/api/aggregates')).status === 403, 'a company admin gets no aggregates');
		check((await owner.getByRole('link', { name: 'Sectoren' }).count()) === 0, 'no sectors in the owner\'s menu');
	});
	await run('a company user cannot see another company', async () => {
		await owner.goto(`/orgs/${clientA}`);
		await owner.getByRole('alert').filter({ hasText: 'not found' }).waitFor();
		check((await owner.getByRole('heading', { name: 'Hoe veilig is Garage de Vries?' }).count()) === 0, 'no client overview');
		await owner.goto('/orgs');
		await owner.locator('.orglist li').first().waitFor();
		const listed = await owner.locator('.orglist li').allTextContents();
		check(listed.length === 1 && listed[0] === 'Bakkerij Jansen', `owner lists ${listed}`);
		const st = await owner.evaluate(async (ids) => {
			const out = [];
			for (const p of [`/api/orgs/${ids.a}`, `/api/orgs/${ids.b}/assets`, `/api/orgs/${ids.p}/members`])
				out.push((await fetch(p)).status);
			return out;
		}, { a: clientA, b: clientB, p: partnerOrg });
		check(st.every((s) => s === 404), `direct API calls refused: ${st}`);
		// And the partner cannot read the bakery's scan.
		const ps = await partner.evaluate(async (id) => (await fetch(`/api/scans/${id}`)).status, scanId);
		check(ps === 404, `partner reads another company's scan: ${ps}`);
		// A state-changing call without the CSRF header is refused.
		const csrf = await owner.evaluate(async (id) => (await fetch(`/api/orgs/${id}/assets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind":"domain","value":"x.example"}' })).status, bakery);
		check(csrf === 403, `POST without X-CSRF-Token: ${csrf}`);
	});
	await run('keyboard: the main actions are reached with Tab, with a visible focus', async () => {
		await owner.goto(`/orgs/${bakery}`);
		await owner.getByRole('heading', { name: 'Openstaande bevindingen' }).waitFor();
		await owner.evaluate(() => document.activeElement && document.activeElement.blur());
		await owner.keyboard.press('Tab');
		const skip = owner.getByRole('link', { name: 'Naar de inhoud' });
		check(await skip.evaluate((e) => e === document.activeElement && e.getBoundingClientRect().left >= 0), 'the skip link comes first and shows');
		await tabTo(owner, owner.getByRole('main').getByRole('link', { name: 'Onderdelen' }), 'overview: assets link');
		await owner.keyboard.press('Enter');
		await owner.getByRole('heading', { level: 1, name: 'Onderdelen van Bakkerij Jansen' }).waitFor();
		await tabTo(owner, owner.getByRole('row', { name: /127\.0\.0\.1/ }).getByRole('button', { name: 'Scan starten' }), 'assets: start scan');
		await tabTo(owner, owner.getByLabel('Waarde'), 'assets: new asset value');
		await owner.goto(`/scans/${scanId}`);
		await owner.getByRole('tab', { name: /Voor IT/ }).waitFor();
		await tabTo(owner, owner.getByRole('tab', { name: /Voor IT/ }), 'scan: audience tabs');
	});
	await run('a phone-sized screen (375x667) has no horizontal scroll', async () => {
		for (const p of [owner, partner, assoc]) await p.setViewportSize({ width: 375, height: 667 });
		await owner.goto(`/orgs/${bakery}`);
		await owner.getByRole('heading', { name: 'Openstaande bevindingen' }).waitFor();
		await drawn(owner.getByRole('img', { name: /^Verloop:/ }), 'trend chart on a phone');
		await fitsWidth(owner, 'overview');
		await owner.goto(`/orgs/${bakery}/assets`);
		await owner.getByRole('rowheader', { name: /127\.0\.0\.1/ }).waitFor();
		await fitsWidth(owner, 'assets');
		await owner.goto(`/scans/${scanId}`);
		await owner.getByRole('tab', { name: /Voor IT/ }).waitFor();
		await fitsWidth(owner, 'scan');
		await partner.goto('/partner');
		await partner.getByTestId('clients').waitFor();
		await fitsWidth(partner, 'partner overview');
		await assoc.goto('/sectors');
		await drawn(assoc.getByRole('img', { name: /^Gemiddeld aantal/ }), 'sector chart on a phone');
		await fitsWidth(assoc, 'sectors');
	});
	await run('sign out', async () => {
		await owner.getByRole('button', { name: 'Afmelden' }).click();
		await owner.getByRole('heading', { name: 'Aanmelden' }).waitFor();
		const s = await owner.evaluate(async () => (await fetch('/api/me')).status);
		check(s === 401, `after sign-out /api/me is ${s}`);
		await fitsWidth(owner, 'sign-in page');
		await tabTo(owner, owner.getByRole('button', { name: 'Aanmelden' }), 'sign-in: submit');
	});
}

const rc = await main();
log(rc === 0 ? 'PASS' : 'FAIL');
process.exit(rc);
