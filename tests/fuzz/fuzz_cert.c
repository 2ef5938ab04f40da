/*
 * fuzz_cert.c: certificate field extraction of src/tls (subject, issuer,
 * SANs, dates, key, signature hash) and the CERT rules on arbitrary DER.
 */
#include <openssl/x509.h>
#include <stdint.h>
#include <string.h>

#include "tls/tls_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	struct tls_cert c;
	struct tls_cert_verdict v;
	X509 *x;

	if (size > 65536)
		return 0;
	x = d2i_X509(NULL, &p, (long)size);
	if (!x)
		return 0;
	if (tls_cert_fill(x, &c) == 0) {
		(void)tls_rule_expiry(&c, 1800000000, &v);
		(void)tls_rule_key(&c, &v);
		(void)tls_rule_sig(&c, &v);
		(void)tls_rule_lifetime(&c, &v);
		if (strlen(v.detail) >= sizeof(v.detail))
			__builtin_trap();
		tls_cert_release(&c);
	}
	X509_free(x);
	return 0;
}
