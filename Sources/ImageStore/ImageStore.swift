import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A local, content-addressed OCI image store.
///
/// Layout under `root`:
/// - `blobs/sha256/<hex>`: manifests, configs and layer blobs, verified on write;
/// - `layers/sha256/<diffID hex>/`: unpacked layers, unpacked once and shared by images;
/// - `images.json`: the image records;
/// - `tmp/`: staging for everything above, emptied on open, so a crash never leaves a
///   partial blob, layer or index in place (everything is renamed in when complete).
///
/// Every operation holds an `flock` on `root/lock` (shared for reads, exclusive for
/// changes), so a daemon and a CLI can use the same store.
public final class ImageStore: @unchecked Sendable {
    /// The store's root directory.
    public let root: String
    let logger: Logger
    /// Serializes this instance's operations; the flock serializes processes.
    private let mutex = NSLock()
    /// Decoded index and configs; guarded by `mutex`.
    private var cache = ImageStoreCache()

    /// Opens (creating if needed) the store at `root` and clears leftovers of interrupted
    /// operations from `tmp/`.
    public init(root: String, logger: Logger = Logger(label: "wharf.imagestore")) throws(ImageStoreError) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.logger = logger
        for directory in [blobsDirectory, layersDirectory, tempDirectory] {
            try FileSystem.makeDirectories(directory, step: "create image store directory")
        }
        try withLock(exclusive: true) { () throws(ImageStoreError) in
            for name in FileSystem.listDirectory(tempDirectory) {
                try FileSystem.removeTree(tempDirectory + "/" + name, step: "clear interrupted work from image store")
            }
        }
    }

    // MARK: - Paths

    var blobsDirectory: String { root + "/blobs/sha256" }
    var layersDirectory: String { root + "/layers/sha256" }
    var tempDirectory: String { root + "/tmp" }
    var indexPath: String { root + "/images.json" }

    /// Where the blob `digest` is stored.
    public func blobPath(_ digest: Digest) -> String { blobsDirectory + "/" + digest.hex }

    /// Where the layer with uncompressed digest `diffID` is unpacked.
    public func layerDirectory(diffID: Digest) -> String { layersDirectory + "/" + diffID.hex }

    // MARK: - Queries

    /// All image records, sorted by reference (untagged images last).
    public func list() throws(ImageStoreError) -> [ImageRecord] {
        try withLock(exclusive: false) { () throws(ImageStoreError) in
            try loadIndex().sorted { ($0.reference?.normalized ?? "~" + $0.id.hex) < ($1.reference?.normalized ?? "~" + $1.id.hex) }
        }
    }

    /// Finds an image by name (`busybox`, `docker.io/library/busybox:latest`,
    /// `name@sha256:<manifest digest>`) or by id (`sha256:<config digest>`, or a unique
    /// prefix of its hex), and returns its config and unpacked layer directories.
    public func resolve(reference: String) throws(ImageStoreError) -> ResolvedImage {
        try withLock(exclusive: false) { () throws(ImageStoreError) in
            let records = try loadIndex()
            let matches = try match(reference, in: records)
            guard let record = matches.first else { throw .imageNotFound(reference: reference) }
            let config = try imageConfig(record.id, reference: reference)
            var directories: [String] = []
            for layer in record.layers {
                let directory = layerDirectory(diffID: layer.diffID)
                guard FileSystem.exists(directory) else {
                    throw .missingBlob(image: reference, digest: layer.diffID.description, path: directory)
                }
                directories.append(directory)
            }
            return ResolvedImage(record: record, config: config, layerDirectories: directories)
        }
    }

    // MARK: - Removal

    /// Removes the image named `reference` (or every name of the image whose id it is),
    /// then deletes blobs and unpacked layers that no remaining image uses. Returns the
    /// removed records.
    @discardableResult
    public func remove(reference: String) throws(ImageStoreError) -> [ImageRecord] {
        try withLock(exclusive: true) { () throws(ImageStoreError) in
            var records = try loadIndex()
            let matches = try match(reference, in: records)
            guard !matches.isEmpty else { throw .imageNotFound(reference: reference) }
            records.removeAll { candidate in matches.contains(candidate) }
            try saveIndex(records)
            try collectGarbage(keeping: records)
            logger.info("removed image", metadata: ["reference": "\(reference)", "records": "\(matches.count)"])
            return matches
        }
    }

    /// The records `text` selects: one record for a name, every record of the image for an id.
    func match(_ text: String, in records: [ImageRecord]) throws(ImageStoreError) -> [ImageRecord] {
        if let reference = try? Reference(parsing: text) {
            let found: [ImageRecord]
            if let digest = reference.digest {
                found = records.filter {
                    $0.reference?.repository == reference.repository
                        && ($0.manifestDigest == digest || $0.id == digest || $0.indexDigest == digest)
                }
            } else {
                found = records.filter { $0.reference == reference }
            }
            if let first = found.first { return [first] }
        }
        // Image ids: "sha256:<hex>", or a hex prefix of the config digest.
        var hex = text.lowercased()
        if hex.hasPrefix("sha256:") { hex.removeFirst("sha256:".count) }
        guard Digest.isHex(hex), hex.count <= 64 else { return [] }
        let byID = records.filter { $0.id.hex.hasPrefix(hex) || ($0.manifestDigest.hex == hex) }
        let ids = Set(byID.map(\.id))
        if ids.count > 1 {
            throw .ambiguousReference(reference: text, matches: ids.sorted().map(\.shortID))
        }
        return byID
    }

    // MARK: - Index

    /// The image records; decoded again only when the index file changed since the last call.
    func loadIndex() throws(ImageStoreError) -> [ImageRecord] {
        guard let version = ImageStoreCache.FileVersion.of(indexPath) else { return [] }
        if let records = cache.records(of: version) { return records }
        let bytes = try FileSystem.readFile(indexPath, step: "read image index")
        let index: IndexFile = try decodeJSON(bytes, step: "parse image index", file: indexPath)
        cache.store(records: index.images, of: version)
        return index.images
    }

    /// The config blob `digest`, decoded once (blobs are named by their content).
    private func imageConfig(_ digest: Digest, reference: String) throws(ImageStoreError) -> ImageConfig {
        if let config = cache.config(digest) { return config }
        let bytes = try FileSystem.readFile(blobPath(digest), step: "read config of \(reference)")
        let config: ImageConfig = try decodeJSON(bytes, step: "parse config of \(reference)", file: blobPath(digest))
        cache.store(config: config, for: digest)
        return config
    }

    func saveIndex(_ records: [ImageRecord]) throws(ImageStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(IndexFile(version: 1, images: records)) } catch {
            throw .invalidJSON(step: "encode image index", file: indexPath, detail: "\(error)")
        }
        try FileSystem.writeAtomically(Array(data), to: indexPath, step: "write image index")
    }

    /// Deletes blobs and layers no record uses, and anything left in `tmp/`. Layers are
    /// renamed into `tmp/` before deletion so a crash mid-delete never leaves a partial
    /// layer under its real name.
    func collectGarbage(keeping records: [ImageRecord]) throws(ImageStoreError) {
        let (blobs, layers) = Self.referenced(by: records)
        for name in FileSystem.listDirectory(blobsDirectory) where !blobs.contains(name) {
            let path = blobsDirectory + "/" + name
            guard unlink(path) == 0 || errno == ENOENT else { throw .syscall("remove unused blob", path: path, call: "unlink") }
        }
        for name in FileSystem.listDirectory(layersDirectory) where !layers.contains(name) {
            let doomed = try FileSystem.makeTemporaryDirectory(in: tempDirectory, prefix: "delete-", step: "remove unused layer")
            try FileSystem.rename(layersDirectory + "/" + name, to: doomed + "/layer", step: "remove unused layer")
            try FileSystem.removeTree(doomed, step: "remove unused layer")
        }
        for name in FileSystem.listDirectory(tempDirectory) {
            try FileSystem.removeTree(tempDirectory + "/" + name, step: "clear image store staging")
        }
    }

    /// What `records` use: the hex digests of their blobs (configs, manifests, indexes and
    /// layer blobs) and the diffID hexes of their unpacked layers, as named under `blobs/`
    /// and `layers/`. Everything else there is garbage.
    static func referenced(by records: [ImageRecord]) -> (blobs: Set<String>, layers: Set<String>) {
        var blobs = Set<String>()
        var layers = Set<String>()
        for record in records {
            blobs.insert(record.id.hex)
            blobs.insert(record.manifestDigest.hex)
            if let indexDigest = record.indexDigest { blobs.insert(indexDigest.hex) }
            for layer in record.layers {
                blobs.insert(layer.blobDigest.hex)
                layers.insert(layer.diffID.hex)
            }
        }
        return (blobs, layers)
    }

    // MARK: - Helpers

    /// Runs `body` under this instance's mutex and an flock on `root/lock`.
    func withLock<T>(exclusive: Bool, _ body: () throws(ImageStoreError) -> T) throws(ImageStoreError) -> T {
        mutex.lock()
        defer { mutex.unlock() }
        let path = root + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .syscall("open image store lock", path: path, call: "open") }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw .syscall("lock image store", path: path, call: "flock") }
        }
        return try body()
    }

    func decodeJSON<T: Decodable>(_ bytes: [UInt8], step: String, file: String) throws(ImageStoreError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch {
            throw .invalidJSON(step: step, file: file, detail: Self.describe(error))
        }
    }

    /// A one-line description of a decoding failure (the default text is very long).
    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            return "missing key \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
             let DecodingError.dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : path + ": ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    private struct IndexFile: Codable {
        var version: Int
        var images: [ImageRecord]
    }
}
