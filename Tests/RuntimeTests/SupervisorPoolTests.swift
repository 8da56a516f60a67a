import Foundation
import LinuxHost
import Runtime
import XCTest

/// Supervisors on standby: the pool fills after the first launch, a launch adopts one (which
/// then runs its task like a supervisor spawned for it, log included), one that died on
/// standby is replaced by a new spawn, and removing the runtime lets every standby one go.
final class SupervisorPoolTests: XCTestCase {
    var fixture: RuntimeFixture!
    /// Standby supervisors of other runtimes this process still holds (other tests'), which
    /// `standbySupervisors()` leaves out.
    private var others: Set<pid_t> = []

    override func setUpWithError() throws {
        others = standbySupervisors()
        fixture = try RuntimeFixture()
    }
    override func tearDown() {
        fixture?.tearDown()
        fixture = nil
    }

    /// This process's children spawned as supervisors on standby (adopted ones included: their
    /// arguments stay as they were spawned).
    private func standbySupervisors() -> Set<pid_t> {
        let me = getpid()
        var found: Set<pid_t> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards)
            else { continue }
            // After "PID (COMM) ": state, then the parent's pid.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            guard fields.count > 1, pid_t(fields[1]) == me,
                  let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
            else { continue }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if arguments.count == 2, arguments[0].hasSuffix("wharf-shim"), arguments[1] == "--standby" { found.insert(pid) }
        }
        return found.subtracting(others)
    }

    private func waitForStandby(count: Int) -> Set<pid_t> {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let standby = standbySupervisors()
            if standby.count == count { return standby }
            usleep(10_000)
        }
        return standbySupervisors()
    }

    func testLaunchAdoptsAStandbySupervisorAndRemovalLetsTheRestGo() throws {
        XCTAssertEqual(standbySupervisors(), [], "no standby supervisor before the first launch")
        let first = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(first.containers.first?.exitCode, 0)
        let size = fixture.configuration.supervisorPoolSize
        let standby = waitForStandby(count: size)
        XCTAssertEqual(standby.count, size, "the pool never filled")

        // An init as PID 1 so the stop's SIGTERM ends it at once.
        let launched = try fixture.runtime.launch(
            RuntimeFixture.task(["sh", "-c", "echo adopted; exec sleep 30"]) { $0.initProcessEnabled = true })
        let running = try fixture.runtime.wait(launched.id, timeout: 10, description: "the adopted task") { $0.lastStatus == "RUNNING" }
        let supervisor = try XCTUnwrap(running.supervisorPID)
        XCTAssertTrue(standby.contains(supervisor), "supervisor \(supervisor) is none of the standby ones \(standby)")
        let log = try fixture.runtime.logPath(task: launched.id, container: "main")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, (try? String(contentsOfFile: log, encoding: .utf8)) != "adopted\n" { usleep(10_000) }
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "adopted\n")

        try fixture.runtime.stop(launched.id, reason: "test")
        let stopped = try fixture.runtime.wait(launched.id, timeout: 10, description: "the adopted task") { $0.lastStatus == "STOPPED" }
        XCTAssertEqual(stopped.stoppedReason, "test")
        XCTAssertEqual(fixture.leftovers(), [])

        // The adopted one has exited (and been reaped) with its task.
        XCTAssertEqual(waitForStandby(count: size).count, size, "the pool refills after a launch")
        XCTAssertFalse(standbySupervisors().contains(supervisor))
        fixture.runtime.removeEverything()
        XCTAssertEqual(standbySupervisors(), [], "removing the runtime lets its standby supervisors go (exited and reaped)")
    }

    func testAStandbySupervisorThatDiedIsReplacedByANewOne() throws {
        _ = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        let standby = waitForStandby(count: fixture.configuration.supervisorPoolSize)
        XCTAssertFalse(standby.isEmpty)
        for pid in standby { kill(pid, SIGKILL) }
        // Dead and not reaped yet: each is still this process's child, a zombie, until taken.
        let deadline = Date().addingTimeInterval(5)
        func isZombie(_ pid: pid_t) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards)
            else { return false }
            return stat[afterName.upperBound...].hasPrefix("Z")
        }
        while Date() < deadline, !standby.allSatisfy(isZombie) { usleep(5_000) }
        XCTAssertTrue(standby.allSatisfy(isZombie))
        let task = try fixture.launch(RuntimeFixture.task(["sh", "-c", "exit 7"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(task.containers.first?.exitCode, 7)
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testNoPoolSpawnsASupervisorPerLaunch() throws {
        fixture.tearDown()
        others.formUnion(standbySupervisors())
        fixture = try RuntimeFixture { $0.supervisorPoolSize = 0 }
        let task = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertEqual(task.containers.first?.exitCode, 0)
        usleep(200_000)
        XCTAssertEqual(standbySupervisors(), [])
    }
}
