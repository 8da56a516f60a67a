import Foundation

/// A real `docker-registry` (the CNCF distribution registry, Debian's package) on 127.0.0.1
/// for one test: a free port, its own directory (config, storage, certificates, htpasswd,
/// log), plain HTTP or TLS with a CA made for it, optionally authenticating. The initializer
/// returns once `/v2/` answers. `remove()` (or the last reference going) kills it and deletes
/// its directory; it also dies with the test process (`setpriv --pdeathsig KILL`).
public final class LocalRegistry {
    /// Why the registry did not come up.
    public enum StartFailure: Error, CustomStringConvertible {
        /// docker-registry exited before answering, with this status and log.
        case exited(status: Int32, log: String)
        /// `/v2/` did not answer 200 or 401 within `seconds`; the last probe's answer and the log.
        case notServing(host: String, seconds: TimeInterval, lastProbe: String, log: String)

        public var description: String {
            switch self {
            case let .exited(status, log):
                "docker-registry exited with \(status) before serving: \(log)"
            case let .notServing(host, seconds, lastProbe, log):
                "docker-registry did not answer /v2/ on \(host) within \(seconds) s (last probe: \(lastProbe)): \(log)"
            }
        }
    }

    /// How long the registry may take to answer `/v2/` after starting.
    public static let startTimeout: TimeInterval = 15
    /// Pause between two `/v2/` probes while it starts.
    static let probeInterval: TimeInterval = 0.05
    /// Longest one `/v2/` probe may take (curl's own limit; the subprocess gets a little more).
    static let probeTimeLimit: TimeInterval = 2
    /// Longest one skopeo push may take (the busybox image is a few hundred kB; large test
    /// layers with recompression take seconds).
    public static let pushTimeLimit: TimeInterval = 120
    /// Longest one `htpasswd` run may take (bcrypt is deliberately slow, but not this slow).
    static let htpasswdTimeLimit: TimeInterval = 30

    static let setpriv = "/usr/bin/setpriv"
    static let dockerRegistry = "/usr/bin/docker-registry"
    static let curl = "/usr/bin/curl"
    static let skopeo = "/usr/bin/skopeo"
    static let htpasswd = "/usr/bin/htpasswd"

    public let configuration: Configuration
    public let port: Int
    /// The registry's directory: `config.yml`, `data/`, `registry.log`, certificates, htpasswd.
    public let directory: TemporaryDirectory
    /// The CA and server certificate with `tls`; nil for plain HTTP.
    public let certificates: LoopbackCertificates?
    private let process = Process()

    /// `127.0.0.1:<port>`, the registry part of image references.
    public var host: String { "127.0.0.1:\(port)" }
    /// The CA a client must trust to reach a TLS registry; nil for plain HTTP.
    public var caFile: String? { certificates?.caFile }
    /// The registry's storage root (`storage.filesystem.rootdirectory`).
    public var storage: String { directory.file("data") }
    /// docker-registry's standard output and error.
    public var logFile: String { directory.file("registry.log") }
    /// `https://127.0.0.1:<port>` or `http://...`.
    public var baseURL: String { (certificates == nil ? "http://" : "https://") + host }

    /// Starts a registry as `configuration` says and waits until `/v2/` answers.
    ///
    /// - Throws: `StartFailure` with the registry's log when it exits or does not answer within
    ///   `startTimeout` (it is killed and its directory removed first); `Subprocess.Failure`
    ///   when making its certificates or htpasswd file failed; `FreePort.Failure`.
    public init(_ configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        port = try FreePort.pick()
        directory = try TemporaryDirectory(prefix: "wharf-registry")
        certificates = try configuration.tls ? LoopbackCertificates(in: directory.path) : nil
        let htpasswdFile = directory.file("htpasswd")
        if case let .htpasswd(users) = configuration.authentication {
            var lines = ""
            for (user, password) in users.sorted(by: { $0.key < $1.key }) {
                lines += try Subprocess.runChecked(
                    "hash the password of \(user)", executable: Self.htpasswd, arguments: ["-Bbn", user, password],
                    timeLimit: Self.htpasswdTimeLimit
                ).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }
            try directory.write("htpasswd", lines)
        }
        let config = try directory.write(
            "config.yml",
            configuration.document(port: port, storage: storage, certificates: certificates, htpasswdFile: htpasswdFile))

        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        defer { try? log.close() }
        process.executableURL = URL(fileURLWithPath: Self.setpriv)
        process.arguments = ["--pdeathsig", "KILL", Self.dockerRegistry, "serve", config]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        do {
            try waitUntilServing()
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    /// Kills the registry and waits for it; its directory stays (a test may look at storage).
    public func stop() {
        guard process.processIdentifier != 0, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the registry and deletes its directory; calling it again is harmless.
    public func remove() {
        stop()
        directory.remove()
    }

    /// Pushes the OCI layout at `layout` to `reference` (`repository:tag` on this registry)
    /// with skopeo. `all` copies a whole index; `credentials` log in (an authenticating
    /// registry). With `recompress` (a skopeo compression format such as `zstd`) skopeo
    /// recompresses every layer and writes a new manifest; without it the digests are kept
    /// (`--preserve-digests`). TLS is not verified: the push only prepares a test.
    ///
    /// - Throws: `Subprocess.Failure` with skopeo's output; `Subprocess.Timeout` after
    ///   `pushTimeLimit`.
    public func push(layout: String, to reference: String, all: Bool = false, credentials: Credentials? = nil,
                     recompress: String? = nil) throws {
        var arguments = ["copy", "--quiet", "--dest-tls-verify=false"]
        if let recompress { arguments += ["--dest-compress-format", recompress] } else { arguments.append("--preserve-digests") }
        if all { arguments.append("--all") }
        if let credentials { arguments += ["--dest-creds", credentials.username + ":" + credentials.password] }
        arguments += ["oci:" + layout, "docker://\(host)/\(reference)"]
        try Subprocess.runChecked(
            "push oci:\(layout) to \(host)/\(reference)", executable: Self.skopeo, arguments: arguments,
            timeLimit: Self.pushTimeLimit)
    }

    /// The registry's log so far (empty when it cannot be read).
    public func log() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Probes `/v2/` until it answers 200 (open) or 401 (authenticating), trusting only the
    /// registry's own CA with TLS.
    private func waitUntilServing() throws {
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", String(Int(Self.probeTimeLimit))]
        if let caFile { arguments += ["--cacert", caFile] }
        arguments.append(baseURL + "/v2/")
        let deadline = Date().addingTimeInterval(Self.startTimeout)
        var lastProbe = "none"
        while Date() < deadline {
            guard process.isRunning else {
                throw StartFailure.exited(status: process.terminationStatus, log: log())
            }
            let probe = try Subprocess.run(executable: Self.curl, arguments: arguments, timeLimit: Self.probeTimeLimit + 3)
            lastProbe = "HTTP status \(probe.stdoutText), curl exit \(probe.status)"
            if ["200", "401"].contains(probe.stdoutText) { return }
            Thread.sleep(forTimeInterval: Self.probeInterval)
        }
        throw StartFailure.notServing(host: host, seconds: Self.startTimeout, lastProbe: lastProbe, log: log())
    }
}
