/// A fixed-capacity byte buffer with a reader and a writer index, through which every socket
/// read and write of the engine goes.
///
/// The storage is allocated once in `init` and freed in `deinit`; nothing allocates afterwards.
/// Bytes between `readerIndex` and `writerIndex` are readable; bytes from `writerIndex` to
/// `capacity` are writable. Space before `readerIndex` is reclaimed by `compact()` (which the
/// `append` methods do themselves when that makes the bytes fit). The views are valid until
/// the next mutating call.
///
/// Not thread-safe: a buffer belongs to one connection on one event loop.
public final class IOBuffer {
    /// Total bytes the buffer can hold.
    public let capacity: Int
    // Internal but usable from inlinable code: the engine's per-byte paths (in other modules)
    // inline the accessors below instead of calling across the module boundary.
    @usableFromInline let storage: UnsafeMutableRawPointer
    @usableFromInline var readerOffset = 0
    @usableFromInline var writerOffset = 0

    /// Offset of the first readable byte.
    @inlinable public var readerIndex: Int { readerOffset }
    /// Offset one past the last readable byte: where the next write lands.
    @inlinable public var writerIndex: Int { writerOffset }

    /// Alignment of the storage: enough for any load the parsers do.
    static let storageAlignment = 16

    /// Creates a buffer of `capacity` bytes (at least 1).
    public init(capacity: Int) {
        precondition(capacity > 0, "IOBuffer capacity must be positive")
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.storageAlignment)
    }

    deinit {
        storage.deallocate()
    }

    /// Bytes written and not yet consumed.
    @inlinable
    public var readableBytes: Int { writerIndex - readerIndex }
    /// Bytes that can be written at `writerIndex` without compacting.
    @inlinable
    public var writableBytes: Int { capacity - writerIndex }
    /// Bytes that could be written after `compact()`.
    @inlinable
    public var freeBytes: Int { capacity - readableBytes }
    /// True if nothing is readable.
    @inlinable
    public var isEmpty: Bool { readerIndex == writerIndex }

    /// The readable bytes, in place.
    @inlinable
    public var readableBytesView: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + readerIndex, count: readableBytes)
    }

    /// The writable space, for `read(2)` and friends (reads whose length is known only after
    /// them); follow with `commitWrite`. Bytes of a known length go in with `append(count:_:)`.
    @inlinable
    public var writableBytesView: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage + writerIndex, count: writableBytes)
    }

    /// Marks `n` bytes written into `writableBytesView` as readable.
    @inlinable
    public func commitWrite(_ n: Int) {
        precondition(n >= 0 && n <= writableBytes, "commitWrite beyond the writable bytes")
        writerOffset += n
    }

    /// Drops `n` readable bytes from the front. When nothing is left readable both indices
    /// return to 0, so a buffer drained between messages never needs compacting.
    @inlinable
    public func consume(_ n: Int) {
        precondition(n >= 0 && n <= readableBytes, "consume beyond the readable bytes")
        readerOffset += n
        if readerOffset == writerOffset {
            readerOffset = 0
            writerOffset = 0
        }
    }

    /// Moves the readable bytes to the front, making all free space writable. Offsets relative
    /// to `readerIndex` (such as a parsed head's ranges) stay valid.
    @inlinable
    public func compact() {
        guard readerIndex > 0 else { return }
        let count = readableBytes
        if count > 0 {
            storage.copyMemory(from: storage + readerIndex, byteCount: count)
        }
        readerOffset = 0
        writerOffset = count
    }

    /// Empties the buffer.
    @inlinable
    public func clear() {
        readerOffset = 0
        writerOffset = 0
    }

    /// Makes at least `count` bytes writable, compacting only when they fit after it; false
    /// (the buffer untouched) if they cannot fit at all.
    // Internal (inlinable, so the public appends can use it): writers go through `append`.
    @inlinable @inline(__always)
    func reserve(_ count: Int) -> Bool {
        if count <= writableBytes { return true }
        guard count <= freeBytes else { return false }
        compact()
        return true
    }

    /// Appends exactly `count` bytes that `fill` writes in place: for bytes formatted as they
    /// are stored (a field line, a counter in hexadecimal), with no copy through a temporary.
    /// `fill` gets the `count` bytes at `writerIndex` and must set every one of them; they
    /// become readable when it returns. Returns false, without calling `fill` and writing
    /// nothing, if `count` bytes do not fit.
    @inlinable @inline(__always)
    public func append(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) -> Bool {
        precondition(count >= 0, "append of a negative count")
        guard reserve(count) else { return false }
        fill(UnsafeMutableRawBufferPointer(start: storage + writerOffset, count: count))
        writerOffset += count
        return true
    }

    /// Appends `bytes`; returns false, writing nothing, if they do not fit.
    @inlinable
    public func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard reserve(bytes.count) else { return false }
        if let source = bytes.baseAddress, bytes.count > 0 {
            (storage + writerIndex).copyMemory(from: source, byteCount: bytes.count)
            writerOffset += bytes.count
        }
        return true
    }

    /// Appends the UTF-8 bytes of a literal; false, writing nothing, if they do not fit.
    @inlinable
    public func append(_ string: StaticString) -> Bool {
        guard string.hasPointerRepresentation else {
            // A single Unicode scalar literal: at most 4 UTF-8 bytes.
            let encoded = string.unicodeScalar.utf8
            guard reserve(encoded.count) else { return false }
            for byte in encoded {
                storage.storeBytes(of: byte, toByteOffset: writerIndex, as: UInt8.self)
                writerOffset += 1
            }
            return true
        }
        return append(UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 bytes of `string` (meant for ASCII such as header values built at run
    /// time); false, writing nothing, if they do not fit.
    public func append(ascii string: String) -> Bool {
        var string = string
        return string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }
}
