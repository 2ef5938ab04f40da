// charts.jsx: the dashboard's charts, drawn by Chart.js 4 on a canvas.
// Chart.js is loaded on demand (chartjs.js, its own chunk, with only the
// bar controller, its element and two scales registered). Chart.js touches the canvas only through element.style
// properties (CSSOM), which the server's CSP (default-src 'self') allows;
// it injects no <style> and evaluates no strings. Colours come from the
// CSS custom properties in style.css, so the palette stays in one place.
//
// Every chart is a canvas with role="img" and an aria-label that carries
// its numbers, followed by a <details> with the same numbers as a table
// (screen readers, keyboard users, people who read tables better).
import { useEffect, useRef } from 'preact/hooks';
import { useLang, useT } from './i18n.js';
import { SEVERITIES } from './data.js';

const SEV_VAR = { critical: '--crit', high: '--high', medium: '--med', low: '--low', info: '--info' };

function cssVar(name, fallback) {
	const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	return v || fallback;
}

const sevColour = (s) => cssVar(SEV_VAR[s], '#777');

// Writes each bar's value next to it (horizontal bars) or each stack's
// total above it (stacked columns), so the numbers are on the chart and
// not only in a tooltip.
const valueLabels = {
	id: 'wachterValues',
	afterDatasetsDraw(chart, _args, opts) {
		const { ctx } = chart;
		const n = chart.data.labels.length;
		ctx.save();
		ctx.fillStyle = opts.colour;
		ctx.font = `12px ${opts.family}`;
		for (let i = 0; i < n; i++) {
			let total = 0;
			let el = null;
			chart.data.datasets.forEach((ds, d) => {
				const meta = chart.getDatasetMeta(d);
				if (meta.hidden) return;
				total += Number(ds.data[i]) || 0;
				const e = meta.data[i];
				if (!e) return;
				if (!el) el = e;
				else if (chart.options.indexAxis === 'y' ? e.x > el.x : e.y < el.y) el = e;
			});
			if (!el) continue;
			const text = opts.format ? opts.format(total) : String(total);
			if (chart.options.indexAxis === 'y') {
				ctx.textAlign = 'left';
				ctx.textBaseline = 'middle';
				ctx.fillText(text, el.x + 6, el.y);
			} else {
				ctx.textAlign = 'center';
				ctx.textBaseline = 'bottom';
				ctx.fillText(text, el.x, el.y - 3);
			}
		}
		ctx.restore();
	},
};

// <BarChart>: one Chart.js bar chart on a canvas; rebuilt when its data
// or the language changes, destroyed on unmount.
function BarChart({ label, labels, datasets, horizontal, stacked, format, height, testId }) {
	const ref = useRef(null);
	const key = JSON.stringify({ labels, datasets, horizontal, stacked });
	useEffect(() => {
		let chart = null;
		let live = true;
		import('./chartjs.js').then(({ Chart }) => {
			if (live) chart = draw(Chart);
		});
		return () => {
			live = false;
			if (chart) chart.destroy();
		};
	}, [key]);
	const draw = (Chart) => {
		const fg = cssVar('--fg', '#1b1f24');
		const grid = cssVar('--line', '#d0d7de');
		const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
		const scale = (isValue) => ({
			stacked: !!stacked,
			beginAtZero: true,
			grace: isValue ? '12%' : 0,
			ticks: isValue
				? { color: fg, precision: 0, font: { family }, callback: format ? (v) => format(v) : undefined }
				: { color: fg, font: { family }, autoSkip: true },
			grid: { color: grid, display: isValue },
			border: { color: grid },
		});
		return new Chart(ref.current, {
			type: 'bar',
			data: {
				labels,
				datasets: datasets.map((d) => ({
					label: d.label,
					data: d.data,
					backgroundColor: d.colours || d.colour,
					borderWidth: 0,
					maxBarThickness: 32,
				})),
			},
			options: {
				indexAxis: horizontal ? 'y' : 'x',
				responsive: true,
				maintainAspectRatio: false,
				animation: false,
				events: [],
				layout: { padding: { right: horizontal ? 28 : 4, top: horizontal ? 0 : 16 } },
				scales: horizontal ? { x: scale(true), y: scale(false) } : { x: scale(false), y: scale(true) },
				plugins: { wachterValues: { colour: fg, family, format } },
			},
			plugins: [valueLabels],
		});
	};
	return (
		<div class={`chart-box ${height || ''}`}>
			<canvas ref={ref} role="img" aria-label={label} data-testid={testId} />
		</div>
	);
}

function Legend() {
	const t = useT();
	return (
		<p class="legend" aria-hidden="true">
			{SEVERITIES.map((s) => (
				<span key={s} class="legend-item">
					<span class={`swatch bar-${s}`} />
					{t(`sev.${s}`)}
				</span>
			))}
		</p>
	);
}

