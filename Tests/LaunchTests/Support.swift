import CWharfLaunch
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Owns C allocations handed to wharf_launch; frees them when released.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    func str(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s)!
        allocations.append(UnsafeMutableRawPointer(p))
        return UnsafePointer(p)
    }

    func strings(_ list: [String]) -> UnsafePointer<UnsafePointer<CChar>?> {
        let buf = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: list.count + 1)
        for (i, s) in list.enumerated() { buf[i] = str(s) }
        buf[list.count] = nil
        allocations.append(UnsafeMutableRawPointer(buf))
        return UnsafePointer(buf)
    }

    func array<T>(_ list: [T]) -> UnsafePointer<T> {
        let buf = UnsafeMutablePointer<T>.allocate(capacity: max(list.count, 1))
        buf.initialize(from: list, count: list.count)
        allocations.append(UnsafeMutableRawPointer(buf))
        return UnsafePointer(buf)
    }

    deinit { allocations.forEach { free($0) } }
}

/// A NUL-terminated C buffer as a String.
func cString(_ buf: [CChar]) -> String {
    buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// unshare(2): Glibc's Swift module is built without _GNU_SOURCE, so look it up at run time.
func unshareNamespaces(_ flags: Int32) -> Int32 {
    typealias Fn = @convention(c) (Int32) -> Int32
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare") else { return -1 }
    return unsafeBitCast(sym, to: Fn.self)(flags)
}

/// A new network namespace (with only `lo`), as a descriptor the caller closes, and its inode.
/// unshare(CLONE_NEWNET) only affects the calling thread, so it is made on a throwaway thread
/// (the runtime's supervisor holds a descriptor like this one).
func makeNetworkNamespace() throws -> (fd: Int32, inode: UInt) {
    final class Box: @unchecked Sendable { var fd: Int32 = -1; var err: Int32 = 0 }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        if unshareNamespaces(0x4000_0000 /* CLONE_NEWNET */) == 0 {
            box.fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        }
        box.err = errno
        done.signal()
    }
    thread.start()
    done.wait()
    guard box.fd > 0 else { throw LaunchError(message: "network namespace setup", errno: box.err) }
    var st = stat()
    guard fstat(box.fd, &st) == 0 else {
        close(box.fd)
        throw LaunchError(message: "fstat of the network namespace", errno: errno)
    }
    return (box.fd, UInt(st.st_ino))
}

/// Exit code of a wait status: the code, or 128+signal.
func exitCode(_ status: Int32) -> Int32 {
    let sig = status & 0x7f
    return sig == 0 ? (status >> 8) & 0xff : 128 + sig
}

func waitStatus(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
}

func readAll(_ fd: Int32) -> String {
    var data = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buf, buf.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        data.append(contentsOf: buf[0..<n])
    }
    return String(decoding: data, as: UTF8.self)
}

/// Reads from fd until `marker` has been seen (or EOF).
func readUntil(_ fd: Int32, _ marker: String) -> String {
    var text = ""
    var byte: UInt8 = 0
    while !text.contains(marker) {
        let n = read(fd, &byte, 1)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        text += String(decoding: [byte], as: UTF8.self)
    }
    return text
}

struct Pipe {
    let read: Int32, write: Int32
    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)  // pipe2 is not visible without _GNU_SOURCE
        read = fds[0]
        write = fds[1]
        _ = fcntl(read, F_SETFD, FD_CLOEXEC)
        _ = fcntl(write, F_SETFD, FD_CLOEXEC)
    }
}

struct RunResult {
    var code: Int32
    var out: String
    var err: String
}

struct LaunchError: Error, CustomStringConvertible {
    var message: String
    var errno: Int32
    var description: String { "\(message) (errno \(errno))" }
}

/// A test case with a fresh `Fixture` per test, skipped unless it runs as root with busybox-static.
class FixtureTestCase: XCTestCase {
    var fx: Fixture!

    override func setUpWithError() throws {
        try XCTSkipUnless(geteuid() == 0, "launch tests need root")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/usr/bin/busybox"), "needs busybox-static")
        fx = try Fixture()
    }

