#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Applies one layer's tar stream to an empty directory, producing an overlayfs lowerdir.
///
/// Safety: every entry path is normalized to be relative to the layer root and `..` is
/// rejected; parents are opened one component at a time with `O_NOFOLLOW`, and every file
/// is created with an `*at` call relative to its parent's descriptor, so a symlink planted
/// by an earlier entry can never redirect a write outside the layer.
///
/// OCI whiteouts become overlayfs whiteouts: `.wh.NAME` is a 0/0 character device `NAME`,
/// and `.wh..wh..opq` sets `trusted.overlay.opaque=y` on its directory.
struct LayerUnpacker {
    /// The (empty) directory to unpack into.
    let root: String
    /// Names the layer in errors, e.g. its digest.
    let layerName: String

    private struct PendingDirectory {
        var components: [String]
        var entry: TarEntry
    }

    /// Unpacks every entry of `reader` below `root`.
    func unpack(_ reader: TarReader) throws(ImageStoreError) {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootFD >= 0 else { throw .syscall("open layer directory", path: root, call: "open") }
        defer { close(rootFD) }
        var directories: [PendingDirectory] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * 1024, alignment: 16)
        defer { buffer.deallocate() }

        while let entry = try reader.next() {
            let components = try normalize(entry.path)
            guard let base = components.last else {
                // "./": metadata for the layer root itself.
                if entry.kind == .directory { directories.append(PendingDirectory(components: [], entry: entry)) }
                continue
            }
            let parent = try openDirectory(rootFD, Array(components.dropLast()), create: true, entry: entry.path)
            defer { close(parent) }
            let display = components.joined(separator: "/")

            if base.hasPrefix(".wh.") {
                try applyWhiteout(base: base, parent: parent, display: display)
                continue
            }

            try clearExisting(parent: parent, name: base, keepDirectory: entry.kind == .directory, display: display)
            switch entry.kind {
            case .directory:
                if mkdirat(parent, base, 0o700) != 0 && errno != EEXIST {
                    throw .syscall("create directory in layer \(layerName)", path: display, call: "mkdirat")
                }
                // Modes and mtimes of directories are applied last: creating children would
                // bump the mtime, and a read-only mode could block later entries.
                directories.append(PendingDirectory(components: components, entry: entry))
            case .regular:
                try writeRegularFile(entry, parent: parent, name: base, display: display, reader: reader, buffer: buffer)
            case .symlink:
                guard symlinkat(entry.linkName, parent, base) == 0 else {
                    throw .syscall("create symlink in layer \(layerName)", path: display, call: "symlinkat")
                }
                try applyOwnershipAndTimes(entry, parent: parent, name: base, display: display, chmod: false)
            case .hardLink:
                let target = try normalize(entry.linkName)
                guard let targetBase = target.last else {
                    throw .pathEscapesLayer(file: layerName, entry: entry.path + " -> " + entry.linkName)
                }
                let targetParent = try openDirectory(rootFD, Array(target.dropLast()), create: false, entry: entry.linkName)
                defer { close(targetParent) }
                // flags 0: link the target itself, never what a symlink target points at.
                guard linkat(targetParent, targetBase, parent, base, 0) == 0 else {
                    throw .syscall("create hardlink in layer \(layerName) to \(entry.linkName)", path: display, call: "linkat")
                }
            case .characterDevice, .blockDevice, .fifo:
                let type: mode_t = entry.kind == .characterDevice ? S_IFCHR : entry.kind == .blockDevice ? S_IFBLK : S_IFIFO
                let device = Self.makeDevice(major: entry.deviceMajor, minor: entry.deviceMinor)
                guard mknodat(parent, base, type | mode_t(entry.mode), device) == 0 else {
                    throw .syscall("create device node in layer \(layerName)", path: display, call: "mknodat")
                }
                try applyOwnershipAndTimes(entry, parent: parent, name: base, display: display, chmod: true)
            }
        }

