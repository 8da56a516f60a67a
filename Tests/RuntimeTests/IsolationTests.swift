import Foundation
import Runtime
import XCTest

/// What a container sees of the host: its own PID namespace, the image's users, a read-only
/// root when asked, volumes, working directory, environment, rlimits and capabilities.
final class IsolationTests: XCTestCase {
    var fixture: RuntimeFixture!

    override func setUpWithError() throws { fixture = try RuntimeFixture() }
    override func tearDown() {
        fixture?.tearDown()
        // XCTest keeps every test case object until the run ends: the runtime (its netlink
        // sockets, inotify instances and threads) goes now.
        fixture = nil
    }

    /// Runs the task to its end and returns the log of `container`.
    private func output(of spec: TaskSpec, container: String = "main") throws -> String {
        let launched = try fixture.runtime.launch(spec)
        let stopped = try fixture.runtime.wait(launched.id, timeout: 15)
        XCTAssertNotNil(stopped.container(named: container)?.startedAt, "\(container) never started")
        let path = try fixture.runtime.logPath(task: launched.id, container: container)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    private func shellTask(_ script: String, configure: (inout ContainerSpec) -> Void = { _ in }) -> TaskSpec {
        RuntimeFixture.task(["sh", "-c", script], configure: configure)
    }

    /// A host directory removed after the test.
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "wharf-isolation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testContainerIsPIDOneOfItsOwnNamespace() throws {
        XCTAssertEqual(try output(of: shellTask("echo $$")), "1\n")
    }

    func testUserNameResolvesInTheImage() throws {
        // "www" is uid/gid 1000 in the busybox image's /etc/passwd (there is no such user on the host).
        let log = try output(of: shellTask("id -u; id -g") { $0.user = "www" })
        XCTAssertEqual(log, "1000\n1000\n")
    }

    func testReadonlyRootFilesystemWithWritableVolume() throws {
        var spec = shellTask("touch /x && echo root-written; touch /data/y && echo volume-written") {
            $0.readonlyRootFilesystem = true
            $0.mountPoints = [MountPoint(sourceVolume: "scratch", containerPath: "/data")]
        }
        spec.volumes = [VolumeSpec(name: "scratch")]
        let log = try output(of: spec)
        XCTAssertFalse(log.contains("root-written"), "wrote to a read-only root: \(log)")
        XCTAssertTrue(log.contains("Read-only file system"), log)
        XCTAssertTrue(log.contains("volume-written"), "the volume is not writable: \(log)")
    }

    func testTaskVolumeIsSharedBetweenContainers() throws {
        let mount = MountPoint(sourceVolume: "shared", containerPath: "/shared")
        let writer = ContainerSpec(
            name: "writer", image: "busybox", command: ["sh", "-c", "echo from-writer > /shared/note"], essential: false,
            mountPoints: [mount])
        let reader = ContainerSpec(
            name: "reader", image: "busybox", command: ["cat", "/shared/note"],
            dependsOn: [.init(containerName: "writer", condition: .complete)], mountPoints: [mount])
        let spec = TaskSpec(containers: [reader, writer], volumes: [VolumeSpec(name: "shared")])
        XCTAssertEqual(try output(of: spec, container: "reader"), "from-writer\n")
    }

