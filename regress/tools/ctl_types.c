/*
 * Prints the control protocol's numbers as shell assignments, for raw
 * clients written in other languages (regress/tools/ctl_raw.py): the imsg
 * types of enum imsg_type move whenever a type is added before them.
 */
#include <stdio.h>

#include "imsg.h"
#include "tortie.h"

int
main(void)
{
	printf("CTL_VERSION=%d\n", TORTIE_CTL_VERSION);
	printf("CTL_MAX=%d\n", IMSG_MAX_CTL);
	printf("CTL_HELLO=%d\n", IMSG_CTL_HELLO);
	printf("CTL_NODE_STATUS=%d\n", IMSG_CTL_NODE_STATUS);
	printf("CTL_SHOW_NEIGHBORS=%d\n", IMSG_CTL_SHOW_NEIGHBORS);
	printf("CTL_SHOW_RIB=%d\n", IMSG_CTL_SHOW_RIB);
	printf("CTL_SHOW_FIB=%d\n", IMSG_CTL_SHOW_FIB);
	printf("CTL_RELOAD=%d\n", IMSG_CTL_RELOAD);
	printf("CTL_DATA=%d\n", IMSG_CTL_DATA);
	printf("CTL_END=%d\n", IMSG_CTL_END);
	printf("CTL_ERROR=%d\n", IMSG_CTL_ERROR);
	printf("CTL_SHUTDOWN=%d\n", IMSG_SHUTDOWN);
	printf("CTL_RECONF_START=%d\n", IMSG_RECONF_START);
	printf("CTL_TYPE_MAX=%d\n", IMSG_TYPE_MAX);
	return 0;
}
