/*
 * wachter.c: the wachter program; git-style subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "version") == 0) {
		printf("wachter %s\n", WACHTER_VERSION);
		return 0;
	}
	return 2;
}
