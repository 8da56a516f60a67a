#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call, naming the step that was being taken and the call that failed.
///
/// Every error that leaves `LinuxHost` is one of these, so a caller can always tell what
/// Wharf was doing (`step`), which kernel interface refused (`call`) and why (`errno`).
public struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What Wharf was doing, for example `"create veth pair wh1a2b for task 1a2b..."`.
    public var step: String
    /// The system call or kernel interface that failed, for example `"RTM_NEWLINK"` or `"mount"`.
    public var call: String
    /// The `errno` value reported by the kernel (0 when the failure was not an errno, e.g. a short read).
    public var errno: Int32

    public init(step: String, call: String, errno: Int32) {
        self.step = step
        self.call = call
        self.errno = errno
    }

    /// Builds an error from the calling thread's current `errno`.
    public static func current(step: String, call: String) -> SystemError {
        SystemError(step: step, call: call, errno: Glibc.errno)
    }

    /// The C library's text for `errno`.
    public var reason: String {
        guard errno != 0, let text = strerror(errno) else { return "failed" }
        return String(cString: text)
    }

    public var description: String {
        "\(step): \(call): \(reason)" + (errno != 0 ? " (errno \(errno))" : "")
    }
}

/// Runs a system call that reports failure as `-1` with `errno`, retrying on `EINTR`.
@inline(__always)
public func retryingOnInterrupt<T: BinaryInteger>(
    step: @autoclosure () -> String, call: String, _ body: () -> T
) throws(SystemError) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(step: step(), call: call, errno: code)
    }
}
