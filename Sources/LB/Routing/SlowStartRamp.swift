/// ALB's slow start: "The load balancer linearly increases the number of requests that it can
/// send to a target in slow start mode." A target's weight is scaled by the fraction of the
/// slow start duration that has passed.
public enum SlowStartRamp {
    /// Weights are scaled by this factor so a ramping target's share can be fractional while
    /// the pickers add integers.
    public static let weightScale = 1000

    /// The weight a target gets at `now`, in `weightScale` units: `weight × weightScale` once
    /// out of slow start, a linear share of it while ramping (at least 1, so a ramping target
    /// is never starved completely), 0 when `weight` is 0.
    @inline(__always)
    public static func effectiveWeight(
        weight: Int, slowStartSince: Double?, durationSeconds: Double, now: Double
    ) -> Int {
        let full = weight * weightScale
        guard full > 0, durationSeconds > 0, let since = slowStartSince else { return full }
        let elapsed = now - since
        if elapsed >= durationSeconds { return full }
        if elapsed <= 0 { return 1 }
        return max(1, Int(Double(full) * elapsed / durationSeconds))
    }
}
