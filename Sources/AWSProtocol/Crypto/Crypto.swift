import COpenSSL

/// The few cryptographic primitives SigV4 and key generation need, all from OpenSSL.
enum Crypto {
    /// Size in bytes of a SHA-256 digest (and so of an HMAC-SHA256 tag).
    static let sha256Size = 32

    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let succeeded = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard succeeded == 1, Int(length) == sha256Size else { throw CryptoError.fromQueue("EVP_Digest(SHA-256)") }
        return Array(digest.prefix(sha256Size))
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) throws(CryptoError) -> String {
        hex(try sha256(bytes))
    }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) throws(CryptoError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                tag.withUnsafeMutableBufferPointer { output in
                    HMAC(
                        EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                        messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                        output.baseAddress, &length
                    )
                }
            }
        }
        guard result != nil, Int(length) == sha256Size else { throw CryptoError.fromQueue("HMAC(SHA-256)") }
        return Array(tag.prefix(sha256Size))
    }

    /// HMAC-SHA256 of a string's UTF-8 bytes.
    static func hmacSHA256(key: [UInt8], message: String) throws(CryptoError) -> [UInt8] {
        try hmacSHA256(key: key, message: Array(message.utf8))
    }

    /// Whether `a` and `b` hold the same bytes, in time that depends only on their length
    /// (`CRYPTO_memcmp`), so a caller cannot learn how much of a guess was right.
    /// Lengths are not secret (a signature is always 64 hex digits), so unequal lengths
    /// return at once.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    /// `count` bytes from OpenSSL's CSPRNG (`RAND_bytes`).
    static func randomBytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard result == 1 else { throw CryptoError.fromQueue("RAND_bytes") }
        return bytes
    }

    /// Lowercase hexadecimal form of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
