#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a pull is doing right now, carried down to the socket so every error names the
/// image, the registry and the step.
struct PullStep: Sendable {
    /// The image as the user named it.
    var image: String
    /// `host[:port]` of the registry.
    var registry: String
    /// e.g. `resolve manifest`, `fetch blob sha256:...`.
    var step: String
    /// Absolute monotonic deadline of the whole pull (seconds, `CLOCK_MONOTONIC`).
    var deadline: Double
    /// The pull's overall time bound, reported when the deadline is what stopped it.
    var overall: Double

    func with(step: String) -> PullStep {
        var copy = self
        copy.step = step
        return copy
    }

    /// Seconds left before the pull's deadline.
    var remaining: Double { deadline - PullStep.now() }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func connectionError(_ call: String, _ code: Int32 = errno) -> RegistryError {
        .connection(image: image, registry: registry, step: step, call: call, errno: code)
    }

    func timedOut(_ seconds: Double) -> RegistryError {
        .timedOut(image: image, registry: registry, step: step, seconds: seconds)
    }

    func protocolViolation(_ detail: String) -> RegistryError {
        .protocolViolation(image: image, registry: registry, step: step, detail: detail)
    }
}
