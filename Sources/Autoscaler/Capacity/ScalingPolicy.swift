/// One policy attached to a scalable target.
public struct ScalingPolicy: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case targetTracking(TargetTrackingConfiguration)
        case stepScaling(StepScalingConfiguration)
    }

    /// The policy's name, unique on its target.
    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The metrics this policy needs a reading of every second.
    public var metrics: [ScalingMetric] {
        switch kind {
        case .targetTracking(let configuration): return [configuration.metric]
        case .stepScaling(let configuration): return configuration.alarm.map { [$0.metric] } ?? []
        }
    }
}
