/* Capabilities and user identity. */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP(x) { #x, CAP_##x }
static const struct { const char *name; int value; } cap_names[] = {
    CAP(CHOWN), CAP(DAC_OVERRIDE), CAP(DAC_READ_SEARCH), CAP(FOWNER), CAP(FSETID), CAP(KILL),
    CAP(SETGID), CAP(SETUID), CAP(SETPCAP), CAP(LINUX_IMMUTABLE), CAP(NET_BIND_SERVICE),
    CAP(NET_BROADCAST), CAP(NET_ADMIN), CAP(NET_RAW), CAP(IPC_LOCK), CAP(IPC_OWNER), CAP(SYS_MODULE),
    CAP(SYS_RAWIO), CAP(SYS_CHROOT), CAP(SYS_PTRACE), CAP(SYS_PACCT), CAP(SYS_ADMIN), CAP(SYS_BOOT),
    CAP(SYS_NICE), CAP(SYS_RESOURCE), CAP(SYS_TIME), CAP(SYS_TTY_CONFIG), CAP(MKNOD), CAP(LEASE),
    CAP(AUDIT_WRITE), CAP(AUDIT_CONTROL), CAP(SETFCAP), CAP(MAC_OVERRIDE), CAP(MAC_ADMIN),
    CAP(SYSLOG), CAP(WAKE_ALARM), CAP(BLOCK_SUSPEND), CAP(AUDIT_READ), CAP(PERFMON), CAP(BPF),
    CAP(CHECKPOINT_RESTORE),
};
#undef CAP

unsigned long long wharf_default_capabilities(void)
{
    static const int defaults[] = {
        CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW, CAP_SETGID,
        CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL,
        CAP_AUDIT_WRITE,
    };
    unsigned long long mask = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        mask |= 1ULL << defaults[i];
    return mask;
}

int wharf_capability_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strncasecmp(name, "CAP_", 4) == 0)
        name += 4;
    for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++)
        if (strcasecmp(name, cap_names[i].name) == 0)
            return cap_names[i].value;
    return -1;
}

int wl_cap_last(void)
{
    int last = CAP_LAST_CAP;
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[16] = {0};
        if (read(fd, buf, sizeof buf - 1) > 0) {
            int v = atoi(buf);
            if (v > 0 && v < 64)
                last = v;
        }
        close(fd);
    }
    return last;
}

static int capset_all(unsigned long long caps)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    for (int i = 0; i < 2; i++) {
        __u32 word = (__u32)(caps >> (32 * i));
        data[i].effective = data[i].permitted = data[i].inheritable = word;
    }
    return (int)syscall(SYS_capset, &hdr, data);
}

int wl_apply_identity(struct wl_error *e, const struct wl_identity *id)
{
    unsigned long long caps = id->caps;
    if (id->last_cap < 63)
        caps &= (1ULL << (id->last_cap + 1)) - 1;

    /* The bounding set must shrink while we still hold CAP_SETPCAP, i.e. before changing uid. */
    for (int cap = 0; cap <= id->last_cap; cap++)
        if (!(caps & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            return wl_fail(e, "capabilities", NULL, "prctl(PR_CAPBSET_DROP)");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return wl_fail(e, "capabilities", NULL, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");

    /* Raw syscalls: glibc's set*id wrappers broadcast to every thread the parent had (state copied
     * into this single-threaded child) and would wait forever for threads that do not exist here. */
    if (syscall(SYS_setgroups, id->n_groups, id->groups) < 0)
        return wl_fail(e, "set user", NULL, "setgroups");
    if (syscall(SYS_setresgid, id->gid, id->gid, id->gid) < 0)
        return wl_fail(e, "set user", NULL, "setresgid");
    /* Going to a non-zero uid without PR_SET_KEEPCAPS clears permitted and effective, which is
     * what we want (Docker: a non-root user only gets the bounding set); uid 0 keeps them. */
    if (syscall(SYS_setresuid, id->uid, id->uid, id->uid) < 0)
        return wl_fail(e, "set user", NULL, "setresuid");

    /* Root: effective = permitted = inheritable = the kept set. Others: nothing (this also clears
     * an inheritable set the caller may have had). */
    if (capset_all(id->uid == 0 ? caps : 0) < 0)
        return wl_fail(e, "capabilities", NULL, "capset");
    return 0;
}
