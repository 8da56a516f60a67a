import Foundation
import WharfTestSupport
import XCTest
@testable import ImageStore

/// A minimal tar writer for building test layers (ustar headers, pax records for long names).
struct TestTar {
    enum Kind { case file(String), dir, symlink(String), hardlink(String), fifo, charDevice(UInt32, UInt32) }
    private(set) var bytes: [UInt8] = []

    mutating func add(_ path: String, _ kind: Kind, mode: Int = 0o644, uid: Int = 0, gid: Int = 0, mtime: Int = 1_700_000_000) {
        var data: [UInt8] = []
        var type: UInt8 = UInt8(ascii: "0")
        var link = ""
        var major: UInt32 = 0, minor: UInt32 = 0
        switch kind {
        case let .file(text): data = Array(text.utf8)
        case .dir: type = UInt8(ascii: "5")
        case let .symlink(target): type = UInt8(ascii: "2"); link = target
        case let .hardlink(target): type = UInt8(ascii: "1"); link = target
        case .fifo: type = UInt8(ascii: "6")
        case let .charDevice(ma, mi): type = UInt8(ascii: "3"); major = ma; minor = mi
        }
        if path.utf8.count > 100 || link.utf8.count > 100 {
            var records: [UInt8] = []
            if path.utf8.count > 100 { records += Self.paxRecord("path", path) }
            if link.utf8.count > 100 { records += Self.paxRecord("linkpath", link) }
            appendHeader(name: "PaxHeaders/x", type: UInt8(ascii: "x"), size: records.count, mode: 0o644, uid: 0, gid: 0, mtime: mtime, link: "", major: 0, minor: 0)
            appendData(records)
        }
        appendHeader(name: String(path.prefix(100)), type: type, size: data.count, mode: mode, uid: uid, gid: gid, mtime: mtime, link: String(link.prefix(100)), major: major, minor: minor)
        appendData(data)
    }

    /// Raw, possibly hostile header (for escape tests).
    mutating func addRaw(_ path: String, data: String) {
        let bytes = Array(data.utf8)
        appendHeader(name: path, type: UInt8(ascii: "0"), size: bytes.count, mode: 0o644, uid: 0, gid: 0, mtime: 0, link: "", major: 0, minor: 0)
        appendData(bytes)
    }

    mutating func finish() -> [UInt8] {
        bytes += [UInt8](repeating: 0, count: 1024)
        return bytes
    }

    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while "\(length)\(body)".utf8.count != length { length += 1 }
        return Array("\(length)\(body)".utf8)
    }

    private mutating func appendData(_ data: [UInt8]) {
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    private mutating func appendHeader(name: String, type: UInt8, size: Int, mode: Int, uid: Int, gid: Int, mtime: Int, link: String, major: UInt32, minor: UInt32) {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int, _ length: Int) {
            for (i, b) in text.utf8.prefix(length).enumerated() { h[offset + i] = b }
        }
        func octal(_ value: Int, _ offset: Int, _ length: Int) {
            put(String(String(value, radix: 8).suffix(length - 1)).leftPad(length - 1), offset, length - 1)
        }
        put(name, 0, 100)
        octal(mode, 100, 8); octal(uid, 108, 8); octal(gid, 116, 8)
        octal(size, 124, 12); octal(mtime, 136, 12)
        h[156] = type
        put(link, 157, 100)
        put("ustar\0", 257, 6); put("00", 263, 2)
        octal(Int(major), 329, 8); octal(Int(minor), 337, 8)
        for i in 148..<156 { h[i] = UInt8(ascii: " ") }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPad(6) + "\0 ", 148, 8)
        bytes += h
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Temp dirs, shell helpers and an OCI layout writer for the tests.
class ImageStoreTestCase: XCTestCase {
    var scratch = ""
    var storeRoot: String { scratch + "/store" }