        // Deepest first, so setting a parent's mtime is the last thing that touches it.
        for directory in directories.sorted(by: { $0.components.count > $1.components.count }) {
            let fd = try openDirectory(rootFD, directory.components, create: false, entry: directory.entry.path)
            defer { close(fd) }
            try applyMetadata(directory.entry, fd: fd, display: directory.components.joined(separator: "/"))
        }
    }

    // MARK: - Entry kinds

    private func applyWhiteout(base: String, parent: Int32, display: String) throws(ImageStoreError) {
        if base == ".wh..wh..opq" {
            try FileSystem.setXattr(
                fd: parent, name: "trusted.overlay.opaque", value: Array("y".utf8),
                step: "mark directory opaque in layer \(layerName)", path: display)
            return
        }
        // Other ".wh..wh." names are reserved for AUFS bookkeeping and carry no meaning here.
        if base.hasPrefix(".wh..wh.") { return }
        let name = String(base.dropFirst(".wh.".count))
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .pathEscapesLayer(file: layerName, entry: display)
        }
        try clearExisting(parent: parent, name: name, keepDirectory: false, display: display)
        guard mknodat(parent, name, S_IFCHR | 0o600, Self.makeDevice(major: 0, minor: 0)) == 0 else {
            throw .syscall("create whiteout in layer \(layerName)", path: display, call: "mknodat")
        }
        guard fchownat(parent, name, 0, 0, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .syscall("chown whiteout in layer \(layerName)", path: display, call: "fchownat")
        }
    }

    private func writeRegularFile(
        _ entry: TarEntry, parent: Int32, name: String, display: String,
        reader: TarReader, buffer: UnsafeMutableRawBufferPointer
    ) throws(ImageStoreError) {
        let fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .syscall("create file in layer \(layerName)", path: display, call: "openat") }
        defer { close(fd) }
        while true {
            let n = try reader.readData(into: buffer)
            if n == 0 { break }
            try FileSystem.writeAll(fd: fd, UnsafeRawBufferPointer(rebasing: buffer[0..<n]),
                                    step: "write file in layer \(layerName)", path: display)
        }
        try applyMetadata(entry, fd: fd, display: display)
    }

    // MARK: - Metadata

    /// Ownership, then mode (chown clears setuid/setgid, so the order matters), xattrs, times.
    private func applyMetadata(_ entry: TarEntry, fd: Int32, display: String) throws(ImageStoreError) {
        let step = "set metadata in layer \(layerName)"
        guard fchown(fd, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)) == 0 else {
            throw .syscall(step, path: display, call: "fchown")
        }
        guard fchmod(fd, mode_t(entry.mode)) == 0 else { throw .syscall(step, path: display, call: "fchmod") }
        for xattr in entry.xattrs {
            try FileSystem.setXattr(fd: fd, name: xattr.name, value: xattr.value, step: step, path: display)
        }
        var times = Self.times(entry)
        guard futimens(fd, &times) == 0 else { throw .syscall(step, path: display, call: "futimens") }
    }

    /// For entries that cannot be opened (symlinks, device nodes): the `*at` forms with
    /// AT_SYMLINK_NOFOLLOW.
    private func applyOwnershipAndTimes(_ entry: TarEntry, parent: Int32, name: String, display: String, chmod: Bool) throws(ImageStoreError) {
        let step = "set metadata in layer \(layerName)"
        guard fchownat(parent, name, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid), AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .syscall(step, path: display, call: "fchownat")
        }
        // The node was just created by mknodat, so it is not a symlink and fchmodat is safe.
        if chmod, fchmodat(parent, name, mode_t(entry.mode), 0) != 0 {
            throw .syscall(step, path: display, call: "fchmodat")
        }
        var times = Self.times(entry)
        guard utimensat(parent, name, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .syscall(step, path: display, call: "utimensat")
        }
    }

    private static func times(_ entry: TarEntry) -> [timespec] {
        let time = timespec(tv_sec: entry.mtimeSeconds, tv_nsec: entry.mtimeNanoseconds)
        return [time, time]
    }

    /// glibc's `makedev` encoding (a macro Swift cannot import).
    static func makeDevice(major: UInt32, minor: UInt32) -> dev_t {
        let major = UInt64(major), minor = UInt64(minor)
        return dev_t((major & 0xffff_f000) << 32 | (major & 0xfff) << 8 | (minor & 0xffff_ff00) << 12 | (minor & 0xff))
    }

    // MARK: - Paths

    /// Splits an archive path into components below the layer root: a leading `/` and `.`
    /// components are dropped, `..` is refused rather than resolved.
    private func normalize(_ path: String) throws(ImageStoreError) -> [String] {
        var components: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw .pathEscapesLayer(file: layerName, entry: path) }
            components.append(String(part))
        }
        return components
    }

    /// Opens the directory at `components` below `rootFD` one step at a time with
    /// O_NOFOLLOW, creating missing ones (0755, as tar does for implied parents) when asked.
    private func openDirectory(_ rootFD: Int32, _ components: [String], create: Bool, entry: String) throws(ImageStoreError) -> Int32 {
        var current = dup(rootFD)
        guard current >= 0 else { throw .syscall("open layer directory", path: root, call: "dup") }
        for (index, component) in components.enumerated() {
            let display = components[0...index].joined(separator: "/")
            var next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                if mkdirat(current, component, 0o755) != 0 && errno != EEXIST {
                    let error = ImageStoreError.syscall("create parent directory in layer \(layerName)", path: display, call: "mkdirat")
                    close(current)
                    throw error
                }
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                close(current)
                // ELOOP: the component is a symlink; ENOTDIR may be one too. Either way the
                // entry would be written through it, which could leave the layer.
                if code == ELOOP || code == ENOTDIR {
                    throw .pathEscapesLayer(file: layerName, entry: entry)
                }
                throw .system(step: "open parent directory in layer \(layerName)", path: display, call: "openat", errno: code)
            }
            close(current)
            current = next
        }
        return current
    }

    /// Makes room for a new entry called `name`: an existing non-directory is replaced (later
    /// tar entries win), an existing directory is kept when the new entry is a directory.
    private func clearExisting(parent: Int32, name: String, keepDirectory: Bool, display: String) throws(ImageStoreError) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw .syscall("inspect existing entry in layer \(layerName)", path: display, call: "fstatat")
        }
        if info.st_mode & S_IFMT == S_IFDIR && keepDirectory { return }
        try FileSystem.removeTree(at: parent, name: name, step: "replace entry in layer \(layerName)", path: display)
    }
}

