#include <ev.h>

/*
 * libev builds watchers with macros (ev_io_init, ev_timer_set, ev_is_active, ...) that Swift
 * cannot import. These static inline helpers are those macros as functions, nothing more.
 */

typedef void (*wharf_ev_io_callback)(struct ev_loop *loop, ev_io *watcher, int revents);
typedef void (*wharf_ev_timer_callback)(struct ev_loop *loop, ev_timer *watcher, int revents);
typedef void (*wharf_ev_async_callback)(struct ev_loop *loop, ev_async *watcher, int revents);

/* ev_io_init: set the callback, the descriptor and the event mask of a stopped watcher. */
static inline void wharf_ev_io_init(ev_io *watcher, wharf_ev_io_callback callback, int fd, int events) {
    ev_io_init(watcher, callback, fd, events);
}

/* ev_io_modify: change the event mask of a stopped watcher, keeping its descriptor. */
static inline void wharf_ev_io_modify(ev_io *watcher, int events) {
    ev_io_modify(watcher, events);
}

/* ev_timer_init with no timeout yet; ev_timer_set gives it one. */
static inline void wharf_ev_timer_init(ev_timer *watcher, wharf_ev_timer_callback callback) {
    ev_timer_init(watcher, callback, 0., 0.);
}

/* ev_timer_set: the first timeout and the repeat interval of a stopped timer. */
static inline void wharf_ev_timer_set(ev_timer *watcher, ev_tstamp after, ev_tstamp repeat) {
    ev_timer_set(watcher, after, repeat);
}

/* ev_async_init. */
static inline void wharf_ev_async_init(ev_async *watcher, wharf_ev_async_callback callback) {
    ev_async_init(watcher, callback);
}

/* ev_is_active for any watcher type. */
static inline int wharf_ev_is_active(void *watcher) {
    return ev_is_active(watcher);
}

/*
 * accept4 is a GNU extension: Swift's Glibc module is built without _GNU_SOURCE and hides it.
 * Declared here as glibc defines it (sys/socket.h), so WharfIO can accept non-blocking,
 * close-on-exec connections in one call.
 */
#include <sys/socket.h>
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

static inline int wharf_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

/* ev_prepare_init. */
typedef void (*wharf_ev_prepare_callback)(struct ev_loop *loop, ev_prepare *watcher, int revents);
static inline void wharf_ev_prepare_init(ev_prepare *watcher, wharf_ev_prepare_callback callback) {
    ev_prepare_init(watcher, callback);
}
