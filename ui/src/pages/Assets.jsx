// Assets.jsx: an organisation's domains, hosts and ranges, adding one,
// proving ownership (DNS TXT, the well-known file, or an operator's
// attestation) and starting a scan of a verified asset.
import { useState } from 'preact/hooks';
import { addAsset, getOrg, listAssets, startScan, verifyAsset } from '../api.js';
import { useT } from '../i18n.js';
import { ErrorBox, Field, Loading, Notice, useLoad } from '../components.jsx';
import { Link, navigate } from '../router.jsx';
import { canWrite } from './Overview.jsx';

function AssetRow({ a, me, write, onChange, setMsg, howto }) {
	const t = useT();
	const [busy, setBusy] = useState(false);
	const verify = async (method) => {
		setBusy(true);
		try {
			await verifyAsset(a.id, method);
			setMsg({ text: t('assets.verify.ok', { value: a.value }) });
			onChange();
		} catch (x) {
			setMsg({ text: x.status === 422 ? t('assets.verify.failed') : x.message, kind: 'error' });
		} finally {
			setBusy(false);
		}
	};
	const scan = async () => {
		setBusy(true);
		try {
			const r = await startScan(a.id);
			navigate(`/scans/${r.scan_id}`);
		} catch (x) {
			const m = x.status === 409 ? 'assets.scan.notverified' : x.status === 503 ? 'assets.scan.busy' : null;
			setMsg({ text: m ? t(m) : x.message, kind: 'error' });
			setBusy(false);
		}
	};
	return (
		<tr>
			<th scope="row" class="asset-value">
				{a.value}
				{howto && !a.verified_at && (
					<p class="muted small">
						{t('assets.howto.dns', { name: a.value })} <code data-testid="dns-txt">{howto.txt}</code>{' '}
						{t('assets.howto.file', { url: howto.url })}
					</p>
				)}
			</th>
			<td data-label={t('assets.col.kind')}>{t(`assets.kind.${a.kind}`)}</td>
			<td data-label={t('assets.col.status')}>
				{a.verified_at ? t('assets.verified', { method: a.verify_method }) : t('assets.unverified')}
			</td>
			<td class="actions">
				{write && !a.verified_at && a.kind !== 'range' && (
					<>
						<button type="button" disabled={busy} onClick={() => verify('dns')}>
							{t('assets.verify.dns')}
						</button>
						<button type="button" disabled={busy} onClick={() => verify('file')}>
							{t('assets.verify.file')}
						</button>
					</>
				)}
				{write && !a.verified_at && me.operator && (
					<button type="button" disabled={busy} onClick={() => verify('operator')}>
						{t('assets.verify.operator')}
					</button>
				)}
				{write && a.verified_at && (
					<button type="button" disabled={busy} onClick={scan}>
						{t('assets.scan')}
					</button>
				)}
			</td>
		</tr>
	);
}

export function Assets({ me, id }) {
	const t = useT();
	const org = useLoad(() => getOrg(id), [id]);
	const assets = useLoad(() => listAssets(id), [id]);
	const [kind, setKind] = useState('domain');
	const [value, setValue] = useState('');
	const [msg, setMsg] = useState({});
	const [howto, setHowto] = useState({});
	if (org.loading && !org.data) return <Loading />;
	if (org.error) return <ErrorBox error={org.error} />;
	const o = org.data;
	const write = canWrite(me, o);
	const submit = async (e) => {
		e.preventDefault();
		setMsg({});
		try {
			const r = await addAsset(o.id, kind, value.trim());
			setHowto({ ...howto, [r.id]: { txt: r.verify.dns_txt, url: r.verify.file_url } });
			setValue('');
			assets.reload();
		} catch (x) {
			setMsg({ text: x.message, kind: 'error' });
		}
	};
	return (
		<>
			<section class="card" aria-labelledby="as-h">
				<h1 id="as-h">{t('assets.title', { name: o.name })}</h1>
				<p>
					<Link href={`/orgs/${o.id}`}>{t('nav.overview')}</Link>
				</p>
				<Notice text={msg.text} kind={msg.kind} />
				{assets.loading && !assets.data && <Loading />}
				<ErrorBox error={assets.error} />
				{assets.data && assets.data.length === 0 && <p>{t('common.none')}</p>}
				{assets.data && assets.data.length > 0 && (
					<div class="tablewrap">
						<table class="stack">
							<thead>
								<tr>
									<th scope="col">{t('assets.col.value')}</th>
									<th scope="col">{t('assets.col.kind')}</th>
									<th scope="col">{t('assets.col.status')}</th>
									<th scope="col">{t('assets.col.actions')}</th>
								</tr>
							</thead>
							<tbody>
								{assets.data.map((a) => (
									<AssetRow key={a.id} a={a} me={me} write={write} onChange={assets.reload} setMsg={setMsg} howto={howto[a.id]} />
								))}
							</tbody>
						</table>
					</div>
				)}
			</section>
			{write && (
				<section class="card" aria-labelledby="asnew-h">
					<h2 id="asnew-h">{t('assets.add')}</h2>
					<form onSubmit={submit} class="grid">
						<Field label={t('assets.kind')} id="asset-kind">
							<select id="asset-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
								{['domain', 'host', 'range'].map((k) => (
									<option key={k} value={k}>
										{t(`assets.kind.${k}`)}
									</option>
								))}
							</select>
						</Field>
						<Field label={t('assets.value')} id="asset-value">
							<input id="asset-value" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
						</Field>
						<div>
							<button type="submit">{t('assets.submit')}</button>
						</div>
					</form>
				</section>
			)}
		</>
	);
}
