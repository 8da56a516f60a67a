/// A Docker-style image reference: `[registry[:port]/]path[:tag][@sha256:hex]`.
///
/// Parsing follows Docker's normalization so that the names people type resolve to the
/// same image: `busybox` is `docker.io/library/busybox:latest`, the first path component
/// is a registry only if it contains `.` or `:` or is `localhost`, and a reference with
/// neither tag nor digest gets the tag `latest`.
public struct Reference: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Registry host, e.g. `docker.io` or `registry:5000`.
    public let domain: String
    /// Repository path, e.g. `library/busybox` or `team/app`.
    public let path: String
    /// Tag, e.g. `latest`; nil for a digest-only reference.
    public let tag: String?
    /// Manifest digest when the reference pins one.
    public let digest: Digest?

    /// The default registry.
    public static let defaultDomain = "docker.io"

    /// Parses and normalizes `text`.
    public init(parsing text: String) throws(ImageStoreError) {
        guard !text.isEmpty, text.utf8.count <= 255 + 71 else {
            throw .invalidReference(text, reason: "empty or too long")
        }
        var remainder = Substring(text)
        var digest: Digest?
        if let at = remainder.firstIndex(of: "@") {
            do { digest = try Digest(String(remainder[remainder.index(after: at)...])) } catch {
                throw .invalidReference(text, reason: "bad digest")
            }
            remainder = remainder[..<at]
        }
        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            let candidate = String(remainder[remainder.index(after: colon)...])
            guard Self.isValidTag(candidate) else { throw .invalidReference(text, reason: "bad tag \(candidate)") }
            tag = candidate
            remainder = remainder[..<colon]
        }
        guard !remainder.isEmpty else { throw .invalidReference(text, reason: "missing repository name") }

        var components = remainder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain = Self.defaultDomain
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" {
            guard Self.isValidDomain(first) else { throw .invalidReference(text, reason: "bad registry \(first)") }
            domain = first == "index.docker.io" ? Self.defaultDomain : first
            components.removeFirst()
        }
        for component in components where !Self.isValidPathComponent(component) {
            throw .invalidReference(text, reason: "bad path component '\(component)' (lowercase letters, digits and separators only)")
        }
        if domain == Self.defaultDomain && components.count == 1 {
            components.insert("library", at: 0)
        }
        let path = components.joined(separator: "/")
        // Docker refuses names that look like image ids, so ids and names never collide.
        if domain == Self.defaultDomain, components.count == 2, components[0] == "library",
           Digest.isHex(components[1], length: 64), tag == nil, digest == nil {
            throw .invalidReference(text, reason: "a 64-character hex string is an image id, not a name")
        }
        self.domain = domain
        self.path = path
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// Builds a reference from parts that are already valid.
    public init(domain: String, path: String, tag: String?, digest: Digest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `domain/path` without tag or digest.
    public var repository: String { domain + "/" + path }

    /// Repository in familiar form: `busybox` rather than `docker.io/library/busybox`.
    public var familiarRepository: String {
        guard domain == Self.defaultDomain else { return repository }
        if path.hasPrefix("library/") && path.split(separator: "/").count == 2 {
            return String(path.dropFirst("library/".count))
        }
        return path
    }

    /// The fully qualified form, e.g. `docker.io/library/busybox:latest`.
    public var normalized: String { render(repository) }

    /// The short form people type, e.g. `busybox:latest` or `registry:5000/team/app:tag`.
    public var familiar: String { render(familiarRepository) }

    public var description: String { familiar }

    /// The same repository with a different tag and no digest.
    public func withTag(_ tag: String) -> Reference {
        Reference(domain: domain, path: path, tag: tag, digest: nil)
    }

    private func render(_ repository: String) -> String {
        var text = repository
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest.description }
        return text
    }

    // MARK: - Grammar (from the distribution reference grammar)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidPathComponent(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isAlphanumeric(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.count && !isAlphanumeric(bytes[end]) { end += 1 }
            let separator = String(decoding: bytes[index..<end], as: UTF8.self)
            let valid = separator == "." || separator == "_" || separator == "__" || separator.allSatisfy { $0 == "-" }
            guard valid else { return false }
            index = end
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`
    static func isValidTag(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func word(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 }
        return word(first) && bytes.dropFirst().allSatisfy { word($0) || $0 == 46 || $0 == 45 }
    }

    /// `host[:port]`, where host is dot-separated labels of letters, digits and hyphens.
    static func isValidDomain(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let host = parts.first, !host.isEmpty else { return false }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

extension Reference {
    /// Stored as its normalized string so the index file stays readable.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(normalized)
    }
}
