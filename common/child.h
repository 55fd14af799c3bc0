/*
 * What the three helper processes share at start-up: options, logging,
 * the event base, the sandbox and the pipe to the parent.
 */
#ifndef TORTIE_CHILD_H
#define TORTIE_CHILD_H

#include "imsg.h"
#include "tortie.h"

struct event_base;

struct child_ctx {
	enum tortie_role	 role;
	struct event_base	*base;
	struct imsgev		 parent;
	uint32_t		 groupid;
	char			 name[GROUP_NAME_LEN + 1];
	const char		*user;
	const char		*chroot;
	int			 debug;
	int			 verbose;
	int			 stopping;
	/* kroute: -T table, -P protocol, -K (never touch the kernel) */
	uint32_t		 kr_table;
	uint8_t			 kr_protocol;
	int			 kr_noinstall;
};

/* child.c */
void	child_init(struct child_ctx *, enum tortie_role, int, char **);
void	child_start(struct child_ctx *, imsgev_dispatch, void *);
void	child_parent_closed(struct imsgev *, void *);
int	child_common_imsg(struct child_ctx *, struct imsg *);

#endif
