import Foundation
import LinuxHost
import Runtime
import ShimProtocol
import XCTest

/// Every runtime on a data directory finds its tasks' state (see `TaskLayout`): in the state
/// directory recorded for it, or, for tasks of the one-directory layout, in their storage.
final class StateDirectoryTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func tearDown() {
        fixture?.tearDown()
        fixture = nil
    }

    func testRuntimeWithoutAChoiceUsesTheRecordedStateDirectory() throws {
        // A state directory of its own beside the fixture's data directory (its root goes with it).
        fixture = try RuntimeFixture { $0.stateDirectory = ($0.dataDirectory as NSString).deletingLastPathComponent + "/state" }
        let chosen = fixture.configuration
        let task = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        XCTAssertTrue(FileSystem.exists(chosen.layout(ofTask: task.id).spec))

        // A later command on the same data directory, told nothing of the state directory.
        let later = try ContainerRuntime(configuration: RuntimeConfiguration(
            dataDirectory: chosen.dataDirectory, bridgeName: chosen.bridgeName, subnet: chosen.subnet,
            cgroupParent: chosen.cgroupParent, vethPrefix: chosen.vethPrefix))
        XCTAssertEqual(later.configuration.stateDirectory, chosen.stateDirectory)
        XCTAssertEqual(try later.status(of: task.id).containers.first?.exitCode, 0)
        XCTAssertTrue(FileSystem.exists(chosen.layout(ofTask: task.id).storageDirectory), "its storage was taken for an orphan's")
    }

    func testAnotherStateDirectoryIsRefusedWhileTheRecordedOneHoldsTasks() throws {
        fixture = try RuntimeFixture()
        _ = try fixture.launch(RuntimeFixture.task(["true"]), until: { $0.lastStatus == "STOPPED" })
        var other = fixture.configuration
        other.stateDirectory = fixture.root + "/elsewhere"
        XCTAssertThrowsError(try ContainerRuntime(configuration: other)) { error in
            guard case .invalidConfiguration(let field, _)? = error as? RuntimeError else {
                return XCTFail("expected invalidConfiguration, got \(error)")
            }
            XCTAssertEqual(field, "stateDirectory")
        }
        XCTAssertFalse(FileSystem.exists(other.tasksDirectory))
    }

    /// A stopped task as an earlier version left it: record, events and plan beside its logs and
    /// writable layer in `DATA/tasks/ID`, nothing in the state directory.
    func testTaskOfTheOneDirectoryLayoutIsAdoptedAndRemoved() throws {
        fixture = try RuntimeFixture()
        let task = try fixture.launch(RuntimeFixture.task(["sh", "-c", "echo old layout"]), until: { $0.lastStatus == "STOPPED" })
        let layout = fixture.configuration.layout(ofTask: task.id)
        for name in [TaskLayout.recordName, "events", "plan", "supervisor.pid"] {
            try FileSystem.writeAtomically(layout.storageDirectory + "/" + name, try FileSystem.read(layout.directory + "/" + name))
        }
        try FileSystem.removeTree(layout.directory)

        let restarted = try ContainerRuntime(configuration: fixture.configuration)
        let adopted = try restarted.status(of: task.id)
        XCTAssertEqual(adopted.lastStatus, "STOPPED")
        XCTAssertEqual(adopted.containers.first?.exitCode, 0)
        let log = try String(contentsOfFile: restarted.logPath(task: task.id, container: "main"), encoding: .utf8)
        XCTAssertTrue(log.contains("old layout"), log)

        try restarted.remove(task.id)
        restarted.finishRemovals()
        XCTAssertFalse(FileSystem.exists(layout.directory))
        XCTAssertFalse(FileSystem.exists(layout.storageDirectory))
        XCTAssertEqual(try FileSystem.listDirectory(fixture.configuration.removedTasksDirectory), [])
        XCTAssertEqual(try FileSystem.listDirectory(fixture.configuration.removedTaskStatesDirectory), [])
        XCTAssertEqual(fixture.leftovers(), [])
    }
}

/// The record of the state directory cannot change under a runtime that uses it.
final class StateDirectoryRecordLockTests: XCTestCase {
    func testAnotherChoiceIsRefusedWhileARuntimeOnTheDataDirectoryRuns() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.tearDown() }
        // No task yet: only the running runtime holds the recorded directory.
        var other = fixture.configuration
        other.stateDirectory = fixture.root + "/elsewhere"
        XCTAssertThrowsError(try ContainerRuntime(configuration: other)) { error in
            guard case .invalidConfiguration(let field, let message)? = error as? RuntimeError else {
                return XCTFail("expected invalidConfiguration, got \(error)")
            }
            XCTAssertEqual(field, "stateDirectory")
            XCTAssertTrue(message.contains("another runtime"), message)
        }
    }

    func testRelativeDataDirectoryIsMadeAbsolute() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.tearDown() }
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(fixture.root))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        var relative = fixture.configuration
        relative.dataDirectory = "data"
        let runtime = try ContainerRuntime(configuration: relative)
        XCTAssertEqual(runtime.configuration.dataDirectory, fixture.root + "/data")
        XCTAssertEqual(runtime.configuration.stateDirectory, fixture.configuration.stateDirectory)
    }
}
