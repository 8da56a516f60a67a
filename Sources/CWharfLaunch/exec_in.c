/* wharf_exec_in: run a command inside a running container (health checks, exec). */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* setns order: the mount namespace last, since it changes what paths mean. */
static const struct { const char *name; int type; } ns_list[] = {
    {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET}, {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},
};
#define NS_COUNT (sizeof ns_list / sizeof ns_list[0])

struct exec_ctx {
    const char *const *argv, *const *envp;
    const char *cwd;
    const char *const *cgroup_procs;
    size_t n_cgroup_procs;
    struct wl_identity id;
    int nsfd[NS_COUNT];
    int errfd, nullfd, outfd, errout;
};

/* The grandchild: already in the container's namespaces (and its PID namespace, as a child). */
static int exec_command(struct exec_ctx *c, struct wl_error *e)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        return wl_fail(e, "exec_in", NULL, "prctl(PR_SET_PDEATHSIG)");
    /* Our parent lives outside the container's PID namespace, so getppid() is 0 while it is alive;
     * non-zero means it already died and we were reparented to the container's init. */
    if (getppid() != 0)
        _exit(137);
    if (wl_apply_identity(e, &c->id) < 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return wl_fail(e, "no_new_privs", NULL, "prctl");
    const char *cwd = c->cwd ? c->cwd : "/";
    if (chdir(cwd) < 0)
        return wl_fail(e, "chdir", cwd, "chdir");
    if (wl_setup_stdio(e, c->nullfd, c->outfd, c->errout) < 0)
        return -1;
    wl_cloexec_from(3);
    wl_unblock_signals();
    int err = wl_exec(c->argv, c->envp);
    return wl_fail_err(e, err, "exec", c->argv[0], "execve");
}

static int enter_and_run(struct exec_ctx *c, struct wl_error *e)
{
    if (wl_join_cgroups(e, c->cgroup_procs, c->n_cgroup_procs) < 0)
        return -1;
    for (size_t i = 0; i < NS_COUNT; i++)
        if (setns(c->nsfd[i], ns_list[i].type) < 0)
            return wl_fail(e, "enter namespace", ns_list[i].name, "setns");
    pid_t child = wl_raw_fork();
    if (child < 0)
        return wl_fail(e, "exec_in", NULL, "fork");
    if (child == 0)
        return exec_command(c, e);
    /* The supervisor keeps nothing open (so the caller sees EOF once the command execs). */
    if (syscall(SYS_close_range, 0U, ~0U, 0U) < 0)
        for (int fd = 0; fd < 1024; fd++)
            close(fd);
    wl_supervise(child);
}

static int exec_in_child(void *arg)
{
    struct exec_ctx *c = arg;
    struct wl_error e;
    memset(&e, 0, sizeof e);
    int report_fd = wl_child_prepare(&c->errfd, &c->nullfd, &c->outfd, &c->errout);
    if (c->errfd < 0 || c->nullfd < 0)
        wl_fail(&e, "stdio", NULL, "fcntl(F_DUPFD_CLOEXEC)");
    else
        enter_and_run(c, &e);
    wl_report_and_exit(report_fd, &e);
}

/* The target's capability bounding set, from /proc/<pid>/status ("CapBnd:\t000001ffffffffff"). */
static int read_bounding_set(pid_t target, unsigned long long *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)target);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char line[256];
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "CapBnd: %llx", out) == 1) {
            found = 1;
            break;
        }
    fclose(f);
    if (!found)
        errno = ENOENT;
    return found ? 0 : -1;
}

pid_t wharf_exec_in(pid_t target, const char *const *argv, const char *const *envp, const char *cwd,
                    unsigned uid, unsigned gid, const char *const *cgroup_procs, size_t n_cgroup_procs,
                    int stdout_fd, int stderr_fd, char *errbuf, size_t errlen, int *err)
{
    if (target <= 0 || !argv || !argv[0] || !*argv[0] || (n_cgroup_procs && !cgroup_procs)) {
        wl_set_error(errbuf, errlen, err, EINVAL, "validate", "target and argv are required");
        return -1;
    }
    struct exec_ctx ctx = {
        .argv = argv, .envp = envp, .cwd = cwd,
        .cgroup_procs = cgroup_procs, .n_cgroup_procs = n_cgroup_procs,
        .id = {.uid = uid, .gid = gid, .last_cap = wl_cap_last()},
        .errfd = -1, .nullfd = -1, .outfd = stdout_fd, .errout = stderr_fd,
    };
    for (size_t i = 0; i < NS_COUNT; i++)
        ctx.nsfd[i] = -1;
    pid_t pid = -1;
    int readfd = -1;
    char path[64];

    if (read_bounding_set(target, &ctx.id.caps) < 0) {
        snprintf(path, sizeof path, "/proc/%d/status", (int)target);
        wl_set_error(errbuf, errlen, err, errno, "read capabilities", path);
        goto out;
    }
    for (size_t i = 0; i < NS_COUNT; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)target, ns_list[i].name);
        ctx.nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (ctx.nsfd[i] < 0) {
            wl_set_error(errbuf, errlen, err, errno, "open namespace", path);
            goto out;
        }
    }
    ctx.nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (ctx.nullfd < 0) {
        wl_set_error(errbuf, errlen, err, errno, "exec_in", "open(/dev/null)");
        goto out;
    }
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        wl_set_error(errbuf, errlen, err, errno, "exec_in", "pipe2");
        goto out;
    }
    readfd = pipefd[0];
    ctx.errfd = pipefd[1];
    pid = wl_clone(exec_in_child, &ctx, SIGCHLD);
    if (pid < 0) {
        wl_set_error(errbuf, errlen, err, errno, "exec_in", "clone");
        goto out;
    }
    close(ctx.errfd);
    ctx.errfd = -1;
    pid = wl_await_exec(readfd, pid, errbuf, errlen, err);
    readfd = -1; /* closed by wl_await_exec */
out:
    wl_close_fd(readfd);
    wl_close_fd(ctx.errfd);
    wl_close_fd(ctx.nullfd);
    for (size_t i = 0; i < NS_COUNT; i++)
        wl_close_fd(ctx.nsfd[i]);
    return pid;
}
