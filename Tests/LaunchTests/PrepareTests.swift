import CWharfLaunch
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Containers prepared ahead of their start (`wharf_prepare`, `wharf_start_prepared`,
/// `wharf_abandon_prepared`): real processes, needs root, overlayfs and busybox-static.
final class PrepareTests: FixtureTestCase {
    private func prepare(_ spec: wharf_launch_spec) throws -> wharf_prepared {
        var spec = spec
        var prepared = wharf_prepared()
        var errbuf = [CChar](repeating: 0, count: 512)
        var err: Int32 = 0
        guard wharf_prepare(&spec, &prepared, &errbuf, errbuf.count, &err) == 0 else {
            throw LaunchError(message: cString(errbuf), errno: err)
        }
        fx.track(prepared.pid)
        return prepared
    }

    private func start(
        _ prepared: inout wharf_prepared, netns: Int32 = -1, hostname: String? = nil, out: Int32 = -1, err: Int32 = -1,
        cgroups: [String] = []
    ) throws -> pid_t {
        var errbuf = [CChar](repeating: 0, count: 512)
        var code: Int32 = 0
        let arena = CArena()
        let procs = arena.strings(cgroups.map { $0 + "/cgroup.procs" })
        let pid = hostname.withOptionalCString { name in
            wharf_start_prepared(&prepared, netns, name, out, err, procs, cgroups.count, &errbuf, errbuf.count, &code)
        }
        guard pid > 0 else { throw LaunchError(message: cString(errbuf), errno: code) }
        return pid
    }

    func testStartHandsOverNetworkHostNameAndOutput() throws {
        let netns = try makeNetworkNamespace()
        defer { close(netns.fd) }
        let arena = CArena()
        var spec = fx.spec(arena, "hostname; readlink /proc/self/ns/net; ls /sys/class/net; echo $$; cat /etc/marker; touch /x 2>/dev/null || echo read-only; echo oops >&2")
        spec.readonly_rootfs = 1
        var prepared = try prepare(spec)
        let out = Pipe(), err = Pipe()
        let pid = try start(&prepared, netns: netns.fd, hostname: "prepared-host", out: out.write, err: err.write)
        close(out.write)
        close(err.write)
        defer { close(out.read); close(err.read) }
        XCTAssertEqual(prepared.pid, -1, "a start uses the prepared container up")
        XCTAssertEqual(readAll(out.read), "prepared-host\nnet:[\(netns.inode)]\nlo\n1\nmarker-content\nread-only\n")
        XCTAssertEqual(readAll(err.read), "oops\n")
        XCTAssertEqual(exitCode(waitStatus(pid)), 0)
        fx.forget(pid)
    }

    func testStartMovesTheContainerIntoItsCgroups() throws {
        // The cgroup is made after the preparation, as the runtime makes a task's.
        let arena = CArena()
        var prepared = try prepare(fx.spec(arena, "grep pids /proc/self/cgroup"))
        let cgroup = "/sys/fs/cgroup/pids/wharf-prepare-test-\(getpid())"
        try XCTSkipUnless(mkdir(cgroup, 0o755) == 0, "cannot create \(cgroup)")
        defer { rmdir(cgroup) }
        let out = Pipe()
        let pid = try start(&prepared, out: out.write, cgroups: [cgroup])
        close(out.write)
        defer { close(out.read) }
        XCTAssertTrue(readAll(out.read).hasSuffix(":pids:/wharf-prepare-test-\(getpid())\n"))
        XCTAssertEqual(exitCode(waitStatus(pid)), 0)
        fx.forget(pid)
        // A cgroup that cannot be joined fails the start and abandons the container.
        var second = try prepare(fx.spec(arena, "true"))
        let secondPID = second.pid
        XCTAssertThrowsError(try start(&second, cgroups: [fx.base + "/not-a-cgroup"])) { error in
            XCTAssertTrue((error as? LaunchError)?.message.contains("join cgroup") == true, "\(error)")
        }
        var status: Int32 = 0
        XCTAssertEqual(waitpid(secondPID, &status, WNOHANG), -1, "the container has been reaped")
        fx.forget(secondPID)
    }

    func testPreparedContainerHoldsNoDescriptorOfTheCaller() throws {
        // A pipe of the caller's made before the preparation: once the caller closes its write
        // end, the reader sees end of file only if the waiting container did not keep a copy.
        let probe = Pipe()
        let arena = CArena()
        var prepared = try prepare(fx.spec(arena, "true"))
        close(probe.write)
        // The container drops its copies right after the clone, which may not have run yet.
        var event = pollfd(fd: probe.read, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&event, 1, 5_000), 1, "no end of file within 5 s: a copy of the write end is left")
        var byte: UInt8 = 0
        XCTAssertEqual(read(probe.read, &byte, 1), 0, "end of file: no copy of the write end is left")
        close(probe.read)
        wharf_abandon_prepared(&prepared)
    }

    func testPreparedContainerWaitsUntilAbandoned() throws {
        let arena = CArena()
        var prepared = try prepare(fx.spec(arena, "true"))
        let pid = prepared.pid
        usleep(200_000)
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, WNOHANG), 0, "a prepared container waits for its start")
        wharf_abandon_prepared(&prepared)
        XCTAssertEqual(prepared.pid, -1)
        XCTAssertEqual(prepared.control_fd, -1)
        XCTAssertEqual(waitpid(pid, &status, WNOHANG), -1, "abandoning reaps the process")
        XCTAssertEqual(errno, ECHILD)
        fx.forget(pid)
        // Abandoning twice, or a container already used up, does nothing.
        wharf_abandon_prepared(&prepared)
    }

    func testPreparationFailureIsReportedAtStart() throws {
        let arena = CArena()
        var spec = fx.spec(arena, "true")
        spec.mounts = arena.array([wharf_mount(source: arena.str(fx.base + "/missing"), target: arena.str("/data"),
                                               fstype: nil, flags: 0, data: nil)])
        spec.n_mounts = 1
        var prepared = try prepare(spec)
        let pid = prepared.pid
        // The report is written before the process exits: once it is readable, the process is
        // gone or going, and the start's cgroup move finds no process (ESRCH). The report, not
        // that, is what the start must say.
        var event = pollfd(fd: prepared.error_fd, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&event, 1, 5_000), 1)
        let cgroup = "/sys/fs/cgroup/pids/wharf-prepare-failure-\(getpid())"
        try XCTSkipUnless(mkdir(cgroup, 0o755) == 0, "cannot create \(cgroup)")
        defer { rmdir(cgroup) }
        usleep(50_000)
        XCTAssertThrowsError(try start(&prepared, cgroups: [cgroup])) { error in
            let failure = error as? LaunchError
            XCTAssertTrue(failure?.message.contains("mount volume /data") == true, "\(error)")
            XCTAssertEqual(failure?.errno, ENOENT)
        }
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, WNOHANG), -1, "the failed container has been reaped")
        fx.forget(pid)
    }

    func testVolumeResolvedBelowSysIsRefusedWithEXDEV() throws {
        // An image symlink that leads a volume below /sys: sysfs, mounted only at the start,
        // would cover the volume, so the preparation refuses it (EXDEV), and the supervisor
        // starts such a container the one-shot way instead.
        try FileManager.default.createDirectory(atPath: fx.rootfs + "/sys/fs", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fx.rootfs + "/data", withDestinationPath: "/sys/fs")
        let volume = try fx.makeDir("volume")
        let arena = CArena()
        var spec = fx.spec(arena, "true")
        spec.mounts = arena.array([wharf_mount(source: arena.str(volume), target: arena.str("/data/cgroup"),
                                               fstype: nil, flags: 0, data: nil)])
        spec.n_mounts = 1
        var prepared = try prepare(spec)
        let pid = prepared.pid
        XCTAssertThrowsError(try start(&prepared)) { error in
            XCTAssertEqual((error as? LaunchError)?.errno, EXDEV, "\(error)")
        }
        fx.forget(pid)
    }

    func testStartRefusesStdinAsNamespace() throws {
        let arena = CArena()
        var prepared = try prepare(fx.spec(arena, "true"))
        let pid = prepared.pid
        XCTAssertThrowsError(try start(&prepared, netns: 0)) { error in
            XCTAssertEqual((error as? LaunchError)?.errno, EINVAL)
        }
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, WNOHANG), -1, "a refused start abandons the container")
        fx.forget(pid)
    }
}

extension Optional where Wrapped == String {
    /// Calls `body` with a C string of the value, or NULL.
    func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let text): return text.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
