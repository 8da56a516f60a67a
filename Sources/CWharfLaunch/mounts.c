/* The container's filesystem: rootfs, /proc, /dev, /sys, volumes, pivot_root and masked paths
 * (wl_setup_rootfs). A prepared container mounts /sys and masks its paths only at its start
 * (wl_setup_sys): sysfs shows the network namespace of the mounting process.
 * Runs in the cloned child (new mount namespace); no allocation. */
#include "launch_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

enum wl_kind { WL_DIR, WL_FILE };

static int openat2_in_root(int rootfd, const char *rel, int flags)
{
    /* RESOLVE_IN_ROOT makes ".." and absolute symlinks stop at rootfd, so an image cannot point a
     * mount target (say /proc or a volume path) outside the container's root. */
    struct open_how how = {
        .flags = (unsigned long long)(flags | O_PATH | O_CLOEXEC),
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof how);
}

/* Opens `rel` (relative to the container root) as an O_PATH fd, creating missing components as
 * directories (the last one as an empty file for WL_FILE), like mkdir -p. On failure sets *call. */
static int open_beneath(int rootfd, const char *rel, enum wl_kind kind, const char **call)
{
    char prefix[4096];
    size_t len = 0;
    int parent = openat2_in_root(rootfd, ".", O_DIRECTORY);
    *call = "openat2";
    if (parent < 0)
        return -1;

    const char *p = rel;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *comp = p;
        while (*p && *p != '/')
            p++;
        size_t clen = (size_t)(p - comp);
        const char *rest = p;
        while (*rest == '/')
            rest++;
        int last = *rest == '\0';
        if (clen == 1 && comp[0] == '.')
            continue;
        if (len + clen + 2 > sizeof prefix) {
            close(parent);
            errno = ENAMETOOLONG;
            return -1;
        }
        if (len)
            prefix[len++] = '/';
        memcpy(prefix + len, comp, clen);
        len += clen;
        prefix[len] = '\0';

        int dirflag = (last && kind == WL_FILE) ? 0 : O_DIRECTORY;
        int fd = openat2_in_root(rootfd, prefix, dirflag);
        if (fd < 0 && errno == ENOENT) {
            const char *name = prefix + len - clen; /* NUL-terminated component */
            int rc;
            if (last && kind == WL_FILE) {
                *call = "create";
                rc = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (rc >= 0)
                    close(rc);
            } else {
                *call = "mkdir";
                rc = mkdirat(parent, name, 0755);
            }
            if (rc < 0 && errno != EEXIST) {
                close(parent);
                return -1;
            }
            *call = "openat2";
            fd = openat2_in_root(rootfd, prefix, dirflag);
        }
        int saved = errno;
        close(parent);
        if (fd < 0) {
            errno = saved;
            return -1;
        }
        parent = fd;
    }
    return parent;
}

/* Mounts onto `rel` beneath the container root. The target is opened safely and then addressed
 * as /proc/self/fd/N so the kernel mounts on exactly the inode we resolved. Binds are recursive;
 * flags other than propagation ones are applied to a bind with a remount, since MS_BIND ignores them. */
static int mount_beneath(struct wl_error *e, int rootfd, const char *rel, enum wl_kind kind, const char *source,
                         const char *fstype, unsigned long flags, const char *data, const char *step, const char *arg)
{
    const unsigned long propagation = MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE;
    const char *call;
    char fdpath[32];
    int fd = open_beneath(rootfd, rel, kind, &call);
    if (fd < 0)
        return wl_fail(e, step, arg, call);
    wl_fd_path(fdpath, fd);

    int rc;
    if (fstype)
        rc = mount(source ? source : fstype, fdpath, fstype, flags & ~(propagation | MS_REC), data);
    else
        rc = mount(source, fdpath, NULL, MS_BIND | MS_REC, NULL);
    int saved = errno;
    close(fd);
    if (rc < 0)
        return wl_fail_err(e, saved, step, arg, "mount");

    unsigned long extra = flags & ~(propagation | MS_REC | MS_BIND);
    unsigned long prop = flags & propagation;
    if ((fstype || !extra) && !prop)
        return 0;
    /* Re-resolve: the old fd names the covered directory, not the new mount on top of it. */
    fd = open_beneath(rootfd, rel, kind, &call);
    if (fd < 0)
        return wl_fail(e, step, arg, call);
    wl_fd_path(fdpath, fd);
    rc = 0;
    if (!fstype && extra)
        rc = mount(NULL, fdpath, NULL, MS_REMOUNT | MS_BIND | extra, NULL);
    if (rc == 0 && prop)
        rc = mount(NULL, fdpath, NULL, prop | (flags & MS_REC), NULL);
    saved = errno;
    close(fd);
    return rc < 0 ? wl_fail_err(e, saved, step, arg, "mount(remount)") : 0;
}

