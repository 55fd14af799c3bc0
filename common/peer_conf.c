/*
 * Which configuration changes a running BGP session survives.
 *
 * A session is the TCP connection and what both sides agreed in their
 * OPENs; ribd's view of it is what it applied to the routes already taken
 * in and sent out.  Anything that changes either needs a reset.  The rest
 * (the name the plan gives the session, the group that hosts it, its
 * Calico type, whether we would dial it, whether the peer is a Calico node,
 * the prefix limit) can change under a running session: that is what
 * lets a session pass from the node-to-node mesh to a BGPPeer that selects
 * the same node, or from a global BGPPeer to a node-specific one for the
 * same ToR, without a single route being withdrawn.
 */
#include <sys/types.h>

#include <string.h>

#include "bgp_msg.h"
#include "peer_conf.h"

static void
peer_conf_session_part(struct imsg_peer *c)
{
	c->peerid = 0;
	c->groupid = 0;
	memset(c->name, 0, sizeof(c->name));
	memset(c->group, 0, sizeof(c->group));
	c->type = 0;
	c->flags &= ~(PEER_F_PASSIVE | PEER_F_CALICO_NODE);
	c->max_prefix = 0;
	if (c->port == 0)
		c->port = BGP_PORT;
}

/* Whether a session configured as a keeps running configured as b. */
int
peer_conf_keeps_session(const struct imsg_peer *a, const struct imsg_peer *b)
{
	struct imsg_peer	 x = *a, y = *b;

	peer_conf_session_part(&x);
	peer_conf_session_part(&y);
	return memcmp(&x, &y, sizeof(x)) == 0;
}