// The same numbers as a table, behind a disclosure.
function DataTable({ caption, rowHead, rows, cols }) {
	const t = useT();
	return (
		<details class="chart-table">
			<summary>{t('chart.table')}</summary>
			<div class="tablewrap">
				<table>
					<caption class="sr-only">{caption}</caption>
					<thead>
						<tr>
							<th scope="col">{rowHead}</th>
							{cols.map((c) => (
								<th scope="col" key={c.key}>
									{c.label}
								</th>
							))}
						</tr>
					</thead>
					<tbody>
						{rows.map((r) => (
							<tr key={r.key}>
								<th scope="row">{r.label}</th>
								{r.cells.map((c, i) => (
									<td key={cols[i].key}>{c}</td>
								))}
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</details>
	);
}

// Open findings by severity: one horizontal bar per severity.
export function SeverityChart({ counts, title }) {
	const t = useT();
	const names = SEVERITIES.map((s) => t(`sev.${s}`));
	const label = `${title}: ${SEVERITIES.map((s, i) => `${names[i]} ${counts[s]}`).join(', ')}`;
	return (
		<figure class="chart">
			<BarChart
				label={label}
				labels={names}
				horizontal
				height="h-sev"
				datasets={[{ label: title, data: SEVERITIES.map((s) => counts[s]), colours: SEVERITIES.map(sevColour) }]}
			/>
			<DataTable
				caption={title}
				rowHead={t('finding.severity')}
				cols={[{ key: 'n', label: t('chart.count') }]}
				rows={SEVERITIES.map((s, i) => ({ key: s, label: names[i], cells: [counts[s]] }))}
			/>
		</figure>
	);
}

const day = (ts) => (ts || '').slice(0, 10);

// Findings per finished scan, oldest left, stacked by severity.
// trend: [{scan_id, target, finished_at, counts}]
export function TrendChart({ trend, title }) {
	const t = useT();
	if (!trend.length) return null;
	const totals = trend.map((p) => SEVERITIES.reduce((a, s) => a + (p.counts[s] || 0), 0));
	const labels = trend.map((p) => `${day(p.finished_at)} #${p.scan_id}`);
	const label = `${title}: ${trend.map((p, i) => `${labels[i]} ${p.target} ${totals[i]}`).join(', ')}`;
	return (
		<figure class="chart">
			<BarChart
				label={label}
				labels={labels}
				stacked
				height="h-trend"
				datasets={SEVERITIES.map((s) => ({
					label: t(`sev.${s}`),
					data: trend.map((p) => p.counts[s] || 0),
					colour: sevColour(s),
				}))}
			/>
			<Legend />
			<DataTable
				caption={title}
				rowHead={t('chart.scan')}
				cols={[
					...SEVERITIES.map((s) => ({ key: s, label: t(`sev.${s}`) })),
					{ key: 'total', label: t('chart.total') },
				]}
				rows={trend.map((p, i) => ({
					key: p.scan_id,
					label: `${labels[i]} ${p.target}`,
					cells: [...SEVERITIES.map((s) => p.counts[s] || 0), totals[i]],
				}))}
			/>
		</figure>
	);
}

const numberFormat = (lang) => {
	const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
	return (v) => nf.format(v);
};

// Sector aggregates: mean open findings per scanned company, stacked by
// severity, one bar per (unsuppressed) sector.
// rows: [{sector, name, mean_open:{..}}]
export function SectorChart({ rows, title }) {
	const t = useT();
	const fmt1 = numberFormat(useLang());
	if (!rows.length) return null;
	const labels = rows.map((r) => r.sector);
	const totals = rows.map((r) => SEVERITIES.reduce((a, s) => a + (r.mean_open[s] || 0), 0));
	const label = `${title}: ${rows.map((r, i) => `${r.sector} ${fmt1(totals[i])}`).join(', ')}`;
	return (
		<figure class="chart">
			<BarChart
				label={label}
				labels={labels}
				stacked
				horizontal
				format={fmt1}
				height={rows.length > 6 ? 'h-tall' : 'h-sev'}
				testId="sector-chart"
				datasets={SEVERITIES.map((s) => ({
					label: t(`sev.${s}`),
					data: rows.map((r) => r.mean_open[s] || 0),
					colour: sevColour(s),
				}))}
			/>
			<Legend />
			<DataTable
				caption={title}
				rowHead={t('agg.col.sector')}
				cols={[
					...SEVERITIES.map((s) => ({ key: s, label: t(`sev.${s}`) })),
					{ key: 'total', label: t('chart.total') },
				]}
				rows={rows.map((r, i) => ({
					key: r.sector,
					label: r.name ? `${r.sector} ${r.name}` : r.sector,
					cells: [...SEVERITIES.map((s) => fmt1(r.mean_open[s] || 0)), fmt1(totals[i])],
				}))}
			/>
		</figure>
	);
}
