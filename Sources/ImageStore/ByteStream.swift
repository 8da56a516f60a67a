#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pull-based source of bytes: the tar reader, gunzip and hashing are stacked on it so a
/// layer streams from disk (or from a registry download handed to `ImageStore.ingestLayer`)
/// through decompression into the unpacker in fixed-size chunks.
public protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 only at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int
}

/// Reads a file by descriptor; owns and closes the descriptor.
final class FileInputStream: ByteStream {
    let path: String
    private let fd: Int32

    /// Opens `path` read-only; `step` names what the caller was doing for error messages.
    init(path: String, step: String) throws(ImageStoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .syscall(step, path: path, call: "open") }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .syscall("read", path: path, call: "read")
        }
    }
}

/// Passes bytes through while hashing and counting them, so digests are verified in the
/// same pass that consumes the data.
final class HashingStream: ByteStream {
    private let upstream: ByteStream
    private let hasher = SHA256()
    /// Bytes passed through so far.
    private(set) var count: Int64 = 0

    init(_ upstream: ByteStream) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        let n = try upstream.read(into: buffer)
        if n > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            count += Int64(n)
        }
        return n
    }

    /// Reads and hashes whatever is left (tar padding after the end-of-archive blocks
    /// belongs to the diffID too).
    func drain() throws(ImageStoreError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while try read(into: buffer) > 0 {}
    }

    /// The digest of everything passed through. Call once, at the end.
    func finalize() -> Digest { Digest(hex: hasher.finalizeHex()) }
}

/// Looks at the first bytes of a stream without consuming them, for magic-number sniffing.
final class PeekableStream: ByteStream {
    private let upstream: ByteStream
    private var buffered: [UInt8] = []

    init(_ upstream: ByteStream) { self.upstream = upstream }

    /// Returns up to `count` leading bytes (fewer at end of stream).
    func peek(_ count: Int) throws(ImageStoreError) -> [UInt8] {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 8)
        defer { chunk.deallocate() }
        while buffered.count < count {
            let want = count - buffered.count
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<want]))
            if n == 0 { break }
            buffered.append(contentsOf: chunk[0..<n])
        }
        return Array(buffered.prefix(count))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        if !buffered.isEmpty {
            let n = min(buffer.count, buffered.count)
            buffered.withUnsafeBytes { src in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<n]))
            }
            buffered.removeFirst(n)
            return n
        }
        return try upstream.read(into: buffer)
    }
}
