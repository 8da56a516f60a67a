#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `ImageStore` keeps decoded between calls, so resolving an image for a launch reads no
/// JSON: the index as of its last version seen, and image configs by digest.
///
/// The index is rewritten only by an atomic rename (`saveIndex`), so its inode, size and
/// modification time identify one version of it, also across processes (a CLI importing
/// while a daemon launches). Configs are blobs named by their digest and never change.
/// Used only under the store's lock.
struct ImageStoreCache {
    /// The identity of one version of a file.
    struct FileVersion: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int

        /// The version of the file at `path` now; `nil` when it does not exist.
        static func of(_ path: String) -> FileVersion? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileVersion(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec)
        }
    }

    /// Configs kept at most; past this the cache starts over (a store holds few images).
    static let configLimit = 256

    private var index: (version: FileVersion, records: [ImageRecord])?
    private var configs: [Digest: ImageConfig] = [:]

    /// The records of the index version `version`, if that is the one decoded last.
    func records(of version: FileVersion) -> [ImageRecord]? {
        guard let index, index.version == version else { return nil }
        return index.records
    }

    mutating func store(records: [ImageRecord], of version: FileVersion) {
        index = (version, records)
    }

    func config(_ digest: Digest) -> ImageConfig? { configs[digest] }

    mutating func store(config: ImageConfig, for digest: Digest) {
        if configs.count >= Self.configLimit { configs.removeAll() }
        configs[digest] = config
    }
}
