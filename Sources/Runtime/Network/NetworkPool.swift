import Dispatch
import Foundation
import LinuxHost

/// Network namespaces made ready ahead of launches, so an awsvpc launch only has to name and
/// address one.
///
/// Creating a namespace (`unshare`) and a veth pair are the two most expensive steps of a
/// launch's network (together well over a millisecond); neither depends on the task. A prepared
/// network has its namespace, `lo` up, and a veth pair whose host end sits on the bridge, down,
/// under a pool name, with `eth0` inside. Taking one leaves the task-specific part to the
/// launch: the address, the default route, and renaming the host end to the task's veth name
/// and setting it up (one request).
///
/// Prepared networks live only in this process: each is held by its descriptor alone, so when
/// the process exits the kernel destroys them, veth pairs included, and nothing is left to
/// clean up after a crash. Their host ends carry `TaskNetwork.poolVethMarker` after the veth
/// prefix, which no task's veth name has, so no orphan sweep or leak check takes them for a
/// task's.
///
/// The pool refills on a background queue when asked (`refill()`, after each launch's network
/// is done, so the refill's own netlink requests do not queue behind or ahead of the launch's
/// under the kernel's rtnl lock), one network at a time, up to `capacity`; `drain()` empties it
/// for good.
final class NetworkPool: @unchecked Sendable {
    /// A network ready for a task.
    struct PreparedNetwork {
        /// The namespace; the taker owns the descriptor.
        var namespaceFD: Int32
        /// A netlink socket inside the namespace (closed when released).
        var inside: RouteNetlink
        /// The host end (named `PREFIX-…` until a task takes it).
        var hostVethIndex: Int32
        /// `eth0`'s index inside the namespace; it is up, without an address yet.
        var eth0Index: Int32
        /// `eth0`'s MAC address (`0a:1b:…`), chosen when the pair was made.
        var eth0MACAddress: String
    }

    let capacity: Int
    private let prepare: () throws(SystemError) -> PreparedNetwork
    private let onFailure: (SystemError) -> Void
    private let queue = DispatchQueue(label: "wharf.runtime.network-pool", qos: .utility)
    private let lock = NSLock()
    private var ready: [PreparedNetwork] = []
    private var refilling = false
    private var drained = false

    /// `prepare` makes one network (on the pool's queue); `onFailure` hears why one could not
    /// be made, after which the pool stops refilling until the next refill request (one
    /// follows every awsvpc attach).
    init(
        capacity: Int, prepare: @escaping () throws(SystemError) -> PreparedNetwork,
        onFailure: @escaping (SystemError) -> Void
    ) {
        self.capacity = capacity
        self.prepare = prepare
        self.onFailure = onFailure
    }

    deinit {
        for network in ready { close(network.namespaceFD) }
    }

    /// A prepared network, or `nil` when none is ready (the caller then makes its own).
    func take() -> PreparedNetwork? {
        lock.lock()
        defer { lock.unlock() }
        return ready.popLast()
    }

    /// Starts filling the pool up to `capacity` in the background, unless that is under way.
    func refill() {
        lock.lock()
        let start = !refilling && !drained && capacity > 0 && ready.count < capacity
        if start { refilling = true }
        lock.unlock()
        if start { queue.async { self.fill() } }
    }

    /// Destroys every ready network and stops refilling, for good. Waits for a refill in
    /// progress, so nothing is added afterwards.
    func drain() {
        lock.lock()
        drained = true
        lock.unlock()
        queue.sync {}
        lock.lock()
        let doomed = ready
        ready = []
        lock.unlock()
        for network in doomed { close(network.namespaceFD) }
    }

    /// The nice value the refill runs at: it is work for later launches, and must not take
    /// CPU from the launch that just took a network (its supervisor is starting the
    /// containers then).
    static let refillNiceness: Int32 = 19

    private func fill() {
        // PRIO_PROCESS with id 0 is the calling thread on Linux (nice values are per thread);
        // the queue's thread goes back to its old priority afterwards.
        let thread: id_t = 0
        errno = 0
        let previous = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
        let known = errno == 0
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, Self.refillNiceness)
        defer { if known { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, previous) } }
        while true {
            lock.lock()
            guard !drained, ready.count < capacity else {
                refilling = false
                lock.unlock()
                return
            }
            lock.unlock()
            do {
                let network = try prepare()
                lock.lock()
                if drained {
                    lock.unlock()
                    close(network.namespaceFD)
                    continue
                }
                ready.append(network)
                lock.unlock()
            } catch {
                lock.lock()
                refilling = false
                lock.unlock()
                onFailure(error)
                return
            }
        }
    }
}
