@testable import ControlPlane
import Dispatch
import Glibc
import Synchronization
import Testing

/// The API's worker threads: one shared queue, so a slow request never holds up the others.
struct RequestWorkerPoolTests {
    /// How long a test waits for jobs that should finish at once.
    static let patience = DispatchTimeInterval.seconds(10)

    @Test func slowJobDoesNotHoldUpLaterJobs() throws {
        var pool: RequestWorkerPool? = try RequestWorkerPool(name: "test-api", threadCount: 2)
        let release = DispatchSemaphore(value: 0)
        let slowStarted = DispatchSemaphore(value: 0)
        let quickDone = DispatchSemaphore(value: 0)
        pool?.submit {
            slowStarted.signal()
            release.wait()
        }
        #expect(slowStarted.wait(timeout: .now() + Self.patience) == .success)
        // With a queue per thread taken in turn, every second job would wait behind the slow one.
        let quickJobs = 6
        for _ in 0..<quickJobs { pool?.submit { quickDone.signal() } }
        for job in 0..<quickJobs {
            #expect(quickDone.wait(timeout: .now() + Self.patience) == .success, "quick job \(job) did not run")
        }
        release.signal()
        pool = nil
    }

    @Test func jobsRunInOrderAndAllRunBeforeThePoolStops() throws {
        let order = Mutex<[Int]>([])
        let jobs = 200
        do {
            let pool = try RequestWorkerPool(name: "test-api", threadCount: 1)
            for index in 0..<jobs {
                pool.submit { order.withLock { $0.append(index) } }
            }
        }
        // Dropping the pool joined its thread after the queue drained.
        #expect(order.withLock { $0 } == Array(0..<jobs))
    }

    @Test func runsAtMostThreadCountJobsAtOnce() throws {
        let threadCount = 3
        let running = Atomic<Int>(0)
        let mostAtOnce = Atomic<Int>(0)
        do {
            let pool = try RequestWorkerPool(name: "test-api", threadCount: threadCount)
            for _ in 0..<30 {
                pool.submit {
                    let now = running.add(1, ordering: .sequentiallyConsistent).newValue
                    mostAtOnce.max(now, ordering: .sequentiallyConsistent)
                    usleep(5_000)
                    running.subtract(1, ordering: .sequentiallyConsistent)
                }
            }
        }
        #expect(mostAtOnce.load(ordering: .sequentiallyConsistent) <= threadCount)
        #expect(mostAtOnce.load(ordering: .sequentiallyConsistent) >= 2)
    }
}
