// fake_smtp.mjs: a tiny SMTP sink on 127.0.0.1:PORT for the dashboard
// test (wachter serve --smtp-url smtp://127.0.0.1:PORT, mail.starttls=no).
// It accepts every message and writes it to DIR/N.eml (N = 1, 2, ...),
// headed by one "X-Rcpt: <address>" line per recipient, so the browser
// test can read password-reset codes and invitation links. No STARTTLS,
// no AUTH, no relaying: nothing leaves the machine.
import net from 'node:net';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, dir] = [Number(process.argv[2]), process.argv[3]];
if (!port || !dir) {
	console.error('usage: fake_smtp.mjs PORT DIR');
	process.exit(2);
}
let seq = 0;

const s = net.createServer((c) => {
	let buf = '';
	let data = null; // the message's lines while in DATA
	let rcpt = [];
	const say = (l) => c.write(l + '\r\n');
	say('220 fake-smtp ESMTP');
	c.on('data', (d) => {
		buf += d.toString('utf8');
		let i;
		while ((i = buf.indexOf('\r\n')) >= 0) {
			const line = buf.slice(0, i);
			buf = buf.slice(i + 2);
			if (data) {
				if (line === '.') {
					const name = join(dir, `${++seq}.eml`);
					const text = rcpt.map((r) => `X-Rcpt: ${r}\r\n`).join('') + data.join('\r\n') + '\r\n';
					// Written under a temporary name, then renamed: a reader
					// never sees half a message.
					writeFileSync(name + '.part', text);
					renameSync(name + '.part', name);
					data = null;
					rcpt = [];
					say('250 2.0.0 queued');
				} else data.push(line.startsWith('..') ? line.slice(1) : line);
				continue;
			}
			const cmd = line.split(/[ :]/)[0].toUpperCase();
			if (cmd === 'EHLO') c.write('250-fake-smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
			else if (cmd === 'HELO') say('250 fake-smtp');
			else if (cmd === 'MAIL') {
				rcpt = [];
				say('250 2.1.0 ok');
			} else if (cmd === 'RCPT') {
				rcpt.push(line.replace(/^RCPT TO:\s*/i, '').split(' ')[0]);
				say('250 2.1.5 ok');
			} else if (cmd === 'DATA') {
				if (!rcpt.length) say('503 5.5.1 no recipient');
				else {
					data = [];
					say('354 go ahead');
				}
			} else if (cmd === 'RSET' || cmd === 'NOOP') say('250 ok');
			else if (cmd === 'QUIT') c.end('221 bye\r\n');
			else say('502 5.5.2 not implemented');
		}
	});
	c.on('error', () => {});
});
s.listen(port, '127.0.0.1');
s.on('listening', () => console.log(`fake_smtp: listening on 127.0.0.1:${port}, mail in ${dir}`));
