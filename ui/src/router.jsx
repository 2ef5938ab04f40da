// router.js: a small history-API router. The server answers every path
// outside /api with index.html, so deep links and reloads work.
import { useEffect, useState } from 'preact/hooks';

export function navigate(to) {
	if (to === location.pathname + location.search + location.hash) return;
	history.pushState(null, '', to);
	dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath() {
	const [path, setPath] = useState(location.pathname);
	useEffect(() => {
		const on = () => setPath(location.pathname);
		addEventListener('popstate', on);
		return () => removeEventListener('popstate', on);
	}, []);
	return path;
}

// match('/orgs/:id', '/orgs/7') -> {id: '7'}; null when it does not match.
export function match(pattern, path) {
	const p = pattern.split('/');
	const u = path.replace(/\/+$/, '').split('/');
	if (path === '/') u.length = 2;
	if (p.length !== u.length) return null;
	const out = {};
	for (let i = 0; i < p.length; i++) {
		if (p[i].startsWith(':')) {
			if (!/^[0-9]+$/.test(u[i])) return null;
			out[p[i].slice(1)] = u[i];
		} else if (p[i] !== u[i]) return null;
	}
	return out;
}

// <Link href="/x">: a real link (keyboard, middle click) routed in-page.
export function Link({ href, children, ...rest }) {
	const onClick = (e) => {
		if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
		e.preventDefault();
		navigate(href);
	};
	return (
		<a href={href} onClick={onClick} {...rest}>
			{children}
		</a>
	);
}
