import COpenSSL

/// A streaming SHA-256, computed by OpenSSL's EVP digest API.
///
/// The store hashes every blob and every uncompressed layer as it streams, so the state is
/// fixed-size and arbitrarily large layers hash in constant memory. `SHA256` has value
/// semantics: copying a hasher and updating the copy leaves the original untouched (the
/// OpenSSL context is duplicated on the first write to a shared copy).
///
/// OpenSSL only fails these calls when it cannot allocate memory or has no SHA-256
/// implementation at all (a broken installation); neither leaves a way to go on hashing,
/// so such a failure stops the process with a message naming the call and OpenSSL's reason.
struct SHA256: Sendable {
    private var context: DigestContext

    /// A hasher that has seen no bytes yet.
    init() { context = DigestContext() }

    /// Feeds `bytes` into the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        makeContextUnique()
        context.update(base, count: bytes.count)
    }

    /// Feeds an array of bytes into the hash.
    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finishes and returns the lowercase hex digest. The hasher then starts over, empty.
    mutating func finalizeHex() -> String {
        makeContextUnique()
        let digest = context.finalize()
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(digest.count * 2)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Copy-on-write: gives this hasher its own context before it changes it.
    private mutating func makeContextUnique() {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
    }
}

/// Owns one `EVP_MD_CTX` set up for SHA-256, and frees it.
///
/// `@unchecked Sendable`: the context is only ever changed through a `SHA256` that holds the
/// sole reference to it (see `SHA256.makeContextUnique`), so no two threads touch it at once.
private final class DigestContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// A fresh context initialised for SHA-256.
    init() {
        guard let context = EVP_MD_CTX_new() else { Self.fail("EVP_MD_CTX_new") }
        self.context = context
        start()
    }

    /// A context holding the same intermediate state as `source`.
    private init(copying source: OpaquePointer) {
        guard let context = EVP_MD_CTX_new() else { Self.fail("EVP_MD_CTX_new") }
        self.context = context
        guard EVP_MD_CTX_copy_ex(context, source) == 1 else { Self.fail("EVP_MD_CTX_copy_ex") }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// An independent context with the same state.
    func copy() -> DigestContext { DigestContext(copying: context) }

    /// Hashes `count` bytes at `base`.
    func update(_ base: UnsafeRawPointer, count: Int) {
        guard EVP_DigestUpdate(context, base, count) == 1 else { Self.fail("EVP_DigestUpdate") }
    }

    /// Finishes the hash, returns the 32 digest bytes and starts the context over.
    func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let finished = digest.withUnsafeMutableBufferPointer { buffer in
            EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
        }
        guard finished == 1 else { Self.fail("EVP_DigestFinal_ex") }
        start()
        return Array(digest.prefix(Int(length)))
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
