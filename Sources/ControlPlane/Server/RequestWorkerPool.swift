import Dispatch
import Synchronization
import WharfIO

/// A fixed set of threads that all take jobs from one shared first-in first-out queue: a job
/// waits only while every thread is busy, never behind one slow job while another thread idles
/// (as it would with a queue per thread taken in turn).
///
/// Jobs may block (on the store, on the runtime): they run on these threads, never on an event
/// loop or on Swift's cooperative pool. Dropping the pool lets queued jobs finish, then stops
/// and joins its threads; a job must therefore not keep the pool itself alive.
final class RequestWorkerPool: Sendable {
    private let queue = JobQueue()
    private let threads: [ThreadHandle]

    /// Starts `threadCount` threads named `name-0`, `name-1`, ….
    init(name: String, threadCount: Int) throws(IOError) {
        let queue = self.queue
        var threads: [ThreadHandle] = []
        for index in 0..<max(1, threadCount) {
            do {
                threads.append(try EventLoop.spawnThread(name: "\(name)-\(index)") {
                    while let job = queue.next() { job() }
                })
            } catch {
                queue.close(waking: threads.count)
                threads.forEach { $0.join() }
                throw error
            }
        }
        self.threads = threads
    }

    deinit {
        queue.close(waking: threads.count)
        threads.forEach { $0.join() }
    }

    /// Queues `job` behind those already waiting; the first free thread runs it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        queue.push(job)
    }
}

/// The pool's shared queue: jobs under a mutex, and a semaphore counting what a worker may
/// take (a job, or after ``close(waking:)`` the signal to stop).
private final class JobQueue: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        /// Taken jobs are cleared to nil until the slots before `head` are dropped.
        var jobs: [Job?] = []
        var head = 0
    }

    /// Taken slots dropped at once when they are at least this many and half the array.
    private static let compactionThreshold = 64

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    func push(_ job: @escaping Job) {
        state.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Wakes `count` workers with nothing to take, once the jobs queued before have been taken:
    /// each of them stops.
    func close(waking count: Int) {
        for _ in 0..<count { available.signal() }
    }

    /// The oldest job, waiting for one; nil when the worker is to stop.
    func next() -> Job? {
        available.wait()
        return state.withLock { state -> Job? in
            guard state.head < state.jobs.count else { return nil }
            let job = state.jobs[state.head]
            state.jobs[state.head] = nil
            state.head += 1
            if state.head == state.jobs.count {
                state.jobs.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head >= Self.compactionThreshold, state.head * 2 >= state.jobs.count {
                state.jobs.removeFirst(state.head)
                state.head = 0
            }
            return job
        }
    }
}
