// components.jsx: shared pieces: form fields with labels, status
// messages, severity badges and the data loader hook (charts.jsx has the
// charts).
import { useEffect, useState } from 'preact/hooks';
import { useLang, useT } from './i18n.js';

// Loads again when the language changes: the API gives check titles and
// tips in the language of the request (Accept-Language, api.js).
export function useLoad(fn, deps) {
	const lang = useLang();
	const [st, setSt] = useState({ loading: true, data: null, error: null });
	const [n, setN] = useState(0);
	useEffect(() => {
		let live = true;
		setSt((s) => ({ ...s, loading: true }));
		fn().then(
			(data) => live && setSt({ loading: false, data, error: null }),
			(error) => live && setSt({ loading: false, data: null, error }),
		);
		return () => {
			live = false;
		};
	}, [...deps, n, lang]);
	return { ...st, reload: () => setN((x) => x + 1) };
}

export function Loading() {
	const t = useT();
	return (
		<p class="muted" role="status">
			{t('common.loading')}
		</p>
	);
}

export function ErrorBox({ error }) {
	const t = useT();
	if (!error) return null;
	return (
		<p class="error" role="alert">
			{t('common.error', { msg: error.message || String(error) })}
		</p>
	);
}

export function Notice({ text, kind }) {
	if (!text) return null;
	return (
		<p class={kind === 'error' ? 'error' : 'notice'} role={kind === 'error' ? 'alert' : 'status'}>
			{text}
		</p>
	);
}

let fieldSeq = 0;
export function Field({ label, id, children }) {
	return (
		<div class="field">
			<label for={id}>{label}</label>
			{children}
		</div>
	);
}
export const newId = (p) => `${p}-${++fieldSeq}`;

export function SevBadge({ sev }) {
	const t = useT();
	return <span class={`sev sev-${sev}`}>{t(`sev.${sev}`)}</span>;
}
