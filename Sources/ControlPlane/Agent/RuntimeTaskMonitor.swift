import Foundation
import Runtime
import Synchronization

/// Tells ``LocalAgent`` which runtime tasks changed, as soon as they change: one inotify
/// instance watches every live task's directory (the supervisor appends each event to a file
/// there), and one thread waits on it. A supervisor that dies writes nothing: the runtime
/// reports its exit (``supervisorExited(_:)``), and a sweep every `sweepInterval` seconds hands
/// every watched task to the agent as well, in case an exit could not be followed; the agent
/// then records dead supervisors only (a live supervisor's changes all come as events; events
/// lost to a full inotify queue are caught by the full pass an overflow triggers).
///
/// The thread only reads inotify and calls `onChange`; it never touches the runtime itself.
/// Sweeps run on a queue of their own: a sweep reads the status files of every watched task
/// (a thousand of them on a dense host), and events that arrive meanwhile (a container that
/// just started) are handed on at once rather than after it. A sweep still under way
/// when the next is due makes that one skip.
final class RuntimeTaskMonitor: Sendable {
    /// Bytes read from inotify at once (many events per read).
    static let readBufferSize = 16 * 1024
    /// Bytes of an `inotify_event` before its name.
    static let eventHeaderSize = 16
    /// How long ``shutdown()`` waits for the thread to finish, in seconds.
    static let shutdownTimeout = 5.0

    private struct Watches {
        var byDescriptor: [Int32: String] = [:]
        var byTask: [String: Int32] = [:]
        var stopped = false
    }

    private let tasksDirectory: String
    private let sweepMilliseconds: Int32
    private let inotifyFD: Int32
    /// A pipe: ``shutdown()`` writes to `wakeWriteFD`, the thread polls `wakeReadFD`.
    private let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    private let watches = Mutex(Watches())
    private let finished = DispatchSemaphore(value: 0)
    private let sweepQueue = DispatchQueue(label: "wharf-agent-sweep")
    private let sweeping = Atomic<Bool>(false)
    /// `start`'s `onChange`: what the thread, the sweeps and ``supervisorExited(_:)`` call.
    private let changeHandler = Mutex<(@Sendable (_ runtimeTaskIDs: [String], _ sweep: Bool) -> Void)?>(nil)
    init(tasksDirectory: String, sweepInterval: Double) throws(AgentError) {
        self.tasksDirectory = tasksDirectory
        self.sweepMilliseconds = Int32(max(0.05, sweepInterval) * 1000)
        let inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotify >= 0 else {
            throw .hostInspection(step: "inotify_init1 for the task monitor", message: String(cString: strerror(errno)))
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let reason = String(cString: strerror(errno))
            close(inotify)
            throw .hostInspection(step: "pipe for the task monitor", message: reason)
        }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        inotifyFD = inotify
        wakeReadFD = ends[0]
        wakeWriteFD = ends[1]
    }

    /// Starts the monitor thread; it calls `onChange` with the runtime task IDs that changed,
    /// `sweep` set when the call comes from the periodic sweep rather than from events.
    func start(onChange: @escaping @Sendable (_ runtimeTaskIDs: [String], _ sweep: Bool) -> Void) {
        changeHandler.withLock { $0 = onChange }
        let thread = Thread { [self] in run() }
        thread.name = "wharf-agent-monitor"
        thread.start()
    }

    /// Watches the directory of `runtimeTaskID` (again watching a watched task does nothing).
    func watch(_ runtimeTaskID: String) {
        let path = tasksDirectory + "/" + runtimeTaskID
        watches.withLock { state in
            guard !state.stopped, state.byTask[runtimeTaskID] == nil else { return }
            let descriptor = inotify_add_watch(inotifyFD, path, TaskDirectoryChanges.inotifyMask)
            // A directory already gone (the task was removed) has nothing left to report.
            guard descriptor >= 0 else { return }
            state.byDescriptor[descriptor] = runtimeTaskID
            state.byTask[runtimeTaskID] = descriptor
        }
    }

    /// Hands `runtimeTaskID`, whose supervisor exited (or could not be followed), to the agent
    /// as a sweep would, on the sweep queue (the caller's thread may be the runtime's reaper).
    func supervisorExited(_ runtimeTaskID: String) {
        sweepQueue.async { [self] in
            guard !watches.withLock({ $0.stopped }) else { return }
            changeHandler.withLock { $0 }?([runtimeTaskID], true)
        }
    }

    /// Stops watching `runtimeTaskID`.
    func unwatch(_ runtimeTaskID: String) {
        watches.withLock { state in
            guard let descriptor = state.byTask.removeValue(forKey: runtimeTaskID) else { return }
            state.byDescriptor[descriptor] = nil
            if !state.stopped { inotify_rm_watch(inotifyFD, descriptor) }
        }
    }

    /// The runtime task IDs watched now.
    var watched: [String] {
        watches.withLock { Array($0.byTask.keys) }
    }

    /// Stops the thread and waits (bounded) for it to close its descriptors.
    func shutdown() {
        let already = watches.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !already else { return }
        var one: UInt8 = 1
        _ = write(wakeWriteFD, &one, 1)
        _ = finished.wait(timeout: .now() + Self.shutdownTimeout)
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: Self.readBufferSize)
        var lastSweep = DispatchTime.now().uptimeNanoseconds
        let sweepNanoseconds = UInt64(sweepMilliseconds) * 1_000_000
        defer {
            close(inotifyFD)
            close(wakeReadFD)
            close(wakeWriteFD)
            finished.signal()
        }
        // Set by `start` before the thread starts.
        guard let onChange = changeHandler.withLock({ $0 }) else { return }
        while true {
            var descriptors = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0)]
            let elapsed = DispatchTime.now().uptimeNanoseconds - lastSweep
            let untilSweep = elapsed >= sweepNanoseconds ? 0 : Int32((sweepNanoseconds - elapsed) / 1_000_000)
            let ready = poll(&descriptors, 2, untilSweep)
            if ready < 0 && errno != EINTR { return }
            if descriptors[1].revents != 0 || watches.withLock({ $0.stopped }) { return }
            if descriptors[0].revents != 0 {
                let changed = drainEvents(&buffer)
                if !changed.isEmpty { onChange(changed, false) }
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastSweep >= sweepNanoseconds {
                lastSweep = now
                let all = watched
                if !all.isEmpty, !sweeping.exchange(true, ordering: .acquiringAndReleasing) {
                    sweepQueue.async { [self] in
                        onChange(all, true)
                        sweeping.store(false, ordering: .releasing)
                    }
                }
            }
        }
    }

    /// Reads every pending inotify event; returns the tasks they concern, each once.
    private func drainEvents(_ buffer: inout [UInt8]) -> [String] {
        var descriptors: Set<Int32> = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset + Self.eventHeaderSize <= count {
                    let descriptor = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let nameLength = raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
                    descriptors.insert(descriptor)
                    offset += Self.eventHeaderSize + Int(nameLength)
                }
            }
        }
        return watches.withLock { state in
            // An overflowed queue (wd -1) lost events: every watched task may have changed.
            if descriptors.contains(-1) { return Array(state.byTask.keys) }
            return descriptors.compactMap { state.byDescriptor[$0] }
        }
    }
}
