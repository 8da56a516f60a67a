import Foundation
import Runtime
import XCTest

/// Container output: stdout and stderr go to the container's log file, which is readable while
/// the task runs and rotated by size.
final class LogTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    private func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    private func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    func testStdoutAndStderrLandInTheLog() throws {
        let launched = try fixture.runtime.launch(RuntimeFixture.task(["sh", "-c", "echo out; echo err >&2"]))
        let stopped = try fixture.runtime.wait(launched.id, timeout: 10)
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 0)
        let log = read(try fixture.runtime.logPath(task: launched.id, container: "main"))
        XCTAssertEqual(log.split(separator: "\n").sorted(), ["err", "out"], "log: \(log.debugDescription)")
    }

    func testLogIsReadableWhileTheTaskRuns() throws {
        let status = try fixture.launch(
            RuntimeFixture.task(["sh", "-c", "echo ready-line; sleep 100"]) { $0.initProcessEnabled = true })
        XCTAssertEqual(status.lastStatus, "RUNNING")
        let path = try fixture.runtime.logPath(task: status.id, container: "main")
        // The log lives in a subdirectory the task watch does not cover: poll it, bounded.
        let deadline = Date().addingTimeInterval(5)
        while !read(path).contains("ready-line"), Date() < deadline { usleep(20_000) }
        XCTAssertEqual(read(path), "ready-line\n")
        XCTAssertEqual(try fixture.runtime.status(of: status.id).lastStatus, "RUNNING", "read while running")
    }

    func testLogRotatesBySize() throws {
        // 40 lines of 500 bytes, paced so each reaches the supervisor as its own write: 20 KB
        // through 4 KB files, keeping the live file and one rotated file.
        let script = """
            pad=$(printf '%0490d' 0); i=100; while [ $i -lt 140 ]; do echo "line $i $pad"; i=$((i+1)); usleep 10000; done
            """
        let launched = try fixture.runtime.launch(
            RuntimeFixture.task(["sh", "-c", script]) {
                $0.logMaxBytes = 4096
                $0.logMaxFiles = 2
            })
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        XCTAssertEqual(stopped.container(named: "main")?.exitCode, 0)
        let path = try fixture.runtime.logPath(task: launched.id, container: "main")
        let lineBytes = 500
        let live = try XCTUnwrap(size(path), "no live log")
        let rotated = try XCTUnwrap(size(path + ".1"), "no rotated log")
        XCTAssertLessThanOrEqual(live, 4096 + lineBytes)
        XCTAssertLessThanOrEqual(rotated, 4096 + lineBytes)
        XCTAssertGreaterThan(rotated, 4096 - lineBytes, "rotated before the file was full")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".2"), "kept more than logMaxFiles files")
        // The two files hold the newest lines, in order, with none lost between them.
        func numbers(_ text: String) -> [Int] {
            text.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        }
        let all = numbers(read(path + ".1")) + numbers(read(path))
        XCTAssertEqual(all.last, 139, "the last line is in the live file")
        XCTAssertEqual(all, Array((all.first ?? 0)...139), "lines out of order or lost across rotation")
    }

    func testUnknownContainerNamesTheOnesThatExist() throws {
        let status = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertThrowsError(try fixture.runtime.logPath(task: status.id, container: "nosuch")) { error in
            XCTAssertEqual(
                error as? RuntimeError, .containerNotFound(taskID: status.id, container: "nosuch", known: ["main"]))
        }
    }
}
