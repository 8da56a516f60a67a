import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A thread started by `EventLoop.spawnThread`, to be joined once.
public final class ThreadHandle: Sendable {
    /// The longest name Linux keeps for a thread (16 bytes with the terminating NUL).
    static let maximumNameLength = 15

    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    /// The name given at spawn (truncated to 15 bytes for the kernel).
    public let name: String

    fileprivate init(thread: pthread_t, name: String) {
        self.thread = thread
        self.name = name
    }

    /// Waits for the thread to finish. Later calls return at once. Must not be called from
    /// the thread itself.
    public func join() {
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pthread_join(thread, nil)
    }
}

/// What a new thread runs, passed through `pthread_create`'s argument.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

private func threadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    let start = Unmanaged<ThreadStart>.fromOpaque(argument).takeRetainedValue()
    nameCurrentThread(start.name)
    start.body()
    return nil
}

/// Names the calling thread through `/proc/thread-self/comm` (what `pthread_setname_np` does;
/// Glibc hides that function from Swift without `_GNU_SOURCE`). A failure leaves the name
/// unchanged: the name is for people reading `top -H`, nothing depends on it.
private func nameCurrentThread(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array(name.utf8.prefix(ThreadHandle.maximumNameLength))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

extension EventLoop {
    /// Starts `body` on a new pthread named `name` (shown by `top -H`, `ps -L`), with the
    /// default stack size. Join it with `ThreadHandle.join()`.
    public static func spawnThread(name: String, body: @escaping @Sendable () -> Void) throws(IOError) -> ThreadHandle {
        let start = Unmanaged.passRetained(ThreadStart(name: name, body: body))
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, threadEntry, start.toOpaque())
        guard code == 0 else {
            start.release()
            throw .spawnThread(name: name, errno: code)
        }
        return ThreadHandle(thread: thread, name: name)
    }
}
