/* Small helpers for the launch path: error records, fds, signals, exec and the clone/await pair. */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---------------------------------------------------------------- strings and errors */

size_t wl_append(char *buf, size_t cap, size_t len, const char *s)
{
    if (cap == 0)
        return 0;
    while (s && *s && len + 1 < cap)
        buf[len++] = *s++;
    buf[len] = '\0';
    return len;
}

void wl_fd_path(char out[32], int fd)
{
    char digits[16];
    int n = 0;
    unsigned v = (unsigned)fd;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < (int)sizeof digits);
    size_t len = wl_append(out, 32, 0, "/proc/self/fd/");
    while (n > 0 && len + 1 < 32)
        out[len++] = digits[--n];
    out[len] = '\0';
}

int wl_fail_err(struct wl_error *e, int err, const char *step, const char *arg, const char *call)
{
    size_t len = wl_append(e->step, sizeof e->step, 0, step);
    if (arg) {
        len = wl_append(e->step, sizeof e->step, len, " ");
        wl_append(e->step, sizeof e->step, len, arg);
    }
    wl_append(e->call, sizeof e->call, 0, call);
    e->err = err ? err : EIO;
    return -1;
}

int wl_fail(struct wl_error *e, const char *step, const char *arg, const char *call)
{
    return wl_fail_err(e, errno, step, arg, call);
}

_Noreturn void wl_report_and_exit(int errfd, const struct wl_error *e)
{
    ssize_t n;
    do {
        n = write(errfd, e, sizeof *e);
    } while (n < 0 && errno == EINTR);
    _exit(127);
}

/* ---------------------------------------------------------------- processes, fds, signals */

