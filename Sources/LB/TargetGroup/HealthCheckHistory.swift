/// The last `capacity` health checks of a target, in a fixed ring (no growth after creation).
public struct HealthCheckHistory: Sendable, Equatable {
    /// Checks kept per target by default.
    public static let defaultCapacity = 20

    public let capacity: Int
    private var storage: [HealthCheckRecord] = []
    /// Index of the oldest record once the ring is full.
    private var start = 0

    public init(capacity: Int = HealthCheckHistory.defaultCapacity) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    public mutating func append(_ record: HealthCheckRecord) {
        if storage.count < capacity {
            storage.append(record)
        } else {
            storage[start] = record
            start = (start + 1) % capacity
        }
    }

    /// The records, oldest first.
    public var records: [HealthCheckRecord] {
        Array(storage[start...] + storage[..<start])
    }

    public var count: Int { storage.count }

    /// The most recent record.
    public var last: HealthCheckRecord? {
        storage.isEmpty ? nil : storage[(start + storage.count - 1) % storage.count]
    }
}
