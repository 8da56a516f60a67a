import Foundation
import LinuxHost
import Runtime
import XCTest

/// The default state root is kept on tmpfs (see `StateRoot`): mounted where the host's `/run`
/// is on disk, never over a file a runtime may still use.
final class StateRootTests: XCTestCase {
    private var root = ""
    private var mounted: [String] = []

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "mounting a tmpfs needs root")
        root = NSTemporaryDirectory() + "wharf-state-root-" + UUID().uuidString.prefix(8).lowercased()
        try FileSystem.makeDirectories(root, mode: 0o700)
    }

    override func tearDown() {
        for path in mounted.reversed() { umount2(path, Int32(MNT_DETACH)) }
        mounted = []
        try? FileSystem.removeTree(root)
        try? FileSystem.removeIfPresent(root + "/state.lock")
    }

    /// Mounts (in one place only, however often asked) where the directory is on disk.
    func testADiskDirectoryGetsOneTmpfs() throws {
        let state = root + "/state"
        try FileSystem.makeDirectories(state + "/var/lib/wharf/tasks", mode: 0o700)
        let wasInMemory = try FileSystem.isInMemory(root)
        let first = try StateRoot.keepInMemory(state)
        if wasInMemory {
            XCTAssertEqual(first, .inMemory)
            return
        }
        mounted.append(state)
        XCTAssertEqual(first, .mounted)
        XCTAssertTrue(try FileSystem.isInMemory(state))
        XCTAssertEqual(try FileSystem.listDirectory(state), [], "the empty directories below are hidden, not carried over")
        XCTAssertEqual(try StateRoot.keepInMemory(state), .inMemory)
        XCTAssertEqual(try mountCount(at: state), 1)
        var info = stat()
        XCTAssertEqual(stat(state, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
    }

    /// A file below (a task's record of a runtime that started before) keeps it on disk.
    func testAFileBelowKeepsItOnDisk() throws {
        try XCTSkipIf(try FileSystem.isInMemory(root), "\(root) is in memory already")
        let state = root + "/state"
        let record = state + "/var/lib/wharf/tasks/0123456789abcdef0123456789abcdef/spec.json"
        try FileSystem.makeDirectories((record as NSString).deletingLastPathComponent, mode: 0o700)
        try FileSystem.writeAtomically(record, "{}")
        guard case .onDisk(let reason) = try StateRoot.keepInMemory(state) else {
            mounted.append(state)
            return XCTFail("a tmpfs was mounted over \(record)")
        }
        XCTAssertTrue(reason.contains(record), reason)
        XCTAssertFalse(try FileSystem.isInMemory(state))
        XCTAssertEqual(try mountCount(at: state), 0)
    }

    /// A runtime on a default state directory finds its root on tmpfs.
    func testRuntimeKeepsTheDefaultStateRootInMemory() throws {
        let fixture = try RuntimeFixture()
        defer { fixture.tearDown() }
        XCTAssertTrue(fixture.configuration.stateDirectory.hasPrefix(RuntimeConfiguration.stateRoot + "/"))
        XCTAssertTrue(try FileSystem.isInMemory(fixture.configuration.tasksDirectory))
    }

    private func mountCount(at path: String) throws -> Int {
        try FileSystem.read("/proc/self/mountinfo").split(separator: "\n").filter { line in
            line.split(separator: " ").dropFirst(4).first.map(String.init) == path
        }.count
    }
}
