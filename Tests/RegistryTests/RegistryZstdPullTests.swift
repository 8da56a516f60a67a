import Foundation
import ImageStore
import WharfTestSupport
import XCTest
@testable import Registry

/// Images whose layers are zstd-compressed (`application/vnd.oci.image.layer.v1.tar+zstd`),
/// pushed to a real registry by skopeo and pulled by Wharf.
final class RegistryZstdPullTests: RegistryTestCase {
    func testLayersRecompressedToZstdBySkopeoArePulledAndUnpacked() throws {
        let registry = try startRegistry()
        let writer = try LayoutWriter(directory: scratch + "/image")
        let base = try writer.layer(["etc/os-release": Array("ID=wharf-zstd\n".utf8), "data/payload": randomBytes(1_500_000)], gzip: true)
        let text = String(repeating: "compressible line of a zstd layer\n", count: 50_000)
        let top = try writer.layer(["etc/motd": Array("top layer\n".utf8), "data/text": Array(text.utf8)], gzip: true)
        try writer.finish(top: writer.manifest(layers: [base, top]))
        // skopeo decompresses the gzip layers and pushes them as zstd, under a new manifest.
        try registry.push(layout: writer.directory, to: "team/zstd:1", recompress: "zstd")
        let manifest = try registryManifest(registry, "team/zstd", "1")
        let layers = try XCTUnwrap(manifest["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.compactMap { $0["mediaType"] as? String }, [MediaType.ociLayerZstd, MediaType.ociLayerZstd])

        let puller = try plainPuller(registry)
        let events = EventLog()
        let result = try puller.pull("\(registry.host)/team/zstd:1", progress: { events.append($0) })
        XCTAssertEqual(result.layersDownloaded, 2)
        XCTAssertEqual(result.record.layers.map(\.mediaType), [MediaType.ociLayerZstd, MediaType.ociLayerZstd])
        // The diffIDs are the uncompressed tars' digests, whatever the compression.
        XCTAssertEqual(result.record.layers.map(\.diffID), [base.1, top.1])
        XCTAssertEqual(result.record.layers.map(\.blobDigest.description), layers.compactMap { $0["digest"] as? String })
        XCTAssertEqual(result.bytesDownloaded, Int64(layers.compactMap { $0["size"] as? Int }.reduce(0, +)))
        XCTAssertEqual(events.completed.count, 2)

        let image = try puller.store.resolve(reference: "\(registry.host)/team/zstd:1")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[0] + "/etc/os-release", encoding: .utf8), "ID=wharf-zstd\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: image.layerDirectories[0] + "/data/payload")).count, 1_500_000)
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[1] + "/etc/motd", encoding: .utf8), "top layer\n")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[1] + "/data/text", encoding: .utf8), text)
        try assertStoreHoldsOnlyRecords(puller.store)
    }

    func testBusyboxWithZstdLayerRuns() throws {
        let registry = try startRegistry()
        try registry.push(layout: BusyboxImage.layout(), to: "library/busybox:zstd", recompress: "zstd")
        let puller = try plainPuller(registry)
        let result = try puller.pull("\(registry.host)/library/busybox:zstd")
        XCTAssertEqual(result.record.layers.map(\.mediaType), [MediaType.ociLayerZstd])
        let image = try puller.store.resolve(reference: "\(registry.host)/library/busybox:zstd")
        XCTAssertEqual(try Subprocess.shell("chroot '\(image.layerDirectories[0])' /bin/sh -c 'cat /var/www/index.html'"), "hello from wharf busybox\n")
    }

    func testTruncatedAndCorruptZstdLayersAreClearErrorsAndLeaveNothing() throws {
        let registry = try startRegistry()
        let files = ["data/payload": randomBytes(800_000), "etc/motd": Array(String(repeating: "motd\n", count: 10_000).utf8)]
        // Each layer's descriptor names its damaged bytes, so the digest checks pass and only
        // the zstd decoder can tell: cut before the frame's end, or one byte flipped (the
        // frame's checksum or its block structure catches it).
        let damages: [(String, ([UInt8]) -> [UInt8], String?)] = [
            ("cut", { Array($0.dropLast(7)) }, "truncated"),
            ("flipped", { bytes in
                var copy = bytes
                copy[copy.count / 2] ^= 0x21
                return copy
            }, nil),
        ]
        let puller = try plainPuller(registry)
        for (tag, mangle, expectedMessage) in damages {
            let writer = try LayoutWriter(directory: scratch + "/\(tag)")
            let layer = try writer.layer(files, compression: .zstd, mangle: mangle)
            try writer.finish(top: writer.manifest(layers: [layer]))
            try registry.push(layout: writer.directory, to: "team/broken:\(tag)")

            XCTAssertThrowsError(try puller.pull("\(registry.host)/team/broken:\(tag)"), tag) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(registry.host) && text.contains("team/broken:\(tag)")
                              && text.contains("store layer \(layer.0.digest)") && text.contains("ZSTD_decompressStream"), text)
                guard case let .store(_, host, _, .zstdFailed(_, function, message)) = error as? RegistryError else {
                    return XCTFail("expected a zstd failure from the store, got \(error)")
                }
                XCTAssertEqual(host, registry.host)
                XCTAssertEqual(function, "ZSTD_decompressStream")
                if let expectedMessage { XCTAssertTrue(message.contains(expectedMessage), message) }
            }
            try assertStoreHoldsOnlyRecords(puller.store)
            XCTAssertEqual(try puller.store.list(), [])
        }
    }

    /// The manifest the registry serves for `repository:tag`, as JSON.
    private func registryManifest(_ registry: LocalRegistry, _ repository: String, _ tag: String) throws -> [String: Any] {
        let accept = [MediaType.ociManifest, MediaType.dockerManifest].map { "-H 'Accept: \($0)'" }.joined(separator: " ")
        let body = try Subprocess.shell("curl -sf \(accept) http://\(registry.host)/v2/\(repository)/manifests/\(tag)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }
}
