// vite.config.js: build the dashboard into ui/dist for `wachter serve --ui`.
// JSX goes through esbuild with Preact's automatic runtime (no babel); no
// inline scripts or styles are emitted, so the server's CSP
// (default-src 'self') holds. `npm run dev` proxies /api to a local server.
import { defineConfig } from 'vite';

export default defineConfig({
	esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		assetsInlineLimit: 0,
		modulePreload: { polyfill: false },
		sourcemap: false,
	},
	server: {
		host: '127.0.0.1',
		proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
	},
});
