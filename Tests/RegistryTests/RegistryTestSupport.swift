import Foundation
@testable import ImageStore
import WharfTestSupport
import XCTest
@testable import Registry

extension LocalRegistry {
    /// The registry's stored data file of blob `digest` (docker-registry's filesystem layout).
    func blobDataPath(_ digest: Digest) -> String {
        storage + "/docker/registry/v2/blobs/sha256/" + String(digest.hex.prefix(2)) + "/" + digest.hex + "/data"
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
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
        try Subprocess.shell("tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '\(source)' -cf '\(tarPath)' .")
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
            try Subprocess.shell("gzip -n -1 -f '\(tarPath)'")
            compressedPath = tarPath + ".gz"
            mediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
        case .zstd:
            // Piped, as a streaming writer would: no content size in the frame header.
            try Subprocess.shell("zstd -q -3 -c < '\(tarPath)' > '\(tarPath).zst' && rm '\(tarPath)'")
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
    /// This test's directory; `scratch` is its path.
    private var scratchDirectory: TemporaryDirectory?
    var scratch = ""
    var registries: [LocalRegistry] = []
    var storeRoot: String { scratch + "/store" }

    override func setUpWithError() throws {
        let directory = try TemporaryDirectory(prefix: "wharf-registry-test")
        scratchDirectory = directory
        scratch = directory.path
    }

    override func tearDownWithError() throws {
        for registry in registries { registry.remove() }
        registries = []
        scratchDirectory?.remove()
        scratchDirectory = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), "test directory not removed")
    }

    /// Starts a registry for this test (stopped and removed in `tearDown`): TLS with a CA made
    /// for it, htpasswd `users`, or bearer tokens from `tokenServer`.
    func startRegistry(tls: Bool = false, users: [String: String] = [:], tokenServer: TokenServer? = nil) throws -> LocalRegistry {
        var authentication = LocalRegistry.Authentication.none
        if !users.isEmpty { authentication = .htpasswd(users: users) }
        if let tokenServer {
            authentication = .token(realm: tokenServer.realm, service: TokenServer.service, issuer: TokenServer.issuer,
                                    rootCertificateBundle: tokenServer.certificate)
        }
        let registry = try LocalRegistry(LocalRegistry.Configuration(tls: tls, authentication: authentication))
        registries.append(registry)
        return registry
    }

    /// A puller on a fresh store that reaches `registry` over plain HTTP.
    func plainPuller(_ registry: LocalRegistry, timeouts: PullTimeouts = PullTimeouts()) throws -> ImagePuller {
        let store = try ImageStore(root: storeRoot)
        return ImagePuller(store: store, configuration: RegistryConfiguration(registries: [registry.host: RegistryHostSettings(insecure: true)]),
                           timeouts: timeouts)
    }

    /// Asserts that the store holds exactly what its records use, and nothing staged.
    func assertStoreHoldsOnlyRecords(_ store: ImageStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let (blobs, layers) = ImageStore.referenced(by: try store.list())
        func list(_ path: String) -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) }
        XCTAssertEqual(list(store.tempDirectory), [], "staging not empty", file: file, line: line)
        XCTAssertEqual(list(store.blobsDirectory), blobs, "unexpected blobs", file: file, line: line)
        XCTAssertEqual(list(store.layersDirectory), layers, "unexpected layers", file: file, line: line)
    }
}
