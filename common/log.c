/*
 * Logging: to stderr in the foreground (-d), to syslog otherwise.
 * Every line carries the process role so that a log shared by the parent
 * and its children still says who spoke.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int	 log_to_stderr = 1;
static int	 log_verbose;
static int	 log_level = LOG_LVL_INFO;	/* log_setlevel() */
static const char *log_proc = "tortie";

static void	 vlog(int, const char *, va_list)
		    __attribute__((__format__(printf, 2, 0)));
static void	 log_emit(int, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	 vlog_errno(int, int, const char *, va_list)
		    __attribute__((__format__(printf, 3, 0)));

void
log_init(int to_stderr, int verbose)
{
	log_to_stderr = to_stderr;
	log_verbose = verbose;
	if (!to_stderr)
		openlog("tortied", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_procname(const char *name)
{
	log_proc = name;
}

const char *
log_getprocname(void)
{
	return log_proc;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

/*
 * The configured severity (LOG_LVL_*): LOG_LVL_WARN hides info messages,
 * LOG_LVL_DEBUG shows debug ones.  -v (log_setverbose) only adds to it.
 */
void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getverbose(void)
{
	return log_verbose;
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 buf[1024];
	int	 saved = errno;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_to_stderr) {
		struct timespec	 ts;
		struct tm	 tm;
		char		 tbuf[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s[%d]: %s\n", tbuf,
		    ts.tv_nsec / 1000000, log_proc, (int)getpid(), buf);
		fflush(stderr);
	} else
		syslog(pri, "%s: %s", log_proc, buf);
	errno = saved;
}

static void
log_emit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

static void
vlog_errno(int pri, int err, const char *fmt, va_list ap)
{
	char	 buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (err)
		log_emit(pri, "%s: %s", buf, strerror(err));
	else
		log_emit(pri, "%s", buf);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 err = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, err, fmt, ap);
	va_end(ap);
	errno = err;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LVL_INFO && log_verbose < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < LOG_LVL_DEBUG && log_level < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 err = errno;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_emit(LOG_CRIT, "fatal in %s: %s: %s", log_proc, buf,
	    strerror(err));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_emit(LOG_CRIT, "fatal in %s: %s", log_proc, buf);
	exit(1);
}
