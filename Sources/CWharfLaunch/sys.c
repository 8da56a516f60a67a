// Thin wrappers for Linux calls that Swift's Glibc module does not expose without _GNU_SOURCE.
#include "wharf_sys.h"
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3 /* <sys/wait.h> before glibc 2.36 */
#endif

int wharf_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int wharf_signalfd(const int *signals) {
    sigset_t mask;
    sigemptyset(&mask);
    for (const int *signal = signals; *signal != 0; signal++) sigaddset(&mask, *signal);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0) return -1;
    return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

int wharf_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t count = read(fd, &info, sizeof info);
    if (count == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (count < 0 && errno == EAGAIN) return 0;
    return -1;
}

int wharf_close_from(unsigned first) { return (int)syscall(SYS_close_range, first, ~0U, 0); }

int wharf_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

_Static_assert(WHARF_CLONE_NEWNET == CLONE_NEWNET, "WHARF_CLONE_NEWNET must equal CLONE_NEWNET");

int wharf_setns(int fd, int nstype) { return setns(fd, nstype); }

int wharf_unshare(int flags) { return unshare(flags); }

int wharf_filesystem_type(const char *path, long *type) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    *type = (long)info.f_type;
    return 0;
}

int wharf_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) {
    return fsetxattr(fd, name, value, size, flags);
}

ssize_t wharf_fgetxattr(int fd, const char *name, void *value, size_t size) {
    return fgetxattr(fd, name, value, size);
}

int wharf_mount_id(int dirfd, const char *name, unsigned long long *id)
{
    struct statx info;
    int flags = AT_SYMLINK_NOFOLLOW | (name[0] == '\0' ? AT_EMPTY_PATH : 0);
    if (statx(dirfd, name, flags, STATX_MNT_ID, &info) != 0)
        return -1;
    if (!(info.stx_mask & STATX_MNT_ID)) {
        errno = ENOTSUP;
        return -1;
    }
    *id = info.stx_mnt_id;
    return 0;
}

_Static_assert(WHARF_POSIX_SPAWN_SETSID == POSIX_SPAWN_SETSID, "WHARF_POSIX_SPAWN_SETSID must equal POSIX_SPAWN_SETSID");

/* From <linux/mount.h>, which conflicts with <sys/mount.h> on glibc 2.36. */
#define WHARF_FSPICK_CLOEXEC 0x00000001
#define WHARF_FSPICK_NO_AUTOMOUNT 0x00000004
#define WHARF_FSCONFIG_SET_FLAG 0
#define WHARF_FSCONFIG_CMD_RECONFIGURE 7

int wharf_fspick(const char *path)
{
    return (int)syscall(SYS_fspick, AT_FDCWD, path, WHARF_FSPICK_CLOEXEC | WHARF_FSPICK_NO_AUTOMOUNT);
}

int wharf_fsconfig_set_flag(int fd, const char *key)
{
    return (int)syscall(SYS_fsconfig, fd, WHARF_FSCONFIG_SET_FLAG, key, NULL, 0);
}

int wharf_fsconfig_reconfigure(int fd)
{
    return (int)syscall(SYS_fsconfig, fd, WHARF_FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0);
}

int wharf_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int wharf_reap_pidfd(int pidfd)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) != 0)
        return -1;
    return info.si_pid != 0 ? 1 : 0;
}

int wharf_memfd(const char *name) { return (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */); }

int wharf_seqpacket_pair(int fds[2]) { return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds); }

int wharf_send_with_fd(int socket, const void *bytes, size_t length, int fd)
{
    return wl_send_fds(socket, bytes, length, &fd, fd >= 0 ? 1 : 0);
}

ssize_t wharf_receive_with_fd(int socket, void *bytes, size_t length, int *fd)
{
    size_t count;
    *fd = -1;
    ssize_t received = wl_receive_fds(socket, bytes, length, fd, 1, &count);
    if (received >= 0 && count == 0)
        *fd = -1;
    return received;
}
