import ShimProtocol
import XCTest

final class TaskLayoutTests: XCTestCase {
    func testStateAndStorageFilesLiveInTheirOwnDirectories() {
        let layout = TaskLayout(directory: "/run/wharf/state/d/tasks/t1", storageDirectory: "/var/lib/wharf/tasks/t1")
        for path in [layout.plan, layout.spec, layout.events, layout.supervisorPID, layout.stopRequest, layout.rootfs(of: "web")] {
            XCTAssertTrue(path.hasPrefix(layout.directory + "/"), path)
        }
        for path in [layout.log(of: "web"), layout.upperDirectory(of: "web"), layout.workDirectory(of: "web"), layout.volume("data")] {
            XCTAssertTrue(path.hasPrefix(layout.storageDirectory + "/"), path)
        }
        XCTAssertNotEqual(layout.upperDirectory(of: "web"), layout.workDirectory(of: "web"))
    }

    func testAdoptMessageCarriesBothDirectories() {
        let layout = TaskLayout(directory: "/run/wharf/state/a b/tasks/t1", storageDirectory: "/data/tasks/t1")
        let message = SupervisorStart.adoptMessage(for: layout)
        XCTAssertEqual(SupervisorStart.layout(adoptMessage: message[...]), layout)
        XCTAssertLessThanOrEqual(message.count, SupervisorStart.adoptMessageMaximumLength)
    }

    func testMalformedAdoptMessagesAreRefused() {
        let prefix = SupervisorStart.adoptMessagePrefix
        for message in [Array("start".utf8), prefix, prefix + Array("/only/one".utf8), prefix + Array("/a".utf8) + [0],
                        prefix + [0] + Array("/b".utf8), prefix + Array("/a".utf8) + [0] + Array("/b".utf8) + [0] + Array("/c".utf8)] {
            XCTAssertNil(SupervisorStart.layout(adoptMessage: message[...]), "\(message)")
        }
    }
}
