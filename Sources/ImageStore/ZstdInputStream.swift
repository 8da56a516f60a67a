import CZstd

/// Decompresses a zstd stream as it is read, with bounded memory whatever the layer size:
/// one input buffer of libzstd's recommended size, the caller's buffer for output, and a
/// decoder whose window (the history a frame may refer back to) is capped at
/// `maximumWindowLog`.
///
/// Concatenated frames and skippable frames are accepted (the zstd format allows both and
/// multi-threaded writers produce several frames); a stream that ends inside a frame is an
/// error, so a truncated layer never unpacks silently.
final class ZstdInputStream: ByteStream {
    /// The largest window a frame may ask for, as a power of two: libzstd's own default
    /// (`ZSTD_WINDOWLOG_LIMIT_DEFAULT`, 128 MiB), set explicitly so the bound on decoder
    /// memory is Wharf's decision. Frames made with `zstd --long=28` or more are refused.
    static let maximumWindowLog: Int32 = 27

    private let upstream: ByteStream
    private let name: String
    private let stream: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer: ZSTD_inBuffer
    /// Whether the decoder is inside a frame, where the input must not end until the frame
    /// does; between frames (also before the first) it may. Once the input ended between
    /// frames every read returns 0.
    private var insideFrame = false
    private var upstreamDone = false
    /// Whether any compressed byte arrived: an empty stream holds no frame and is an error.
    private var sawInput = false

    /// Wraps `upstream`; `name` identifies the blob in errors.
    init(_ upstream: ByteStream, name: String) throws(ImageStoreError) {
        guard let stream = ZSTD_createDStream() else {
            throw .zstdFailed(file: name, function: "ZSTD_createDStream", message: "could not allocate a decoder (out of memory)")
        }
        let rc = ZSTD_DCtx_setParameter(stream, ZSTD_d_windowLogMax, Self.maximumWindowLog)
        if ZSTD_isError(rc) != 0 {
            ZSTD_freeDStream(stream)
            throw .zstdFailed(file: name, function: "ZSTD_DCtx_setParameter(ZSTD_d_windowLogMax)", message: Self.errorName(rc))
        }
        self.upstream = upstream
        self.name = name
        self.stream = stream
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
        inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: 0, pos: 0)
    }

    deinit {
        ZSTD_freeDStream(stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inBuffer.pos == inBuffer.size && !upstreamDone { try refill() }
            if inBuffer.pos == inBuffer.size && upstreamDone && !insideFrame {
                guard sawInput else {
                    throw .zstdFailed(file: name, function: "ZSTD_decompressStream", message: "empty input: no zstd frame")
                }
                return 0
            }
            var outBuffer = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let hint = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if ZSTD_isError(hint) != 0 {
                throw .zstdFailed(file: name, function: "ZSTD_decompressStream", message: Self.errorName(hint))
            }
            // 0: a frame was decoded and fully flushed; anything else: more input (or room) needed.
            insideFrame = hint != 0
            if outBuffer.pos > 0 { return outBuffer.pos }
            if inBuffer.pos == inBuffer.size && upstreamDone && insideFrame {
                throw .zstdFailed(file: name, function: "ZSTD_decompressStream",
                                  message: "unexpected end of zstd stream inside a frame (truncated)")
            }
        }
    }

    /// Reads the next chunk of compressed bytes; marks the end of the upstream on 0.
    private func refill() throws(ImageStoreError) {
        let n = try upstream.read(into: input)
        if n == 0 {
            upstreamDone = true
        } else {
            sawInput = true
            inBuffer.size = n
            inBuffer.pos = 0
        }
    }

    /// libzstd's name for the error `code`; a window over the limit is explained in Wharf's
    /// terms, since libzstd's own text ("Frame requires too much memory for decoding") names
    /// neither the limit nor how such a frame is made.
    private static func errorName(_ code: Int) -> String {
        if ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge {
            let limit = 1 << Int(maximumWindowLog)
            return "frame window exceeds Wharf's limit of 2^\(maximumWindowLog) bytes (\(limit >> 20) MiB);"
                + " frames made with zstd --long=\(maximumWindowLog + 1) or more are refused"
        }
        return ZSTD_getErrorName(code).map { String(cString: $0) } ?? "zstd error \(code)"
    }
}
