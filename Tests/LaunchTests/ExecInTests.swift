import CWharfLaunch
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ExecInTests: FixtureTestCase {
    /// Starts a long-running container and returns its (tracked) pid.
    private func startContainer(initProcess: Bool) throws -> pid_t {
        let arena = CArena()
        var s = fx.spec(arena, "echo from-container > /tmp/state; exec sleep 60")
        s.hostname = arena.str("web1")
        s.init_process = initProcess ? 1 : 0
        let pid = try fx.launch(s)
        // Wait until the container has written its state file (it runs in parallel with us).
        for _ in 0..<100 {
            if FileManager.default.fileExists(atPath: fx.rootfs + "/tmp/state") { break }
            usleep(20_000)
        }
        return pid
    }

    private struct ExecResult { var code: Int32; var out: String }

    private func execIn(_ target: pid_t, _ argv: [String], uid: UInt32 = 0, cwd: String? = nil,
                        cgroups: [String] = []) throws -> ExecResult {
        let a = CArena()
        let out = Pipe()
        defer { close(out.read) }
        var errbuf = [CChar](repeating: 0, count: 512)
        var err: Int32 = 0
        let pid = wharf_exec_in(target, a.strings(argv), a.strings(["PATH=/bin"]), cwd.map { a.str($0) }, uid, uid,
                                cgroups.isEmpty ? nil : a.strings(cgroups), cgroups.count,
                                out.write, out.write, &errbuf, errbuf.count, &err)
        close(out.write)
        if pid < 0 { throw LaunchError(message: cString(errbuf), errno: err) }
        fx.track(pid)
        let text = readAll(out.read)
        let code = exitCode(waitStatus(pid))
        fx.forget(pid)
        return ExecResult(code: code, out: text)
    }

    func testExecSeesContainer() throws {
        for useInit in [false, true] {
            let container = try startContainer(initProcess: useInit)
            let r = try execIn(container, ["sh", "-c", "echo $$; hostname; cat /tmp/state; id -u; pwd; exit 3"],
                               uid: 1000, cwd: "/etc")
            let lines = r.out.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 5, r.out)
            XCTAssertNotEqual(lines.first, "1")
            XCTAssertEqual(Array(lines.dropFirst()), ["web1", "from-container", "1000", "/etc"])
            XCTAssertEqual(r.code, 3)
            // Root exec gets the container's capabilities, not the caller's.
            let caps = try execIn(container, ["grep", "-e", "CapEff", "-e", "NoNewPrivs", "/proc/self/status"])
            XCTAssertEqual(caps.out, "CapEff:\t00000000a80425fb\nNoNewPrivs:\t1\n")
            kill(container, SIGKILL)
            _ = waitStatus(container)
            fx.forget(container)
        }
    }

    func testKillingExecPidKillsCommand() throws {
        let container = try startContainer(initProcess: false)
        let a = CArena()
        var errbuf = [CChar](repeating: 0, count: 512)
        var err: Int32 = 0
        let pid = wharf_exec_in(container, a.strings(["sleep", "1000"]), nil, nil, 0, 0, nil, 0, -1, -1,
                                &errbuf, errbuf.count, &err)
        XCTAssertGreaterThan(pid, 0, cString(errbuf))
        guard pid > 0 else { return }
        fx.track(pid)
        XCTAssertTrue(try waitFor { try self.execIn(container, ["ps"]).out.contains("sleep 1000") })
        kill(pid, SIGKILL)
        XCTAssertEqual(exitCode(waitStatus(pid)), 137)
        fx.forget(pid)
        // The command dies (PR_SET_PDEATHSIG); its zombie is reparented outside the container.
        XCTAssertTrue(try waitFor { try !self.execIn(container, ["ps"]).out.contains("sleep 1000") })
    }

    func testExecForwardsSignals() throws {
        let container = try startContainer(initProcess: false)
        let a = CArena()
        var errbuf = [CChar](repeating: 0, count: 512)
        var err: Int32 = 0
        let pid = wharf_exec_in(container, a.strings(["sleep", "1000"]), nil, nil, 0, 0, nil, 0, -1, -1,
                                &errbuf, errbuf.count, &err)
        XCTAssertGreaterThan(pid, 0, cString(errbuf))
        guard pid > 0 else { return }
        fx.track(pid)
        usleep(100_000)
        kill(pid, SIGTERM)
        XCTAssertEqual(exitCode(waitStatus(pid)), 128 + SIGTERM)
        fx.forget(pid)
    }

    func testExecErrors() throws {
        let container = try startContainer(initProcess: false)
        XCTAssertThrowsError(try execIn(container, ["true"], cwd: "/nonexistent")) { error in
            XCTAssertEqual((error as? LaunchError)?.message, "chdir /nonexistent: chdir: No such file or directory")
        }
        XCTAssertThrowsError(try execIn(container, ["nope"])) { error in
            XCTAssertEqual((error as? LaunchError)?.message, "exec nope: execve: No such file or directory")
        }
        // A pid that does not exist (pid_max is at most 2^22).
        XCTAssertThrowsError(try execIn(99_999_999, ["true"])) { error in
            XCTAssertEqual((error as? LaunchError)?.errno, ENOENT)
        }
    }

    private func waitFor(_ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<50 {
            if try condition() { return true }
            usleep(50_000)
        }
        return false
    }
}
