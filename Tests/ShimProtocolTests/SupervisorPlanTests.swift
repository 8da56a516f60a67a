import LinuxHost
import ShimProtocol
import XCTest

/// The supervisor plan and the task events survive their file form unchanged.
final class SupervisorPlanTests: XCTestCase {
    func testPlanRoundTrips() throws {
        let plan = SupervisorPlan(
            taskID: "0123456789abcdef0123456789abcdef", hostname: "ip-10-213-0-2", cgroupPath: "wharf/0123",
            cgroupHierarchy: .unified(root: "/sys/fs/cgroup"),
            resources: TaskResources(
                vethName: "wh0123456789abc", networkNamespaceDescriptor: TaskResources.inheritedNetworkNamespaceDescriptor,
                addressPoolDirectory: "/var/lib/wharf/ipam/wharf0", address: "10.213.0.2",
                publishedPorts: PublishedPorts(
                    table: "wharf_wharf0", chain: "task_0123456789abcdef0123456789abcdef",
                    ports: [HostPort(.tcp, 49153), HostPort(.udp, 5353)], poolDirectory: "/run/wharf/host-ports",
                    owner: "wharf_wharf0_0123456789abcdef0123456789abcdef")),
            containers: [
                ContainerPlan(
                    name: "web", essential: true, arguments: ["httpd", "-f", "-p", "8080"],
                    environment: ["PATH=/bin", "GREETING=hello world", "EMPTY="], workingDirectory: "/var/www", uid: 1000,
                    gid: 1000, supplementaryGroups: [10, 20], capabilities: 0xa80425fb, noNewPrivileges: true,
                    initProcess: true, readonlyRootFilesystem: true, layerDirectories: ["/l/2", "/l/1"],
                    mounts: [.init(source: "/srv/data", target: "/data", readOnly: true), .init(source: "/v", target: "/v", readOnly: false)],
                    resourceLimits: [.init(resource: 7, soft: 100, hard: 200)],
                    dependsOn: [.init(containerName: "init-db", condition: "SUCCESS")],
                    healthCheck: HealthCheckPlan(
                        arguments: ["/bin/sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
                        intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 10),
                    stopTimeout: 12, logMaxBytes: 4096, logMaxFiles: 2),
                ContainerPlan(
                    name: "init-db", essential: false, arguments: ["true"], environment: [], capabilities: 0,
                    layerDirectories: ["/l/1"]),
            ])
        XCTAssertEqual(try SupervisorPlan(decoding: plan.encoded), plan)
    }

    func testPublishedPortsNeedEveryField() {
        let text = "task id=t cgroup=wharf/t cgroup.v2=/sys/fs/cgroup\nresources nat.table=wharf_wharf0 nat.ports=tcp.80\n"
        XCTAssertThrowsError(try SupervisorPlan(decoding: text)) { XCTAssertTrue("\($0)".contains("nat.chain"), "\($0)") }
        let badPort = "task id=t cgroup=wharf/t cgroup.v2=/sys/fs/cgroup\nresources nat.table=w nat.chain=c nat.ports=sctp.80 ports.pool=/p ports.owner=o\n"
        XCTAssertThrowsError(try SupervisorPlan(decoding: badPort)) { XCTAssertTrue("\($0)".contains("sctp.80"), "\($0)") }
    }

    func testBadNamespaceDescriptorIsRefused() {
        for bad in ["2", "-1", "three"] {
            let text = "task id=t cgroup=wharf/t cgroup.v2=/sys/fs/cgroup\nresources netns.fd=\(bad)\n"
            XCTAssertThrowsError(try SupervisorPlan(decoding: text), bad) { error in
                XCTAssertTrue("\(error)".contains("netns.fd"), "\(error)")
            }
        }
    }

    func testLegacyHierarchyRoundTrips() throws {
        let plan = SupervisorPlan(
            taskID: "t", hostname: nil, cgroupPath: "wharf/t",
            cgroupHierarchy: .legacy(mounts: [
                "cpu": "/sys/fs/cgroup/cpu,cpuacct", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct",
                "memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids",
            ]),
            resources: TaskResources(), containers: [])
        XCTAssertEqual(try SupervisorPlan(decoding: plan.encoded), plan)
    }

    func testContainersSharingTheTaskCgroupRoundTrip() throws {
        let plan = SupervisorPlan(
            taskID: "t", hostname: nil, cgroupPath: "wharf/t", containersHaveOwnCgroups: false,
            cgroupHierarchy: .unified(root: "/sys/fs/cgroup"), resources: TaskResources(),
            containers: [ContainerPlan(name: "web", essential: true, arguments: ["true"], environment: [], capabilities: 0, layerDirectories: ["/l/1"])])
        let decoded = try SupervisorPlan(decoding: plan.encoded)
        XCTAssertEqual(decoded, plan)
        XCTAssertEqual(decoded.cgroupPath(ofContainer: "web"), "wharf/t")
        XCTAssertEqual(decoded.containerCgroupNames, [])
    }

    func testPlanWithoutCgroupSharingFieldGivesEachContainerItsOwn() throws {
        // Plans written before containers could share the task's cgroup have no such field,
        // and a plan whose containers have their own cgroups is still written without it.
        let containers = ["web", "log"].map {
            ContainerPlan(name: $0, essential: true, arguments: ["true"], environment: [], capabilities: 0, layerDirectories: ["/l/1"])
        }
        let text = SupervisorPlan(
            taskID: "t", hostname: nil, cgroupPath: "wharf/t", cgroupHierarchy: .unified(root: "/sys/fs/cgroup"),
            resources: TaskResources(), containers: containers
        ).encoded
        XCTAssertFalse(text.contains("cgroup.containers"), text)
        let plan = try SupervisorPlan(decoding: text)
        XCTAssertTrue(plan.containersHaveOwnCgroups)
        XCTAssertEqual(plan.cgroupPath(ofContainer: "web"), "wharf/t/web")
        XCTAssertEqual(plan.containerCgroupNames, ["web", "log"])
    }

    func testUnknownCgroupSharingValueIsAnError() {
        let text = "task id=t cgroup=wharf/t cgroup.v2=/sys/fs/cgroup cgroup.containers=own\n"
        XCTAssertThrowsError(try SupervisorPlan(decoding: text)) { error in
            XCTAssertTrue("\(error)".contains("cgroup.containers"), "\(error)")
        }
    }

    func testPlanWithoutTaskRecordIsAnError() {
        XCTAssertThrowsError(try SupervisorPlan(decoding: "container name=web\n"))
        XCTAssertThrowsError(try SupervisorPlan(decoding: "task id=x cgroup=y cgroup.v2=/sys/fs/cgroup\ncontainer name=web uid=zero\n"))
    }

    func testPlanWithoutHierarchyIsAnError() {
        XCTAssertThrowsError(try SupervisorPlan(decoding: "task id=x cgroup=y\n"))
        XCTAssertThrowsError(try SupervisorPlan(decoding: "task id=x cgroup=y cgroup.v1=memory\n"))
    }

    func testEventsRoundTrip() {
        let events: [TaskEvent] = [
            .supervisorStarted(pid: 42, at: 1),
            .containerRunning(name: "web", pid: 43, at: 2),
            .containerHealth(name: "web", status: "HEALTHY", output: "exit code 0", at: 3),
            .taskStopping(reason: "Essential container in task exited", code: "EssentialContainerExited", at: 4),
            .containerStopped(name: "web", exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage", at: 5),
            .containerStopped(name: "sidecar", exitCode: nil, reason: nil, at: 6),
            .taskStopped(at: 7),
        ]
        let text = events.map { $0.record.encoded + "\n" }.joined()
        XCTAssertEqual(TaskEvent.parseAll(text), events)
    }
}
