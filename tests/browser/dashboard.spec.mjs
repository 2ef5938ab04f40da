// dashboard.spec.mjs: the dashboard's acceptance run in headless Debian
// chromium (playwright-core, no test runner): sign-in, an organisation,
// an invitation accepted in a second browser context, an asset verified
// and scanned, its findings by audience, the language switch, an IT
// partner with two clients, and tenant isolation in the UI and the API.
// Environment: BASE (http://127.0.0.1:PORT), OP_EMAIL, OP_PASSWORD, SHOTS
// (screenshot directory), PROFILE (a fresh --user-data-dir root),
// CHROMIUM (default /usr/bin/chromium), UI_DIR (default ../../ui). Exit 0 when every step passes.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

// playwright-core is a devDependency of ui/ (installed by scripts/build-ui).
const UI = process.env.UI_DIR || resolve(import.meta.dirname, '../../ui');
const { chromium } = createRequire(join(UI, 'package.json'))('playwright-core');

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS || '/tmp';
const PROFILE = process.env.PROFILE;
const OP = { email: process.env.OP_EMAIL, password: process.env.OP_PASSWORD };
const STEP_TIMEOUT = 15000;
const SCAN_TIMEOUT = Number(process.env.SCAN_TIMEOUT_MS || 180000);

if (!BASE || !OP.email || !OP.password || !PROFILE) {
	console.error('dashboard.spec: BASE, OP_EMAIL, OP_PASSWORD and PROFILE are required');
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
	const page = await ctx.newPage();
	const problems = [];
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

async function createOrg(page, name, partnerName) {
	await page.goto('/orgs');
	await page.getByLabel('Naam', { exact: true }).fill(name);
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
	const link = await page.getByTestId('invite-link').inputValue();
	check(link.startsWith(`${BASE}/invite#`), `invite link ${link}`);
	return link;
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
	let bakery, scanId, partnerOrg, clientA, clientB;

	await run('operator signs in', () => signIn(op, OP.email, OP.password));
	await run('operator registers a company', async () => {
		bakery = await createOrg(op, 'Bakkerij Jansen');
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
	await run('operator attests the asset', async () => {
		await op.goto(`/orgs/${bakery}/assets`);
		await op.getByRole('button', { name: 'Bevestig als beheerder' }).click();
		await op.getByText('127.0.0.1 is bevestigd.').waitFor();
		await op.getByText('bevestigd (operator)').waitFor();
	});
	await run('owner starts a scan', async () => {
		await owner.reload();
		await owner.getByText('bevestigd (operator)').waitFor();
		await owner.getByRole('button', { name: 'Scan starten' }).click();
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
		const api = await owner.evaluate(async (id) => (await fetch(`/api/scans/${id}/findings`)).json(), scanId);
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
		await owner.getByRole('tab', { name: /Voor IT/ }).click();
		await owner.locator('[role=tabpanel] .finding', { hasText: ftp.title }).first().waitFor();
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
		await owner.getByLabel('Taal').selectOption('en');
		await owner.getByRole('tab', { name: /For the web developer/ }).waitFor();
		await owner.getByLabel('Minimum severity').waitFor();
		await owner.waitForFunction(() => document.documentElement.lang === 'en'); // html lang follows
		await owner.getByRole('button', { name: 'Sign out' }).waitFor();
		await owner.reload();
		await owner.getByLabel('Minimum severity').waitFor(); // the choice is kept
		await owner.getByLabel('Language').selectOption('nl');
		await owner.getByLabel('Minimale ernst').waitFor();
		await owner.waitForFunction(() => document.documentElement.lang === 'nl');
	});
	await run('the overview shows open findings and the trend', async () => {
		await owner.getByRole('link', { name: 'Overzicht' }).first().click();
		await owner.getByRole('heading', { name: 'Openstaande bevindingen' }).waitFor();
		await owner.getByRole('img', { name: /^Openstaande bevindingen:.* hoog 1,/ }).waitFor();
		await owner.getByText('Er staan 1 ernstige bevindingen open (hoog of kritiek).').waitFor();
		await owner.getByRole('img', { name: /^Verloop:/ }).waitFor();
		await owner.getByRole('link', { name: `Scan ${scanId}: 127.0.0.1` }).waitFor();
	});
	await run('operator registers an IT partner and invites its staff', async () => {
		partnerOrg = await createOrg(op, 'IT Partner Veenendaal');
		link = await inviteLink(op, 'beheer@itpartner.example', 'IT-partner');
	});
	await run('partner accepts, signs in and registers two clients', async () => {
		await accept(partner, link, 'partner-wachtwoord-1');
		await signIn(partner, 'beheer@itpartner.example', 'partner-wachtwoord-1');
		clientA = await createOrg(partner, 'Garage de Vries', 'IT Partner Veenendaal');
		clientB = await createOrg(partner, 'Kapsalon Bakker', 'IT Partner Veenendaal');
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
	await run('a phone-sized screen has no horizontal scroll on the overview', async () => {
		await owner.setViewportSize({ width: 375, height: 740 });
		await owner.goto(`/orgs/${bakery}`);
		await owner.getByRole('heading', { name: 'Openstaande bevindingen' }).waitFor();
		const over = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		check(over <= 0, `overview wider than the phone by ${over}px`);
	});
	await run('sign out', async () => {
		await owner.getByRole('button', { name: 'Afmelden' }).click();
		await owner.getByRole('heading', { name: 'Aanmelden' }).waitFor();
		const s = await owner.evaluate(async () => (await fetch('/api/me')).status);
		check(s === 401, `after sign-out /api/me is ${s}`);
	});
}

const rc = await main();
log(rc === 0 ? 'PASS' : 'FAIL');
process.exit(rc);
