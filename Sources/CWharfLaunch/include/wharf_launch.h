/*
 * CWharfLaunch: the container launch path of Wharf.
 *
 * This is the only code that runs between clone() and execve(). No Swift runtime runs in the
 * child: everything that needs an allocation (option strings, validation) happens in the caller
 * before clone(), and the child only makes async-signal-safe calls, most of them raw syscalls.
 * Linux only.
 */
#ifndef WHARF_LAUNCH_H
#define WHARF_LAUNCH_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A volume mounted into the container.
struct wharf_mount {
    const char *source;   /* host path for a bind mount, or the device/source name for fstype */
    const char *target;   /* absolute path inside the container; '..' components are refused */
    const char *fstype;   /* NULL = recursive bind mount of source */
    unsigned long flags;  /* MS_RDONLY, MS_NOSUID, ... (for binds applied with a bind remount) */
    const char *data;     /* mount data for fstype, NULL for none */
};

/// One resource limit (RLIMIT_NOFILE etc).
struct wharf_rlimit {
    int resource;
    unsigned long long soft, hard;
};

/// Everything needed to start one container.
struct wharf_launch_spec {
    int netns_fd;                  /* join this network namespace (an nsfs descriptor), -1 = stay in the caller's;
                                    * 0 is refused, so a zero-initialised spec cannot join stdin by accident */
    const char *hostname;          /* NULL = leave */
    const char *rootfs;            /* empty directory to mount the root filesystem on (host path) */
    const char *overlay_lower;     /* overlayfs lowerdir value "top:...:bottom"; a single dir with NULL upper = bind mount it */
    const char *overlay_upper;     /* NULL = no writable layer */
    const char *overlay_work;
    int readonly_rootfs;
    const struct wharf_mount *mounts; size_t n_mounts;  /* volumes, mounted after /proc,/dev, before pivot_root */
    const char *const *cgroup_procs; size_t n_cgroup_procs; /* cgroup.procs files to write "0" to */
    const char *const *argv;       /* argv[0] searched in PATH from envp when it has no '/' */
    const char *const *envp;
    const char *cwd;               /* NULL = "/" */
    unsigned uid, gid; const unsigned *groups; size_t n_groups;
    unsigned long long capabilities; /* bitmask (1ULL<<CAP_X) of capabilities to keep */
    const struct wharf_rlimit *rlimits; size_t n_rlimits;
    int no_new_privs;
    int init_process;              /* PID 1 is a tiny init that forks the real process (PID 2) */
    int stdout_fd, stderr_fd;      /* become fds 1 and 2 in the container (-1 = /dev/null) */
};

/// Starts a container: clones a process in new PID, mount, UTS and IPC namespaces (joining
/// `spec->netns_fd` unless -1), sets up its root filesystem, identity and stdio, and execs `spec->argv`.
///
/// Blocks until the container process has exec'd, then returns its pid as seen from the caller.
/// The process is a direct child of the caller (SIGCHLD on exit) and must be reaped by the caller;
/// its exit status is the container's. With `init_process` the returned pid is the tiny init,
/// which exits with the program's exit code (or 128+signal).
///
/// On failure returns -1, writes "step: call: strerror" into `errbuf` (e.g.
/// "mount /proc: mount: Permission denied") and the errno to `*err`; any child has been reaped.
/// Must be called as root (real CAP_SYS_ADMIN in the caller's user namespace).
pid_t wharf_launch(const struct wharf_launch_spec *spec, char *errbuf, size_t errlen, int *err);

/// A container prepared ahead of its start by `wharf_prepare`.
struct wharf_prepared {
    pid_t pid;      /* the container's process, a direct child of the caller; -1 once started or abandoned */
    int control_fd; /* the caller's end of the socket its start message goes over */
    int error_fd;   /* the read end of its error pipe */
};

/// Prepares a container without starting it: clones its process as `wharf_launch` does, which
/// mounts the root filesystem, /proc, /dev and the volumes, pivots into the root and masks
/// /proc's paths, then waits for `wharf_start_prepared`. Cgroups, network namespace, host name,
/// /sys and stdio come with the start (the spec's `cgroup_procs`, `netns_fd`, `hostname`,
/// `stdout_fd` and `stderr_fd` are not used), so the cgroups need not exist yet. Returns 0 at once, without waiting for the preparation: a failure
/// in it is reported by `wharf_start_prepared`. -1 + `errbuf`/`*err` if the process could not be
/// made. A prepared container must be started or abandoned (`wharf_abandon_prepared`).
int wharf_prepare(const struct wharf_launch_spec *spec, struct wharf_prepared *prepared, char *errbuf,
                  size_t errlen, int *err);

/// Starts a prepared container: moves its process into the cgroups whose cgroup.procs files are
/// named (it may still be preparing), hands it the network namespace to join (-1 = stay in the
/// caller's), its host name (NULL = leave) and its stdout and stderr (-1 = /dev/null), and returns
/// its pid once it has exec'd, as `wharf_launch` does. On failure (also one of the preparation)
/// returns -1 + `errbuf`/`*err`, and the process has been reaped. Either way `prepared` is used up.
pid_t wharf_start_prepared(struct wharf_prepared *prepared, int netns_fd, const char *hostname, int stdout_fd,
                           int stderr_fd, const char *const *cgroup_procs, size_t n_cgroup_procs, char *errbuf,
                           size_t errlen, int *err);

/// Gives up a prepared container that will not start: kills and reaps its process (its mounts go
/// with its mount namespace) and closes its descriptors. Does nothing for one already used up.
void wharf_abandon_prepared(struct wharf_prepared *prepared);

/// Runs `argv` inside the ipc, uts, net, pid and mount namespaces and the given cgroups of the
/// running container whose PID 1 is `target` (a host pid), as `uid`/`gid` with no supplementary
/// groups and no_new_privs. For uid 0 the command gets the container's capability bounding set
/// as its capabilities; any other uid gets none. stdin is /dev/null; stdout/stderr go to the
/// given fds (-1 = /dev/null); `cwd` NULL = "/". `argv[0]` is searched in PATH from `envp`.
///
/// Returns, once the command has exec'd, the pid of a direct child of the caller whose exit
/// status is the command's (exit code, or 128+signal). Signals sent to that pid are forwarded to
/// the command, and SIGKILLing it kills the command too. -1 + `errbuf`/`*err` on failure.
pid_t wharf_exec_in(pid_t target, const char *const *argv, const char *const *envp, const char *cwd,
                    unsigned uid, unsigned gid, const char *const *cgroup_procs, size_t n_cgroup_procs,
                    int stdout_fd, int stderr_fd, char *errbuf, size_t errlen, int *err);

/// Docker's default capability set: CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID,
/// SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE (as 1ULL<<CAP_X bits).
unsigned long long wharf_default_capabilities(void);

/// The number of a capability given as "CAP_NET_ADMIN" or "NET_ADMIN" (case-insensitive),
/// or -1 if the name is unknown.
int wharf_capability_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* WHARF_LAUNCH_H */
