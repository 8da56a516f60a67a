#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock and monotonic time without Foundation.
public enum Clock {
    /// Nanoseconds since the Unix epoch (CLOCK_REALTIME): timestamps that are written down.
    public static func wallNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Nanoseconds on CLOCK_MONOTONIC: durations and deadlines.
    public static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
