/*
 * Comparing session configurations (struct imsg_peer).
 */
#ifndef TORTIE_PEER_CONF_H
#define TORTIE_PEER_CONF_H

#include "tortie.h"

int	peer_conf_keeps_session(const struct imsg_peer *,
	    const struct imsg_peer *);

#endif
