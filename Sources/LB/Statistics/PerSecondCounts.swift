/// Requests and server errors per whole second, for the last `capacity` seconds.
///
/// A ring indexed by the second (`floor(now)`). Moving to a later second clears the slots
/// skipped over, so idle seconds read as zero, and a jump of `capacity` seconds or more clears
/// the whole ring. Counts that arrive for a second older than the ring holds are added to the
/// oldest second kept, so the ring never loses a count it was given. Four bytes per second per
/// series: 3,601 seconds (an hour plus the current second) take 28.8 KB.
struct PerSecondCounts: Sendable {
    /// Seconds kept, the current one included.
    let capacity: Int
    private(set) var requests: [UInt32]
    private(set) var serverErrors: [UInt32]
    /// The latest second counted into the ring (`nil` before the first count).
    private(set) var newestSecond: Int64?

    init(capacity: Int) {
        precondition(capacity > 0, "a per-second ring needs at least one slot")
        self.capacity = capacity
        requests = Array(repeating: 0, count: capacity)
        serverErrors = Array(repeating: 0, count: capacity)
    }

    /// Adds counts to the second `second`.
    mutating func add(requests newRequests: UInt64, serverErrors newErrors: UInt64, second: Int64) {
        var second = second
        if let newest = newestSecond {
            if second > newest {
                advance(from: newest, to: second)
            } else if second <= newest - Int64(capacity) {
                second = newest - Int64(capacity) + 1
            }
        } else {
            newestSecond = second
        }
        let slot = self.slot(of: second)
        requests[slot] = Self.saturatingSum(requests[slot], newRequests)
        serverErrors[slot] = Self.saturatingSum(serverErrors[slot], newErrors)
    }

    /// Clears the slots of the seconds after `newest` up to `second`, which becomes the newest.
    private mutating func advance(from newest: Int64, to second: Int64) {
        if second - newest >= Int64(capacity) {
            for slot in 0..<capacity {
                requests[slot] = 0
                serverErrors[slot] = 0
            }
        } else {
            var cleared = newest + 1
            while cleared <= second {
                let slot = self.slot(of: cleared)
                requests[slot] = 0
                serverErrors[slot] = 0
                cleared += 1
            }
        }
        newestSecond = second
    }

    /// Requests of the `count` whole seconds before `second`, oldest first; seconds never
    /// counted or no longer kept read as zero. `count` is capped at `capacity - 1`.
    func requests(last count: Int, before second: Int64) -> [Int] {
        values(requests, last: count, before: second)
    }

    /// Server errors of the `count` whole seconds before `second`, oldest first.
    func serverErrors(last count: Int, before second: Int64) -> [Int] {
        values(serverErrors, last: count, before: second)
    }

    /// The sum of requests over the `count` whole seconds before `second`.
    func requestSum(last count: Int, before second: Int64) -> UInt64 {
        let count = min(max(count, 0), capacity - 1)
        var sum: UInt64 = 0
        var current = second - Int64(count)
        while current < second {
            sum += UInt64(value(requests, at: current))
            current += 1
        }
        return sum
    }

    private func values(_ series: [UInt32], last count: Int, before second: Int64) -> [Int] {
        let count = min(max(count, 0), capacity - 1)
        var result: [Int] = []
        result.reserveCapacity(count)
        var current = second - Int64(count)
        while current < second {
            result.append(Int(value(series, at: current)))
            current += 1
        }
        return result
    }

    private func value(_ series: [UInt32], at second: Int64) -> UInt32 {
        guard let newest = newestSecond, second <= newest, second > newest - Int64(capacity) else { return 0 }
        return series[slot(of: second)]
    }

    private func slot(of second: Int64) -> Int {
        let remainder = second % Int64(capacity)
        return Int(remainder < 0 ? remainder + Int64(capacity) : remainder)
    }

    private static func saturatingSum(_ current: UInt32, _ added: UInt64) -> UInt32 {
        let sum = UInt64(current) + added
        return sum > UInt64(UInt32.max) ? UInt32.max : UInt32(sum)
    }
}
