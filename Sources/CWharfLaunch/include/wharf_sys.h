#ifndef WHARF_SYS_H
#define WHARF_SYS_H

#include <stddef.h>
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

/// The id of the mount that `name` (relative to the open directory `dirfd`; "" for `dirfd`
/// itself) lies on, without following a final symlink: statx(STATX_MNT_ID). Two paths on the same
/// file system can sit on different mounts (a bind mount), which st_dev cannot tell apart.
/// 0 on success, -1 with errno.
int wharf_mount_id(int dirfd, const char *name, unsigned long long *id);

/// Makes the caller the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so processes
/// left by health checks are reaped by the task's supervisor, not by the host's init.
int wharf_set_child_subreaper(void);

/// CLONE_NEWNET from <sched.h>, which declares it only under _GNU_SOURCE; sys.c checks at
/// compile time that the two agree.
#define WHARF_CLONE_NEWNET 0x40000000

/// setns(2): moves the calling thread into the namespace `fd` refers to. Exists because
/// <sched.h> declares setns only under _GNU_SOURCE, which Swift's Glibc module does not define.
int wharf_setns(int fd, int nstype);

/// unshare(2): gives the calling thread new namespaces of the kinds in `flags`. Exists because
/// <sched.h> declares unshare only under _GNU_SOURCE, which Swift's Glibc module does not define.
int wharf_unshare(int flags);

/// statfs(2)'s `f_type` of the filesystem `path` lies on (<sys/vfs.h> is not in Swift's Glibc
/// module); -1 with errno on failure.
int wharf_filesystem_type(const char *path, long *type);

/// fsetxattr(2): sets extended attribute `name` on the open file `fd`. Exists because Swift's
/// Glibc module does not export <sys/xattr.h>.
int wharf_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags);

/// fgetxattr(2): reads extended attribute `name` of the open file `fd` into `value`; the
/// attribute's length, or -1 with errno. Exists because Swift's Glibc module does not export
/// <sys/xattr.h>.
ssize_t wharf_fgetxattr(int fd, const char *name, void *value, size_t size);

/// A close-on-exec anonymous memory file (memfd_create): content handed to another process
/// without a file on disk. The descriptor, or -1 with errno.
int wharf_memfd(const char *name);

/// A connected pair of close-on-exec AF_UNIX SOCK_SEQPACKET sockets (one message per send,
/// and EOF when the other end is closed). 0 or -1 with errno.
int wharf_seqpacket_pair(int fds[2]);

/// Sends `length` bytes on `socket` as one message, with descriptor `fd` attached
/// (SCM_RIGHTS) unless it is -1. 0 or -1 with errno.
int wharf_send_with_fd(int socket, const void *bytes, size_t length, int fd);

/// Receives one message of at most `length` bytes from `socket`; `*fd` becomes the attached
/// descriptor (close-on-exec) or -1. The message's length (0 at EOF) or -1 with errno.
ssize_t wharf_receive_with_fd(int socket, void *bytes, size_t length, int *fd);

/// POSIX_SPAWN_SETSID from <spawn.h>, declared only under _GNU_SOURCE: the spawned process
/// starts a session of its own. sys.c checks at compile time that the two agree.
#define WHARF_POSIX_SPAWN_SETSID 0x80

/// fspick(2): a close-on-exec filesystem context for reconfiguring the superblock mounted at
/// `path` (no automount). The context's descriptor or -1 with errno (ENOSYS before Linux 5.2).
int wharf_fspick(const char *path);

/// fsconfig(2) with FSCONFIG_SET_FLAG: sets flag parameter `key` on context `fd`. 0 or -1 with
/// errno (EINVAL for a parameter the filesystem does not know).
int wharf_fsconfig_set_flag(int fd, const char *key);

/// fsconfig(2) with FSCONFIG_CMD_RECONFIGURE: applies context `fd`'s parameters to its
/// superblock. 0 or -1 with errno.
int wharf_fsconfig_reconfigure(int fd);

/// pidfd_open(2): a close-on-exec descriptor that becomes readable when process `pid` exits.
/// -1 with errno on failure.
int wharf_pidfd_open(pid_t pid);

/// Reaps the exited child that `pidfd` refers to: waitid(P_PIDFD, WEXITED | WNOHANG).
/// 1 when it was reaped, 0 when it has not exited yet, -1 with errno on failure.
int wharf_reap_pidfd(int pidfd);

#ifdef __cplusplus
}
#endif

#endif /* WHARF_SYS_H */
