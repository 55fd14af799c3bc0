/*
 * Privilege separation: each child confines itself before it reads its
 * first message.  The platform code (sandbox_linux.c) is the only place
 * that knows how.
 */
#ifndef TORTIE_SANDBOX_H
#define TORTIE_SANDBOX_H

#include "tortie.h"

/* sandbox_<os>.c */
void	sandbox_enter(enum tortie_role, const char *, const char *);
int	sandbox_check_user(const char *, char *, size_t);

#endif
