import Foundation
import ImageStore
import XCTest
@testable import Registry

/// A real `docker-registry` (the CNCF distribution registry, Debian's package) on
/// 127.0.0.1, started for one test with its own config, storage and port, plain or TLS with
/// htpasswd authentication. `stop()` kills it; it also dies with the test process
/// (`setpriv --pdeathsig KILL`).
final class LocalRegistry {
    /// How long the registry may take to answer `/v2/` after starting.
    static let startTimeout = 15.0

    let directory: String
    let port: Int
    let tls: Bool
    /// `127.0.0.1:<port>`, the registry part of references.
    var host: String { "127.0.0.1:\(port)" }
    var caFile: String { directory + "/ca.pem" }
    var storage: String { directory + "/data" }
    private let process = Process()

    init(directory: String, tls: Bool = false, users: [String: String] = [:], tokenServer: TokenServer? = nil) throws {
        self.directory = directory
        self.tls = tls
        port = try Self.unusedPort()
        var config = """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: \(directory)/data
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:\(port)

        """
        if tls {
            try shell("""
            cd '\(directory)' && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=wharf test CA' \
              -keyout ca.key -out ca.pem 2>/dev/null && \
            openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr 2>/dev/null && \
            printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf && \
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out server.pem 2>/dev/null
            """)
            config += "  tls:\n    certificate: \(directory)/server.pem\n    key: \(directory)/server.key\n"
        }
        if !users.isEmpty {
            for (user, password) in users {
                try shell("htpasswd -Bbn '\(user)' '\(password)' >> '\(directory)/htpasswd'")
            }
            config += "auth:\n  htpasswd:\n    realm: wharf-test\n    path: \(directory)/htpasswd\n"
        }
        if let tokenServer {
            config += "auth:\n  token:\n    realm: \(tokenServer.realm)\n    service: \(TokenServer.service)\n"
                + "    issuer: \(TokenServer.issuer)\n    rootcertbundle: \(tokenServer.certificate)\n"
        }
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.yml"))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--pdeathsig", "KILL", "/usr/bin/docker-registry", "serve", directory + "/config.yml"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = directory + "/registry.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        try waitUntilServing()
    }

    deinit { stop() }

    /// Kills the registry and waits for it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Pushes an OCI layout (`oci:DIR`) to `repository:tag` with skopeo; `all` copies a whole
    /// index. With `recompress` (a skopeo compression format such as `zstd`) skopeo
    /// recompresses every layer and writes a new manifest; without it the digests are kept.
    func push(layout: String, to reference: String, all: Bool = false, credentials: (String, String)? = nil,
              recompress: String? = nil) throws {
        var command = "skopeo copy --quiet --dest-tls-verify=false"
        if let recompress { command += " --dest-compress-format \(recompress)" } else { command += " --preserve-digests" }
        if all { command += " --all" }
        if let credentials { command += " --dest-creds '\(credentials.0):\(credentials.1)'" }
        command += " 'oci:\(layout)' 'docker://\(host)/\(reference)'"
        try shell(command)
    }

    /// The registry's stored data file of blob `digest`.
    func blobDataPath(_ digest: Digest) -> String {
        storage + "/docker/registry/v2/blobs/sha256/" + String(digest.hex.prefix(2)) + "/" + digest.hex + "/data"
    }

