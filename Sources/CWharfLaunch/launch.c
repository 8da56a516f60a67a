/* wharf_launch: the caller-side preparation and the cloned child's setup sequence. */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything the child needs, prepared (and allocated) by the caller before clone(). */
struct launch_ctx {
    const struct wharf_launch_spec *spec;
    struct wl_fs_plan fs;
    struct wl_identity id;
    int errfd, nullfd, outfd, errout;
    int control; /* a prepared container's end of the start socket; -1 for wharf_launch */
};

/* What a prepared container is sent to go on (wharf_start_prepared), with the descriptors it
 * names attached in this order: network namespace, stdout, stderr. */
struct wl_start_message {
    int has_netns, has_stdout, has_stderr;
    char hostname[WL_HOSTNAME_MAX + 1]; /* "" = leave */
};

static int join_netns(struct wl_error *e, int fd)
{
    return setns(fd, CLONE_NEWNET) < 0 ? wl_fail(e, "join network namespace", NULL, "setns") : 0;
}

static int set_rlimits(struct wl_error *e, const struct wharf_launch_spec *s)
{
    for (size_t i = 0; i < s->n_rlimits; i++) {
        struct rlimit rl = {.rlim_cur = s->rlimits[i].soft, .rlim_max = s->rlimits[i].hard};
        if (setrlimit(s->rlimits[i].resource, &rl) < 0)
            return wl_fail(e, "rlimits", NULL, "setrlimit");
    }
    return 0;
}

/* Common tail of both modes: the process that will become the container's program. */
static int exec_program(struct launch_ctx *c, struct wl_error *e)
{
    wl_unblock_signals();
    int err = wl_exec(c->spec->argv, c->spec->envp);
    return wl_fail_err(e, err, "exec", c->spec->argv[0], "execve");
}

static int run_init(struct launch_ctx *c, struct wl_error *e)
{
    pid_t child = wl_raw_fork();
    if (child < 0)
        return wl_fail(e, "init", NULL, "fork");
    if (child == 0)
        return exec_program(c, e);
    /* Init keeps no fds: not the error pipe (so the caller sees EOF when the program execs), not
     * the container's stdout/stderr (so readers see EOF when the program and its children are done). */
    dup2(0, 1);
    dup2(0, 2);
    if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
    wl_supervise(child);
}

/* The network namespace (-1 = stay) and the host name (NULL = leave). */
static int join_network_and_name(struct wl_error *e, int netns_fd, const char *hostname)
{
    if (netns_fd >= 0 && join_netns(e, netns_fd) < 0)
        return -1;
    if (hostname && sethostname(hostname, strlen(hostname)) < 0)
        return wl_fail(e, "set hostname", hostname, "sethostname");
    return 0;
}

/* The tail of both modes, once the root filesystem is in place: limits, identity, stdio, exec. */
static int exec_container(struct launch_ctx *c, struct wl_error *e)
{
    const struct wharf_launch_spec *s = c->spec;
    if (set_rlimits(e, s) < 0)
        return -1;
    if (wl_apply_identity(e, &c->id) < 0)
        return -1;
    if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return wl_fail(e, "no_new_privs", NULL, "prctl");
    const char *cwd = s->cwd ? s->cwd : "/";
    if (chdir(cwd) < 0)
        return wl_fail(e, "chdir", cwd, "chdir");
    if (wl_setup_stdio(e, c->nullfd, c->outfd, c->errout) < 0)
        return -1;
    wl_cloexec_from(3);
    if (s->init_process)
        return run_init(c, e);
    return exec_program(c, e);
}

/* Common start of both children: the descriptors moved above stdio, signal handlers reset.
 * Returns the descriptor to report errors on; *ok is 0 (and `e` says why) if one could not move. */
