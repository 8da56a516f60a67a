import COpenSSL

/// Reads OpenSSL's per-thread error queue.
enum OpenSSLErrorQueue {
    /// Room for one `ERR_error_string_n` line (OpenSSL's own buffers are 256 bytes).
    private static let lineCapacity = 256
    /// At most this many queued errors are kept in a message; the rest are dropped.
    private static let maximumLines = 8

    /// Empties the queue into one line, oldest error first, joined by `"; "`, for example
    /// `error:0A000086:SSL routines::certificate verify failed`.
    static func drain() -> String {
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: lineCapacity)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            guard lines.count < maximumLines else { continue }
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines.isEmpty ? "no OpenSSL error reported" : lines.joined(separator: "; ")
    }
}