    private func waitUntilServing() throws {
        let deadline = Date().addingTimeInterval(Self.startTimeout)
        let scheme = tls ? "https" : "http"
        while Date() < deadline {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: directory + "/registry.log", encoding: .utf8)) ?? ""
                throw TestFailure("docker-registry exited: \(log)")
            }
            if (try? shell("curl -s -k -o /dev/null -w '%{http_code}' \(scheme)://\(host)/v2/ | grep -qE '200|401'")) != nil { return }
            usleep(50_000)
        }
        throw TestFailure("docker-registry did not answer on \(host) within \(Self.startTimeout) s")
    }

    /// A TCP port nothing listens on right now.
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard bound == 0 else { throw TestFailure("bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a shell command; throws with its output when it fails.
@discardableResult
func shell(_ command: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw TestFailure("command failed (\(process.terminationStatus)): \(command)\n\(output)") }
    return output
}

/// Writes OCI image layouts for skopeo to push: layers from directories of files, a
/// config per platform, and optionally an index over several platforms.
struct LayoutWriter {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/blobs/sha256", withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: directory + "/oci-layout"))
    }

    struct Descriptor {
        var mediaType: String
        var digest: Digest
        var size: Int
        var json: [String: Any] { ["mediaType": mediaType, "digest": digest.description, "size": size] }
    }

    /// Stores `bytes` as a blob.
    func blob(_ bytes: [UInt8], mediaType: String) throws -> Descriptor {
        let digest = Digest.of(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/blobs/sha256/" + digest.hex))
        return Descriptor(mediaType: mediaType, digest: digest, size: bytes.count)
    }

    /// How `layer` compresses a layer's tar (with the `gzip` and `zstd` command line tools).
    enum Compression { case none, gzip, zstd }

    /// A layer holding `files` (path -> contents), as a reproducible tar, gzipped when `gzip`.
    /// Returns the descriptor and the diffID.
    func layer(_ files: [String: [UInt8]], gzip: Bool) throws -> (Descriptor, Digest) {
        try layer(files, compression: gzip ? .gzip : .none)
    }

    /// A layer holding `files` (path -> contents), as a reproducible tar compressed as
    /// `compression` says. `mangle` changes the compressed bytes before they are hashed (a
    /// cut or corrupted blob that its descriptor names correctly). Returns the descriptor
    /// and the diffID.
    func layer(_ files: [String: [UInt8]], compression: Compression,
               mangle: ([UInt8]) -> [UInt8] = { $0 }) throws -> (Descriptor, Digest) {
        let source = directory + "/.layer-src"
        try? FileManager.default.removeItem(atPath: source)
        for (path, contents) in files {
            let full = source + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents).write(to: URL(fileURLWithPath: full))
        }
        let tarPath = directory + "/.layer.tar"
        try shell("tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '\(source)' -cf '\(tarPath)' .")
        try FileManager.default.removeItem(atPath: source)
        let tar = Array(try Data(contentsOf: URL(fileURLWithPath: tarPath)))
        let diffID = Digest.of(tar)
        let compressedPath: String
        let mediaType: String
        switch compression {
        case .none:
            compressedPath = tarPath
            mediaType = "application/vnd.oci.image.layer.v1.tar"
        case .gzip:
            try shell("gzip -n -1 -f '\(tarPath)'")
            compressedPath = tarPath + ".gz"
            mediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
        case .zstd:
            // Piped, as a streaming writer would: no content size in the frame header.
            try shell("zstd -q -3 -c < '\(tarPath)' > '\(tarPath).zst' && rm '\(tarPath)'")
            compressedPath = tarPath + ".zst"
            mediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
        }
        let content = mangle(Array(try Data(contentsOf: URL(fileURLWithPath: compressedPath))))
        try FileManager.default.removeItem(atPath: compressedPath)
        return (try blob(content, mediaType: mediaType), diffID)
    }

    /// An image manifest over `layers` with a config for `architecture`.
    func manifest(layers: [(Descriptor, Digest)], architecture: String = "amd64") throws -> Descriptor {
        let config = try blob(json([
            "architecture": architecture, "os": "linux", "config": ["Env": ["PATH=/bin"], "Cmd": ["sh"]],
            "rootfs": ["type": "layers", "diff_ids": layers.map(\.1.description)],
        ]), mediaType: "application/vnd.oci.image.config.v1+json")
        return try blob(json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": config.json, "layers": layers.map(\.0.json),
        ]), mediaType: "application/vnd.oci.image.manifest.v1+json")
    }

    /// An image index over (manifest, architecture) pairs.
    func index(_ manifests: [(Descriptor, String)]) throws -> Descriptor {
        try blob(json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests.map { descriptor, architecture -> [String: Any] in
                var entry = descriptor.json
                entry["platform"] = ["os": "linux", "architecture": architecture]
                return entry
            },
        ]), mediaType: "application/vnd.oci.image.index.v1+json")
    }

    /// Writes `index.json` pointing at `top` (a manifest or an index).
    func finish(top: Descriptor) throws {
        try Data(json(["schemaVersion": 2, "manifests": [top.json]])).write(to: URL(fileURLWithPath: directory + "/index.json"))
    }

    private func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}

/// Temp directories per test, removed afterwards; registries started by a test are stopped.
class RegistryTestCase: XCTestCase {
    var scratch = ""
    var registries: [LocalRegistry] = []
    var storeRoot: String { scratch + "/store" }

    override func setUpWithError() throws {
        let base = NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
        scratch = base + "/wharf-registry-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        for registry in registries { registry.stop() }
        registries = []
        try FileManager.default.removeItem(atPath: scratch)
    }

    /// Starts a registry for this test.
    func startRegistry(tls: Bool = false, users: [String: String] = [:], tokenServer: TokenServer? = nil) throws -> LocalRegistry {
        let directory = scratch + "/registry-\(registries.count)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let registry = try LocalRegistry(directory: directory, tls: tls, users: users, tokenServer: tokenServer)
        registries.append(registry)
        return registry
    }

    /// The repository's busybox image as an OCI layout (scripts/build-busybox-image.sh).
    func busyboxLayout() throws -> String {
        let layout = scratch + "/busybox-layout"
        let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/build-busybox-image.sh").path
        try shell("'\(script)' '\(layout)' >/dev/null")
        return layout
    }

    /// A puller on a fresh store that reaches `registry` over plain HTTP.
    func plainPuller(_ registry: LocalRegistry, timeouts: PullTimeouts = PullTimeouts()) throws -> ImagePuller {
        let store = try ImageStore(root: storeRoot)
        return ImagePuller(store: store, configuration: RegistryConfiguration(registries: [registry.host: RegistryHostSettings(insecure: true)]),
                           timeouts: timeouts)
    }

    /// Asserts that the store holds exactly what its records use, and nothing staged.
    func assertStoreHoldsOnlyRecords(_ store: ImageStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let records = try store.list()
        var blobs = Set<String>()
        var layers = Set<String>()
        for record in records {
            blobs.formUnion([record.id.hex, record.manifestDigest.hex] + record.layers.map(\.blobDigest.hex))
            if let index = record.indexDigest { blobs.insert(index.hex) }
            layers.formUnion(record.layers.map(\.diffID.hex))
        }
        func list(_ path: String) -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) }
        XCTAssertEqual(list(storeRoot + "/tmp"), [], "staging not empty", file: file, line: line)
        XCTAssertEqual(list(storeRoot + "/blobs/sha256"), blobs, "unexpected blobs", file: file, line: line)
        XCTAssertEqual(list(storeRoot + "/layers/sha256"), layers, "unexpected layers", file: file, line: line)
    }
}
