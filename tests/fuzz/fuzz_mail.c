/*
 * fuzz_mail.c: the outgoing mail's handling of untrusted text: the
 * Accept-Language header (api_mail_lang), and a message composed from an
 * arbitrary recipient, subject and body (the input split at the first two
 * NUL bytes). No crash; the language is nl or en; a composed message has
 * only CRLF line ends, a header block of ASCII lines that are the fixed
 * headers or the Subject's folded continuations (nothing injected), and
 * no body line over 998 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const heads[] = {
    "Date: ",
    "From: wachter <wachter@example.nl>",
    "To: <",
    "Message-ID: <",
    "Subject: ",
    "MIME-Version: 1.0",
    "Content-Type: ",
    "Content-Transfer-Encoding: 8bit",
    "Auto-Submitted: ",
};

static void check_message(const char *m, size_t len)
{
	const char *p = m, *end = m + len, *eol, *hdr_end = strstr(m, "\r\n\r\n");
	size_t i, nh = 0;
	int in_subject = 0, known;

	if (!hdr_end || memchr(m, 0, len))
		abort();
	for (i = 0; i < len; i++) {
		if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r'))
			abort();
		if (m[i] == '\r' && (i + 1 >= len || m[i + 1] != '\n'))
			abort();
	}
	/* The header block: ASCII; each line a known header once, or (only
	 * after Subject:) a folded line starting with a space. */
	while (p < hdr_end + 2) {
		eol = strstr(p, "\r\n");
		for (const char *q = p; q < eol; q++)
			if ((unsigned char)*q >= 0x80 || (unsigned char)*q < 0x20)
				abort();
		if (*p == ' ') {
			if (!in_subject)
				abort();
		} else {
			known = 0;
			for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
				if (strncmp(p, heads[i], strlen(heads[i])) == 0)
					known = 1;
			if (!known)
				abort();
			in_subject = strncmp(p, "Subject: ", 9) == 0;
			nh++;
		}
		p = eol + 2;
	}
	if (nh != sizeof(heads) / sizeof(heads[0]))
		abort();
	for (p = hdr_end + 4; p < end; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if (!eol || eol - p > 998)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 2);
	const char *to, *subject, *body;
	struct buf m = BUF_INIT;
	int lang, r;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	s[size + 1] = '\0';
	lang = api_mail_lang(s);
	if (lang != API_LANG_NL && lang != API_LANG_EN)
		abort();
	/* to \0 subject \0 body */
	to = s;
	subject = to + strlen(to) + 1;
	body = subject <= s + size ? subject + strlen(subject) + 1 : s + size + 1;
	if (subject > s + size)
		subject = s + size + 1;
	if (body > s + size + 1)
		body = s + size + 1;
	r = api_mail_compose("wachter@example.nl", to, subject, body, 1764374400, "fuzz", &m);
	if (r == 0)
		check_message(m.ptr, m.len);
	else if (r != ERR_INVAL && r != ERR_NOMEM && r != ERR_TOO_BIG)
		abort();
	buf_release(&m);
	free(s);
	return 0;
}
