import CZlib

/// Inflates a gzip stream as it is read, with bounded memory whatever the layer size.
///
/// Concatenated gzip members are accepted (RFC 1952 allows them and `pigz`-style writers
/// produce them); a stream that ends before the final member's trailer is an error, so a
/// truncated layer never unpacks silently.
final class GzipInputStream: ByteStream {
    private let upstream: ByteStream
    private let name: String
    private var zs = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 64 * 1024
    private var finished = false
    private var upstreamDone = false

    /// Wraps `upstream`; `name` identifies the blob in errors.
    init(_ upstream: ByteStream, name: String) throws(ImageStoreError) {
        self.upstream = upstream
        self.name = name
        input = .allocate(capacity: inputCapacity)
        // 16 + MAX_WBITS: expect a gzip header and trailer (not raw deflate or zlib framing).
        let rc = inflateInit2_(&zs, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            input.deallocate()
            throw .decompressionFailed(file: name, zlibCode: rc, message: "inflateInit2 failed")
        }
    }

    deinit {
        inflateEnd(&zs)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        guard let out = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count > 0 else { return 0 }
        while !finished {
            if zs.avail_in == 0 && !upstreamDone {
                let n = try upstream.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
                if n == 0 { upstreamDone = true } else {
                    zs.next_in = input
                    zs.avail_in = UInt32(n)
                }
            }
            zs.next_out = out
            zs.avail_out = UInt32(buffer.count)
            let rc = inflate(&zs, Z_NO_FLUSH)
            let produced = buffer.count - Int(zs.avail_out)
            switch rc {
            case Z_STREAM_END:
                // Another member may follow; otherwise this is the real end.
                if zs.avail_in == 0 && !upstreamDone {
                    let n = try upstream.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
                    if n == 0 { upstreamDone = true } else {
                        zs.next_in = input
                        zs.avail_in = UInt32(n)
                    }
                }
                if zs.avail_in > 0 {
                    inflateReset(&zs)
                } else {
                    finished = true
                }
            case Z_OK:
                break
            case Z_BUF_ERROR where upstreamDone && zs.avail_in == 0:
                throw .decompressionFailed(file: name, zlibCode: rc, message: "unexpected end of gzip stream (truncated)")
            case Z_BUF_ERROR:
                break
            default:
                let message = zs.msg.map { String(cString: $0) } ?? "corrupt gzip data"
                throw .decompressionFailed(file: name, zlibCode: rc, message: message)
            }
            if produced > 0 { return produced }
            if upstreamDone && zs.avail_in == 0 && !finished {
                throw .decompressionFailed(file: name, zlibCode: Z_BUF_ERROR, message: "unexpected end of gzip stream (truncated)")
            }
        }
        return 0
    }
}
