#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Keeps the store's garbage collection and staging cleanup away while blobs and layers are
/// ingested outside the store's exclusive lock: a shared `flock` on `root/lock`, held by its
/// own descriptor so concurrent ingests (threads or processes) proceed side by side.
///
/// Release it before `commitImage` (which takes the exclusive lock).
public final class IngestLease: @unchecked Sendable {
    private var fd: Int32

    init(path: String) throws(ImageStoreError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .syscall("open image store lock", path: path, call: "open") }
        while flock(fd, LOCK_SH) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw .syscall("lock image store for ingest", path: path, call: "flock")
            }
        }
        self.fd = fd
    }

    /// Drops the lock; safe to call more than once.
    public func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

/// Passes a blob's bytes through while writing them to a staging file.
private final class FileWritingStream: ByteStream {
    private let upstream: ByteStream
    private let fd: Int32
    private let path: String

    init(_ upstream: ByteStream, fd: Int32, path: String) {
        self.upstream = upstream
        self.fd = fd
        self.path = path
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        let n = try upstream.read(into: buffer)
        if n > 0 {
            try FileSystem.writeAll(fd: fd, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), step: "stage downloaded blob", path: path)
        }
        return n
    }
}

extension ImageStore {
    /// Whether the blob `digest` is stored.
    public func hasBlob(_ digest: Digest) -> Bool { FileSystem.exists(blobPath(digest)) }

    /// Whether the layer with uncompressed digest `diffID` is unpacked.
    public func hasLayer(diffID: Digest) -> Bool { FileSystem.exists(layerDirectory(diffID: diffID)) }

    /// Takes the shared lock that ingests hold; see `IngestLease`.
    public func beginIngest() throws(ImageStoreError) -> IngestLease {
        try IngestLease(path: root + "/lock")
    }

    /// The stored image that `reference` names if it is `manifestDigest` and all its layers
    /// are still unpacked: the fast path of a second pull.
    public func storedImage(reference: Reference, manifestDigest: Digest) throws(ImageStoreError) -> ImageRecord? {
        try withLock(exclusive: false) { () throws(ImageStoreError) in
            let records = try loadIndex()
            guard let record = records.first(where: { $0.reference == reference && $0.manifestDigest == manifestDigest }) else {
                return nil
            }
            let complete = record.layers.allSatisfy { hasBlob($0.blobDigest) && hasLayer(diffID: $0.diffID) }
                && hasBlob(record.id) && hasBlob(record.manifestDigest)
            return complete ? record : nil
        }
    }

    /// Streams one layer blob from `source` into the store: the bytes are written to a
    /// staging file and, in the same pass, decompressed (gzip or zstd) and unpacked. The blob
    /// must hash to `blobDigest` and be `blobSize` bytes, the tar must hash to `diffID`;
    /// only then are the blob and the unpacked layer renamed into place, so a failed or
    /// interrupted download never leaves a half-written layer. A layer already stored is
    /// not read at all. Call while holding an `IngestLease`; no store lock is taken, so
    /// layers of one or several images ingest concurrently. A `source` that fails for its
    /// own reasons (a registry download) keeps the real failure and throws `.sourceFailed`.
    public func ingestLayer(from source: ByteStream, blobDigest: Digest, blobSize: Int64, mediaType: String,
                            diffID: Digest, label: String) throws(ImageStoreError) -> LayerRecord {
        let record = LayerRecord(diffID: diffID, blobDigest: blobDigest, mediaType: mediaType, size: blobSize)
        let unpack = !hasLayer(diffID: diffID)
        if !unpack && hasBlob(blobDigest) { return record }
        guard let compression = MediaType.layerCompression(mediaType) else {
            throw .unknownMediaType(step: "read layer \(blobDigest)", image: label, mediaType: mediaType)
        }
        let layerName = "layer \(blobDigest.shortID) of \(label)"
        let staging = try FileSystem.makeTemporaryDirectory(in: tempDirectory, prefix: "ingest-", step: "stage \(layerName)")
        defer { try? FileSystem.removeTree(staging, step: "clean up \(layerName)") }
        let blobTemp = staging + "/blob"
        let fd = open(blobTemp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .syscall("stage \(layerName)", path: blobTemp, call: "open") }
        defer { close(fd) }

        // The blob's bytes are staged and hashed as the unpacker (or the drain) pulls them.
        let blob = HashingStream(FileWritingStream(source, fd: fd, path: blobTemp))
        let rootfs = staging + "/rootfs"
        if unpack {
            let actualDiffID = try LayerUnpacker.unpackBlob(blob, declared: compression, into: rootfs, layerName: layerName, label: label).diffID
            // Bytes after the compressed stream's end are part of the blob too.
            try blob.drain()
            try verify(blob, blobDigest: blobDigest, blobSize: blobSize, layerName: layerName)
            guard actualDiffID == diffID else {
                throw .digestMismatch(step: "verify diffID of \(layerName)", file: blobDigest.description,
                                      expected: diffID.description, actual: actualDiffID.description)
            }
        } else {
            try blob.drain()
            try verify(blob, blobDigest: blobDigest, blobSize: blobSize, layerName: layerName)
        }
        guard fsync(fd) == 0 else { throw .syscall("stage \(layerName)", path: blobTemp, call: "fsync") }
        try FileSystem.rename(blobTemp, to: blobPath(blobDigest), step: "commit blob of \(layerName)")
        if unpack {
            // Another pull may have committed the same layer meanwhile; its copy is identical.
            if rename(rootfs, layerDirectory(diffID: diffID)) != 0 && errno != ENOTEMPTY && errno != EEXIST {
                throw .syscall("commit \(layerName)", path: layerDirectory(diffID: diffID), call: "rename")
            }
        }
        logger.debug("ingested layer", metadata: ["blob": "\(blobDigest.shortID)", "image": "\(label)"])
        return record
    }

