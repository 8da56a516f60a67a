import Foundation
import ImageStore
import LinuxHost
import Runtime
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

    /// The built-in busybox image, built once per test process.
    nonisolated(unsafe) private static var busyboxLayout: String?

    init(file: StaticString = #filePath) throws {
        let token = String(UInt32.random(in: 0...0xfff_ffff), radix: 16)
        root = NSTemporaryDirectory() + "wharf-rt-" + token
        let subnetOctet = Int.random(in: 0...255)
        configuration = RuntimeConfiguration(
            dataDirectory: root + "/data", runDirectory: "/run/wharf-test-" + token,
            bridgeName: "wtb" + token.prefix(7), subnet: IPv4Network("10.237.\(subnetOctet).0/24"),
            cgroupParent: "wharf-test-" + token, vethPrefix: "wt" + String(token.suffix(2)))
        runtime = try ContainerRuntime(configuration: configuration)
        try runtime.images.importOCILayout(directory: try Self.busybox(file: file))
    }

    /// Builds the busybox OCI layout with the project's script (once per process).
    static func busybox(file: StaticString) throws -> String {
        if let busyboxLayout { return busyboxLayout }
        let repository = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let output = NSTemporaryDirectory() + "wharf-busybox-\(getpid())"
        if !FileManager.default.fileExists(atPath: output + "/index.json") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [repository.path + "/scripts/build-busybox-image.sh", output]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw XCTSkip("scripts/build-busybox-image.sh failed with \(process.terminationStatus)")
            }
        }
        busyboxLayout = output
        return output
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

    /// Host resources still named after this fixture (what a leak check looks at).
    func leftovers() -> [String] {
        var found: [String] = []
        if let links = try? RouteNetlink().links() {
            found += links.map(\.name).filter { $0.hasPrefix(configuration.vethPrefix) }.map { "veth \($0)" }
        }
        found += ((try? FileSystem.listDirectory(configuration.networkNamespaceDirectory)) ?? []).map { "netns \($0)" }
        if let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) {
            found += mounts.split(separator: "\n").filter {
                $0.contains(configuration.dataDirectory) || $0.contains(configuration.networkNamespaceDirectory + "/")
            }.map { "mount \($0)" }
        }
        if let hierarchy = try? CgroupHierarchy.detect() {
            for directory in hierarchy.directories(of: configuration.cgroupParent) {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                found += entries.filter { $0.count == 32 }.map { "cgroup \(directory)/\($0)" }
            }
        }
        let pool = (try? FileManager.default.contentsOfDirectory(atPath: configuration.addressPoolDirectory)) ?? []
        found += pool.filter { $0.hasPrefix("owner.") || IPv4Address($0) != nil }.map { "address \($0)" }
        return found
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
