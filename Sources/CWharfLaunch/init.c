/* The tiny init (and the exec_in supervisor): forward signals to one child, reap every zombie,
 * and exit with the child's status. */
#include "launch_internal.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

_Noreturn void wl_supervise(pid_t child)
{
    /* Every signal is still blocked (since clone), so nothing is lost between fork and here and
     * sigwaitinfo receives them synchronously: no handlers, no races. Blocked signals are also
     * delivered to a PID-namespace init even though it has no handler for them. */
    sigset_t all;
    sigfillset(&all);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0)
            continue; /* EINTR */
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        /* SIGCHLDs coalesce: reap everything that is ready, orphans included. */
        for (;;) {
            int status;
            pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid < 0 && errno == EINTR)
                continue;
            if (pid <= 0)
                break;
            if (pid == child)
                _exit(wl_status_code(status));
        }
    }
}
