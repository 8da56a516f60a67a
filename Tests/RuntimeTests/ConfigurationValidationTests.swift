import Runtime
import ShimProtocol
import XCTest

/// A configuration whose interface names Linux would refuse (or whose veth names would collide)
/// is refused when the runtime is created, naming the field, before anything is created.
final class ConfigurationValidationTests: XCTestCase {
    private func assertRefused(_ configure: (inout RuntimeConfiguration) -> Void, field: String, file: StaticString = #filePath, line: UInt = #line) {
        let root = NSTemporaryDirectory() + "wharf-config-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var configuration = RuntimeConfiguration(dataDirectory: root + "/data")
        configure(&configuration)
        XCTAssertThrowsError(try ContainerRuntime(configuration: configuration), file: file, line: line) { error in
            guard case .invalidConfiguration(let named, let message)? = error as? RuntimeError else {
                return XCTFail("expected invalidConfiguration, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(named, field, message, file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root), "a refused configuration created \(root)", file: file, line: line)
    }

    func testStateDirectoryDefaultsBelowRunOnePerDataDirectory() {
        XCTAssertEqual(RuntimeConfiguration().stateDirectory, "/run/wharf/state/var/lib/wharf")
        XCTAssertEqual(RuntimeConfiguration(dataDirectory: "/srv/x/../wharf/").stateDirectory, "/run/wharf/state/srv/wharf")
        var chosen = RuntimeConfiguration(dataDirectory: "/srv/wharf")
        chosen.stateDirectory = "/run/elsewhere"
        XCTAssertEqual(chosen.layout(ofTask: "t1"), TaskLayout(directory: "/run/elsewhere/tasks/t1", storageDirectory: "/srv/wharf/tasks/t1"))
    }

    func testRelativeStateDirectoryFailsValidation() throws {
        var configuration = RuntimeConfiguration(dataDirectory: "/srv/wharf")
        configuration.stateDirectory = "run/wharf"
        XCTAssertThrowsError(try configuration.validate()) { error in
            guard case .invalidConfiguration(let field, _)? = error as? RuntimeError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "stateDirectory")
        }
    }

    func testStateDirectoryThatIsTheDataDirectoryIsRefused() {
        assertRefused({ $0.stateDirectory = $0.dataDirectory }, field: "stateDirectory")
    }

    func testStateDirectoryInsideTheDataDirectoryOrAroundItIsRefused() {
        assertRefused({ $0.stateDirectory = $0.dataDirectory + "/removed-tasks/state" }, field: "stateDirectory")
        assertRefused({ $0.stateDirectory = ($0.dataDirectory as NSString).deletingLastPathComponent }, field: "stateDirectory")
        assertRefused({ $0.stateDirectory = "/" }, field: "stateDirectory")
    }

    func testVethPrefixLongerThanEightIsRefused() {
        assertRefused({ $0.vethPrefix = "wharfveth" }, field: "vethPrefix")
    }

    func testVethPrefixLongerThanAnInterfaceNameIsRefused() {
        assertRefused({ $0.vethPrefix = "a-very-long-veth-prefix" }, field: "vethPrefix")
    }

    func testEmptyVethPrefixIsRefused() {
        assertRefused({ $0.vethPrefix = "" }, field: "vethPrefix")
    }

    func testBridgeNameLongerThanFifteenIsRefused() {
        assertRefused({ $0.bridgeName = "wharf-bridge-0001" }, field: "bridgeName")
    }

    func testDynamicHostPortRangeWithPortZeroIsRefused() {
        assertRefused({ $0.dynamicHostPortRange = 0...100 }, field: "dynamicHostPortRange")
    }

    func testNetworkPoolOutOfRangeIsRefused() {
        assertRefused({ $0.networkPoolSize = RuntimeConfiguration.networkPoolMaxSize + 1 }, field: "networkPoolSize")
        assertRefused({ $0.networkPoolSize = -1 }, field: "networkPoolSize")
    }

    func testSupervisorPoolOutOfRangeIsRefused() {
        assertRefused({ $0.supervisorPoolSize = RuntimeConfiguration.supervisorPoolMaxSize + 1 }, field: "supervisorPoolSize")
        assertRefused({ $0.supervisorPoolSize = -1 }, field: "supervisorPoolSize")
    }

    func testBridgeNameWithSlashIsRefused() {
        assertRefused({ $0.bridgeName = "wharf/0" }, field: "bridgeName")
    }

    func testLongestValidNamesPass() throws {
        var configuration = RuntimeConfiguration(bridgeName: "wharf-bridge-01", vethPrefix: "wharfvth")
        XCTAssertNoThrow(try configuration.validate())
        configuration.vethPrefix = "w"
        XCTAssertNoThrow(try configuration.validate())
    }
}
