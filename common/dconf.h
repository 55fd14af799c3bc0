/*
 * The daemon configuration, tortie.yaml (see tortie.yaml(5) and
 * INTERFACES.md).  Every key is optional; unknown keys are errors.
 */
#ifndef TORTIE_DCONF_H
#define TORTIE_DCONF_H

#include <stdint.h>

#define DCONF_MAX_ENDPOINTS	16

struct dconf {
	char		*node_name;		/* NULL: not set */
	char		*ds_type;		/* "file" | "etcdv3" */
	char		*ds_path;
	char		*ds_endpoints[DCONF_MAX_ENDPOINTS];
	int		 ds_nendpoints;
	char		*ds_ca_file;
	char		*ds_cert_file;
	char		*ds_key_file;
	char		*secrets_dir;
	char		*ctl_socket;
	char		*router_id;		/* "", "hash" or dotted quad */
	int		 kernel_install;
	uint32_t	 kernel_table;
	uint32_t	 kernel_protocol;
	char		*user;
	char		*metrics_listen;	/* NULL: no metrics */
	uint32_t	 migration_wait;	/* seconds, make-before-break */
	char		*log_severity;		/* NULL: not set */
};

/* dconf.c */
void	 dconf_defaults(struct dconf *);
int	 dconf_load(const char *, struct dconf *, char *, size_t);
int	 dconf_parse(const char *, size_t, const char *, struct dconf *,
	    char *, size_t);
void	 dconf_free(struct dconf *);

#endif