static int child_begin(struct launch_ctx *c, struct wl_error *e, int *ok)
{
    memset(e, 0, sizeof *e);
    int report_fd = wl_child_prepare(&c->errfd, &c->nullfd, &c->outfd, &c->errout);
    int had_control = c->control >= 0;
    c->control = wl_move_high(c->control);
    umask(022);
    *ok = !(c->errfd < 0 || c->nullfd < 0 || (c->spec->stdout_fd >= 0 && c->outfd < 0) ||
            (c->spec->stderr_fd >= 0 && c->errout < 0) || (had_control && c->control < 0));
    if (!*ok)
        wl_fail(e, "stdio", NULL, "fcntl(F_DUPFD_CLOEXEC)");
    return report_fd;
}

static int launch_child(void *arg)
{
    /* A copy: with CLONE_VM the caller's context is shared memory, and the fd numbers below
     * change in the child only. */
    struct launch_ctx local = *(struct launch_ctx *)arg;
    struct launch_ctx *c = &local;
    struct wl_error e;
    struct wl_mask_state mask = {NULL};
    int ok;
    int report_fd = child_begin(c, &e, &ok);
    const struct wharf_launch_spec *s = c->spec;
    if (ok && wl_join_cgroups(&e, s->cgroup_procs, s->n_cgroup_procs) == 0 &&
        join_network_and_name(&e, s->netns_fd, s->hostname) == 0 && wl_setup_rootfs(&e, &c->fs, 1, &mask) == 0)
        exec_container(c, &e);
    wl_report_and_exit(report_fd, &e);
}

/* Waits on the start socket for the start message. 0 with the message's descriptors (moved above
 * stdio) in place; -1 when the socket was closed instead (the container is abandoned); -2, with
 * `e` set, for a message that is not a start message. */
static int await_start(struct wl_error *e, int control, struct wl_start_message *start, int *netns, int *out, int *err)
{
    int fds[3] = {-1, -1, -1};
    size_t expected = 0;
    ssize_t n = wl_receive_fds(control, start, sizeof *start, fds, 3, &expected);
    if (n == 0)
        return -1; /* abandoned: nothing to report */
    if (n != (ssize_t)sizeof *start) {
        wl_fail_err(e, n < 0 ? errno : EPROTO, "wait for the start message", NULL, "recvmsg");
        return -2;
    }
    size_t i = 0;
    *netns = start->has_netns ? fds[i++] : -1;
    *out = start->has_stdout ? wl_move_high(fds[i++]) : -1;
    *err = start->has_stderr ? wl_move_high(fds[i++]) : -1;
    start->hostname[WL_HOSTNAME_MAX] = '\0';
    if (i != expected || (start->has_stdout && *out < 0) || (start->has_stderr && *err < 0)) {
        wl_fail_err(e, EPROTO, "wait for the start message", "descriptors", "recvmsg");
        return -2;
    }
    return 0;
}

/* A prepared container: everything up to pivot_root, then (on its start message, once the caller
 * has moved it into its cgroups) the network namespace, host name, /sys and the rest. */
static int prepared_child(void *arg)
{
    /* Without CLONE_VM this is the child's own copy of the caller's memory: the context stays
     * valid after the caller returns and frees it. */
    struct launch_ctx *c = (struct launch_ctx *)arg;
    struct wl_error e;
    struct wl_mask_state mask = {NULL};
    int ok;
    int report_fd = child_begin(c, &e, &ok);
    /* It lives on past this call: it keeps only its own descriptors, so it holds nothing of the
     * caller's (the supervisor's start socket, other prepared containers' sockets and pipes, and
     * the caller's end of its own socket, whose closing is how it learns it is abandoned). */
    int keep[] = {report_fd, c->nullfd, c->control};
    wl_close_all_but(keep, sizeof keep / sizeof keep[0]);
    if (ok && wl_setup_rootfs(&e, &c->fs, 0, &mask) == 0) {
        struct wl_start_message start;
        int netns = -1;
        int status = await_start(&e, c->control, &start, &netns, &c->outfd, &c->errout);
        if (status == -1)
            _exit(0);
        if (status == 0) {
            close(c->control);
            if (join_network_and_name(&e, netns, start.hostname[0] ? start.hostname : NULL) == 0 &&
                wl_setup_sys(&e, &mask) == 0)
                exec_container(c, &e);
        }
    }
    wl_report_and_exit(report_fd, &e);
}

