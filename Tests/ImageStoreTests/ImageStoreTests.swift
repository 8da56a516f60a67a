import Foundation
import WharfTestSupport
import XCTest
@testable import ImageStore

final class ImageStoreTests: ImageStoreTestCase {
    // MARK: - busybox

    func testBusyboxLayoutImportAndResolve() throws {
        let layout = scratch + "/busybox"
        let printed = try Subprocess.shell("'\(scriptPath)' '\(layout)'")
        XCTAssertEqual(printed.trimmingCharacters(in: .whitespacesAndNewlines), "busybox:latest")

        let store = try ImageStore(root: storeRoot)
        let records = try store.importOCILayout(directory: layout)
        XCTAssertEqual(records.map { $0.reference?.familiar }, ["busybox:latest"])

        let image = try store.resolve(reference: "busybox")
        XCTAssertEqual(image.layerDirectories.count, 1)
        let rootfs = image.layerDirectories[0]
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: rootfs + "/bin/busybox"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/bin/sh"), "/bin/busybox")
        XCTAssertEqual(try String(contentsOfFile: rootfs + "/var/www/index.html", encoding: .utf8), "hello from wharf busybox\n")
        XCTAssertTrue(try String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8).contains("www:x:1000:1000"))
        var info = stat()
        XCTAssertEqual(lstat(rootfs + "/tmp", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o1777)
        XCTAssertEqual(info.st_mtim.tv_sec, 0)
        XCTAssertEqual(image.runtimeConfig.env, ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
        XCTAssertEqual(image.runtimeConfig.cmd, ["sh"])
        XCTAssertEqual(image.config.architecture, "amd64")
        // The unpacked layer is a working root filesystem.
        XCTAssertEqual(try Subprocess.shell("chroot '\(rootfs)' /bin/sh -c 'cat /var/www/index.html | wc -l; id -u www'"), "1\n1000\n")

        // Every lookup form reaches the same image.
        for text in ["busybox:latest", "docker.io/library/busybox:latest", "library/busybox", image.record.id.description,
                     String(image.record.id.hex.prefix(8)), "busybox@" + image.record.manifestDigest.description] {
            XCTAssertEqual(try store.resolve(reference: text).record.id, image.record.id, text)
        }
        XCTAssertThrowsError(try store.resolve(reference: "busybox:1.36")) { error in
            XCTAssertEqual(error as? ImageStoreError, .imageNotFound(reference: "busybox:1.36"))
        }

        // Rebuilding gives the same digests.
        try Subprocess.shell("'\(scriptPath)' '\(scratch)/busybox2'")
        XCTAssertEqual(try Subprocess.shell("cd '\(layout)' && find . -type f | sort | xargs sha256sum"),
                       try Subprocess.shell("cd '\(scratch)/busybox2' && find . -type f | sort | xargs sha256sum"))
        try assertStoreClean(store)
    }

    func testBusyboxLayoutTarImportWithNameOverride() throws {
        let layout = scratch + "/busybox"
        try Subprocess.shell("'\(scriptPath)' '\(layout)' wharf/busybox:test >/dev/null && tar -C '\(layout)' -cf '\(scratch)/busybox.tar' .")
        let store = try ImageStore(root: storeRoot)
        let records = try store.importArchive(tarFile: scratch + "/busybox.tar", name: "registry:5000/tools/busybox:1")
        XCTAssertEqual(records.map { $0.reference?.normalized }, ["registry:5000/tools/busybox:1"])
        let image = try store.resolve(reference: "registry:5000/tools/busybox:1")
        XCTAssertTrue(FileManager.default.fileExists(atPath: image.layerDirectories[0] + "/bin/busybox"))
        try assertStoreClean(store)
    }

    // MARK: - layers

    func testWhiteoutsOpaqueDirectoriesAndEntryKinds() throws {
        var lower = TestTar()
        lower.add("a/", .dir, mode: 0o755)
        lower.add("a/keep", .file("keep"))
        lower.add("a/gone", .file("gone"))
        lower.add("o/", .dir, mode: 0o755)
        lower.add("o/old", .file("old"))
        lower.add("bin/", .dir, mode: 0o755)
        lower.add("bin/su", .file("#!suid"), mode: 0o4755, uid: 0, gid: 0)
        lower.add("bin/su-link", .hardlink("bin/su"))
        lower.add("home/www/", .dir, mode: 0o750, uid: 1000, gid: 1000, mtime: 1_600_000_000)
        lower.add("home/www/file", .file("x"), uid: 1000, gid: 1000)
        lower.add("run/fifo", .fifo, mode: 0o600)
        lower.add("dev/null", .charDevice(1, 3), mode: 0o666)
        let longName = "deep/" + String(repeating: "d", count: 120) + "/file"
        lower.add(longName, .file("long"))
        lower.add("rel-link", .symlink("a/keep"))

        var upper = TestTar()
        upper.add("a/.wh.gone", .file(""))
        upper.add("o/", .dir, mode: 0o755)
        upper.add("o/.wh..wh..opq", .file(""))
        upper.add("o/new", .file("new"))

        let layout = try writeLayout(scratch + "/layout", name: "test/layers:v1", tars: [lower.finish(), upper.finish()])
        let store = try ImageStore(root: storeRoot)
        try store.importOCILayout(directory: layout)
        let image = try store.resolve(reference: "test/layers:v1")
        XCTAssertEqual(image.layerDirectories.count, 2)
        let (bottom, top) = (image.layerDirectories[0], image.layerDirectories[1])

        var info = stat()
        XCTAssertEqual(lstat(top + "/a/gone", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "whiteout is a character device")
        XCTAssertEqual(info.st_rdev, 0)
        XCTAssertEqual(info.st_uid, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: top + "/a/.wh.gone"))
        let opaque = open(top + "/o", O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(opaque, 0)
        XCTAssertEqual(FileSystem.getXattr(fd: opaque, name: "trusted.overlay.opaque"), Array("y".utf8))
        close(opaque)
        XCTAssertFalse(FileManager.default.fileExists(atPath: top + "/o/.wh..wh..opq"))
        XCTAssertEqual(try String(contentsOfFile: top + "/o/new", encoding: .utf8), "new")

        XCTAssertEqual(lstat(bottom + "/bin/su", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o4755, "setuid bit survives chown")
        XCTAssertEqual(info.st_nlink, 2, "hardlink shares the inode")
        XCTAssertEqual(info.st_mtim.tv_sec, 1_700_000_000)
        XCTAssertEqual(lstat(bottom + "/home/www", &info), 0)
        XCTAssertEqual(info.st_uid, 1000)
        XCTAssertEqual(info.st_mode & 0o7777, 0o750)
        XCTAssertEqual(info.st_mtim.tv_sec, 1_600_000_000, "directory mtime applied after its children")
        XCTAssertEqual(lstat(bottom + "/run/fifo", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
        XCTAssertEqual(lstat(bottom + "/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
        XCTAssertEqual(info.st_rdev, LayerUnpacker.makeDevice(major: 1, minor: 3))
        XCTAssertEqual(try String(contentsOfFile: bottom + "/" + longName, encoding: .utf8), "long")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: bottom + "/rel-link"), "a/keep")
        try assertStoreClean(store)
    }

    func testDockerSaveArchive() throws {
        var base = TestTar()
        base.add("etc/", .dir, mode: 0o755)
        base.add("etc/os-release", .file("ID=test\n"))
        var app = TestTar()
        app.add("app/", .dir, mode: 0o755)
        app.add("app/run.sh", .file("echo hi\n"), mode: 0o755)
        let layers = [base.finish(), app.finish()]
        let archive = scratch + "/docker"
        let config = try json([
            "architecture": "amd64", "os": "linux", "created": "2024-01-02T03:04:05.123456789Z",
            "config": [
                "User": "1000:1000", "Env": ["A=1"], "Entrypoint": ["/app/run.sh"], "Cmd": ["--serve"],
                "WorkingDir": "/app", "ExposedPorts": ["8080/tcp": [String: Any]()], "Labels": ["team": "wharf"],
                "Healthcheck": ["Test": ["CMD-SHELL", "true"], "Interval": 5_000_000_000, "Retries": 3],
            ],
            "rootfs": ["type": "layers", "diff_ids": layers.map { Digest.of($0).description }],
        ])
        let configName = Digest.of(config).hex + ".json"
        try write(config, to: archive + "/" + configName)
        try write(layers[0], to: archive + "/l1/layer.tar")
        try write(gzip(layers[1]), to: archive + "/l2/layer.tar")  // compressed: detected by magic
        try write(json([["Config": configName, "RepoTags": ["myapp:1.0", "registry.example.com/team/myapp:1.0"],
                         "Layers": ["l1/layer.tar", "l2/layer.tar"]]]), to: archive + "/manifest.json")
        try Subprocess.shell("tar -C '\(archive)' -cf '\(scratch)/docker.tar' manifest.json \(configName) l1 l2")

        let store = try ImageStore(root: storeRoot)
        let records = try store.importArchive(tarFile: scratch + "/docker.tar")
        XCTAssertEqual(Set(records.compactMap { $0.reference?.familiar }), ["myapp:1.0", "registry.example.com/team/myapp:1.0"])
        XCTAssertEqual(Set(records.map(\.id)), [Digest.of(config)])
        let image = try store.resolve(reference: "docker.io/library/myapp:1.0")
        XCTAssertEqual(image.layerDirectories.map { URL(fileURLWithPath: $0).lastPathComponent },
                       layers.map { Digest.of($0).hex })
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: image.layerDirectories[1] + "/app/run.sh"))
        let runtime = image.runtimeConfig
        XCTAssertEqual(runtime.user, "1000:1000")
        XCTAssertEqual(runtime.entrypoint, ["/app/run.sh"])
        XCTAssertEqual(runtime.cmd, ["--serve"])
        XCTAssertEqual(runtime.workingDir, "/app")
        XCTAssertEqual(runtime.exposedPortList, ["8080/tcp"])
        XCTAssertEqual(runtime.labels, ["team": "wharf"])
        XCTAssertEqual(runtime.healthcheck?.test, ["CMD-SHELL", "true"])
        XCTAssertEqual(runtime.healthcheck?.interval, 5_000_000_000)
        XCTAssertEqual(image.record.created, "2024-01-02T03:04:05.123456789Z")
        XCTAssertEqual(image.record.layers.map(\.mediaType),
                       ["application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip"])
        try assertStoreClean(store)
    }

    func testSharedLayersAreUnpackedOnceAndRemovedWithTheLastUser() throws {
        var shared = TestTar()
        shared.add("shared.txt", .file("shared"))
        var own = TestTar()
        own.add("own.txt", .file("own"))
        let sharedTar = shared.finish()
        try writeLayout(scratch + "/one", name: "one", tars: [sharedTar])
        try writeLayout(scratch + "/two", name: "two", tars: [sharedTar, own.finish()], config: ["Cmd": ["two"]])

        let store = try ImageStore(root: storeRoot)
        try store.importOCILayout(directory: scratch + "/one")
        let layer = store.layerDirectory(diffID: Digest.of(sharedTar))
        // A marker the unpacker would not recreate: proves later imports reuse the directory.
        try write(Array("marker".utf8), to: layer + "/marker")
        try store.importOCILayout(directory: scratch + "/one")  // same image again
        try store.importOCILayout(directory: scratch + "/two")
        XCTAssertTrue(FileManager.default.fileExists(atPath: layer + "/marker"))
        XCTAssertEqual(try store.list().compactMap { $0.reference?.familiar }, ["one:latest", "two:latest"])
        XCTAssertEqual(try store.resolve(reference: "two").layerDirectories.first, layer)
        try FileManager.default.removeItem(atPath: layer + "/marker")

        try store.remove(reference: "one")
        XCTAssertTrue(FileManager.default.fileExists(atPath: layer + "/shared.txt"), "still used by two")
        XCTAssertThrowsError(try store.resolve(reference: "one"))
        try assertStoreClean(store)

        try store.remove(reference: "two")
        XCTAssertFalse(FileManager.default.fileExists(atPath: layer))
        XCTAssertEqual(try store.list(), [])
        XCTAssertEqual(FileSystem.listDirectory(store.blobsDirectory), [])
        XCTAssertEqual(FileSystem.listDirectory(store.layersDirectory), [])
        try assertStoreClean(store)
    }

    func testRetagLeavesOldImageUntaggedAndIdLookup() throws {
        var a = TestTar()
        a.add("a", .file("a"))
        var b = TestTar()
        b.add("b", .file("b"))
        try writeLayout(scratch + "/a", name: "app:1", tars: [a.finish()])
        try writeLayout(scratch + "/b", name: "app:1", tars: [b.finish()])
        let store = try ImageStore(root: storeRoot)
        let first = try store.importOCILayout(directory: scratch + "/a")[0]
        let second = try store.importOCILayout(directory: scratch + "/b")[0]
        let records = try store.list()
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records.first { $0.reference != nil }?.id, second.id)
        XCTAssertEqual(records.first { $0.reference == nil }?.id, first.id)
        XCTAssertEqual(try store.resolve(reference: first.id.shortID).record.id, first.id)
        try store.remove(reference: first.id.description)
        XCTAssertEqual(try store.list().map(\.id), [second.id])
        try assertStoreClean(store)
    }

    // MARK: - failures leave nothing behind

    func testCorruptBlobIsRejected() throws {
        var tar = TestTar()
        tar.add("file", .file("content"))
        let layout = try writeLayout(scratch + "/bad", name: "bad", tars: [tar.finish()], mutateLayerBlob: { blob in
            var copy = blob
            copy[copy.count / 2] ^= 0xff
            return copy
        })
        let store = try ImageStore(root: storeRoot)
        XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
            guard case .digestMismatch(let step, _, _, _)? = error as? ImageStoreError else {
                return XCTFail("expected digest mismatch, got \(error)")
            }
            XCTAssertTrue(step.contains("verify blob of bad:latest"), step)
            XCTAssertTrue("\(error)".contains("expected sha256:"), "\(error)")
        }
        XCTAssertEqual(try store.list(), [])
        try assertStoreClean(store)
        XCTAssertEqual(FileSystem.listDirectory(store.blobsDirectory), [])
    }

    func testTruncatedLayerIsRejected() throws {
        var tar = TestTar()
        tar.add("big", .file(String(repeating: "x", count: 4000)))
        let full = tar.finish()
        let truncated = Array(full[0..<2048])  // header + part of the data
        // Plain and gzip variants: the manifest digests match the truncated bytes, so only
        // the tar reader can notice.
        for compress in [false, true] {
            let layout = try writeLayout(scratch + "/trunc-\(compress)", name: "trunc", tars: [truncated], compress: compress)
            let store = try ImageStore(root: storeRoot)
            XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
                guard case .truncatedTar(_, let entry, _)? = error as? ImageStoreError else {
                    return XCTFail("expected truncated tar, got \(error)")
                }
                XCTAssertEqual(entry, "big")
            }
            XCTAssertEqual(try store.list(), [])
            try assertStoreClean(store)
            XCTAssertEqual(FileSystem.listDirectory(store.layersDirectory), [])
        }

        // A gzip stream cut before its trailer is caught by zlib (the manifest digest matches
        // the cut blob, so blob verification passes).
        let layout = scratch + "/trunc-gz"
        try writeLayout(layout, name: "truncgz", tars: [full], compress: true, transformBeforeHash: { Array($0.dropLast(10)) })
        let store = try ImageStore(root: storeRoot)
        XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
            guard case .decompressionFailed(_, _, let message)? = error as? ImageStoreError else {
                return XCTFail("expected gzip failure, got \(error)")
            }
            XCTAssertTrue(message.contains("truncated"), message)
        }
        try assertStoreClean(store)
    }

    func testPathEscapesAreRejected() throws {
        let outside = scratch + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        var dotdot = TestTar()
        dotdot.addRaw("a/../../escape", data: "x")
        var viaSymlink = TestTar()
        viaSymlink.add("link", .symlink(outside))
        viaSymlink.add("link/planted", .file("x"))
        var hardlinkOut = TestTar()
        hardlinkOut.add("h", .hardlink("../../etc/passwd"))
        var absolute = TestTar()
        absolute.addRaw("/abs/file", data: "ok")

        let store = try ImageStore(root: storeRoot)
        for (index, tar) in [dotdot, viaSymlink, hardlinkOut].enumerated() {
            var copy = tar
            let layout = try writeLayout(scratch + "/escape\(index)", name: "escape\(index)", tars: [copy.finish()])
            XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
                guard case .pathEscapesLayer? = error as? ImageStoreError else {
                    return XCTFail("expected path escape, got \(error)")
                }
            }
            try assertStoreClean(store)
        }
        XCTAssertEqual(FileSystem.listDirectory(outside), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/escape"))

        // Absolute paths are made relative to the layer.
        let layout = try writeLayout(scratch + "/absolute", name: "absolute", tars: [absolute.finish()])
        try store.importOCILayout(directory: layout)
        let image = try store.resolve(reference: "absolute")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[0] + "/abs/file", encoding: .utf8), "ok")
    }

    func testMissingBlobAndUnknownMediaType() throws {
        var tar = TestTar()
        tar.add("f", .file("f"))
        let layout = try writeLayout(scratch + "/missing", name: "missing", tars: [tar.finish()])
        let layerHex = try XCTUnwrap(FileSystem.listDirectory(layout + "/blobs/sha256").first { name in
            (try? FileSystem.readFile(layout + "/blobs/sha256/" + name, step: "t"))?.starts(with: [0x1f, 0x8b]) == true
        })
        try FileManager.default.removeItem(atPath: layout + "/blobs/sha256/" + layerHex)
        let store = try ImageStore(root: storeRoot)
        XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
            XCTAssertEqual(error as? ImageStoreError,
                           .missingBlob(image: "missing:latest", digest: "sha256:" + layerHex, path: layout + "/blobs/sha256/" + layerHex))
        }
        try assertStoreClean(store)

        // A compression the store does not know (zstd and gzip it does).
        let unknownLayout = try writeLayout(scratch + "/lz4", name: "lz4", tars: [tar.finish()])
        try Subprocess.shell("cd '\(unknownLayout)/blobs/sha256' && sed -i 's/tar+gzip/tar+lz4/' $(grep -l 'tar+gzip' *)")
        // The manifest changed, so re-point index.json at its new digest.
        let manifestName = try Subprocess.shell("cd '\(unknownLayout)/blobs/sha256' && grep -l 'tar+lz4' *").trimmingCharacters(in: .whitespacesAndNewlines)
        let manifestBytes = try FileSystem.readFile(unknownLayout + "/blobs/sha256/" + manifestName, step: "t")
        let newDigest = Digest.of(manifestBytes)
        try FileManager.default.moveItem(atPath: unknownLayout + "/blobs/sha256/" + manifestName, toPath: unknownLayout + "/blobs/sha256/" + newDigest.hex)
        try write(json(["schemaVersion": 2, "manifests": [[
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": newDigest.description, "size": manifestBytes.count,
            "annotations": ["org.opencontainers.image.ref.name": "lz4"],
        ]]]), to: unknownLayout + "/index.json")
        XCTAssertThrowsError(try store.importOCILayout(directory: unknownLayout)) { error in
            guard case .unknownMediaType(_, _, let mediaType)? = error as? ImageStoreError else {
                return XCTFail("expected unknown media type, got \(error)")
            }
            XCTAssertEqual(mediaType, "application/vnd.oci.image.layer.v1.tar+lz4")
        }
        try assertStoreClean(store)
    }

    func testImageIndexPicksHostPlatform() throws {
        var tar = TestTar()
        tar.add("amd64", .file("yes"))
        let layout = try writeLayout(scratch + "/multi", name: nil, tars: [tar.finish()])
        let inner = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layout + "/index.json"))) as? [String: Any]
        var amd64 = try XCTUnwrap((inner?["manifests"] as? [[String: Any]])?.first)
        amd64["platform"] = ["os": "linux", "architecture": "amd64"]
        let arm64: [String: Any] = [
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 10,
            "digest": "sha256:" + String(repeating: "a", count: 64), "platform": ["os": "linux", "architecture": "arm64"],
        ]
        let index = try json(["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [arm64, amd64]])
        let indexDigest = Digest.of(index)
        try write(index, to: layout + "/blobs/sha256/" + indexDigest.hex)
        try write(json(["schemaVersion": 2, "manifests": [[
            "mediaType": "application/vnd.oci.image.index.v1+json", "digest": indexDigest.description, "size": index.count,
            "annotations": ["org.opencontainers.image.ref.name": "multi:2"],
        ]]]), to: layout + "/index.json")
        let store = try ImageStore(root: storeRoot)
        let records = try store.importOCILayout(directory: layout)
        XCTAssertEqual(records.map { $0.reference?.familiar }, ["multi:2"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: try store.resolve(reference: "multi:2").layerDirectories[0] + "/amd64"))
        try assertStoreClean(store)
    }

    func testCrashLeftoversAreClearedOnOpen() throws {
        let store = try ImageStore(root: storeRoot)
        try FileManager.default.createDirectory(atPath: store.tempDirectory + "/layer-crashed/rootfs/x", withIntermediateDirectories: true)
        _ = try ImageStore(root: storeRoot)
        XCTAssertEqual(FileSystem.listDirectory(store.tempDirectory), [])
    }
}
