/*
 * Internal helpers shared by the launch path. Everything here that runs in a cloned child is
 * async-signal-safe: no malloc, no stdio, no locks, and raw syscalls where glibc would consult
 * state inherited from the (multi-threaded) parent.
 */
#ifndef WHARF_LAUNCH_INTERNAL_H
#define WHARF_LAUNCH_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>
#include "wharf_launch.h"

#define WL_STEP_MAX 400
#define WL_CALL_MAX 48
#define WL_HOSTNAME_MAX 64 /* HOST_NAME_MAX */

/* What a failed child sends to the caller through the CLOEXEC pipe (one write, < PIPE_BUF so atomic).
 * The caller formats it as "step: call: strerror(err)"; strerror itself is not async-signal-safe. */
struct wl_error {
    int err;
    char step[WL_STEP_MAX];
    char call[WL_CALL_MAX];
};

/* --- strings (child-safe) --- */
size_t wl_append(char *buf, size_t cap, size_t len, const char *s);
void wl_fd_path(char out[32], int fd); /* "/proc/self/fd/N" */

/* Records errno (or `err` for wl_fail_err) with "step[ arg]" and call; returns -1 for `return wl_fail(...)`. */
int wl_fail(struct wl_error *e, const char *step, const char *arg, const char *call);
int wl_fail_err(struct wl_error *e, int err, const char *step, const char *arg, const char *call);
_Noreturn void wl_report_and_exit(int errfd, const struct wl_error *e);

/* --- processes, fds and signals (child-safe) --- */
pid_t wl_raw_fork(void);
int wl_move_high(int fd);                /* CLOEXEC duplicate >= 3 (fd < 0 passes through) */
void wl_close_fd(int fd);
void wl_cloexec_from(int lowfd);         /* mark every fd >= lowfd close-on-exec */
void wl_reset_signal_handlers(void);
/* First thing in a freshly cloned child: moves the error pipe, /dev/null and the stdout/stderr
 * fds to >= 3 (the caller may have had 0-2 closed, and a later dup2 onto 0-2 must not clobber
 * one of them), then resets signal handlers. A failed move leaves that fd < 0 for the caller
 * to report. Returns the fd to report errors on (the moved error pipe, or the original). */
int wl_child_prepare(int *errfd, int *nullfd, int *outfd, int *errout);
void wl_unblock_signals(void);
/* One SEQPACKET message with up to `count` descriptors (SCM_RIGHTS). 0, or -1 with errno. */
int wl_send_fds(int socket, const void *bytes, size_t length, const int *fds, size_t count);
/* Receives one such message; up to `capacity` descriptors (close-on-exec) go to `fds` and their
 * number to *count. Returns the byte count (0 at end of file), or -1 with errno. */
ssize_t wl_receive_fds(int socket, void *bytes, size_t length, int *fds, size_t capacity, size_t *count);
int wl_join_cgroups(struct wl_error *e, const char *const *procs, size_t n);
int wl_setup_stdio(struct wl_error *e, int nullfd, int outfd, int errfd);
int wl_exec(const char *const *argv, const char *const *envp); /* returns errno */
int wl_status_code(int status);          /* exit code, or 128+signal */
_Noreturn void wl_supervise(pid_t child); /* init.c: forward signals, reap, exit with child's code */

/* --- identity (child-safe), caps.c --- */
struct wl_identity {
    unsigned uid, gid;
    const unsigned *groups;
    size_t n_groups;
    unsigned long long caps; /* kept in the bounding set; E=P=I for uid 0 */
    int last_cap;
};
int wl_apply_identity(struct wl_error *e, const struct wl_identity *id);
int wl_cap_last(void); /* caller side: /proc/sys/kernel/cap_last_cap */

/* --- container filesystem (child-safe), mounts.c --- */
struct wl_fs_plan {
    const char *rootfs;          /* host path */
    const char *overlay_opts;    /* NULL = bind mount bind_source */
    const char *bind_source;
    int readonly_rootfs;
    const struct wharf_mount *mounts;
    size_t n_mounts;
    const char *cwd;             /* working directory, created if missing (NULL = none) */
};
/* What the masking of /proc leaves for the masking of /sys: the directory that got the shared
 * empty tmpfs (NULL while none has). Lives on the child's stack. */
struct wl_mask_state {
    const char *empty;
};
/* The root filesystem, /proc, /dev, /sys unless `with_sys` is 0 (then only its mount point),
 * volumes, the working directory, pivot_root and the masked paths (/sys's only with /sys). */
int wl_setup_rootfs(struct wl_error *e, const struct wl_fs_plan *plan, int with_sys, struct wl_mask_state *mask);
/* /sys (read-only) and its masked paths, after wl_setup_rootfs without /sys, once the process is in
 * the container's network namespace (sysfs shows the mounting process's). */
int wl_setup_sys(struct wl_error *e, struct wl_mask_state *mask);
/* Closes every descriptor >= 3 but the `n` in `keep` (which it sorts). */
void wl_close_all_but(int *keep, size_t n);

/* --- caller side helpers (may allocate), util.c --- */
pid_t wl_clone(int (*fn)(void *), void *arg, int flags);
pid_t wl_await_exec(int readfd, pid_t pid, char *errbuf, size_t errlen, int *err);
void wl_set_error(char *errbuf, size_t errlen, int *err, int code, const char *step, const char *call);

#endif
