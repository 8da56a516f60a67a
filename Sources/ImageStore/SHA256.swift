import COpenSSL
import LinuxHost

/// A streaming SHA-256, computed by OpenSSL's EVP digest API over one `EVP_MD_CTX`.
///
/// The store hashes every blob and every uncompressed layer as it streams, so the state is
/// fixed-size and arbitrarily large layers hash in constant memory. A reference type: a
/// hasher is one running computation, owned by whoever feeds it (one thread at a time).
///
/// OpenSSL only fails these calls when it cannot allocate memory or has no SHA-256
/// implementation at all (a broken installation); neither leaves a way to go on hashing,
/// so such a failure stops the process with a message naming the call and OpenSSL's reason.
final class SHA256 {
    private let context: OpaquePointer

    /// A hasher that has seen no bytes yet.
    init() {
        guard let context = EVP_MD_CTX_new() else { Self.fail("EVP_MD_CTX_new") }
        self.context = context
        start()
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds `bytes` into the hash.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else { Self.fail("EVP_DigestUpdate") }
    }

    /// Feeds an array of bytes into the hash.
    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes and returns the lowercase hex digest. The hasher then starts over, empty.
    func finalizeHex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let finished = digest.withUnsafeMutableBufferPointer { buffer in
            EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
        }
        guard finished == 1 else { Self.fail("EVP_DigestFinal_ex") }
        start()
        return digest.prefix(Int(length)).withUnsafeBytes { Hex.lowercase($0) }
    }

    /// (Re)initialises the context for SHA-256.
    private func start() {
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { Self.fail("EVP_DigestInit_ex(EVP_sha256)") }
    }

    /// Stops the process: a digest call failed, which only happens when OpenSSL is out of
    /// memory or has no SHA-256 at all, and hashing cannot continue without it.
    private static func fail(_ call: String) -> Never {
        var reason = "no OpenSSL error reported"
        let code = ERR_get_error()
        if code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            text.withUnsafeMutableBufferPointer { buffer in ERR_error_string_n(code, buffer.baseAddress, buffer.count) }
            reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        fatalError("compute SHA-256 digest: \(call) failed: \(reason)")
    }
}
