import COpenSSL

/// An OpenSSL primitive failed. OpenSSL only fails these calls when it cannot allocate memory
/// or its random generator cannot be seeded, so callers report it as a server fault.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The OpenSSL function that failed, e.g. `HMAC` or `RAND_bytes`.
    public let call: String
    /// OpenSSL's reason, from its error queue (`"no OpenSSL error reported"` when empty).
    public let reason: String

    public init(call: String, reason: String) {
        self.call = call
        self.reason = reason
    }

    /// An error for `call`, taking (and clearing) OpenSSL's per-thread error queue.
    static func fromQueue(_ call: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return CryptoError(call: call, reason: "no OpenSSL error reported") }
        var text = [CChar](repeating: 0, count: 256)
        text.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return CryptoError(call: call, reason: reason)
    }

    public var description: String { "\(call) failed: \(reason)" }
}