    func testHostBindVolumeIsVisibleAndReadOnlyMountRefusesWrites() throws {
        let host = try temporaryDirectory()
        try "from-host\n".write(toFile: host + "/greeting", atomically: true, encoding: .utf8)
        var spec = shellTask(
            "cat /ro/greeting; touch /ro/denied && echo ro-written; echo from-container > /rw/reply && echo rw-written") {
                $0.mountPoints = [
                    MountPoint(sourceVolume: "host", containerPath: "/ro", readOnly: true),
                    MountPoint(sourceVolume: "host", containerPath: "/rw"),
                ]
            }
        spec.volumes = [VolumeSpec(name: "host", hostSourcePath: host)]
        let log = try output(of: spec)
        XCTAssertTrue(log.contains("from-host"), "host file not visible: \(log)")
        XCTAssertFalse(log.contains("ro-written"), "wrote through a read-only mount: \(log)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: host + "/denied"))
        XCTAssertTrue(log.contains("rw-written"), log)
        XCTAssertEqual(try? String(contentsOfFile: host + "/reply", encoding: .utf8), "from-container\n")
    }

    func testVolumeBelowSysCoversSysfs() throws {
        // /sys is the task's own sysfs, and a volume below it covers that sysfs (as with Docker;
        // the read-only sysfs has no room for new mount points, so the target is one it has).
        let host = try temporaryDirectory()
        try "from-host\n".write(toFile: host + "/marker", atomically: true, encoding: .utf8)
        var spec = shellTask("cat /sys/fs/cgroup/marker; ls /sys/class/net") {
            $0.mountPoints = [MountPoint(sourceVolume: "host", containerPath: "/sys/fs/cgroup", readOnly: true)]
        }
        spec.volumes = [VolumeSpec(name: "host", hostSourcePath: host)]
        let log = try output(of: spec)
        XCTAssertTrue(log.hasPrefix("from-host\n"), log)
        XCTAssertTrue(log.contains("eth0"), "sysfs shows the task's network: \(log)")
    }

    func testWorkingDirectoryAndEnvironmentReachTheProcess() throws {
        let log = try output(
            of: shellTask("pwd; echo \"$GREETING\"") {
                $0.workingDirectory = "/var/www"
                $0.environment = [EnvironmentVariable(name: "GREETING", value: "hello world")]
            })
        XCTAssertEqual(log, "/var/www\nhello world\n")
    }

    func testUlimitsApply() throws {
        let log = try output(
            of: shellTask("ulimit -n; ulimit -Hn") { $0.ulimits = [Ulimit(name: "nofile", softLimit: 100, hardLimit: 200)] })
        XCTAssertEqual(log, "100\n200\n")
    }

    func testDroppingAllCapabilitiesLeavesNoEffectiveOnes() throws {
        let dropped = try output(of: shellTask("grep CapEff /proc/self/status") { $0.capabilitiesDrop = ["ALL"] })
        XCTAssertEqual(dropped, "CapEff:\t0000000000000000\n")
        // The control: root with Docker's default set has effective capabilities.
        let defaults = try output(of: shellTask("grep CapEff /proc/self/status"))
        XCTAssertTrue(defaults.hasPrefix("CapEff:\t"), defaults)
        XCTAssertNotEqual(defaults, "CapEff:\t0000000000000000\n")
    }


    func testMissingWorkingDirectoryIsCreated() throws {
        // Docker creates a working directory the image lacks (root-owned); ECS tasks rely on it.
        let log = try output(of: shellTask("pwd; stat -c '%u %a' .") { $0.workingDirectory = "/app/sub" })
        XCTAssertEqual(log, "/app/sub\n0 755\n")
    }

    func testMissingWorkingDirectoryIsCreatedUnderReadonlyRoot() throws {
        // Made before the root turns read-only, as runc does.
        let log = try output(
            of: shellTask("pwd") {
                $0.workingDirectory = "/app"
                $0.readonlyRootFilesystem = true
            })
        XCTAssertEqual(log, "/app\n")
    }

    func testReadonlyRootKeepsDevAndProcUsable() throws {
        // Read-only applies to the root only: /dev (tmpfs) and /proc stay as they are.
        let log = try output(
            of: shellTask("echo x > /dev/null && echo dev-ok; test -r /proc/self/status && echo proc-ok") {
                $0.readonlyRootFilesystem = true
            })
        XCTAssertEqual(log, "dev-ok\nproc-ok\n")
    }

    func testNoNewPrivilegesIsSet() throws {
        XCTAssertEqual(try output(of: shellTask("grep NoNewPrivs /proc/self/status")), "NoNewPrivs:\t1\n")
    }

    func testDevShmIsWritableStickyAndMountedNoexecNodevNosuid() throws {
        // /dev/shm is its own mount (a bind of a directory of /dev's tmpfs) with Docker's flags.
        let log = try output(
            of: shellTask(
                "echo data > /dev/shm/f && cat /dev/shm/f; stat -c %a /dev/shm; "
                    + "awk '$5 == \"/dev/shm\" { print $6 }' /proc/self/mountinfo") {
                $0.readonlyRootFilesystem = true
            })
        let lines = log.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "data", log)
        XCTAssertEqual(lines.dropFirst().first, "1777", log)
        let options = Set((lines.last ?? "").split(separator: ",").map(String.init))
        XCTAssertTrue(options.isSuperset(of: ["rw", "nosuid", "nodev", "noexec"]), log)
    }

    func testMaskedDirectoriesAreEmptyAndReadOnly() throws {
        // Every masked directory the host has shows one empty read-only tmpfs.
        let script = """
            for d in /proc/acpi /proc/asound /proc/scsi /sys/firmware /sys/devices/virtual/powercap; do
              [ -d $d ] || continue; n=$(ls -A $d | wc -l); touch $d/x 2>/dev/null && w=writable || w=ro
              echo "$d $n $w"
            done
            """
        let log = try output(of: shellTask(script))
        let lines = log.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty, "no masked directory was checked")
        for line in lines {
            XCTAssertTrue(line.hasSuffix(" 0 ro"), "not empty and read-only: \(line)")
        }
    }
}
