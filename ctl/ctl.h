/*
 * tortiectl: status and resources.
 */
#ifndef TORTIE_CTL_H
#define TORTIE_CTL_H

#include <stdint.h>

#include "tortie.h"

struct doc_node;
struct ds;
struct ds_err;
struct plan;
struct res_errors;
struct res_set;
struct ctl_reach;

enum ctl_output {
	OUT_TEXT,
	OUT_JSON,
	OUT_YAML,
	OUT_WIDE,
};

/* Options common to every command. */
struct ctl_opts {
	const char	*socket;
	const char	*conf_file;
	const char	*ds_dir;
	enum ctl_output	 output;
};

/* ctl_client.c */
int	 ctl_request(const char *, uint32_t, const void *, size_t, char **,
	    size_t *, char *, size_t);

/* ctl_dryrun.c */
int	 ctl_dryrun_report(struct ctl_opts *, const struct res_set *,
	    const struct res_set *, const struct res_errors *);

/* ctl_overlay.c */
struct ds *ctl_overlay_open(struct ds *, struct res_errors *,
	    struct ds_err *);

/* ctl_plan.c */
int	 ctl_plan(struct ctl_opts *, int, char **);

/* ctl_reach.c */
struct ctl_reach *ctl_reach_new(size_t, int);
void	 ctl_reach_add(struct ctl_reach *, size_t, const struct plan *);
void	 ctl_reach_done(struct ctl_reach *);
void	 ctl_reach_free(struct ctl_reach *);
int	 ctl_reach_member(const struct ctl_reach *, size_t);
int	 ctl_reach_external(const struct ctl_reach *, size_t);
int	 ctl_reach_truncated(const struct ctl_reach *);
void	 ctl_reach_from(struct ctl_reach *, size_t, uint8_t *);

/* ctl_resource.c */
int	 ctl_resource_verb(const char *);
int	 ctl_resource(struct ctl_opts *, int, char **);

/* ctl_status.c */
int	 ctl_node_status(struct ctl_opts *);
int	 ctl_show(struct ctl_opts *, int, char **);
int	 ctl_reload(struct ctl_opts *);
void	 ctl_table_print(const char **, size_t, const char **, size_t);

#endif
