#ifndef WHARF_SYS_H
#define WHARF_SYS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// pipe2(2) with O_CLOEXEC: Swift's Glibc module hides it behind _GNU_SOURCE.
int wharf_pipe_cloexec(int fds[2]);

/// A non-blocking, close-on-exec signalfd for the signals in `signals` (a 0-terminated list),
/// which are blocked first so they are only ever delivered through it. -1 with errno on failure.
int wharf_signalfd(const int *signals);

/// Reads one signal from a signalfd: its number, 0 when none is pending, -1 with errno on error.
int wharf_signalfd_read(int fd);

/// Closes every descriptor from `first` up (close_range(2)).
int wharf_close_from(unsigned first);

/// Makes the caller the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so processes
/// left by health checks are reaped by the task's supervisor, not by the host's init.
int wharf_set_child_subreaper(void);

#ifdef __cplusplus
}
#endif

#endif /* WHARF_SYS_H */
