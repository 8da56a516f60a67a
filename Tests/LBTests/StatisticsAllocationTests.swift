import LB
import Synchronization
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The request path must not allocate: every Swift heap allocation (array buffers, class
/// instances, closure contexts, strings) goes through the runtime's `swift_allocObject`, which
/// calls through the `_swift_allocObject` hook once the runtime's Instruments switch is on. The
/// test counts the calls made on its own thread while it drives the recording methods.
final class StatisticsAllocationTests: XCTestCase {
    func testRequestPathDoesNotAllocateInSteadyState() throws {
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        // Warm up: let every histogram grow to the largest latency the loop records.
        for group in 0..<2 {
            for target in 0..<(group == 0 ? 2 : 1) {
                StatisticsFixtures.forward(stats, listener: group, group: group, target: target, responseTime: 60_000_000, duration: 60_000_000)
            }
        }
        _ = stats.drainDelta(now: 0, flushLatencies: true)
        XCTAssertEqual(Self.targets.count + Self.statuses.count, 10) // built before counting

        let iterations = 1_000_000
        let allocations = try AllocationCounter.count {
            Self.driveRequestPath(stats, iterations: iterations)
        }
        XCTAssertEqual(allocations, 0, "allocations while recording \(iterations) requests")

        // Draining allocates the delta; the first drain of the next 10-s slice also hands the
        // histograms over, leaving zeroed ones of the same size with storage of their own.
        let delta = stats.drainDelta(now: 10.1)
        XCTAssertEqual(delta.targetGroups.map(\.counts.requests).reduce(0, +), UInt64(iterations))
        XCTAssertEqual(delta.targets.map(\.targetResponseTimes.count).reduce(0, +), UInt64(iterations))
        XCTAssertEqual(try AllocationCounter.count { Self.driveRequestPath(stats, iterations: 10_000) }, 0)
    }

    func testTheCounterSeesHistogramGrowth() throws {
        // A fresh histogram starts small; a 50-s latency must grow it, and the counter must see that.
        let stats = WorkerStatistics(layout: try StatisticsFixtures.layout())
        let allocations = try AllocationCounter.count {
            stats.targetResponded(group: 0, target: 0, status: 200, responseTime: 50_000_000)
        }
        XCTAssertGreaterThan(allocations, 0)
    }

    /// Targets and statuses the loop cycles through, made before counting starts.
    static let targets = [(0, 0), (0, 1), (1, 0)]
    static let statuses = [200, 200, 204, 304, 404, 500, 503]

    /// A mix of everything the engine records, indexes and values varying.
    static func driveRequestPath(_ stats: WorkerStatistics, iterations: Int) {
        let targets = Self.targets
        let statuses = Self.statuses
        for iteration in 0..<iterations {
            let (group, target) = targets[iteration % 3]
            let listener = iteration & 1
            let latency = UInt64(iteration % 50_000) * 997 + 1
            stats.clientConnectionOpened(listener: listener)
            stats.clientBytesReceived(300, listener: listener)
            stats.requestStarted(listener: listener, group: group, target: target)
            stats.targetConnectionOpened(group: group, target: target)
            stats.targetBytesSent(300, group: group, target: target)
            let status = statuses[iteration % statuses.count]
            stats.targetResponded(group: group, target: target, status: status, responseTime: latency)
            stats.targetBytesReceived(1_200, group: group, target: target)
            stats.requestCompleted(listener: listener, group: group, target: target, status: status, duration: latency + 40)
            stats.clientBytesSent(1_200, listener: listener)
            if iteration % 97 == 0 {
                stats.requestRetried(group: group, failedTarget: target)
                stats.targetEjected(group: group, target: target)
                stats.lbErrorSent(.badGateway, listener: listener, group: group, target: target, duration: latency)
                stats.lbErrorSent(.badRequest, listener: listener, duration: 5)
            }
            stats.targetConnectionClosed(group: group, target: target)
            stats.clientConnectionClosed(listener: listener)
        }
    }
}

/// Counts Swift heap allocations made by the calling thread while `body` runs.
enum AllocationCounter {
    typealias AllocObject = @convention(c) (UnsafeRawPointer?, Int, Int) -> UnsafeMutableRawPointer?

    struct MissingRuntimeHook: Error, CustomStringConvertible {
        let symbol: String
        var description: String { "dlsym: the Swift runtime does not export \(symbol)" }
    }

    private static let lock = Mutex(())

    static func count(_ body: () -> Void) throws -> Int {
        guard let hookAddress = dlsym(nil, "_swift_allocObject") else { throw MissingRuntimeHook(symbol: "_swift_allocObject") }
        guard let switchAddress = dlsym(nil, "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly") else {
            throw MissingRuntimeHook(symbol: "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly")
        }
        return lock.withLock { _ in
            let hook = hookAddress.assumingMemoryBound(to: AllocObject?.self)
            let instrumentsSwitch = switchAddress.assumingMemoryBound(to: UInt8.self)
            countedThread = pthread_self()
            allocations.store(0, ordering: .relaxed)
            originalAllocObject = hook.pointee
            hook.pointee = countingAllocObject
            instrumentsSwitch.pointee = 1
            defer {
                instrumentsSwitch.pointee = 0
                hook.pointee = originalAllocObject
            }
            body()
            return allocations.load(ordering: .relaxed)
        }
    }
}

private let allocations = Atomic<Int>(0)
nonisolated(unsafe) private var originalAllocObject: AllocationCounter.AllocObject?
nonisolated(unsafe) private var countedThread = pthread_self()

private let countingAllocObject: AllocationCounter.AllocObject = { metadata, size, alignmentMask in
    if pthread_equal(pthread_self(), countedThread) != 0 {
        allocations.add(1, ordering: .relaxed)
    }
    return originalAllocObject!(metadata, size, alignmentMask)
}