/* ---------------------------------------------------------------- caller side */

static int has_dotdot(const char *path)
{
    for (const char *p = path; *p; ) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        if (p - start == 2 && start[0] == '.' && start[1] == '.')
            return 1;
    }
    return 0;
}

static const char *validate(const struct wharf_launch_spec *s)
{
    if (!s->argv || !s->argv[0] || !*s->argv[0])
        return "argv is empty";
    if (s->netns_fd == 0)
        return "netns_fd 0 is stdin (use -1 for no namespace)";
    if (!s->rootfs || !*s->rootfs)
        return "rootfs is required";
    if (!s->overlay_lower || !*s->overlay_lower)
        return "overlay_lower is required";
    if (!s->overlay_upper != !s->overlay_work)
        return "overlay_upper and overlay_work go together";
    /* overlayfs splits its options on ','. */
    if (strchr(s->overlay_lower, ',') || (s->overlay_upper && strchr(s->overlay_upper, ',')) ||
        (s->overlay_work && strchr(s->overlay_work, ',')))
        return "overlay paths may not contain ','";
    if (s->n_mounts && !s->mounts)
        return "mounts is NULL";
    for (size_t i = 0; i < s->n_mounts; i++) {
        const struct wharf_mount *m = &s->mounts[i];
        if (!m->target || m->target[0] != '/')
            return "mount target must be an absolute path";
        if (has_dotdot(m->target))
            return "mount target may not contain '..'";
        if (!m->fstype && !m->source)
            return "bind mount needs a source";
    }
    if (s->n_cgroup_procs && !s->cgroup_procs)
        return "cgroup_procs is NULL";
    if (s->n_groups && !s->groups)
        return "groups is NULL";
    if (s->n_rlimits && !s->rlimits)
        return "rlimits is NULL";
    for (size_t i = 0; i < s->n_rlimits; i++)
        if (s->rlimits[i].resource < 0 || s->rlimits[i].resource >= RLIMIT_NLIMITS)
            return "unknown rlimit resource";
    return NULL;
}

/* "lowerdir=...,upperdir=...,workdir=..." or NULL when the rootfs is a plain bind mount. */
static char *overlay_options(const struct wharf_launch_spec *s, int *err)
{
    *err = 0;
    if (!s->overlay_upper && !strchr(s->overlay_lower, ':'))
        return NULL;
    size_t len = strlen("lowerdir=") + strlen(s->overlay_lower) + 1;
    if (s->overlay_upper)
        len += strlen(",upperdir=") + strlen(s->overlay_upper) + strlen(",workdir=") + strlen(s->overlay_work);
    /* Legacy mount(2) data is limited to one page. */
    if (len > (size_t)sysconf(_SC_PAGESIZE)) {
        *err = E2BIG;
        return NULL;
    }
    char *opts = malloc(len);
    if (!opts) {
        *err = ENOMEM;
        return NULL;
    }
    strcpy(opts, "lowerdir=");
    strcat(opts, s->overlay_lower);
    if (s->overlay_upper) {
        strcat(opts, ",upperdir=");
        strcat(opts, s->overlay_upper);
        strcat(opts, ",workdir=");
        strcat(opts, s->overlay_work);
    }
    return opts;
}

/* The caller's half of both modes up to clone(): validation, the overlay options, /dev/null and
 * the error pipe. On failure returns -1 with the error set and nothing left open. */
