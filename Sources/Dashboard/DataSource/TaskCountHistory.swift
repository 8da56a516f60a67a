import Synchronization

/// Running and desired task counts per service over time, for the dashboard's chart of
/// request rate against task count. Keeps change points only, for ``retentionSeconds``
/// (plus the last point before that window, which still holds at its start), and at most
/// ``maximumPointsPerService`` per service, so memory is bounded however often it is fed.
public final class TaskCountHistory: Sendable {
    /// How long change points are kept: the chart's hour.
    public let retentionSeconds: Double
    /// Change points kept per service at most (oldest dropped first).
    public let maximumPointsPerService: Int

    struct Point: Sendable, Equatable {
        var time: Double
        var running: Int
        var desired: Int
    }

    private let points = Mutex<[String: [Point]]>([:])

    public init(retentionSeconds: Double = 3600, maximumPointsPerService: Int = 3600) {
        self.retentionSeconds = retentionSeconds
        self.maximumPointsPerService = max(2, maximumPointsPerService)
    }

    /// Records the counts of `service` (`cluster/service`) at `time` (Unix seconds). Calls that
    /// change nothing are free; call it as often as the counts are known (every snapshot).
    public func record(service: String, running: Int, desired: Int, at time: Double) {
        let limit = maximumPointsPerService
        let horizon = time - retentionSeconds
        points.withLock { all in
            var list = all[service] ?? []
            if let last = list.last, last.running == running, last.desired == desired { return }
            list.append(Point(time: time, running: running, desired: desired))
            // Keep one point at or before the horizon: it gives the counts at the window's start.
            if let firstInside = list.firstIndex(where: { $0.time > horizon }), firstInside > 1 {
                list.removeFirst(firstInside - 1)
            }
            if list.count > limit { list.removeFirst(list.count - limit) }
            all[service] = list
        }
    }

    /// Forgets a service (deleted).
    public func remove(service: String) {
        points.withLock { _ = $0.removeValue(forKey: service) }
    }

    /// The counts in force at `time`: the last change at or before it (nil before the first).
    public func counts(service: String, at time: Double) -> (running: Int, desired: Int)? {
        points.withLock { all in
            guard let list = all[service], let point = list.last(where: { $0.time <= time }) else { return nil }
            return (point.running, point.desired)
        }
    }

    /// The counts in force at each of `times` (ascending), in one pass under the lock.
    func counts(service: String, at times: [Double]) -> [(running: Int, desired: Int)?] {
        let list = points.withLock { $0[service] ?? [] }
        var result: [(running: Int, desired: Int)?] = []
        result.reserveCapacity(times.count)
        var index = 0
        var current: Point?
        for time in times {
            while index < list.count, list[index].time <= time {
                current = list[index]
                index += 1
            }
            result.append(current.map { ($0.running, $0.desired) })
        }
        return result
    }
}
