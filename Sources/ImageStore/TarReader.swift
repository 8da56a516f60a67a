/// One entry of a tar stream, with pax and GNU long-name extensions already applied.
struct TarEntry {
    /// Kinds of entries the unpacker knows how to create.
    enum Kind: Equatable {
        case regular, hardLink, symlink, characterDevice, blockDevice, directory, fifo
    }

    var path: String
    var kind: Kind
    /// Permission bits including setuid, setgid and sticky (`0o7777` mask).
    var mode: UInt32
    var uid: Int
    var gid: Int
    var size: Int64
    var mtimeSeconds: Int
    var mtimeNanoseconds: Int
    /// Symlink target, or the archive path a hardlink points at.
    var linkName: String
    var deviceMajor: UInt32
    var deviceMinor: UInt32
    /// Extended attributes from pax `SCHILY.xattr.*` records.
    var xattrs: [(name: String, value: [UInt8])]
}

/// A streaming reader for ustar / pax / GNU tar.
///
/// It never buffers an entry's data: `next()` returns the header and the caller pulls the
/// data through `readData(into:)`; whatever the caller leaves unread is skipped. Metadata
/// records (pax `x`/`g`, GNU `L`/`K`) are folded into the entry they describe.
final class TarReader {
    private let stream: ByteStream
    /// Names the stream in errors (a blob digest or file path).
    let name: String
    private(set) var offset: UInt64 = 0
    private var remainingData: Int64 = 0
    private var padding: Int = 0
    private var currentPath: String?
    private var globalPax: [String: [UInt8]] = [:]
    private var reachedEnd = false

    init(stream: ByteStream, name: String) {
        self.stream = stream
        self.name = name
    }