pid_t wl_raw_fork(void)
{
    /* glibc's fork() runs atfork handlers and takes malloc locks whose state was copied from a
     * multi-threaded parent; the raw syscall does neither. The child continues on a copy of this stack. */
    return (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

int wl_move_high(int fd)
{
    if (fd < 0)
        return fd;
    return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

void wl_close_fd(int fd)
{
    if (fd >= 0)
        close(fd);
}

void wl_cloexec_from(int lowfd)
{
    /* Marking (rather than closing) keeps the error pipe usable to report a failed execve. */
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    struct rlimit rl;
    rlim_t max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < max)
        max = rl.rlim_cur;
    for (int fd = lowfd; fd < (int)max; fd++)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Closes descriptors first..last: close_range, or one by one up to the descriptor limit on a
 * kernel without it (before 5.9). */
static void close_span(unsigned first, unsigned last)
{
    if (syscall(SYS_close_range, first, last, 0U) == 0)
        return;
    struct rlimit rl;
    unsigned limit = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < limit)
        limit = (unsigned)rl.rlim_cur;
    for (unsigned fd = first; fd <= last && fd < limit; fd++)
        close((int)fd);
}

void wl_close_all_but(int *keep, size_t n)
{
    /* Insertion sort: a handful of descriptors, and no qsort (not async-signal-safe). */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    unsigned next = 3;
    for (size_t i = 0; i < n; i++) {
        if (keep[i] < (int)next)
            continue;
        if ((unsigned)keep[i] > next)
            close_span(next, (unsigned)keep[i] - 1);
        next = (unsigned)keep[i] + 1;
    }
    close_span(next, ~0U);
}

int wl_child_prepare(int *errfd, int *nullfd, int *outfd, int *errout)
{
    int report_fd = *errfd;
    *errfd = wl_move_high(*errfd);
    if (*errfd >= 0)
        report_fd = *errfd;
    *nullfd = wl_move_high(*nullfd);
    *outfd = wl_move_high(*outfd);
    *errout = wl_move_high(*errout);
    wl_reset_signal_handlers();
    return report_fd;
}

void wl_reset_signal_handlers(void)
{
    /* execve keeps SIG_IGN dispositions (the daemon may ignore SIGPIPE), and a handler left in
     * place would run Swift code in the child: reset everything. Signals are still blocked here. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        sigaction(sig, &sa, NULL); /* glibc-reserved signals fail with EINVAL; harmless */
    }
}

void wl_unblock_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int wl_send_fds(int socket, const void *bytes, size_t length, const int *fds, size_t count)
{
    struct iovec vector = {.iov_base = (void *)bytes, .iov_len = length};
    union {
        char buffer[CMSG_SPACE(3 * sizeof(int))];
        struct cmsghdr align;
    } control;
    if (count > 3) {
        errno = EINVAL;
        return -1;
    }
    memset(&control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1};
    if (count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(count * sizeof(int));
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(count * sizeof(int));
        memcpy(CMSG_DATA(header), fds, count * sizeof(int));
    }
    ssize_t sent;
    do {
        sent = sendmsg(socket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0)
        return -1;
    if ((size_t)sent != length) {
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

ssize_t wl_receive_fds(int socket, void *bytes, size_t length, int *fds, size_t capacity, size_t *count)
{
    *count = 0;
    struct iovec vector = {.iov_base = bytes, .iov_len = length};
    union {
        char buffer[CMSG_SPACE(3 * sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = sizeof control.buffer};
    ssize_t n;
    do {
        n = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    int truncated = (message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
            continue;
        size_t received = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < received; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
            if (*count < capacity && !truncated)
                fds[(*count)++] = fd;
            else
                close(fd);
        }
    }
    if (truncated) {
        /* A message cut short is not one the sender meant: refuse it, keeping no descriptor. */
        for (size_t i = 0; i < *count; i++)
            close(fds[i]);
        *count = 0;
        errno = EMSGSIZE;
        return -1;
    }
    return n;
}

int wl_join_cgroups(struct wl_error *e, const char *const *procs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int fd = open(procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return wl_fail(e, "join cgroup", procs[i], "open");
        /* "0" means the writing process (cgroup v1 and v2). */
        ssize_t w = write(fd, "0", 1);
        int saved = errno;
        close(fd);
        if (w != 1)
            return wl_fail_err(e, w < 0 ? saved : EIO, "join cgroup", procs[i], "write");
    }
    return 0;
}

int wl_setup_stdio(struct wl_error *e, int nullfd, int outfd, int errfd)
{
    /* All three sources are CLOEXEC copies >= 3, so no dup2 here can clobber another source. */
    if (dup2(nullfd, 0) < 0)
        return wl_fail(e, "stdio", NULL, "dup2(stdin)");
    if (dup2(outfd >= 0 ? outfd : nullfd, 1) < 0)
        return wl_fail(e, "stdio", NULL, "dup2(stdout)");
    if (dup2(errfd >= 0 ? errfd : nullfd, 2) < 0)
        return wl_fail(e, "stdio", NULL, "dup2(stderr)");
    return 0;
}

static const char *env_lookup(const char *const *envp, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; envp && envp[i]; i++)
        if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
            return envp[i] + n + 1;
    return NULL;
}

int wl_exec(const char *const *argv, const char *const *envp)
{
    static const char *const empty_env[] = {NULL};
    char *const *av = (char *const *)argv;
    char *const *ev = (char *const *)(envp ? envp : empty_env);
    const char *file = argv[0];

    if (strchr(file, '/')) {
        execve(file, av, ev);
        return errno;
    }
    /* Search PATH from the container's environment, not the caller's (like execvpe, but that reads
     * the caller's PATH and may allocate). */
    const char *path = env_lookup(envp, "PATH");
    if (!path)
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    int result = ENOENT;
    for (const char *p = path;; ) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        char full[4096];
        size_t flen = strlen(file);
        if (dlen + 1 + flen + 1 <= sizeof full) {
            size_t len = 0;
            if (dlen == 0)
                full[len++] = '.';
            memcpy(full + len, p, dlen);
            len += dlen;
            full[len++] = '/';
            memcpy(full + len, file, flen + 1);
            execve(full, av, ev);
            if (errno == EACCES)
                result = EACCES;
            else if (errno != ENOENT && errno != ENOTDIR)
                return errno; /* e.g. ENOEXEC, E2BIG: the file exists but cannot run */
        }
        if (!end)
            break;
        p = end + 1;
    }
    return result;
}

int wl_status_code(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

/* ---------------------------------------------------------------- caller side */

pid_t wl_clone(int (*fn)(void *), void *arg, int flags)
{
    /* Without CLONE_VM the child gets its own copy of this stack; with CLONE_VM it must come with
     * CLONE_VFORK, so clone returns only once the child has exec'd or exited and is done with the
     * stack. Either way it can be unmapped at once. */
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        errno = EINVAL;
        return -1;
    }
    const size_t size = 1 << 20;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return -1;
    mprotect(stack, 4096, PROT_NONE); /* guard page */

    /* Block every signal across clone so no handler of the caller (Swift code) can run in the
     * child before it resets dispositions; the child unblocks right before execve. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = clone(fn, stack + size, flags, arg);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    munmap(stack, size);
    errno = saved;
    return pid;
}

void wl_set_error(char *errbuf, size_t errlen, int *err, int code, const char *step, const char *call)
{
    if (err)
        *err = code;
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s: %s: %s", step, call, strerror(code));
}

pid_t wl_await_exec(int readfd, pid_t pid, char *errbuf, size_t errlen, int *err)
{
    /* The write end is CLOEXEC in the child: EOF with no bytes means execve succeeded. */
    struct wl_error e;
    size_t got = 0;
    while (got < sizeof e) {
        ssize_t n = read(readfd, (char *)&e + got, sizeof e - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(readfd);
    if (got == 0)
        return pid;

    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got < sizeof e) {
        wl_set_error(errbuf, errlen, err, EIO, "launch", "short error report from child");
        return -1;
    }
    e.step[sizeof e.step - 1] = '\0';
    e.call[sizeof e.call - 1] = '\0';
    wl_set_error(errbuf, errlen, err, e.err, e.step, e.call);
    return -1;
}
