import Foundation
import Runtime
import XCTest

/// Invalid specs are refused before anything is created, and the error names the field.
final class SpecValidationTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    private static func container(_ name: String = "main", configure: (inout ContainerSpec) -> Void = { _ in }) -> ContainerSpec {
        var container = ContainerSpec(name: name, image: "busybox", command: ["true"])
        configure(&container)
        return container
    }

    /// (what is wrong, the spec, the field the error must name)
    private static let invalidSpecs: [(String, TaskSpec, String)] = [
        (
            "unknown image", TaskSpec(containers: [container { $0.image = "wharf-test/no-such-image:1" }]),
            "containers[0].image"
        ),
        (
            "container memory above task memory", TaskSpec(memory: 64, containers: [container { $0.memory = 128 }]),
            "containers[0].memory"
        ),
        (
            "unknown capability", TaskSpec(containers: [container { $0.capabilitiesAdd = ["NET_ADMIN", "NOT_A_CAPABILITY"] }]),
            "containers[0].capabilities.add[1]"
        ),
        ("duplicate container names", TaskSpec(containers: [container("web"), container("web")]), "containers[1].name"),
        (
            "containerPort 0", TaskSpec(containers: [container { $0.portMappings = [PortMapping(containerPort: 0)] }]),
            "containers[0].portMappings[0].containerPort"
        ),
        (
            "containerPort 70000",
            TaskSpec(containers: [container { $0.portMappings = [PortMapping(containerPort: 80), PortMapping(containerPort: 70000)] }]),
            "containers[0].portMappings[1].containerPort"
        ),
        (
            "dependsOn cycle a -> b -> a",
            TaskSpec(containers: [
                container("a") { $0.dependsOn = [ContainerDependency(containerName: "b", condition: .start)] },
                container("b") { $0.dependsOn = [ContainerDependency(containerName: "a", condition: .start)] },
            ]),
            "containers[].dependsOn"
        ),
        (
            "dependsOn unknown container",
            TaskSpec(containers: [container { $0.dependsOn = [ContainerDependency(containerName: "ghost", condition: .start)] }]),
            "containers[0].dependsOn[0].containerName"
        ),
        (
            "SUCCESS dependency on an essential container",
            TaskSpec(containers: [
                container("a"),
                container("b") { $0.dependsOn = [ContainerDependency(containerName: "a", condition: .success)] },
            ]),
            "containers[1].dependsOn[0].condition"
        ),
        (
            "HEALTHY dependency on a container without a health check",
            TaskSpec(containers: [
                container("a") { $0.dependsOn = [ContainerDependency(containerName: "b", condition: .healthy)] },
                container("b") { $0.essential = false },
            ]),
            "containers[0].dependsOn[0].condition"
        ),
        (
            "mount point on an undeclared volume",
            TaskSpec(
                containers: [container { $0.mountPoints = [MountPoint(sourceVolume: "undeclared", containerPath: "/data")] }],
                volumes: [VolumeSpec(name: "declared")]),
            "containers[0].mountPoints[0].sourceVolume"
        ),
        (
            "no essential container",
            TaskSpec(containers: [container("a") { $0.essential = false }, container("b") { $0.essential = false }]),
            "containers"
        ),
        ("no containers", TaskSpec(containers: []), "containers"),
        ("eleven containers", TaskSpec(containers: (0..<11).map { container("c\($0)") }), "containers"),
        (
            "health check interval 1",
            TaskSpec(containers: [container { $0.healthCheck = HealthCheckSpec(command: ["CMD", "true"], interval: 1) }]),
            "containers[0].healthCheck.interval"
        ),
    ]

    func testInvalidSpecsAreRefusedNamingTheFieldAndCreateNothing() throws {
        for (problem, spec, expectedField) in Self.invalidSpecs {
            XCTAssertThrowsError(try fixture.runtime.launch(spec), problem) { error in
                switch error as? RuntimeError {
                case .invalidSpec(let field, let message)?:
                    XCTAssertEqual(field, expectedField, "\(problem): \(message)")
                    XCTAssertFalse(message.isEmpty, problem)
                case .imageNotFound(let field, let image, _)?:
                    XCTAssertEqual(field, expectedField, problem)
                    XCTAssertEqual(image, "wharf-test/no-such-image:1", problem)
                default:
                    XCTFail("\(problem): expected invalidSpec or imageNotFound, got \(error)")
                }
            }
            XCTAssertEqual(
                try FileManager.default.contentsOfDirectory(atPath: fixture.configuration.tasksDirectory)
                    + FileManager.default.contentsOfDirectory(atPath: fixture.configuration.taskStorageDirectory), [],
                "\(problem) left a task directory")
        }
        XCTAssertEqual(fixture.leftovers(), [])
    }

    /// The table's specs differ from a valid one only in the broken field: the valid one launches.
    func testValidBaselineSpecLaunches() throws {
        let status = try fixture.launch(TaskSpec(memory: 64, containers: [Self.container { $0.memory = 32 }]), until: {
            $0.lastStatus == "STOPPED"
        })
        XCTAssertEqual(status.containers.first?.exitCode, 0)
    }
}