    /// Records a pulled image under `reference`: stores its manifest, config (and index)
    /// blobs, checks that every layer is still in place, and adds the record, moving the
    /// name from any image that had it. `config` is `configBytes` as the caller parsed it
    /// (its diffIDs must be `layers`'). Takes the exclusive lock (release the
    /// `IngestLease` first). Throws `.missingBlob` when a layer vanished meanwhile (a
    /// concurrent `remove` or `prune`); pulling again repairs that.
    @discardableResult
    public func commitImage(reference: Reference, manifestBytes: [UInt8], config: ImageConfig, configBytes: [UInt8],
                            indexBytes: [UInt8]?, layers: [LayerRecord]) throws(ImageStoreError) -> ImageRecord {
        let label = reference.familiar
        guard config.rootfs.diffIDs == layers.map(\.diffID) else {
            throw .layerCountMismatch(image: label, layers: layers.count, diffIDs: config.rootfs.diffIDs.count)
        }
        return try withLock(exclusive: true) { () throws(ImageStoreError) in
            for layer in layers {
                guard hasBlob(layer.blobDigest) else {
                    throw .missingBlob(image: label, digest: layer.blobDigest.description, path: blobPath(layer.blobDigest))
                }
                guard hasLayer(diffID: layer.diffID) else {
                    throw .missingBlob(image: label, digest: layer.diffID.description, path: layerDirectory(diffID: layer.diffID))
                }
            }
            let configDigest = try storeBlob(bytes: configBytes, label: label)
            let manifestDigest = try storeBlob(bytes: manifestBytes, label: label)
            let indexDigest = try indexBytes.map { bytes throws(ImageStoreError) in try storeBlob(bytes: bytes, label: label) }
            let total = Int64(manifestBytes.count + configBytes.count) + layers.reduce(0) { $0 + $1.size }
            let record = ImageRecord(reference: reference, id: configDigest, manifestDigest: manifestDigest, layers: layers,
                                     size: total, created: config.created, os: config.os, architecture: config.architecture,
                                     indexDigest: indexDigest)
            var records = try loadIndex()
            merge(record, into: &records)
            try saveIndex(records)
            logger.info("pulled image", metadata: ["reference": "\(label)", "id": "\(configDigest.shortID)"])
            return record
        }
    }

    /// What `prune` removed.
    public struct PruneResult: Sendable, Equatable {
        /// Blobs deleted (layer blobs, configs, manifests no image uses).
        public var blobs: Int
        /// Unpacked layer directories deleted.
        public var layers: Int
        /// Bytes of blobs deleted.
        public var blobBytes: Int64

        public init(blobs: Int, layers: Int, blobBytes: Int64) {
            self.blobs = blobs
            self.layers = layers
            self.blobBytes = blobBytes
        }
    }

    /// Removes untagged images, and every blob and unpacked layer that no remaining image
    /// uses (left by removed images or interrupted pulls).
    @discardableResult
    public func prune() throws(ImageStoreError) -> PruneResult {
        try withLock(exclusive: true) { () throws(ImageStoreError) in
            var records = try loadIndex()
            records.removeAll { $0.reference == nil }
            try saveIndex(records)
            let blobsBefore = FileSystem.listDirectory(blobsDirectory)
            var bytes: Int64 = 0
            let used = Self.referenced(by: records).blobs
            for name in blobsBefore where !used.contains(name) {
                if let info = try FileSystem.lstatIfExists(blobsDirectory + "/" + name, step: "inspect unused blob") {
                    bytes += Int64(info.st_size)
                }
            }
            let layersBefore = FileSystem.listDirectory(layersDirectory).count
            try collectGarbage(keeping: records)
            let blobsRemoved = blobsBefore.count - FileSystem.listDirectory(blobsDirectory).count
            let layersRemoved = layersBefore - FileSystem.listDirectory(layersDirectory).count
            logger.info("pruned image store", metadata: ["blobs": "\(blobsRemoved)", "layers": "\(layersRemoved)"])
            return PruneResult(blobs: blobsRemoved, layers: layersRemoved, blobBytes: bytes)
        }
    }

    private func verify(_ blob: HashingStream, blobDigest: Digest, blobSize: Int64, layerName: String) throws(ImageStoreError) {
        guard blob.count == blobSize else {
            throw .sizeMismatch(step: "verify \(layerName)", file: blobDigest.description, expected: blobSize, actual: blob.count)
        }
        let actual = blob.finalize()
        guard actual == blobDigest else {
            throw .digestMismatch(step: "verify \(layerName)", file: blobDigest.description,
                                  expected: blobDigest.description, actual: actual.description)
        }
    }
}