extension LayerUnpacker {
    /// Unpacks a layer blob into the new directory `root` and returns the layer's diffID
    /// (the digest of its uncompressed tar, padding included) and the compression the blob
    /// was found in. The tar streams from `blob` through gunzip or zstd (when compressed)
    /// into the unpacker while being hashed. The compression is `declared` unless the blob's
    /// first bytes say otherwise (see `LayerCompression.detect`).
    static func unpackBlob(_ blob: ByteStream, declared: MediaType.LayerCompression, into root: String,
                           layerName: String, label: String) throws(ImageStoreError) -> (diffID: Digest, compression: MediaType.LayerCompression) {
        guard mkdir(root, 0o755) == 0 else { throw .syscall("unpack \(layerName)", path: root, call: "mkdir") }
        let (tarStream, compression) = try decompressing(PeekableStream(blob), declared: declared, name: layerName)
        let hashing = HashingStream(tarStream)
        try LayerUnpacker(root: root, layerName: layerName).unpack(TarReader(stream: hashing, name: layerName))
        // Tar padding after the end-of-archive blocks belongs to the diffID too.
        try hashing.drain()
        return (hashing.finalize(), compression)
    }

    /// `input` decompressed as its first bytes say, else as `declared` says, with the
    /// compression used; `name` identifies the blob in errors.
    static func decompressing(_ input: PeekableStream, declared: MediaType.LayerCompression,
                              name: String) throws(ImageStoreError) -> (stream: ByteStream, compression: MediaType.LayerCompression) {
        let compression = try MediaType.LayerCompression.detect(in: input, declared: declared)
        switch compression {
        case .none: return (input, compression)
        case .gzip: return (try GzipInputStream(input, name: name), compression)
        case .zstd: return (try ZstdInputStream(input, name: name), compression)
        }
    }
}
