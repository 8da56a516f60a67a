/// A target group as workers see it: its algorithm and passive-health settings, and its
/// targets ordered by `TargetID`.
public struct RouteGroup: Sendable, Equatable {
    public let name: String
    public let algorithm: TargetGroupConfiguration.Algorithm
    /// 0 when slow start is off.
    public let slowStartSeconds: Double
    public let outlierDetection: OutlierDetectionConfiguration
    /// Ordered by `id`, so a target is found by binary search.
    public let targets: [RouteTarget]
    /// Whether a listener forwards to this group (a group no listener uses is `unused`).
    public let inUse: Bool

    public init(
        name: String, algorithm: TargetGroupConfiguration.Algorithm, slowStartSeconds: Double,
        outlierDetection: OutlierDetectionConfiguration, targets: [RouteTarget], inUse: Bool
    ) {
        self.name = name
        self.algorithm = algorithm
        self.slowStartSeconds = slowStartSeconds
        self.outlierDetection = outlierDetection
        self.targets = targets.sorted { $0.id < $1.id }
        self.inUse = inUse
    }

    /// The index of the target with `id`, by binary search.
    public func index(of id: TargetID) -> Int? {
        var low = 0
        var high = targets.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let middleID = targets[middle].id
            if middleID == id { return middle }
            if middleID < id { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}
