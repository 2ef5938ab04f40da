/*
 * defs_scan.c: the SCAN checks of the registry (ids from docs/checks.md),
 * with their default severity, audience and tips in Dutch and English.
 */
#include "check/check_int.h"

const struct check_def check_defs_scan[] = {
    {"SCAN-01", SEV_INFO, AUD_IT, "Target could not be resolved", "Doel kon niet worden opgezocht",
     "Check the name; the scan could not look it up.",
     "Controleer de naam; de scan kon hem niet opzoeken."},
    {"SCAN-02", SEV_INFO, AUD_IT, "Target did not answer", "Doel gaf geen antwoord",
     "The target did not answer on any scanned port; check it is online or filtered on purpose.",
     "Het doel antwoordde op geen enkele gescande poort; controleer of het online is of bewust "
     "gefilterd."},
    {"SCAN-03", SEV_INFO, AUD_IT, "Service misbehaved during the scan",
     "Dienst gedroeg zich vreemd tijdens de scan",
     "The service sent malformed, endless or no data; check it is what you expect.",
     "De dienst stuurde onjuiste, eindeloze of geen gegevens; controleer of dat klopt."},
    {NULL, SEV_INFO, 0, NULL, NULL, NULL, NULL},
};
