// mailbox.mjs: what the browser tests read from fake_smtp.mjs's directory
// (one N.eml per message, "X-Rcpt: <addr>" lines first), and RFC 6238
// TOTP codes computed with node:crypto, as an authenticator app would.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const taken = new Set();

// The next message to `addr` not returned before; waits up to `ms`.
export async function mailTo(dir, addr, ms = 20000) {
	const until = Date.now() + ms;
	for (;;) {
		const names = readdirSync(dir)
			.filter((n) => /^[0-9]+\.eml$/.test(n))
			.sort((a, b) => parseInt(a) - parseInt(b));
		for (const n of names) {
			if (taken.has(n)) continue;
			const text = readFileSync(join(dir, n), 'utf8');
			if (text.split('\r\n').some((l) => l.toLowerCase() === `x-rcpt: <${addr.toLowerCase()}>`)) {
				taken.add(n);
				return text;
			}
		}
		if (Date.now() > until) throw new Error(`check failed: no mail to ${addr} within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

// How many messages to `addr` arrived (taken or not).
export function mailCount(dir, addr) {
	return readdirSync(dir)
		.filter((n) => /^[0-9]+\.eml$/.test(n))
		.filter((n) => readFileSync(join(dir, n), 'utf8').toLowerCase().includes(`x-rcpt: <${addr.toLowerCase()}>`)).length;
}

function base32(s) {
	const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	const out = [];
	let bits = 0;
	let v = 0;
	for (const ch of s.replace(/[\s=]+/g, '').toUpperCase()) {
		const i = A.indexOf(ch);
		if (i < 0) throw new Error(`not base32: ${s}`);
		v = ((v << 5) | i) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			out.push((v >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

// RFC 6238: HMAC-SHA1 over the 30-second step counter, 6 digits.
export function totp(secret, when = Date.now()) {
	const b = Buffer.alloc(8);
	b.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
	const h = createHmac('sha1', base32(secret)).update(b).digest();
	const o = h[19] & 15;
	return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// A six-digit code that is none of the codes valid around now.
export function wrongTotp(secret) {
	const now = Date.now();
	const valid = new Set([-2, -1, 0, 1, 2].map((k) => totp(secret, now + k * 30000)));
	for (let n = 123456; ; n = (n + 7919) % 1000000) {
		const c = String(n).padStart(6, '0');
		if (!valid.has(c)) return c;
	}
}
