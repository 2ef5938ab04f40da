/*
 * defs_cert.c: the CERT checks of the registry (ids from docs/checks.md),
 * with their default severity, audience and tips in Dutch and English.
 */
#include "check/check_int.h"

const struct check_def check_defs_cert[] = {
    {"CERT-01", SEV_HIGH, AUD_IT, "Certificate chain not trusted or incomplete",
     "Certificaatketen niet vertrouwd of onvolledig",
     "Install the full certificate chain from a trusted authority.",
     "Installeer de volledige certificaatketen van een vertrouwde uitgever."},
    {"CERT-02", SEV_HIGH, AUD_IT, "Certificate does not match the host name",
     "Certificaat past niet bij de hostnaam",
     "Use a certificate that covers every name, e.g. example.nl and www.example.nl.",
     "Gebruik een certificaat voor elke naam, bijvoorbeeld example.nl en www.example.nl."},
    {"CERT-03", SEV_HIGH, AUD_IT, "Certificate expired, expiring or not yet valid",
     "Certificaat verlopen, bijna verlopen of nog niet geldig",
     "Renew the certificate and automate renewal.",
     "Vernieuw het certificaat en automatiseer het vernieuwen."},
    {"CERT-04", SEV_MEDIUM, AUD_IT, "Weak certificate key", "Zwakke certificaatsleutel",
     "Use ECDSA P-256 (or RSA >= 3072) at the next renewal.",
     "Gebruik bij de volgende vernieuwing ECDSA P-256 (of RSA >= 3072)."},
    {"CERT-05", SEV_HIGH, AUD_IT, "Weak certificate signature hash",
     "Zwakke handtekening-hash van het certificaat", "Have the certificate reissued with SHA-256.",
     "Laat het certificaat opnieuw uitgeven met SHA-256."},
    {"CERT-06", SEV_LOW, AUD_IT, "Certificate lifetime too long", "Certificaat te lang geldig",
     "Use certificates valid for at most 398 days.",
     "Gebruik certificaten die hoogstens 398 dagen geldig zijn."},
    {NULL, SEV_INFO, 0, NULL, NULL, NULL, NULL},
};