static int begin_launch(const struct wharf_launch_spec *spec, struct launch_ctx *ctx, char **opts, int pipefd[2],
                        char *errbuf, size_t errlen, int *err)
{
    *opts = NULL;
    pipefd[0] = pipefd[1] = -1;
    if (!spec) {
        wl_set_error(errbuf, errlen, err, EINVAL, "validate", "spec is NULL");
        return -1;
    }
    const char *problem = validate(spec);
    if (problem) {
        wl_set_error(errbuf, errlen, err, EINVAL, "validate", problem);
        return -1;
    }
    int oerr;
    *opts = overlay_options(spec, &oerr);
    if (oerr) {
        wl_set_error(errbuf, errlen, err, oerr, "mount rootfs", "overlay options");
        return -1;
    }
    *ctx = (struct launch_ctx){
        .spec = spec,
        .fs = {
            .rootfs = spec->rootfs, .overlay_opts = *opts, .bind_source = spec->overlay_lower,
            .readonly_rootfs = spec->readonly_rootfs, .mounts = spec->mounts, .n_mounts = spec->n_mounts,
            .cwd = spec->cwd,
        },
        .id = {
            .uid = spec->uid, .gid = spec->gid, .groups = spec->groups, .n_groups = spec->n_groups,
            .caps = spec->capabilities, .last_cap = wl_cap_last(),
        },
        .outfd = spec->stdout_fd, .errout = spec->stderr_fd, .control = -1,
    };
    ctx->nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (ctx->nullfd < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "open(/dev/null)");
        free(*opts);
        *opts = NULL;
        return -1;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "pipe2");
        close(ctx->nullfd);
        free(*opts);
        *opts = NULL;
        return -1;
    }
    ctx->errfd = pipefd[1];
    return 0;
}

static const int namespace_flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;

pid_t wharf_launch(const struct wharf_launch_spec *spec, char *errbuf, size_t errlen, int *err)
{
    struct launch_ctx ctx;
    char *opts;
    int pipefd[2];
    if (begin_launch(spec, &ctx, &opts, pipefd, errbuf, errlen, err) < 0)
        return -1;
    /* Unless a tiny init stays behind as PID 1 (it never execs), the child shares this address
     * space until it execs (CLONE_VM | CLONE_VFORK, as posix_spawn does): no page tables are
     * copied and no copy-on-write faults are taken on the way to exec. The child allocates
     * nothing and changes no memory of the caller's but its own stack and a copy of the context. */
    int flags = namespace_flags;
    if (!spec->init_process)
        flags |= CLONE_VM | CLONE_VFORK;
    pid_t pid = wl_clone(launch_child, &ctx, flags);
    close(pipefd[1]);
    if (pid < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "clone");
        close(pipefd[0]);
    } else {
        pid = wl_await_exec(pipefd[0], pid, errbuf, errlen, err);
    }
    close(ctx.nullfd);
    free(opts);
    return pid;
}

int wharf_prepare(const struct wharf_launch_spec *spec, struct wharf_prepared *prepared, char *errbuf, size_t errlen,
                  int *err)
{
    *prepared = (struct wharf_prepared){.pid = -1, .control_fd = -1, .error_fd = -1};
    struct launch_ctx ctx;
    char *opts;
    int pipefd[2];
    if (begin_launch(spec, &ctx, &opts, pipefd, errbuf, errlen, err) < 0)
        return -1;
    int control[2];
    pid_t pid = -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) < 0) {
        wl_set_error(errbuf, errlen, err, errno, "prepare", "socketpair");
    } else {
        ctx.control = control[1];
        /* No CLONE_VM: the child outlives this call, waiting for its start message on its own
         * copy of this memory (the context and the strings the spec points to). */
        pid = wl_clone(prepared_child, &ctx, namespace_flags);
        if (pid < 0)
            wl_set_error(errbuf, errlen, err, errno, "prepare", "clone");
        close(control[1]);
    }
    close(pipefd[1]);
    close(ctx.nullfd);
    free(opts);
    if (pid < 0) {
        close(pipefd[0]);
        if (ctx.control >= 0)
            close(control[0]);
        return -1;
    }
    *prepared = (struct wharf_prepared){.pid = pid, .control_fd = control[0], .error_fd = pipefd[0]};
    return 0;
}

/* Moves `pid` (all its threads) into each cgroup whose cgroup.procs file is named. 0, or the
 * errno with `step` and *call naming what failed. */
static int move_into_cgroups(pid_t pid, const char *const *procs, size_t n, char *step, size_t steplen, const char **call)
{
    char text[24];
    int length = snprintf(text, sizeof text, "%d", (int)pid);
    for (size_t i = 0; i < n; i++) {
        int fd = open(procs[i], O_WRONLY | O_CLOEXEC);
        ssize_t written = fd < 0 ? -1 : write(fd, text, (size_t)length);
        int saved = errno;
        wl_close_fd(fd);
        if (written != length) {
            snprintf(step, steplen, "join cgroup %s", procs[i]);
            *call = fd < 0 ? "open" : "write";
            return written < 0 ? saved : EIO;
        }
    }
    return 0;
}

