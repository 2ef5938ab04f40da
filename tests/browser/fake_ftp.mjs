// fake_ftp.mjs: a tiny FTP server on 127.0.0.1:PORT that lets anyone log in
// anonymously (220 banner, 331, 230): something for the dashboard test's
// scan of 127.0.0.1 to find (SVC-04, high), with HTML in its 230 reply
// (the evidence) to prove it is shown as text. It never stores anything.
import net from 'node:net';

const s = net.createServer((c) => {
	c.write('220 (vsFTPd 3.0.3)\r\n');
	let buf = '';
	c.on('data', (d) => {
		buf += d.toString('latin1');
		let i;
		while ((i = buf.indexOf('\n')) >= 0) {
			const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
			const cmd = line.split(' ')[0].toUpperCase();
			if (cmd === 'USER') c.write('331 Please specify the password.\r\n');
			// The reply carries HTML: it ends up in the finding's evidence,
			// which the dashboard must show as text (dashboard.spec.mjs).
			else if (cmd === 'PASS') c.write('230 Login successful. <img src=x onerror="window.__x=3">&amp;\r\n');
			else if (cmd === 'QUIT') { c.end('221 Goodbye.\r\n'); }
			else c.write('502 Command not implemented.\r\n');
		}
	});
	c.on('error', () => {});
});
s.listen(Number(process.argv[2]), '127.0.0.1');
s.on('listening', () => console.log('fake_ftp: listening on 127.0.0.1:' + process.argv[2]));
