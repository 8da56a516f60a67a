import Dispatch
import Foundation
import LinuxHost

/// Things made ahead of launches on a background queue and taken by them: what the network
/// pool (`NetworkPool`) and the supervisor pool (`SupervisorPool`) share.
///
/// The pool refills when asked (`refill()`, which its users call once a launch is past the
/// point where the refill's work would compete with it), one item at a time, up to `capacity`;
/// `drain()` empties it for good. An item the pool still holds when it is drained or released
/// is handed to `discard`.
final class ReadyPool<Item>: @unchecked Sendable {
    let capacity: Int
    private let make: () throws(SystemError) -> Item
    private let discard: (Item) -> Void
    private let onFailure: (SystemError) -> Void
    /// The nice value refills run at, or nil for the queue's thread as it is (queues share
    /// their threads, so one that must not inherit another's value names its own).
    private let niceness: Int32?
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var ready: [Item] = []
    private var refilling = false
    private var drained = false

    /// `make` makes one item (on the pool's queue, named `label`); `onFailure` hears why one
    /// could not be made, after which the pool stops refilling until the next refill request.
    init(
        capacity: Int, label: String, niceness: Int32? = nil, make: @escaping () throws(SystemError) -> Item,
        discard: @escaping (Item) -> Void, onFailure: @escaping (SystemError) -> Void
    ) {
        self.capacity = capacity
        self.make = make
        self.discard = discard
        self.onFailure = onFailure
        self.niceness = niceness
        queue = DispatchQueue(label: label)
    }

    deinit {
        for item in ready { discard(item) }
    }

    /// A ready item, or `nil` when none is (the caller then makes its own).
    func take() -> Item? {
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

    /// Discards every ready item and stops refilling, for good. Waits for a refill in progress,
    /// so nothing is added afterwards.
    func drain() {
        lock.lock()
        drained = true
        lock.unlock()
        queue.sync {}
        lock.lock()
        let unused = ready
        ready = []
        lock.unlock()
        for item in unused { discard(item) }
    }

    private func fill() {
        // PRIO_PROCESS with id 0 is the calling thread on Linux (nice values are per thread);
        // the queue's thread goes back to its old priority afterwards.
        let thread: id_t = 0
        var previous: Int32?
        if let niceness {
            errno = 0
            let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
            if errno == 0 { previous = current }
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, niceness)
            // Lowering a nice value takes CAP_SYS_NICE: without it the refill would run (and
            // what it makes would keep) whatever value the thread last had.
            errno = 0
            let now = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
            guard errno == 0, now == niceness else {
                lock.lock()
                refilling = false
                lock.unlock()
                onFailure(SystemError(step: "run the refill at nice \(niceness) (it is \(now))", call: "setpriority", errno: EPERM))
                return
            }
        }
        defer { if let previous { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, previous) } }
        while true {
            lock.lock()
            guard !drained, ready.count < capacity else {
                refilling = false
                lock.unlock()
                return
            }
            lock.unlock()
            do {
                let item = try make()
                lock.lock()
                if drained {
                    lock.unlock()
                    discard(item)
                    continue
                }
                ready.append(item)
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