/* Gives up a prepared container whose start failed at `step`/`call` (errno `code`): kills and
 * reaps it. One that had already failed while preparing left a report, which says more (and is
 * often why the start failed: a process that is gone joins no cgroup and takes no message), so
 * that is the error the caller gets. Returns -1. */
static pid_t fail_start(struct wharf_prepared *prepared, int code, const char *step, const char *call, char *errbuf,
                        size_t errlen, int *err)
{
    pid_t pid = prepared->pid;
    int readfd = prepared->error_fd;
    kill(pid, SIGKILL);
    wl_close_fd(prepared->control_fd);
    *prepared = (struct wharf_prepared){.pid = -1, .control_fd = -1, .error_fd = -1};
    if (wl_await_exec(readfd, pid, errbuf, errlen, err) < 0)
        return -1; /* its report, and it is reaped */
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    wl_set_error(errbuf, errlen, err, code, step, call);
    return -1;
}

pid_t wharf_start_prepared(struct wharf_prepared *prepared, int netns_fd, const char *hostname, int stdout_fd,
                           int stderr_fd, const char *const *cgroup_procs, size_t n_cgroup_procs, char *errbuf,
                           size_t errlen, int *err)
{
    if (prepared->pid <= 0 || prepared->control_fd < 0 || prepared->error_fd < 0) {
        wl_set_error(errbuf, errlen, err, EINVAL, "start", "not a prepared container");
        return -1;
    }
    if (netns_fd == 0)
        return fail_start(prepared, EINVAL, "validate", "netns_fd 0 is stdin (use -1 for no namespace)", errbuf, errlen,
                          err);
    if (hostname && strlen(hostname) > WL_HOSTNAME_MAX)
        return fail_start(prepared, EINVAL, "set hostname", "longer than 64 bytes", errbuf, errlen, err);
    if (n_cgroup_procs && !cgroup_procs)
        return fail_start(prepared, EINVAL, "validate", "cgroup_procs is NULL", errbuf, errlen, err);
    char step[WL_STEP_MAX];
    const char *call = NULL;
    int code = move_into_cgroups(prepared->pid, cgroup_procs, n_cgroup_procs, step, sizeof step, &call);
    if (code)
        return fail_start(prepared, code, step, call, errbuf, errlen, err);

    struct wl_start_message start;
    memset(&start, 0, sizeof start);
    if (hostname)
        strcpy(start.hostname, hostname);
    int fds[3];
    size_t count = 0;
    if ((start.has_netns = netns_fd >= 0))
        fds[count++] = netns_fd;
    if ((start.has_stdout = stdout_fd >= 0))
        fds[count++] = stdout_fd;
    if ((start.has_stderr = stderr_fd >= 0))
        fds[count++] = stderr_fd;
    if (wl_send_fds(prepared->control_fd, &start, sizeof start, fds, count) != 0)
        return fail_start(prepared, errno, "start the prepared container", "sendmsg", errbuf, errlen, err);
    close(prepared->control_fd);
    pid_t pid = prepared->pid;
    int readfd = prepared->error_fd;
    *prepared = (struct wharf_prepared){.pid = -1, .control_fd = -1, .error_fd = -1};
    return wl_await_exec(readfd, pid, errbuf, errlen, err);
}

void wharf_abandon_prepared(struct wharf_prepared *prepared)
{
    wl_close_fd(prepared->control_fd);
    wl_close_fd(prepared->error_fd);
    if (prepared->pid > 0) {
        /* Closing the socket alone would let it finish mounting first; nothing of it is wanted. */
        kill(prepared->pid, SIGKILL);
        int status;
        while (waitpid(prepared->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    *prepared = (struct wharf_prepared){.pid = -1, .control_fd = -1, .error_fd = -1};
}