    override func tearDown() {
        fx?.cleanup()
        fx = nil
    }
}

/// A throwaway busybox root filesystem plus the directories tests mount things from.
/// Everything lives under one temp dir that `cleanup()` removes.
final class Fixture {
    let base: String
    var rootfs: String { base + "/rootfs" }      // the image ("lower")
    var mountpoint: String { base + "/mnt" }     // where the container's root is mounted
    private var pids: [pid_t] = []

    static let applets = [
        "sh", "echo", "cat", "sleep", "true", "false", "id", "hostname", "ls", "mount", "grep", "readlink",
        "kill", "touch", "pwd", "ps", "test", "[", "wc", "tr", "mkdir", "stat",
    ]

    init() throws {
        var template = Array("/tmp/wharf-launch-test-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw LaunchError(message: "mkdtemp", errno: errno) }
        base = String(cString: p)
        let fm = FileManager.default
        for dir in ["rootfs/bin", "rootfs/etc", "rootfs/tmp", "rootfs/proc", "rootfs/dev", "rootfs/sys", "mnt"] {
            try fm.createDirectory(atPath: base + "/" + dir, withIntermediateDirectories: true)
        }
        chmod(rootfs + "/tmp", 0o1777)
        try fm.copyItem(atPath: "/usr/bin/busybox", toPath: rootfs + "/bin/busybox")
        for applet in Fixture.applets {
            try fm.createSymbolicLink(atPath: rootfs + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try "marker-content\n".write(toFile: rootfs + "/etc/marker", atomically: false, encoding: .utf8)
    }

    func makeDir(_ name: String) throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Remembers a pid so cleanup() can kill and reap it if the test failed half-way.
    func track(_ pid: pid_t) { pids.append(pid) }

    func forget(_ pid: pid_t) { pids.removeAll { $0 == pid } }

    func cleanup() {
        for pid in pids {
            kill(pid, SIGKILL)
            _ = waitStatus(pid)
        }
        pids.removeAll()
        // The container's mounts lived in its own mount namespace and went away with it.
        try? FileManager.default.removeItem(atPath: base)
    }

    /// A spec for `sh -c script` on a bind-mounted busybox rootfs, root with Docker's capabilities.
    func spec(_ arena: CArena, _ script: String) -> wharf_launch_spec {
        var s = wharf_launch_spec()
        s.netns_fd = -1
        s.rootfs = arena.str(mountpoint)
        s.overlay_lower = arena.str(rootfs)
        s.argv = arena.strings(["sh", "-c", script])
        s.envp = arena.strings(["PATH=/bin", "HOME=/"])
        s.capabilities = wharf_default_capabilities()
        s.stdout_fd = -1
        s.stderr_fd = -1
        return s
    }

    /// Launches, returning the pid (tracked) or throwing the error message.
    func launch(_ spec: wharf_launch_spec) throws -> pid_t {
        var spec = spec
        var errbuf = [CChar](repeating: 0, count: 512)
        var err: Int32 = 0
        let pid = wharf_launch(&spec, &errbuf, errbuf.count, &err)
        if pid < 0 {
            throw LaunchError(message: cString(errbuf), errno: err)
        }
        track(pid)
        return pid
    }

    /// Runs a container to completion, collecting stdout and stderr. A watchdog kills it after 20s.
    func run(_ script: String, configure: (inout wharf_launch_spec, CArena) -> Void = { _, _ in }) throws -> RunResult {
        let arena = CArena()
        var s = spec(arena, script)
        let out = Pipe(), err = Pipe()
        s.stdout_fd = out.write
        s.stderr_fd = err.write
        configure(&s, arena)
        defer { close(out.read); close(err.read) }
        let pid: pid_t
        do {
            pid = try launch(s)
        } catch {
            close(out.write)
            close(err.write)
            throw error
        }
        close(out.write)
        close(err.write)
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        let stdout = readAll(out.read)
        let stderr = readAll(err.read)
        let status = waitStatus(pid)
        watchdog.cancel()
        forget(pid)
        return RunResult(code: exitCode(status), out: stdout, err: stderr)
    }
}
