import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ImageStore {
    /// The OCI platform this machine runs, used to pick a manifest from an image index.
    public static var hostPlatform: (os: String, architecture: String) {
        #if arch(x86_64)
        return ("linux", "amd64")
        #elseif arch(arm64)
        return ("linux", "arm64")
        #else
        return ("linux", "unknown")
        #endif
    }

    /// The manifest of an image index for this machine's platform: linux on its architecture
    /// (for arm64, the `v8` variant first, then one without a variant, then any), whose media
    /// type is an image manifest (assumed OCI when absent).
    public static func platformManifest(in manifests: [OCIDescriptor]) -> OCIDescriptor? {
        let host = hostPlatform
        let candidates = manifests.filter { descriptor in
            guard let platform = descriptor.platform else { return false }
            return platform.os == host.os && platform.architecture == host.architecture
                && MediaType.manifests.contains(descriptor.mediaType ?? MediaType.ociManifest)
        }
        if host.architecture == "arm64" {
            return candidates.first { $0.platform?.variant == "v8" } ?? candidates.first { $0.platform?.variant == nil } ?? candidates.first
        }
        return candidates.first
    }

    /// Imports every image of the OCI image layout at `directory` (for an image index, the
    /// manifest for this machine's platform). Images are named by the descriptor's
    /// `io.containerd.image.name` or `org.opencontainers.image.ref.name` annotation, or by
    /// `name` when given (the layout must then hold exactly one image).
    ///
    /// All or nothing: on failure nothing new remains in the store.
    @discardableResult
    public func importOCILayout(directory: String, name: String? = nil) throws(ImageStoreError) -> [ImageRecord] {
        let override = try name.map { text throws(ImageStoreError) in try Reference(parsing: text) }
        return try withLock(exclusive: true) { () throws(ImageStoreError) in
            try transaction { () throws(ImageStoreError) in try importLayout(directory, nameOverride: override) }
        }
    }

    /// Imports a tar file (optionally gzip- or zstd-compressed) holding either an OCI image layout
    /// (`oci-layout` + `index.json`) or a `docker save` archive (`manifest.json`; preferred
    /// when both are present, because its `RepoTags` carry full names).
    @discardableResult
    public func importArchive(tarFile: String, name: String? = nil) throws(ImageStoreError) -> [ImageRecord] {
        let override = try name.map { text throws(ImageStoreError) in try Reference(parsing: text) }
        return try withLock(exclusive: true) { () throws(ImageStoreError) in
            try transaction { () throws(ImageStoreError) in
                let staging = try FileSystem.makeTemporaryDirectory(in: tempDirectory, prefix: "archive-", step: "extract \(tarFile)")
                defer { try? FileSystem.removeTree(staging, step: "clean up extracted archive") }
                let input = PeekableStream(try FileInputStream(path: tarFile, step: "open image archive"))
                let stream = try LayerUnpacker.decompressing(input, declared: .none, name: tarFile).stream
                try LayerUnpacker(root: staging, layerName: tarFile).unpack(TarReader(stream: stream, name: tarFile))
                if FileSystem.exists(staging + "/manifest.json") {
                    return try importDockerArchive(staging, label: tarFile, nameOverride: override)
                }
                if FileSystem.exists(staging + "/oci-layout") && FileSystem.exists(staging + "/index.json") {
                    return try importLayout(staging, nameOverride: override)
                }
                throw .notAnImageArchive(path: tarFile)
            }
        }
    }

    // MARK: - Transactions

    /// Runs an import and commits its records; on failure removes everything the import
    /// wrote that no stored image uses, so a failed import leaves the store as it was.
    private func transaction(_ body: () throws(ImageStoreError) -> [ImageRecord]) throws(ImageStoreError) -> [ImageRecord] {
        do {
            let imported = try body()
            var records = try loadIndex()
            for record in imported { merge(record, into: &records) }
            try saveIndex(records)
            try collectGarbage(keeping: records)
            for record in imported {
                logger.info("imported image", metadata: [
                    "reference": "\(record.reference?.familiar ?? "<none>")", "id": "\(record.id.shortID)",
                ])
            }
            return imported
        } catch {
            if let records = try? loadIndex() { try? collectGarbage(keeping: records) }
            throw error
        }
    }

    /// Adds `record`; a name that pointed at another image moves, leaving that image
    /// untagged (not deleted, since containers may still run from its layers).
    func merge(_ record: ImageRecord, into records: inout [ImageRecord]) {
        guard let reference = record.reference else {
            if !records.contains(where: { $0.id == record.id }) { records.append(record) }
            return
        }
        // An untagged copy of the same image is superseded by the named one.
        records.removeAll { $0.reference == nil && $0.id == record.id }
        if let index = records.firstIndex(where: { $0.reference == reference }) {
            let previous = records[index]
            records[index] = record
            if previous.id != record.id && !records.contains(where: { $0.id == previous.id }) {
                var untagged = previous
                untagged.reference = nil
                records.append(untagged)
            }
        } else {
            records.append(record)
        }
    }

    // MARK: - OCI layout

    private func importLayout(_ directory: String, nameOverride: Reference?) throws(ImageStoreError) -> [ImageRecord] {
        let layoutPath = directory + "/oci-layout"
        let indexPath = directory + "/index.json"
        guard FileSystem.exists(layoutPath), FileSystem.exists(indexPath) else {
            throw .notAnImageArchive(path: directory)
        }
        let layout: OCILayoutFile = try decodeJSON(
            FileSystem.readFile(layoutPath, step: "read oci-layout"), step: "parse oci-layout", file: layoutPath)
        guard layout.imageLayoutVersion.hasPrefix("1.") else {
            throw .unsupportedLayoutVersion(path: directory, version: layout.imageLayoutVersion)
        }
        let index: OCIIndex = try decodeJSON(
            FileSystem.readFile(indexPath, step: "read index.json"), step: "parse index.json", file: indexPath)

        var selected: [(descriptor: OCIDescriptor, names: [Reference], label: String)] = []
        let host = Self.hostPlatform
        for descriptor in index.manifests {
            let names = nameOverride.map { [$0] } ?? Self.names(from: descriptor.annotations)
            let label = names.first?.familiar ?? descriptor.digest.description
            let mediaType: String
            if let declared = descriptor.mediaType {
                mediaType = declared
            } else {
                mediaType = try sniffMediaType(directory, descriptor, label: label)
            }
            if MediaType.indexes.contains(mediaType) {
                let bytes = try readVerifiedBlob(directory, descriptor, label: label)
                let nested: OCIIndex = try decodeJSON(bytes, step: "parse image index of \(label)", file: descriptor.digest.description)
                guard let match = Self.platformManifest(in: nested.manifests) else {
                    throw .noMatchingPlatform(image: label, os: host.os, architecture: host.architecture)
                }
                selected.append((match, names, label))
            } else if MediaType.manifests.contains(mediaType) {
                if let platform = descriptor.platform, platform.os != host.os || platform.architecture != host.architecture {
                    continue  // Another platform's manifest listed directly in index.json.
                }
                selected.append((descriptor, names, label))
            } else {
                throw .unknownMediaType(step: "read index.json of \(directory)", image: label, mediaType: mediaType)
            }
        }
        if selected.isEmpty {
            if index.manifests.isEmpty { throw .notAnImageArchive(path: directory) }
            throw .noMatchingPlatform(image: directory, os: host.os, architecture: host.architecture)
        }
        if nameOverride != nil && selected.count > 1 {
            throw .nameOverrideNeedsSingleImage(path: directory, imageCount: selected.count)
        }
        var records: [ImageRecord] = []
        for image in selected {
            records += try importManifest(directory, image.descriptor, names: image.names, label: image.label)
        }
        return records
    }

    private func importManifest(_ directory: String, _ descriptor: OCIDescriptor, names: [Reference], label: String) throws(ImageStoreError) -> [ImageRecord] {
        let manifestBytes = try readVerifiedBlob(directory, descriptor, label: label)
        let manifest: OCIManifest = try decodeJSON(manifestBytes, step: "parse manifest of \(label)", file: descriptor.digest.description)
        if let mediaType = manifest.mediaType ?? descriptor.mediaType, !MediaType.manifests.contains(mediaType) {
            throw .unknownMediaType(step: "read manifest", image: label, mediaType: mediaType)
        }
        if let mediaType = manifest.config.mediaType, !MediaType.configs.contains(mediaType) {
            throw .unknownMediaType(step: "read config", image: label, mediaType: mediaType)
        }
        var layerTypes: [MediaType.LayerCompression] = []
        for layer in manifest.layers {
            let mediaType = layer.mediaType ?? MediaType.ociLayer
            guard let compression = MediaType.layerCompression(mediaType) else {
                throw .unknownMediaType(step: "read layer \(layer.digest)", image: label, mediaType: mediaType)
            }
            layerTypes.append(compression)
        }

        let configBytes = try readVerifiedBlob(directory, manifest.config, label: label)
        let config: ImageConfig = try decodeJSON(configBytes, step: "parse config of \(label)", file: manifest.config.digest.description)
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw .layerCountMismatch(image: label, layers: manifest.layers.count, diffIDs: config.rootfs.diffIDs.count)
        }
        var layers: [LayerRecord] = []
        for (index, layer) in manifest.layers.enumerated() {
            let source = directory + "/blobs/sha256/" + layer.digest.hex
            let (digest, size) = try storeBlob(from: source, expected: layer.digest, expectedSize: layer.size, label: label)
            let diffID = config.rootfs.diffIDs[index]
            try ensureLayer(blob: digest, declared: layerTypes[index], diffID: diffID, label: label)
            layers.append(LayerRecord(diffID: diffID, blobDigest: digest, mediaType: layer.mediaType ?? MediaType.ociLayer, size: size))
        }
        _ = try storeBlob(bytes: configBytes, label: label)
        let manifestDigest = try storeBlob(bytes: manifestBytes, label: label)
        return makeRecords(names: names, config: config, configDigest: manifest.config.digest,
                           manifestDigest: manifestDigest,
                           size: Int64(manifestBytes.count + configBytes.count), layers: layers)
    }

    /// Names from descriptor annotations. containerd's full name is preferred; a bare
    /// `ref.name` is read as a name (`busybox:latest`), as the OCI spec leaves its form open.
    static func names(from annotations: [String: String]?) -> [Reference] {
        for key in ["io.containerd.image.name", "org.opencontainers.image.ref.name"] {
            if let value = annotations?[key], let reference = try? Reference(parsing: value) { return [reference] }
        }
        return []
    }

    /// For descriptors without a media type: a blob with `manifests` is an index.
    private func sniffMediaType(_ directory: String, _ descriptor: OCIDescriptor, label: String) throws(ImageStoreError) -> String {
        struct Probe: Decodable { var mediaType: String?; var manifests: [OCIDescriptor]? }
        let bytes = try readVerifiedBlob(directory, descriptor, label: label)
        let probe: Probe = try decodeJSON(bytes, step: "inspect \(descriptor.digest) of \(label)", file: descriptor.digest.description)
        return probe.mediaType ?? (probe.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest)
    }

    /// Reads a small JSON blob from a layout and checks its digest and size.
    private func readVerifiedBlob(_ directory: String, _ descriptor: OCIDescriptor, label: String) throws(ImageStoreError) -> [UInt8] {
        let path = directory + "/blobs/sha256/" + descriptor.digest.hex
        guard FileSystem.exists(path) else {
            throw .missingBlob(image: label, digest: descriptor.digest.description, path: path)
        }
        let bytes = try FileSystem.readFile(path, step: "read blob of \(label)")
        let actual = Digest.of(bytes)
        guard actual == descriptor.digest else {
            throw .digestMismatch(step: "verify blob of \(label)", file: path, expected: descriptor.digest.description, actual: actual.description)
        }
        guard Int64(bytes.count) == descriptor.size else {
            throw .sizeMismatch(step: "verify blob of \(label)", file: path, expected: descriptor.size, actual: Int64(bytes.count))
        }
        return bytes
    }

    // MARK: - docker save

    private func importDockerArchive(_ directory: String, label: String, nameOverride: Reference?) throws(ImageStoreError) -> [ImageRecord] {
        let manifestPath = directory + "/manifest.json"
        let entries: [DockerArchiveManifest] = try decodeJSON(
            FileSystem.readFile(manifestPath, step: "read manifest.json of \(label)"),
            step: "parse manifest.json of \(label)", file: manifestPath)
        guard !entries.isEmpty else { throw .notAnImageArchive(path: label) }
        if nameOverride != nil && entries.count > 1 {
            throw .nameOverrideNeedsSingleImage(path: label, imageCount: entries.count)
        }
        var records: [ImageRecord] = []
        for entry in entries {
            let names = nameOverride.map { [$0] } ?? (entry.repoTags ?? []).compactMap { try? Reference(parsing: $0) }
            let imageLabel = names.first?.familiar ?? entry.config
            let configPath = try containedPath(directory, entry.config, label: label)
            let configBytes = try FileSystem.readFile(configPath, step: "read config of \(imageLabel)")
            let config: ImageConfig = try decodeJSON(configBytes, step: "parse config of \(imageLabel)", file: entry.config)
            guard config.rootfs.diffIDs.count == entry.layers.count else {
                throw .layerCountMismatch(image: imageLabel, layers: entry.layers.count, diffIDs: config.rootfs.diffIDs.count)
            }
            var layers: [LayerRecord] = []
            for (index, layerPath) in entry.layers.enumerated() {
                let source = try containedPath(directory, layerPath, label: label)
                guard FileSystem.exists(source) else {
                    throw .missingBlob(image: imageLabel, digest: config.rootfs.diffIDs[index].description, path: layerPath)
                }
                let (digest, size) = try storeBlob(from: source, expected: nil, expectedSize: nil, label: imageLabel)
                // `docker save` has no media types; the content says how it is compressed.
                let compression = try ensureLayer(blob: digest, declared: .none, diffID: config.rootfs.diffIDs[index], label: imageLabel)
                layers.append(LayerRecord(diffID: config.rootfs.diffIDs[index], blobDigest: digest, mediaType: compression.mediaType, size: size))
            }
            let configDigest = try storeBlob(bytes: configBytes, label: imageLabel)
            // Synthesize an OCI manifest so every stored image has the same shape.
            let manifest = OCIManifest(
                schemaVersion: 2, mediaType: MediaType.ociManifest,
                config: OCIDescriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count)),
                layers: layers.map { OCIDescriptor(mediaType: $0.mediaType, digest: $0.blobDigest, size: $0.size) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let manifestBytes: [UInt8]
            do { manifestBytes = Array(try encoder.encode(manifest)) } catch {
                throw .invalidJSON(step: "encode manifest of \(imageLabel)", file: label, detail: "\(error)")
            }
            let manifestDigest = try storeBlob(bytes: manifestBytes, label: imageLabel)
            records += makeRecords(names: names, config: config, configDigest: configDigest, manifestDigest: manifestDigest,
                                   size: Int64(manifestBytes.count + configBytes.count), layers: layers)
        }
        return records
    }

    /// Joins a path from `manifest.json` to the archive directory, refusing anything that
    /// leaves it (`..`, or symlinks pointing outside).
    private func containedPath(_ directory: String, _ relative: String, label: String) throws(ImageStoreError) -> String {
        let parts = relative.split(separator: "/")
        guard !relative.hasPrefix("/"), !parts.contains("..") else {
            throw .pathEscapesLayer(file: label + "/manifest.json", entry: relative)
        }
        let joined = directory + "/" + relative
        guard let resolved = realpath(joined, nil) else {
            throw .missingBlob(image: label, digest: relative, path: relative)
        }
        defer { free(resolved) }
        let base = realpath(directory, nil)
        defer { free(base) }
        let resolvedText = String(cString: resolved)
        let baseText = base.map { String(cString: $0) } ?? directory
        guard resolvedText.hasPrefix(baseText + "/") else {
            throw .pathEscapesLayer(file: label + "/manifest.json", entry: relative)
        }
        return resolvedText
    }

    // MARK: - Blobs and layers

    private func makeRecords(names: [Reference], config: ImageConfig, configDigest: Digest, manifestDigest: Digest,
                             size: Int64, layers: [LayerRecord]) -> [ImageRecord] {
        let total = size + layers.reduce(0) { $0 + $1.size }
        let base = ImageRecord(reference: nil, id: configDigest, manifestDigest: manifestDigest, layers: layers, size: total,
                               created: config.created, os: config.os, architecture: config.architecture)
        if names.isEmpty { return [base] }
        return names.map { name in
            var record = base
            record.reference = name
            return record
        }
    }

    /// Copies a file into `blobs/`, hashing as it streams; verifies digest and size when
    /// known. The copy is staged in `tmp/` and renamed in only once verified.
    func storeBlob(from source: String, expected: Digest?, expectedSize: Int64?, label: String) throws(ImageStoreError) -> (Digest, Int64) {
        if let expected, FileSystem.exists(blobPath(expected)) {
            if let info = try FileSystem.lstatIfExists(blobPath(expected), step: "inspect stored blob") {
                return (expected, Int64(info.st_size))
            }
        }
        guard FileSystem.exists(source) else {
            throw .missingBlob(image: label, digest: expected?.description ?? "?", path: source)
        }
        let input = HashingStream(try FileInputStream(path: source, step: "read blob of \(label)"))
        let temp = tempDirectory + "/blob-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .syscall("stage blob of \(label)", path: temp, call: "open") }
        var open = true
        do throws(ImageStoreError) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try input.read(into: buffer)
                if n == 0 { break }
                try FileSystem.writeAll(fd: fd, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), step: "stage blob of \(label)", path: temp)
            }
            guard fsync(fd) == 0 else { throw ImageStoreError.syscall("stage blob of \(label)", path: temp, call: "fsync") }
            close(fd)
            open = false
            let digest = input.finalize()
            if let expected, digest != expected {
                throw ImageStoreError.digestMismatch(step: "verify blob of \(label)", file: source,
                                                     expected: expected.description, actual: digest.description)
            }
            if let expectedSize, expectedSize != input.count {
                throw ImageStoreError.sizeMismatch(step: "verify blob of \(label)", file: source, expected: expectedSize, actual: input.count)
            }
            try FileSystem.rename(temp, to: blobPath(digest), step: "store blob of \(label)")
            return (digest, input.count)
        } catch {
            if open { close(fd) }
            unlink(temp)
            throw error
        }
    }

    /// Stores in-memory bytes (manifests, configs) as a blob.
    func storeBlob(bytes: [UInt8], label: String) throws(ImageStoreError) -> Digest {
        let digest = Digest.of(bytes)
        let path = blobPath(digest)
        if !FileSystem.exists(path) {
            try FileSystem.writeAtomically(bytes, to: path, step: "store blob of \(label)")
        }
        return digest
    }

    /// Unpacks the layer blob `blob` into `layers/sha256/<diffID>` unless an image already
    /// did, and returns the compression the blob was found in (`declared` unless its first
    /// bytes say otherwise). The tar streams from the blob through gunzip or zstd into the
    /// unpacker while being hashed; the result is renamed into place only if its hash is
    /// `diffID`. For a layer already unpacked only the blob's first bytes are read.
    @discardableResult
    func ensureLayer(blob: Digest, declared: MediaType.LayerCompression, diffID: Digest,
                     label: String) throws(ImageStoreError) -> MediaType.LayerCompression {
        let layerName = "layer \(blob.shortID) of \(label)"
        let input = try FileInputStream(path: blobPath(blob), step: "read \(layerName)")
        let destination = layerDirectory(diffID: diffID)
        if FileSystem.exists(destination) {
            logger.debug("layer already unpacked", metadata: ["diffID": "\(diffID.shortID)"])
            return try MediaType.LayerCompression.detect(in: PeekableStream(input), declared: declared)
        }
        let staging = try FileSystem.makeTemporaryDirectory(in: tempDirectory, prefix: "layer-", step: "unpack \(layerName)")
        do throws(ImageStoreError) {
            let rootfs = staging + "/rootfs"
            let (actual, compression) = try LayerUnpacker.unpackBlob(input, declared: declared, into: rootfs, layerName: layerName, label: label)
            guard actual == diffID else {
                throw ImageStoreError.digestMismatch(step: "verify diffID of \(layerName)", file: blobPath(blob),
                                                     expected: diffID.description, actual: actual.description)
            }
            try FileSystem.rename(rootfs, to: destination, step: "commit \(layerName)")
            try FileSystem.removeTree(staging, step: "clean up \(layerName)")
            logger.debug("unpacked layer", metadata: ["diffID": "\(diffID.shortID)", "image": "\(label)"])
            return compression
        } catch {
            try? FileSystem.removeTree(staging, step: "clean up \(layerName)")
            throw error
        }
    }
}
