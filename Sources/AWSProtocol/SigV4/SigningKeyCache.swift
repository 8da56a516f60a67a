import Synchronization

/// Derived SigV4 signing keys, cached per (secret, date, region, service).
///
/// Deriving a key costs four HMACs and changes only once a day per scope, so every request
/// after the first of the day for a scope skips the derivation. The cache is bounded: when
/// it holds ``capacity`` keys it is emptied (keys of past days are useless anyway).
final class SigningKeyCache: Sendable {
    /// How many derived keys are kept at most.
    static let capacity = 256

    private struct Scope: Hashable {
        let secret: String
        let date: String
        let region: String
        let service: String
    }

    private let keys = Mutex<[Scope: [UInt8]]>([:])

    init() {}

    /// The signing key for the scope, derived and cached on first use.
    func key(secret: String, date: String, region: String, service: String) throws(CryptoError) -> [UInt8] {
        let scope = Scope(secret: secret, date: date, region: region, service: service)
        if let cached = keys.withLock({ $0[scope] }) { return cached }
        let derived = try Self.derive(secret: secret, date: date, region: region, service: service)
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll(keepingCapacity: true) }
            keys[scope] = derived
        }
        return derived
    }

    /// How many keys are cached (for tests).
    var count: Int { keys.withLock { $0.count } }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    static func derive(secret: String, date: String, region: String, service: String) throws(CryptoError) -> [UInt8] {
        let dateKey = try Crypto.hmacSHA256(key: Array(("AWS4" + secret).utf8), message: date)
        let regionKey = try Crypto.hmacSHA256(key: dateKey, message: region)
        let serviceKey = try Crypto.hmacSHA256(key: regionKey, message: service)
        return try Crypto.hmacSHA256(key: serviceKey, message: SigV4CredentialScope.terminator)
    }
}
