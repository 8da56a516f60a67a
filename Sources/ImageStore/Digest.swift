/// A content digest in OCI form, `sha256:<64 lowercase hex>`.
///
/// Only sha256 is accepted: it is what every registry, `docker save` and OCI layout
/// writer uses, and the store's directory layout (`blobs/sha256/...`) is keyed by it.
public struct Digest: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The 64 lowercase hex characters.
    public let hex: String

    /// Parses `sha256:<64 hex>`.
    public init(_ text: String) throws(ImageStoreError) {
        guard text.hasPrefix("sha256:") else { throw .invalidDigest(text) }
        let hex = String(text.dropFirst("sha256:".count))
        guard Self.isHex(hex, length: 64) else { throw .invalidDigest(text) }
        self.hex = hex
    }

    /// Wraps an already validated lowercase hex string.
    init(hex: String) { self.hex = hex }

    /// The digest of `bytes`.
    public static func of(_ bytes: [UInt8]) -> Digest {
        let hasher = SHA256()
        hasher.update(bytes)
        return Digest(hex: hasher.finalizeHex())
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }

    /// The first 12 hex characters, the familiar short image id.
    public var shortID: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// True when `text` is lowercase hex, of exactly `length` characters when given.
    static func isHex(_ text: String, length: Int? = nil) -> Bool {
        if let length, text.utf8.count != length { return false }
        return !text.isEmpty && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
