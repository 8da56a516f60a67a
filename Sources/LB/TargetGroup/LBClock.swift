import LinuxHost

/// The time source of the load balancer's policy code: seconds on a monotonic clock. Every
/// decision takes `now` as an argument, so tests drive it with their own values; the engine
/// reads this clock once per event-loop iteration.
public protocol LBClock: Sendable {
    /// Seconds since an arbitrary fixed point; never goes backwards.
    func now() -> Double
}

/// `CLOCK_MONOTONIC` in seconds.
public struct MonotonicClock: LBClock {
    public init() {}

    public func now() -> Double {
        Double(Clock.monotonicNanoseconds()) / 1_000_000_000
    }
}
