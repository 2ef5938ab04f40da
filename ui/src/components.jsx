// components.jsx: shared pieces: the severity chart, the trend chart (plain
// SVG: no library, nothing inline that the CSP would block), form fields
// with labels, status messages and the data loader hook.
import { useEffect, useState } from 'preact/hooks';
import { useT } from './i18n.js';
import { SEVERITIES } from './data.js';

export function useLoad(fn, deps) {
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
	}, [...deps, n]);
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

// Horizontal bars, one per severity, with the numbers written out too.
export function SeverityChart({ counts, title }) {
	const t = useT();
	const max = Math.max(1, ...SEVERITIES.map((s) => counts[s]));
	const rowH = 28;
	const w = 320;
	const labelW = 90;
	return (
		<figure class="chart">
			<svg
				viewBox={`0 0 ${w} ${rowH * SEVERITIES.length}`}
				role="img"
				aria-label={`${title}: ${SEVERITIES.map((s) => `${t(`sev.${s}`)} ${counts[s]}`).join(', ')}`}
			>
				{SEVERITIES.map((s, i) => {
					const bw = ((w - labelW - 40) * counts[s]) / max;
					return (
						<g key={s} transform={`translate(0 ${i * rowH})`}>
							<text x="0" y="19" class="chart-label">
								{t(`sev.${s}`)}
							</text>
							<rect x={labelW} y="5" width={Math.max(bw, counts[s] ? 2 : 0)} height="18" class={`bar bar-${s}`} />
							<text x={labelW + bw + 6} y="19" class="chart-value">
								{counts[s]}
							</text>
						</g>
					);
				})}
			</svg>
		</figure>
	);
}

// Stacked columns per scan (oldest left), critical on top.
export function TrendChart({ trend, title }) {
	const t = useT();
	if (!trend.length) return null;
	const h = 160;
	const colW = 28;
	const gap = 12;
	const w = Math.max(200, trend.length * (colW + gap) + gap);
	const totals = trend.map((p) => SEVERITIES.reduce((a, s) => a + p.counts[s], 0));
	const max = Math.max(1, ...totals);
	const desc = trend
		.map((p, i) => `${(p.scan.started_at || '').slice(0, 10)}: ${totals[i]}`)
		.join(', ');
	return (
		<figure class="chart">
			<svg viewBox={`0 0 ${w} ${h + 20}`} role="img" aria-label={`${title}: ${desc}`}>
				{trend.map((p, i) => {
					let y = h;
					const x = gap + i * (colW + gap);
					return (
						<g key={p.scan.id}>
							{[...SEVERITIES].reverse().map((s) => {
								const bh = (h * p.counts[s]) / max;
								y -= bh;
								return bh > 0 ? (
									<rect key={s} x={x} y={y} width={colW} height={bh} class={`bar bar-${s}`} />
								) : null;
							})}
							<text x={x + colW / 2} y={h + 15} class="chart-value" text-anchor="middle">
								{totals[i]}
							</text>
						</g>
					);
				})}
			</svg>
			<figcaption class="legend">
				{SEVERITIES.map((s) => (
					<span key={s} class="legend-item">
						<span class={`swatch bar-${s}`} aria-hidden="true" />
						{t(`sev.${s}`)}
					</span>
				))}
			</figcaption>
		</figure>
	);
}