    override func setUpWithError() throws {
        scratch = try FileSystem.makeTemporaryDirectory(in: NSTemporaryDirectory().trimmingSuffix("/"), prefix: "wharf-imagestore-test-", step: "test")
    }

    override func tearDownWithError() throws {
        try FileSystem.removeTree(scratch, step: "test cleanup")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch))
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = scratch + "/gz-in-\(UUID().uuidString)"
        try write(bytes, to: input)
        try Subprocess.shell("gzip -n -c '\(input)' > '\(input).gz'")
        let out = Array(try Data(contentsOf: URL(fileURLWithPath: input + ".gz")))
        try FileManager.default.removeItem(atPath: input)
        try FileManager.default.removeItem(atPath: input + ".gz")
        return out
    }

    func json(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Writes an OCI layout with one image whose layers are `tars` (gzip when `compress`, zstd
    /// made by libzstd when `zstd`). Returns the layout directory. `mutateLayerBlob` may
    /// corrupt a layer after hashing.
    @discardableResult
    func writeLayout(_ directory: String, name: String?, tars: [[UInt8]], compress: Bool = true, zstd: Bool = false,
                     config extra: [String: Any] = [:], transformBeforeHash: (([UInt8]) -> [UInt8])? = nil,
                     mutateLayerBlob: (([UInt8]) -> [UInt8])? = nil) throws -> String {
        let blobs = directory + "/blobs/sha256"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        func blob(_ bytes: [UInt8]) throws -> (String, Int) {
            let digest = Digest.of(bytes)
            try write(bytes, to: blobs + "/" + digest.hex)
            return (digest.description, bytes.count)
        }
        var layerDescriptors: [[String: Any]] = []
        var diffIDs: [String] = []
        for tar in tars {
            diffIDs.append(Digest.of(tar).description)
            var content = zstd ? try zstdCompress(tar, level: 3) : compress ? try gzip(tar) : tar
            if let transformBeforeHash { content = transformBeforeHash(content) }
            let (digest, size) = try blob(content)
            if let mutateLayerBlob {
                try write(mutateLayerBlob(content), to: blobs + "/" + Digest(digest).hex)
            }
            layerDescriptors.append([
                "mediaType": zstd ? "application/vnd.oci.image.layer.v1.tar+zstd"
                    : compress ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar",
                "digest": digest, "size": size,
            ])
        }
        var runtime: [String: Any] = ["Env": ["PATH=/bin"], "Cmd": ["sh"]]
        for (key, value) in extra { runtime[key] = value }
        let (configDigest, configSize) = try blob(json([
            "architecture": "amd64", "os": "linux", "config": runtime,
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ]))
        let (manifestDigest, manifestSize) = try blob(json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": configSize],
            "layers": layerDescriptors,
        ]))
        var descriptor: [String: Any] = [
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifestDigest, "size": manifestSize,
        ]
        if let name { descriptor["annotations"] = ["org.opencontainers.image.ref.name": name] }
        try write(json(["schemaVersion": 2, "manifests": [descriptor]]), to: directory + "/index.json")
        try write(json(["imageLayoutVersion": "1.0.0"]), to: directory + "/oci-layout")
        return directory
    }

    /// Asserts that the store holds nothing but what its records need (no staging leftovers).
    func assertStoreClean(_ store: ImageStore, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(FileSystem.listDirectory(store.tempDirectory), [], "tmp not empty", file: file, line: line)
        let (blobs, layers) = ImageStore.referenced(by: try store.list())
        XCTAssertEqual(Set(FileSystem.listDirectory(store.blobsDirectory)), blobs, "unexpected blobs", file: file, line: line)
        XCTAssertEqual(Set(FileSystem.listDirectory(store.layersDirectory)), layers, "unexpected layers", file: file, line: line)
    }

    /// The script that builds the busybox OCI layout.
    var scriptPath: String { BusyboxImage.repository + "/scripts/build-busybox-image.sh" }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) && count > 1 ? String(dropLast(suffix.count)) : self
    }
}
