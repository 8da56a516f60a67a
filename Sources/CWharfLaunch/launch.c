/* wharf_launch: the caller-side preparation and the cloned child's setup sequence. */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Everything the child needs, prepared (and allocated) by the caller before clone(). */
struct launch_ctx {
    const struct wharf_launch_spec *spec;
    struct wl_fs_plan fs;
    struct wl_identity id;
    int errfd, nullfd, outfd, errout;
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

static int setup_container(struct launch_ctx *c, struct wl_error *e)
{
    const struct wharf_launch_spec *s = c->spec;

    if (wl_join_cgroups(e, s->cgroup_procs, s->n_cgroup_procs) < 0)
        return -1;
    if (s->netns_fd >= 0 && join_netns(e, s->netns_fd) < 0)
        return -1;
    if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
        return wl_fail(e, "set hostname", s->hostname, "sethostname");
    if (wl_setup_rootfs(e, &c->fs) < 0)
        return -1;
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

static int launch_child(void *arg)
{
    /* A copy: with CLONE_VM the caller's context is shared memory, and the fd numbers below
     * change in the child only. */
    struct launch_ctx local = *(struct launch_ctx *)arg;
    struct launch_ctx *c = &local;
    struct wl_error e;
    memset(&e, 0, sizeof e);
    int report_fd = wl_child_prepare(&c->errfd, &c->nullfd, &c->outfd, &c->errout);
    umask(022);
    if (c->errfd < 0 || c->nullfd < 0 || (c->spec->stdout_fd >= 0 && c->outfd < 0) ||
        (c->spec->stderr_fd >= 0 && c->errout < 0))
        wl_fail(&e, "stdio", NULL, "fcntl(F_DUPFD_CLOEXEC)");
    else
        setup_container(c, &e);
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

pid_t wharf_launch(const struct wharf_launch_spec *spec, char *errbuf, size_t errlen, int *err)
{
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
    char *opts = overlay_options(spec, &oerr);
    if (oerr) {
        wl_set_error(errbuf, errlen, err, oerr, "mount rootfs", "overlay options");
        return -1;
    }

    struct launch_ctx ctx = {
        .spec = spec,
        .fs = {
            .rootfs = spec->rootfs, .overlay_opts = opts, .bind_source = spec->overlay_lower,
            .readonly_rootfs = spec->readonly_rootfs, .mounts = spec->mounts, .n_mounts = spec->n_mounts,
            .cwd = spec->cwd,
        },
        .id = {
            .uid = spec->uid, .gid = spec->gid, .groups = spec->groups, .n_groups = spec->n_groups,
            .caps = spec->capabilities, .last_cap = wl_cap_last(),
        },
        .outfd = spec->stdout_fd, .errout = spec->stderr_fd,
    };
    pid_t pid = -1;
    int pipefd[2] = {-1, -1};
    ctx.nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (ctx.nullfd < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "open(/dev/null)");
        goto out;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "pipe2");
        goto out;
    }
    ctx.errfd = pipefd[1];

    /* Unless a tiny init stays behind as PID 1 (it never execs), the child shares this address
     * space until it execs (CLONE_VM | CLONE_VFORK, as posix_spawn does): no page tables are
     * copied and no copy-on-write faults are taken on the way to exec. The child allocates
     * nothing and changes no memory of the caller's but its own stack and a copy of the context. */
    int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (!spec->init_process)
        flags |= CLONE_VM | CLONE_VFORK;
    pid = wl_clone(launch_child, &ctx, flags);
    if (pid < 0) {
        wl_set_error(errbuf, errlen, err, errno, "launch", "clone");
        close(pipefd[0]);
        goto out;
    }
    close(pipefd[1]);
    pipefd[1] = -1;
    pid = wl_await_exec(pipefd[0], pid, errbuf, errlen, err);
out:
    wl_close_fd(pipefd[1]);
    wl_close_fd(ctx.nullfd);
    free(opts);
    return pid;
}