static int mount_root(struct wl_error *e, const struct wl_fs_plan *plan)
{
    if (plan->overlay_opts) {
        if (mount("overlay", plan->rootfs, "overlay", 0, plan->overlay_opts) < 0)
            return wl_fail(e, "mount rootfs", plan->rootfs, "mount(overlay)");
    } else if (mount(plan->bind_source, plan->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
        return wl_fail(e, "mount rootfs", plan->rootfs, "mount(bind)");
    }
    return 0;
}

struct dev_node { const char *name; unsigned major, minor; };
static const struct dev_node dev_nodes[] = {
    {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
};
static const char *const dev_links[][2] = {
    {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},
};

static int make_dev_node(struct wl_error *e, int devfd, const struct dev_node *n)
{
    if (mknodat(devfd, n->name, S_IFCHR | 0666, makedev(n->major, n->minor)) == 0) {
        if (fchmodat(devfd, n->name, 0666, 0) < 0) /* mknod mode is subject to the umask */
            return wl_fail(e, "mount /dev: create", n->name, "chmod");
        return 0;
    }
    if (errno != EPERM)
        return wl_fail(e, "mount /dev: create", n->name, "mknod");
    /* Not allowed to create device nodes (e.g. a devices cgroup): bind the host's node instead. */
    char host[64], fdpath[32];
    size_t len = wl_append(host, sizeof host, 0, "/dev/");
    wl_append(host, sizeof host, len, n->name);
    int fd = openat(devfd, n->name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return wl_fail(e, "mount /dev: create", n->name, "open");
    wl_fd_path(fdpath, fd);
    int rc = mount(host, fdpath, NULL, MS_BIND, NULL);
    int saved = errno;
    close(fd);
    return rc < 0 ? wl_fail_err(e, saved, "mount /dev: bind", host, "mount") : 0;
}

/* /dev/shm is a directory of /dev's tmpfs bound onto itself with nosuid, nodev and noexec rather
 * than a tmpfs of its own as in Docker: every superblock makes the kernel's removal of any memory
 * cgroup slower (it walks each superblock's LRU lists under cgroup_mutex), so a container creates
 * no more of them than it needs. Shared memory and /dev's few nodes share /dev's 64 MiB. */
static int setup_dev_shm(struct wl_error *e, int rootfd, int devfd)
{
    char source[32];
    if (mkdirat(devfd, "shm", 01777) < 0)
        return wl_fail(e, "mount /dev/shm", NULL, "mkdir");
    if (fchmodat(devfd, "shm", 01777, 0) < 0) /* mkdir's mode is subject to the umask */
        return wl_fail(e, "mount /dev/shm", NULL, "chmod");
    /* /dev is the tmpfs just mounted: nothing in it can be a symlink planted by the image. */
    int fd = openat(devfd, "shm", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return wl_fail(e, "mount /dev/shm", NULL, "open");
    wl_fd_path(source, fd);
    int rc = mount_beneath(e, rootfd, "dev/shm", WL_DIR, source, NULL, MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
                           "mount /dev/shm", NULL);
    close(fd);
    return rc;
}

static int setup_dev(struct wl_error *e, int rootfd)
{
    if (mount_beneath(e, rootfd, "dev", WL_DIR, "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME,
                      "mode=755,size=65536k", "mount /dev", NULL) < 0)
        return -1;
    const char *call;
    int devfd = open_beneath(rootfd, "dev", WL_DIR, &call);
    if (devfd < 0)
        return wl_fail(e, "mount /dev", NULL, call);
    for (size_t i = 0; i < sizeof dev_nodes / sizeof dev_nodes[0]; i++)
        if (make_dev_node(e, devfd, &dev_nodes[i]) < 0)
            goto fail;
    for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++)
        if (symlinkat(dev_links[i][1], devfd, dev_links[i][0]) < 0) {
            wl_fail(e, "mount /dev: link", dev_links[i][0], "symlink");
            goto fail;
        }

    if (setup_dev_shm(e, rootfd, devfd) < 0)
        goto fail;
    close(devfd);

    if (mount_beneath(e, rootfd, "dev/pts", WL_DIR, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                      "newinstance,ptmxmode=0666,mode=0620", "mount /dev/pts", NULL) < 0 ||
        mount_beneath(e, rootfd, "dev/mqueue", WL_DIR, "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      NULL, "mount /dev/mqueue", NULL) < 0)
        return -1;
    return 0;
fail:
    close(devfd);
    return -1;
}

/* Whether the path `fd` was opened at is `dir` or below it (host paths, before pivot_root). */
static int opened_at_or_below(int fd, const char *dir)
{
    char link[32], path[4096];
    wl_fd_path(link, fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    size_t length = strlen(dir);
    return strncmp(path, dir, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

/* Volumes, after /proc, /dev and /sys (or its mount point). Without /sys (`sys_dir` is then the
 * host path of its mount point), a volume whose target resolves at or below it, through the
 * image's symlinks too, is refused with EXDEV: sysfs, mounted at the start, would cover it. */
static int setup_volumes(struct wl_error *e, int rootfd, const struct wl_fs_plan *plan, const char *sys_dir)
{
    for (size_t i = 0; i < plan->n_mounts; i++) {
        const struct wharf_mount *m = &plan->mounts[i];
        enum wl_kind kind = WL_DIR;
        struct stat st;
        /* A bind of a file needs a file to mount on. stat() runs before pivot_root: host path. */
        if (!m->fstype && stat(m->source, &st) == 0 && !S_ISDIR(st.st_mode))
            kind = WL_FILE;
        if (sys_dir) {
            const char *call;
            int fd = open_beneath(rootfd, m->target, kind, &call);
            if (fd < 0)
                return wl_fail(e, "mount volume", m->target, call);
            int below = opened_at_or_below(fd, sys_dir);
            close(fd);
            if (below)
                return wl_fail_err(e, EXDEV, "mount volume below /sys (sysfs comes at the start)", m->target, "openat2");
        }
        if (mount_beneath(e, rootfd, m->target, kind, m->source, m->fstype, m->flags, m->data,
                          "mount volume", m->target) < 0)
            return -1;
    }
    return 0;
}

static int pivot(struct wl_error *e, const char *rootfs)
{
    if (chdir(rootfs) < 0)
        return wl_fail(e, "pivot_root", rootfs, "chdir");
    /* pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then removes
     * it without needing a directory for it inside the container. */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return wl_fail(e, "pivot_root", rootfs, "pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        return wl_fail(e, "pivot_root", rootfs, "umount2(old root)");
    if (chdir("/") < 0)
        return wl_fail(e, "pivot_root", rootfs, "chdir(/)");
    return 0;
}

/* Docker's masked and read-only paths. Runs after pivot_root, so /proc and /sys are ours. */
static const char *const masked_paths[] = {
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
    "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* Masked directories all show one empty read-only tmpfs: the first gets it, the others are bound
 * to it, so masking costs one superblock however many directories the host has (see
 * setup_dev_shm for why superblocks count). The tmpfs is read-only itself, so binds of it are too.
 * `under` picks the masked paths of one tree ("/proc/" or "/sys/"); `mask->empty` carries the
 * shared tmpfs's directory from the first call to the second. */
static int mask_paths(struct wl_error *e, const char *under, struct wl_mask_state *mask)
{
    size_t prefix = strlen(under);
    for (size_t i = 0; i < sizeof masked_paths / sizeof masked_paths[0]; i++) {
        const char *path = masked_paths[i];
        if (strncmp(path, under, prefix) != 0)
            continue;
        struct stat st;
        if (stat(path, &st) < 0) {
            if (errno == ENOENT)
                continue;
            return wl_fail(e, "mask", path, "stat");
        }
        int rc;
        if (!S_ISDIR(st.st_mode))
            rc = mount("/dev/null", path, NULL, MS_BIND, NULL);
        else if (mask->empty)
            rc = mount(mask->empty, path, NULL, MS_BIND, NULL);
        else if ((rc = mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)) == 0)
            mask->empty = path;
        if (rc < 0)
            return wl_fail(e, "mask", path, "mount");
    }
    for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++) {
        const char *path = readonly_paths[i];
        if (strncmp(path, under, prefix) != 0)
            continue;
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT)
                continue;
            return wl_fail(e, "read-only path", path, "mount(bind)");
        }
        if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
            return wl_fail(e, "read-only path", path, "mount(remount)");
    }
    return 0;
}

static int mount_sys(struct wl_error *e, int rootfd)
{
    return mount_beneath(e, rootfd, "sys", WL_DIR, "sysfs", "sysfs", MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV,
                         NULL, "mount /sys", NULL);
}

int wl_setup_rootfs(struct wl_error *e, const struct wl_fs_plan *plan, int with_sys, struct wl_mask_state *mask)
{
    /* Nothing we mount may propagate back to the host (and pivot_root requires it). */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return wl_fail(e, "make / rprivate", NULL, "mount");
    if (mount_root(e, plan) < 0)
        return -1;

    int rootfd = open(plan->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return wl_fail(e, "mount rootfs", plan->rootfs, "open");
    int rc = -1;
    const char *call;
    /* Volumes come after /sys, so one below /sys covers sysfs rather than being covered by it.
     * Without /sys now (wl_setup_sys mounts it later), only its mount point is made, while the
     * root may still be written; the caller keeps volumes below /sys out of that case. */
    if (mount_beneath(e, rootfd, "proc", WL_DIR, "proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL,
                      "mount /proc", NULL) < 0 ||
        setup_dev(e, rootfd) < 0)
        goto out;
    char sys_dir[4096];
    if (with_sys) {
        if (mount_sys(e, rootfd) < 0)
            goto out;
    } else {
        int sysfd = open_beneath(rootfd, "sys", WL_DIR, &call);
        if (sysfd < 0) {
            wl_fail(e, "mount /sys", NULL, call);
            goto out;
        }
        char link[32];
        wl_fd_path(link, sysfd);
        ssize_t n = readlink(link, sys_dir, sizeof sys_dir - 1);
        close(sysfd);
        if (n < 0) {
            wl_fail(e, "mount /sys", NULL, "readlink");
            goto out;
        }
        sys_dir[n] = '\0';
    }
    if (setup_volumes(e, rootfd, plan, with_sys ? NULL : sys_dir) < 0)
        goto out;
    /* Docker (runc) creates a missing working directory, owned by root, before the root turns
     * read-only; after the volumes, so a directory below a volume is made in the volume. */
    if (plan->cwd) {
        int fd = open_beneath(rootfd, plan->cwd, WL_DIR, &call);
        if (fd < 0) {
            wl_fail(e, "create working directory", plan->cwd, call);
            goto out;
        }
        close(fd);
    }
    /* Read-only only now: the mount points above may have needed creating in the rootfs. A bind
     * remount changes just this mount, not the overlay superblock or the volumes. */
    if (plan->readonly_rootfs &&
        mount(NULL, plan->rootfs, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
        wl_fail(e, "mount rootfs read-only", plan->rootfs, "mount(remount)");
        goto out;
    }
    rc = 0;
out:
    close(rootfd);
    if (rc == 0)
        rc = pivot(e, plan->rootfs);
    if (rc == 0)
        rc = mask_paths(e, "/proc/", mask);
    if (rc == 0 && with_sys)
        rc = mask_paths(e, "/sys/", mask);
    return rc;
}

int wl_setup_sys(struct wl_error *e, struct wl_mask_state *mask)
{
    /* After pivot_root: "/" is the container's root, and /proc/self/fd (used by mount_beneath)
     * is the container's own /proc. */
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return wl_fail(e, "mount /sys", NULL, "open(/)");
    int rc = mount_sys(e, rootfd);
    close(rootfd);
    return rc < 0 ? rc : mask_paths(e, "/sys/", mask);
}
