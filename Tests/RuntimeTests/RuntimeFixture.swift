import Foundation
import ImageStore
import LinuxHost
import Runtime
import WharfTestSupport
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A runtime with its own data and run directories, bridge, subnet, cgroup parent and veth
/// prefix, so a test run never touches another run's (or the host's) resources, plus the
/// busybox image built from Debian's busybox-static. `tearDown()` stops every task and removes
/// everything the fixture created, also after a failed test.
final class RuntimeFixture {
    let runtime: ContainerRuntime
    let configuration: RuntimeConfiguration
    let root: String

    init(configure: (inout RuntimeConfiguration) -> Void = { _ in }) throws {
        let token = String(UInt32.random(in: 0...0xfff_ffff), radix: 16)
        root = NSTemporaryDirectory() + "wharf-rt-" + token
        let subnetOctet = Int.random(in: 0...255)
        var configuration = RuntimeConfiguration(
            dataDirectory: root + "/data",
            bridgeName: "wtb" + token.prefix(7), subnet: IPv4Network("10.237.\(subnetOctet).0/24"),
            cgroupParent: "wharf-test-" + token, vethPrefix: "wt" + String(token.suffix(2)))
        configure(&configuration)
        self.configuration = configuration
        runtime = try ContainerRuntime(configuration: configuration)
        try runtime.images.importOCILayout(directory: try Self.busybox())
    }

    /// The busybox OCI layout (built once per process). Only a non-root user without Debian's
    /// busybox-static skips the test (the build script installs the package as root); any other
    /// failure to build the image fails it.
    static func busybox() throws -> String {
        guard geteuid() == 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/busybox") else {
            throw XCTSkip("busybox-static is not installed (scripts/setup.sh installs it)")
        }
        return try BusyboxImage.layout()
    }

    /// Launches a task and waits until `condition` holds (default: RUNNING).
    @discardableResult
    func launch(
        _ spec: TaskSpec, timeout: Double = 10,
        until condition: @escaping (TaskStatus) -> Bool = { $0.lastStatus == "RUNNING" || $0.lastStatus == "STOPPED" }
    ) throws -> TaskStatus {
        let launched = try runtime.launch(spec)
        return try runtime.wait(launched.id, timeout: timeout, description: "the launched task", until: condition)
    }

    /// A one-container busybox task.
    static func task(
        _ command: [String], name: String = "main", network: NetworkMode = .awsvpc, configure: (inout ContainerSpec) -> Void = { _ in }
    ) -> TaskSpec {
        var container = ContainerSpec(name: name, image: "busybox", command: command)
        configure(&container)
        return TaskSpec(networkMode: network, containers: [container])
    }

    /// busybox httpd on port 8080 serving the image's /var/www, with an init as PID 1 so SIGTERM
    /// stops it at once (httpd itself as PID 1 would ignore it until the stop timeout).
    static let webServer = task(["httpd", "-f", "-p", "8080", "-h", "/var/www"]) { $0.initProcessEnabled = true }

    /// Stops every task, waits for them, and removes the bridge, cgroup parent and directories.
    func tearDown() {
        runtime.removeEverything()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Host resources still named after this fixture's tasks (what a leak check looks at).
    func leftovers() -> [String] {
        runtime.taskHostResources().map(\.description)
    }
}

/// Fetches `/` from a task's server, retrying for up to `seconds` while it starts listening.
func pollHTTP(_ host: String, port: Int = 8080, seconds: Double = 5) -> String? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let body = httpGet(host, port: port, timeout: 1) { return body }
        usleep(50_000)
    }
    return nil
}

/// Fetches `http://host:port/path` with a short timeout; returns the body or nil.
func httpGet(_ host: String, port: Int, path: String = "/", timeout: Double = 2) -> String? {
    guard let url = URL(string: "http://\(host):\(port)\(path)") else { return nil }
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var body: String?
    var request = URLRequest(url: url)
    request.timeoutInterval = timeout
    let task = URLSession.shared.dataTask(with: request) { data, response, _ in
        if let data, (response as? HTTPURLResponse)?.statusCode == 200 { body = String(decoding: data, as: UTF8.self) }
        semaphore.signal()
    }
    task.resume()
    _ = semaphore.wait(timeout: .now() + timeout + 1)
    return body
}
