/*
 * defs_web.c: the WEB checks of the registry (ids from docs/checks.md),
 * with their default severity, audience and tips in Dutch and English.
 */
#include "check/check_int.h"

const struct check_def check_defs_web[] = {
    {"WEB-01", SEV_LOW, AUD_IT, "Web site has no IPv6 address", "Website heeft geen IPv6-adres",
     "Ask your hosting provider for IPv6.", "Vraag uw hostingpartij om IPv6."},
    {"WEB-02", SEV_LOW, AUD_IT, "Web site not reachable over IPv6",
     "Website niet bereikbaar via IPv6", "Fix the IPv6 firewall or listener.",
     "Herstel de IPv6-firewall of -listener."},
    {"WEB-03", SEV_LOW, AUD_IT | AUD_WEB, "Web site differs between IPv4 and IPv6",
     "Website verschilt tussen IPv4 en IPv6", "Serve the same configuration on both.",
     "Gebruik op beide dezelfde configuratie."},
    {NULL, SEV_INFO, 0, NULL, NULL, NULL, NULL},
};
