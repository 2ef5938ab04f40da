/*
 * defs_dns.c: the DNS checks of the registry (ids from docs/checks.md),
 * with their default severity, audience and tips in Dutch and English.
 */
#include "check/check_int.h"

const struct check_def check_defs_dns[] = {
    {"DNS-01", SEV_MEDIUM, AUD_IT, "Domain not signed with DNSSEC",
     "Domein niet ondertekend met DNSSEC", "Ask your registrar or DNS host to enable DNSSEC.",
     "Vraag uw registrar of DNS-hoster om DNSSEC aan te zetten."},
    {"DNS-02", SEV_HIGH, AUD_IT, "DNSSEC signature invalid (bogus)",
     "DNSSEC-handtekening ongeldig (bogus)",
     "Fix the key/DS mismatch today: validating resolvers cannot reach you.",
     "Herstel vandaag de sleutel/DS-fout: validerende resolvers kunnen u niet bereiken."},
    {"DNS-03", SEV_LOW, AUD_IT, "Name servers not reachable over IPv6",
     "Naamservers niet bereikbaar via IPv6", "Choose a DNS provider whose name servers have IPv6.",
     "Kies een DNS-aanbieder met naamservers op IPv6."},
    {"DNS-04", SEV_LOW, AUD_IT, "No valid CAA record", "Geen geldig CAA-record",
     "Publish a CAA record naming the certificate authority you use.",
     "Publiceer een CAA-record met de certificaatuitgever die u gebruikt."},
    {"DNS-05", SEV_HIGH, AUD_IT, "Open recursive DNS resolver", "Open recursieve DNS-resolver",
     "Allow recursion only for your own network.",
     "Sta recursie alleen toe voor uw eigen netwerk."},
    {"DNS-06", SEV_MEDIUM, AUD_IT, "DNS zone transfer allowed", "DNS-zoneoverdracht toegestaan",
     "Allow zone transfers only to your secondary name servers (ACL or TSIG).",
     "Sta zoneoverdrachten alleen toe aan uw secundaire naamservers (ACL of TSIG)."},
    {"DNS-07", SEV_LOW, AUD_MGT | AUD_IT, "No RPKI ROA for the address",
     "Geen RPKI-ROA voor het adres", "Ask your hosting provider to publish ROAs.",
     "Vraag uw hostingpartij om ROA's te publiceren."},
    {"DNS-08", SEV_HIGH, AUD_IT, "RPKI route invalid", "RPKI-route ongeldig",
     "Contact your hosting provider at once.", "Neem direct contact op met uw hostingpartij."},
    {"DNS-09", SEV_MEDIUM, AUD_IT, "Dangling CNAME", "Loshangende CNAME",
     "Remove the CNAME or point it at a name you control: someone else could claim the target.",
     "Verwijder de CNAME of laat hem wijzen naar een naam die u beheert: een ander kan het doel "
     "overnemen."},
    {NULL, SEV_INFO, 0, NULL, NULL, NULL, NULL},
};
