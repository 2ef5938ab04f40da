// qr.jsx: a QR code as an SVG element (qrcode-generator computes the
// modules; the picture is one <path> with fill attributes, no style
// attribute, no data: URL, no inline script, so the CSP stays strict).
import qrcode from 'qrcode-generator';

export function QrCode({ text, label }) {
	const q = qrcode(0, 'M');
	q.addData(text, 'Byte');
	q.make();
	const n = q.getModuleCount();
	const quiet = 4;
	let d = '';
	for (let r = 0; r < n; r++)
		for (let c = 0; c < n; c++) if (q.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
	const size = n + 2 * quiet;
	return (
		<svg class="qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shape-rendering="crispEdges" data-testid="totp-qr" data-modules={n}>
			<rect width={size} height={size} fill="#fff" />
			<path d={d} fill="#000" />
		</svg>
	);
}