    /// Returns the next entry, or nil at the end-of-archive marker (or a clean end of
    /// stream on a header boundary, which some writers produce and other runtimes accept).
    func next() throws(ImageStoreError) -> TarEntry? {
        try skipRemaining()
        if reachedEnd { return nil }
        var pax: [String: [UInt8]] = [:]
        var longName: String?
        var longLink: String?
        while true {
            let headerOffset = offset
            guard let header = try readBlock(allowCleanEOF: true) else {
                reachedEnd = true
                return nil
            }
            if header.allSatisfy({ $0 == 0 }) {
                // The second zero block is optional in practice; do not demand it.
                _ = try readBlock(allowCleanEOF: true)
                reachedEnd = true
                return nil
            }
            try verifyChecksum(header, at: headerOffset)
            let typeFlag = header[156]
            let size = try number(header, 124, 12, at: headerOffset)
            guard size >= 0 else { throw .invalidTarHeader(file: name, offset: headerOffset, reason: "negative size") }
            switch typeFlag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                let data = try readMetadata(size: size, at: headerOffset)
                let records = try parsePax(data, at: headerOffset)
                if typeFlag == UInt8(ascii: "g") {
                    globalPax.merge(records) { $1 }
                } else {
                    pax.merge(records) { $1 }
                }
                continue
            case UInt8(ascii: "L"):
                longName = cString(try readMetadata(size: size, at: headerOffset))
                continue
            case UInt8(ascii: "K"):
                longLink = cString(try readMetadata(size: size, at: headerOffset))
                continue
            default:
                break
            }

            let attributes = globalPax.merging(pax) { $1 }
            var path = cString(Array(header[0..<100]))
            let magic = Array(header[257..<263])
            // Only POSIX ustar uses the prefix field; GNU tar stores atime/ctime there.
            if magic == Array("ustar\0".utf8) {
                let prefix = cString(Array(header[345..<500]))
                if !prefix.isEmpty { path = prefix + "/" + path }
            }
            if let longName { path = longName }
            if let value = attributes["path"] { path = String(decoding: value, as: UTF8.self) }
            var linkName = longLink ?? cString(Array(header[157..<257]))
            if let value = attributes["linkpath"] { linkName = String(decoding: value, as: UTF8.self) }

            var entrySize = size
            var uid = Int(try number(header, 108, 8, at: headerOffset))
            var gid = Int(try number(header, 116, 8, at: headerOffset))
            var mtime = Int(try number(header, 136, 12, at: headerOffset))
            var mtimeNanos = 0
            if let value = attributes["size"] {
                guard let parsed = Int64(String(decoding: value, as: UTF8.self)), parsed >= 0 else {
                    throw .invalidTarHeader(file: name, offset: headerOffset, reason: "bad pax size")
                }
                entrySize = parsed
            }
            if let value = attributes["uid"], let parsed = Int(String(decoding: value, as: UTF8.self)) { uid = parsed }
            if let value = attributes["gid"], let parsed = Int(String(decoding: value, as: UTF8.self)) { gid = parsed }
            if let value = attributes["mtime"] {
                let parts = String(decoding: value, as: UTF8.self).split(separator: ".", maxSplits: 1)
                if let seconds = parts.first.flatMap({ Int($0) }) { mtime = seconds }
                if parts.count == 2 {
                    // Pad or cut the fraction to nine digits of nanoseconds.
                    let digits = String(parts[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
                    mtimeNanos = Int(digits) ?? 0
                }
            }
            var xattrs: [(name: String, value: [UInt8])] = []
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) where key.hasPrefix("SCHILY.xattr.") {
                xattrs.append((String(key.dropFirst("SCHILY.xattr.".count)), value))
            }

            let kind: TarEntry.Kind
            switch typeFlag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                // Old tars mark directories only by a trailing slash on a regular entry.
                kind = path.hasSuffix("/") && typeFlag == 0 ? .directory : .regular
            case UInt8(ascii: "1"): kind = .hardLink
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "3"): kind = .characterDevice
            case UInt8(ascii: "4"): kind = .blockDevice
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "6"): kind = .fifo
            default:
                throw .unsupportedTarEntry(file: name, entry: path, type: String(UnicodeScalar(typeFlag)))
            }
            // Only regular files carry data; other kinds may still have a size to skip.
            remainingData = entrySize
            padding = Int((512 - entrySize % 512) % 512)
            currentPath = path
            return TarEntry(
                path: path,
                kind: kind,
                mode: UInt32(try number(header, 100, 8, at: headerOffset) & 0o7777),
                uid: uid,
                gid: gid,
                size: kind == .regular ? entrySize : 0,
                mtimeSeconds: mtime,
                mtimeNanoseconds: mtimeNanos,
                linkName: linkName,
                deviceMajor: UInt32(truncatingIfNeeded: try number(header, 329, 8, at: headerOffset)),
                deviceMinor: UInt32(truncatingIfNeeded: try number(header, 337, 8, at: headerOffset)),
                xattrs: xattrs
            )
        }
    }

    /// Reads the current entry's data; returns 0 when it is exhausted.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        guard remainingData > 0, buffer.count > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), remainingData))
        let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        guard n > 0 else { throw .truncatedTar(file: name, entry: currentPath, offset: offset) }
        remainingData -= Int64(n)
        offset += UInt64(n)
        return n
    }

    // MARK: - Internals

    private func skipRemaining() throws(ImageStoreError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { scratch.deallocate() }
        while remainingData > 0 {
            _ = try readData(into: scratch)
        }
        if padding > 0 {
            try readExactly(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<padding]))
            padding = 0
        }
    }

    /// Reads one 512-byte block; nil only on end of stream before its first byte.
    private func readBlock(allowCleanEOF: Bool) throws(ImageStoreError) -> [UInt8]? {
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
        defer { raw.deallocate() }
        var filled = 0
        while filled < 512 {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<512]))
            if n == 0 {
                if filled == 0 && allowCleanEOF { return nil }
                throw .truncatedTar(file: name, entry: nil, offset: offset + UInt64(filled))
            }
            filled += n
        }
        offset += 512
        return Array(raw)
    }

    private func readExactly(_ buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) {
        var filled = 0
        while filled < buffer.count {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            guard n > 0 else { throw .truncatedTar(file: name, entry: currentPath, offset: offset) }
            filled += n
            offset += UInt64(n)
        }
    }

    /// Reads the data of a metadata record (pax or GNU long name) and its padding.
    private func readMetadata(size: Int64, at headerOffset: UInt64) throws(ImageStoreError) -> [UInt8] {
        // Metadata records are small; a huge one is corruption, not a long name.
        guard size <= 16 * 1024 * 1024 else {
            throw .invalidTarHeader(file: name, offset: headerOffset, reason: "metadata record of \(size) bytes")
        }
        let padded = Int((size + 511) / 512 * 512)
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(padded, 1), alignment: 8)
        defer { raw.deallocate() }
        currentPath = nil
        try readExactly(UnsafeMutableRawBufferPointer(rebasing: raw[0..<padded]))
        return Array(raw[0..<Int(size)])
    }

    private func parsePax(_ data: [UInt8], at headerOffset: UInt64) throws(ImageStoreError) -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var index = 0
        while index < data.count {
            if data[index] == 0 { break }
            guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                  length > 0, index + length <= data.count, data[index + length - 1] == UInt8(ascii: "\n"),
                  let equals = data[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else {
                throw .invalidTarHeader(file: name, offset: headerOffset, reason: "malformed pax record")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records[key] = Array(data[(equals + 1)..<(index + length - 1)])
            index += length
        }
        return records
    }

    private func verifyChecksum(_ header: [UInt8], at headerOffset: UInt64) throws(ImageStoreError) {
        let stored = try number(header, 148, 8, at: headerOffset)
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (i, byte) in header.enumerated() {
            let value = (148..<156).contains(i) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        // Some historic writers summed signed chars; accept either.
        guard stored == unsigned || stored == signed else {
            throw .invalidTarHeader(file: name, offset: headerOffset, reason: "checksum mismatch")
        }
    }

    /// Decodes an octal or GNU base-256 numeric field.
    private func number(_ header: [UInt8], _ start: Int, _ length: Int, at headerOffset: UInt64) throws(ImageStoreError) -> Int64 {
        let field = header[start..<(start + length)]
        if let first = field.first, first & 0x80 != 0 {
            guard first == 0x80 else {
                throw .invalidTarHeader(file: name, offset: headerOffset, reason: "negative base-256 number")
            }
            var value: Int64 = 0
            for byte in field.dropFirst() {
                guard value < (Int64.max >> 8) else {
                    throw .invalidTarHeader(file: name, offset: headerOffset, reason: "base-256 number overflows")
                }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        for byte in field {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if seenDigit { break } else { continue }
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7"), value < (Int64.max >> 3) else {
                throw .invalidTarHeader(file: name, offset: headerOffset, reason: "bad octal field at \(start)")
            }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
            seenDigit = true
        }
        return value
    }

    private func cString(_ bytes: [UInt8]) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }
}
