/// How fast and how cautiously a target-tracking policy reacts. These are Wharf's own knobs
/// (AWS's equivalents are fixed one-minute datapoints: three to scale out, fifteen to scale in).
///
/// Scale-out has two paths: a fast one (the median of the last ``fastWindowSeconds`` seconds,
/// so one noisy second cannot trigger it and a real step is seen in about two) that acts
/// when the capacity needed exceeds the current count by more than ``fastTolerance``; and a
/// sustained one (the median of ``sustainedWindowSeconds``, since the last scale-in) that catches smaller, lasting
/// excesses beyond ``sustainedTolerance``. Scale-in happens only when every second of the
/// last ``scaleInStabilizationSeconds`` needed clearly fewer tasks (by ``scaleInTolerance``)
/// and then to the largest count any of those seconds needed.
public struct TargetTrackingTuning: Sendable, Hashable {
    /// Seconds whose median drives the fast scale-out path.
    public var fastWindowSeconds: Int
    /// Fraction above the current count the fast path needs before it acts.
    public var fastTolerance: Double
    /// Seconds whose median drives the sustained scale-out path.
    public var sustainedWindowSeconds: Int
    /// Fraction above the current count the sustained path needs before it acts.
    public var sustainedTolerance: Double
    /// Seconds the need must stay clearly below the current count before scaling in.
    public var scaleInStabilizationSeconds: Int
    /// Fraction below the current count every second of the window must need.
    public var scaleInTolerance: Double
    /// Fraction of a window's seconds that must have a reading for the window to count.
    public var minimumCoverage: Double

    public init(
        fastWindowSeconds: Int = 3, fastTolerance: Double = 0.25,
        sustainedWindowSeconds: Int = 30, sustainedTolerance: Double = 0.10,
        scaleInStabilizationSeconds: Int = 120, scaleInTolerance: Double = 0.10,
        minimumCoverage: Double = 0.8
    ) {
        self.fastWindowSeconds = max(1, fastWindowSeconds)
        self.fastTolerance = max(0, fastTolerance)
        self.sustainedWindowSeconds = max(1, sustainedWindowSeconds)
        self.sustainedTolerance = max(0, sustainedTolerance)
        self.scaleInStabilizationSeconds = max(1, scaleInStabilizationSeconds)
        self.scaleInTolerance = min(max(0, scaleInTolerance), 1)
        self.minimumCoverage = min(max(0, minimumCoverage), 1)
    }

    /// Wharf's defaults: a 3 s median beyond 25%, a 30 s median beyond 10%, scale-in after
    /// 120 s clearly (10%) below.
    public static let standard = TargetTrackingTuning()

    /// How many readings a window of `seconds` needs to count.
    func requiredSamples(_ seconds: Int) -> Int {
        max(1, Int((Double(seconds) * minimumCoverage).rounded(.up)))
    }
}
