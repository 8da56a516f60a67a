import Foundation
import WharfTestSupport

/// A test backend: the Python HTTP/1.1 server of `BackendScript` running as a process of its
/// own on an ephemeral loopback port. It counts the requests it serves (health checks apart)
/// and takes behaviour changes on `/__control/set`, reached directly, not through the load
/// balancer.
final class Backend: Sendable {
    let name: String
    let port: Int
    let process: ManagedProcess

    /// What a backend has served so far.
    struct Stats: Decodable {
        var name: String
        /// Requests other than health checks and control requests.
        var requests: Int
        var health_checks: Int
        var paths: [String: Int]
        /// Client connections open now (the stats request's own excluded).
        var open_connections: Int
    }

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Longest a backend may take to print its port.
    static let startTimeout = 10.0

    /// Starts backend `name`; `health` is the status `/health` answers with at first.
    init(name: String, directory: TemporaryDirectory, health: Int = 200, port: Int = 0) throws {
        let script = directory.file("backend.py")
        if !FileManager.default.fileExists(atPath: script) {
            try directory.write("backend.py", BackendScript.source)
        }
        self.name = name
        let process = try ManagedProcess(
            name: "backend-\(name)", executable: "/usr/bin/env",
            arguments: ["python3", "-u", script, name, String(port), String(health)], directory: directory
        )
        self.process = process
        var found: Int?
        eventually(timeout: Backend.startTimeout, interval: 0.02) {
            found = process.stdoutText.split(separator: "\n").first.flatMap { Int($0) }
            return found != nil || !process.isRunning
        }
        guard let found else {
            process.kill()
            throw StartFailed(description: "backend \(name) did not report its port: \(process.stderrText)")
        }
        self.port = found
    }

    /// The counters, read from the backend itself.
    func stats() throws -> Stats {
        let response = try TestRequest.fetch(port: port, "/__control/stats")
        return try JSONDecoder().decode(Stats.self, from: Data(response.body))
    }

    /// Requests served so far (health checks and control requests excluded).
    func requestCount() throws -> Int { try stats().requests }

    /// Changes the status `/health` answers with and/or a delay added to every request.
    func set(health: Int? = nil, delayMilliseconds: Int? = nil) throws {
        var query: [String] = []
        if let health { query.append("health=\(health)") }
        if let delayMilliseconds { query.append("delay_ms=\(delayMilliseconds)") }
        _ = try TestRequest.fetch(port: port, "/__control/set?" + query.joined(separator: "&"))
    }

    /// SIGKILL: the port stops accepting at once, open connections are reset or closed.
    func kill() { process.kill() }
}
