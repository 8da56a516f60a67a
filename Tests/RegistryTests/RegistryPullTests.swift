import Foundation
import ImageStore
import WharfTestSupport
import XCTest
@testable import Registry

final class RegistryPullTests: RegistryTestCase {
    // MARK: - Plain registry

    func testPullBusyboxByTagThenByDigestThenAgainFromStore() throws {
        let registry = try startRegistry()
        try registry.push(layout: BusyboxImage.layout(), to: "library/busybox:1.0")
        let puller = try plainPuller(registry)

        let first = try puller.pull("\(registry.host)/library/busybox:1.0")
        XCTAssertEqual(first.record.reference?.familiar, "\(registry.host)/library/busybox:1.0")
        XCTAssertEqual(first.layersDownloaded, 1)
        XCTAssertGreaterThan(first.bytesDownloaded, 100_000)
        let image = try puller.store.resolve(reference: "\(registry.host)/library/busybox:1.0")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: image.layerDirectories[0] + "/bin/busybox"))
        XCTAssertEqual(image.runtimeConfig.cmd, ["sh"])
        XCTAssertEqual(try Subprocess.shell("chroot '\(image.layerDirectories[0])' /bin/sh -c 'echo ok'"), "ok\n")

        // The same image by digest: nothing downloaded again, the digest name resolves.
        let byDigest = "\(registry.host)/library/busybox@\(first.record.manifestDigest)"
        let second = try puller.pull(byDigest)
        XCTAssertEqual(second.record.id, first.record.id)
        XCTAssertEqual(second.layersDownloaded, 0)
        XCTAssertEqual(try puller.store.resolve(reference: byDigest).record.id, first.record.id)

        // A second pull of the tag only asks the registry for the manifest.
        let start = Date()
        let again = try puller.pull("\(registry.host)/library/busybox:1.0")
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(again.layersDownloaded, 0)
        XCTAssertTrue(again.contactedRegistry)
        XCTAssertLessThan(elapsed, 0.05, "second pull took \(elapsed) s")
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testMultiLayerImageThroughMultiArchitectureIndex() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/multi")
        let shared = try writer.layer(["etc/os-release": Array("ID=wharf-test\n".utf8)], gzip: true)
        let amd64 = try writer.layer(["arch": Array("amd64\n".utf8), "data/big": randomBytes(3_000_000)], gzip: true)
        let plain = try writer.layer(["etc/motd": Array("uncompressed layer\n".utf8)], gzip: false)
        let arm64 = try writer.layer(["arch": Array("arm64\n".utf8)], gzip: true)
        let amd64Manifest = try writer.manifest(layers: [shared, amd64, plain], architecture: "amd64")
        let arm64Manifest = try writer.manifest(layers: [shared, arm64], architecture: "arm64")
        let index = try writer.index([(arm64Manifest, "arm64"), (amd64Manifest, "amd64")])
        try writer.finish(top: index)
        try registry.push(layout: writer.directory, to: "team/multi:v1", all: true)

        let puller = try plainPuller(registry)
        let events = EventLog()
        let result = try puller.pull("\(registry.host)/team/multi:v1", progress: { events.append($0) })
        XCTAssertEqual(result.layersDownloaded, 3)
        XCTAssertEqual(result.record.architecture, "amd64")
        XCTAssertEqual(result.record.manifestDigest, amd64Manifest.digest)
        XCTAssertEqual(result.record.indexDigest, index.digest)
        let image = try puller.store.resolve(reference: "\(registry.host)/team/multi:v1")
        XCTAssertEqual(image.layerDirectories.count, 3)
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[1] + "/arch", encoding: .utf8), "amd64\n")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[2] + "/etc/motd", encoding: .utf8), "uncompressed layer\n")
        // The index digest names the image too.
        XCTAssertEqual(try puller.store.resolve(reference: "\(registry.host)/team/multi@\(index.digest)").record.id, result.record.id)
        // Progress: one completion per layer, and byte counts up to each layer's size.
        XCTAssertEqual(events.completed.sorted(), [amd64.0.digest, plain.0.digest, shared.0.digest].sorted())
        XCTAssertEqual(events.maxReceived[amd64.0.digest], Int64(amd64.0.size))

        // Pulling the arm64 manifest by digest reuses the shared layer.
        let armResult = try puller.pull("\(registry.host)/team/multi@\(arm64Manifest.digest)")
        XCTAssertEqual(armResult.layersDownloaded, 1)
        XCTAssertEqual(armResult.record.architecture, "arm64")
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testConcurrentPullsOfTwoTagsDownloadSharedLayersOnce() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/image")
        let layers = try (0..<3).map { index in try writer.layer(["layer\(index)": randomBytes(2_000_000)], gzip: true) }
        try writer.finish(top: writer.manifest(layers: layers))
        try registry.push(layout: writer.directory, to: "team/app:a")
        try registry.push(layout: writer.directory, to: "team/app:b")
        let puller = try plainPuller(registry)

        let results = ResultBox()
        let host = registry.host
        let group = DispatchGroup()
        for tag in ["a", "b"] {
            group.enter()
            Thread {
                defer { group.leave() }
                results.add(Result { () throws(RegistryError) in try puller.pull("\(host)/team/app:\(tag)") })
            }.start()
        }
        group.wait()
        let pulled = try results.all.map { try $0.get() }
        XCTAssertEqual(pulled.count, 2)
        XCTAssertEqual(Set(pulled.map(\.record.id)).count, 1)
        XCTAssertEqual(pulled.map(\.layersDownloaded).reduce(0, +), 3, "each layer downloaded exactly once")
        XCTAssertEqual(try puller.store.list().count, 2)
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testInterruptedBlobDownloadResumesWithRange() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/image")
        let layer = try writer.layer(["payload": randomBytes(4_000_000)], gzip: true)
        try writer.finish(top: writer.manifest(layers: [layer]))
        try registry.push(layout: writer.directory, to: "team/big:1")
        // The first two blob responses are cut after 1 MB.
        let proxy = try CuttingProxy(upstreamPort: registry.port, cuts: 2, cutAfter: 1_000_000)
        defer { proxy.stop() }
        let store = try ImageStore(root: storeRoot)
        let puller = ImagePuller(store: store, configuration: RegistryConfiguration(registries: ["127.0.0.1:\(proxy.port)": RegistryHostSettings(insecure: true)]),
                                 retry: PullRetryPolicy(attempts: 4, initialBackoff: 0.01))
        let result = try puller.pull("127.0.0.1:\(proxy.port)/team/big:1")
        XCTAssertEqual(result.layersDownloaded, 1)
        XCTAssertEqual(result.bytesDownloaded, Int64(layer.0.size), "resumed bytes are not fetched twice")
        XCTAssertEqual(proxy.rangeRequestCount, 2)
        let image = try store.resolve(reference: "127.0.0.1:\(proxy.port)/team/big:1")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: image.layerDirectories[0] + "/payload")).count, 4_000_000)
        try assertStoreHoldsOnlyRecords(store)
    }

    // MARK: - Bad input

    func testUnknownRepositoryTagAndDigestAreClearErrors() throws {
        let registry = try startRegistry()
        try registry.push(layout: BusyboxImage.layout(), to: "library/busybox:1.0")
        let puller = try plainPuller(registry)
        let missingDigest = "sha256:" + String(repeating: "ab", count: 32)
        for reference in ["\(registry.host)/nothing/here:1", "\(registry.host)/library/busybox:2.0",
                          "\(registry.host)/library/busybox@\(missingDigest)"] {
            XCTAssertThrowsError(try puller.pull(reference), reference) { error in
                guard case let .notFound(image, host, step, detail) = error as? RegistryError else {
                    return XCTFail("expected notFound, got \(error)")
                }
                XCTAssertEqual(host, registry.host)
                XCTAssertTrue(reference.hasSuffix(image.split(separator: "/", maxSplits: 1).last.map(String.init) ?? ""), image)
                XCTAssertEqual(step, "resolve manifest")
                XCTAssertTrue(detail.contains("MANIFEST_UNKNOWN") || detail.contains("NAME_UNKNOWN"), detail)
                XCTAssertTrue("\(error)".contains(registry.host) && "\(error)".contains("resolve manifest"), "\(error)")
            }
        }
        XCTAssertThrowsError(try puller.pull("Not A Reference")) { error in
            guard case .invalidReference = error as? RegistryError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try puller.store.list(), [])
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testCorruptedAndTruncatedBlobsLeaveNothingInTheStore() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/image")
        let layer = try writer.layer(["payload": randomBytes(1_000_000)], gzip: true)
        try writer.finish(top: writer.manifest(layers: [layer]))
        try registry.push(layout: writer.directory, to: "team/broken:1")
        let blob = registry.blobDataPath(layer.0.digest)
        let original = try Data(contentsOf: URL(fileURLWithPath: blob))
        let puller = try plainPuller(registry, timeouts: PullTimeouts(connect: 5, idle: 5, overall: 60))

        // One flipped byte in the middle.
        var corrupted = original
        corrupted[corrupted.count / 2] ^= 0xff
        try corrupted.write(to: URL(fileURLWithPath: blob))
        XCTAssertThrowsError(try puller.pull("\(registry.host)/team/broken:1")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(registry.host) && text.contains("team/broken:1") && text.contains(layer.0.digest.shortID), text)
            switch error as? RegistryError {
            case .digestMismatch, .store(_, _, _, .decompressionFailed): break
            default: XCTFail("expected a digest or gunzip failure, got \(error)")
            }
        }
        try assertStoreHoldsOnlyRecords(puller.store)

        // The blob cut short: the registry serves fewer bytes than the manifest declares.
        try original.prefix(original.count - 1000).write(to: URL(fileURLWithPath: blob))
        XCTAssertThrowsError(try puller.pull("\(registry.host)/team/broken:1")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(registry.host) && text.contains(layer.0.digest.shortID), text)
            switch error as? RegistryError {
            case .truncated, .store(_, _, _, .decompressionFailed), .digestMismatch: break
            default: XCTFail("expected a truncation failure, got \(error)")
            }
        }
        try assertStoreHoldsOnlyRecords(puller.store)
        XCTAssertEqual(try puller.store.list(), [])

        // Restored, the same puller succeeds.
        try original.write(to: URL(fileURLWithPath: blob))
        XCTAssertEqual(try puller.pull("\(registry.host)/team/broken:1").layersDownloaded, 1)
    }

    func testStalledRegistryTimesOutNamingTheStep() throws {
        // A socket that accepts connections (in the kernel's backlog) but never answers.
        let listener = try LoopbackListener(backlog: 16)
        defer { close(listener.fd) }
        let port = listener.port

        let store = try ImageStore(root: storeRoot)
        let puller = ImagePuller(store: store, configuration: RegistryConfiguration(registries: ["127.0.0.1:\(port)": RegistryHostSettings(insecure: true)]),
                                 timeouts: PullTimeouts(connect: 1, idle: 0.5, overall: 10), retry: PullRetryPolicy(attempts: 2, initialBackoff: 0.05))
        let start = Date()
        XCTAssertThrowsError(try puller.pull("127.0.0.1:\(port)/team/app:1")) { error in
            guard case let .timedOut(image, registry, step, seconds) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(image, "127.0.0.1:\(port)/team/app:1")
            XCTAssertEqual(registry, "127.0.0.1:\(port)")
            XCTAssertEqual(step, "resolve manifest")
            XCTAssertEqual(seconds, 0.5)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
    }

    func testPlainHTTPOnlyWhenListedInsecure() throws {
        let registry = try startRegistry()
        let puller = ImagePuller(store: try ImageStore(root: storeRoot))
        XCTAssertThrowsError(try puller.pull("\(registry.host)/library/busybox:1.0")) { error in
            guard case .tls = error as? RegistryError else { return XCTFail("expected a TLS failure, got \(error)") }
        }
    }

    // MARK: - TLS and authentication

    func testTLSRegistryWithBasicAuthentication() throws {
        let registry = try startRegistry(tls: true, users: ["wharf": "s3cret"])
        let caFile = try XCTUnwrap(registry.caFile)
        try registry.push(layout: BusyboxImage.layout(), to: "private/busybox:1",
                          credentials: LocalRegistry.Credentials(username: "wharf", password: "s3cret"))
        let credentialsFile = scratch + "/credentials.json"
        try Data(#"{"username":"wharf","password":"s3cret"}"#.utf8).write(to: URL(fileURLWithPath: credentialsFile))
        let store = try ImageStore(root: storeRoot)
        let reference = "\(registry.host)/private/busybox:1"

        // Without the CA the certificate is refused.
        let untrusting = ImagePuller(store: store, configuration: RegistryConfiguration(registries: [
            registry.host: RegistryHostSettings(credentialsFile: credentialsFile),
        ]))
        XCTAssertThrowsError(try untrusting.pull(reference)) { error in
            guard case let .tls(_, host, _, _, reason) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(host, registry.host)
            XCTAssertTrue(reason.contains("certificate"), reason)
        }

        // With the CA, no credentials: the registry's 401 is reported.
        let anonymous = ImagePuller(store: store, configuration: RegistryConfiguration(registries: [
            registry.host: RegistryHostSettings(caFiles: [caFile]),
        ]))
        XCTAssertThrowsError(try anonymous.pull(reference)) { error in
            guard case .unauthorized = error as? RegistryError else { return XCTFail("\(error)") }
        }
        // A wrong password (as a task's repositoryCredentials).
        XCTAssertThrowsError(try anonymous.pull(reference, credentials: RegistryCredentials(username: "wharf", password: "wrong"))) { error in
            guard case let .unauthorized(image, host, step, detail) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(image, reference)
            XCTAssertEqual(host, registry.host)
            XCTAssertEqual(step, "resolve manifest")
            XCTAssertTrue(detail.contains("401"), detail)
        }
        XCTAssertEqual(try store.list(), [])

        // The credentials file and the CA: pulled.
        let trusted = ImagePuller(store: store, configuration: RegistryConfiguration(registries: [
            registry.host: RegistryHostSettings(caFiles: [caFile], credentialsFile: credentialsFile),
        ]))
        let result = try trusted.pull(reference)
        XCTAssertEqual(result.layersDownloaded, 1)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: try store.resolve(reference: reference).layerDirectories[0] + "/bin/busybox"))
        try assertStoreHoldsOnlyRecords(store)
    }

    func testBearerTokenAuthentication() throws {
        let directory = scratch + "/tokens"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tokens = try TokenServer(directory: directory, username: "robot", password: "t0ken")
        defer { tokens.stop() }
        let registry = try startRegistry(tokenServer: tokens)
        try registry.push(layout: BusyboxImage.layout(), to: "team/busybox:1",
                          credentials: LocalRegistry.Credentials(username: "robot", password: "t0ken"))
        let puller = try plainPuller(registry)
        let reference = "\(registry.host)/team/busybox:1"

        // Anonymous: the token grants nothing, so the registry refuses.
        XCTAssertThrowsError(try puller.pull(reference)) { error in
            guard case .unauthorized(_, _, "resolve manifest", _) = error as? RegistryError else { return XCTFail("\(error)") }
        }
        // Wrong password: the token service refuses.
        XCTAssertThrowsError(try puller.pull(reference, credentials: RegistryCredentials(username: "robot", password: "nope"))) { error in
            guard case let .unauthorized(_, host, step, detail) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(host, registry.host)
            XCTAssertEqual(step, "authenticate at 127.0.0.1:\(tokens.port)")
            XCTAssertTrue(detail.contains("401"), detail)
        }
        let result = try puller.pull(reference, credentials: RegistryCredentials(username: "robot", password: "t0ken"))
        XCTAssertEqual(result.layersDownloaded, 1)
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    /// `insecure` picks plain HTTP for the registry only: its HTTPS token realm is still
    /// reached over TLS, verified with the registry's extra CA file.
    func testInsecureRegistryWithHTTPSTokenRealm() throws {
        let directory = scratch + "/tokens"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let tokens = try TokenServer(directory: directory, username: "robot", password: "t0ken", tls: true)
        defer { tokens.stop() }
        let registry = try startRegistry(tokenServer: tokens)
        try registry.push(layout: BusyboxImage.layout(), to: "team/busybox:1",
                          credentials: LocalRegistry.Credentials(username: "robot", password: "t0ken"))
        let reference = "\(registry.host)/team/busybox:1"
        let credentials = RegistryCredentials(username: "robot", password: "t0ken")

        // Without the token service's CA its certificate is refused (so TLS was spoken).
        let untrusting = try plainPuller(registry)
        XCTAssertThrowsError(try untrusting.pull(reference, credentials: credentials)) { error in
            guard case let .tls(_, _, step, _, reason) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(step, "authenticate at 127.0.0.1:\(tokens.port)")
            XCTAssertTrue(reason.contains("certificate"), reason)
        }
        let tokenCA = try XCTUnwrap(tokens.caFile)
        let puller = ImagePuller(store: untrusting.store, configuration: RegistryConfiguration(registries: [
            registry.host: RegistryHostSettings(insecure: true, caFiles: [tokenCA]),
        ]))
        let result = try puller.pull(reference, credentials: credentials)
        XCTAssertEqual(result.layersDownloaded, 1)
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    // MARK: - Pull policies and prune

    func testPullPoliciesAndPrune() throws {
        let registry = try startRegistry()
        try registry.push(layout: BusyboxImage.layout(), to: "library/busybox:1.0")
        let writer = try LayoutWriter(directory: scratch + "/image")
        try writer.finish(top: writer.manifest(layers: [writer.layer(["file": randomBytes(10_000)], gzip: true)]))
        try registry.push(layout: writer.directory, to: "team/other:1")
        let puller = try plainPuller(registry)
        let reference = "\(registry.host)/library/busybox:1.0"

        let pulled = try puller.ensureImage(reference, policy: .once)
        XCTAssertTrue(pulled.contactedRegistry)
        XCTAssertEqual(pulled.layersDownloaded, 1)
        _ = try puller.pull("\(registry.host)/team/other:1")

        registry.stop()
        // The registry is gone: cached policies use the local image, `always` fails.
        XCTAssertFalse(try puller.ensureImage(reference, policy: .preferCached).contactedRegistry)
        XCTAssertFalse(try puller.ensureImage(reference, policy: .once).contactedRegistry)
        let fallback = try puller.ensureImage(reference, policy: .default)
        XCTAssertFalse(fallback.contactedRegistry)
        XCTAssertNotNil(fallback.fallbackError)
        XCTAssertThrowsError(try puller.ensureImage(reference, policy: .always)) { error in
            guard case .connection = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertTrue((error as? RegistryError)?.cannotPullContainerReason.contains(registry.host) ?? false)
        }

        // Prune keeps what images use.
        XCTAssertEqual(try puller.store.prune(), ImageStore.PruneResult(blobs: 0, layers: 0, blobBytes: 0))
        try puller.store.remove(reference: "\(registry.host)/team/other:1")
        XCTAssertEqual(try puller.store.list().count, 1)
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testPruneRemovesLayersLeftByAFailedPull() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/image")
        let good = try writer.layer(["good": randomBytes(100_000)], gzip: true)
        let bad = try writer.layer(["bad": randomBytes(3_000_000)], gzip: true)
        try writer.finish(top: writer.manifest(layers: [good, bad]))
        try registry.push(layout: writer.directory, to: "team/half:1")
        let blob = registry.blobDataPath(bad.0.digest)
        var corrupted = try Data(contentsOf: URL(fileURLWithPath: blob))
        corrupted[corrupted.count - 100] ^= 0x55
        try corrupted.write(to: URL(fileURLWithPath: blob))

        let puller = try plainPuller(registry)
        XCTAssertThrowsError(try puller.pull("\(registry.host)/team/half:1"))
        // The good layer is complete and verified (a retry reuses it); the bad one left nothing.
        XCTAssertTrue(puller.store.hasLayer(diffID: good.1))
        XCTAssertFalse(puller.store.hasLayer(diffID: bad.1))
        XCTAssertFalse(puller.store.hasBlob(bad.0.digest))
        XCTAssertEqual(try puller.store.list(), [])
        let pruned = try puller.store.prune()
        XCTAssertEqual(pruned.layers, 1)
        XCTAssertEqual(pruned.blobs, 1)
        XCTAssertEqual(pruned.blobBytes, Int64(good.0.size))
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    // MARK: - Parsing

    func testAuthenticationChallengeParsing() {
        let challenge = AuthenticationChallenge(parsing:
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#)
        XCTAssertEqual(challenge?.scheme, "bearer")
        XCTAssertEqual(challenge?.parameters["realm"], "https://auth.docker.io/token")
        XCTAssertEqual(challenge?.parameters["service"], "registry.docker.io")
        XCTAssertEqual(challenge?.parameters["scope"], "repository:library/busybox:pull")
        XCTAssertEqual(AuthenticationChallenge(parsing: #"Basic realm="wharf \"test\"""#)?.parameters["realm"], #"wharf "test""#)
        XCTAssertNil(AuthenticationChallenge(parsing: "  "))
    }

    func testRegistrySettingsFileMustExistOnlyWhenRequired() throws {
        let missing = scratch + "/no-such-registries.json"
        XCTAssertEqual(try RegistryConfiguration.load(path: missing), RegistryConfiguration())
        XCTAssertThrowsError(try RegistryConfiguration.load(path: missing, required: true)) { error in
            guard case let .configuration(path, detail) = error as? RegistryError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing)
            XCTAssertEqual(detail, "no such file")
        }
        let present = scratch + "/registries.json"
        try Data(#"{"registries": {"127.0.0.1:5000": {"insecure": true}}}"#.utf8).write(to: URL(fileURLWithPath: present))
        XCTAssertEqual(try RegistryConfiguration.load(path: present, required: true).settings(for: "127.0.0.1:5000"),
                       RegistryHostSettings(insecure: true))
    }

    func testRegistryURLs() {
        XCTAssertEqual(RegistryURL.registryBase("docker.io", secure: true)?.description, "https://registry-1.docker.io/")
        XCTAssertEqual(RegistryURL.registryBase("127.0.0.1:5000", secure: false)?.description, "http://127.0.0.1:5000/")
        let base = RegistryURL(parsing: "https://registry.example.com:8443/v2/a/blobs/x")
        XCTAssertEqual(base?.host, "registry.example.com")
        XCTAssertEqual(base?.port, 8443)
        XCTAssertEqual(base?.resolving("/elsewhere?x=1")?.description, "https://registry.example.com:8443/elsewhere?x=1")
        XCTAssertEqual(base?.resolving("https://s3.example.com/blob")?.authority, "s3.example.com")
        XCTAssertNil(RegistryURL(parsing: "ftp://x/y"))
        XCTAssertEqual(RegistryURL.encodeQueryValue("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull")
    }
}

/// Collects pull events from several threads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [PullEvent] = []

    func append(_ event: PullEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var completed: [Digest] {
        lock.lock()
        defer { lock.unlock() }
        return events.compactMap { if case let .layerCompleted(digest, _, true) = $0 { return digest } else { return nil } }
    }

    var maxReceived: [Digest: Int64] {
        lock.lock()
        defer { lock.unlock() }
        var result: [Digest: Int64] = [:]
        for case let .layerProgress(digest, received, _) in events { result[digest] = max(result[digest] ?? 0, received) }
        return result
    }
}

/// Results gathered from several threads.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<PullResult, RegistryError>] = []

    func add(_ result: Result<PullResult, RegistryError>) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }

    var all: [Result<PullResult, RegistryError>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

/// Incompressible bytes, so layer sizes are what the test says.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
