/// Generates key pairs shaped like AWS's: an access key id `AKIA` + 16 characters of
/// `[A-Z2-7]` (80 random bits, base32) and a 40-character secret of `[A-Za-z0-9+/]`
/// (240 random bits, base64 without padding), both from OpenSSL's CSPRNG.
public enum CredentialGenerator {
    /// The prefix AWS gives long-term access key ids.
    public static let accessKeyPrefix = "AKIA"
    /// Random characters after the prefix.
    public static let accessKeyRandomLength = 16
    /// Length of a secret access key.
    public static let secretLength = 40

    private static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// A fresh key pair for `profile`.
    public static func generate(profile: String) throws(CryptoError) -> AWSCredential {
        // 16 base32 characters carry 5 bits each: 80 bits = 10 bytes.
        let keyBits = try Crypto.randomBytes(accessKeyRandomLength * 5 / 8)
        // 40 base64 characters carry 6 bits each: 240 bits = 30 bytes.
        let secretBits = try Crypto.randomBytes(secretLength * 6 / 8)
        let keyID = accessKeyPrefix + encode(keyBits, bitsPerCharacter: 5, alphabet: base32Alphabet)
        let secret = encode(secretBits, bitsPerCharacter: 6, alphabet: base64Alphabet)
        return AWSCredential(profile: profile, accessKeyID: keyID, secretAccessKey: secret)
    }

    /// `bytes` read as a bit string, `bitsPerCharacter` bits per output character. The byte
    /// counts above make the bit count an exact multiple, so no padding is needed.
    private static func encode(_ bytes: [UInt8], bitsPerCharacter: Int, alphabet: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bufferedBits = 0
        let mask = UInt32(1 << bitsPerCharacter) - 1
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bufferedBits += 8
            while bufferedBits >= bitsPerCharacter {
                bufferedBits -= bitsPerCharacter
                out.append(alphabet[Int((buffer >> UInt32(bufferedBits)) & mask)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
